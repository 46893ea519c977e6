"""The chart the therapist draws on: tools, marks, patterns, palpation from the chart.

A :class:`ZoomableView` over :class:`ChartScene`: the chart SVGs are the
backdrop, pain marks and referral patterns are vector items above them, in
chart millimetres. Tools: point (a click adds a disc), brush (drag paints),
region (a click fills the chart region under it) and eraser (drag erases,
a click on a mark deletes it). A double-click zooms in there. While a
trigger point's pattern is shown, a click on its X offers the palpation
findings. Zoom, pan and the R and L badges are :class:`ZoomableView`'s.
"""

from __future__ import annotations

from enum import Enum

import shapely
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QCursor, QKeyEvent, QMouseEvent, QPainter
from PySide6.QtWidgets import QGraphicsView, QMenu, QWidget
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from nmt_bodymap.atlas import SidedTriggerPoint
from nmt_bodymap.session import PainMark, disc_mark, erase, region_mark, stroke_mark
from nmt_bodymap.ui.chart_items import CursorItem, MarkItem, PatternItem, ShadeItem
from nmt_bodymap.ui.chart_navigation import ZoomableView
from nmt_bodymap.ui.chart_scene import LAYOUTS, ChartScene
from nmt_bodymap.ui.finding_menu import finding_menu
from nmt_bodymap.ui.model import SessionModel, trigger_point_title

CLICK_SLOP_PX = 4  # a press and release closer than this is a click, not a stroke
TRP_HIT_PX = 12  # a click this close to a shown trigger point's X opens its findings
DOUBLE_CLICK_ZOOM = 2.5


class Tool(Enum):
    POINT = "point"
    BRUSH = "brush"
    REGION = "region"
    ERASER = "eraser"


