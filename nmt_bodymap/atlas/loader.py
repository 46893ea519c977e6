"""Find, compile, cache and load the atlas; one bad file never stops it.

Each muscle is a pair ``NAME.toml`` + ``NAME.svg``. Compiling a muscle
(parsing the SVG, checking it against the chart, building its sided
geometry) is cached by a hash of both files, of the chart and of
:data:`COMPILER`, so a warm start only reads TOML and decodes WKB. A cache
entry is used only when its HMAC matches (:mod:`nmt_bodymap.cache`) and its
structure agrees with the muscle's text (:func:`valid_compiled`).

The atlas is layered (:mod:`nmt_bodymap.atlas.folders`): the shipped atlas,
then the user's folders, later folders replacing muscles of the same id.
Every fault of a file, including an exception no check foresaw, becomes a
:class:`Problem` naming the file; nothing raises out of :func:`load_atlas`.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import fields
from functools import lru_cache
from pathlib import Path
from typing import Any

from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from nmt_bodymap import cache, resources
from nmt_bodymap.atlas.folders import scan
from nmt_bodymap.atlas.geometry import check_trigger_points, compile_svg
from nmt_bodymap.atlas.model import GROUPS, Muscle, MuscleFacts, Problem, SidedTriggerPoint, TriggerPoint
from nmt_bodymap.atlas.text import MuscleText, parse_muscle_toml
from nmt_bodymap.atlas.zones import sided_instances
from nmt_bodymap.chart import VIEWS, Chart, ChartError, load_chart
from nmt_bodymap.guarded import MAX_SVG_BYTES, MAX_TOML_BYTES, BadFile, read_limited

#: Bump when compiled output changes shape or the checks change.
COMPILER = "atlas-compiler-9"
#: Problems reported per file at most (a hostile file can have thousands).
MAX_PROBLEMS_PER_FILE = 50


class Atlas:
    """The loaded atlas: valid muscles, their sided trigger points, and what was skipped."""

    def __init__(
        self,
        muscles: list[Muscle],
        sided: list[SidedTriggerPoint],
        problems: list[Problem],
        skipped: list[str],
        digest: str = "",
        user_folders: dict[str, Path] | None = None,
        overrides: dict[str, Path] | None = None,
    ) -> None:
        order = list(GROUPS)
        self.muscles: dict[str, Muscle] = {
            m.id: m for m in sorted(muscles, key=lambda m: (order.index(m.group), m.name.lower()))
        }
        self.sided: list[SidedTriggerPoint] = sorted(sided, key=lambda s: s.key)
        self.problems = problems
        self.skipped = skipped  # files whose muscle could not be loaded
        #: Muscle id -> the user's atlas folder it was loaded from (muscles not shipped with the app).
        self.user_folders: dict[str, Path] = user_folders or {}
        #: Muscle id -> the file of the muscle it replaced (a user's muscle over a shipped one).
        self.overrides: dict[str, Path] = overrides or {}
        #: Identifies this exact atlas content (for caches built on the whole atlas).
        self.digest = digest or hashlib.sha256("".join(sorted(s.key for s in self.sided)).encode()).hexdigest()

    def muscle(self, muscle_id: str) -> Muscle:
        try:
            return self.muscles[muscle_id]
        except KeyError:
            raise KeyError(f"no muscle '{muscle_id}' in the atlas (see: nmt-bodymap atlas list)") from None

    def sided_for(self, muscle_id: str) -> list[SidedTriggerPoint]:
        return [s for s in self.sided if s.muscle.id == muscle_id]

    def by_key(self) -> dict[str, SidedTriggerPoint]:
        return {s.key: s for s in self.sided}

    @property
    def trigger_point_count(self) -> int:
        return sum(len(m.trigger_points) for m in self.muscles.values())


def discover(paths: Sequence[Path | str] | None = None) -> tuple[list[tuple[Path, Path]], list[Problem]]:
    """Muscle file pairs under ``paths`` (folders or files); the app's atlas folders by default."""
    layers = scan(paths)
    return [p for layer in layers for p in layer.pairs], [p for layer in layers for p in layer.problems]


@lru_cache(maxsize=1)
def chart_digest() -> str:
    """A hash of the chart views' SVGs: compiled atlas files depend on them."""
    h = hashlib.sha256()
    for view in VIEWS:
        h.update(read_limited(resources.chart_svg(view), MAX_SVG_BYTES))
    return h.hexdigest()


