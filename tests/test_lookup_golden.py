"""The lookup ranks exactly as it did before the work on its speed (``fixtures/lookup_golden.json``).

Every golden drawing (``lookup_golden_cases.py``) is ranked three ways, as
the app meets drawings: never seen before (every cache cleared); with its
last mark new and the others seen in the ranking before (a stroke being
painted: the complaints are ranked in the same pass); and seen before
entirely. Each must read the same candidates (keys exact, scores and
shares within 1e-9 relative), combination, nerves, dermatomes, entrapment
sites, differential and unexplained pain, for the whole drawing and for
every complaint.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from lookup_golden_cases import FIXTURE, Case, cases, snapshot

from nmt_bodymap.atlas import shipped_atlas
from nmt_bodymap.chart import load_chart
from nmt_bodymap.lookup import LookupEngine

REL = 1e-9
ABS = 1e-12
#: The unexplained pain's outline is merged from the raster's row strips and simplified: its area moves by
#: about 1e-6 with the last bits of the strips' ends (which vary with the order groups are measured in).
OUTLINE_REL = 1e-5

CHART = load_chart()
CASES = cases(CHART)
GOLDEN: dict[str, Any] = json.loads(FIXTURE.read_text())


@pytest.fixture(scope="module")
def engine() -> LookupEngine:
    return LookupEngine(shipped_atlas(), CHART)


def _differences(expected: Any, actual: Any, path: str, out: list[str]) -> None:
    if isinstance(expected, float) or (isinstance(actual, float) and isinstance(expected, int)):
        rel = OUTLINE_REL if ".unexplained_area." in path else REL
        if not isinstance(actual, (int, float)) or not math.isclose(expected, actual, rel_tol=rel, abs_tol=ABS):
            out.append(f"{path}: expected {expected!r}, got {actual!r}")
    elif isinstance(expected, dict):
        if not isinstance(actual, dict) or set(expected) != set(actual):
            out.append(f"{path}: expected keys {sorted(expected)}, got {actual!r:.200}")
            return
        for k in expected:
            _differences(expected[k], actual[k], f"{path}.{k}", out)
    elif isinstance(expected, list):
        if not isinstance(actual, list) or len(expected) != len(actual):
            out.append(f"{path}: expected {len(expected)} items, got {actual!r:.300}")
            return
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            _differences(e, a, f"{path}[{i}]", out)
    elif expected != actual:
        out.append(f"{path}: expected {expected!r}, got {actual!r}")


def _without_outline(value: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in value.items() if k != "unexplained_area"}
    if "complaints" in out:
        out["complaints"] = [_without_outline(c) for c in out["complaints"]]
    return out


def _check(case: Case, got: dict[str, Any], how: str, outline: bool = True) -> None:
    # through JSON, as the fixture was written (tuples become lists)
    actual = json.loads(json.dumps(got))
    expected = GOLDEN[case.name] if outline else _without_outline(GOLDEN[case.name])
    found: list[str] = []
    _differences(expected, actual, case.name, found)
    assert not found, f"{how}: {len(found)} differences, first ones:\n" + "\n".join(found[:15])


def test_the_fixture_holds_every_golden_drawing():
    assert sorted(GOLDEN) == sorted(c.name for c in CASES)
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_ranking_matches_the_golden_fixture(engine: LookupEngine, case: Case):
    engine.clear_caches()
    _check(case, snapshot(engine.rank(case.marks, case.findings, case.complaints)), "never seen")

    engine.clear_caches()
    if case.marks:
        before = engine.rank(case.marks[:-1], case.findings, case.complaints)
        [c.candidates[:1] for c in before.complaints]
    # the outline of the unexplained pain is read once: merging many row strips is slow (seconds for a
    # whole-body drawing), and it is worked out by the same code whichever way the drawing was ranked
    again = engine.rank(case.marks, case.findings, case.complaints)
    _check(case, snapshot(again, outline=False), "last mark new", outline=False)
    _check(case, snapshot(engine.rank(case.marks, case.findings, case.complaints), outline=False), "seen", False)
