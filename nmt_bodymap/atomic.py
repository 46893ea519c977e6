"""Replace a file only when its new content is complete, owner-only, leaving nothing behind (Qt-free).

Every file the app and the command line write (sessions, autosaves,
exports, pictures) goes through here:

- The new content is written to a temporary file in the target's folder,
  flushed to disk, and renamed over the target only when complete: a crash
  or a full disk at any moment leaves either the old file or the new one,
  never a mix, and an existing file is never truncated.
- On Linux, :func:`write_private` writes through an unnamed ``O_TMPFILE``
  that gets a name only once it is whole, so a process killed mid-write
  leaves no file at all. Elsewhere (and for writers that need a path, such
  as Qt's image and PDF writers) the temporary file is named
  ``.NAME.<16 hex digits>.tmp[.SUFFIX]``.
- Each temporary file is locked (``flock``) by its writer while it lives.
  Before every save, leftovers of killed writers in that folder (ours by
  name, owner and type, and no longer locked) are removed: a copy of a
  health record never lingers past the next save.
- Files are created 0600 whatever the umask, because they hold health
  information.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
from collections.abc import Callable
from pathlib import Path

if os.name == "posix":
    import fcntl
else:  # pragma: no cover - Windows: an open file cannot be deleted, which is protection enough
    fcntl = None  # type: ignore[assignment]

#: Our temporary files: ``.NAME.<16 hex>.tmp`` with the target's suffix repeated for writers that need it.
_TEMP_NAME = re.compile(r"^\..+\.[0-9a-f]{16}\.tmp(\.[A-Za-z0-9]{1,10})?$")
#: Temporary files of nmt-bodymap 0.1's session saves (``tempfile.mkstemp``), left by killed saves.
_LEGACY_TEMP_NAME = re.compile(r"^\..+\.nmt\.[a-z0-9_]{8}\.tmp$")
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_O_BINARY = getattr(os, "O_BINARY", 0)
#: Set to False to force named temporary files (tests exercise both ways).
use_unnamed_temporaries = hasattr(os, "O_TMPFILE") and os.path.isdir("/proc/self/fd")


def write_private(path: Path | str, data: bytes | str) -> None:
    """Write ``data`` to ``path`` atomically, owner-only (0600).

    Raises OSError; the target is then unchanged and no temporary file is left.
    """
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    folder = path.parent
    remove_stale_temporaries(folder)
    if use_unnamed_temporaries and _write_unnamed(path, payload):
        return
    fd, tmp = _create_named(path)
    try:
        try:
            _write_all(fd, payload)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_folder(folder)


def replace_with(path: Path, write: Callable[[Path], None]) -> None:
    """Let ``write`` fill a temporary file beside ``path`` (same suffix), then move it in place.

    Raises OSError (or whatever ``write`` raises); the temporary file is
    always removed and the target is untouched on failure.
    """
    path = Path(path)
    folder = path.parent
    remove_stale_temporaries(folder)
    fd, tmp = _create_named(path)
    try:
        write(tmp)
        info = tmp.stat()
        if info.st_size == 0:
            raise OSError(errno.EIO, f"nothing was written to {path}")
        if os.name == "posix":
            os.chmod(tmp, 0o600)  # in case the writer replaced the file instead of filling it
        os.replace(tmp, path)
    finally:
        os.close(fd)
        tmp.unlink(missing_ok=True)
    _fsync_folder(folder)


def remove_stale_temporaries(folder: Path | str) -> list[Path]:
    """Remove temporary files that killed writers left in ``folder``; return what was removed.

    Only regular files of the current user named like ours and not locked by
    a live writer are removed. Never raises.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        name = entry.name
        if not name.startswith(".") or not (_TEMP_NAME.match(name) or _LEGACY_TEMP_NAME.match(name)):
            continue
        with contextlib.suppress(OSError):
            info = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(info.st_mode) or (hasattr(os, "getuid") and info.st_uid != os.getuid()):
                continue
            if _remove_if_unlocked(Path(entry.path)):
                removed.append(Path(entry.path))
    return removed


# ---------------------------------------------------------------------------


def _write_unnamed(path: Path, payload: bytes) -> bool:
    """Write through O_TMPFILE and link it in when whole; False when the folder cannot do it."""
    try:
        fd = os.open(path.parent, os.O_TMPFILE | os.O_WRONLY | _O_CLOEXEC, 0o600)
    except OSError:
        return False  # no O_TMPFILE on this file system; a real fault shows again with a named file
    tmp: Path | None = None
    try:
        _lock(fd)
        os.fchmod(fd, 0o600)
        _write_all(fd, payload)
        os.fsync(fd)
        for _ in range(100):
            tmp = _temp_name(path)
            try:
                os.link(f"/proc/self/fd/{fd}", tmp)
                break
            except FileExistsError:
                continue
            except OSError:
                return False  # no /proc or no linkat support: use a named file instead
        else:  # pragma: no cover - 100 collisions of 64 random bits
            return False
        os.replace(tmp, path)
        tmp = None
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        os.close(fd)
    _fsync_folder(path.parent)
    return True


def _temp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp{path.suffix}")


def _create_named(path: Path) -> tuple[int, Path]:
    """A new, locked, owner-only temporary file beside ``path``."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_CLOEXEC | _O_NOFOLLOW | _O_BINARY
    for _ in range(100):
        tmp = _temp_name(path)
        try:
            fd = os.open(tmp, flags, 0o600)
        except FileExistsError:
            continue
        _lock(fd)
        try:
            same = os.path.samestat(os.fstat(fd), os.lstat(tmp))
        except FileNotFoundError:
            same = False  # another save's clean-up took it before we locked it
        if not same:
            os.close(fd)
            continue
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o600)
        return fd, tmp
    raise OSError(errno.EEXIST, f"cannot create a temporary file beside {path}")  # pragma: no cover


def _write_all(fd: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _lock(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a new file: nobody else can hold it


def _remove_if_unlocked(tmp: Path) -> bool:
    if fcntl is None:  # pragma: no cover - Windows refuses to delete a file a live writer holds open
        tmp.unlink()
        return True
    fd = os.open(tmp, os.O_RDONLY | _O_CLOEXEC | _O_NOFOLLOW | _O_NONBLOCK)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False  # a live writer holds it
        if not os.path.samestat(os.fstat(fd), os.lstat(tmp)):
            return False
        tmp.unlink()
        return True
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable (POSIX); best effort."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _O_CLOEXEC)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
