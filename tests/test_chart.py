"""The body chart: views, regions tiling the silhouette, landmarks, symmetry."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest
import shapely

from nmt_bodymap.chart import (
    LANDMARKS,
    MIRROR_VIEW,
    VIEWS,
    ChartError,
    load_chart,
    load_view,
    mirror_geometry,
    mirror_side,
)

FRONT_AND_SIDE = ("anterior", "posterior", "right-lateral", "left-lateral")


@pytest.fixture(scope="module")
def chart():
    return load_chart()


@pytest.mark.parametrize("name", VIEWS)
def test_regions_tile_the_silhouette(chart, name):
    view = chart.view(name)
    geoms = [r.geometry for r in view.regions.values()]
    union = shapely.union_all(geoms)
    sil_area = view.silhouette.area
    assert shapely.symmetric_difference(union, view.silhouette).area / sil_area < 0.005
    tree = shapely.STRtree(geoms)
    overlap = 0.0
    for i, g in enumerate(geoms):
        for j in tree.query(g, predicate="intersects"):
            if j > i:
                overlap += shapely.intersection(g, geoms[j]).area
    assert overlap / sil_area < 0.001


def test_front_views_have_at_least_the_choir_count_of_regions(chart):
    assert len(chart.view("anterior").regions) + len(chart.view("posterior").regions) >= 74


@pytest.mark.parametrize("name", VIEWS)
def test_regions_are_named_and_sided(chart, name):
    for rid, region in chart.view(name).regions.items():
        assert region.side in ("left", "right"), rid
        assert rid == f"{region.name}-{region.side}"
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", region.name), rid
        assert region.geometry.is_valid and region.geometry.area > 20, rid


def test_finer_regions_on_head_hands_and_feet(chart):
    names = {r.name for v in ("anterior", "posterior") for r in chart.view(v).regions.values()}
    head = {"scalp", "forehead", "temple", "eye", "nose", "cheek", "mouth", "jaw", "chin", "ear", "occiput", "mastoid"}
    hand = {
        "palm",
        "thenar",
        "hypothenar",
        "thumb-palmar",
        "finger-index-palmar",
        "finger-little-dorsal",
        "hand-dorsal",
    }
    assert head <= names and hand <= names
    assert {"toe-big", "toes-lesser", "heel"} <= names
    plantar = {r.name for r in chart.view("plantar").regions.values()}
    assert {"heel", "arch", "ball-medial", "ball-lateral", "toe-big", "toe-fifth"} <= plantar


# The vocabulary the chart promises (issue 2), every id placed in some view.
VOCABULARY = """
vertex forehead eyebrow eye temple cheek tmj ear mastoid upper-teeth lower-teeth jaw-angle chin occiput
suboccipital back-of-neck side-of-neck neck-shoulder-angle throat c7 sternal-notch
acromion clavicle coracoid front-of-shoulder lateral-deltoid back-of-shoulder armpit superior-angle-of-scapula
scapular-spine infraspinous-fossa inferior-angle-of-scapula interscapular mid-back thoracolumbar low-back
iliac-crest psis sacrum coccyx buttock ischial-tuberosity
sternum pectoral xiphoid lateral-chest costal-margin epigastric umbilicus lower-abdomen asis groin pubic-symphysis
front-of-arm back-of-arm lateral-epicondyle medial-epicondyle olecranon antecubital dorsal-forearm volar-forearm
dorsal-wrist volar-wrist radial-styloid ulnar-styloid palm dorsal-hand thenar hypothenar thumb-base thumb-tip
index-finger middle-finger ring-finger little-finger
greater-trochanter front-of-thigh lateral-thigh medial-thigh back-of-thigh patella medial-knee lateral-knee
back-of-knee fibular-head tibial-tuberosity shin lateral-leg calf achilles lateral-malleolus medial-malleolus
heel arch ball-of-foot fifth-metatarsal-head top-of-foot big-toe lesser-toes
""".split()  # noqa: SIM905
MIDLINE = set(
    "vertex chin throat c7 sternal-notch sternum xiphoid epigastric umbilicus pubic-symphysis sacrum coccyx".split()  # noqa: SIM905
)


def test_whole_vocabulary_is_placed(chart):
    assert set(LANDMARKS) == set(VOCABULARY)
    assert {lid for lid, info in LANDMARKS.items() if info.midline} == MIDLINE
    assert {lm.id for lm in chart.all_landmarks()} == set(VOCABULARY)


def test_midline_landmarks_have_no_side_and_the_rest_both_sides(chart):
    for view in chart.views.values():
        for lid, side in view.landmarks:
            info = LANDMARKS[lid]
            if info.midline:
                assert side == "midline", (view.name, lid)
            else:
                assert side in ("left", "right")
                if view.name in ("anterior", "posterior", "plantar"):
                    assert (lid, mirror_side(side)) in view.landmarks, (view.name, lid)


@pytest.mark.parametrize("name", VIEWS)
def test_landmarks_sit_in_a_region_whose_name_fits(chart, name):
    view = chart.view(name)
    for lm in view.landmarks.values():
        assert view.contains(lm.x, lm.y), f"{lm.key} outside the {name} silhouette"
        region = view.region_at(lm.x, lm.y)
        assert region is not None, lm.key
        assert region.name in LANDMARKS[lm.id].fits, f"{lm.key} in {name} lies in {region.id}"
        if lm.side != "midline":
            assert region.side == lm.side, f"{lm.key} in {name} lies in {region.id}"


@pytest.mark.parametrize("name", ["anterior", "posterior", "plantar"])
def test_halves_mirror_exactly(chart, name):
    view = chart.view(name)
    sil = view.silhouette
    assert shapely.hausdorff_distance(sil, mirror_geometry(sil)) < 1.0
    for rid, region in view.regions.items():
        twin = view.regions[f"{region.name}-{mirror_side(region.side)}"]
        assert shapely.hausdorff_distance(mirror_geometry(region.geometry), twin.geometry) < 1.0, rid
    for (lid, side), lm in view.landmarks.items():
        twin = view.landmarks[(lid, mirror_side(side))]
        assert abs(lm.x + twin.x) < 1.0 and abs(lm.y - twin.y) < 1.0


def test_left_lateral_mirrors_right_lateral(chart):
    right, left = chart.view("right-lateral"), chart.view("left-lateral")
    assert shapely.hausdorff_distance(mirror_geometry(right.silhouette), left.silhouette) < 1.0
    for region in right.regions.values():
        twin = left.regions[f"{region.name}-{mirror_side(region.side)}"]
        assert shapely.hausdorff_distance(mirror_geometry(region.geometry), twin.geometry) < 1.0
    assert MIRROR_VIEW["right-lateral"] == "left-lateral"


def test_landmark_heights_agree_across_views(chart):
    for lid in LANDMARKS:
        for side in ("left", "right", "midline"):
            ys = [
                v.landmarks[(lid, side)].y
                for n, v in chart.views.items()
                if n in FRONT_AND_SIDE and (lid, side) in v.landmarks
            ]
            if len(ys) > 1:
                assert max(ys) - min(ys) <= 5.0, (lid, side, ys)


def test_sides_are_the_patients(chart):
    ant, post = chart.view("anterior"), chart.view("posterior")
    # anterior: the patient's right is on the viewer's left
    assert ant.landmark("temple", "right").x < 0 < ant.landmark("temple", "left").x
    assert post.landmark("mastoid", "right").x > 0 > post.landmark("mastoid", "left").x
    assert chart.view("plantar").landmark("heel", "right").x > 0
    # the right-lateral view shows the right side, facing the viewer's right
    lat = chart.view("right-lateral")
    assert all(r.side == "right" for r in lat.regions.values())
    assert lat.landmark("chin").x > lat.landmark("occiput", "right").x
    assert ant.region_at(-150, 1000).side == "right"


@pytest.mark.parametrize("name", VIEWS)
def test_svg_side_labels_match_the_sides(name):
    view = load_view(name)
    root = ElementTree.parse(view.svg_path).getroot()
    ns = {"s": "http://www.w3.org/2000/svg"}
    labels = {}
    for g in root.iterfind(".//s:g[@data-side-label]", ns):
        circle = g.find("s:circle", ns)
        labels[g.get("data-side-label")] = float(circle.get("cx"))
    expect = {
        "anterior": {"R": -1, "L": 1},
        "posterior": {"L": -1, "R": 1},
        "plantar": {"L": -1, "R": 1},
        "right-lateral": {"R": -1},
        "left-lateral": {"L": 1},
    }[name]
    assert {k: (1 if v > 0 else -1) for k, v in labels.items()} == expect


@pytest.mark.parametrize("name", VIEWS)
def test_outlines_are_smooth_curves(name):
    text = load_view(name).svg_path.read_text()
    bodies = re.findall(r'<path id="body-\d+"[^>]* d="([^"]+)"', text)
    assert bodies
    for d in bodies:
        assert d.count("C") > 30 and " L" not in d


def test_proportions_are_classical(chart):
    ant = chart.view("anterior")
    _minx, miny, _maxx, maxy = ant.silhouette.bounds
    assert 1740 <= maxy - miny <= 1765
    head = ant.landmark("chin").y - miny
    assert 1750 / head == pytest.approx(8.0, rel=0.1)
    # arm segments the same length on both sides and in the lateral view
    for view in ("anterior", "posterior"):
        v = chart.view(view)
        upper = v.landmark("lateral-epicondyle", "right").y - v.landmark("acromion", "right").y
        assert upper == pytest.approx(0.18 * 1750, rel=0.12)


def test_region_at_and_landmark_errors(chart):
    ant = chart.view("anterior")
    assert ant.region_at(1000, 1000) is None
    with pytest.raises(ChartError, match="unknown landmark"):
        ant.landmark("elbowz", "right")
    with pytest.raises(ChartError, match="sided"):
        ant.landmark("temple")
    with pytest.raises(ChartError, match="not shown"):
        ant.landmark("heel", "right")
    with pytest.raises(ChartError, match="unknown view"):
        chart.view("dorsal")


# Corrections of issue 11: landmark relations a therapist palpates, and a lateral
# view whose arm leaves the side of the hip in sight.

SIDES = ("right", "left")
LATERAL = {"right": "right-lateral", "left": "left-lateral"}


def _ys(chart, landmark_id, side):
    return {view: lm.y for view, lm in chart.landmark_positions(landmark_id, side).items()}


@pytest.mark.parametrize("side", SIDES)
def test_suboccipital_lies_just_below_the_occiput_above_the_jaw_angle(chart, side):
    jaw = _ys(chart, "jaw-angle", side)
    views = _ys(chart, "suboccipital", side)
    assert {"posterior", LATERAL[side]} <= set(views)
    for view_name, y in views.items():
        view = chart.view(view_name)
        assert view.landmark("occiput", side).y < y < view.landmark("back-of-neck", side).y, view_name
        assert y < min(jaw.values()), (view_name, y, jaw)
        assert view.region_at(view.landmark("suboccipital", side).x, y).name == "suboccipital"


@pytest.mark.parametrize("side", SIDES)
def test_psis_is_level_with_or_slightly_above_the_asis(chart, side):
    psis, asis = _ys(chart, "psis", side), _ys(chart, "asis", side)
    assert psis and asis
    # y grows downward: the PSIS no lower than the ASIS, and not far above it (neutral pelvis)
    assert 0 <= min(asis.values()) - max(psis.values()) <= 20, (psis, asis)


@pytest.mark.parametrize("side", SIDES)
def test_lateral_malleolus_is_lower_than_the_medial(chart, side):
    checked = 0
    for view in chart.views.values():
        if ("lateral-malleolus", side) in view.landmarks and ("medial-malleolus", side) in view.landmarks:
            drop = view.landmark("lateral-malleolus", side).y - view.landmark("medial-malleolus", side).y
            assert 8 <= drop <= 18, (view.name, drop)
            checked += 1
    assert checked >= 2


@pytest.mark.parametrize("side", SIDES)
def test_fibular_head_lies_about_two_centimetres_below_the_lateral_knee(chart, side):
    checked = 0
    for view in chart.views.values():
        if ("fibular-head", side) in view.landmarks and ("lateral-knee", side) in view.landmarks:
            drop = view.landmark("fibular-head", side).y - view.landmark("lateral-knee", side).y
            assert 10 <= drop <= 30, (view.name, drop)
            checked += 1
    assert checked >= 2


def _arm_regions(view):
    return [
        r for r in view.regions.values() if shapely.intersection(r.geometry, view.overlay).area > 0.5 * r.geometry.area
    ]


@pytest.mark.parametrize("side", SIDES)
def test_lateral_arm_leaves_the_greater_trochanter_in_view(chart, side):
    view = chart.view(LATERAL[side])
    assert not view.overlay.is_empty
    trochanter = view.landmark("greater-trochanter", side)
    # on the side of the hip, below the acromion (the mid-axillary line), not pushed aside by the arm
    assert abs(trochanter.x - view.landmark("acromion", side).x) <= 20
    assert view.overlay.distance(trochanter.point) >= 30
    assert not any(r.geometry.intersects(trochanter.point.buffer(30)) for r in _arm_regions(view))
    assert view.region_at(trochanter.x, trochanter.y).name == "hip-lateral"


@pytest.mark.parametrize("side", SIDES)
def test_lateral_hip_region_is_whole_around_the_trochanter(chart, side):
    view = chart.view(LATERAL[side])
    trochanter = view.landmark("greater-trochanter", side)
    hip = view.regions[f"hip-lateral-{side}"].geometry
    around = shapely.intersection(trochanter.point.buffer(30), view.silhouette)
    # the lateral hip region holds all the body around the trochanter: no arm and no other region cuts into it
    assert shapely.intersection(around, hip).area / around.area > 0.99
    # and the arm does not cross it: nothing of the arm lies within its outline's hull
    assert shapely.intersection(hip.convex_hull, view.overlay).area < 0.01 * hip.area
    lateral_thigh = view.landmark("lateral-thigh", side)
    assert view.overlay.distance(lateral_thigh.point) >= 30
