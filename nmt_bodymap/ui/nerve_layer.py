"""The nerve layer under the drawing: the dermatomes, or the peripheral nerves' skin territories, labelled.

View → Nerve layer chooses *None*, *Dermatomes* (C2 to S4-5, after Lee et
al. 2008, as the nerve atlas draws them) or *Peripheral nerve territories*
(each nerve's own skin; a branch's skin is its own territory here). Every
territory on both sides and in every shown view gets a light wash of its own
colour (neighbouring levels differ) with a thin edge, and its name ("C6",
"Median") where it has room at the current zoom: labels are sized in screen
pixels, so zooming in reveals the small territories' names; a long territory
is labelled along its length, and again every few centimetres so its name
is in sight when zoomed in (one part's name never twice close together); a
label that would cover another is left out. The layer sits above the chart and
below the ghost and the marks, so it never hides the drawing; the status
bar names the territories under the pointer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import shapely
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

from nmt_bodymap.nerves import LEVELS, NerveAtlas, SidedNerve
from nmt_bodymap.render.paths import geometry_path
from nmt_bodymap.ui.chart_canvas import ChartCanvas
from nmt_bodymap.ui.chart_scene import ChartScene
from nmt_bodymap.ui.scene_layer import SceneLayer

#: The layers View → Nerve layer offers, with their menu titles.
LAYERS: dict[str, str] = {
    "none": "&None",
    "dermatomes": "&Dermatomes",
    "peripheral": "&Peripheral nerve territories",
}
Z_NERVE_LAYER = 3  # above the chart (0), below the ghost (5) and the marks (10)
FILL_ALPHA = 0.16
EDGE_ALPHA = 0.8
LABEL_PX = 11
MIN_PIECE_MM2 = 30.0  # slivers smaller than this get no label
BAND_MM = 60.0  # a long territory gets a label anchor in every stretch this long
REPEAT_PX = 180.0  # one part's name is not repeated closer than this on screen
#: Distinct hues (Paul Tol's "muted" and "bright" schemes), cycled so neighbours differ.
PALETTE = (
    "#332288",
    "#117733",
    "#cc6677",
    "#88ccee",
    "#999933",
    "#aa4499",
    "#44aa99",
    "#ddcc77",
    "#882255",
    "#4477aa",
    "#ee6677",
    "#228833",
)
#: Short names for nerves whose full name does not fit on the chart.
SHORT_NAMES: dict[str, str] = {
    "abdominal-anterior-cutaneous": "Ant. cut. T7–T12",
    "anterior-femoral-cutaneous": "Ant. femoral cut.",
    "dorsal-ulnar-cutaneous": "Dorsal ulnar",
    "infrapatellar-saphenous": "Infrapatellar",
    "intercostal-t2-t6": "Intercostal T2–T6",
    "medial-calcaneal": "Med. calcaneal",
    "palmar-cutaneous-median": "Palmar median",
    "superficial-radial": "Sup. radial",
    "thoracoabdominal-t7-t12": "T7–T12",
    "third-plantar-digital": "3rd web space",
}
_ABBREVIATIONS = (
    (r"\bcutaneous\b", "cut."),
    (r"\bLateral\b", "Lat."),
    (r"\bMedial\b", "Med."),
    (r"\bPosterior\b", "Post."),
    (r"\bAnterior\b", "Ant."),
    (r"\bSuperficial\b", "Sup."),
    (r"\bof the (arm|forearm|thigh|calf)\b", r"\1"),
)


def short_name(sided: SidedNerve) -> str:
    """What the layer writes on a territory: "C6", "Median", "Lat. femoral cut."."""
    nerve = sided.nerve
    if nerve.kind == "dermatome":
        return nerve.level
    if nerve.id in SHORT_NAMES:
        return SHORT_NAMES[nerve.id]
    name = re.sub(r"\s*\(.*?\)", "", nerve.name)
    name = re.sub(r"\s+nerves?$", "", name)
    for pattern, short in _ABBREVIATIONS:
        name = re.sub(pattern, short, name)
    return name


@dataclass(frozen=True)
class Anchor:
    """A place for a territory's label: the most inner point of (a stretch of) it, and that stretch's size."""

    at: QPointF
    width: float  # mm
    height: float  # mm
    span: tuple[float, float]  # from where to where the part runs straight up and down through ``at`` (y, mm)


@dataclass(frozen=True)
class Piece:
    """One territory's part in one view, ready to paint."""

    name: str  # "C6 dermatome (right)": for the status bar
    label: str  # "C6"
    color: QColor
    geometry: BaseGeometry
    path: QPainterPath
    anchors: tuple[Anchor, ...]  # the whole part's first, then one per stretch (none: too small to label)


