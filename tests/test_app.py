"""The desktop app, driven the way a therapist uses it (pytest-qt)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from nmt_bodymap.session import disc_mark, load
from nmt_bodymap.ui.chart_canvas import Tool
from nmt_bodymap.ui.finding_menu import finding_action
from nmt_bodymap.ui.main_window import MainWindow
from tests.ui_helpers import click, drag, landmark_pos, make_window, never_block_on_dialogs, window

__all__ = ["make_window", "never_block_on_dialogs", "window"]  # fixtures, used by name


def candidate_muscles(w: MainWindow, n: int = 5) -> list[str]:
    return [c.muscle for c in w.model.result.candidates[:n]]


def test_clicking_the_lateral_epicondyle_lists_the_elbow_muscles(qtbot, window):
    window.set_tool(Tool.POINT)
    click(qtbot, window, landmark_pos(window, "lateral-epicondyle", "right"))
    assert len(window.model.session.marks) == 1
    mark = window.model.session.marks[0]
    assert mark.view == "anterior" and mark.quality == window.canvas.quality
    top = candidate_muscles(window, 6)
    assert {"supinator", "brachioradialis", "extensor-carpi-radialis-longus"} & set(top)
    rows = window.candidates.rows_shown()
    assert rows and rows[0].key == window.model.result.candidates[0].key
    assert all(c.side == "right" for c in window.model.result.candidates[:3])


def test_painting_a_stroke_adds_one_mark_along_the_drag(qtbot, window):
    window.set_tool(Tool.BRUSH)
    start = landmark_pos(window, "low-back", "right", "posterior")
    points = [start + QPoint(0, dy) for dy in range(0, 60, 6)]
    drag(qtbot, window, points)
    marks = window.model.session.marks
    assert len(marks) == 1 and marks[0].tool == "brush" and marks[0].view == "posterior"
    assert marks[0].geometry.bounds[3] - marks[0].geometry.bounds[1] > 2 * window.canvas.size_mm
    assert window.model.preview is None
    assert window.model.result.candidates


def test_region_tool_fills_the_region_under_the_click(qtbot, window):
    window.set_tool(Tool.REGION)
    click(qtbot, window, landmark_pos(window, "temple", "right"))
    mark = window.model.session.marks[0]
    region = window.model.chart.view("anterior").regions["temple-right"].geometry
    assert mark.tool == "region" and abs(mark.geometry.area - region.area) < 1


def test_eraser_and_undo_redo(qtbot, window):
    window.set_tool(Tool.POINT)
    pos = landmark_pos(window, "interscapular", "right", "posterior")
    click(qtbot, window, pos)
    area = window.model.session.marks[0].geometry.area
    window.set_tool(Tool.ERASER)
    drag(qtbot, window, [pos + QPoint(-40, 0), pos, pos + QPoint(40, 0)])
    assert window.model.session.marks and window.model.session.marks[0].geometry.area < area * 0.9
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.model.session.marks[0].geometry.area == pytest.approx(area)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.model.session.marks == []
    assert window.model.result.candidates == []
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert len(window.model.session.marks) == 1


def test_marking_a_trigger_point_active_reranks(qtbot, window):
    window.set_tool(Tool.POINT)
    click(qtbot, window, landmark_pos(window, "temple", "right"))
    before = [c.key for c in window.model.result.candidates]
    row = window.candidates.rows_shown()[3]
    key = row.key
    finding_action(row.palpation_menu(), "active").trigger()
    assert window.model.session.findings == {key: "active"}
    after = [c.key for c in window.model.result.candidates]
    assert after[0] == key and before[0] != key
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.model.session.findings == {}


def test_hovering_a_candidate_draws_its_pattern(qtbot, window):
    window.set_tool(Tool.POINT)
    click(qtbot, window, landmark_pos(window, "neck-shoulder-angle", "right"))
    row = window.candidates.rows_shown()[0]
    window.candidates._hover(row.key)
    items = window.canvas.overlays.pattern_items
    assert items and all(i.sided.key == row.key for i in items)
    window.candidates._unhover(row.key)
    assert window.canvas.overlays.pattern_items == []


def test_unexplained_pain_can_be_shaded(qtbot, window):
    window.set_tool(Tool.POINT)
    click(qtbot, window, landmark_pos(window, "temple", "right"))
    window.candidates.shade.setChecked(True)
    if window.model.result.unexplained_fraction > 0.001:
        assert window.canvas.overlays.shade_items
    window.candidates.shade.setChecked(False)
    assert window.canvas.overlays.shade_items == []


def test_searching_the_atlas(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_F3)
    assert window.tabs.currentIndex() == 1
    browser = window.atlas_browser
    qtbot.keyClicks(browser.search, "epicondyle")
    shown = browser.shown()
    assert "supinator" in shown and "masseter" not in shown
    browser.search.clear()
    qtbot.keyClicks(browser.search, "musculus masseter")
    assert browser.current is not None and browser.current.id == "masseter"
    assert "Referral pattern" in browser.text.toPlainText()
    assert browser.pattern.views  # the masseter pattern is shown in its views


def test_save_reopen_gives_the_same_drawing(qtbot, window, make_window, tmp_path, monkeypatch):
    window.set_tool(Tool.POINT)
    click(qtbot, window, landmark_pos(window, "temple", "right"))
    window.session_panel.code.setText("C-9")
    window.session_panel.code.editingFinished.emit()
    path = tmp_path / "visit.nmt"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert path.exists() and not window.model.dirty
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    other = make_window()
    assert other.open_session(str(path))
    a, b = window.model.session.marks[0], other.model.session.marks[0]
    assert (a.view, a.quality, a.intensity) == (b.view, b.quality, b.intensity)
    assert abs(a.geometry.area - b.geometry.area) < 1
    assert other.model.session.client_code == "C-9"
    assert [c.key for c in other.model.result.candidates] == [c.key for c in window.model.result.candidates]


@pytest.mark.parametrize(
    "content", [b"{ this is not json", b'{"format": "nmt-bodymap-session", "version": 7}', b"\x00\x01binary"]
)
def test_a_damaged_file_is_refused_and_left_untouched(qtbot, window, tmp_path, monkeypatch, content):
    path = tmp_path / "broken.nmt"
    path.write_bytes(content)
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, title, text, *a: shown.append(text))
    window.set_tool(Tool.POINT)
    click(qtbot, window, landmark_pos(window, "temple", "right"))
    window.model.undo_stack.setClean()
    assert not window.open_session(str(path))
    assert shown and str(path) in shown[0] and "not changed" in shown[0]
    assert path.read_bytes() == content
    assert len(window.model.session.marks) == 1  # the open session is kept


def test_a_clean_close_leaves_no_autosave(qtbot, make_window, monkeypatch):
    w = make_window()
    w.model.add_mark(disc_mark(w.model.chart, "m1", "anterior", -68, 92, 20))
    w.autosaver.save_now()
    assert w.autosaver.session_file.exists()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    assert w.close()
    assert not w.autosaver.session_file.exists()


def test_closing_with_unsaved_changes_asks(qtbot, make_window, monkeypatch):
    w = make_window()
    w.model.add_mark(disc_mark(w.model.chart, "m1", "anterior", -68, 92, 20))
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(1) or QMessageBox.StandardButton.Cancel)
    assert not w.close()
    assert asked and w.isVisible()


def test_the_window_remembers_tool_layout_and_size(qtbot, make_window):
    w = make_window()
    w.set_tool(Tool.BRUSH)
    w.set_layout("sides")
    w.set_quality("tingling")
    w.resize(761, 555)  # fits the off-screen platform's 800 x 600 screen
    assert w.close()
    again = make_window()
    assert again.canvas.tool == Tool.BRUSH and again.canvas.layout_name == "sides"
    assert again.canvas.quality == "tingling"
    assert (again.width(), again.height()) == (761, 555)


def test_every_command_is_reachable_by_keyboard(window):
    for menu_action in window.menuBar().actions():
        assert "&" in menu_action.text(), menu_action.text()
        for act in menu_action.menu().actions():
            if act.isSeparator() or act.menu():
                continue
            assert act.shortcut().toString() or "&" in act.text(), act.text()
    for tool, act in window.tool_actions.items():
        assert act.shortcut().toString(), tool


def test_keyboard_shortcuts_change_tool_quality_and_views(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_B)
    assert window.canvas.tool == Tool.BRUSH
    qtbot.keyClick(window, Qt.Key.Key_5)
    assert window.canvas.quality == "numbness"
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.canvas.layout_name == "soles"
    zoom = window.canvas.zoom()
    qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.canvas.zoom() > zoom
    qtbot.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)


def test_side_badges_stay_in_sight_when_zoomed(qtbot, window):
    window.canvas.zoom_by(6.0, window.canvas.viewport().rect().center())
    image = window.canvas.viewport().grab().toImage()
    blue = sum(
        1
        for x in range(0, image.width(), 3)
        for y in range(0, image.height(), 3)
        if (c := image.pixelColor(x, y)).blue() > 120 and c.red() < 80 and c.green() < 130
    )
    assert blue > 10


def test_the_command_line_opens_a_session_file(monkeypatch, tmp_path):
    from nmt_bodymap import cli

    opened = []
    monkeypatch.setattr("nmt_bodymap.ui.app.run_app", lambda path=None: opened.append(path) or 0)
    assert cli.main([str(tmp_path / "visit.nmt")]) == 0
    assert opened == [str(tmp_path / "visit.nmt")]
    assert load is not None and Path


def test_export_dialog_previews_and_exports(qtbot, window, tmp_path, monkeypatch):
    from nmt_bodymap.ui.export_dialog import ExportDialog

    window.set_tool(Tool.POINT)
    click(qtbot, window, landmark_pos(window, "temple", "right"))
    dialog = ExportDialog(window.model, window.settings, window)
    qtbot.addWidget(dialog)
    assert dialog.preview.pixmap() is not None and dialog.preview.pixmap().width() > 100
    assert dialog.page.maximum() == 1
    next(b for b in dialog.kinds.buttons() if b.property("kind") == "report").setChecked(True)
    assert dialog.page.maximum() >= 2
    dialog.view_checks["right-lateral"].setChecked(True)
    assert dialog.views() == ["anterior", "posterior", "right-lateral"]
    out = tmp_path / "report.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.written == out and out.read_bytes().startswith(b"%PDF")


def test_print_goes_through_the_print_dialog(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    from nmt_bodymap.ui import export_dialog

    out = tmp_path / "printed.pdf"

    def accept(dialog):
        printer: QPrinter = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return 1

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    window.set_tool(Tool.POINT)
    click(qtbot, window, landmark_pos(window, "temple", "right"))
    assert export_dialog.print_report(window.model, window.settings, window)
    assert out.read_bytes().startswith(b"%PDF")


def test_an_export_is_announced_in_the_status_bar_with_its_folder(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtGui import QDesktopServices

    from nmt_bodymap.ui.export_dialog import ExportDialog

    window.set_tool(Tool.POINT)
    click(qtbot, window, landmark_pos(window, "temple", "right"))
    folder = tmp_path / "exports"
    folder.mkdir()
    out = folder / "chart.pdf"
    asked: list[str] = []

    def save_name(_parent, _title, start, _filters=""):
        asked.append(start)
        return str(out), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    boxes: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: boxes.append("information"))
    monkeypatch.setattr(ExportDialog, "exec", lambda self: self.export() or 1)
    window.export_dialog()
    assert out.read_bytes().startswith(b"%PDF") and boxes == []  # no box to dismiss
    notice = window.written_notice
    assert notice.isVisible() and notice.label.text() == "Wrote chart.pdf"
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    qtbot.mouseClick(notice.button, Qt.MouseButton.LeftButton)
    assert opened == [str(folder)]
    window.save_as()  # the next file dialog opens where the export went
    assert Path(asked[-1]).parent == folder


def test_file_dialogs_open_in_the_session_folder(qtbot, window, tmp_path, monkeypatch):
    visits = tmp_path / "visits"
    visits.mkdir()
    path = visits / "c-1.nmt"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    window.model.add_mark(disc_mark(window.model.chart, "m1", "anterior", -68, 92, 20))
    assert window.save()
    seen: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda _p, _t, start, _f="": seen.append(start) or ("", ""))
    window.open_dialog()
    assert seen == [str(visits)]


def test_the_smoke_exit_hook_closes_the_window_and_says_what_it_showed(
    qtbot, make_window, tmp_path, monkeypatch, capsys
):
    from nmt_bodymap.ui.main_window import SMOKE_EXIT_ENV

    first = make_window()
    first.model.add_mark(disc_mark(first.model.chart, "m1", "anterior", -68, 92, 20))
    path = tmp_path / "visit.nmt"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    assert first.save() and first.close()
    monkeypatch.setenv(SMOKE_EXIT_ENV, "50")
    exits: list[int] = []  # the hook ends the app's event loop: record it instead, other tests run on
    monkeypatch.setattr(QApplication, "exit", staticmethod(lambda code=0: exits.append(code)))
    w = make_window()
    assert w.open_session(str(path))
    qtbot.waitUntil(lambda: not w.isVisible(), timeout=5000)
    out = capsys.readouterr().out
    assert "nmt-bodymap smoke: main window shown" in out and "visit.nmt open with 1 marks" in out
    assert "closed cleanly" in out
    qtbot.waitUntil(lambda: len(exits) == 2)
    assert exits == [0, 0]


def test_the_window_shows_before_the_lookup_is_read_and_reads_it_once_painted(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    from nmt_bodymap.ui.main_window import WARM_UP_FALLBACK_MS

    w = MainWindow(
        settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
        autosave_dir=tmp_path / "autosave",
        check_recovery=False,
    )
    qtbot.addWidget(w)
    # nothing drawn yet: the candidate list is empty without the engine
    assert w.model._engine is None and len(w.model.result.candidates) == 0
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(
        lambda: w.model._engine is not None, timeout=WARM_UP_FALLBACK_MS * 2 // 3
    )  # before the fallback: on the first paint
    engine = w.model._engine
    click(qtbot, w, landmark_pos(w, "lateral-epicondyle", "right"))
    assert w.model.engine is engine and len(w.model.result.candidates) > 0


def test_the_empty_result_is_what_the_engine_gives_for_no_marks(window):
    from nmt_bodymap.lookup import LookupResult

    empty, ranked = LookupResult.empty(), window.model.engine.rank([])
    for name in ("total_pain", "unexplained_fraction", "combination", "combination_fraction", "complaints"):
        assert getattr(empty, name) == getattr(ranked, name), name
    assert len(empty.candidates) == len(ranked.candidates) == 0
    assert (list(empty.nerves), list(empty.dermatomes), empty.differential) == (
        list(ranked.nerves),
        list(ranked.dermatomes),
        ranked.differential,
    )
    assert empty.unexplained == ranked.unexplained == {}
