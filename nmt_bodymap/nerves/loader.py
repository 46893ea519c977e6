"""Find, compile, cache and load the nerve atlas; one bad file never stops it.

The nerve atlas lives in ``referral_maps/nerves/`` (``peripheral/`` and
``dermatomes/``), one ``NAME.toml`` + ``NAME.svg`` pair per nerve or
dermatome. Any file under a folder named ``nerves`` is the nerve atlas's;
the muscle loader leaves those out. Compiling a drawing is cached by a hash
of both files, of the chart and of :data:`COMPILER`, like the muscles'.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import fields
from functools import lru_cache
from pathlib import Path

from shapely.geometry import Point

from nmt_bodymap import cache
from nmt_bodymap.atlas.folders import NERVE_FOLDER, scan
from nmt_bodymap.atlas.loader import chart_digest, read_pair
from nmt_bodymap.atlas.model import Problem
from nmt_bodymap.chart import Chart, load_chart
from nmt_bodymap.nerves.compile import compile_nerve
from nmt_bodymap.nerves.model import (
    DERMATOME_GROUPS,
    LEVELS,
    NERVE_GROUPS,
    EntrapmentSite,
    Nerve,
    NerveFacts,
    SidedNerve,
    SidedSite,
)
from nmt_bodymap.nerves.text import facts_from_json, facts_to_json, parse_nerve_toml
from nmt_bodymap.nerves.tree import SidedOwn, build_sides, check_tree

#: Bump when compiled output changes shape or the checks change.
COMPILER = "nerve-compiler-3"


def _order(nerve: Nerve) -> tuple:
    if nerve.kind == "dermatome":
        return (1, list(DERMATOME_GROUPS).index(nerve.group), LEVELS.index(nerve.level), "")
    return (0, list(NERVE_GROUPS).index(nerve.group), 0, nerve.name.lower())


class NerveAtlas:
    """The loaded nerve atlas: valid nerves and dermatomes, their sided instances, and what was skipped."""

    def __init__(
        self, nerves: list[Nerve], sided: list[SidedNerve], problems: list[Problem], skipped: list[str], digest: str
    ) -> None:
        self.nerves: dict[str, Nerve] = {n.id: n for n in sorted(nerves, key=_order)}
        self.sided: list[SidedNerve] = sorted(sided, key=lambda s: s.key)
        self.problems = problems
        self.skipped = skipped  # files whose nerve could not be loaded
        #: Identifies this exact nerve atlas content (for caches built on it).
        self.digest = digest

    @classmethod
    def empty(cls) -> NerveAtlas:
        """A nerve atlas with no nerves (a lookup without the nerve layer)."""
        return cls([], [], [], [], cache.digest("nerves"))

    def nerve(self, nerve_id: str) -> Nerve:
        try:
            return self.nerves[nerve_id]
        except KeyError:
            raise KeyError(f"no nerve '{nerve_id}' in the nerve atlas (see: nmt-bodymap atlas nerves)") from None

    @property
    def peripheral(self) -> list[Nerve]:
        return [n for n in self.nerves.values() if n.kind == "peripheral"]

    @property
    def dermatomes(self) -> list[Nerve]:
        return [n for n in self.nerves.values() if n.kind == "dermatome"]

    def descendants(self, nerve_id: str) -> list[str]:
        """Every branch of a nerve, and their branches, nearest first."""
        found: list[str] = []
        stack = list(self.nerve(nerve_id).children)
        while stack:
            nid = stack.pop(0)
            found.append(nid)
            stack.extend(self.nerves[nid].children)
        return found

    def ancestors(self, nerve_id: str) -> list[str]:
        """The nerve's parent, its parent's parent, and so on."""
        found: list[str] = []
        at = self.nerve(nerve_id)
        while at.parent:
            found.append(at.parent)
            at = self.nerves[at.parent]
        return found

    def sided_for(self, nerve_id: str) -> list[SidedNerve]:
        return [s for s in self.sided if s.nerve.id == nerve_id]

    def by_key(self) -> dict[str, SidedNerve]:
        return {s.key: s for s in self.sided}

    def sites(self) -> list[tuple[Nerve, EntrapmentSite]]:
        """Every entrapment site with the nerve it sits on."""
        return [(n, s) for n in self.nerves.values() for s in n.sites]

    def sided_sites(self) -> list[SidedSite]:
        return [site for s in self.sided for site in s.sites]


def in_nerve_atlas(path: Path) -> bool:
    """Whether a path given by the user belongs to the nerve atlas (it has a ``nerves`` folder in it)."""
    return NERVE_FOLDER in path.parts


def discover_nerves(paths: Sequence[Path | str] | None = None) -> tuple[list[tuple[Path, Path]], list[Problem]]:
    """Nerve file pairs under ``paths`` (the app's atlas folders by default).

    A folder contributes the files under a ``nerves`` folder inside it (or
    all its files when it is itself in one); a file counts when its path has
    a ``nerves`` folder.
    """
    layers = scan(paths, nerves=True)
    return [p for layer in layers for p in layer.pairs], [p for layer in layers for p in layer.problems]


def _compile(toml: Path, svg: Path, toml_data: bytes, svg_data: bytes, chart: Chart) -> dict:
    """Read the text and compile the drawing: everything about one file pair that can be cached."""
    facts, text_problems = parse_nerve_toml(toml_data, toml.stem, toml.parent.name)
    if facts is None or text_problems:
        return {"text_problems": [[e, m] for e, m in text_problems], "facts": None}
    return {"text_problems": [], "facts": facts_to_json(facts), **compile_nerve(svg, svg_data, facts, chart)}


def load_nerve(
    toml: Path, svg: Path, chart: Chart, keys: list[str] | None = None
) -> tuple[Nerve | None, dict[str, dict], list[Problem]]:
    """Load one nerve file pair; on any problem return None and the problems.

    Besides the nerve, returns its own territory per side (``{side: {view: geometry}}``).
    The checked text and the compiled drawing are cached together, keyed by both
    files' content and the file's name and folder (which the checks depend on).
    """
    read = read_pair(toml, svg)
    if isinstance(read, Problem):
        return None, {}, [read]
    toml_data, svg_data = read
    key = cache.digest(COMPILER, chart_digest(), toml.parent.name, toml.stem, toml_data, svg_data)
    if keys is not None:
        keys.append(key)
    compiled = cache.cached("nerves", key, lambda: _compile(toml, svg, toml_data, svg_data, chart))
    problems = [Problem(str(toml), e, m) for e, m in compiled["text_problems"]]
    if compiled["facts"] is None or problems:
        return None, {}, problems
    problems += [Problem(str(svg), e, m) for e, m in compiled["problems"]]
    if problems:
        return None, {}, problems
    facts = facts_from_json(compiled["facts"])
    blobs = [(side, view, wkb) for side, views in compiled["own"].items() for view, wkb in views.items()]
    geoms = cache.decode_geometries([wkb for _, _, wkb in blobs])
    own: dict[str, dict] = {side: {} for side in compiled["own"]}
    for (side, view, _), geom in zip(blobs, geoms, strict=True):
        own[side][view] = geom
    nerve = Nerve(
        **{f.name: getattr(facts, f.name) for f in fields(NerveFacts)},
        toml_path=toml,
        svg_path=svg,
        own=own.get("right", {}),
        own_area=float(compiled["area"].get("right", 0.0)),
        site_points={s: {v: Point(*xy) for v, xy in views.items()} for s, views in compiled["sites"].items()},
    )
    return nerve, own, []


def load_nerves(paths: Sequence[Path | str] | None = None, chart: Chart | None = None) -> NerveAtlas:
    """Load every valid nerve and dermatome under ``paths`` (the shipped nerve atlas by default)."""
    chart = chart or load_chart()
    pairs, problems = discover_nerves(paths)
    skipped: list[str] = [p.file for p in problems]
    nerves: dict[str, Nerve] = {}
    own: SidedOwn = {}
    not_loaded: set[str] = set()
    keys: list[str] = []
    for toml, svg in pairs:
        nerve, sided_own, found = load_nerve(toml, svg, chart, keys)
        if nerve is not None and nerve.id in nerves:
            found = [
                Problem(str(toml), None, f"duplicate nerve id '{nerve.id}' (also in {nerves[nerve.id].toml_path})")
            ]
            nerve = None
        if nerve is None:
            problems += found
            skipped.append(str(toml))
            not_loaded.add(toml.stem)
            continue
        nerves[nerve.id] = nerve
        own[nerve.id] = sided_own
    valid, tree_problems = check_tree(nerves, not_loaded)
    problems += tree_problems
    skipped += [str(n.toml_path) for nid, n in nerves.items() if nid not in valid]
    sided = build_sides(valid, own)
    return NerveAtlas(list(valid.values()), sided, problems, skipped, cache.digest("nerves", *sorted(keys)))


@lru_cache(maxsize=1)
def shipped_nerves() -> NerveAtlas:
    """The nerve atlas that ships with the app (loaded once per process)."""
    return load_nerves()


def iter_text(nerve: Nerve) -> Iterable[str]:
    """Every searchable text of a nerve, for the atlas browser: names, levels, territory, sites."""
    yield nerve.name
    yield from nerve.synonyms
    yield nerve.group_title
    yield from nerve.levels
    yield nerve.territory_text
    for site in nerve.sites:
        yield site.name
        yield site.structure
        yield site.felt
