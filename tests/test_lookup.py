"""The reverse lookup: each scoring term, palpation, sides, views, combination, entrapment."""

from __future__ import annotations

import pytest
import shapely
from helpers import Marker, Zone, make_muscle, rect
from shapely.geometry import box

from nmt_bodymap.atlas import load_atlas
from nmt_bodymap.chart import load_chart, mirror_geometry
from nmt_bodymap.lookup import LookupEngine, scoring
from nmt_bodymap.session import PainMark, disc_mark, region_mark

P = "posterior"
# Posterior view, patient's right at x > 0. Alpha: essential mid-back, spillover below it.
ALPHA_ESS = (20, 480, 120, 560)
ALPHA_SPILL = (20, 560, 120, 640)
BETA_ESS = (20, 690, 120, 750)
A = "anterior"
# Anterior view, patient's right at x < 0. Gamma has two trigger points whose zones lie side by
# side on the chest; delta's small zone lies inside gamma's first one.
GAMMA1_ESS = (-150, 370, -90, 480)
GAMMA2_ESS = (-90, 370, -30, 480)
DELTA_ESS = (-150, 460, -130, 480)


def _with(toml_path, old: str, new: str) -> None:
    text = toml_path.read_text()
    assert old in text
    toml_path.write_text(text.replace(old, new, 1))


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
    make_muscle(
        folder,
        [
            Marker("trp1", A, -120, 420),
            Marker("trp2", A, -70, 400),
            Zone("trp1", A, "essential", d=rect(*GAMMA1_ESS), contains=["lateral-chest"]),
            Zone("trp2", A, "essential", d=rect(*GAMMA2_ESS), contains=["pectoral"]),
        ],
        muscle_id="gamma",
        near="armpit",
        name="Gamma",
    )
    _with(
        folder / "gamma.toml",
        "[[perpetuating]]",
        '[[trigger_point]]\nid = "trp2"\nlabel = "TrP2"\nlocation = "Beside the first."\n'
        'near = "pectoral"\nprevalence = "common"\nprevalence_basis = "The test suite, ch. 2"\n\n[[perpetuating]]',
    )
    make_muscle(
        folder,
        [Marker("trp1", A, -145, 440), Zone("trp1", A, "essential", d=rect(*DELTA_ESS), contains=["lateral-chest"])],
        muscle_id="delta",
        near="lateral-chest",
        name="Delta",
    )
    _with(
        folder / "alpha.toml",
        'prevalence = "common"',
        'prevalence = "very-common"',
    )
    _with(
        folder / "beta.toml",
        "[[perpetuating]]",
        '[[rule_out]]\ncondition = "Kidney stone"\nsigns = "Colicky flank pain: refer the same day."\n\n[[perpetuating]]',
    )
    atlas = load_atlas([folder])
    assert atlas.problems == [], [str(p) for p in atlas.problems]
    return LookupEngine(atlas, load_chart())


def mark(geom, intensity=5, quality="aching", view=P, mark_id="m1") -> PainMark:
    return PainMark(mark_id, view, "brush", quality, intensity, geom)


def by_key(result):
    return {c.key: c for c in result.candidates}


VERY_COMMON = scoring.PREVALENCE_FACTOR["very-common"]


def test_pain_exactly_on_the_essential_zone_scores_100_times_prevalence(engine):
    r = engine.rank([mark(box(*ALPHA_ESS))])
    alpha = by_key(r)["alpha/trp1:right"]
    assert alpha.essential_share == pytest.approx(1.0)
    assert alpha.zone_painted == pytest.approx(1.0)
    assert alpha.prevalence == "very-common" and alpha.prevalence_factor == VERY_COMMON
    assert alpha.score == pytest.approx(100.0 * VERY_COMMON)
    assert r.candidates[0].key == "alpha/trp1:right"
    assert "a very common trigger point" in alpha.explanation_text()


