"""The lookup against the nerve atlas: territories scored, sites ranked from the nerves that fit, the differential."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from nmt_bodymap.atlas import shipped_atlas
from nmt_bodymap.chart import load_chart
from nmt_bodymap.cli.lookup_cmd import parse_at, place
from nmt_bodymap.lookup import LookupEngine, scoring
from nmt_bodymap.lookup.measure import sum_by_label
from nmt_bodymap.lookup.raster import content_key
from nmt_bodymap.nerves import NerveAtlas, shipped_nerves
from nmt_bodymap.session import PainMark, region_mark


@pytest.fixture(scope="module")
def engine() -> LookupEngine:
    return LookupEngine(shipped_atlas(), load_chart())


def rank(engine: LookupEngine, ats: list[str], radius: float = 12, quality: str = "tingling", **kw):
    session = place(engine.chart, [parse_at(a) for a in ats], radius, quality, 6)
    return engine.rank(session.marks, **kw)


THUMB_INDEX_MIDDLE = ["thumb-tip:right@anterior", "index-finger:right@anterior", "middle-finger:right@anterior"]


def test_thumb_index_and_middle_tingling_fits_the_median_nerve_and_c6_c7(engine):
    r = rank(engine, THUMB_INDEX_MIDDLE)
    median = r.nerves[0]
    assert (median.id, median.kind, median.side) == ("median", "peripheral", "right")
    assert median.explains_fraction > 0.95 and median.outside_fraction == pytest.approx(1 - median.explains_fraction)
    assert {d.id for d in r.dermatomes[:2]} == {"c6", "c7"}
    assert all(d.kind == "dermatome" for d in r.dermatomes)
    # its sites best first: the carpal tunnel (it spares the unmarked thenar skin) before the pronator teres
    sites = [s.site_id for s in median.sites]
    assert sites[0] == "carpal-tunnel" and sites.index("carpal-tunnel") < sites.index("pronator-teres")
    assert r.entrapments[0].key == "median/carpal-tunnel:right"
    assert "Phalen" in r.entrapments[0].test and r.entrapments[0].landmark == "volar-wrist"


def test_each_score_follows_the_documented_formula(engine):
    r = rank(engine, THUMB_INDEX_MIDDLE)
    for n in [*r.nerves, *r.dermatomes]:
        assert n.score == pytest.approx(float(scoring.territory_score(n.explains_fraction, n.territory_painted)))
    assert [n.score for n in r.nerves] == sorted((n.score for n in r.nerves), reverse=True)
    assert [n.score for n in r.dermatomes] == sorted((n.score for n in r.dermatomes), reverse=True)


def test_explains_and_painted_match_exact_areas(engine):
    """A whole chart region painted: the shares agree with shapely's areas within the raster's error."""
    chart = engine.chart
    mark = region_mark(chart, "m1", "anterior", "thigh-lateral-right", quality="burning", intensity=5)
    r = engine.rank([mark])
    lfcn = next(n for n in r.nerves if n.id == "lateral-femoral-cutaneous")
    sided = next(s for s in shipped_nerves().sided if s.key == "lateral-femoral-cutaneous:right")
    inside = shapely.intersection(sided.territory["anterior"], mark.geometry).area
    assert lfcn.explains_fraction == pytest.approx(inside / mark.geometry.area, abs=0.02)
    assert lfcn.territory_painted == pytest.approx(inside / sided.area, rel=0.03)


def test_a_site_sparing_the_marked_branch_drops_back(engine):
    """Thenar tingling: the palmar cutaneous branch leaves above the carpal tunnel, so the tunnel cannot explain it."""
    r = rank(engine, ["thenar:right"], radius=15)
    assert r.nerves[0].id == "palmar-cutaneous-median"
    # the branch lists its parent's sites above it, except the one that spares it
    assert [s.site_id for s in r.nerves[0].sites][:1] == ["pronator-teres"]
    assert "carpal-tunnel" not in {s.site_id for s in r.nerves[0].sites}
    assert r.entrapments[0].site_id == "pronator-teres" and r.entrapments[0].muscle == "pronator-teres"
    assert "carpal-tunnel" not in [e.site_id for e in r.entrapments]


def test_guyons_canal_against_the_cubital_tunnel(engine):
    palm_only = rank(engine, ["little-finger:left@anterior", "hypothenar:left"])
    assert palm_only.entrapments[0].key == "ulnar/guyons-canal:left"
    both_sides = rank(engine, ["little-finger:left", "ring-finger:left@posterior"])
    keys = [e.key for e in both_sides.entrapments]
    assert keys.index("ulnar/cubital-tunnel:left") < keys.index("ulnar/guyons-canal:left")


def test_a_small_territory_filled_outranks_the_large_one_it_belongs_to(engine):
    r = rank(engine, ["little-finger:right@anterior"])
    ulnar, trunk = (next(n for n in r.nerves if n.id == i) for i in ("ulnar", "brachial-plexus-lower-trunk"))
    assert ulnar.explains_fraction == pytest.approx(trunk.explains_fraction)
    assert ulnar.territory_painted > trunk.territory_painted and ulnar.score > trunk.score
    # the lower trunk's own sites (thoracic outlet) are listed under the ulnar nerve too
    assert {"scalene-triangle", "pectoralis-minor"} <= {s.site_id for s in ulnar.sites}
    assert {"scalenes", "pectoralis-minor"} <= {s.muscle for s in trunk.sites}


def test_sides_follow_the_marks(engine):
    r = rank(engine, ["lateral-thigh:left"], radius=35, quality="burning")
    assert r.nerves[0].key == "lateral-femoral-cutaneous:left"
    assert {n.side for n in [*r.nerves, *r.dermatomes, *r.entrapments]} == {"left"}


def test_a_muscle_ranking_for_the_drawing_raises_its_site(engine):
    r = rank(engine, THUMB_INDEX_MIDDLE)
    median = r.nerves[0]
    for site in median.sites:
        boost = scoring.ENTRAPMENT_BOOST if site.muscle_rank and site.muscle_rank <= 10 else 1.0
        assert site.score == pytest.approx(median.score * boost, rel=0.35)  # the same skin, or less of it
    boosted = [s for s in median.sites if s.muscle_rank and s.muscle_rank <= 10]
    assert boosted, "a forearm flexor's trigger points rank in the top ten for the fingers"
    arch = boosted[0]
    same_skin = next(s for s in median.sites if s.site_id == "ligament-of-struthers")  # no muscle, same skin
    assert arch.score == pytest.approx(same_skin.score * scoring.ENTRAPMENT_BOOST)
    assert f"ranks #{arch.muscle_rank}" in arch.explanation_text()


def test_pain_alone_lists_no_nerves(engine):
    r = rank(engine, THUMB_INDEX_MIDDLE, quality="aching")
    assert list(r.nerves) == [] and list(r.dermatomes) == [] and r.entrapments == [] and r.differential == ""
    assert r.to_json()["nerves"] == [] and r.to_json()["differential"] == ""


def test_each_complaint_has_its_own_nerves(engine):
    r = rank(engine, [*(f"{a}/tingling" for a in THUMB_INDEX_MIDDLE), "back-of-neck:right/aching"], quality="aching")
    by_family = {c.complaint.family: c for c in r.complaints}
    assert set(by_family) == {"pain", "paresthesia"}
    assert list(by_family["pain"].nerves) == [] and by_family["pain"].differential == ""
    tingling = by_family["paresthesia"]
    assert tingling.nerves[0].id == "median" and tingling.differential.startswith("Fits the territory of the median")
    assert r.nerves[0].id == "median"  # the whole drawing's paresthesia is the same


def test_the_differential_names_the_body_part_that_tells_them_apart(engine):
    r = rank(engine, THUMB_INDEX_MIDDLE)
    detail = r.differential_detail
    assert detail is not None and (detail.winner.id, detail.rival.id if detail.rival else None) == ("median", "c6")
    assert detail.reason == "reaches" and detail.part == "palm side of the middle finger"
    assert r.differential == (
        "Fits the territory of the median nerve (carpal tunnel, arch of flexor digitorum superficialis) better than "
        "the C6 dermatome: the tingling reaches the palm side of the middle finger, beyond that dermatome."
    )


def test_the_differential_picks_the_root_when_the_marks_run_beyond_the_nerve(engine):
    """Back of the wrist and the middle finger: C7 holds it all, no single nerve does."""
    r = rank(engine, ["middle-finger:right", "dorsal-wrist:right"], radius=14)
    detail = r.differential_detail
    assert detail is not None and detail.winner.id == "c7" and detail.rival is not None
    assert detail.rival.kind == "peripheral" and detail.reason in ("reaches", "explains")
    assert r.differential.startswith("Fits the C7 dermatome better than the territory of the")


def test_the_differential_when_both_fit_alike_or_a_part_is_spared(engine):
    alike = rank(engine, ["little-finger:right@anterior", "hypothenar:right"]).differential_detail
    assert alike is not None and alike.reason in ("alike", "spared")
    if alike.reason == "alike":
        assert "about equally: nothing drawn tells them apart" in alike.text
    spared = rank(engine, ["volar-forearm:left@left-lateral"], radius=25, quality="numbness").differential_detail
    assert spared is not None and spared.reason == "spared" and spared.part
    assert spared.text.endswith(f"the {spared.part} is spared.")


def test_the_differential_says_when_the_other_side_fits_too(engine):
    r = rank(engine, ["umbilicus"], radius=22)
    assert r.dermatomes[0].id == "t10" and r.dermatomes[1].id == "t10"
    assert r.differential.endswith("side as well.")


def test_a_motor_nerves_site_is_scored_by_its_muscles_regions(engine):
    r = rank(engine, ["lateral-epicondyle:right"], radius=25, quality="numbness")
    tunnel = next(e for e in r.entrapments if e.site_id == "radial-tunnel")
    assert tunnel.by_regions and tunnel.muscle == "supinator" and tunnel.nerve_id == "posterior-interosseous"
    assert tunnel.test and "where this nerve is felt" in tunnel.explanation_text()


def test_an_engine_without_the_nerve_atlas_keeps_the_raster_it_had(engine):
    bare = LookupEngine(engine.atlas, engine.chart, nerves=NerveAtlas.empty())
    assert "nerves" not in bare.index.raster.members and "nerves" in engine.index.raster.members
    zones_and_regions = engine.index.raster_families[:2]
    assert content_key(engine.chart, bare.index.raster_families, 1.0) == content_key(
        engine.chart, zones_and_regions, 1.0
    )
    r = rank(bare, THUMB_INDEX_MIDDLE)
    assert list(r.nerves) == [] and r.differential == ""
    # the trigger point ranking is the same with or without the nerve layer
    with_nerves = rank(engine, THUMB_INDEX_MIDDLE)
    assert [c.key for c in r.candidates[:10]] == [c.key for c in with_nerves.candidates[:10]]
    assert [c.score for c in r.candidates[:10]] == pytest.approx([c.score for c in with_nerves.candidates[:10]])


def test_nerve_lists_are_built_only_when_read(engine):
    r = rank(engine, ["lateral-thigh:right", "shin:right", "top-of-foot:right"], radius=40)
    nerves = r.nerves
    assert len(nerves) > 3
    assert nerves[0] is nerves[0] and nerves[-1] == list(nerves)[-1] and nerves[:2] == list(nerves)[:2]
    with pytest.raises(IndexError):
        nerves[len(nerves)]


def test_sums_by_label_agree_with_a_plain_bincount_dense_or_sorted():
    rng = np.random.default_rng(3)
    group, label = rng.integers(0, 3, 400), rng.integers(0, 50, 400)
    a, b = rng.random(400), np.where(rng.random(400) > 0.5, rng.random(400), 0.0)
    a[:5] = b[:5] = 0.0  # a (group, label) whose sums are both zero is left out
    expect_a = np.bincount(group * 60 + label, weights=a, minlength=180)
    expect_b = np.bincount(group * 60 + label, weights=b, minlength=180)
    kept = np.flatnonzero((expect_a != 0) | (expect_b != 0))
    for groups in (3, 10_000):  # a small table of groups by labels touched, and one too large: sorted instead
        g, lab, sa, sb = sum_by_label(group, label, a, b, groups, 60)
        np.testing.assert_array_equal(g * 60 + lab, kept)
        np.testing.assert_allclose(sa, expect_a[kept])
        np.testing.assert_allclose(sb, expect_b[kept])


def test_a_whole_view_painted_is_measured_through_what_is_not(engine):
    chart = engine.chart
    mark = PainMark("w", "posterior", "region", "numbness", 6, chart.view("posterior").silhouette)
    r = engine.rank([mark])  # more than half the view: measured through the unpainted rest
    assert r.dermatomes and r.nerves
    assert max(n.territory_painted for n in r.dermatomes) > 0.99  # S2 is shown only at the back: all of it marked
    by_key = {s.key: s for s in shipped_nerves().sided}
    for n in [*r.dermatomes[:4], *r.nerves[:4]]:
        skin = by_key[n.key].territory["posterior"]
        exact = shapely.intersection(skin, mark.geometry).area / mark.geometry.area
        assert n.explains_fraction == pytest.approx(exact, abs=0.005), n.key
