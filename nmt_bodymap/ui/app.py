"""Start the desktop app."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from nmt_bodymap.render.qt import APP_NAME

if TYPE_CHECKING:
    from nmt_bodymap.ui.main_window import MainWindow


def make_app() -> QApplication:
    """The QApplication, named so QSettings and QStandardPaths find the app's files."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    QApplication.setApplicationDisplayName("nmt-bodymap")
    return app


def open_main_window(session_path: str | None = None) -> MainWindow:
    """Show the main window, on ``session_path`` if given.

    Autosaved work left by a run that did not close cleanly is offered back
    as soon as the window is up, with or without a file to open.
    """
    from nmt_bodymap.ui.main_window import MainWindow

    window = MainWindow(check_recovery=True)
    window.show()
    if session_path:
        window.open_session(session_path, ask=False)
    return window


def run_app(session_path: str | None = None) -> int:
    """Open the main window (on ``session_path`` if given); return the exit code."""
    app = make_app()
    window = open_main_window(session_path)
    code = int(app.exec())
    del window
    return code
