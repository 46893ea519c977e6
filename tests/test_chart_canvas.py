"""The chart canvas: zoom where you point, every part reachable, no trails, delete a mark, palpate an X."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QWheelEvent
from PySide6.QtWidgets import QApplication

from nmt_bodymap.ui.chart_canvas import Tool
from nmt_bodymap.ui.chart_scene import LAYOUTS
from nmt_bodymap.ui.finding_menu import finding_action
from tests.ui_helpers import click, drag, landmark_pos, make_window, never_block_on_dialogs, window

__all__ = ["make_window", "never_block_on_dialogs", "window"]  # fixtures, used by name


def wheel(w, pos: QPointF, clicks: int = 1) -> None:
    vp = w.canvas.viewport()
    event = QWheelEvent(
        pos,
        QPointF(vp.mapToGlobal(pos.toPoint())),
        QPoint(),
        QPoint(0, 120 * clicks),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(vp, event)


def pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGBX8888)  # bytes in R, G, B order
    raw = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine() // 4, 4)
    return raw[:, : image.width(), :3].astype(int)


def on_screen(w) -> QImage:
    """What the window system shows of the chart now (the backing store), not a fresh rendering."""
    vp = w.canvas.viewport()
    top = vp.mapTo(w, QPoint(0, 0))
    return QApplication.primaryScreen().grabWindow(w.winId(), top.x(), top.y(), vp.width(), vp.height()).toImage()


@pytest.mark.parametrize(("landmark", "side", "view"), [("temple", "right", "anterior"), ("heel", "left", "posterior")])
def test_wheel_zoom_keeps_the_point_under_the_pointer(qtbot, window, landmark, side, view):
    lm = window.model.chart.view(view).landmark(landmark, side)
    pos = window.canvas.viewport_point(view, lm.x, lm.y)
    for step in range(6):  # to about 270 %, then back out a little
        wheel(window, pos, 1 if step < 5 else -1)
        now = window.canvas.viewport_point(view, lm.x, lm.y)
        assert abs(now.x() - pos.x()) <= 1.0 and abs(now.y() - pos.y()) <= 1.0, (step, pos, now)
    assert window.canvas.zoom_percent() > 180


def test_pinch_zoom_keeps_its_centre_still(qtbot, window):
    canvas = window.canvas
    pos = QPointF(canvas.viewport().width() * 0.3, canvas.viewport().height() * 0.2)
    before = canvas._scene_at(pos)
    for factor in (1.3, 1.3, 1.5, 0.9):
        canvas.zoom_by(factor, pos)  # what a pinch gesture calls with its centre
        after = canvas.viewportTransform().map(before)
        assert (after - pos).manhattanLength() <= 1.5


def test_the_whole_figure_can_be_reached_at_400_percent(qtbot, window):
    canvas = window.canvas
    canvas.zoom_by(4.0)
    assert canvas.zoom_percent() == pytest.approx(400, rel=0.01)
    content = canvas.content_rect()
    h, v = canvas.horizontalScrollBar(), canvas.verticalScrollBar()
    vp = canvas.viewport().rect()
    for hv, vv in ((h.minimum(), v.minimum()), (h.maximum(), v.maximum())):
        h.setValue(hv)
        v.setValue(vv)
        shown = canvas.mapToScene(vp).boundingRect()
        if vv == v.minimum():
            assert shown.top() <= content.top() and shown.left() <= content.left()  # the top of the head, the titles
        else:
            assert shown.bottom() >= content.bottom() and shown.right() >= content.right()  # the feet
    # and the vertex can be brought to the middle of the window
    vertex = canvas._scene.to_scene("anterior", 0, 0)
    canvas.centerOn(vertex)
    assert (canvas.viewportTransform().map(vertex) - QPointF(vp.center())).manhattanLength() < 3


def test_panning_leaves_no_trails_of_the_side_badges(qtbot, window):
    canvas = window.canvas
    canvas.zoom_by(4.0, QPointF(canvas.viewport().rect().center()))
    qtbot.wait(20)
    badge = np.array([0x2F, 0x66, 0x90])
    assert (np.abs(pixels(on_screen(window)) - badge).max(axis=2) < 30).sum() > 50  # pinned badges are drawn
    vp = canvas.viewport()
    start = QPoint(vp.width() // 2, vp.height() // 2)
    qtbot.mousePress(vp, Qt.MouseButton.MiddleButton, pos=start)
    for i in range(1, 8):
        qtbot.mouseMove(vp, pos=start + QPoint(-25 * i, -15 * i))
        qtbot.wait(5)
    qtbot.mouseRelease(vp, Qt.MouseButton.MiddleButton, pos=start + QPoint(-175, -105))
    qtbot.wait(30)
    shown, fresh = pixels(on_screen(window)), pixels(vp.grab().toImage())
    stale = np.abs(shown - fresh).max(axis=2) > 40
    assert stale.sum() == 0, f"{stale.sum()} pixels on screen differ from a fresh rendering"


def test_a_click_with_the_eraser_deletes_the_mark_under_it(qtbot, window):
    window.set_tool(Tool.POINT)
    pos = landmark_pos(window, "interscapular", "right", "posterior")
    click(qtbot, window, pos)
    other = landmark_pos(window, "temple", "right")
    click(qtbot, window, other)
    assert len(window.model.session.marks) == 2
    window.set_tool(Tool.ERASER)
    click(qtbot, window, pos + QPoint(3, 2))
    marks = window.model.session.marks
    assert len(marks) == 1 and marks[0].view == "anterior"  # the whole back mark went, the temple stayed
    assert window.model.undo_stack.undoText() == "Delete aching pain mark"
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(window.model.session.marks) == 2
    click(qtbot, window, landmark_pos(window, "lateral-epicondyle", "left", "posterior"))  # no mark there
    assert len(window.model.session.marks) == 2


def test_dragging_the_eraser_still_erases_part_of_a_mark(qtbot, window):
    window.set_tool(Tool.POINT)
    pos = landmark_pos(window, "interscapular", "right", "posterior")
    click(qtbot, window, pos)
    area = window.model.session.marks[0].geometry.area
    window.set_tool(Tool.ERASER)
    drag(qtbot, window, [pos + QPoint(-30, 0), pos, pos + QPoint(30, 0)])
    assert 0 < window.model.session.marks[0].geometry.area < area * 0.9


def test_the_delete_key_deletes_the_mark_under_the_pointer(qtbot, window):
    window.set_tool(Tool.POINT)
    pos = landmark_pos(window, "temple", "right")
    click(qtbot, window, pos)
    qtbot.mouseMove(window.canvas.viewport(), pos=pos)
    qtbot.keyClick(window.canvas, Qt.Key.Key_Delete)
    assert window.model.session.marks == []
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(window.model.session.marks) == 1


def test_a_double_click_zooms_there_and_leaves_no_mark(qtbot, window):
    window.set_tool(Tool.POINT)
    pos = landmark_pos(window, "lateral-epicondyle", "right")
    lm = window.model.chart.view("anterior").landmark("lateral-epicondyle", "right")
    before = window.canvas.zoom()
    qtbot.mouseDClick(window.canvas.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert window.canvas.zoom() > 2 * before
    assert window.model.session.marks == []
    assert window.model.undo_stack.count() == 0  # nothing to undo or redo
    now = window.canvas.viewport_point("anterior", lm.x, lm.y)
    assert (now - QPointF(pos)).manhattanLength() <= 2


def real_double_click(qtbot, w, pos: QPoint) -> None:
    """What a widget receives from a double-click: press, release, double-click, release.

    (QTest's mouseDClick alone sends only the double-click event, so it never tests the first click.)
    """
    vp = w.canvas.viewport()
    qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(vp, Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=pos)


def test_a_double_click_takes_back_its_first_click_and_nothing_before(qtbot, window):
    """Found by the monkey test: the first click's mark stayed, and no undo could remove it."""
    window.set_tool(Tool.POINT)
    click(qtbot, window, landmark_pos(window, "temple", "right"))
    pos = landmark_pos(window, "lateral-epicondyle", "right")
    real_double_click(qtbot, window, pos)
    stack = window.model.undo_stack
    assert [m.id for m in window.model.session.marks] == ["m1"]
    assert (stack.count(), stack.index()) == (1, 1)
    window.set_tool(Tool.ERASER)  # a click with the eraser on no mark changes nothing: nothing to take back
    real_double_click(qtbot, window, landmark_pos(window, "lateral-epicondyle", "right"))
    assert [m.id for m in window.model.session.marks] == ["m1"]
    assert (stack.count(), stack.index()) == (1, 1)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.model.session.marks == []


def test_zooming_to_the_head_the_hands_and_the_feet(qtbot, window):
    canvas = window.canvas
    canvas.zoom_to_part("head")
    assert canvas.zoom_percent() > 300
    temple = landmark_pos(window, "temple", "right")
    assert canvas.viewport().rect().contains(temple)
    qtbot.keyClick(window, Qt.Key.Key_H)  # again: the head in the next view
    occiput = canvas.model.chart.view("posterior").landmark("occiput", "right")
    assert canvas.viewport().rect().contains(canvas.viewport_point("posterior", occiput.x, occiput.y).toPoint())
    seen = set()
    for _ in range(4):  # four hands in the front and back views
        qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ShiftModifier)
        seen.add(canvas._part_cycle[1])
    assert seen == {0, 1, 2, 3}
    qtbot.keyClick(window, Qt.Key.Key_F)
    heel = landmark_pos(window, "heel", "left", "posterior")
    ankle = landmark_pos(window, "medial-malleolus", "right", "anterior")
    assert canvas.viewport().rect().contains(heel) or canvas.viewport().rect().contains(ankle)
    qtbot.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert canvas.zoom_percent() == pytest.approx(100)


