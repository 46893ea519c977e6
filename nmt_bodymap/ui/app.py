"""Start the desktop app."""

from __future__ import annotations

import sys


def run_app(session_path: str | None = None) -> int:
    """Open the main window (on ``session_path`` if given); return the exit code."""
    from PySide6.QtWidgets import QApplication

    from nmt_bodymap.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("nmt-bodymap")
    app.setOrganizationName("nmt-bodymap")
    window = MainWindow()
    window.show()
    if session_path:
        window.open_session(session_path)
    return int(app.exec())
