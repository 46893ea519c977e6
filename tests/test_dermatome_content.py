"""The shipped dermatome map, C2 to S4-5 after Lee et al. 2008: each level where the texts put it, in order, tiling."""

from __future__ import annotations

import itertools

import pytest
import shapely
from shapely.geometry import LineString, Point, box
from shapely.geometry.base import BaseGeometry

from nmt_bodymap.chart import load_chart
from nmt_bodymap.nerves import dermatome_coverage, shipped_nerves
from nmt_bodymap.nerves.model import LEVELS

IDS = [level.lower() for level in LEVELS]
#: The nipple as the anterior chart draws it (a small circle among the guides; the chart has no landmark for it).
#: The ``pectoral`` landmark lies 75 mm higher, over the belly of pectoralis major: the T2/T3 border, not T4.
NIPPLE = Point(-70, 455)
#: Levels that are not neighbours yet share skin: the middle of the forearm, which Lee et al. leave blank.
SHARED_BLANKS = {frozenset(p) for p in (("C6", "C8"), ("C6", "T1"), ("C7", "T1"))}
FACE = ("forehead", "eye", "nose", "cheek", "mouth", "chin")


def territory(level_id: str, view: str, side: str = "right") -> BaseGeometry:
    key = f"{level_id}:{side}" if level_id != "s4-5" else "s4-5:right"
    return shipped_nerves().by_key()[key].territory.get(view, shapely.Polygon())


def covers(level_id: str, view: str, landmark: str) -> bool:
    v = load_chart().view(view)
    lm = v.landmarks.get((landmark, "right")) or v.landmarks[(landmark, "midline")]
    return bool(territory(level_id, view).buffer(0.5).contains(lm.point))


def test_every_level_from_c2_to_s4_5_is_drawn_after_lee():
    nerves = shipped_nerves()
    assert nerves.problems == [] and nerves.skipped == []
    assert sorted(d.id for d in nerves.dermatomes) == sorted(IDS)
    for level_id, level in zip(IDS, LEVELS, strict=True):
        d = nerves.nerve(level_id)
        assert d.kind == "dermatome" and d.level == level
        assert d.key_point and d.territory_text and d.rule_out
        assert "Lee et al. (2008)" in d.territory_text, level_id
        assert any(s.citation.startswith("Lee MWL, McPhee RW, Stringer MD") for s in d.sources), level_id
        # drawn in every view where its skin shows: the front, the back or the side (and the sole for the foot)
        views = set(nerves.by_key()[f"{level_id}:right"].territory)
        assert len(views & {"anterior", "posterior", "right-lateral"}) >= (1 if level in ("S3", "S4-5") else 2), views
    for level_id in ("l4", "l5", "s1"):
        assert "plantar" in nerves.by_key()[f"{level_id}:right"].territory


def rule_outs(level_id: str) -> str:
    return " | ".join(f"{r.condition}: {r.signs}" for r in shipped_nerves().nerve(level_id).rule_out).lower()


def test_the_serious_mimics_are_named():
    for level_id in ("c5", "c6"):
        assert "myelopathy" in rule_outs(level_id)
    for level_id in ("l4", "l5", "s1"):
        assert "disc herniation" in rule_outs(level_id) and "cauda equina" in rule_outs(level_id)
    for level_id in ("s3", "s4-5"):
        text = rule_outs(level_id)
        assert "cauda equina" in text and "saddle" in text and "emergency" in text


