"""Where file dialogs open: the folder last used for a session or an export, else the session's own."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

FOLDER_KEY = "files/folder"  # the folder of the last session opened, saved or exported


def start_folder(settings: QSettings, session_path: str = "") -> Path:
    """Where a file dialog opens: the folder last used, else the session's folder, else home."""
    last = str(settings.value(FOLDER_KEY, "") or "")
    for candidate in (last, str(Path(session_path).parent) if session_path else ""):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return Path.home()


def remember_folder(settings: QSettings, path: str | Path) -> None:
    settings.setValue(FOLDER_KEY, str(Path(path).resolve().parent))


__all__ = ["FOLDER_KEY", "remember_folder", "start_folder"]
