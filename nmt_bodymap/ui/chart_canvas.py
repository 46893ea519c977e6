"""The chart the therapist draws on: tools, zoom and pan, marks and patterns.

A QGraphicsView over :class:`ChartScene`: the chart SVGs are the backdrop,
pain marks and referral patterns are vector items above them, in chart
millimetres. Tools: point (a click adds a disc), brush (drag paints), region
(a click fills the chart region under it) and eraser. The R and L badges of
a view slide along the window edge when the view's own badges scroll out of
sight, so the sides are never in doubt.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

import shapely
from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QNativeGestureEvent,
    QPainter,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGestureEvent,
    QGraphicsItem,
    QGraphicsView,
    QPinchGesture,
    QStyleOptionGraphicsItem,
    QWidget,
)
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from nmt_bodymap.atlas import SidedTriggerPoint
from nmt_bodymap.render.marks import draw_mark, mark_paths
from nmt_bodymap.render.paths import geometry_path
from nmt_bodymap.render.zones import draw_essential, draw_spillover, draw_trp_x
from nmt_bodymap.session import PainMark, disc_mark, erase, region_mark, stroke_mark
from nmt_bodymap.ui.chart_scene import LAYOUTS, ChartScene
from nmt_bodymap.ui.model import SessionModel

Z_MARKS, Z_PREVIEW, Z_UNEXPLAINED, Z_PATTERN, Z_CURSOR = 10, 11, 12, 20, 30


class Tool(Enum):
    POINT = "point"
    BRUSH = "brush"
    REGION = "region"
    ERASER = "eraser"


class _GeometryItem(QGraphicsItem):
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


def _bounds(geoms: list[BaseGeometry], points: Sequence[tuple[float, float]] = ()) -> QRectF:
    boxes = [g.bounds for g in geoms if not g.is_empty] + [(x, y, x, y) for x, y in points]
    if not boxes:
        return QRectF()
    minx = min(b[0] for b in boxes)
    miny = min(b[1] for b in boxes)
    maxx = max(b[2] for b in boxes)
    maxy = max(b[3] for b in boxes)
    return QRectF(minx, miny, maxx - minx, maxy - miny)


class MarkItem(_GeometryItem):
    def __init__(self, scene: ChartScene, mark: PainMark, preview: bool = False) -> None:
        super().__init__(scene, mark.view, _bounds([mark.geometry]))
        self.mark = mark
        self.preview = preview
        self.paths = mark_paths(mark)
        self.setZValue(Z_PREVIEW if preview else Z_MARKS)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        draw_mark(painter, self.mark, paths=self.paths)


class PatternItem(_GeometryItem):
    """A candidate's pattern in one view: spillover stippled, essential solid, TrP as X."""

    def __init__(self, scene: ChartScene | None, view: str, sided: SidedTriggerPoint) -> None:
        geoms = [g for g in (sided.essential.get(view), sided.spillover.get(view)) if g is not None]
        point = sided.points.get(view)
        super().__init__(scene, view, _bounds(geoms, [(point.x, point.y)] if point else []))
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
            draw_trp_x(painter, p.x, p.y, size=7)


class ShadeItem(_GeometryItem):
    """Pain that no candidate explains: grey diagonal shading with an outline."""

    def __init__(self, scene: ChartScene, view: str, geom: BaseGeometry) -> None:
        super().__init__(scene, view, _bounds([geom]))
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
        self.setZValue(Z_CURSOR)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def boundingRect(self) -> QRectF:
        r = self.radius + 2
        return QRectF(-r, -r, 2 * r, 2 * r)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        color = QColor("#444a52") if not self.eraser else QColor("#b00020")
        pen = QPen(color, 0)
        pen.setCosmetic(True)
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(QPointF(0, 0), self.radius, self.radius)


