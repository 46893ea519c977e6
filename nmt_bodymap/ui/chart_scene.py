"""The chart as a QGraphicsScene: view SVGs side by side, in millimetres.

Each chart view is a vector backdrop (QGraphicsSvgItem) placed at an offset
in one scene, so marks and zones drawn above it use chart millimetres plus
that offset. :class:`ChartScene` converts between scene points and
(view, x, y) chart coordinates, and knows where the body parts the canvas
can zoom to (head, hands, feet) are.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPen
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtSvgWidgets import QGraphicsSvgItem
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QGraphicsSimpleTextItem

from nmt_bodymap.chart import VIEW_TITLES, Chart

#: Layouts the app offers: rows of views side by side.
LAYOUT_ROWS: dict[str, tuple[tuple[str, ...], ...]] = {
    "front-back": (("anterior", "posterior"),),
    "sides": (("right-lateral", "left-lateral"),),
    "soles": (("plantar",),),
    "all": (("anterior", "posterior", "right-lateral", "left-lateral"), ("plantar",)),
}
#: The views of each layout, in order.
LAYOUTS: dict[str, tuple[str, ...]] = {name: sum(rows, ()) for name, rows in LAYOUT_ROWS.items()}
GAP_MM = 40.0
ROW_GAP_MM = 90.0
TITLE_GAP_MM = 24.0
PLANTAR_SCALE = 3.0  # the soles are small: show them larger

#: Body parts the canvas zooms to, as chart region names (the same in every view that shows them).
BODY_PARTS: dict[str, tuple[str, ...]] = {
    "head": (
        "scalp",
        "forehead",
        "temple",
        "eye",
        "ear",
        "nose",
        "cheek",
        "mouth",
        "jaw",
        "chin",
        "occiput",
        "mastoid",
        "suboccipital",
        "neck-front",
        "neck-side",
        "neck-back",
    ),
    "hands": (
        "palm",
        "thenar",
        "hypothenar",
        "thumb",
        "thumb-palmar",
        "thumb-dorsal",
        "hand-dorsal",
        "hand-radial",
        "wrist-volar",
        "wrist-dorsal",
        "wrist-radial",
        "finger-index-palmar",
        "finger-middle-palmar",
        "finger-ring-palmar",
        "finger-little-palmar",
        "finger-index-dorsal",
        "finger-middle-dorsal",
        "finger-ring-dorsal",
        "finger-little-dorsal",
    ),
    "feet": (
        "foot-dorsum",
        "foot-lateral",
        "toe-big",
        "toes-lesser",
        "ankle-anterior",
        "ankle-lateral",
        "ankle-medial",
        "achilles",
        "heel",
        "arch",
        "ball-medial",
        "ball-lateral",
        "sole-lateral",
        "toe-second",
        "toe-third",
        "toe-fourth",
        "toe-fifth",
    ),
}
BODY_PART_TITLES = {"head": "Head and neck", "hands": "Hands", "feet": "Feet"}


@dataclass
class Placed:
    view: str
    offset: QPointF
    rect: QRectF  # the view's box in scene coordinates
    item: QGraphicsSvgItem


class ChartScene(QGraphicsScene):
    """Views of the chart laid out in rows; z-order: backdrop < marks < zones."""

    def __init__(self, chart: Chart, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.chart = chart
        self._renderers: dict[str, QSvgRenderer] = {}
        self.placed: dict[str, Placed] = {}
        self.titles: list[QGraphicsSimpleTextItem] = []
        self.layout_name = ""
        #: Everything drawn (views and their titles), without margins.
        self.content_rect = QRectF()

    def renderer(self, view: str) -> QSvgRenderer:
        if view not in self._renderers:
            self._renderers[view] = QSvgRenderer(str(self.chart.view(view).svg_path), self)
        return self._renderers[view]

    def set_layout(self, name: str) -> None:
        """Show the views of ``name`` (see :data:`LAYOUT_ROWS`), clearing overlays."""
        self.set_rows(LAYOUT_ROWS[name])
        self.layout_name = name

    def set_views(self, views: tuple[str, ...] | list[str]) -> None:
        """Show these views side by side, clearing overlays."""
        self.set_rows((tuple(views),))

    def set_rows(self, rows: tuple[tuple[str, ...], ...]) -> None:
        """Show rows of views, each row centred under the first, clearing overlays."""
        self.clear()
        self.placed.clear()
        self.titles = []
        self.layout_name = ""
        widths = [sum(self._size(v)[0] for v in row) + GAP_MM * (len(row) - 1) for row in rows]
        full = max(widths, default=0.0)
        y = 0.0
        for row, width in zip(rows, widths, strict=True):
            x = (full - width) / 2
            row_h = 0.0
            for view in row:
                w, h = self._place(view, x, y)
                x += w + GAP_MM
                row_h = max(row_h, h)
            y += row_h + ROW_GAP_MM
        bounds = self.itemsBoundingRect()
        self.content_rect = bounds
        margin = bounds.adjusted(-20, -20, 20, 20)
        self.setSceneRect(margin)
        frame = self.addRect(margin, QPen(Qt.PenStyle.NoPen))
        frame.setZValue(-10)

    def _size(self, view: str) -> tuple[float, float]:
        _vx, _vy, vw, vh = self.chart.view(view).viewbox
        scale = PLANTAR_SCALE if view == "plantar" else 1.0
        return vw * scale, vh * scale

    def _place(self, view: str, x: float, y: float) -> tuple[float, float]:
        vx, vy, vw, vh = self.chart.view(view).viewbox
        scale = PLANTAR_SCALE if view == "plantar" else 1.0
        item = QGraphicsSvgItem()
        item.setSharedRenderer(self.renderer(view))
        # the backdrop is static: cache it at screen resolution (exports do not use this scene)
        item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        item.setScale(scale)
        item.setPos(x, y)
        item.setZValue(0)
        self.addItem(item)
        title_font = QFont()
        title_font.setPointSizeF(22)
        title_font.setBold(True)
        title = QGraphicsSimpleTextItem(VIEW_TITLES[view])
        title.setFont(title_font)
        title.setBrush(self.title_color())
        br = title.boundingRect()
        title.setPos(x + (vw * scale - br.width()) / 2, y - TITLE_GAP_MM - br.height())
        self.addItem(title)
        self.titles.append(title)
        offset = QPointF(x - vx * scale, y - vy * scale)
        self.placed[view] = Placed(view, offset, QRectF(x, y, vw * scale, vh * scale), item)
        return vw * scale, vh * scale

    def refresh_theme(self) -> None:
        for title in self.titles:
            title.setBrush(self.title_color())

    @staticmethod
    def title_color() -> QColor:
        """Muted text that reads on both light and dark window themes."""
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            from nmt_bodymap.ui.theme import muted_color

            return muted_color(app.palette())
        return QColor("#4b5159")

    def scale_of(self, view: str) -> float:
        return self.placed[view].item.scale()

    def to_scene(self, view: str, x: float, y: float) -> QPointF:
        p = self.placed[view]
        s = p.item.scale()
        return QPointF(p.offset.x() + x * s, p.offset.y() + y * s)

    def rect_to_scene(self, view: str, rect: QRectF) -> QRectF:
        return QRectF(self.to_scene(view, rect.left(), rect.top()), self.to_scene(view, rect.right(), rect.bottom()))

    def from_scene(self, point: QPointF) -> tuple[str, float, float] | None:
        """The view under a scene point and the chart coordinates there."""
        for view, p in self.placed.items():
            if p.rect.contains(point):
                s = p.item.scale()
                return view, (point.x() - p.offset.x()) / s, (point.y() - p.offset.y()) / s
        return None

    def part_rects(self, part: str) -> list[tuple[str, str, QRectF]]:
        """Where a body part of :data:`BODY_PARTS` is, as (view, side, scene rect), in reading order.

        A part whose sides lie close together (the head, the feet) is one
        rect per view; the hands are one rect per hand.
        """
        names = set(BODY_PARTS[part])
        found: list[tuple[str, str, QRectF]] = []
        for view in self.placed:
            regions = [r for r in self.chart.view(view).regions.values() if r.name in names]
            if not regions:
                continue
            groups: dict[str, list[tuple[float, float, float, float]]] = {}
            for r in regions:
                side = r.side if part == "hands" else "both"
                groups.setdefault(side, []).append(r.geometry.bounds)
            for side, boxes in sorted(groups.items(), key=lambda kv: min(b[0] for b in kv[1])):
                rect = QRectF(
                    QPointF(min(b[0] for b in boxes), min(b[1] for b in boxes)),
                    QPointF(max(b[2] for b in boxes), max(b[3] for b in boxes)),
                )
                found.append((view, side, self.rect_to_scene(view, rect)))
        return found
