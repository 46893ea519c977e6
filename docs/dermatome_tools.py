"""Tools for docs/dermatome_map.py: cut a chart view into cells, one level each, grow them into territories.

A :class:`Canvas` is one view of the patient's right side. Levels ``claim``
the unclaimed part of a shape (made from boundary curves, limb shares and the
chart's regions); :func:`grow` turns each level's cells into its territory
(grown by a small overlap into its neighbours, never into the face), and
:func:`write_drawings` writes the nerve atlas SVGs with their anchors. The
anterior view is built mirrored (``u`` = distance from the midline).
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely
from shapely import affinity
from shapely.geometry import LineString, Point, Polygon, box
from shapely.geometry.base import BaseGeometry

from nmt_bodymap.chart import ChartView, load_chart
from nmt_bodymap.chart_landmarks import LANDMARKS
from nmt_bodymap.nerves.authoring import Territory, write_nerve_svg
from nmt_bodymap.nerves.model import LEVELS

FAR = 3000.0
Pts = Sequence[tuple[float, float]]
#: How far a level's skin reaches into its neighbours' unless its cell says otherwise (mm).
OVERLAP = 2.5


# ----------------------------------------------------------------------------------------- geometry helpers
def smooth(points: Pts, rounds: int = 3) -> list[tuple[float, float]]:
    """Chaikin corner cutting of an open polyline (its ends stay put)."""
    pts = [tuple(map(float, p)) for p in points]
    for _ in range(rounds):
        out = [pts[0]]
        for (x0, y0), (x1, y1) in itertools.pairwise(pts):
            out += [(0.75 * x0 + 0.25 * x1, 0.75 * y0 + 0.25 * y1), (0.25 * x0 + 0.75 * x1, 0.25 * y0 + 0.75 * y1)]
        out.append(pts[-1])
        pts = out
    return pts  # type: ignore[return-value]


def below(points: Pts) -> Polygon:
    """Everything below a curve y(x) given left to right (extended flat beyond its ends)."""
    pts = smooth(sorted(points))
    line = [(pts[0][0] - FAR, pts[0][1]), *pts, (pts[-1][0] + FAR, pts[-1][1])]
    return Polygon([*line, (line[-1][0], FAR), (line[0][0], FAR)])


def above(points: Pts) -> Polygon:
    pts = smooth(sorted(points))
    line = [(pts[0][0] - FAR, pts[0][1]), *pts, (pts[-1][0] + FAR, pts[-1][1])]
    return Polygon([*line, (line[-1][0], -FAR), (line[0][0], -FAR)])


def right_of(points: Pts) -> Polygon:
    """Everything with larger x than a curve x(y) given top to bottom (extended straight beyond its ends)."""
    pts = smooth(sorted(points, key=lambda p: p[1]))
    line = [(pts[0][0], pts[0][1] - FAR), *pts, (pts[-1][0], pts[-1][1] + FAR)]
    return Polygon([*line, (FAR, line[-1][1]), (FAR, line[0][1])])


def left_of(points: Pts) -> Polygon:
    pts = smooth(sorted(points, key=lambda p: p[1]))
    line = [(pts[0][0], pts[0][1] - FAR), *pts, (pts[-1][0], pts[-1][1] + FAR)]
    return Polygon([*line, (-FAR, line[-1][1]), (-FAR, line[0][1])])


def band(upper: Pts, lower: Pts) -> BaseGeometry:
    return shapely.intersection(below(upper), above(lower))


def rows(y0: float, y1: float) -> Polygon:
    return box(-FAR, y0, FAR, y1)


def share(
    shape: BaseGeometry,
    y0: float,
    y1: float,
    f0: Callable[[float], float],
    f1: Callable[[float], float],
    across: BaseGeometry | None = None,
) -> BaseGeometry:
    """The lengthwise share of a limb between heights: across each height, from fraction f0(y) to f1(y).

    Fractions run from the limb's smaller-x edge (0) to its larger-x edge (1) at that height (measured
    on ``across`` when given, a wider shape than the one cut).
    """
    left: list[tuple[float, float]] = []
    right: list[tuple[float, float]] = []
    ref = across if across is not None else shape
    minx, _, maxx, _ = ref.bounds
    for y in np.arange(y0, y1 + 0.5, 1.0):
        cut = shapely.intersection(ref, LineString([(minx - 1, y), (maxx + 1, y)]))
        if cut.is_empty:
            continue
        xa, _, xb, _ = cut.bounds
        left.append((xa + (xb - xa) * f0(y), float(y)))
        right.append((xa + (xb - xa) * f1(y), float(y)))
    if len(left) < 2:
        return Polygon()
    strip = Polygon([*left, *reversed(right)]).buffer(0)
    return shapely.intersection(shapely.intersection(strip, rows(y0, y1)), shape)


def const(value: float) -> Callable[[float], float]:
    return lambda _y: value


def lerp(y0: float, v0: float, y1: float, v1: float) -> Callable[[float], float]:
    return lambda y: v0 + (v1 - v0) * min(1.0, max(0.0, (y - y0) / (y1 - y0)))


def ellipse(cx: float, cy: float, rx: float, ry: float) -> BaseGeometry:
    return affinity.scale(Point(cx, cy).buffer(1.0, 64), rx, ry)


# ----------------------------------------------------------------------------------------- views
@dataclass
class Canvas:
    """One view of the right side, in its building coordinates (u for anterior/posterior/plantar)."""

    view: ChartView
    flip: bool  # building x = -chart x (the anterior view)
    body: BaseGeometry
    cells: dict[str, list[tuple[BaseGeometry, float, str]]]  # level -> (core, overlap, layer)
    claimed: BaseGeometry
    reserved: BaseGeometry = field(default_factory=Polygon)  # the face: no level reaches into it

    @classmethod
    def of(cls, name: str) -> Canvas:
        view = load_chart().view(name)
        flip = name == "anterior"
        half = box(-FAR, -FAR, 0, FAR) if flip else box(0, -FAR, FAR, FAR)
        body = view.silhouette if name == "right-lateral" else shapely.intersection(view.silhouette, half)
        canvas = cls(view, flip, Polygon(), {}, Polygon())
        canvas.body = canvas.to_build(body)
        return canvas

    def to_build(self, geom: BaseGeometry) -> BaseGeometry:
        return affinity.scale(geom, -1, 1, origin=(0, 0)) if self.flip else geom

    def region(self, *names: str) -> BaseGeometry:
        found = [r.geometry for r in self.view.regions.values() if r.name in names and r.side == "right"]
        missing = set(names) - {r.name for r in self.view.regions.values() if r.side == "right"}
        if missing:
            raise KeyError(f"{self.view.name}: no region {sorted(missing)}")
        return self.to_build(shapely.union_all(found))

    def claim(self, level: str, shape: BaseGeometry, overlap: float = OVERLAP, layer: str = "") -> BaseGeometry:
        """Give the unclaimed part of ``shape`` (within the body) to ``level``."""
        if level not in LEVELS:
            raise ValueError(level)
        core = shapely.difference(shapely.intersection(shape, self.body), self.claimed)
        core = shapely.make_valid(core).buffer(-0.3, quad_segs=2).buffer(0.3, quad_segs=2)  # no slivers
        parts = [g for g in getattr(core, "geoms", [core]) if g.geom_type == "Polygon" and g.area >= 2.0]
        core = shapely.union_all(parts) if parts else Polygon()
        if core.area < 2.0:
            return core
        self.cells.setdefault(level, []).append((core, overlap, layer))
        self.claimed = shapely.union(self.claimed, core)
        return core

    def reserve(self, shape: BaseGeometry) -> None:
        """Keep ``shape`` out of every level (the face, the trigeminal nerve's); small holes in it closed."""
        shape = shapely.difference(shape.buffer(5, quad_segs=4).buffer(-5, quad_segs=4), self.claimed)
        self.claimed = shapely.union(self.claimed, shapely.intersection(shape, self.body))
        self.reserved = shapely.union(self.reserved, shape)

    def leftover(self) -> BaseGeometry:
        """What no level has claimed (nor the face): gaps in the map."""
        return shapely.difference(self.body, self.claimed)


# ----------------------------------------------------------------------------------------- territories
@dataclass
class Piece:
    """One drawn element: a level's skin in one view (and, in the lateral view, on the arm or off it)."""

    level: str
    view: str
    geometry: BaseGeometry  # chart coordinates
    side: str = "same"
    on_arm: bool = False


def grow(canvases: dict[str, Canvas], shared: set[frozenset[str]]) -> list[Piece]:
    """Each level's cells grown into its neighbours' by their overlap, as drawn pieces in chart coordinates.

    Levels that are not neighbours (two or more apart) only meet, unless ``shared`` pairs them.
    """
    pieces: list[Piece] = []
    for name, c in canvases.items():
        overlay = c.view.overlay
        cores = {level: shapely.union_all([core for core, _o, _l in cells]) for level, cells in c.cells.items()}
        for level, cells in c.cells.items():
            grown: dict[str, list[BaseGeometry]] = {}
            for core, overlap, layer in cells:
                grown.setdefault(layer, []).append(core.buffer(overlap, quad_segs=4) if overlap else core)
            apart = [
                cores[other]
                for other in cores
                if abs(LEVELS.index(other) - LEVELS.index(level)) > 1 and frozenset((level, other)) not in shared
            ]
            for layer, geoms in grown.items():
                geom = shapely.difference(shapely.union_all(geoms), shapely.union_all([*apart, c.reserved]))
                if layer == "midline":
                    full = shapely.union(geom, affinity.scale(geom, -1, 1, origin=(0, 0)))
                    geom = shapely.intersection(full, c.view.silhouette)
                    pieces.append(Piece(level, name, _tidy(geom), "midline"))
                    continue
                geom = shapely.intersection(geom, c.body)
                geom = c.to_build(geom)  # back to chart coordinates (the flip is its own inverse)
                if name == "right-lateral":
                    if layer == "arm":
                        pieces.append(Piece(level, name, _tidy(shapely.intersection(geom, overlay)), on_arm=True))
                    else:
                        pieces.append(Piece(level, name, _tidy(shapely.difference(geom, overlay))))
                else:
                    pieces.append(Piece(level, name, _tidy(geom)))
    return [p for p in pieces if p.geometry.area >= 4.0]


def _tidy(geom: BaseGeometry) -> BaseGeometry:
    """Simplified, without slivers and pin holes, as polygons only, each ring valid at the file's 0.01 mm."""
    geom = shapely.set_precision(shapely.make_valid(shapely.simplify(geom, 0.3)), 0.01)
    polys = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type == "Polygon" and g.area >= 3.0]
    polys = [Polygon(p.exterior, [h for h in p.interiors if Polygon(h).area >= 6.0]) for p in polys]
    out = shapely.union_all(polys) if polys else Polygon()
    rings = [r for p in getattr(out, "geoms", [out]) for r in (p.exterior, *p.interiors)] if not out.is_empty else []
    if any(not Polygon(r).is_valid for r in rings):  # a ring that touches itself: open it a hair
        out = _tidy(out.buffer(-0.02, quad_segs=2).buffer(0.02, quad_segs=2))
    return out