@pytest.mark.parametrize(
    ("level_id", "view", "inside", "outside"),
    [
        ("c2", "posterior", ["occiput", "mastoid"], ["side-of-neck"]),
        ("c2", "right-lateral", ["occiput", "ear", "jaw-angle"], ["side-of-neck"]),
        ("c3", "anterior", ["side-of-neck", "throat"], ["clavicle", "jaw-angle"]),
        ("c3", "posterior", ["back-of-neck"], ["occiput", "c7"]),
        ("c4", "anterior", ["acromion", "clavicle", "sternal-notch"], ["lateral-deltoid", "pectoral"]),
        ("c4", "posterior", ["acromion", "c7"], ["back-of-shoulder"]),
        (
            "c5",
            "anterior",
            ["lateral-deltoid", "front-of-shoulder", "lateral-epicondyle"],
            ["acromion", "medial-epicondyle"],
        ),
        ("c5", "posterior", ["lateral-deltoid", "back-of-shoulder"], ["medial-epicondyle", "thumb-tip"]),
        ("c5", "right-lateral", ["lateral-deltoid"], ["thumb-tip"]),
        (
            "c6",
            "anterior",
            ["thumb-tip", "index-finger", "thenar", "radial-styloid"],
            ["middle-finger", "little-finger"],
        ),
        ("c6", "posterior", ["thumb-tip", "thumb-base", "index-finger"], ["middle-finger", "little-finger"]),
        ("c6", "right-lateral", ["thumb-tip", "radial-styloid"], ["lateral-deltoid"]),
        ("c7", "anterior", ["middle-finger", "palm"], ["thumb-tip", "index-finger", "little-finger"]),
        ("c7", "posterior", ["middle-finger", "dorsal-hand", "dorsal-forearm"], ["thumb-tip", "little-finger"]),
        (
            "c8",
            "anterior",
            ["little-finger", "ring-finger", "hypothenar", "ulnar-styloid"],
            ["thumb-tip", "middle-finger"],
        ),
        ("c8", "posterior", ["little-finger", "ring-finger"], ["thumb-tip", "medial-epicondyle"]),
        ("t1", "anterior", ["medial-epicondyle"], ["armpit", "lateral-epicondyle", "little-finger"]),
        ("t1", "posterior", ["medial-epicondyle"], ["lateral-epicondyle"]),
        ("t2", "anterior", ["armpit"], ["sternum", "medial-epicondyle"]),
        ("t2", "posterior", ["armpit"], ["medial-epicondyle"]),
        ("t3", "anterior", ["sternum"], ["xiphoid"]),
        ("t6", "anterior", ["xiphoid"], ["sternum", "umbilicus"]),
        ("t10", "anterior", ["umbilicus"], ["xiphoid", "groin"]),
        ("t12", "posterior", ["thoracolumbar"], ["iliac-crest"]),
        ("l1", "anterior", ["groin", "pubic-symphysis"], ["umbilicus", "front-of-thigh"]),
        ("l2", "anterior", ["front-of-thigh", "medial-thigh", "greater-trochanter"], ["groin", "patella"]),
        ("l3", "anterior", ["medial-knee", "patella"], ["front-of-thigh", "shin"]),
        ("l4", "anterior", ["medial-malleolus", "shin"], ["big-toe", "top-of-foot", "lateral-malleolus"]),
        ("l4", "posterior", ["medial-malleolus"], ["heel", "lateral-malleolus"]),
        ("l4", "plantar", ["arch"], ["big-toe", "heel"]),
        ("l5", "anterior", ["big-toe", "top-of-foot", "lateral-leg"], ["medial-malleolus", "lateral-malleolus"]),
        ("l5", "right-lateral", ["top-of-foot", "fibular-head"], ["lateral-malleolus", "heel"]),
        ("l5", "plantar", ["big-toe", "ball-of-foot"], ["heel", "fifth-metatarsal-head"]),
        ("s1", "anterior", ["lateral-malleolus"], ["big-toe", "top-of-foot", "medial-malleolus"]),
        ("s1", "posterior", ["heel", "lateral-malleolus", "achilles"], ["medial-malleolus"]),
        ("s1", "right-lateral", ["heel", "lateral-malleolus"], ["top-of-foot"]),
        ("s1", "plantar", ["heel", "fifth-metatarsal-head"], ["big-toe"]),
        ("s2", "posterior", ["back-of-knee", "back-of-thigh", "calf", "sacrum"], ["heel", "achilles"]),
        ("s3", "posterior", ["ischial-tuberosity"], ["sacrum", "back-of-knee"]),
        ("s4-5", "posterior", ["coccyx"], ["sacrum", "ischial-tuberosity"]),
    ],
)
def test_each_level_covers_its_landmarks(level_id, view, inside, outside):
    for landmark in inside:
        assert covers(level_id, view, landmark), f"{level_id} should cover {landmark} in the {view} view"
    for landmark in outside:
        assert not covers(level_id, view, landmark), f"{level_id} should not reach {landmark} in the {view} view"


def test_t4_is_the_nipple_band():
    holders = [level_id for level_id in IDS if territory(level_id, "anterior").contains(NIPPLE)]
    assert holders == ["t4"]


def height_order(view: str, strip: BaseGeometry, levels: list[str]) -> list[float]:
    """The mean height of each level's skin within ``strip`` (NaN where it does not cross it)."""
    parts = [shapely.intersection(territory(level_id, view), strip) for level_id in levels]
    return [p.centroid.y if not p.is_empty else float("nan") for p in parts]