def test_a_common_trigger_point_counts_once(engine):
    beta = by_key(engine.rank([mark(box(*BETA_ESS))]))["beta/trp1:right"]
    assert beta.prevalence == "common" and beta.prevalence_factor == 1.0
    assert beta.score == pytest.approx(100.0)
    assert beta.explanation()["prevalence"] == "common"


def test_spillover_counts_half(engine):
    alpha = by_key(engine.rank([mark(box(*ALPHA_SPILL))]))["alpha/trp1:right"]
    assert alpha.essential_share == pytest.approx(0.0)
    assert alpha.spillover_share == pytest.approx(1.0)
    # explained 1/2, nothing of the essential zone painted: pattern 1/2
    assert alpha.score == pytest.approx(100 * VERY_COMMON * 0.5 * scoring.PATTERN_FLOOR)


def test_a_partly_drawn_pattern_counts_as_drawn(engine):
    """Clients draw the worst part: a third of the essential zone painted is the whole pattern."""
    third = box(20, 480, 120, 480 + 80 * scoring.PATTERN_DRAWN + 1)
    alpha = by_key(engine.rank([mark(third)]))["alpha/trp1:right"]
    assert alpha.zone_painted == pytest.approx(scoring.PATTERN_DRAWN, abs=0.02)
    assert alpha.pattern_factor == pytest.approx(1.0)
    assert alpha.score == pytest.approx(100 * VERY_COMMON)


def test_an_almost_empty_essential_zone_argues_against(engine):
    small = box(30, 490, 50, 510)  # 400 of the zone's 8000 mm²
    alpha = by_key(engine.rank([mark(small)]))["alpha/trp1:right"]
    assert alpha.essential_share == pytest.approx(1.0)
    assert alpha.zone_painted == pytest.approx(400 / 8000)
    painted = (400 / 8000) / scoring.PATTERN_DRAWN
    assert alpha.pattern_factor == pytest.approx(scoring.PATTERN_FLOOR + (1 - scoring.PATTERN_FLOOR) * painted)
    assert "only 5 % of its essential zone is painted" in alpha.explanation_text()


def test_a_small_zone_filled_by_the_mark_does_not_beat_the_pattern_that_explains_the_mark(engine):
    """Delta's small zone lies inside the disc; gamma's zone holds the whole disc."""
    disc = box(-150, 450, -110, 480)
    r = by_key(engine.rank([mark(disc, view=A)]))
    delta, gamma = r["delta/trp1:right"], r["gamma/trp1:right"]
    assert delta.zone_painted == pytest.approx(1.0) and delta.essential_share == pytest.approx(1 / 3)
    assert gamma.essential_share == pytest.approx(1.0) and gamma.zone_painted < 1.0
    assert gamma.score > delta.score


def test_a_muscles_trigger_points_together_explain_a_pattern(engine):
    """Pain across both of gamma's zones: each trigger point gets credit for the whole muscle's pattern."""
    both = box(-130, 445, -50, 475)  # beside, not over, the trigger points
    r = engine.rank([mark(both, view=A)])
    g1 = by_key(r)["gamma/trp1:right"]
    assert g1.essential_share == pytest.approx(0.5)
    assert g1.muscle_share == pytest.approx(1.0)
    assert not g1.pain_over_trp
    explained = (1 - scoring.MUSCLE_WEIGHT) * 0.5 + scoring.MUSCLE_WEIGHT * 1.0
    assert g1.score == pytest.approx(100 * explained * g1.pattern_factor)
    assert "with gamma's other trigger points, 100 %" in g1.explanation_text()


def test_pain_over_the_trigger_point_is_shown_but_adds_nothing(engine):
    """Local pain is weak evidence: the referred pain the pattern explains is what counts."""
    without = by_key(engine.rank([mark(box(*ALPHA_ESS))]))["alpha/trp1:right"]
    with_trp = by_key(engine.rank([mark(box(*ALPHA_ESS)), mark(box(50, 410, 70, 430), mark_id="m2")]))
    alpha = with_trp["alpha/trp1:right"]
    assert alpha.pain_over_trp and not without.pain_over_trp
    share = 8000 / (8000 + 400)
    assert alpha.score == pytest.approx(100 * VERY_COMMON * share)
    assert "pain is also drawn over the trigger point itself" in alpha.explanation_text()


