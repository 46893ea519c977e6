"""Read an SVG file into shapes with their attributes, in user units.

A thin, defensive layer over svgelements shared by the chart and the atlas
loaders: it undoes the viewBox scaling svgelements applies, samples curves
with :mod:`nmt_bodymap.svgpath`, checks path data strictly (svgelements
drops a bad tail silently) and turns every parser failure into one
:class:`SvgError` that names the file and, where known, the element.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import svgelements as se

from nmt_bodymap.svgpath import PathDataError, check_path_data, element_rings


class SvgError(ValueError):
    """A file that cannot be read as the SVG we expect."""

    def __init__(self, source: str, message: str, element: str | None = None) -> None:
        self.source = source
        self.element = element
        self.reason = message
        where = f"{source}: {element}: " if element else f"{source}: "
        super().__init__(where + message)


@dataclass
class SvgShape:
    """One drawable element: its id, attributes and sampled rings (mm)."""

    id: str | None
    tag: str
    attributes: dict[str, str]
    inherited: dict[str, str]
    rings: list[np.ndarray] = field(default_factory=list)

    def label(self) -> str:
        return f"<{self.tag} id={self.id!r}>" if self.id else f"<{self.tag}>"


@dataclass
class SvgDocument:
    source: str
    root: dict[str, str]
    groups: list[dict[str, str]]
    shapes: list[SvgShape]


_SHAPES = (se.Path, se.Circle, se.Ellipse, se.Rect, se.Polygon, se.Polyline)


def _tag(element: se.Shape) -> str:
    return {
        se.Path: "path",
        se.Circle: "circle",
        se.Ellipse: "ellipse",
        se.Rect: "rect",
        se.Polygon: "polygon",
        se.Polyline: "polyline",
    }.get(type(element), type(element).__name__.lower())


def _groups(data: bytes) -> tuple[dict[str, str], list[dict[str, str]]]:
    """Root and group attributes via the standard library (namespaces stripped)."""
    tree = ElementTree.parse(io.BytesIO(data))
    root = tree.getroot()

    def plain(attrs: dict[str, str]) -> dict[str, str]:
        return {k.split("}")[-1]: v for k, v in attrs.items()}

    groups = [plain(el.attrib) for el in root.iter() if el.tag.split("}")[-1] == "g"]
    return plain(root.attrib), groups


def read_svg(path: Path | str, data: bytes | None = None, label: str | None = None) -> SvgDocument:
    """Parse ``path`` (or ``data``) into shapes in the document's user units."""
    source = label or str(path)
    if data is None:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise SvgError(source, f"cannot read file ({exc.strerror or exc})") from None
    try:
        root, groups = _groups(data)
    except ElementTree.ParseError as exc:
        raise SvgError(source, f"malformed XML ({exc})") from None
    except RecursionError:
        raise SvgError(source, "elements nested too deeply") from None
    if root.get("viewBox") is None:
        raise SvgError(source, "the <svg> element has no viewBox")
    try:
        svg = se.SVG.parse(io.BytesIO(data), reify=True, ppi=se.DEFAULT_PPI)
    except RecursionError:
        raise SvgError(source, "elements nested too deeply or a <use> refers to itself") from None
    except Exception as exc:  # svgelements raises many kinds of errors on bad input
        raise SvgError(source, f"cannot parse SVG ({type(exc).__name__}: {exc})") from None
    to_user = ~se.Matrix(svg.viewbox_transform) if svg.viewbox_transform else se.Matrix()
    shapes: list[SvgShape] = []
    try:
        elements = list(svg.elements())
    except RecursionError:
        raise SvgError(source, "elements nested too deeply or a <use> refers to itself") from None
    for element in elements:
        if not isinstance(element, _SHAPES):
            continue
        attrs = dict(element.values.get("attributes", {}))
        inherited = {k: str(v) for k, v in element.values.items() if isinstance(v, str)}
        shape = SvgShape(element.id, _tag(element), attrs, inherited)
        if shape.tag == "path":
            d = attrs.get("d", "")
            try:
                check_path_data(d)
            except PathDataError as exc:
                raise SvgError(source, f"bad path data: {exc}", shape.label()) from None
        try:
            rings = element_rings(element)
        except Exception as exc:  # degenerate shapes (zero radius arcs, NaN)
            raise SvgError(source, f"cannot sample shape ({exc})", shape.label()) from None
        shape.rings = [_apply(to_user, ring) for ring in rings]
        for ring in shape.rings:
            if not np.all(np.isfinite(ring)):
                raise SvgError(source, "coordinates are not finite numbers", shape.label())
        shapes.append(shape)
    return SvgDocument(source, root, groups, shapes)


def _apply(matrix: se.Matrix, ring: np.ndarray) -> np.ndarray:
    x = ring[:, 0] * matrix.a + ring[:, 1] * matrix.c + matrix.e
    y = ring[:, 0] * matrix.b + ring[:, 1] * matrix.d + matrix.f
    return np.column_stack([x, y])


def parse_viewbox(text: str) -> tuple[float, float, float, float]:
    parts = text.replace(",", " ").split()
    if len(parts) != 4:
        raise ValueError(f"viewBox needs four numbers, got {text!r}")
    x, y, w, h = (float(p) for p in parts)
    return x, y, w, h
