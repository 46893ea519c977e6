"""Find, compile, cache and load the atlas; one bad file never stops it.

Each muscle is a pair ``NAME.toml`` + ``NAME.svg``. Compiling a muscle
(parsing the SVG, checking it against the chart, building its sided
geometry) is cached by a hash of both files, of the chart and of
:data:`COMPILER`, so a warm start only reads TOML and decodes WKB.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import fields
from functools import lru_cache
from pathlib import Path

from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from nmt_bodymap import cache, resources
from nmt_bodymap.atlas.geometry import check_trigger_points, compile_svg, sided_instances
from nmt_bodymap.atlas.model import GROUPS, Muscle, MuscleFacts, Problem, SidedTriggerPoint, TriggerPoint
from nmt_bodymap.atlas.text import MuscleText, parse_muscle_toml
from nmt_bodymap.chart import VIEWS, Chart, load_chart

#: Bump when compiled output changes shape or the checks change.
COMPILER = "atlas-compiler-8"


class Atlas:
    """The loaded atlas: valid muscles, their sided trigger points, and what was skipped."""

    def __init__(
        self,
        muscles: list[Muscle],
        sided: list[SidedTriggerPoint],
        problems: list[Problem],
        skipped: list[str],
        digest: str = "",
    ) -> None:
        order = list(GROUPS)
        self.muscles: dict[str, Muscle] = {
            m.id: m for m in sorted(muscles, key=lambda m: (order.index(m.group), m.name.lower()))
        }
        self.sided: list[SidedTriggerPoint] = sorted(sided, key=lambda s: s.key)
        self.problems = problems
        self.skipped = skipped  # files whose muscle could not be loaded
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


#: Files under a folder of this name belong to the nerve atlas (nmt_bodymap.nerves), not to the muscles.
NERVE_FOLDER = "nerves"


def discover(paths: Sequence[Path | str] | None = None) -> tuple[list[tuple[Path, Path]], list[Problem]]:
    """Muscle file pairs under ``paths`` (folders or files); the shipped atlas by default.

    Files in a ``nerves`` folder are the nerve atlas's and are left out here.
    """
    roots = [Path(p) for p in paths] if paths else [resources.atlas_dir()]
    stems: dict[Path, None] = {}
    problems: list[Problem] = []
    for root in roots:
        if NERVE_FOLDER in root.parts:
            continue  # the nerve atlas's (nmt_bodymap.nerves.loader)
        if root.is_dir():
            for f in sorted(root.rglob("*")):
                if NERVE_FOLDER in f.relative_to(root).parts[:-1]:
                    continue
                if f.suffix in (".toml", ".svg") and not f.name.startswith("."):
                    stems[f.with_suffix("")] = None
        elif root.suffix in (".toml", ".svg"):
            if root.exists():
                stems[root.with_suffix("")] = None
            else:
                problems.append(Problem(str(root), None, "no such file"))
        else:
            problems.append(Problem(str(root), None, "not an atlas folder or a .toml/.svg file"))
    pairs = []
    for stem in stems:
        toml, svg = stem.with_suffix(".toml"), stem.with_suffix(".svg")
        if not toml.exists():
            problems.append(Problem(str(svg), None, f"has no text file {toml.name} beside it"))
        elif not svg.exists():
            problems.append(Problem(str(toml), None, f"has no drawing {svg.name} beside it"))
        else:
            pairs.append((toml, svg))
    return pairs, problems


@lru_cache(maxsize=1)
def _chart_digest() -> str:
    h = hashlib.sha256()
    for view in VIEWS:
        h.update(resources.chart_svg(view).read_bytes())
    return h.hexdigest()


def _compile(toml: Path, svg: Path, text: MuscleText, svg_data: bytes, chart: Chart) -> dict:
    trp_ids = {t.id for t in text.trigger_points if t.id}
    compiled = compile_svg(svg, svg_data, trp_ids, chart, text.midline)
    if compiled.readable:
        check_trigger_points(compiled, [(t.id, t.near) for t in text.trigger_points if t.id], chart)
    instances = sided_instances(compiled, text.midline, chart) if not compiled.problems else {}
    return {"problems": [[e, m] for e, m in compiled.problems], "instances": instances}


def load_muscle(
    toml: Path, svg: Path, chart: Chart, keys: list[str] | None = None
) -> tuple[Muscle | None, list[SidedTriggerPoint], list[Problem]]:
    """Load one muscle; on any problem return None and the problems."""
    try:
        toml_data, svg_data = toml.read_bytes(), svg.read_bytes()
    except OSError as exc:
        return None, [], [Problem(str(exc.filename or toml), None, f"cannot read ({exc.strerror})")]
    region_names = {r.name for v in chart.views.values() for r in v.regions.values()}
    text, text_problems = parse_muscle_toml(toml_data, toml.stem, region_names)
    problems = [Problem(str(toml), e, m) for e, m in text_problems]
    if text is None:
        return None, [], problems
    key = cache.digest(COMPILER, _chart_digest(), toml_data, svg_data)
    if keys is not None:
        keys.append(key)
    compiled = cache.cached("atlas", key, lambda: _compile(toml, svg, text, svg_data, chart))
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
    """Load every valid muscle under ``paths`` (the shipped atlas by default)."""
    chart = chart or load_chart()
    pairs, problems = discover(paths)
    muscles: list[Muscle] = []
    sided: list[SidedTriggerPoint] = []
    skipped: list[str] = [p.file for p in problems]
    seen: dict[str, Path] = {}
    keys: list[str] = []
    for toml, svg in pairs:
        muscle, instances, found = load_muscle(toml, svg, chart, keys)
        if muscle is not None and muscle.id in seen:
            found = [Problem(str(toml), None, f"duplicate muscle id '{muscle.id}' (also in {seen[muscle.id]})")]
            muscle = None
        if muscle is None:
            problems += found
            skipped.append(str(toml))
            continue
        seen[muscle.id] = toml
        muscles.append(muscle)
        sided += instances
    return Atlas(muscles, sided, problems, skipped, cache.digest("atlas", *sorted(keys)))


@lru_cache(maxsize=1)
def shipped_atlas() -> Atlas:
    """The atlas that ships with the app (loaded once per process)."""
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
