"""The ghost of the last visit's drawing: a faint, read-only layer under the marks.

When a new visit starts from the last one, the therapist sees where the
client's pain was, to confirm it ("Use last visit's drawing") or draw
today's over it. The layer paints :attr:`SessionModel.ghost` in every shown
view, below today's marks and above the chart; it takes no mouse input and
is never part of the session or of an export.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from nmt_bodymap.render.marks import quality_color
from nmt_bodymap.render.paths import geometry_path
from nmt_bodymap.session import PainMark
from nmt_bodymap.ui.chart_canvas import ChartCanvas
from nmt_bodymap.ui.chart_scene import ChartScene
from nmt_bodymap.ui.model import SessionModel
from nmt_bodymap.ui.scene_layer import SceneLayer

Z_GHOST = 5  # above the chart backdrop (0), below the marks (10)
GHOST_FILL_ALPHA = 0.16
GHOST_INK = QColor(70, 74, 82, 170)


class GhostItem(QGraphicsItem):
    """One ghost mark in one view's chart millimetres."""

    def __init__(self, scene: ChartScene, mark: PainMark) -> None:
        super().__init__()
        placed = scene.placed[mark.view]
        self.setPos(placed.offset)
        self.setScale(placed.item.scale())
        self.mark = mark
        self.path = geometry_path(mark.geometry)
        self._bounds = self.path.boundingRect().adjusted(-2, -2, 2, 2)
        self.setZValue(Z_GHOST)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fill = QColor(quality_color(self.mark.quality))
        fill.setAlphaF(GHOST_FILL_ALPHA)
        pen = QPen(GHOST_INK, 1.4)
        pen.setCosmetic(True)
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(QBrush(fill))
        painter.drawPath(self.path)


class GhostLayer(SceneLayer[GhostItem]):
    """Keeps one :class:`GhostItem` per ghost mark in the canvas's scene, whatever the layout."""

    def __init__(self, model: SessionModel, canvas: ChartCanvas) -> None:
        super().__init__(canvas)
        self.model = model
        model.ghostChanged.connect(self.sync)
        self.sync()

    def make_items(self, scene: ChartScene) -> list[GhostItem]:
        return [
            GhostItem(scene, mark)
            for mark in self.model.ghost
            if mark.view in scene.placed and not mark.geometry.is_empty
        ]


__all__ = ["GhostItem", "GhostLayer"]
