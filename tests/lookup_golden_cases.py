"""Drawings for the lookup's golden test, and what a ranking of each reads, as plain JSON values.

``tests/test_lookup_golden.py`` ranks every drawing with the engine and
compares what :func:`snapshot` reads of the result (the first candidates
with their terms, the combination, the nerve lists, the entrapment sites,
the differential, the unexplained pain, and all of it per complaint) with
``fixtures/lookup_golden.json``. The fixture was written once by
``fixtures/make_lookup_golden.py`` with the engine as it ranked before any
work on its speed, so a faster engine has to give the same lists.

The drawings cover what the engine treats differently: discs, strokes and
whole regions; marks piling up (one interval per row, or many); a view
painted all over (measured through what is left unpainted); a body surface
drawn in two views; numbness, tingling and burning alone, beside pain and
inside one complaint with it; palpation findings; complaints the therapist
defined (named, unnamed, naming marks that do not exist); random drawings
of every kind; empty drawings.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from random_drawings import piled_discs, random_discs
from shapely.geometry import Polygon

from nmt_bodymap.chart import VIEWS, Chart
from nmt_bodymap.cli.lookup_cmd import parse_at, place
from nmt_bodymap.lookup import LookupResult
from nmt_bodymap.session import PainMark, disc_mark, region_mark, stroke_mark

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "lookup_golden.json"
TOP = 20  # candidates kept per list
NERVES_TOP = 10  # nerves, dermatomes and entrapment sites kept per list


@dataclass(frozen=True)
class Defined:
    """A complaint the therapist grouped (like ``session.Complaint``)."""

    id: str
    label: str
    marks: tuple[str, ...]


@dataclass
class Case:
    name: str
    marks: list[PainMark]
    findings: dict[str, str] = field(default_factory=dict)
    complaints: list[Defined] = field(default_factory=list)


def _at(chart: Chart, *ats: str, radius: float = 25, quality: str = "aching", intensity: int = 6) -> list[PainMark]:
    return place(chart, [parse_at(a) for a in ats], radius, quality, intensity).marks


def _renamed(marks: Sequence[PainMark], prefix: str) -> list[PainMark]:
    return [replace(m, id=f"{prefix}{i + 1}") for i, m in enumerate(marks)]


def _strokes(chart: Chart, rng: random.Random) -> list[PainMark]:
    out = []
    for k, (view, x, y) in enumerate((("posterior", 60, 250), ("anterior", -90, 700), ("right-lateral", 0, 1100))):
        points = [(x, y)]
        for _ in range(15):
            points.append((points[-1][0] + rng.uniform(-6, 6), points[-1][1] + rng.uniform(2, 8)))
        quality = "burning" if k == 1 else "aching"
        out.append(stroke_mark(chart, f"s{k + 1}", view, points, 24, quality, 4 + 2 * k))
    return out


def cases(chart: Chart) -> list[Case]:
    """The golden drawings, always the same (seeded)."""
    rng = random.Random(20260511)
    out: list[Case] = []
    add = out.append

    add(Case("tension headache", _at(chart, "temple:right", "back-of-neck:right", "jaw-angle:right")))
    add(Case("low back and buttock", _at(chart, "low-back:right", "buttock:right")))
    add(Case("shin, top of foot, big toe", _at(chart, "shin:right", "top-of-foot:right", "big-toe:right")))
    add(Case("lateral knee, left", _at(chart, "lateral-knee:left", radius=30)))
    add(Case("thumb base", _at(chart, "thumb-base:right", radius=20, intensity=7)))
    headache = _at(chart, "temple:right/throbbing/8")
    tingling = _renamed(_at(chart, "thumb-base:right/tingling/5"), "t")
    add(Case("headache and thumb tingling", headache + tingling))
    add(
        Case(
            "carpal tunnel tingling",
            _at(
                chart,
                "thumb-tip:right@anterior",
                "index-finger:right@anterior",
                "middle-finger:right@anterior",
                radius=12,
                quality="tingling",
            ),
        )
    )
    add(Case("outer thigh numbness, left", _at(chart, "lateral-thigh:left", radius=35, quality="numbness")))
    add(
        Case(
            "both little fingers burning",
            _at(chart, "little-finger:right", "little-finger:left", radius=10, quality="burning"),
        )
    )
    add(
        Case(
            "pain and tingling in one place",
            _at(
                chart,
                "side-of-neck:right/aching/7",
                "back-of-shoulder:right/tingling/4",
                "dorsal-forearm:right/numbness/6",
            ),
        )
    )
    for k in range(6):
        add(Case(f"random 20 marks #{k + 1}", random_discs(chart, rng, 20, lowest_intensity=0)))
    add(Case("random 5 mm discs", random_discs(chart, rng, 20, radius=5, lowest_intensity=0)))
    add(Case("200 overlapping discs on the back", piled_discs(chart, rng, 200, id_prefix="p")))
    whole = [PainMark(f"w{i}", v, "region", "aching", 6, chart.view(v).silhouette) for i, v in enumerate(VIEWS)]
    add(Case("one whole-body mark per view", whole))
    hot = disc_mark(chart, "hot", "posterior", 60, 300, 30, "sharp", 9)
    add(
        Case(
            "whole back view, a hotter spot and a tingling one",
            [whole[1], hot, *_at(chart, "calf:right@posterior", quality="tingling", intensity=3)],
        )
    )
    add(Case("strokes", _strokes(chart, rng)))
    regions = [
        region_mark(chart, "r1", "anterior", "chest-lateral-right", "aching", 6),
        region_mark(chart, "r2", "right-lateral", "arm-lateral-right", "sharp", 8),
        region_mark(chart, "r3", "posterior", "achilles-right", "throbbing", 5),
        region_mark(chart, "r4", "right-lateral", "achilles-right", "throbbing", 5),
    ]
    add(Case("whole regions, one surface in two views", regions))
    add(Case("plantar view", _at(chart, "heel:right", "arch:right", "ball-of-foot:left", radius=12)))
    add(
        Case("intensity zero and ten", _at(chart, "scapular-spine:right/aching/0", "mid-back:left/sharp/10", radius=30))
    )
    add(Case("one 5 mm disc", [disc_mark(chart, "m1", "anterior", -60, 420, 5, "aching", 5)]))
    findings_marks = _at(chart, "temple:right", "back-of-neck:right", "low-back:left", "buttock:left")
    add(
        Case(
            "palpation findings",
            findings_marks,
            {
                "trapezius/trp1:right": "active",
                "temporalis/trp1:right": "latent",
                "quadratus-lumborum/sup-lower:left": "not-tender",
                "no-such/trp1:left": "active",
            },
        )
    )
    defined_marks = _at(
        chart, "temple:right", "jaw-angle:right", "low-back:right", "buttock:right", "thumb-base:right/tingling/6"
    )
    ids = [m.id for m in defined_marks]
    add(
        Case(
            "therapist's complaints",
            defined_marks,
            complaints=[
                Defined("c1", "Jaw and temple", (ids[0], ids[1])),
                Defined("c2", "", (ids[2], "m99")),
                Defined("c3", "Nothing drawn", ("m98",)),
            ],
        )
    )
    everything = random_discs(chart, rng, 12, lowest_intensity=0)
    add(
        Case(
            "therapist's one complaint of everything",
            everything,
            complaints=[Defined("all", "All", tuple(m.id for m in everything))],
        )
    )
    mixed = random_discs(chart, rng, 20, lowest_intensity=0)
    add(
        Case(
            "random with findings and complaints",
            mixed,
            {"trapezius/trp1:left": "active", "infraspinatus/trp1:right": "latent"},
            [Defined("x", "Picked", tuple(m.id for m in mixed[::3]))],
        )
    )
    add(Case("empty drawing", []))
    add(
        Case(
            "an empty mark and a disc",
            [PainMark("e1", "anterior", "region", "aching", 5, Polygon()), *_at(chart, "pectoral:left")],
        )
    )
    numb = random_discs(chart, rng, 10, lowest_intensity=0)
    add(Case("random numbness only", [replace(m, quality="numbness") for m in numb]))
    return out


# -- what a ranking reads -------------------------------------------------------------------------------


def _nerve(n: Any) -> dict[str, Any]:
    return {
        "key": n.key,
        "score": n.score,
        "explains": n.explains_fraction,
        "painted": n.territory_painted,
        "sites": [s.key for s in n.sites],
    }


def _entrapment(e: Any) -> dict[str, Any]:
    return {"key": e.key, "score": e.score, "share": e.share, "painted": e.territory_painted, "rank": e.muscle_rank}


def _candidate(c: Any, terms: bool) -> dict[str, Any]:
    out = {"key": c.key, "score": c.score, "over": c.pain_over_trp, "palpation": c.palpation}
    if terms:
        out |= {
            "essential": c.essential_share,
            "spillover": c.spillover_share,
            "painted": c.zone_painted,
            "muscle": c.muscle_share,
        }
    return out


def _result(r: LookupResult, terms: bool = True, outline: bool = True) -> dict[str, Any]:
    """``terms``: each candidate's shares too (the whole drawing's; a complaint's list keeps keys and scores);
    ``outline``: the unexplained pain's area per view."""
    out = {
        "total_pain": r.total_pain,
        "unexplained_fraction": r.unexplained_fraction,
        "count": len(r.candidates),
        "candidates": [_candidate(c, terms) for c in r.candidates[:TOP]],
        "combination": list(r.combination),
        "combination_fraction": r.combination_fraction,
        "nerves": [_nerve(n) for n in r.nerves[:NERVES_TOP]],
        "nerve_count": len(r.nerves),
        "dermatomes": [_nerve(n) for n in r.dermatomes[:NERVES_TOP]],
        "dermatome_count": len(r.dermatomes),
        "entrapments": [_entrapment(e) for e in r.entrapments[:NERVES_TOP]],
        "differential": r.differential,
    }
    if outline:
        out["unexplained_area"] = {v: g.area for v, g in sorted(r.unexplained.items())}
    return out


def snapshot(result: LookupResult, outline: bool = True) -> dict[str, Any]:
    """The whole result and every complaint's, as plain values (``outline``: with the unexplained pain's area)."""
    return {
        **_result(result, outline=outline),
        "complaints": [
            {
                "id": c.id,
                "label": c.label,
                "marks": list(c.marks),
                "family": c.complaint.family,
                "automatic": c.complaint.automatic,
                **_result(c.result, terms=False, outline=outline),
            }
            for c in result.complaints
        ],
    }
