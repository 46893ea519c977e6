"""The chart the therapist draws on: tools, marks, patterns, palpation from the chart.

A :class:`ZoomableView` over :class:`ChartScene`: the chart SVGs are the
backdrop, pain marks and referral patterns are vector items above them, in
chart millimetres. Tools: point (a click adds a disc), brush (drag paints),
region (a click fills the chart region under it) and eraser (drag erases,
a click on a mark deletes it). A double-click zooms in there. While a
trigger point's pattern is shown, a click on its X offers the palpation
findings. Ctrl+click selects marks; a right-click on a mark asks for its
menu (move it to another complaint, ...), a right-drag pans. Zoom, pan and
the R and L badges are :class:`ZoomableView`'s; patterns, shading, a
hovered nerve and highlighted marks are :class:`ChartOverlays`'.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPainter
from PySide6.QtWidgets import QGraphicsView, QMenu, QWidget
from shapely.geometry.base import BaseGeometry

from nmt_bodymap.atlas import SidedTriggerPoint
from nmt_bodymap.nerves import SidedNerve
from nmt_bodymap.session import PainMark, disc_mark, region_mark
from nmt_bodymap.ui.chart_editing import MarkEditing, Tool
from nmt_bodymap.ui.chart_items import CursorItem, MarkItem
from nmt_bodymap.ui.chart_overlays import ChartOverlays
from nmt_bodymap.ui.chart_scene import LAYOUTS, ChartScene
from nmt_bodymap.ui.finding_menu import finding_menu
from nmt_bodymap.ui.model import SessionModel, trigger_point_title

CLICK_SLOP_PX = 4  # a press and release closer than this is a click, not a stroke
TRP_HIT_PX = 12  # a click this close to a shown trigger point's X opens its findings
DOUBLE_CLICK_ZOOM = 2.5


class ChartCanvas(MarkEditing):
    """The drawing surface. Listens to the model; changes it only through its methods."""

    layoutChanged = Signal(str)  # the scene was rebuilt for another layout (layers add their items again)

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
        self.overlays = ChartOverlays(self._scene)
        #: Describes what lies under the pointer besides the region (the nerve layer names its territories).
        self.describe_at: list[Callable[[str, float, float], str]] = []
        self._stroke: list[tuple[float, float]] = []
        self._stroke_view: str | None = None
        self._press_pos: QPointF | None = None
        self._click_undo_index = -1  # the undo index a single click left, withdrawn if it was a double-click
        self._panning: QPointF | None = None
        self._pan_start: QPointF | None = None  # where a right-button press began (a click there opens a menu)
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
        model.sessionReplaced.connect(lambda: self.select_marks(()))  # another session: its m1 is another mark

    # -- layout --------------------------------------------------------------------

    @property
    def layout_name(self) -> str:
        return self._scene.layout_name

    def set_layout(self, name: str) -> None:
        self._mark_items.clear()
        self._preview_item = None
        self._cursor = CursorItem()
        self._scene.set_layout(name)
        self._scene.addItem(self._cursor)
        self._cursor.hide()
        self.sync_marks()
        self.overlays.rebuilt(self.model.session.marks, self._unexplained())
        self._user_zoomed = False
        self.layoutChanged.emit(name)
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
        selected = self.overlays.selected
        self.overlays.sync_highlights(self.model.session.marks)
        if self.overlays.selected != selected:
            self.selectionChanged.emit(self.overlays.selected)

    def _show_preview(self, mark: PainMark | None) -> None:
        if self._preview_item is not None:
            self._scene.removeItem(self._preview_item)
            self._preview_item = None
        if mark is not None and mark.view in self._scene.placed and not mark.geometry.is_empty:
            self._preview_item = MarkItem(self._scene, mark, preview=True)
            self._scene.addItem(self._preview_item)

    # -- patterns, shading, nerves, highlights (ChartOverlays) ---------------------

    def show_pattern(self, sided: SidedTriggerPoint | None) -> None:
        """Draw a trigger point's X and zones in every shown view (None clears)."""
        self.overlays.show_pattern(sided)

    @property
    def pattern(self) -> SidedTriggerPoint | None:
        return self.overlays.pattern

    def show_nerves(self, nerves: list[SidedNerve]) -> None:
        """Draw nerves' territories and entrapment sites (hovering a nerve in the results); [] clears."""
        self.overlays.show_nerves(nerves)

    def highlight_marks(self, mark_ids: tuple[str, ...] | list[str] | None) -> None:
        """Outline these marks (a hovered complaint's); None or () clears."""
        self.overlays.set_highlighted(mark_ids or (), self.model.session.marks)

    def trp_under(self, pos: QPointF) -> SidedTriggerPoint | None:
        """The shown trigger point whose X is under a viewport position."""
        pattern = self.overlays.pattern
        if pattern is None:
            return None
        for view, point in pattern.points.items():
            if view in self._scene.placed:
                at = self.viewport_point(view, point.x, point.y)
                if (at - pos).manhattanLength() <= TRP_HIT_PX * 1.4:
                    return pattern
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
        self.overlays.show_shading(self._unexplained())

    def _unexplained(self) -> dict[str, BaseGeometry] | None:
        return self.model.result.unexplained if self.show_unexplained else None

    def _result_changed(self, _result: object) -> None:
        if self.show_unexplained:
            self.overlays.show_shading(self._unexplained())

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

    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        if event.button() in (Qt.MouseButton.MiddleButton, Qt.MouseButton.RightButton) or (
            event.button() == Qt.MouseButton.LeftButton and self._space
        ):
            self._panning = pos
            self._pan_start = pos if event.button() == Qt.MouseButton.RightButton else None
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            return
        if not self.interactive or event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        self._click_undo_index = -1
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self._toggle_selected(pos)
            return
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
            if self.trp_under(pos) is not None and self.pattern is not None:
                self.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
                self.statusMessage.emit(f"Click to record palpation of {trigger_point_title(self.pattern)}")
            else:
                if not self._space:
                    self.viewport().unsetCursor()
                region = self.model.chart.view(hit[0]).region_at(hit[1], hit[2])
                where = [f"{region.name.replace('-', ' ')} ({region.side})"] if region is not None else []
                where += [text for describe in self.describe_at if (text := describe(*hit))]
                if where:
                    self.statusMessage.emit(" · ".join(where))
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
            start, self._pan_start = self._pan_start, None
            if start is not None and (event.position() - start).manhattanLength() < CLICK_SLOP_PX:
                self._request_mark_menu(event.position(), event.globalPosition().toPoint())
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
        if event.key() == Qt.Key.Key_Escape and self.selected_marks:
            self.select_marks(())
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = False
            self.viewport().unsetCursor()
            return
        super().keyReleaseEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self._cursor.hide()
        super().leaveEvent(event)


__all__ = ["LAYOUTS", "ChartCanvas", "Tool"]
