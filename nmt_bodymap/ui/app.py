"""Start the desktop app."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from nmt_bodymap.render.qt import APP_NAME


def make_app() -> QApplication:
    """The QApplication, named so QSettings and QStandardPaths find the app's files."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    QApplication.setApplicationDisplayName("nmt-bodymap")
    return app


def run_app(session_path: str | None = None) -> int:
    """Open the main window (on ``session_path`` if given); return the exit code."""
    app = make_app()
    from nmt_bodymap.ui.main_window import MainWindow

    window = MainWindow(check_recovery=session_path is None)
    window.show()
    if session_path:
        window.open_session(session_path, ask=False)
    return int(app.exec())