class ChartCanvas(QGraphicsView):
    """The drawing surface. Listens to the model; changes it only through its methods."""

    zoomChanged = Signal(float)
    statusMessage = Signal(str)
    layoutChanged = Signal(str)  # the scene was rebuilt for another layout (layers add their items again)

    MIN_ZOOM, MAX_ZOOM = 0.15, 40.0

    def __init__(self, model: SessionModel, parent: QWidget | None = None, interactive: bool = True) -> None:
        super().__init__(parent)
        self.model = model
        self._scene = ChartScene(model.chart, self)  # keep a reference: the view does not own it
        self.setScene(self._scene)
        self.interactive = interactive
        self.tool = Tool.POINT
        self.quality = "aching"
        self.intensity = 5
        self.size_mm = 30.0
        self.show_unexplained = False
        self._mark_items: dict[str, MarkItem] = {}
        self._preview_item: MarkItem | None = None
        self._pattern_items: list[PatternItem] = []
        self._shade_items: list[ShadeItem] = []
        self._pattern: SidedTriggerPoint | None = None
        self._stroke: list[tuple[float, float]] = []
        self._stroke_view: str | None = None
        self._panning: QPointF | None = None
        self._space = False
        self._cursor = CursorItem()
        self._user_zoomed = False
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().grabGesture(Qt.GestureType.PinchGesture)
        self.setAccessibleName("Body chart")
        self.set_layout("front-back")
        model.marksChanged.connect(self.sync_marks)
        model.previewChanged.connect(self._show_preview)
        model.resultChanged.connect(self._result_changed)

    # -- layout and zoom ---------------------------------------------------------

    @property
    def layout_name(self) -> str:
        return self._scene.layout_name

    def set_layout(self, name: str) -> None:
        self._pattern_items.clear()
        self._shade_items.clear()
        self._mark_items.clear()
        self._preview_item = None
        self._cursor = CursorItem()
        self._scene.set_layout(name)
        self._scene.addItem(self._cursor)
        self._cursor.hide()
        self.sync_marks()
        if self._pattern is not None:
            self.show_pattern(self._pattern)
        self._update_shading()
        self.layoutChanged.emit(name)
        self.fit()

    def fit(self) -> None:
        self.resetTransform()
        self.fitInView(self._scene.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
        self.zoomChanged.emit(self.zoom())

    def zoom(self) -> float:
        return self.transform().m11()

    def zoom_by(self, factor: float, anchor: QPointF | QPoint | None = None) -> None:
        """Zoom by ``factor``, keeping the point under ``anchor`` (viewport) in place."""
        new = min(self.MAX_ZOOM, max(self.MIN_ZOOM, self.zoom() * factor))
        factor = new / self.zoom()
        self._user_zoomed = True
        if anchor is not None:
            anchor = QPointF(anchor).toPoint()
            before = self.mapToScene(anchor)
            self.scale(factor, factor)
            after = self.mapToScene(anchor)
            delta = after - before
            self.translate(delta.x(), delta.y())
        else:
            self.scale(factor, factor)
        self.zoomChanged.emit(self.zoom())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self.isVisible():
            return
        if not self._user_zoomed:
            self.fit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            super().wheelEvent(event)  # scroll
            return
        steps = event.angleDelta().y() / 120.0
        if steps:
            self._user_zoomed = True
            self.zoom_by(1.18**steps, event.position())

    def event(self, event: QEvent) -> bool:
        if isinstance(event, QNativeGestureEvent) and event.gestureType() == Qt.NativeGestureType.ZoomNativeGesture:
            self.zoom_by(1.0 + event.value(), event.position())  # trackpad pinch (macOS, Wayland)
            return True
        return super().event(event)

    def viewportEvent(self, event: QEvent) -> bool:
        if isinstance(event, QGestureEvent):
            pinch = event.gesture(Qt.GestureType.PinchGesture)
            if isinstance(pinch, QPinchGesture):  # touch screen pinch
                self.zoom_by(pinch.scaleFactor(), pinch.centerPoint())
                event.accept()
                return True
        return super().viewportEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            return
        step = 60
        moves = {
            Qt.Key.Key_Left: (-step, 0),
            Qt.Key.Key_Right: (step, 0),
            Qt.Key.Key_Up: (0, -step),
            Qt.Key.Key_Down: (0, step),
        }
        if event.key() in moves and not event.modifiers():
            dx, dy = moves[Qt.Key(event.key())]
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + dx)
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() + dy)
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = False
            self.viewport().unsetCursor()
            return
        super().keyReleaseEvent(event)

    # -- marks ---------------------------------------------------------------

    def sync_marks(self) -> None:
        """Make the mark items match the session's marks."""
        wanted = {m.id: m for m in self.model.session.marks if m.view in self._scene.placed}
        for mid in list(self._mark_items):
            item = self._mark_items[mid]
            if mid not in wanted or wanted[mid] is not item.mark:
                self._scene.removeItem(item)
                del self._mark_items[mid]
        for mid, mark in wanted.items():
            if mid not in self._mark_items and not mark.geometry.is_empty:
                item = MarkItem(self._scene, mark)
                self._scene.addItem(item)
                self._mark_items[mid] = item

    def _show_preview(self, mark: PainMark | None) -> None:
        if self._preview_item is not None:
            self._scene.removeItem(self._preview_item)
            self._preview_item = None
        if mark is not None and mark.view in self._scene.placed and not mark.geometry.is_empty:
            self._preview_item = MarkItem(self._scene, mark, preview=True)
            self._scene.addItem(self._preview_item)

    # -- patterns and shading ----------------------------------------------------

    def show_pattern(self, sided: SidedTriggerPoint | None) -> None:
        """Draw a candidate's TrP and zones in every shown view (None clears)."""
        for item in self._pattern_items:
            self._scene.removeItem(item)
        self._pattern_items.clear()
        self._pattern = sided
        if sided is None:
            return
        for view in sided.views:
            if view in self._scene.placed:
                item = PatternItem(self._scene, view, sided)
                self._scene.addItem(item)
                self._pattern_items.append(item)

    def set_show_unexplained(self, on: bool) -> None:
        self.show_unexplained = on
        self._update_shading()

    def _result_changed(self, _result: object) -> None:
        if self.show_unexplained:
            self._update_shading()

    def _update_shading(self) -> None:
        for item in self._shade_items:
            self._scene.removeItem(item)
        self._shade_items.clear()
        if not self.show_unexplained:
            return
        for view, geom in self.model.result.unexplained.items():
            if view in self._scene.placed and not geom.is_empty:
                item = ShadeItem(self._scene, view, geom)
                self._scene.addItem(item)
                self._shade_items.append(item)

    # -- tools ---------------------------------------------------------------

    def set_tool(self, tool: Tool) -> None:
        self.tool = tool
        self._update_cursor_item()

    def _update_cursor_item(self, scene_pos: QPointF | None = None) -> None:
        if scene_pos is None and not self._cursor.isVisible():
            return  # not over the chart yet: nothing to show
        if scene_pos is not None:
            self._cursor.setPos(scene_pos)
        hit = self._scene.from_scene(self._cursor.pos())
        radius = self.size_mm if self.tool == Tool.POINT else self.size_mm / 2
        scale = self._scene.scale_of(hit[0]) if hit else 1.0
        self._cursor.prepareGeometryChange()
        self._cursor.radius = radius * scale
        self._cursor.eraser = self.tool == Tool.ERASER
        self._cursor.setVisible(self.interactive and self.tool != Tool.REGION and hit is not None)
        self._cursor.update()

    def chart_point(self, pos: QPointF) -> tuple[str, float, float] | None:
        """The view and chart millimetres under a viewport position."""
        return self._scene.from_scene(self.mapToScene(pos.toPoint()))

    def viewport_point(self, view: str, x: float, y: float) -> QPointF:
        """Where chart millimetres of ``view`` are in the viewport (for tests and tools)."""
        return QPointF(self.mapFromScene(self._scene.to_scene(view, x, y)))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        if event.button() in (Qt.MouseButton.MiddleButton, Qt.MouseButton.RightButton) or (
            event.button() == Qt.MouseButton.LeftButton and self._space
        ):
            self._panning = pos
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            return
        if not self.interactive or event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        hit = self.chart_point(pos)
        if hit is None:
            return
        view, x, y = hit
        chart = self.model.chart
        if self.tool == Tool.POINT:
            if chart.view(view).contains(x, y):
                mark = disc_mark(
                    chart, self.model.next_mark_id(), view, x, y, self.size_mm, self.quality, self.intensity
                )
                self.model.add_mark(mark)
        elif self.tool == Tool.REGION:
            region = chart.view(view).region_at(x, y)
            if region is not None:
                mark = region_mark(chart, self.model.next_mark_id(), view, region.id, self.quality, self.intensity)
                self.model.add_mark(mark)
                self.statusMessage.emit(f"Filled {region.name.replace('-', ' ')} ({region.side})")
        else:
            self._stroke = [(x, y)]
            self._stroke_view = view
            self._update_stroke()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        if self._panning is not None:
            delta = pos - self._panning
            self._panning = pos
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - int(delta.x()))
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - int(delta.y()))
            return
        scene_pos = self.mapToScene(pos.toPoint())
        self._update_cursor_item(scene_pos)
        hit = self._scene.from_scene(scene_pos)
        if hit is not None and not self._stroke:
            region = self.model.chart.view(hit[0]).region_at(hit[1], hit[2])
            if region is not None:
                self.statusMessage.emit(f"{region.name.replace('-', ' ')} ({region.side})")
        if self._stroke and hit is not None and hit[0] == self._stroke_view:
            x, y = hit[1], hit[2]
            lx, ly = self._stroke[-1]
            if (x - lx) ** 2 + (y - ly) ** 2 >= 1.5**2:
                self._stroke.append((x, y))
                self._update_stroke()
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._panning is not None:
            self._panning = None
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor if self._space else Qt.CursorShape.ArrowCursor)
            return
        if self._stroke and event.button() == Qt.MouseButton.LeftButton:
            self._finish_stroke()
            return
        super().mouseReleaseEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self._cursor.hide()
        super().leaveEvent(event)

    def _stroke_geometry(self) -> BaseGeometry:
        line = Point(self._stroke[0]) if len(self._stroke) == 1 else LineString(self._stroke)
        return line.buffer(self.size_mm / 2, quad_segs=8)

    def _update_stroke(self) -> None:
        assert self._stroke_view is not None
        if self.tool == Tool.BRUSH:
            mark = stroke_mark(
                self.model.chart,
                self.model.next_mark_id(),
                self._stroke_view,
                self._stroke,
                self.size_mm,
                self.quality,
                self.intensity,
            )
            self.model.set_preview(mark)
        else:  # eraser: show what will go
            geom = shapely.intersection(self._stroke_geometry(), self.model.chart.view(self._stroke_view).silhouette)
            ghost = PainMark("eraser", self._stroke_view, "brush", "aching", 0, geom)
            self._show_preview(ghost)

    def _finish_stroke(self) -> None:
        view, points = self._stroke_view, self._stroke
        self._stroke, self._stroke_view = [], None
        if view is None:
            return
        if self.tool == Tool.BRUSH:
            mark = stroke_mark(
                self.model.chart, self.model.next_mark_id(), view, points, self.size_mm, self.quality, self.intensity
            )
            if not mark.geometry.is_empty:
                self.model.add_mark(mark)
            else:
                self.model.set_preview(None)
        else:
            self._show_preview(None)
            line = Point(points[0]) if len(points) == 1 else LineString(points)
            eraser = line.buffer(self.size_mm / 2, quad_segs=8)
            before = [m for m in self.model.session.marks if m.view == view and m.geometry.intersects(eraser)]
            after = [rest for m in before if (rest := erase(m, eraser)) is not None]
            if before:
                self.model.replace_marks(before, after, "Erase")

    # -- R and L always in sight -------------------------------------------------

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        """Pin a view's R/L badge to the window edge when its own badge is out of sight."""
        viewport = QRectF(self.viewport().rect())
        painter.save()
        painter.resetTransform()
        font = QFont()
        font.setBold(True)
        font.setPixelSize(13)
        painter.setFont(font)
        for name, placed in self._scene.placed.items():
            view_rect = self.mapFromScene(placed.rect).boundingRect()
            visible = QRectF(view_rect).intersected(viewport)
            if visible.width() < 30 or visible.height() < 30:
                continue
            for letter, x, y, r in self.model.chart.view(name).side_labels:
                centre = QPointF(self.mapFromScene(self._scene.to_scene(name, x, y)))
                badge_r = r * self._scene.scale_of(name) * self.zoom()
                if visible.contains(QRectF(centre.x() - badge_r, centre.y() - badge_r, 2 * badge_r, 2 * badge_r)):
                    continue  # the view's own badge is in sight
                cx = min(max(centre.x(), visible.left() + 16), visible.right() - 16)
                cy = min(max(centre.y(), visible.top() + 16), visible.bottom() - 16)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor("#2f6690"))
                painter.drawEllipse(QPointF(cx, cy), 12, 12)
                painter.setPen(QColor("#ffffff"))
                painter.drawText(QRectF(cx - 12, cy - 12, 24, 24), Qt.AlignmentFlag.AlignCenter, letter)
        painter.restore()


__all__ = ["LAYOUTS", "ChartCanvas", "Tool"]
