"""Clinical correctness: pain at a landmark ranks the muscles the pain guides list.

The cases (tests/fixtures/pain_guide_cases.toml) come from the classic trigger
point pain guides; `python tests/pain_guide.py` prints every case.
"""

from __future__ import annotations

import pytest
from pain_guide import evaluate, rates


@pytest.fixture(scope="module")
def outcomes():
    return evaluate()


def test_there_are_at_least_30_cases_across_the_body(outcomes):
    assert len(outcomes) >= 30


def test_top3_hit_rate_and_top10_recall(outcomes):
    hit, recall = rates(outcomes)
    print(f"\n{len(outcomes)} pain guide cases: top-3 hit rate {hit:.0%}, top-10 recall {recall:.0%}")
    assert hit >= 0.95, [o.area for o in outcomes if not o.hit3]
    assert recall >= 0.75


@pytest.mark.parametrize(
    "area, muscles",
    [
        ("lateral elbow (tennis elbow)", {"supinator", "brachioradialis", "extensor-carpi-radialis-longus"}),
        (
            "greater trochanter (lateral hip)",
            {"gluteus-minimus", "tensor-fasciae-latae", "quadratus-lumborum", "piriformis", "vastus-lateralis"},
        ),
    ],
)
def test_the_issue_examples_rank_near_the_top(outcomes, area, muscles):
    outcome = next(o for o in outcomes if o.area == area)
    assert muscles <= set(outcome.ranked[:6]), outcome.ranked[:8]


@pytest.fixture(scope="module")
def engine():
    from nmt_bodymap.atlas import shipped_atlas
    from nmt_bodymap.chart import load_chart
    from nmt_bodymap.lookup import LookupEngine

    return LookupEngine(shipped_atlas(), load_chart())


@pytest.mark.parametrize(
    "landmark, expected",
    [
        ("calf", {"piriformis"}),  # sciatic nerve under the piriformis
        ("thenar", {"pronator-teres"}),  # median nerve at the pronator teres
        ("hypothenar", {"scalenes", "pectoralis-minor"}),  # brachial plexus: lower trunk or cords
        ("lateral-epicondyle", {"supinator"}),  # radial nerve at the supinator
    ],
)
def test_paresthesia_lists_the_classic_entrapments_first(engine, landmark, expected):
    from nmt_bodymap.session import disc_mark

    chart = engine.chart
    positions = chart.landmark_positions(landmark, "right")
    marks = [disc_mark(chart, f"m-{v}", v, p.x, p.y, 25, "numbness", 6) for v, p in positions.items()]
    assert marks
    entrapments = engine.rank(marks).entrapments
    found = [e.muscle for e in entrapments]
    assert expected <= set(found[: len(expected)]), found
    assert {e.side for e in entrapments} == {"right"}
