"""Where the app keeps its own files, computed without Qt, and kept private.

The app's data (autosaves, the client store, backups, the user's own atlas
folder), configuration and cache live in the per-user folders the platform
expects. The desktop app finds the same data folder through Qt's
``QStandardPaths.AppDataLocation`` (organisation and application both
``nmt-bodymap``); the command line and the core compute it here so both
agree. Every folder the app creates is owner-only (0700) whatever the umask,
because these folders hold health information.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

#: Organisation and application name; QStandardPaths and QSettings file the app under both.
APP_NAME = "nmt-bodymap"


def _home() -> Path:
    return Path.home()


def data_dir() -> Path:
    """The app's data folder (``~/.local/share/nmt-bodymap/nmt-bodymap`` on Linux)."""
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or _home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = _home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or _home() / ".local" / "share")
    return base / APP_NAME / APP_NAME


def config_dir() -> Path:
    """Where QSettings keeps ``nmt-bodymap.conf`` (``~/.config/nmt-bodymap`` on Linux)."""
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA") or _home() / "AppData" / "Roaming") / APP_NAME
    if sys.platform == "darwin":
        return _home() / "Library" / "Preferences"
    return Path(os.environ.get("XDG_CONFIG_HOME") or _home() / ".config") / APP_NAME


def cache_dir() -> Path | None:
    """The per-user cache folder, or None when caching is switched off.

    ``NMT_BODYMAP_CACHE_DIR`` moves it; set to an empty string it switches
    caching off.
    """
    override = os.environ.get("NMT_BODYMAP_CACHE_DIR")
    if override is not None:
        return Path(override) if override else None
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or _home() / "AppData" / "Local")
        return base / APP_NAME / "cache"
    if sys.platform == "darwin":
        return _home() / "Library" / "Caches" / APP_NAME
    return Path(os.environ.get("XDG_CACHE_HOME") or _home() / ".cache") / APP_NAME


def private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) owner-only, whatever the umask; return it.

    Parents the app creates are made 0700 too; an existing folder of the
    app's own (its last component) is tightened to 0700 if it was looser.
    Raises OSError when the folder cannot be made.
    """
    path = Path(path)
    missing: list[Path] = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=0o700)
        _chmod_private(folder)
    if not path.is_dir():
        raise NotADirectoryError(f"{path} is not a folder")
    if not missing:
        _chmod_private(path)
    return path


def _chmod_private(folder: Path) -> None:
    if os.name != "posix":
        return  # the user profile folders are already private on Windows
    try:
        if folder.stat().st_mode & 0o077:
            os.chmod(folder, 0o700)
    except OSError:
        pass  # not ours to change (a shared parent): leave it
