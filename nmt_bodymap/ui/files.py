"""Saving session files from the app: atomic, private, and autosaved.

Saves go through QSaveFile: the content is written to a temporary file that
replaces the target only when complete, so a crash mid-save leaves the old
file whole. Files are created readable by the owner only. Every change is
autosaved within seconds to the user data folder; after a crash the next
start offers the work back.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QFileDevice, QIODevice, QObject, QSaveFile, QStandardPaths, QTimer

from nmt_bodymap.session import Session, SessionError, dumps, load
from nmt_bodymap.ui.model import SessionModel

PRIVATE = QFileDevice.Permission.ReadOwner | QFileDevice.Permission.WriteOwner


def save_atomically(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via QSaveFile, owner-only; raise OSError on failure."""
    f = QSaveFile(str(path))
    if not f.open(QIODevice.OpenModeFlag.WriteOnly):
        raise OSError(f"cannot write {path}: {f.errorString()}")
    f.setPermissions(PRIVATE)
    if f.write(data) != len(data):
        f.cancelWriting()
        f.commit()
        raise OSError(f"cannot write {path}: {f.errorString()}")
    if not f.commit():
        raise OSError(f"cannot write {path}: {f.errorString()}")


def save_session(session: Session, path: str | Path) -> None:
    save_atomically(path, dumps(session).encode("utf-8"))


def data_dir() -> Path:
    """The app's folder in the user data location (QStandardPaths)."""
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))


@dataclass
class Recovery:
    """Work autosaved by an earlier run that did not close cleanly."""

    session_file: Path
    meta_file: Path
    original_path: str
    saved_at: float

    def load(self) -> Session:
        return load(self.session_file)

    def discard(self) -> None:
        self.session_file.unlink(missing_ok=True)
        self.meta_file.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


class Autosaver(QObject):
    """Writes the model to ``folder`` a moment after every change."""

    def __init__(self, model: SessionModel, folder: Path | None = None, delay_ms: int = 1500) -> None:
        super().__init__(model)
        self.model = model
        self.folder = folder or data_dir() / "autosave"
        self.id = uuid.uuid4().hex
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(self.save_now)
        model.changed.connect(self.timer.start)
        model.dirtyChanged.connect(self._dirty_changed)

    @property
    def session_file(self) -> Path:
        return self.folder / f"{self.id}.nmt"

    @property
    def meta_file(self) -> Path:
        return self.folder / f"{self.id}.json"

    def _dirty_changed(self, dirty: bool) -> None:
        if not dirty:
            self.discard()

    def save_now(self) -> None:
        """Autosave now if there is unsaved work (otherwise remove the autosave)."""
        self.timer.stop()
        if not self.model.dirty:
            self.discard()
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            save_session(self.model.session, self.session_file)
            meta = {"pid": os.getpid(), "original_path": self.model.path, "saved_at": time.time()}
            save_atomically(self.meta_file, json.dumps(meta).encode())
        except OSError:
            pass  # autosave is a safety net; the next change tries again

    def discard(self) -> None:
        self.timer.stop()
        self.session_file.unlink(missing_ok=True)
        self.meta_file.unlink(missing_ok=True)

    @staticmethod
    def pending(folder: Path | None = None) -> list[Recovery]:
        """Autosaves left by runs that are no longer running, newest first."""
        folder = folder or data_dir() / "autosave"
        found: list[Recovery] = []
        for meta_file in sorted(folder.glob("*.json")) if folder.is_dir() else []:
            session_file = meta_file.with_suffix(".nmt")
            try:
                meta = json.loads(meta_file.read_text())
                pid = int(meta.get("pid", 0))
            except (OSError, ValueError, TypeError):
                continue
            if not session_file.exists() or (pid and _alive(pid)):
                continue
            found.append(
                Recovery(session_file, meta_file, str(meta.get("original_path", "")), float(meta.get("saved_at", 0)))
            )
        return sorted(found, key=lambda r: -r.saved_at)


__all__ = ["Autosaver", "Recovery", "SessionError", "data_dir", "save_atomically", "save_session"]