def test_intensity_counts_by_its_square(engine):
    r = engine.rank([mark(box(*ALPHA_ESS), intensity=8), mark(box(20, 690, 120, 770), intensity=4, mark_id="m2")])
    c = by_key(r)
    w8, w4 = scoring.intensity_weight(8), scoring.intensity_weight(4)
    assert w8 == pytest.approx(4 * w4)
    total = 8000 * w8 + 8000 * w4
    assert c["alpha/trp1:right"].essential_share == pytest.approx(8000 * w8 / total)
    assert c["beta/trp1:right"].essential_share == pytest.approx(6000 * w4 / total)


def test_a_small_intense_pain_is_not_outweighed_by_a_large_mild_one(engine):
    intense = mark(box(20, 690, 120, 720), intensity=8, mark_id="m1")  # 3000 mm² in beta's zone
    mild = mark(box(*ALPHA_ESS), intensity=4, mark_id="m2")  # 8000 mm² in alpha's zone
    r = engine.rank([intense, mild])
    shares = by_key(r)
    assert shares["beta/trp1:right"].essential_share > shares["alpha/trp1:right"].essential_share


def test_overlapping_marks_count_once_at_the_higher_intensity(engine):
    once = engine.rank([mark(box(*ALPHA_ESS), intensity=6)])
    twice = engine.rank([mark(box(*ALPHA_ESS), intensity=6), mark(box(*ALPHA_ESS), intensity=3, mark_id="m2")])
    assert twice.total_pain == pytest.approx(once.total_pain)
    assert twice.total_pain == pytest.approx(8000 * scoring.intensity_weight(6))
    partial = engine.rank([mark(box(20, 480, 70, 560), intensity=9), mark(box(*ALPHA_ESS), intensity=3, mark_id="m2")])
    expected = 4000 * scoring.intensity_weight(9) + 4000 * scoring.intensity_weight(3)
    assert partial.total_pain == pytest.approx(expected)


@pytest.mark.parametrize(
    "finding, factor, bonus",
    [
        ("active", scoring.ACTIVE_FACTOR, scoring.ACTIVE_BONUS),
        ("latent", scoring.LATENT_FACTOR, 0.0),
        ("not-tender", scoring.NOT_TENDER_FACTOR, 0.0),
    ],
)
def test_palpation_findings_move_the_score(engine, finding, factor, bonus):
    r = engine.rank([mark(box(*ALPHA_ESS))], findings={"alpha/trp1:right": finding})
    alpha = by_key(r)["alpha/trp1:right"]
    assert alpha.score == pytest.approx(100 * VERY_COMMON * factor + bonus)
    assert alpha.palpation == finding


def test_not_tender_drops_below_a_weaker_candidate(engine):
    marks = [mark(box(*ALPHA_ESS)), mark(box(20, 690, 120, 740), intensity=4, mark_id="m2")]
    assert engine.rank(marks).candidates[0].muscle == "alpha"
    reranked = engine.rank(marks, findings={"alpha/trp1:right": "not-tender"})
    assert reranked.candidates[0].muscle == "beta"


def test_rule_out_lines_travel_with_the_candidate(engine):
    beta = by_key(engine.rank([mark(box(*BETA_ESS))]))["beta/trp1:right"]
    assert [r.condition for r in beta.rule_out] == ["Kidney stone"]
    assert beta.to_json()["rule_out"] == [
        {"condition": "Kidney stone", "signs": "Colicky flank pain: refer the same day."}
    ]
    assert "rule out first: Kidney stone" in beta.explanation_text()
    alpha = by_key(engine.rank([mark(box(*ALPHA_ESS))]))["alpha/trp1:right"]
    assert alpha.rule_out == () and "rule out" not in alpha.explanation_text()


