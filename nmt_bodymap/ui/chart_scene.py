"""The chart as a QGraphicsScene: view SVGs side by side, in millimetres.

Each chart view is a vector backdrop (QGraphicsSvgItem) placed at an offset
in one scene, so marks and zones drawn above it use chart millimetres plus
that offset. :class:`ChartScene` converts between scene points and
(view, x, y) chart coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette, QPen
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtSvgWidgets import QGraphicsSvgItem
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QGraphicsSimpleTextItem

from nmt_bodymap.chart import VIEW_TITLES, Chart

#: Layouts the app offers: which views stand side by side.
LAYOUTS: dict[str, tuple[str, ...]] = {
    "front-back": ("anterior", "posterior"),
    "sides": ("right-lateral", "left-lateral"),
    "soles": ("plantar",),
    "all": ("anterior", "posterior", "right-lateral", "left-lateral"),
}
GAP_MM = 40.0
TITLE_GAP_MM = 24.0


@dataclass
class Placed:
    view: str
    offset: QPointF
    rect: QRectF  # the view's box in scene coordinates
    item: QGraphicsSvgItem


class ChartScene(QGraphicsScene):
    """Views of the chart laid out side by side; z-order: backdrop < marks < zones."""

    def __init__(self, chart: Chart, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.chart = chart
        self._renderers: dict[str, QSvgRenderer] = {}
        self.placed: dict[str, Placed] = {}
        self.layout_name = ""

    def renderer(self, view: str) -> QSvgRenderer:
        if view not in self._renderers:
            self._renderers[view] = QSvgRenderer(str(self.chart.view(view).svg_path), self)
        return self._renderers[view]

    def set_layout(self, name: str) -> None:
        """Show the views of ``name`` (see :data:`LAYOUTS`), clearing overlays."""
        self.set_views(LAYOUTS[name])
        self.layout_name = name

    def set_views(self, views: tuple[str, ...] | list[str]) -> None:
        """Show these views side by side, clearing overlays."""
        self.clear()
        self.placed.clear()
        self.layout_name = ""
        x = 0.0
        title_font = QFont()
        title_font.setPointSizeF(22)
        title_font.setBold(True)
        for view in views:
            vx, vy, vw, vh = self.chart.view(view).viewbox
            scale = 1.0 if view != "plantar" else 3.0  # soles are small: show them larger
            item = QGraphicsSvgItem()
            item.setSharedRenderer(self.renderer(view))
            # the backdrop is static: cache it at screen resolution (exports do not use this scene)
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            item.setScale(scale)
            item.setPos(x, 0)
            item.setZValue(0)
            self.addItem(item)
            offset = QPointF(x - vx * scale, -vy * scale)
            rect = QRectF(x, 0, vw * scale, vh * scale)
            title = QGraphicsSimpleTextItem(VIEW_TITLES[view])
            title.setFont(title_font)
            title.setBrush(self.title_color())
            br = title.boundingRect()
            title.setPos(x + (vw * scale - br.width()) / 2, -TITLE_GAP_MM - br.height())
            self.addItem(title)
            self.placed[view] = Placed(view, offset, rect, item)
            x += vw * scale + GAP_MM
        bounds = self.itemsBoundingRect().adjusted(-20, -20, 20, 20)
        self.setSceneRect(bounds)
        frame = self.addRect(bounds, QPen(Qt.PenStyle.NoPen))
        frame.setZValue(-10)

    @staticmethod
    def title_color() -> QColor:
        """Muted text that reads on both light and dark window themes."""
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            text = app.palette().color(QPalette.ColorRole.WindowText)
            return QColor(text.red(), text.green(), text.blue(), 170)
        return QColor("#4b5159")

    def scale_of(self, view: str) -> float:
        return self.placed[view].item.scale()

    def to_scene(self, view: str, x: float, y: float) -> QPointF:
        p = self.placed[view]
        s = p.item.scale()
        return QPointF(p.offset.x() + x * s, p.offset.y() + y * s)

    def from_scene(self, point: QPointF) -> tuple[str, float, float] | None:
        """The view under a scene point and the chart coordinates there."""
        for view, p in self.placed.items():
            if p.rect.contains(point):
                s = p.item.scale()
                return view, (point.x() - p.offset.x()) / s, (point.y() - p.offset.y()) / s
        return None
