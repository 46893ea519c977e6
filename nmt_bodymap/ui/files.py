"""Saving session files from the app: atomic, private, and autosaved.

Saves go through the core's :mod:`nmt_bodymap.atomic`, the same mechanism
as the command line: the content replaces the target only when complete,
so a crash mid-save leaves the old file whole and no temporary copy
behind; files are readable by the owner only. A session the app could not
read back (past the file limits) is refused before anything is written.

Every change is autosaved within seconds to the user data folder
(``paths.data_dir() / "autosave"``, owner-only). Each running window holds
an OS lock (``flock``; ``msvcrt.locking`` on Windows) on a lock file
beside its autosave for as long as it runs; the lock dies with the
process, however it ends. The next start offers back every autosave whose
lock is free: after a crash, a kill -9 or a power cut, whatever process
now has the old PID.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, QTimer

from nmt_bodymap import paths
from nmt_bodymap.atomic import write_private
from nmt_bodymap.session import Session, SessionError, load, save
from nmt_bodymap.ui.model import SessionModel

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt
else:
    import fcntl

_MAX_META_BYTES = 64 * 1024


def save_atomically(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, owner-only; raise OSError on failure."""
    write_private(Path(path), data)


def save_session(session: Session, path: str | Path) -> None:
    """Save atomically; SessionError when the session could not be read back, OSError when not written."""
    save(session, path)


def data_dir() -> Path:
    """The app's data folder (the same as QStandardPaths' AppDataLocation)."""
    return paths.data_dir()


def autosave_dir() -> Path:
    return data_dir() / "autosave"


class ProcessLock:
    """An exclusive OS lock on a file, held until released or until the process ends."""

    def __init__(self, fd: int, path: Path) -> None:
        self.fd: int | None = fd
        self.path = path

    @classmethod
    def try_acquire(cls, path: Path) -> ProcessLock | None:
        """The lock, or None when another live process (or another lock in this one) holds it."""
        for _ in range(10):
            fd = os.open(
                path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0), 0o600
            )
            try:
                if sys.platform == "win32":  # pragma: no cover
                    msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
                else:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    if not os.path.samestat(os.fstat(fd), os.stat(path)):
                        raise FileNotFoundError(path)  # removed by another run's clean-up meanwhile: try again
            except FileNotFoundError:
                os.close(fd)
                continue
            except OSError:
                os.close(fd)
                return None
            return cls(fd, path)
        return None

    def release(self, remove: bool = False) -> None:
        if self.fd is None:
            return
        if remove:
            self.path.unlink(missing_ok=True)  # while still held: nobody can take a lock on a file being removed
        os.close(self.fd)
        self.fd = None

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.release()


@dataclass
class Recovery:
    """Work autosaved by an earlier run that did not close cleanly (its lock held while offered)."""

    session_file: Path
    meta_file: Path
    original_path: str
    saved_at: float
    lock: ProcessLock | None = field(default=None, repr=False)

    def load(self) -> Session:
        return load(self.session_file)

    def discard(self) -> None:
        self.session_file.unlink(missing_ok=True)
        self.meta_file.unlink(missing_ok=True)
        if self.lock is not None:
            self.lock.release(remove=True)
        else:
            self.meta_file.with_suffix(".lock").unlink(missing_ok=True)

    def release(self) -> None:
        """Keep the autosave for a later start."""
        if self.lock is not None:
            self.lock.release()


class Autosaver(QObject):
    """Writes the model to ``folder`` a moment after every change."""

    def __init__(self, model: SessionModel, folder: Path | None = None, delay_ms: int = 1500) -> None:
        super().__init__(model)
        self.model = model
        self.folder = folder or autosave_dir()
        self.id = uuid.uuid4().hex
        self._lock: ProcessLock | None = None
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

    @property
    def lock_file(self) -> Path:
        return self.folder / f"{self.id}.lock"

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
            paths.private_dir(self.folder)
            if self._lock is None:
                self._lock = ProcessLock.try_acquire(self.lock_file)
            save_session(self.model.session, self.session_file)
            meta = {"original_path": self.model.path, "saved_at": time.time(), "pid": os.getpid()}
            save_atomically(self.meta_file, json.dumps(meta).encode())
        except (OSError, SessionError):
            pass  # autosave is a safety net; the next change tries again

    def discard(self) -> None:
        self.timer.stop()
        self.session_file.unlink(missing_ok=True)
        self.meta_file.unlink(missing_ok=True)
        self.release_lock()

    def release_lock(self) -> None:
        if self._lock is not None:
            self._lock.release(remove=True)
            self._lock = None

    @staticmethod
    def pending(folder: Path | None = None) -> list[Recovery]:
        """Autosaves whose writer is no longer running, newest first; each is locked while offered."""
        folder = folder or autosave_dir()
        found: list[Recovery] = []
        for meta_file in sorted(folder.glob("*.json")) if folder.is_dir() else []:
            session_file = meta_file.with_suffix(".nmt")
            meta = _read_meta(meta_file)
            if meta is None or not session_file.is_file():
                continue
            try:
                lock = ProcessLock.try_acquire(meta_file.with_suffix(".lock"))
            except OSError:
                continue
            if lock is None:
                continue  # its window is still open
            if not session_file.is_file():  # its window closed cleanly just now
                lock.release(remove=True)
                continue
            saved_at = meta.get("saved_at", 0)
            found.append(
                Recovery(
                    session_file,
                    meta_file,
                    str(meta.get("original_path") or ""),
                    float(saved_at) if isinstance(saved_at, (int, float)) else 0.0,
                    lock,
                )
            )
        for lock_file in folder.glob("*.lock") if folder.is_dir() else []:
            if not lock_file.with_suffix(".json").exists():  # a run that died before its first autosave
                with contextlib.suppress(OSError):
                    orphan = ProcessLock.try_acquire(lock_file)
                    if orphan is not None:
                        orphan.release(remove=True)
        return sorted(found, key=lambda r: -r.saved_at)


def _read_meta(meta_file: Path) -> dict[str, object] | None:
    try:
        info = meta_file.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > _MAX_META_BYTES:
            return None
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    return meta if isinstance(meta, dict) else None


__all__ = [
    "Autosaver",
    "ProcessLock",
    "Recovery",
    "SessionError",
    "autosave_dir",
    "data_dir",
    "save_atomically",
    "save_session",
]