# ----------------------------------------------------------------------------------------- anchors and files
def anchors(piece: Piece, excludes_of: dict[str, str]) -> tuple[list[str], list[str]]:
    """The landmarks a piece contains (on its own layer of the lateral view), or failing those the region
    it covers most; and the landmarks it must not reach."""
    view = load_chart().view(piece.view)
    geom = piece.geometry
    inner, outer = geom.buffer(-0.8), geom.buffer(0.4)
    contains: list[str] = []
    for (lid, side), lm in view.landmarks.items():
        if side == "left":
            continue
        inside = (outer if side == "midline" else inner).contains(lm.point)
        if inside and (piece.view != "right-lateral" or bool(view.overlay.contains(lm.point)) == piece.on_arm):
            contains.append(lid)
    if not contains:
        best = max(
            (r for r in view.regions.values() if r.side == "right"),
            key=lambda r: shapely.intersection(r.geometry, geom).area,
        )
        contains.append(f"region:{best.name}")
    order = {lid: i for i, lid in enumerate(LANDMARKS)}
    contains.sort(key=lambda a: order.get(a, -1))
    excludes = []
    for lid in excludes_of[piece.level].split():
        side = "midline" if LANDMARKS[lid].midline else "right"
        lm = view.landmarks.get((lid, side))
        if lm is None:
            continue
        if geom.buffer(0.6).contains(lm.point):
            print(f"note: {piece.level} {piece.view} reaches '{lid}' it should not", file=sys.stderr)
            continue
        excludes.append(lid)
    return contains, excludes


