"""The client records in the app, driven the way a therapist uses them (pytest-qt, real SQLite).

Clients view (search, paging), a new visit from the last (ghost, empty
sections, copy from last visit), saving and amending a visit (history),
the red-flag notice.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from records_helpers import COURSE, course, db_path, never_block_on_dialogs, window

from nmt_bodymap.chart import load_chart
from nmt_bodymap.session import Session, disc_mark
from nmt_bodymap.store import open_store
from nmt_bodymap.ui.client_dialogs import ClientDialog
from nmt_bodymap.ui.client_list import PAGE
from nmt_bodymap.ui.main_window import MainWindow
from nmt_bodymap.ui.visit_timeline import AMENDED_MARK

__all__ = ["course", "db_path", "never_block_on_dialogs", "window"]  # fixtures, used by name


def told(window: MainWindow) -> list[tuple[str, str]]:
    said: list[tuple[str, str]] = []
    window.records.controller.tell = lambda title, text: said.append((title, text))
    return said


# -- the Clients view --------------------------------------------------------------


def test_the_clients_view_searches_as_you_type_and_pages_the_list(qtbot, window, db_path):
    with open_store(db_path, user="tester") as store:
        for i in range(PAGE * 2 + 50):
            store.add_client(f"C-{i:04d}", f"Client {i:04d}" if i % 10 else f"Maria Rossi {i:04d}")
    view = window.records.clients
    assert not view.list_model.loaded  # nothing read before the view is shown
    window.tabs.setCurrentWidget(view)
    qtbot.waitUntil(lambda: view.list_model.loaded)
    model = view.list_model
    assert len(model.rows) == PAGE and model.canFetchMore()
    assert view.count_label.text() == f"{PAGE * 2 + 50} clients"
    model.fetchMore()
    model.fetchMore()
    assert len(model.rows) == PAGE * 2 + 50 and not model.canFetchMore()
    names = [r.name for r in model.rows]
    assert names == sorted(names, key=str.casefold)  # by name

    qtbot.keyClicks(view.search, "rossi")
    qtbot.waitUntil(lambda: model.search == "rossi")
    assert len(model.rows) == 45 and all("Rossi" in r.name for r in model.rows)
    assert view.count_label.text() == "45 clients found"
    view.search.setText("C-0123")
    view.run_search()
    assert [r.code for r in model.rows] == ["C-0123"]
    view.search.setText("nobody like this")
    view.run_search()
    assert model.rows == [] and view.count_label.text() == "0 clients found"


def test_choosing_a_client_shows_the_timeline_and_the_progress_plot(qtbot, window, course):
    client_id, visit_ids = course
    view = window.records.clients
    window.tabs.setCurrentWidget(view)
    qtbot.waitUntil(lambda: view.list_model.loaded)
    view.select_row(view.list_model.row_of(client_id))
    page = view.page
    assert page.client is not None and page.client.code == "C-017"
    timeline = page.timeline
    assert timeline.topLevelItemCount() == len(COURSE)
    newest = timeline.topLevelItem(0)
    assert newest.text(0) == COURSE[-1][0] and newest.text(1) == "R. Lee"
    assert newest.text(3) == f"{COURSE[-1][4]} → {COURSE[-1][5]}"
    assert newest.text(5) == "closed"
    assert [v.id for v in page.progress.visits] == visit_ids
    assert "5 visits from 2026-11-03 to 2026-12-01" in page.progress.accessibleDescription()
    image = page.progress.grab().toImage()
    assert image.width() > 300 and image.height() > 300


def test_add_and_edit_a_client_from_the_view(qtbot, window):
    view = window.records.clients
    window.tabs.setCurrentWidget(view)
    dialog = ClientDialog(view, code="C-900", name="Sam Sample")
    dialog.accept()
    new_id = view.add_client(dialog)
    assert new_id is not None and view.page.client is not None and view.page.client.name == "Sam Sample"
    edit = ClientDialog(view.page, view.page.client)
    edit.contact.setText("sam@example.org")
    edit.accept()
    assert view.page.edit_client(edit)
    assert "sam@example.org" in view.page.header.text()
    duplicate = ClientDialog(view, code="c-900")
    duplicate.accept()
    assert view.add_client(duplicate) is None  # the code is taken (the store says so)


def test_bin_and_restore_a_client(qtbot, window, course):
    client_id, _ = course
    view = window.records.clients
    window.tabs.setCurrentWidget(view)
    view.select_client(client_id)
    assert view.page.bin_client()
    assert view.list_model.row_of(client_id) == -1 and view.page.client is None
    from nmt_bodymap.ui.client_dialogs import BinDialog

    bin_dialog = BinDialog(window.records.records, window)
    assert bin_dialog.entries.count() == 1 and "Alex Example" in bin_dialog.entries.item(0).text()
    bin_dialog.entries.setCurrentRow(0)
    assert bin_dialog.restore_selected()
    assert view.list_model.row_of(client_id) >= 0


# -- a new visit from the last ---------------------------------------------------------


def test_a_new_visit_shows_the_last_drawing_as_a_ghost_with_empty_sections(qtbot, window, course):
    client_id, visit_ids = course
    controller = window.records.controller
    assert controller.new_visit(client_id)
    model = window.model
    with open_store(window.records.records.database(), user="t") as store:
        last = store.visit(visit_ids[-1]).session
    assert [m.geometry.equals(g.geometry) for m, g in zip(model.ghost, last.marks, strict=True)] == [True] * len(
        last.marks
    )
    shown = [m for m in last.marks if m.view in window.canvas.scene().placed]
    assert len(window.records.ghost.items) == len(shown) > 0
    assert window.records.notices.ghost.isVisibleTo(window)
    s = model.session
    assert s.marks == [] and s.findings == {} and s.notes == "" and s.soap == type(s.soap)()
    assert s.treatment.trigger_points == () and s.client_code == "C-017"
    assert all(level.level == 0 and not level.note for level in s.assessment.values())
    assert window.windowTitle().startswith("New visit")

    # the ghost survives another layout, and stays out of the session
    window.set_layout("all")
    assert len(window.records.ghost.items) == len([m for m in last.marks if m.view in window.canvas.scene().placed])
    window.set_layout("front-back")

    panel = window.records.visit_panel
    panel.copy_section("subjective")
    assert s.soap.subjective == last.soap.subjective != ""
    assert panel.soap["subjective"].toPlainText() == last.soap.subjective
    assert s.soap.plan == ""  # only the section asked for
    panel.copy_section("findings")
    assert model.session.findings == last.findings
    window.act_undo.trigger()
    assert model.session.findings == {}
    window.act_undo.trigger()
    assert model.session.soap.subjective == ""

    qtbot.mouseClick(window.records.notices.ghost.use, Qt.MouseButton.LeftButton)
    assert len(model.session.marks) == len(last.marks) and model.ghost == []
    assert not window.records.notices.ghost.isVisibleTo(window)
    window.act_undo.trigger()
    assert model.session.marks == [] and len(model.ghost) == len(last.marks)


def test_hiding_the_ghost_and_opening_a_file_clear_it(qtbot, window, course, tmp_path):
    client_id, _ = course
    window.records.controller.new_visit(client_id)
    qtbot.mouseClick(window.records.notices.ghost.hide_button, Qt.MouseButton.LeftButton)
    assert window.model.ghost == [] and window.records.ghost.items == []
    window.records.controller.new_visit(client_id)
    assert window.model.ghost
    window.new_session()
    assert window.model.ghost == [] and window.records.records.binding is None


# -- saving and amending -----------------------------------------------------------------


def test_saving_a_new_visit_then_amending_it_keeps_the_history(qtbot, window, course):
    client_id, visit_ids = course
    ui = window.records
    ui.controller.new_visit(client_id)
    chart = load_chart()
    lm = chart.view("posterior").landmark("low-back", "right")
    window.model.add_mark(disc_mark(chart, "m1", "posterior", lm.x, lm.y, 15.0, "aching", 2))
    window.model.set_treatment(replace(window.model.session.treatment, pain_before=2, pain_after=0))
    assert window.isWindowModified()
    assert window.save()  # File → Save saves the visit
    binding = ui.records.binding
    assert binding is not None and binding.visit_id is not None and not binding.closed
    assert not window.isWindowModified()
    page = ui.clients.page
    page.show_client(client_id)
    assert page.timeline.topLevelItemCount() == len(visit_ids) + 1
    assert page.timeline.topLevelItem(0).text(3) == "2 → 0"

    # an open visit saves again without history
    window.model.set_therapist("R. Lee")
    assert window.save()
    with open_store(ui.records.database(), user="t") as store:
        assert store.visit_history(binding.visit_id) == []

    # closed, then amended: the reason is asked and kept
    window.records.controller.save_visit(close=True)
    assert ui.records.binding.closed
    window.model.set_soap(replace(window.model.session.soap, assessment="Much better."), "Assessment")
    ui.controller.ask_reason = lambda: None  # cancelled: nothing saved
    assert not window.save() and window.isWindowModified()
    ui.controller.ask_reason = lambda: "Assessment added after the visit"
    assert window.save()
    page.show_client(client_id)
    assert page.timeline.topLevelItem(0).text(5) == f"{AMENDED_MARK} amended"
    page.timeline.select_ids([binding.visit_id])
    dialog = page.history_dialog()
    assert dialog is not None
    texts = dialog.version_texts()
    assert len(texts) == 2 and texts[0].startswith("Current")
    assert "why: Assessment added after the visit" in texts[1]
    dialog.versions.setCurrentRow(1)
    assert "Much better." not in dialog.detail.toPlainText()
    dialog.versions.setCurrentRow(0)
    assert "Much better." in dialog.detail.toPlainText()


def test_an_unbound_session_is_saved_as_a_visit_of_the_chosen_client(qtbot, window, course):
    client_id, _visit_ids = course
    window.model.set_detail("client_code", "C-017")
    window.model.set_detail("date", "2026-12-08")
    asked: list[tuple[str, str, int | None]] = []

    def choose(why: str, search: str, preselect: int | None) -> int | None:
        asked.append((why, search, preselect))
        return preselect

    window.records.controller.choose_client = choose
    assert window.records.controller.save_as_visit()
    assert asked and asked[0][1] == "C-017" and asked[0][2] == client_id  # matched by code, offered first
    with open_store(window.records.records.database(), user="t") as store:
        assert [v.date.isoformat() for v in store.visits(client_id)][-1] == "2026-12-08"


def test_opening_a_visit_asks_about_unsaved_work_first(qtbot, window, course, monkeypatch):
    _client_id, visit_ids = course
    window.model.set_detail("notes", "unsaved")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    assert not window.records.controller.open_visit(visit_ids[0])
    assert window.model.session.notes == "unsaved"
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    assert window.records.controller.open_visit(visit_ids[0])
    assert window.model.session.date == COURSE[0][0] and window.records.records.binding.closed
    assert window.records.records.previous is None  # the first visit has none before it
    window.records.controller.open_visit(visit_ids[2])
    assert window.records.records.previous_date == COURSE[1][0]


def test_a_stale_visit_is_not_overwritten(qtbot, window, course):
    _client_id, visit_ids = course
    said = told(window)
    window.records.controller.open_visit(visit_ids[-1])
    with open_store(window.records.records.database(), user="other") as store:
        visit = store.visit(visit_ids[-1])
        store.update_visit(visit.id, visit.session, expected_version=visit.version, reason="elsewhere")
    window.model.set_detail("notes", "mine")
    window.records.controller.ask_reason = lambda: "mine"
    shown: list[str] = []
    window.records.controller.show_conflict = lambda dialog: shown.append(dialog.windowTitle())  # cancel
    assert not window.save()
    assert shown == ["The visit was changed meanwhile"] and not said and window.isWindowModified()
    with open_store(window.records.records.database()) as store:
        assert store.visit(visit_ids[-1]).session.notes != "mine"  # nothing was overwritten


# -- the visit panel and the red-flag notice ------------------------------------------------


def test_a_red_flag_shows_the_refer_notice_until_cleared(qtbot, window):
    banner = window.records.notices.refer
    screen = window.records.visit_panel.red_flags
    assert not banner.isVisibleTo(window)
    screen.flags["calf-swelling"].click()
    assert window.model.session.red_flags.present == ("calf-swelling",)
    assert window.model.session.red_flags.screened
    assert banner.isVisibleTo(window) and "Calf swelling" in banner.text.text()
    assert "Refer before treating" in banner.text.text()
    label = banner.text
    assert label.height() >= label.heightForWidth(label.width())  # the whole notice is readable
    assert window.records.notices.geometry().bottom() < window.canvas.viewport().geometry().top()  # not over the chart
    screen.flags["chest-pain"].click()
    assert "Chest pain on exertion; Calf swelling" in banner.text.text()
    screen.flags["calf-swelling"].click()
    assert banner.isVisibleTo(window)  # one sign is still ticked
    screen.flags["chest-pain"].click()
    assert not banner.isVisibleTo(window) and window.model.session.red_flags.screened
    window.act_undo.trigger()  # the tick comes back with undo
    assert banner.isVisibleTo(window) and screen.flags["chest-pain"].isChecked()
    window.model.replace_session(Session())
    assert not banner.isVisibleTo(window)


def test_the_visit_panel_edits_go_through_the_undo_stack(qtbot, window):
    panel = window.records.visit_panel
    qtbot.keyClicks(panel.therapist, "R. Lee")
    qtbot.keyClicks(panel.soap["plan"], "Stretch daily")
    assert window.model.session.therapist == "R. Lee"
    assert window.model.session.soap.plan == "Stretch daily"
    treatment = panel.treatment
    key = "trapezius/trp1:right"
    window.model.mark_treated(key)
    assert treatment.treated.count() == 1 and "Trapezius TrP1 (right)" in treatment.treated.item(0).text()
    treatment.pain_before.setValue(7)
    treatment.pain_after.setValue(3)
    assert window.model.session.treatment.pain_before == 7 and window.model.session.treatment.pain_after == 3
    treatment.pain_after.setValue(-1)
    assert window.model.session.treatment.pain_after is None  # "not rated"
    texts = [window.model.undo_stack.text(i) for i in range(window.model.undo_stack.count())]
    assert texts.count("Edit therapist") == 1 and texts.count("Edit Plan") == 1  # typing merges
    while window.model.undo_stack.canUndo():
        window.model.undo_stack.undo()
    assert window.model.session.therapist == "" and window.model.session.treatment.trigger_points == ()
    assert panel.therapist.text() == "" and treatment.treated.count() == 0


def test_the_picker_offers_the_candidates_first(qtbot, window):
    chart = window.model.chart
    lm = chart.view("anterior").landmark("temple", "right")
    window.model.add_mark(disc_mark(chart, "m1", "anterior", lm.x, lm.y, 25.0, "aching", 6))
    picker = window.records.visit_panel.treatment.picker
    best = window.model.result.candidates[0].key
    assert picker.itemData(0) == best and picker.itemText(0).endswith("· candidate")
    assert picker.count() == len(window.model.atlas.by_key())
    picker.setCurrentIndex(0)
    window.records.visit_panel.treatment._picked(0)
    assert window.model.session.treatment.trigger_points == (best,)


def test_choosing_a_client_finds_the_one_offered(qtbot, window, course, db_path):
    client_id, _ = course
    with open_store(db_path, user="t") as store:
        for i in range(PAGE + 5):  # more than a page: the client offered must still be found
            store.add_client(f"A-{i:04d}", f"Aaron {i:04d}")
    from nmt_bodymap.ui.client_dialogs import ChooseClientDialog

    dialog = ChooseClientDialog(window.records.records, "Which client?", "C-017", window)
    qtbot.addWidget(dialog)
    dialog.select_client(client_id)
    dialog.accept()
    assert dialog.chosen == client_id
    other = ChooseClientDialog(window.records.records, "Which client?", "aaron 0003", window)
    qtbot.addWidget(other)
    other.accept()  # the first match is selected for the user
    assert other.chosen is not None and other.chosen != client_id