def anchors_for(part: BaseGeometry) -> tuple[Anchor, ...]:
    """Label places of a polygon: its most inner point, then one per :data:`BAND_MM` along its long axis."""
    if part.area < MIN_PIECE_MM2:
        return ()
    minx, miny, maxx, maxy = part.bounds
    found = [_anchor(part)]
    tall = maxy - miny >= maxx - minx
    length = (maxy - miny) if tall else (maxx - minx)
    bands = int(length // BAND_MM)
    for i in range(bands + 1 if bands > 1 else 0):
        start = (miny if tall else minx) + i * length / (bands + 1)
        end = start + length / (bands + 1)
        box = shapely.box(minx, start, maxx, end) if tall else shapely.box(start, miny, end, maxy)
        pieces = [p for p in shapely.get_parts(shapely.intersection(part, box)) if p.geom_type == "Polygon"]
        if pieces:
            biggest = max(pieces, key=lambda p: p.area)
            if biggest.area >= MIN_PIECE_MM2:
                found.append(_anchor(biggest))
    return tuple(found)


def _anchor(part: BaseGeometry) -> Anchor:
    minx, miny, maxx, maxy = part.bounds
    inner = polylabel(part, tolerance=1.0)
    span = (inner.y, inner.y)
    line = shapely.LineString([(inner.x, miny - 1.0), (inner.x, maxy + 1.0)])
    for piece in shapely.get_parts(shapely.intersection(part, line)):
        if piece.geom_type == "LineString" and not piece.is_empty:
            top, bottom = sorted((piece.coords[0][1], piece.coords[-1][1]))
            if top - 0.5 <= inner.y <= bottom + 0.5:
                span = (top, bottom)
    return Anchor(QPointF(inner.x, inner.y), maxx - minx, maxy - miny, span)


def territories(atlas: NerveAtlas, kind: str) -> list[SidedNerve]:
    """The sided territories a layer draws, in a stable order (dermatomes head to tail)."""
    if kind == "dermatomes":
        found = [s for s in atlas.sided if s.nerve.kind == "dermatome"]
        return sorted(found, key=lambda s: (LEVELS.index(s.nerve.level), s.side))
    if kind == "peripheral":
        order = list(atlas.nerves)
        found = [s for s in atlas.sided if s.nerve.kind == "peripheral" and s.own]
        return sorted(found, key=lambda s: (order.index(s.nerve.id), s.side))
    return []


def build_pieces(atlas: NerveAtlas, kind: str, view: str) -> list[Piece]:
    """Every territory of a layer in one view, split into parts, each with its label point."""
    pieces: list[Piece] = []
    colors: dict[str, QColor] = {}
    for sided in territories(atlas, kind):
        geom = sided.own.get(view)
        if geom is None or geom.is_empty:
            continue
        color = colors.setdefault(sided.nerve.id, QColor(PALETTE[len(colors) % len(PALETTE)]))
        title = sided.nerve.name if sided.nerve.kind == "peripheral" else f"{sided.nerve.level} dermatome"
        for part in shapely.get_parts(geom):
            if part.geom_type != "Polygon" or part.area < 1.0:
                continue
            pieces.append(
                Piece(f"{title} ({sided.side})", short_name(sided), color, part, geometry_path(part), anchors_for(part))
            )
    return pieces


def _label_font() -> QFont:
    font = QFont("DejaVu Sans")
    font.setPixelSize(LABEL_PX)
    font.setBold(True)
    return font


@lru_cache(maxsize=512)
def _text_size(label: str) -> tuple[float, float]:
    """A label's width and height in pixels."""
    metrics = QFontMetricsF(_label_font())
    return metrics.horizontalAdvance(label), metrics.height()


@lru_cache(maxsize=512)
def _text_path(label: str) -> QPainterPath:
    """A label's outline, centred on the origin (built once per label)."""
    metrics = QFontMetricsF(_label_font())
    path = QPainterPath()
    path.addText(QPointF(-_text_size(label)[0] / 2, metrics.ascent() - metrics.height() / 2), _label_font(), label)
    return path


class _Boxes:
    """Boxes already taken on screen, bucketed in a grid, so a new label checks only its neighbours."""

    CELL = 64.0

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[QRectF]] = {}

    def _keys(self, box: QRectF) -> list[tuple[int, int]]:
        c = self.CELL
        xs = range(int(box.left() // c), int(box.right() // c) + 1)
        return [(x, y) for x in xs for y in range(int(box.top() // c), int(box.bottom() // c) + 1)]

    def hits(self, box: QRectF) -> bool:
        return any(box.intersects(other) for key in self._keys(box) for other in self.cells.get(key, ()))

    def add(self, box: QRectF) -> None:
        for key in self._keys(box):
            self.cells.setdefault(key, []).append(box)


class NerveLayerItem(QGraphicsItem):
    """The layer's territories in one view of the chart."""

    def __init__(self, scene: ChartScene, view: str, pieces: list[Piece]) -> None:
        super().__init__()
        placed = scene.placed[view]
        self.setPos(placed.offset)
        self.setScale(placed.item.scale())
        self.view = view
        self.pieces = pieces
        bounds = QRectF()
        for p in pieces:
            bounds = bounds.united(p.path.boundingRect())
        self._bounds = bounds.adjusted(-40, -10, 40, 10)
        self.setZValue(Z_NERVE_LAYER)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        #: Labels drawn at the last paint (for tests and accessibility).
        self.labels_drawn: list[str] = []

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for piece in self.pieces:
            fill = QColor(piece.color)
            fill.setAlphaF(FILL_ALPHA)
            edge = QColor(piece.color).darker(115)
            edge.setAlphaF(EDGE_ALPHA)
            pen = QPen(edge, 1.0)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.setBrush(QBrush(fill))
            painter.drawPath(piece.path)
        self._paint_labels(painter)

    def _paint_labels(self, painter: QPainter) -> None:
        """Labels where their territory has room at this zoom, apart from each other (see the module docstring)."""
        transform = painter.worldTransform()
        scale = max(abs(transform.m11()), 1e-6)  # pixels per chart mm
        height = _text_size("")[1]
        placed = _Boxes()
        named: dict[int, list[QPointF]] = {}  # labels drawn per part
        self.labels_drawn = []
        painter.save()
        painter.resetTransform()
        order = sorted(self.pieces, key=lambda p: -p.geometry.area)
        for rank in range(max((len(p.anchors) for p in order), default=0)):  # every whole part before any stretch
            for piece in order:
                if rank >= len(piece.anchors):
                    continue
                anchor = piece.anchors[rank]
                w, h = _text_size(piece.label)[0], height
                across = w <= anchor.width * scale * 1.3 and h <= anchor.height * scale * 1.4
                along = anchor.height > 1.8 * anchor.width and w <= anchor.height * scale * 0.9
                along = along and h <= anchor.width * scale * 1.6
                at = anchor.at
                if along and not across:  # slid up or down so it does not run off the territory's ends
                    half, (top, bottom) = w / 2 / scale, anchor.span
                    along = bottom - top >= 2 * half
                    at = QPointF(at.x(), min(max(at.y(), top + half), bottom - half))
                if not across and not along:
                    continue  # no room at this zoom: zoom in to read it
                centre = transform.map(at)
                bw, bh = (w, h) if across else (h, w)
                box = QRectF(centre.x() - bw / 2, centre.y() - bh / 2, bw, bh)
                if placed.hits(box):
                    continue
                seen = named.setdefault(id(piece), [])
                if any((centre - other).manhattanLength() < REPEAT_PX for other in seen):
                    continue
                seen.append(centre)
                placed.add(box.adjusted(-2, -1, 2, 1))
                self._draw_label(painter, piece, centre, across)
        painter.restore()

    def _draw_label(self, painter: QPainter, piece: Piece, centre: QPointF, across: bool) -> None:
        path = _text_path(piece.label)
        painter.save()
        painter.translate(centre)
        if not across:
            painter.rotate(-90)  # along a limb, read from below
        painter.setPen(QPen(QColor(255, 255, 255, 225), 3.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(QColor(piece.color).darker(170)))
        painter.drawPath(path)
        painter.restore()
        self.labels_drawn.append(piece.label)


class NerveLayer(SceneLayer[NerveLayerItem]):
    """Keeps one :class:`NerveLayerItem` per shown view in the canvas's scene, whatever the layout."""

    def __init__(self, canvas: ChartCanvas, atlas: Callable[[], NerveAtlas]) -> None:
        super().__init__(canvas)
        self._atlas = atlas
        self.kind = "none"
        self._pieces: dict[tuple[str, str], list[Piece]] = {}
        canvas.describe_at.append(self.describe)

    def set_kind(self, kind: str) -> None:
        """Show a layer of :data:`LAYERS` ("none" hides it)."""
        self.kind = kind if kind in LAYERS else "none"
        self.sync()

    def pieces(self, view: str) -> list[Piece]:
        key = (self.kind, view)
        if key not in self._pieces:
            self._pieces[key] = build_pieces(self._atlas(), self.kind, view) if self.kind != "none" else []
        return self._pieces[key]

    def make_items(self, scene: ChartScene) -> list[NerveLayerItem]:
        if self.kind == "none":
            return []
        return [NerveLayerItem(scene, view, pieces) for view in scene.placed if (pieces := self.pieces(view))]

    def describe(self, view: str, x: float, y: float) -> str:
        """The territories of the layer under a chart point, for the status bar ("" when none)."""
        if self.kind == "none":
            return ""
        point = shapely.Point(x, y)
        names = list(dict.fromkeys(p.name for p in self.pieces(view) if p.geometry.contains(point)))
        return ", ".join(names)


__all__ = [
    "LAYERS",
    "Anchor",
    "NerveLayer",
    "NerveLayerItem",
    "Piece",
    "anchors_for",
    "build_pieces",
    "short_name",
    "territories",
]
