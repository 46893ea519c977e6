"""The reverse lookup: each scoring term, palpation, sides, views, combination, entrapment."""

from __future__ import annotations

import pytest
import shapely
from helpers import Marker, Zone, make_muscle, rect
from shapely.geometry import box

from nmt_bodymap.atlas import load_atlas
from nmt_bodymap.chart import load_chart, mirror_geometry
from nmt_bodymap.lookup import LookupEngine
from nmt_bodymap.session import PainMark, disc_mark, region_mark

P = "posterior"
# Posterior view, patient's right at x > 0. Alpha: essential mid-back, spillover below it.
ALPHA_ESS = (20, 480, 120, 560)
ALPHA_SPILL = (20, 560, 120, 640)
BETA_ESS = (20, 690, 120, 750)


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    folder = tmp_path_factory.mktemp("atlas")
    make_muscle(
        folder,
        [
            Marker("trp1", P, 60, 420),
            Zone("trp1", P, "essential", d=rect(*ALPHA_ESS), contains=["mid-back"]),
            Zone("trp1", P, "spillover", d=rect(*ALPHA_SPILL), contains=["thoracolumbar"]),
        ],
        muscle_id="alpha",
        near="interscapular",
        name="Alpha",
    )
    make_muscle(
        folder,
        [
            Marker("trp1", P, 60, 660),
            Zone("trp1", P, "essential", d=rect(*BETA_ESS), contains=["low-back"]),
        ],
        muscle_id="beta",
        near="thoracolumbar",
        name="Beta",
        entrapment_regions='["low-back", "buttock"]',
    )
    atlas = load_atlas([folder])
    assert atlas.problems == [], [str(p) for p in atlas.problems]
    return LookupEngine(atlas, load_chart())


def mark(geom, intensity=5, quality="aching", view=P, mark_id="m1") -> PainMark:
    return PainMark(mark_id, view, "brush", quality, intensity, geom)


def by_key(result):
    return {c.key: c for c in result.candidates}


def test_pain_exactly_on_the_essential_zone_scores_100(engine):
    r = engine.rank([mark(box(*ALPHA_ESS))])
    alpha = by_key(r)["alpha/trp1:right"]
    assert alpha.essential_share == pytest.approx(1.0)
    assert alpha.zone_painted == pytest.approx(1.0)
    assert alpha.score == pytest.approx(100.0)
    assert r.candidates[0].key == "alpha/trp1:right"


def test_spillover_counts_half(engine):
    r = engine.rank([mark(box(*ALPHA_SPILL))])
    alpha = by_key(r)["alpha/trp1:right"]
    assert alpha.essential_share == pytest.approx(0.0)
    assert alpha.spillover_share == pytest.approx(1.0)
    # coverage 0.5, nothing of the essential zone painted: 100 x 0.5 x 0.5
    assert alpha.score == pytest.approx(25.0)


def test_unpainted_essential_zone_argues_against(engine):
    small = box(30, 490, 50, 510)  # 400 of the zone's 8000 mm²
    alpha = by_key(engine.rank([mark(small)]))["alpha/trp1:right"]
    assert alpha.essential_share == pytest.approx(1.0)
    assert alpha.zone_painted == pytest.approx(400 / 8000)
    assert alpha.score == pytest.approx(100 * (0.5 + 0.5 * 0.05))


def test_pain_over_the_trigger_point_adds_a_bonus(engine):
    without = by_key(engine.rank([mark(box(*ALPHA_ESS))]))["alpha/trp1:right"]
    with_trp = by_key(engine.rank([mark(box(*ALPHA_ESS)), mark(box(50, 410, 70, 430), mark_id="m2")]))
    alpha = with_trp["alpha/trp1:right"]
    assert alpha.pain_over_trp and not without.pain_over_trp
    total = 8000 * 0.5 + 400 * 0.5
    assert alpha.score == pytest.approx(100 * (8000 * 0.5 / total) * 1.0 + 10)


def test_intensity_weights_area(engine):
    r = engine.rank([mark(box(*ALPHA_ESS), intensity=8), mark(box(20, 690, 120, 770), intensity=2, mark_id="m2")])
    c = by_key(r)
    assert c["alpha/trp1:right"].essential_share == pytest.approx(8 / 10 / (0.8 + 0.2))
    assert c["beta/trp1:right"].essential_share == pytest.approx(0.2 * 6000 / (0.8 * 8000 + 0.2 * 8000))


def test_overlapping_marks_count_once_at_the_higher_intensity(engine):
    once = engine.rank([mark(box(*ALPHA_ESS), intensity=6)])
    twice = engine.rank([mark(box(*ALPHA_ESS), intensity=6), mark(box(*ALPHA_ESS), intensity=3, mark_id="m2")])
    assert twice.total_pain == pytest.approx(once.total_pain)
    assert twice.total_pain == pytest.approx(8000 * 0.6)


@pytest.mark.parametrize("finding, expected", [("active", 100 * 1.5 + 20), ("latent", 110.0), ("not-tender", 25.0)])
def test_palpation_findings_move_the_score(engine, finding, expected):
    r = engine.rank([mark(box(*ALPHA_ESS))], findings={"alpha/trp1:right": finding})
    alpha = by_key(r)["alpha/trp1:right"]
    assert alpha.score == pytest.approx(expected)
    assert alpha.palpation == finding


def test_not_tender_drops_below_a_weaker_candidate(engine):
    marks = [mark(box(*ALPHA_ESS)), mark(box(20, 690, 120, 740), intensity=4, mark_id="m2")]
    assert engine.rank(marks).candidates[0].muscle == "alpha"
    reranked = engine.rank(marks, findings={"alpha/trp1:right": "not-tender"})
    assert reranked.candidates[0].muscle == "beta"