def _compile(toml: Path, svg: Path, text: MuscleText, svg_data: bytes, chart: Chart) -> dict:
    trp_ids = {t.id for t in text.trigger_points if t.id}
    compiled = compile_svg(svg, svg_data, trp_ids, chart, text.midline)
    if compiled.readable:
        check_trigger_points(compiled, [(t.id, t.near) for t in text.trigger_points if t.id], chart)
    instances = sided_instances(compiled, text.midline, chart) if not compiled.problems else {}
    return {"problems": [[e, m] for e, m in compiled.problems], "instances": instances}


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _valid_side(data: Any) -> bool:
    if not isinstance(data, dict) or set(data) != {"points", "essential", "spillover", "essential_area"}:
        return False
    points, essential, spillover = data["points"], data["essential"], data["spillover"]
    if not (isinstance(points, dict) and points and set(points) <= set(VIEWS)):
        return False
    if not all(isinstance(p, list) and len(p) == 2 and all(_finite(v) for v in p) for p in points.values()):
        return False
    for zones, required in ((essential, True), (spillover, False)):
        if not isinstance(zones, dict) or (required and not zones) or not set(zones) <= set(VIEWS):
            return False
        if not all(isinstance(blob, str) and blob for blob in zones.values()):
            return False
    return _finite(data["essential_area"]) and data["essential_area"] >= 0


def valid_compiled(value: Any, text: MuscleText) -> bool:
    """Whether a compiled muscle read from the cache has the shape :func:`_compile` gives for ``text``.

    Besides types, the counts must agree with the source: every trigger
    point of the text is there with exactly its sides, each placed in some
    view with an essential zone; a muscle with problems has no instances.
    """
    if not isinstance(value, dict) or set(value) != {"problems", "instances"}:
        return False
    problems, instances = value["problems"], value["instances"]
    if not isinstance(problems, list) or not isinstance(instances, dict):
        return False
    for item in problems:
        if not (isinstance(item, list) and len(item) == 2 and isinstance(item[1], str)):
            return False
        if item[0] is not None and not isinstance(item[0], str):
            return False
    if problems:
        return not instances
    sides = {"midline"} if text.midline else {"right", "left"}
    if set(instances) != {t.id for t in text.trigger_points}:
        return False
    return all(
        isinstance(by_side, dict) and set(by_side) == sides and all(_valid_side(d) for d in by_side.values())
        for by_side in instances.values()
    )


def read_pair(toml: Path, svg: Path) -> tuple[bytes, bytes] | Problem:
    """Both files of a pair, each within its size limit, or the problem that stopped reading."""
    try:
        return read_limited(toml, MAX_TOML_BYTES), read_limited(svg, MAX_SVG_BYTES)
    except BadFile as exc:
        return Problem(exc.source, None, exc.reason)


def load_muscle(
    toml: Path, svg: Path, chart: Chart, keys: list[str] | None = None
) -> tuple[Muscle | None, list[SidedTriggerPoint], list[Problem]]:
    """Load one muscle; on any problem return None and the problems (never raises)."""
    try:
        muscle, sided, problems = _load_muscle(toml, svg, chart, keys)
    except Exception as exc:  # a fault no check foresaw must still not stop the load
        detail = str(exc).splitlines()[0][:200] if str(exc) else ""
        return None, [], [Problem(str(toml), None, f"cannot be loaded ({type(exc).__name__}: {detail})")]
    if len(problems) > MAX_PROBLEMS_PER_FILE:
        more = len(problems) - MAX_PROBLEMS_PER_FILE
        problems = [*problems[:MAX_PROBLEMS_PER_FILE], Problem(problems[-1].file, None, f"and {more} more problems")]
    return muscle, sided, problems