@pytest.mark.parametrize(
    ("view", "strip", "levels"),
    [
        # down the front beside the midline, the back beside the spine, and the side of the trunk behind and
        # in front of the hanging arm
        ("anterior", box(-20, 0, 0, 900), ["c2", "c3", "c4", *(f"t{i}" for i in range(2, 13)), "l1"]),
        (
            "posterior",
            box(0, 0, 12, 930),
            ["c2", "c3", "c4", *(f"t{i}" for i in range(1, 13)), "l1", "l2", "l3", "s1", "s2", "s3", "s4-5"],
        ),
        ("right-lateral", box(-80, 300, -60, 820), ["c4", *(f"t{i}" for i in range(1, 13)), "l1", "l2", "l3"]),
        ("right-lateral", box(70, 330, 95, 900), [*(f"t{i}" for i in range(2, 13)), "l1", "l2"]),
    ],
)
def test_trunk_bands_run_in_order_down_the_body(view, strip, levels):
    heights = height_order(view, strip, levels)
    assert all(h == h for h in heights), "every level crosses the strip"  # an empty intersection has a NaN centroid
    assert heights == sorted(heights), dict(zip(levels, heights, strict=True))
    # and they slope down from the back to the front: each band is lower on the chest than beside the spine
    if view == "anterior":
        back = height_order("posterior", box(0, 0, 12, 930), levels)
        assert all(f >= b for f, b in zip(heights[3:], back[3:], strict=True))


def test_trunk_bands_meet_at_the_midline():
    midline = LineString([(0, 0), (0, 2000)])
    front = [*(f"t{i}" for i in range(2, 13)), "l1"]
    back = [*(f"t{i}" for i in range(1, 13)), "l1", "l2", "l3", "s1", "s2", "s3"]
    for view, levels, right_half in (
        ("anterior", front, box(-400, 0, 0, 2000)),
        ("posterior", back, box(0, 0, 400, 2000)),
    ):
        for level_id in levels:
            right = territory(level_id, view)
            assert right.distance(midline) < 0.5, (level_id, view)
            assert shapely.difference(right, right_half).area < 1.0, (level_id, view)  # it does not cross over
            left = territory(level_id, view, "left")
            assert left.distance(right) < 0.5  # the mirror image meets it
    s45_right, s45_left = (shipped_nerves().by_key()[f"s4-5:{side}"] for side in ("right", "left"))
    assert s45_right.territory["posterior"].intersects(midline)
    assert s45_right.territory["posterior"].equals(s45_left.territory["posterior"])  # one patch straddling the midline
    assert s45_right.territory["posterior"].area < 1500


def test_the_limbs_axial_lines_divide_without_overlap():
    """C5 meets T2 and T1 down the middle of the arm, C4 meets T2 on the chest: levels that are not neighbours."""
    for view in ("anterior", "posterior"):
        c5 = territory("c5", view)
        for other in ("t1", "t2"):
            assert c5.distance(territory(other, view)) < 0.5
            assert shapely.intersection(c5, territory(other, view)).area < 30
    assert shapely.intersection(territory("c4", "anterior"), territory("t2", "anterior")).area < 30
    assert territory("c4", "anterior").distance(territory("t2", "anterior")) < 0.5


def test_neighbours_overlap_a_little_and_the_rest_only_meet():
    by_view = {(level, view): territory(level.lower(), view) for level in LEVELS for view in load_chart().views}
    areas = {level: sum(by_view[(level, v)].area for v in load_chart().views) for level in LEVELS}
    for a, b in itertools.combinations(LEVELS, 2):
        shared = sum(shapely.intersection(by_view[(a, v)], by_view[(b, v)]).area for v in load_chart().views)
        smaller = min(areas[a], areas[b])
        if abs(LEVELS.index(a) - LEVELS.index(b)) == 1 or frozenset((a, b)) in SHARED_BLANKS:
            assert shared < 0.3 * smaller, (a, b, shared)
        else:
            assert shared < 0.01 * smaller, (a, b, shared)
    for a, b in itertools.pairwise(LEVELS):
        shared = sum(shapely.intersection(by_view[(a, v)], by_view[(b, v)]).area for v in load_chart().views)
        assert shared > 0, f"{a} and {b} should overlap a little"


def test_dermatomes_tile_the_body_outside_the_face():
    shares = dermatome_coverage(shipped_nerves(), load_chart())
    assert shares["all"] > 0.97
    assert min(shares[v] for v in ("anterior", "posterior", "right-lateral", "left-lateral", "plantar")) > 0.95
    anterior = load_chart().view("anterior")
    face = shapely.union_all([r.geometry for r in anterior.regions.values() if r.name in FACE])
    drawn = shapely.union_all([territory(level_id, "anterior", side) for level_id in IDS for side in ("right", "left")])
    # the face is the trigeminal nerve's (C2 comes to the angle of the jaw; outlines are simplified by 0.25 mm)
    assert shapely.intersection(face, drawn).area < 0.005 * face.area
