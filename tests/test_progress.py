"""Progress metrics and the comparison geometry, on drawings whose areas are known by hand."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import shapely
from shapely.geometry import Point

from nmt_bodymap import session as sessions
from nmt_bodymap.chart import load_chart
from nmt_bodymap.compare import CHANGES, compare, total_areas
from nmt_bodymap.progress import jaccard, surface_model, visit_metrics
from nmt_bodymap.session import PainMark, Session, Treatment

HEADACHE = Path(__file__).parent / "fixtures" / "sessions" / "v1-headache.nmt"
R = 20.0


def disc(mark_id: str, view: str, x: float, y: float, r: float, intensity: int) -> PainMark:
    # 256 segments per circle: within 0.01 % of pi r^2
    return PainMark(mark_id, view, "point", "aching", intensity, Point(x, y).buffer(r, quad_segs=64))


def lens_area(r: float, d: float) -> float:
    """Area shared by two discs of radius r whose centres are d apart."""
    return 2 * r * r * math.acos(d / (2 * r)) - (d / 2) * math.sqrt(4 * r * r - d * d)


@pytest.fixture(scope="module")
def back() -> tuple[float, float]:
    """A point of the posterior view, left of the spine, with unshared back all around the discs."""
    chart = load_chart()
    y = chart.view("posterior").landmark("mid-back", "right").y
    model = surface_model()
    view = chart.view("posterior")
    unshared = shapely.union_all([r.geometry for r in view.regions.values() if r.id not in model.shared])
    assert unshared.contains(Point(0.0, y).buffer(2.5 * R))
    return -12.0, y


def test_two_overlapping_discs(back):
    x, y = back
    d = 24.0
    drawing = Session(marks=[disc("a", "posterior", x, y, R, 8), disc("b", "posterior", x + d, y, R, 4)])
    m = visit_metrics(drawing)
    circle, lens = math.pi * R * R, lens_area(R, d)
    painted = 2 * circle - lens
    weighted = 0.8 * circle + 0.4 * (circle - lens)  # the overlap counts once, at the higher intensity
    assert m.painted_area_mm2 == pytest.approx(painted, rel=1e-3)
    assert m.weighted_area_mm2 == pytest.approx(weighted, rel=1e-3)
    assert m.max_intensity == 8
    assert m.mean_intensity == pytest.approx(10 * weighted / painted, rel=1e-3)
    body = surface_model().body_area_mm2
    assert m.extent_percent == pytest.approx(100 * painted / body, rel=1e-3)
    silhouette = load_chart().view("posterior").silhouette.area
    assert m.extent_by_view == {"posterior": pytest.approx(100 * painted / silhouette, rel=1e-3)}
    assert m.regions and all(r.endswith("-right") or r.endswith("-left") for r in m.regions)


def test_a_region_mark_counts_the_whole_region():
    chart = load_chart()
    region = chart.view("posterior").regions["interscapular-right"]
    drawing = Session(marks=[sessions.region_mark(chart, "m1", "posterior", "interscapular-right", intensity=5)])
    m = visit_metrics(drawing)
    assert m.painted_area_mm2 == pytest.approx(region.geometry.area, rel=1e-4)
    assert m.weighted_area_mm2 == pytest.approx(region.geometry.area / 2, rel=1e-4)
    assert m.mean_intensity == 5.0
    assert m.regions == ("interscapular-right",)


def test_a_surface_drawn_in_two_views_counts_once():
    chart = load_chart()
    front = chart.view("anterior").regions["temple-right"].geometry.area
    side = chart.view("right-lateral").regions["temple-right"].geometry.area
    assert side > 2 * front  # the temple faces the side view
    both = Session(
        marks=[
            sessions.region_mark(chart, "m1", "anterior", "temple-right", intensity=6),
            sessions.region_mark(chart, "m2", "right-lateral", "temple-right", intensity=6),
        ]
    )
    m = visit_metrics(both)
    assert m.painted_area_mm2 == pytest.approx(side, rel=5e-4)  # once, at its reference (largest) area
    # drawn in the front view only, the same surface has the same area
    front_only = visit_metrics(Session(marks=[both.marks[0]]))
    assert front_only.painted_area_mm2 == pytest.approx(side, rel=1e-4)
    assert front_only.extent_by_view["anterior"] == pytest.approx(
        100 * front / chart.view("anterior").silhouette.area, rel=1e-3
    )
    assert m.regions == ("temple-right",)


def test_the_shared_surface_counts_where_it_hurts_more():
    chart = load_chart()
    side = chart.view("right-lateral").regions["temple-right"].geometry.area
    drawing = Session(
        marks=[
            sessions.region_mark(chart, "m1", "anterior", "temple-right", intensity=9),
            sessions.region_mark(chart, "m2", "right-lateral", "temple-right", intensity=3),
        ]
    )
    m = visit_metrics(drawing)
    assert m.weighted_area_mm2 == pytest.approx(0.9 * side, rel=1e-4)
    assert m.mean_intensity == pytest.approx(9.0, abs=0.01)  # slivers where regions meet


def test_an_empty_drawing():
    m = visit_metrics(Session())
    assert (m.extent_percent, m.painted_area_mm2, m.weighted_area_mm2) == (0.0, 0.0, 0.0)
    assert m.max_intensity is None and m.mean_intensity is None and m.regions == ()


def test_pain_before_and_after_come_from_the_treatment_record():
    drawing = Session()
    assert visit_metrics(drawing).pain_before is None
    drawing.treatment = Treatment(pain_before=7, pain_after=3)
    m = visit_metrics(drawing)
    assert (m.pain_before, m.pain_after) == (7, 3)


def test_the_fixture_session_has_sensible_figures():
    m = visit_metrics(sessions.load(HEADACHE))
    assert 0 < m.extent_percent < 5
    assert "temple-right" in m.regions
    assert set(m.extent_by_view) <= {"anterior", "posterior", "right-lateral"}
    assert 0 < m.mean_intensity <= m.max_intensity <= 10


def test_jaccard_of_shifted_discs(back):
    x, y = back
    d = 10.0
    before = [disc("a", "posterior", x, y, R, 5)]
    after = [disc("a", "posterior", x + d, y, R, 5)]
    lens = lens_area(R, d)
    assert jaccard(before, after) == pytest.approx(lens / (2 * math.pi * R * R - lens), abs=2e-4)
    assert jaccard(before, before) == 1.0
    assert jaccard(before, []) == 0.0
    assert jaccard([], []) is None


def test_jaccard_counts_a_shared_surface_once():
    chart = load_chart()
    front = sessions.region_mark(chart, "m1", "anterior", "temple-right")
    side = sessions.region_mark(chart, "m2", "right-lateral", "temple-right")
    # the same surface drawn at both visits, once also in the other view: the same pain
    assert jaccard([front, side], [side]) == 1.0


def test_comparison_geometry(back):
    x, y = back
    d = 24.0
    before = [disc("a", "posterior", x, y, R, 5)]
    after = [disc("a", "posterior", x + d, y, R, 7), disc("b", "anterior", 0.0, 900.0, 10.0, 3)]
    result = compare(before, after)
    assert list(result) == ["anterior", "posterior"]
    lens, circle = lens_area(R, d), math.pi * R * R
    areas = result["posterior"].areas()
    assert areas["persisting"] == pytest.approx(lens, rel=2e-3)
    assert areas["resolved"] == pytest.approx(circle - lens, rel=2e-3)
    assert areas["new"] == pytest.approx(circle - lens, rel=2e-3)
    front = result["anterior"]
    assert front.resolved.is_empty and front.persisting.is_empty
    assert front.new.area == pytest.approx(math.pi * 100, rel=1e-3)
    # the three pieces of a view tile the union of both drawings without overlap
    posterior = result["posterior"]
    union = shapely.union(before[0].geometry, after[0].geometry)
    pieces = [posterior.geometry(c) for c in CHANGES]
    assert sum(p.area for p in pieces) == pytest.approx(union.area, rel=1e-6)
    assert total_areas(result)["new"] == pytest.approx(areas["new"] + front.areas()["new"], abs=0.2)
    with pytest.raises(ValueError, match="unknown change"):
        posterior.geometry("gone")


def test_comparison_of_identical_drawings_is_all_persisting():
    drawing = sessions.load(HEADACHE)
    result = compare(drawing.marks, drawing.marks)
    for view_comparison in result.values():
        assert view_comparison.resolved.is_empty and view_comparison.new.is_empty
        assert view_comparison.persisting.area > 0
