"""Shared pieces of the GUI tests: a real main window with private settings, and ways to draw on it.

Import the fixtures into a test module (``from tests.ui_helpers import make_window, window``);
pytest finds them there.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from nmt_bodymap.ui.app import make_app
from nmt_bodymap.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def never_block_on_dialogs(monkeypatch):
    """A modal box would hang an off-screen test: answer "Discard" unless a test says otherwise."""
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)


@pytest.fixture
def make_window(qtbot, tmp_path):
    make_app()
    settings_file = tmp_path / "settings.ini"
    autosave = tmp_path / "autosave"

    def make(size: tuple[int, int] | None = (1300, 850), theme: str | None = None) -> MainWindow:
        first = not settings_file.exists()
        settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
        if theme is not None:
            settings.setValue("view/theme", theme)
        w = MainWindow(settings=settings, autosave_dir=autosave, check_recovery=False)
        qtbot.addWidget(w)
        if first and size is not None:
            w.resize(*size)
        w.show()
        qtbot.waitExposed(w)
        return w

    return make


@pytest.fixture
def window(make_window):
    return make_window(theme="light")


def landmark_pos(w: MainWindow, landmark: str, side: str | None, view: str = "anterior") -> QPoint:
    lm = w.model.chart.view(view).landmark(landmark, side)
    return w.canvas.viewport_point(view, lm.x, lm.y).toPoint()


def click(qtbot, w: MainWindow, pos: QPoint) -> None:
    qtbot.mouseClick(w.canvas.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def drag(qtbot, w: MainWindow, points: list[QPoint]) -> None:
    vp = w.canvas.viewport()
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=points[0])
    for p in points[1:]:
        qtbot.mouseMove(vp, pos=p)
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=points[-1])


def draw_headache(qtbot, w: MainWindow) -> None:
    """A right temple disc and a band from the mastoid to the shoulder: many candidates."""
    from nmt_bodymap.session import disc_mark, stroke_mark

    chart = w.model.chart
    t = chart.view("anterior").landmark("temple", "right")
    w.model.add_mark(disc_mark(chart, "m1", "anterior", t.x, t.y, 22, "throbbing", 7))
    post = chart.view("posterior")
    m, n = post.landmark("mastoid", "right"), post.landmark("neck-shoulder-angle", "right")
    w.model.add_mark(stroke_mark(chart, "m2", "posterior", [(m.x, m.y), (n.x, n.y)], 26, "aching", 5))
    qtbot.wait(10)


__all__ = ["click", "drag", "draw_headache", "landmark_pos", "make_window", "never_block_on_dialogs", "window"]
