"""Where the shipped data lives: the one module that locates assets.

The chart SVGs (``assets/svg``) and the referral atlas (``referral_maps``) sit
at the top of the repository so people can review and edit them, and ship
inside the wheel as the resource packages ``nmt_bodymap.assets`` and
``nmt_bodymap.referral_maps`` (see ``pyproject.toml``). Everything else asks
this module for paths.
"""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path


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
