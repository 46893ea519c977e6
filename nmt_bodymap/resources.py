"""Where the data lives: the one module that locates assets and atlas folders.

The chart SVGs (``assets/svg``) and the referral atlas (``referral_maps``) sit
at the top of the repository so people can review and edit them, and ship
inside the wheel as the resource packages ``nmt_bodymap.assets`` and
``nmt_bodymap.referral_maps`` (see ``pyproject.toml``). Besides the shipped
atlas, a user may keep muscles of their own in ``atlas`` in the app's data
folder and in the folders named by ``NMT_BODYMAP_ATLAS``
(:func:`user_atlas_dirs`). Everything else asks this module for paths.
"""

from __future__ import annotations

import os
from importlib.resources import as_file, files
from pathlib import Path

from nmt_bodymap.paths import data_dir

#: Extra atlas folders, separated by os.pathsep (":" on Linux and macOS, ";" on Windows).
ATLAS_ENV = "NMT_BODYMAP_ATLAS"


def _directory(package: str) -> Path:
    resource = files(package)
    # Installed wheels and editable installs both expose real directories;
    # as_file() keeps this correct for zipped installs too.
    with as_file(resource) as path:
        return Path(path)


def chart_dir() -> Path:
    """Folder holding one SVG per body chart view."""
    return _directory("nmt_bodymap.assets") / "svg"


def chart_svg(view: str) -> Path:
    """The SVG file of a chart view (``anterior``, ``plantar``...)."""
    return chart_dir() / f"{view}.svg"


def atlas_dir() -> Path:
    """Folder of the referral atlas: one TOML + SVG pair per muscle."""
    return _directory("nmt_bodymap.referral_maps")


def user_atlas_dir() -> Path:
    """The user's own atlas folder in the app's data folder (it may not exist)."""
    return data_dir() / "atlas"


def user_atlas_dirs() -> list[Path]:
    """The user's atlas folders, later ones overriding earlier ones by muscle id.

    The data folder's ``atlas`` when it exists, then each folder of
    ``NMT_BODYMAP_ATLAS`` in order (listed even when missing, so the loader
    can say so).
    """
    folders = [user_atlas_dir()] if user_atlas_dir().is_dir() else []
    folders += [Path(p).expanduser() for p in os.environ.get(ATLAS_ENV, "").split(os.pathsep) if p.strip()]
    return folders
