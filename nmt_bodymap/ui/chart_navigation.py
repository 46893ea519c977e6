"""Zoom and pan for the chart: the point under the pointer stays put, every part stays reachable.

The view's scrollable area is the chart plus half a window on every side
once zoomed in, so any point of the figure can be brought to the middle of
the window and a zoom keeps the point under the pointer still (wheel, pinch,
double-click). The R and L badges of a view slide along the window edge when the
view's own badges scroll out of sight, so the sides are never in doubt. Zooming to a body part (head, hands, feet) frames it; pressing
the same key again moves to the same part in the next view, or the other
hand.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QNativeGestureEvent, QPainter, QResizeEvent, QTransform, QWheelEvent
from PySide6.QtWidgets import QGestureEvent, QGraphicsView, QPinchGesture, QWidget

from nmt_bodymap.ui.chart_scene import BODY_PART_TITLES, ChartScene

WHEEL_STEP = 1.18
PART_MARGIN = 0.12  # share of a body part's size left around it when zoomed to it


class ZoomableView(QGraphicsView):
    """A QGraphicsView over a :class:`ChartScene` with anchored zoom and body-part framing."""

    zoomChanged = Signal(float)
    statusMessage = Signal(str)

    MIN_ZOOM_OF_FIT, MAX_ZOOM = 0.5, 40.0

    _scene: ChartScene

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._user_zoomed = False
        self._part_cycle: tuple[str, int] = ("", -1)
        self._last_anchor = (QPointF(-1e9, -1e9), QPointF())
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.viewport().grabGesture(Qt.GestureType.PinchGesture)

    # -- geometry ------------------------------------------------------------------

    def content_rect(self) -> QRectF:
        """The figure and its titles, with a small margin (scene units)."""
        return self._scene.sceneRect()

    def zoom(self) -> float:
        return self.transform().m11()

    def fit_zoom(self) -> float:
        """The zoom at which the whole layout fits the window."""
        rect, vp = self.content_rect(), self.viewport().rect()
        if rect.isEmpty() or vp.isEmpty():
            return 1.0
        return max(1e-6, min((vp.width() - 4) / rect.width(), (vp.height() - 4) / rect.height()))

    def zoom_percent(self) -> float:
        """The zoom relative to fit-to-window (100 % = the whole layout in view)."""
        return 100.0 * self.zoom() / self.fit_zoom()

    def _update_scene_rect(self) -> None:
        """Once zoomed in, let every point of the figure reach the middle of the window."""
        content = self.content_rect()
        z = self.zoom()
        if z <= self.fit_zoom() * 1.001:
            self.setSceneRect(content)
            return
        pad_x = self.viewport().width() / (2 * z)
        pad_y = self.viewport().height() / (2 * z)
        self.setSceneRect(content.adjusted(-pad_x, -pad_y, pad_x, pad_y))

    def _scene_at(self, pos: QPointF) -> QPointF:
        """The scene point under a viewport position, without rounding to whole pixels."""
        inverse, _ok = self.viewportTransform().inverted()
        return inverse.map(QPointF(pos))

    def _set_zoom(self, z: float) -> None:
        self.setTransform(QTransform.fromScale(z, z))
        self._update_scene_rect()

    def _put(self, scene_point: QPointF, pos: QPointF) -> None:
        """Scroll so that ``scene_point`` lies under the viewport position ``pos``."""
        now = self.viewportTransform().map(scene_point)
        h, v = self.horizontalScrollBar(), self.verticalScrollBar()
        h.setValue(h.value() + round(now.x() - pos.x()))
        v.setValue(v.value() + round(now.y() - pos.y()))

    # -- zooming -------------------------------------------------------------------

    def fit(self) -> None:
        """Show the whole layout."""
        z = self.fit_zoom()
        self.setTransform(QTransform.fromScale(z, z))
        self.setSceneRect(self.content_rect())
        self.centerOn(self.content_rect().center())
        self._part_cycle = ("", -1)
        self.zoomChanged.emit(self.zoom())

    def reset_fit(self) -> None:
        """Fit, and keep fitting when the window is resized."""
        self._user_zoomed = False
        self.fit()

    def zoom_by(self, factor: float, anchor: QPointF | QPoint | None = None) -> None:
        """Zoom by ``factor``, keeping the point under ``anchor`` (viewport; default the middle) still."""
        fit = self.fit_zoom()
        new = min(self.MAX_ZOOM, max(fit * self.MIN_ZOOM_OF_FIT, self.zoom() * factor))
        pos = QPointF(anchor) if anchor is not None else QPointF(self.viewport().rect().center())
        scene_point = self._scene_at(pos)
        last_pos, last_point = self._last_anchor
        if (last_pos - pos).manhattanLength() < 0.5 and (
            self._scene_at(pos) - last_point
        ).manhattanLength() * self.zoom() < 1.0:
            scene_point = last_point  # the same anchor as the last zoom step: no rounding creeps in
        self._user_zoomed = True
        self._set_zoom(new)
        self._put(scene_point, pos)
        self._last_anchor = (pos, scene_point)
        self.zoomChanged.emit(self.zoom())

    def zoom_to_rect(self, rect: QRectF) -> None:
        """Frame a scene rect (a body part) in the window."""
        vp = self.viewport().rect()
        margin_w, margin_h = rect.width() * PART_MARGIN, rect.height() * PART_MARGIN
        framed = rect.adjusted(-margin_w, -margin_h, margin_w, margin_h)
        z = min(self.MAX_ZOOM, vp.width() / max(framed.width(), 1e-6), vp.height() / max(framed.height(), 1e-6))
        self._user_zoomed = True
        self._set_zoom(max(z, self.fit_zoom()))
        self.centerOn(rect.center())
        self.zoomChanged.emit(self.zoom())

    def zoom_to_part(self, part: str) -> bool:
        """Frame a body part (head, hands, feet); repeated, move to the next view or hand."""
        rects = self._scene.part_rects(part)
        if not rects:
            self.statusMessage.emit(f"No {BODY_PART_TITLES[part].lower()} in the views shown")
            return False
        last_part, last_index = self._part_cycle
        index = (last_index + 1) % len(rects) if last_part == part else self._part_under_pointer(rects)
        view, side, rect = rects[index]
        self.zoom_to_rect(rect)
        self._part_cycle = (part, index)
        where = self._scene.chart.view(view).title
        which = f"{side} hand" if part == "hands" else BODY_PART_TITLES[part].lower()
        self.statusMessage.emit(f"Zoomed to the {which} ({where}); press again for the next")
        return True

    def _part_under_pointer(self, rects: list[tuple[str, str, QRectF]]) -> int:
        pos = self.viewport().mapFromGlobal(self.cursor().pos())
        if not self.viewport().rect().contains(pos):
            return 0
        hit = self._scene.from_scene(self._scene_at(QPointF(pos)))
        if hit is None:
            return 0
        point = self._scene_at(QPointF(pos))
        in_view = [i for i, (view, _s, _r) in enumerate(rects) if view == hit[0]]
        if not in_view:
            return 0
        return min(in_view, key=lambda i: (rects[i][2].center() - point).manhattanLength())

    # -- events --------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self._user_zoomed:
            self.fit()
        else:
            self._update_scene_rect()
            self.zoomChanged.emit(self.zoom())

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            super().wheelEvent(event)  # scroll
            return
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom_by(WHEEL_STEP**steps, event.position())
        event.accept()

    def event(self, event: QEvent) -> bool:
        if isinstance(event, QNativeGestureEvent) and event.gestureType() == Qt.NativeGestureType.ZoomNativeGesture:
            # trackpad pinch (macOS, Wayland): the position is the view's, the anchor the viewport's
            pos = self.viewport().mapFrom(self, event.position().toPoint())
            self.zoom_by(1.0 + event.value(), QPointF(pos))
            return True
        return super().event(event)

    def viewportEvent(self, event: QEvent) -> bool:
        if isinstance(event, QGestureEvent):
            pinch = event.gesture(Qt.GestureType.PinchGesture)
            if isinstance(pinch, QPinchGesture):  # touch screen pinch; its centre is in screen coordinates
                centre = self.viewport().mapFromGlobal(pinch.centerPoint().toPoint())
                self.zoom_by(pinch.scaleFactor(), QPointF(centre))
                event.accept()
                return True
        return super().viewportEvent(event)

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        # Qt scrolls by copying pixels; the R/L badges are pinned to the window, so a copy would
        # leave their old image behind: repaint the window instead.
        self.viewport().update()

    def pan_key(self, event: QKeyEvent) -> bool:
        """Arrow keys pan; True when the key was used."""
        step = 60
        moves = {
            Qt.Key.Key_Left: (-step, 0),
            Qt.Key.Key_Right: (step, 0),
            Qt.Key.Key_Up: (0, -step),
            Qt.Key.Key_Down: (0, step),
        }
        if event.key() not in moves or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        dx, dy = moves[Qt.Key(event.key())]
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + dx)
        self.verticalScrollBar().setValue(self.verticalScrollBar().value() + dy)
        return True

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
            for letter, x, y, r in self._scene.chart.view(name).side_labels:
                centre = self.viewportTransform().map(self._scene.to_scene(name, x, y))
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


__all__ = ["ZoomableView"]