class ChartCanvas(ZoomableView):
    """The drawing surface. Listens to the model; changes it only through its methods."""

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
        self._press_pos: QPointF | None = None
        self._click_undo_index = -1  # the undo index a single click left, withdrawn if it was a double-click
        self._panning: QPointF | None = None
        self._space = False
        self._cursor = CursorItem()
        #: The palpation menu of the trigger point last clicked on the chart (kept for tests and a11y).
        self.finding_menu: QMenu | None = None
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Body chart")
        self.set_layout("front-back")
        self.zoomChanged.connect(lambda _z: self._update_cursor_item())
        model.marksChanged.connect(self.sync_marks)
        model.previewChanged.connect(self._show_preview)
        model.resultChanged.connect(self._result_changed)

    # -- layout --------------------------------------------------------------------

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
        self._user_zoomed = False
        self.fit()

    def refresh_theme(self) -> None:
        self._scene.refresh_theme()
        self.viewport().update()

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

    def mark_at(self, view: str, x: float, y: float) -> PainMark | None:
        """The topmost mark under a chart point (within a screen pixel or two), or None."""
        tolerance = 2.0 / max(self.zoom() * self._scene.scale_of(view), 1e-6)
        point = Point(x, y)
        for mark in reversed(self.model.session.marks):
            if mark.view == view and mark.geometry.distance(point) <= tolerance:
                return mark
        return None

    # -- patterns and shading ----------------------------------------------------

    def show_pattern(self, sided: SidedTriggerPoint | None) -> None:
        """Draw a trigger point's X and zones in every shown view (None clears)."""
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

    @property
    def pattern(self) -> SidedTriggerPoint | None:
        return self._pattern

    def trp_under(self, pos: QPointF) -> SidedTriggerPoint | None:
        """The shown trigger point whose X is under a viewport position."""
        if self._pattern is None:
            return None
        for view, point in self._pattern.points.items():
            if view in self._scene.placed:
                at = self.viewport_point(view, point.x, point.y)
                if (at - pos).manhattanLength() <= TRP_HIT_PX * 1.4:
                    return self._pattern
        return None

    def open_finding_menu(self, sided: SidedTriggerPoint, global_pos: QPoint) -> QMenu:
        """The palpation findings of a trigger point, as a menu at ``global_pos``."""
        menu = finding_menu(self.model, sided.key, self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.finding_menu = menu
        menu.popup(global_pos)
        return menu

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
        self._cursor.pixel = 1.0 / max(self.zoom(), 1e-6)
        self._cursor.eraser = self.tool == Tool.ERASER
        self._cursor.setVisible(self.interactive and self.tool != Tool.REGION and hit is not None)
        self._cursor.update()

    def chart_point(self, pos: QPointF) -> tuple[str, float, float] | None:
        """The view and chart millimetres under a viewport position."""
        return self._scene.from_scene(self._scene_at(pos))

    def viewport_point(self, view: str, x: float, y: float) -> QPointF:
        """Where chart millimetres of ``view`` are in the viewport (for tests and tools)."""
        return self.viewportTransform().map(self._scene.to_scene(view, x, y))

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
        self._click_undo_index = -1
        sided = self.trp_under(pos)
        if sided is not None:
            self.open_finding_menu(sided, event.globalPosition().toPoint())
            return
        hit = self.chart_point(pos)
        if hit is None:
            return
        self._press_pos = pos
        view, x, y = hit
        chart = self.model.chart
        if self.tool == Tool.POINT:
            if chart.view(view).contains(x, y):
                mark = disc_mark(
                    chart, self.model.next_mark_id(), view, x, y, self.size_mm, self.quality, self.intensity
                )
                self.model.add_mark(mark)
                self._click_undo_index = self.model.undo_stack.index()
        elif self.tool == Tool.REGION:
            region = chart.view(view).region_at(x, y)
            if region is not None:
                mark = region_mark(chart, self.model.next_mark_id(), view, region.id, self.quality, self.intensity)
                self.model.add_mark(mark)
                self._click_undo_index = self.model.undo_stack.index()
                self.statusMessage.emit(f"Filled {region.name.replace('-', ' ')} ({region.side})")
        else:
            self._stroke = [(x, y)]
            self._stroke_view = view
            self._update_stroke()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        """Zoom in where the double-click is; the first click's mark (if any) is taken back."""
        if event.button() != Qt.MouseButton.LeftButton or self._space:
            return super().mouseDoubleClickEvent(event)
        if self._click_undo_index >= 0:
            self.model.withdraw_last(self._click_undo_index)
            self._click_undo_index = -1
        self._stroke, self._stroke_view = [], None
        self.model.set_preview(None)
        self._show_preview(None)
        self.zoom_by(DOUBLE_CLICK_ZOOM, event.position())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        if self._panning is not None:
            delta = pos - self._panning
            self._panning = pos
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - round(delta.x()))
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - round(delta.y()))
            return
        scene_pos = self._scene_at(pos)
        self._update_cursor_item(scene_pos)
        hit = self._scene.from_scene(scene_pos)
        if hit is not None and not self._stroke:
            if self.trp_under(pos) is not None and self._pattern is not None:
                self.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
                self.statusMessage.emit(f"Click to record palpation of {trigger_point_title(self._pattern)}")
            else:
                if not self._space:
                    self.viewport().unsetCursor()
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
            moved = self._press_pos is not None and (event.position() - self._press_pos).manhattanLength()
            before = self.model.undo_stack.index()
            self._finish_stroke(is_click=not moved or moved < CLICK_SLOP_PX)
            # only a change this click made is taken back by a double-click, never an earlier one
            after = self.model.undo_stack.index()
            self._click_undo_index = after if after != before else -1
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            return
        if self.pan_key(event):
            return
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.interactive:
            self.delete_mark_under_pointer()
            return
        super().keyPressEvent(event)

    def delete_mark_under_pointer(self) -> bool:
        """Delete the mark under the mouse pointer (Delete key); True if one was deleted."""
        pos = self.viewport().mapFromGlobal(QCursor.pos())
        hit = self.chart_point(QPointF(pos)) if self.viewport().rect().contains(pos) else None
        target = self.mark_at(*hit) if hit is not None else None
        if target is None:
            self.statusMessage.emit("Point at a mark to delete it")
            return False
        self.model.delete_marks([target])
        self.statusMessage.emit("Deleted the mark (Ctrl+Z brings it back)")
        return True

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = False
            self.viewport().unsetCursor()
            return
        super().keyReleaseEvent(event)

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
        elif len(self._stroke) > 1:  # eraser: show what will go
            geom = shapely.intersection(self._stroke_geometry(), self.model.chart.view(self._stroke_view).silhouette)
            ghost = PainMark("eraser", self._stroke_view, "brush", "aching", 0, geom)
            self._show_preview(ghost)

    def _finish_stroke(self, is_click: bool = False) -> None:
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
            return
        self._show_preview(None)
        if is_click:  # a click on a mark deletes it whole
            target = self.mark_at(view, *points[0])
            if target is not None:
                self.model.delete_marks([target])
                self.statusMessage.emit("Deleted the mark (Ctrl+Z brings it back)")
            return
        line = Point(points[0]) if len(points) == 1 else LineString(points)
        eraser = line.buffer(self.size_mm / 2, quad_segs=8)
        before = [m for m in self.model.session.marks if m.view == view and m.geometry.intersects(eraser)]
        after = [rest for m in before if (rest := erase(m, eraser)) is not None]
        if before:
            self.model.replace_marks(before, after, "Erase")


__all__ = ["LAYOUTS", "ChartCanvas", "Tool"]