def test_every_term_is_in_the_explanation(engine):
    alpha = by_key(engine.rank([mark(box(*ALPHA_ESS))], findings={"alpha/trp1:right": "latent"}))["alpha/trp1:right"]
    doc = alpha.explanation()
    assert set(doc) >= {
        "prevalence",
        "prevalence_factor",
        "essential_share",
        "spillover_share",
        "explained_share",
        "muscle_share",
        "essential_zone_painted",
        "pattern_factor",
        "pain_over_trigger_point",
        "palpation",
        "text",
    }
    assert "palpated latent" in doc["text"]


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
    w = scoring.intensity_weight(5)
    total = w * (8000 + 6000 + outside.area)
    assert r.total_pain == pytest.approx(total, rel=0.01)
    assert r.combination_fraction == pytest.approx(w * 14000 / total, rel=0.01)
    assert r.unexplained_fraction == pytest.approx(1 - w * 14000 / total, rel=0.01)
    assert set(r.unexplained) == {"anterior"}
    assert r.unexplained["anterior"].area == pytest.approx(outside.area, rel=0.05)
    assert shapely.intersection(r.unexplained["anterior"], outside).area == pytest.approx(outside.area, rel=0.05)


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
    w = scoring.intensity_weight(6)
    assert both.total_pain == pytest.approx(w * max(lateral_area, posterior_area), rel=0.01)
    assert one.total_pain == pytest.approx(w * posterior_area, rel=0.01)


def test_paresthesia_lists_a_muscle_entrapment_outside_the_nerve_atlas(engine):
    """Beta's [[entrapment]] names no nerve atlas site: it is scored by the regions its file names."""
    chart = load_chart()
    tingling = region_mark(chart, "m1", P, "low-back-right", quality="tingling", intensity=4)
    r = engine.rank([tingling])
    assert [(e.muscle, e.side) for e in r.entrapments] == [("beta", "right")]
    (beta,) = r.entrapments
    assert beta.share == pytest.approx(1.0) and beta.by_regions
    assert beta.muscle_rank == 1  # beta's own trigger point ranks first for the drawing
    base = float(scoring.territory_score(beta.share, beta.territory_painted))
    assert beta.score == pytest.approx(base * scoring.ENTRAPMENT_BOOST)
    assert "the beta itself ranks #1" in beta.explanation_text()
    aching = region_mark(chart, "m1", P, "low-back-right", quality="aching", intensity=4)
    assert engine.rank([aching]).entrapments == []


def test_empty_drawing(engine):
    r = engine.rank([])
    assert len(r.candidates) == 0 and r.total_pain == 0 and r.combination == [] and r.complaints == []


def test_disc_marks_are_clipped_to_the_body():
    chart = load_chart()
    m = disc_mark(chart, "m1", "anterior", -84, 125, radius=40)  # on the ear, reaching into the air
    assert m.geometry.area < 3.1416 * 40 * 40 * 0.9
    assert shapely.difference(m.geometry, chart.view("anterior").silhouette).area < 1e-6


def test_a_whole_view_painted_is_measured_like_a_small_drawing(engine):
    """More than half of a view painted is measured through what is not painted: same numbers."""
    chart = load_chart()
    whole = PainMark("m1", P, "region", "aching", 5, chart.view(P).silhouette)
    through_complement = by_key(engine.rank([whole]))
    body = engine.index.body
    engine.index.body = None  # no complement: every piece measured directly
    try:
        direct = by_key(engine.rank([whole]))
    finally:
        engine.index.body = body
    assert set(direct) == set(through_complement)
    for key, c in direct.items():
        other = through_complement[key]
        assert other.essential_share == pytest.approx(c.essential_share, abs=2e-3)
        assert other.zone_painted == pytest.approx(c.zone_painted, abs=2e-3)


def test_ranking_again_gives_the_same_list(engine):
    marks = [mark(box(*ALPHA_ESS)), mark(box(*BETA_ESS), intensity=7, mark_id="m2")]
    first = [c.to_json() for c in engine.rank(marks).candidates]
    engine.clear_caches()
    assert [c.to_json() for c in engine.rank(marks).candidates] == first
    assert [c.to_json() for c in engine.rank(marks).candidates] == first