def test_all_views_include_the_soles(qtbot, window):
    assert "plantar" in LAYOUTS["all"] and len(LAYOUTS["all"]) == 5
    window.set_layout("all")
    assert set(window.canvas._scene.placed) == {"anterior", "posterior", "right-lateral", "left-lateral", "plantar"}
    assert "five" in window.layout_actions["all"].text().lower()
    window.set_tool(Tool.POINT)
    ball = landmark_pos(window, "heel", "right", "plantar")
    click(qtbot, window, ball)
    assert window.model.session.marks and window.model.session.marks[0].view == "plantar"


def test_clicking_a_shown_trigger_point_records_a_finding(qtbot, window):
    window.set_tool(Tool.POINT)
    click(qtbot, window, landmark_pos(window, "temple", "right"))
    n_marks = len(window.model.session.marks)
    top = window.model.result.candidates[0]
    window.candidates._select(top.key)
    sided = window.model.sided(top.key)
    view = next(v for v in sided.points if v in window.canvas._scene.placed)
    x = window.canvas.viewport_point(view, sided.points[view].x, sided.points[view].y).toPoint()
    click(qtbot, window, x)
    assert len(window.model.session.marks) == n_marks  # the click opened the findings, it did not draw
    menu = window.canvas.finding_menu
    assert menu is not None and menu.isVisible()
    finding_action(menu, "latent").trigger()
    assert window.model.session.findings == {top.key: "latent"}
    muscle = sided.muscle.name.lower()
    assert window.model.undo_stack.undoText().startswith(f"Mark {muscle} TrP")
    assert window.model.undo_stack.undoText().endswith("(right) latent")
    assert "/" not in window.model.undo_stack.undoText()  # never an internal id