def _load_muscle(
    toml: Path, svg: Path, chart: Chart, keys: list[str] | None
) -> tuple[Muscle | None, list[SidedTriggerPoint], list[Problem]]:
    read = read_pair(toml, svg)
    if isinstance(read, Problem):
        return None, [], [read]
    toml_data, svg_data = read
    region_names = {r.name for v in chart.views.values() for r in v.regions.values()}
    text, text_problems = parse_muscle_toml(toml_data, toml.stem, region_names)
    problems = [Problem(str(toml), e, m) for e, m in text_problems]
    if text is None:
        return None, [], problems
    key = cache.digest(COMPILER, chart_digest(), toml_data, svg_data)
    if keys is not None:
        keys.append(key)
    compiled = cache.cached(
        "atlas", key, lambda: _compile(toml, svg, text, svg_data, chart), lambda value: valid_compiled(value, text)
    )
    problems += [Problem(str(svg), e, m) for e, m in compiled["problems"]]
    if problems:
        return None, [], problems
    trps = [
        TriggerPoint(t.id, t.label, t.location, t.near, t.prevalence, t.prevalence_basis, t.only_side)
        for t in text.trigger_points
    ]
    facts = {f.name: getattr(text, f.name) for f in fields(MuscleFacts)}
    muscle = Muscle(**facts, trigger_points=trps, toml_path=toml, svg_path=svg)
    sided: list[SidedTriggerPoint] = []
    blobs: list[str] = []
    layout: list[tuple[TriggerPoint, str, dict, list[tuple[str, str]]]] = []
    for trp in trps:
        for side, data in sorted(compiled["instances"].get(trp.id, {}).items()):
            entries = [("essential", v) for v in data["essential"]] + [("spillover", v) for v in data["spillover"]]
            blobs += [data[kind][view] for kind, view in entries]
            layout.append((trp, side, data, entries))
    geoms = iter(cache.decode_geometries(blobs))
    for trp, side, data, entries in layout:
        essential: dict[str, BaseGeometry] = {}
        spillover: dict[str, BaseGeometry] = {}
        for kind, view in entries:
            (essential if kind == "essential" else spillover)[view] = next(geoms)
        points = {v: Point(*xy) for v, xy in data["points"].items()}
        if side in ("right", "midline"):
            trp.points, trp.essential, trp.spillover = points, essential, spillover
        if trp.only_side and side != trp.only_side:
            continue
        sided.append(SidedTriggerPoint(muscle, trp, side, points, essential, spillover, data["essential_area"]))
    return muscle, sided, []


def load_atlas(paths: Sequence[Path | str] | None = None, chart: Chart | None = None) -> Atlas:
    """Load every valid muscle under ``paths``: by default the shipped atlas and the user's folders.

    Each path is a layer; a muscle in a later layer replaces the one of the
    same id in an earlier layer, and two files of one id in the same layer
    are a problem (the first is kept). Never raises: every fault is in
    ``atlas.problems`` and the files it stopped in ``atlas.skipped``.
    """
    if chart is None:
        try:
            chart = load_chart()
        except ChartError as exc:
            problem = Problem(exc.file or "body chart", None, exc.reason)
            return Atlas([], [], [problem], [problem.file])
    problems: list[Problem] = []
    skipped: list[str] = []
    loaded: dict[str, tuple[Muscle, list[SidedTriggerPoint], str]] = {}
    user_folders: dict[str, Path] = {}
    overrides: dict[str, Path] = {}
    for layer in scan(paths):
        problems += layer.problems
        skipped += [p.file for p in layer.problems]
        in_layer: dict[str, Path] = {}
        for toml, svg in layer.pairs:
            keys: list[str] = []
            muscle, instances, found = load_muscle(toml, svg, chart, keys)
            if muscle is not None and muscle.id in in_layer:
                found = [Problem(str(toml), None, f"duplicate muscle id '{muscle.id}' (also in {in_layer[muscle.id]})")]
                muscle = None
            if muscle is None:
                problems += found
                skipped.append(str(toml))
                continue
            in_layer[muscle.id] = toml
            if muscle.id in loaded:
                overrides[muscle.id] = loaded[muscle.id][0].toml_path
            loaded[muscle.id] = (muscle, instances, keys[0])
            user_folders.pop(muscle.id, None)
            if layer.user:
                user_folders[muscle.id] = layer.root
    muscles = [m for m, _, _ in loaded.values()]
    sided = [s for _, instances, _ in loaded.values() for s in instances]
    digest = cache.digest("atlas", *sorted(k for _, _, k in loaded.values()))
    return Atlas(muscles, sided, problems, skipped, digest, user_folders, overrides)


@lru_cache(maxsize=1)
def shipped_atlas() -> Atlas:
    """The atlas the app uses, loaded once per process: the shipped one and the user's folders."""
    return load_atlas()


def iter_text(muscle: Muscle) -> Iterable[str]:
    """Every searchable text of a muscle, for the atlas browser."""
    yield muscle.name
    yield muscle.latin
    yield from muscle.synonyms
    yield muscle.group_title
    yield from muscle.symptoms
    yield muscle.referral
    for trp in muscle.trigger_points:
        yield trp.label
