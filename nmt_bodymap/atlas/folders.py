"""Where atlas files are found: the shipped atlas, the user's folders, bounded walks.

The app's atlas is made of layers, each a folder: the shipped atlas first,
then the user's own atlas folder in the app's data folder
(:func:`nmt_bodymap.resources.user_atlas_dir`), then every folder of
``NMT_BODYMAP_ATLAS`` in order. A muscle in a later layer replaces the muscle
of the same id in an earlier one.

A folder is walked at most :data:`MAX_DEPTH` levels deep and
:data:`MAX_ENTRIES` entries in all, without following symlinked folders, so
pointing ``NMT_BODYMAP_ATLAS`` at a huge tree (or ``/``) cannot hang the app.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from nmt_bodymap import resources
from nmt_bodymap.atlas.model import Problem

#: Folder levels below an atlas folder that are searched (the shipped atlas uses one: its groups).
MAX_DEPTH = 4
#: Entries (files and folders) looked at in one atlas folder before giving up.
MAX_ENTRIES = 20_000

SUFFIXES = (".toml", ".svg")


@dataclass
class Layer:
    """One atlas folder (or file) and the muscle file pairs found in it."""

    root: Path
    user: bool  # False for the shipped atlas
    pairs: list[tuple[Path, Path]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


#: Files under a folder of this name belong to the nerve atlas (nmt_bodymap.nerves), not to the muscles.
NERVE_FOLDER = "nerves"


def default_roots() -> list[tuple[Path, bool]]:
    """The layers the app uses: the shipped atlas, then the user's folders (``(folder, is_user)``)."""
    return [(resources.atlas_dir(), False), *((p, True) for p in resources.user_atlas_dirs())]


def _walk(root: Path, problems: list[Problem]) -> list[Path]:
    """Atlas files under ``root``, sorted; bounded in depth and entries."""
    found: list[Path] = []
    seen = 0
    stack: list[tuple[Path, int]] = [(root, 0)]
    while stack:
        folder, depth = stack.pop()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    seen += 1
                    if seen > MAX_ENTRIES:
                        problems.append(
                            Problem(str(root), None, f"holds more than {MAX_ENTRIES:,} entries; only part was searched")
                        )
                        return sorted(found)
                    if entry.name.startswith("."):
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        if depth < MAX_DEPTH:
                            stack.append((Path(entry.path), depth + 1))
                    elif entry.name.endswith(SUFFIXES):
                        found.append(Path(entry.path))
        except OSError as exc:
            problems.append(Problem(str(folder), None, f"cannot list folder ({exc.strerror or exc})"))
    return sorted(found)


def _is_nerve_file(root: Path, f: Path) -> bool:
    return NERVE_FOLDER in root.parts or NERVE_FOLDER in f.relative_to(root).parts[:-1]


def scan_root(root: Path | str, user: bool = False, nerves: bool = False) -> Layer:
    """The muscle (or, with ``nerves``, the nerve) file pairs of one folder or one ``.toml``/``.svg`` file.

    A file belongs to the nerve atlas when a folder on its path is called ``nerves``.
    """
    layer = Layer(Path(root), user)
    root = layer.root
    try:
        mode = root.stat().st_mode
    except OSError as exc:
        message = "no such file or folder" if isinstance(exc, FileNotFoundError) else f"cannot read ({exc.strerror})"
        layer.problems.append(Problem(str(root), None, message))
        return layer
    if stat.S_ISDIR(mode):
        files = _walk(root, layer.problems)
    elif root.suffix in SUFFIXES:
        files = [root]
    else:
        layer.problems.append(Problem(str(root), None, "not an atlas folder or a .toml/.svg file"))
        return layer
    stems = dict.fromkeys(f.with_suffix("") for f in files if _is_nerve_file(root, f) == nerves)
    for stem in stems:
        toml, svg = stem.with_suffix(".toml"), stem.with_suffix(".svg")
        if not os.path.lexists(toml):
            layer.problems.append(Problem(str(svg), None, f"has no text file {toml.name} beside it"))
        elif not os.path.lexists(svg):
            layer.problems.append(Problem(str(toml), None, f"has no drawing {svg.name} beside it"))
        else:
            layer.pairs.append((toml, svg))
    return layer


def scan(paths: Sequence[Path | str] | None = None, nerves: bool = False) -> list[Layer]:
    """Layers for ``paths`` (each one a layer, none a user's), or the app's layers by default."""
    roots = [(Path(p), False) for p in paths] if paths else default_roots()
    return [scan_root(root, user, nerves) for root, user in roots]
