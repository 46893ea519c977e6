"""Complaints in the app: a tab per complaint with its own list, the therapist's regrouping, the treated box."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMenu

from nmt_bodymap.session import disc_mark, load
from nmt_bodymap.ui.main_window import MainWindow
from nmt_bodymap.ui.model import WHOLE_DRAWING
from tests.ui_helpers import draw_headache, make_window, never_block_on_dialogs, window

__all__ = ["make_window", "never_block_on_dialogs", "window"]  # fixtures, used by name


def draw_headache_and_thumb_tingling(qtbot, w: MainWindow) -> None:
    """A right temple and neck headache (m1, m2) and tingling at the base of the right thumb (m3)."""
    draw_headache(qtbot, w)
    chart = w.model.chart
    thumb = chart.view("anterior").landmark("thenar", "right")
    w.model.add_mark(disc_mark(chart, "m3", "anterior", thumb.x, thumb.y, 18, "tingling", 6))
    qtbot.wait(10)


def tab_texts(w: MainWindow) -> list[str]:
    tabs = w.candidates.list_tabs
    return [tabs.tabText(i) for i in range(tabs.count())]


def action(menu: QMenu, text: str):
    """The action of ``menu`` (or of one of its submenus) whose text starts with ``text``, '&' ignored."""
    for act in menu.actions():
        if act.text().replace("&", "").startswith(text):
            return act
        sub = act.menu()
        if isinstance(sub, QMenu):
            try:
                return action(sub, text)
            except KeyError:
                pass
    raise KeyError(f"{text!r} not in {[a.text() for a in menu.actions()]}")


def complaint_tab(w: MainWindow, marks: set[str]) -> int:
    for i, ranked in enumerate(w.candidates.lists):
        if set(ranked.marks) == marks:
            return i
    raise KeyError(marks)


def test_a_headache_and_thumb_tingling_get_a_tab_and_a_list_each(qtbot, window):
    draw_headache(qtbot, window)
    assert window.candidates.list_tabs.isHidden()  # one complaint: the whole drawing is all there is
    draw_headache_and_thumb_tingling(qtbot, window)
    tabs = window.candidates.list_tabs
    assert tabs.isVisible()
    texts = tab_texts(window)
    assert texts[0] == WHOLE_DRAWING and len(texts) == 3
    assert any("tingling" in t.lower() for t in texts[1:])
    headache, thumb = complaint_tab(window, {"m1", "m2"}), complaint_tab(window, {"m3"})
    tabs.setCurrentIndex(headache)
    head_rows = [r.key for r in window.candidates.rows_shown()]
    tabs.setCurrentIndex(thumb)
    thumb_rows = [r.key for r in window.candidates.rows_shown()]
    complaint = window.model.complaint(window.candidates.lists[thumb].complaint)
    assert complaint is not None
    assert thumb_rows[:5] == [c.key for c in complaint.candidates[:5]]
    assert head_rows[:5] != thumb_rows[:5]  # each complaint its own ranking
    assert "trapezius" in head_rows[0]
    # the entrapments of the tingling belong to its own list; the headache has none
    assert window.candidates.sections.isTabEnabled(1)
    tabs.setCurrentIndex(headache)
    assert not window.candidates.sections.isTabEnabled(1)


def test_hovering_a_complaint_tab_outlines_its_marks_on_the_chart(qtbot, window):
    draw_headache_and_thumb_tingling(qtbot, window)
    tabs = window.candidates.list_tabs
    thumb = complaint_tab(window, {"m3"})
    qtbot.mouseMove(tabs, tabs.tabRect(thumb).center())
    outlined = window.canvas.overlays.highlight_items
    assert [i.mark_id for i in outlined] == ["m3"] and not outlined[0].selected
    qtbot.mouseMove(tabs, tabs.tabRect(0).center())  # the whole drawing: nothing singled out
    assert window.canvas.overlays.highlight_items == []


def test_naming_merging_splitting_moving_and_undo_go_through_the_history(qtbot, window, monkeypatch):
    draw_headache_and_thumb_tingling(qtbot, window)
    model, menus = window.model, window.complaint_menus
    thumb = window.candidates.lists[complaint_tab(window, {"m3"})]
    # name the thumb complaint from its tab's menu
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Pins and needles", True))
    action(menus.tab_menu(thumb), "Name this complaint").trigger()
    assert [c.label for c in model.session.complaints] == ["Pins and needles"]
    assert "Pins and needles" in tab_texts(window)
    assert model.undo_stack.undoText() == "Name the complaint “Pins and needles”"
    # the shown list follows its complaint through the rename
    window.candidates.show_complaint(model.session.complaints[0].id)
    named = model.session.complaints[0].id
    # merge the headache into it
    headache = window.candidates.lists[complaint_tab(window, {"m1", "m2"})]
    action(menus.tab_menu(window.candidates.lists[complaint_tab(window, {"m3"})]), headache.label).trigger()
    assert [(c.id, c.label, set(c.marks)) for c in model.session.complaints] == [
        (named, "Pins and needles", {"m1", "m2", "m3"})
    ]
    assert tab_texts(window) == [WHOLE_DRAWING, "Pins and needles"]
    # split the temple (m1) out: select it on the chart, then the tab's menu
    window.canvas.select_marks(["m1"])
    merged = window.candidates.lists[1]
    action(menus.tab_menu(merged), "Split the 1 selected mark").trigger()
    groups = {frozenset(c.marks) for c in model.session.complaints}
    assert groups == {frozenset({"m2", "m3"}), frozenset({"m1"})}
    assert len(tab_texts(window)) == 3
    # move the neck (m2) to the temple's complaint with the mark's own menu
    temple = next(c for c in model.session.complaints if c.marks == ("m1",))
    shown = model.complaint(temple.id)
    assert shown is not None
    action(menus.mark_menu(["m2"]), shown.label).trigger()
    assert {frozenset(c.marks) for c in model.session.complaints} == {frozenset({"m1", "m2"}), frozenset({"m3"})}
    # undo walks back every step, to the automatic grouping
    for expected in (
        {frozenset({"m2", "m3"}), frozenset({"m1"})},
        {frozenset({"m1", "m2", "m3"})},
        {frozenset({"m3"})},
        set(),
    ):
        model.undo_stack.undo()
        assert {frozenset(c.marks) for c in model.session.complaints} == expected
    assert [set(r.marks) for r in window.candidates.lists[1:]] == [{"m1", "m2"}, {"m3"}]
    model.undo_stack.redo()
    assert model.session.complaints[0].label == "Pins and needles"


def test_grouping_automatically_again(qtbot, window):
    draw_headache_and_thumb_tingling(qtbot, window)
    model = window.model
    model.move_marks(["m3"], model.complaint_of("m1").id)  # one complaint, made by the therapist
    assert len(model.session.complaints) == 1 and len(window.candidates.lists) == 2
    tab = window.candidates.lists[1]
    assert not tab.automatic
    action(window.complaint_menus.tab_menu(tab), "Group automatically again").trigger()
    assert model.session.complaints == []
    assert len(window.candidates.lists) == 3  # the app's own grouping: headache and thumb apart again
    model.rename_complaint(model.complaint_of("m3").id, "Thumb")
    action(window.complaint_menus.tab_menu(window.candidates.lists[0]), "Group all marks automatically").trigger()
    assert model.session.complaints == []


def test_a_right_click_on_a_mark_offers_to_move_it(qtbot, window):
    draw_headache_and_thumb_tingling(qtbot, window)
    canvas = window.canvas
    chart = window.model.chart
    thumb = chart.view("anterior").landmark("thenar", "right")
    at = canvas.viewport_point("anterior", thumb.x, thumb.y).toPoint()
    asked: list[tuple[list[str], QPoint]] = []
    canvas.markMenuRequested.connect(lambda ids, where: asked.append((ids, where)))
    vp = canvas.viewport()
    qtbot.mousePress(vp, Qt.MouseButton.RightButton, pos=at)
    qtbot.mouseRelease(vp, Qt.MouseButton.RightButton, pos=at)
    assert asked and asked[0][0] == ["m3"]
    menu = window.complaint_menus.menu
    assert menu is not None and "Move to complaint" in [a.text().replace("&", "") for a in menu.actions()]
    menu.close()
    # Ctrl+click selects; the menu of a selected mark acts on the whole selection
    temple = chart.view("anterior").landmark("temple", "right")
    qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, at)
    qtbot.mouseClick(
        vp,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.ControlModifier,
        canvas.viewport_point("anterior", temple.x, temple.y).toPoint(),
    )
    assert set(canvas.selected_marks) == {"m1", "m3"}
    assert len(window.model.session.marks) == 3  # selecting drew nothing
    assert {i.mark_id for i in canvas.overlays.highlight_items if i.selected} == {"m1", "m3"}
    qtbot.mousePress(vp, Qt.MouseButton.RightButton, pos=at)
    qtbot.mouseRelease(vp, Qt.MouseButton.RightButton, pos=at)
    assert set(asked[-1][0]) == {"m1", "m3"}
    action(window.complaint_menus.menu, "New complaint").trigger()
    assert [set(c.marks) for c in window.model.session.complaints] == [{"m1", "m3"}]
    qtbot.keyClick(vp, Qt.Key.Key_Escape)
    assert canvas.selected_marks == ()


def test_complaints_round_trip_through_the_session_file(qtbot, window, monkeypatch, tmp_path):
    draw_headache_and_thumb_tingling(qtbot, window)
    model = window.model
    model.rename_complaint(model.complaint_of("m3").id, "Thumb tingling at night")
    model.move_marks(["m1"], None)  # the temple on its own: named by the app
    saved = [(c.id, c.label, c.marks) for c in model.session.complaints]
    assert len(saved) == 2 and saved[1][1] == ""
    path = tmp_path / "visit.nmt"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    assert window.save_as()
    assert [(c.id, c.label, c.marks) for c in load(path).complaints] == saved
    labels = tab_texts(window)
    window.canvas.select_marks(["m1"])
    window.new_session()
    assert window.candidates.list_tabs.isHidden()
    assert window.canvas.selected_marks == ()  # another session's m1 is another mark
    assert window.open_session(str(path), ask=False)
    assert [(c.id, c.label, c.marks) for c in model.session.complaints] == saved
    assert tab_texts(window) == labels
    # a new mark never joins a complaint because its id was once used
    model.delete_marks([m for m in model.session.marks if m.id == "m3"])
    assert model.next_mark_id() not in {m for c in model.session.complaints for m in c.marks}


def test_the_treated_box_fills_the_treatment_record(qtbot, window):
    draw_headache(qtbot, window)
    row = window.candidates.rows_shown()[0]
    key = row.key
    assert not row.treated.isChecked()
    qtbot.mouseClick(row.treated, Qt.MouseButton.LeftButton)
    assert window.model.session.treatment.trigger_points == (key,)
    muscle = row.candidate.muscle_name if row.candidate is not None else ""
    assert window.model.undo_stack.undoText().startswith(f"Mark {muscle.lower()} ")
    assert window.model.undo_stack.undoText().endswith(" treated")
    listed = window.records.visit_panel.treatment.treated  # the visit panel's record shows it
    assert listed.count() == 1 and row.candidate is not None and row.candidate.muscle_name in listed.item(0).text()
    window.model.undo_stack.undo()
    assert window.model.session.treatment.trigger_points == ()
    assert not window.candidates.row_for(key).treated.isChecked()
    window.model.mark_treated(key, True)  # from elsewhere (the visit panel): the box follows
    assert window.candidates.row_for(key).treated.isChecked()
    menu = window.candidates.row_for(key).context_menu()
    treated = action(menu, "Treated in this session")
    assert treated.isChecked()
    treated.trigger()
    assert window.model.session.treatment.trigger_points == ()
