"""Ctrl+P: a print preview of the chart, the report or the handout (pytest-qt, no modal loop)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from export_sessions import busy_session
from pdf_text import Pdf
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QMessageBox

from nmt_bodymap.render.export import pages_of
from nmt_bodymap.ui.app import make_app
from nmt_bodymap.ui.main_window import MainWindow
from nmt_bodymap.ui.print_preview import KIND_KEY, PrintPreview


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    make_app()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    w = MainWindow(settings=settings, autosave_dir=tmp_path / "autosave", check_recovery=False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    session = busy_session()
    for mark in session.marks:
        w.model.add_mark(mark)
    for key, finding in session.findings.items():
        w.model.set_finding(key, finding)
    yield w
    w.model.undo_stack.setClean()


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def text_of(path: Path) -> str:
    return unicodedata.normalize("NFKC", Pdf(path).text())


def open_preview(window: MainWindow, qtbot) -> PrintPreview:  # type: ignore[no-untyped-def]
    window.act_print.trigger()
    dialog = window.findChild(PrintPreview)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def test_ctrl_p_is_the_print_action(window):
    assert window.act_print.shortcut() == QKeySequence(QKeySequence.StandardKey.Print)


def test_ctrl_p_opens_the_preview_of_the_report(window, qtbot):
    dialog = open_preview(window, qtbot)
    assert dialog.isModal() or dialog.windowModality() != Qt.WindowModality.NonModal
    assert dialog.kind() == "report"
    assert [dialog.kind_box.itemData(i) for i in range(dialog.kind_box.count())] == ["chart", "report", "handout"]
    dialog.preview.updatePreview()
    qtbot.waitUntil(lambda: dialog.preview.pageCount() == len(pages_of(dialog.document())))
    dialog.close()


@pytest.mark.parametrize(
    "kind, title, pages_at_least",
    [("chart", "Pain chart", 1), ("report", "Session report", 2), ("handout", "Your home-care plan", 1)],
)
def test_the_chosen_kind_is_what_gets_printed(window, qtbot, tmp_path, kind, title, pages_at_least):
    dialog = open_preview(window, qtbot)
    dialog.kind_box.setCurrentIndex(dialog.kind_box.findData(kind))
    assert dialog.kind() == kind
    out = tmp_path / f"{kind}.pdf"
    dialog.paint(pdf_printer(out))  # what the preview and the printer receive
    text = text_of(out)
    assert text.startswith(title)
    assert len(Pdf(out).pages()) >= pages_at_least
    assert len(Pdf(out).pages()) == len(pages_of(dialog.document()))
    dialog.close()


def test_the_choice_is_remembered(window, qtbot):
    dialog = open_preview(window, qtbot)
    dialog.kind_box.setCurrentIndex(dialog.kind_box.findData("handout"))
    assert window.settings.value(KIND_KEY) == "handout"
    dialog.close()
    again = PrintPreview(window.model, window.settings, window)
    assert again.kind() == "handout"
    again.deleteLater()


def test_changing_the_kind_repaints_the_preview(window, qtbot):
    dialog = open_preview(window, qtbot)
    painted: list[str] = []
    dialog.paintRequested.connect(lambda _printer: painted.append(dialog.kind()))
    dialog.kind_box.setCurrentIndex(dialog.kind_box.findData("chart"))
    qtbot.waitUntil(lambda: "chart" in painted)
    qtbot.waitUntil(lambda: dialog.preview.pageCount() == 1)
    dialog.close()
