"""Editing marks from the pointer: where the pointer is on the chart, strokes, the eraser, selecting marks.

:class:`MarkEditing` is the part of :class:`~nmt_bodymap.ui.chart_canvas.ChartCanvas`
that turns pointer positions into chart coordinates and marks: the brush's
live preview and finished stroke, the eraser (a drag cuts, a click deletes a
mark whole), deleting the mark under the pointer, and the selection of marks
(Ctrl+click) that a right-click's menu acts on. The canvas owns the mouse
events and calls in here.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

import shapely
from PySide6.QtCore import QPoint, QPointF, Signal
from PySide6.QtGui import QCursor
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from nmt_bodymap.session import PainMark, erase, stroke_mark
from nmt_bodymap.ui.chart_navigation import ZoomableView

if TYPE_CHECKING:
    from nmt_bodymap.ui.chart_overlays import ChartOverlays
    from nmt_bodymap.ui.model import SessionModel


class Tool(Enum):
    POINT = "point"
    BRUSH = "brush"
    REGION = "region"
    ERASER = "eraser"


class MarkEditing(ZoomableView):
    """Pointer to marks (see the module docstring)."""

    markMenuRequested = Signal(object, QPoint)  # mark ids (the clicked mark, or the selection holding it), where
    selectionChanged = Signal(object)  # the selected mark ids

    model: SessionModel
    overlays: ChartOverlays
    interactive: bool
    tool: Tool
    quality: str
    intensity: int
    size_mm: float
    _stroke: list[tuple[float, float]]
    _stroke_view: str | None

    def _show_preview(self, mark: PainMark | None) -> None:
        raise NotImplementedError

    # -- where -------------------------------------------------------------------

    def chart_point(self, pos: QPointF) -> tuple[str, float, float] | None:
        """The view and chart millimetres under a viewport position."""
        return self._scene.from_scene(self._scene_at(pos))

    def viewport_point(self, view: str, x: float, y: float) -> QPointF:
        """Where chart millimetres of ``view`` are in the viewport (for tests and tools)."""
        return self.viewportTransform().map(self._scene.to_scene(view, x, y))

    def mark_at(self, view: str, x: float, y: float) -> PainMark | None:
        """The topmost mark under a chart point (within a screen pixel or two), or None."""
        tolerance = 2.0 / max(self.zoom() * self._scene.scale_of(view), 1e-6)
        point = Point(x, y)
        for mark in reversed(self.model.session.marks):
            if mark.view == view and mark.geometry.distance(point) <= tolerance:
                return mark
        return None

    # -- selection -------------------------------------------------------------------

    @property
    def selected_marks(self) -> tuple[str, ...]:
        return self.overlays.selected

    def select_marks(self, mark_ids: tuple[str, ...] | list[str]) -> None:
        """Select marks (Ctrl+click toggles one; Escape clears)."""
        self.overlays.set_selected(mark_ids, self.model.session.marks)
        self.selectionChanged.emit(self.overlays.selected)

    def _toggle_selected(self, pos: QPointF) -> None:
        hit = self.chart_point(pos)
        mark = self.mark_at(*hit) if hit is not None else None
        if mark is None:
            self.select_marks(())
            return
        chosen = self.selected_marks
        self.select_marks(tuple(m for m in chosen if m != mark.id) if mark.id in chosen else (*chosen, mark.id))
        n = len(self.selected_marks)
        if n:
            self.statusMessage.emit(f"{n} mark{'s' if n > 1 else ''} selected: right-click one to move it")

    def _request_mark_menu(self, pos: QPointF, global_pos: QPoint) -> None:
        """A right-click on a mark: its menu, for the selection when the mark is in it."""
        hit = self.chart_point(pos)
        mark = self.mark_at(*hit) if hit is not None and self.interactive else None
        if mark is not None:
            ids = self.selected_marks if mark.id in self.selected_marks else (mark.id,)
            self.markMenuRequested.emit(list(ids), global_pos)

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

    # -- strokes and the eraser ---------------------------------------------------------

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


__all__ = ["MarkEditing", "Tool"]
