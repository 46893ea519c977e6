"""What the canvas draws above the chart: pain marks, patterns, shading, the tool's outline.

Each item paints in one view's chart millimetres; placed in a
:class:`ChartScene` it takes that view's offset and scale.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget
from shapely.geometry.base import BaseGeometry

from nmt_bodymap.atlas import SidedTriggerPoint
from nmt_bodymap.render.marks import QUALITY_HATCH, draw_mark, hatch_path
from nmt_bodymap.render.paths import geometry_path
from nmt_bodymap.render.zones import draw_essential, draw_spillover, draw_trp_x
from nmt_bodymap.session import PainMark
from nmt_bodymap.ui.chart_scene import ChartScene

Z_MARKS, Z_PREVIEW, Z_UNEXPLAINED, Z_PATTERN, Z_CURSOR = 10, 11, 12, 20, 30
TRP_X_SIZE_MM = 7.0


class GeometryItem(QGraphicsItem):
    """Draws something in one view's chart millimetres.

    Placed over that view in a :class:`ChartScene` (``scene``), or, with
    ``scene=None``, at the caller's position (the atlas browser's panes).
    """

    def __init__(self, scene: ChartScene | None, view: str, bounds: QRectF) -> None:
        super().__init__()
        if scene is not None:
            placed = scene.placed[view]
            self.setPos(placed.offset)
            self.setScale(placed.item.scale())
        self._bounds = bounds.adjusted(-8, -8, 8, 8)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def boundingRect(self) -> QRectF:
        return self._bounds


def geometry_bounds(geoms: list[BaseGeometry], points: Sequence[tuple[float, float]] = ()) -> QRectF:
    boxes = [g.bounds for g in geoms if not g.is_empty] + [(x, y, x, y) for x, y in points]
    if not boxes:
        return QRectF()
    minx = min(b[0] for b in boxes)
    miny = min(b[1] for b in boxes)
    maxx = max(b[2] for b in boxes)
    maxy = max(b[3] for b in boxes)
    return QRectF(minx, miny, maxx - minx, maxy - miny)


class MarkItem(GeometryItem):
    """A pain mark; a dotted hatch paints only the dots in the exposed rect."""

    def __init__(self, scene: ChartScene | None, mark: PainMark, preview: bool = False) -> None:
        super().__init__(scene, mark.view, geometry_bounds([mark.geometry]))
        self.mark = mark
        self.preview = preview
        #: Paint only the dots in the exposed rect (False: every dot, the whole hatch path; for benchmarks).
        self.cull_hatch = True
        dotted = QUALITY_HATCH[mark.quality][2] == "dots"
        self.paths = (geometry_path(mark.geometry), None if dotted else hatch_path(mark.geometry, mark.quality))
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)  # a real exposedRect
        self.setZValue(Z_PREVIEW if preview else Z_MARKS)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        visible = option.exposedRect if self.cull_hatch else None
        draw_mark(painter, self.mark, paths=self.paths, visible=visible)


class PatternItem(GeometryItem):
    """A trigger point's pattern in one view: spillover stippled, essential solid, TrP as X."""

    def __init__(self, scene: ChartScene | None, view: str, sided: SidedTriggerPoint) -> None:
        geoms = [g for g in (sided.essential.get(view), sided.spillover.get(view)) if g is not None]
        point = sided.points.get(view)
        super().__init__(scene, view, geometry_bounds(geoms, [(point.x, point.y)] if point else []))
        self.sided, self.view = sided, view
        self.setZValue(Z_PATTERN)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.view in self.sided.spillover:
            draw_spillover(painter, self.sided.spillover[self.view])
        if self.view in self.sided.essential:
            draw_essential(painter, self.sided.essential[self.view], alpha=0.55)
        if self.view in self.sided.points:
            p = self.sided.points[self.view]
            draw_trp_x(painter, p.x, p.y, size=TRP_X_SIZE_MM)


class ShadeItem(GeometryItem):
    """Pain that no candidate explains: grey diagonal shading with an outline."""

    def __init__(self, scene: ChartScene, view: str, geom: BaseGeometry) -> None:
        super().__init__(scene, view, geometry_bounds([geom]))
        self.path = geometry_path(geom)
        self.setZValue(Z_UNEXPLAINED)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        brush = QBrush(QColor(40, 40, 48, 150), Qt.BrushStyle.BDiagPattern)
        brush.setTransform(painter.worldTransform().inverted()[0])
        painter.setPen(QPen(QColor(30, 30, 36), 1.2, Qt.PenStyle.DashLine))
        painter.setBrush(brush)
        painter.drawPath(self.path)


class CursorItem(QGraphicsItem):
    """The outline of the point, brush or eraser under the mouse."""

    def __init__(self) -> None:
        super().__init__()
        self.radius = 10.0
        self.eraser = False
        #: Scene units per screen pixel, so the bounds cover the antialiased outline at any zoom.
        self.pixel = 1.0
        self.setZValue(Z_CURSOR)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def boundingRect(self) -> QRectF:
        r = self.radius + 3 * self.pixel
        return QRectF(-r, -r, 2 * r, 2 * r)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        halo = QPen(QColor(255, 255, 255, 200), 3)  # so the outline shows on the figure and on a dark window
        halo.setCosmetic(True)
        painter.setPen(halo)
        painter.drawEllipse(QPointF(0, 0), self.radius, self.radius)
        pen = QPen(QColor("#444a52") if not self.eraser else QColor("#b00020"), 1.2)
        pen.setCosmetic(True)
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawEllipse(QPointF(0, 0), self.radius, self.radius)


__all__ = ["CursorItem", "GeometryItem", "MarkItem", "PatternItem", "ShadeItem", "geometry_bounds"]