def test_left_pain_ranks_left_trigger_points_as_right_pain_ranks_right(engine):
    right = engine.rank([mark(box(30, 500, 110, 580), intensity=7), mark(box(40, 700, 60, 720), mark_id="m2")])
    left = engine.rank(
        [
            mark(mirror_geometry(box(30, 500, 110, 580)), intensity=7),
            mark(mirror_geometry(box(40, 700, 60, 720)), mark_id="m2"),
        ]
    )
    assert [c.key.replace(":right", "") for c in right.candidates] == [
        c.key.replace(":left", "") for c in left.candidates
    ]
    assert all(c.side == "right" for c in right.candidates) and all(c.side == "left" for c in left.candidates)
    for a, b in zip(right.candidates, left.candidates, strict=True):
        assert a.score == pytest.approx(b.score)


def test_sides_come_from_the_drawing(engine):
    r = engine.rank([mark(mirror_geometry(box(*ALPHA_ESS)))])
    assert [c.key for c in r.candidates] == ["alpha/trp1:left"]


def test_ties_break_by_key_and_results_are_deterministic(engine):
    marks = [mark(box(*ALPHA_ESS)), mark(mirror_geometry(box(*ALPHA_ESS)), mark_id="m2")]
    first = engine.rank(marks)
    assert [c.key for c in first.candidates] == ["alpha/trp1:left", "alpha/trp1:right"]
    assert first.candidates[0].score == pytest.approx(first.candidates[1].score)
    assert [c.to_json() for c in engine.rank(list(reversed(marks))).candidates] == [
        c.to_json() for c in first.candidates
    ]


def test_combination_and_unexplained(engine):
    outside = shapely.intersection(box(-300, 1000, -280, 1020), load_chart().view("anterior").silhouette)  # left hand
    r = engine.rank(
        [mark(box(*ALPHA_ESS)), mark(box(*BETA_ESS), mark_id="m2"), mark(outside, view="anterior", mark_id="m3")]
    )
    assert r.combination == ["alpha/trp1:right", "beta/trp1:right"]
    assert outside.area > 100
    total = 0.5 * (8000 + 6000 + outside.area)
    assert r.combination_fraction == pytest.approx(0.5 * 14000 / total)
    assert r.unexplained_fraction == pytest.approx(1 - 0.5 * 14000 / total)
    assert set(r.unexplained) == {"anterior"}


def test_combination_stops_at_90_percent(engine):
    r = engine.rank([mark(box(*ALPHA_ESS)), mark(box(20, 690, 40, 700), intensity=1, mark_id="m2")])
    assert r.combination == ["alpha/trp1:right"]
    assert r.combination_fraction >= 0.9


def test_the_same_surface_in_two_views_counts_once(engine):
    chart = load_chart()
    one = engine.rank([region_mark(chart, "m1", P, "thigh-lateral-right", intensity=6)])
    both = engine.rank(
        [
            region_mark(chart, "m1", P, "thigh-lateral-right", intensity=6),
            region_mark(chart, "m2", "right-lateral", "thigh-lateral-right", intensity=6),
        ]
    )
    lateral_area = chart.view("right-lateral").regions["thigh-lateral-right"].geometry.area
    posterior_area = chart.view(P).regions["thigh-lateral-right"].geometry.area
    assert both.total_pain == pytest.approx(0.6 * max(lateral_area, posterior_area))
    assert one.total_pain == pytest.approx(0.6 * posterior_area)


def test_paresthesia_lists_entrapments(engine):
    chart = load_chart()
    tingling = region_mark(chart, "m1", P, "low-back-right", quality="tingling", intensity=4)
    r = engine.rank([tingling])
    assert [(e.muscle, e.side) for e in r.entrapments] == [("beta", "right")]
    assert r.entrapments[0].share == pytest.approx(1.0)
    assert r.entrapments[0].muscle_rank == 1
    aching = region_mark(chart, "m1", P, "low-back-right", quality="aching", intensity=4)
    assert engine.rank([aching]).entrapments == []


def test_empty_drawing(engine):
    r = engine.rank([])
    assert r.candidates == [] and r.total_pain == 0 and r.combination == []


def test_disc_marks_are_clipped_to_the_body():
    chart = load_chart()
    m = disc_mark(chart, "m1", "anterior", -84, 125, radius=40)  # on the ear, reaching into the air
    assert m.geometry.area < 3.1416 * 40 * 40 * 0.9
    assert shapely.difference(m.geometry, chart.view("anterior").silhouette).area < 1e-6


def test_coverage_survives_a_failing_union(monkeypatch: pytest.MonkeyPatch) -> None:
    """A GEOS robustness failure in the big union falls back to a repaired, snapped union."""
    from nmt_bodymap import lookup as lookup_module

    zones = [box(0, 0, 10, 10), box(5, 5, 15, 15), box(20, 0, 25, 5)]
    expected = shapely.union_all(zones).area
    real_union_all = shapely.union_all
    calls: list[float | None] = []

    def flaky(geoms, grid_size=None, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(grid_size)
        if len(calls) == 1:
            raise shapely.errors.GEOSException("TopologyException: unable to assign free hole to a shell")
        return real_union_all(geoms, grid_size=grid_size, **kwargs)

    monkeypatch.setattr(lookup_module.shapely, "union_all", flaky)
    union = lookup_module._robust_union(zones)
    assert calls == [None, 0.01]
    assert union.area == pytest.approx(expected, abs=0.01)