def level_id(level: str) -> str:
    return level.lower()


def write_drawings(pieces: list[Piece], folder: Path, excludes_of: dict[str, str]) -> None:
    """One SVG per level in ``folder``, named by its id (``c6.svg``, ``s4-5.svg``)."""
    by_level: dict[str, list[Territory]] = {}
    for piece in pieces:
        contains, excludes = anchors(piece, excludes_of)
        by_level.setdefault(piece.level, []).append(
            Territory(piece.view, contains=contains, excludes=excludes, side=piece.side, geometry=piece.geometry)
        )
    for level in LEVELS:
        if level not in by_level:
            continue
        title = f"{level} dermatome after Lee et al. 2008 (generated by docs/dermatome_map.py)"
        write_nerve_svg(folder / f"{level_id(level)}.svg", level_id(level), by_level[level], title)


# ----------------------------------------------------------------------------------------- check pictures
def palette(level: str) -> tuple[int, int, int]:
    """Neighbouring levels in clearly different colours (a cycle of six)."""
    i = LEVELS.index(level)
    cycle = [(230, 85, 75), (250, 190, 60), (90, 170, 90), (70, 140, 220), (170, 100, 200), (60, 190, 190)]
    return cycle[i % len(cycle)]


def draw_pictures(pieces: list[tuple[str, str, BaseGeometry]], stem: str) -> list[Path]:
    """One PNG per view: every level's skin in its colour, labelled, over the chart."""
    from PySide6.QtCore import QPointF, QRectF
    from PySide6.QtGui import QColor, QFont, QPen

    from nmt_bodymap.render.chart_picture import draw_backdrop, view_transform
    from nmt_bodymap.render.paths import geometry_path
    from nmt_bodymap.render.qt import blank_image, ensure_gui_app, smooth_painter

    ensure_gui_app()
    written = []
    for name in ("anterior", "posterior", "right-lateral", "plantar"):
        view = load_chart().view(name)
        _x, _y, w, h = view.viewbox
        height = 1500 if name != "plantar" else 900
        image = blank_image(round(height * w / h), height, 150)
        painter = smooth_painter(image)
        target = QRectF(0, 0, image.width(), image.height())
        draw_backdrop(painter, view, target)
        transform = view_transform(view, target)
        painter.setTransform(transform)
        mine = [(lv, g) for lv, v, g in pieces if v == name]
        for level, geom in mine:
            r, g, b = palette(level)
            painter.setPen(QPen(QColor(r // 2, g // 2, b // 2, 200), 0.6))
            painter.setBrush(QColor(r, g, b, 110))
            painter.drawPath(geometry_path(geom))
        font = QFont("DejaVu Sans")
        font.setPixelSize(9 if name != "plantar" else 7)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor(20, 20, 20))
        for level, geom in mine:
            for part in getattr(geom, "geoms", [geom]):
                if part.area < (40 if name != "plantar" else 10):
                    continue
                p = (
                    shapely.maximum_inscribed_circle(part, 0.5).coords[0]
                    if hasattr(shapely, "maximum_inscribed_circle")
                    else part.representative_point().coords[0]
                )
                painter.drawText(QPointF(p[0] - 6, p[1] + 3), level)
        painter.end()
        path = Path(f"/tmp/{stem}-{name}.png")
        image.save(str(path))
        written.append(path)
    return written
