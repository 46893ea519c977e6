"""Read an SVG file into shapes with their attributes, in user units.

A thin, defensive layer over svgelements shared by the chart and the atlas
loaders: it reads only regular files within :data:`~nmt_bodymap.guarded.MAX_SVG_BYTES`,
refuses hostile files before parsing (:mod:`nmt_bodymap.svgscan`: element,
depth and path-segment counts, ``<use>``, entities, a bad viewBox, shapes of
size 0), undoes the viewBox scaling svgelements applies, samples curves with
:mod:`nmt_bodymap.svgpath` within a point budget, checks path data strictly
(svgelements drops a bad tail silently) and turns every parser failure into
one :class:`SvgError` that names the file and, where known, the element.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import svgelements as se

from nmt_bodymap.guarded import MAX_SVG_BYTES, BadFile, read_limited
from nmt_bodymap.svgpath import PathDataError, SampleBudget, check_path_data, element_rings
from nmt_bodymap.svgscan import SvgLimitError, scan_svg

#: Most points all curves of one file may be sampled into (the biggest shipped file needs about 43,000).
MAX_SAMPLED_POINTS = 500_000


class SvgError(BadFile):
    """A file that cannot be read as the SVG we expect."""

    def __init__(self, source: str, message: str, element: str | None = None) -> None:
        super().__init__(source, message, element)


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
    """Parse ``path`` (or ``data``) into shapes in the document's user units.

    Every fault is an :class:`SvgError`; no other exception leaves this function.
    """
    source = label or str(path)
    try:
        return _read_svg(path, data, source)
    except SvgError:
        raise
    except BadFile as exc:
        raise SvgError(source, exc.reason, exc.element) from None
    except RecursionError:
        raise SvgError(source, "elements nested too deeply or a reference refers to itself") from None
    except MemoryError:
        raise SvgError(source, "too big to parse") from None
    except Exception as exc:  # svgelements raises many kinds of errors on bad input
        raise SvgError(source, f"cannot parse SVG ({type(exc).__name__}: {str(exc)[:200]})") from None


def _read_svg(path: Path | str, data: bytes | None, source: str) -> SvgDocument:
    if data is None:
        data = read_limited(path, MAX_SVG_BYTES, source)
    elif len(data) > MAX_SVG_BYTES:
        raise SvgError(source, f"is {len(data):,} bytes, over the limit of {MAX_SVG_BYTES // 1024 // 1024} MB")
    try:
        scan_svg(data)
    except SvgLimitError as exc:
        raise SvgError(source, exc.reason, exc.element) from None
    try:
        root, groups = _groups(data)
    except ElementTree.ParseError as exc:
        raise SvgError(source, f"malformed XML ({exc})") from None
    svg = se.SVG.parse(io.BytesIO(data), reify=True, ppi=se.DEFAULT_PPI)
    to_user = ~se.Matrix(svg.viewbox_transform) if svg.viewbox_transform else se.Matrix()
    budget = SampleBudget(MAX_SAMPLED_POINTS)
    shapes: list[SvgShape] = []
    for element in svg.elements():
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
            rings = element_rings(element, budget=budget)
        except PathDataError as exc:
            raise SvgError(source, str(exc), shape.label()) from None
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
