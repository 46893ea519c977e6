"""The shipped nerve atlas, head, neck, shoulder, arm and trunk wall: present, linked, and where the anatomy puts them.

Each territory is checked against the chart's landmarks (what it must cover
and what it must spare), each branch against its parent, and each entrapment
site against the skin a compression there affects.
"""

from __future__ import annotations

import pytest
import shapely

from nmt_bodymap.atlas import shipped_atlas
from nmt_bodymap.chart import load_chart
from nmt_bodymap.nerves import shipped_nerves

#: id -> (parent, skin, roots)
NERVES = {
    "greater-occipital": ("", "own", ("C2",)),
    "lesser-occipital": ("", "own", ("C2", "C3")),
    "third-occipital": ("", "own", ("C3",)),
    "supraclavicular": ("", "own", ("C3", "C4")),
    "brachial-plexus-upper-trunk": ("", "branches", ("C5", "C6")),
    "axillary": ("brachial-plexus-upper-trunk", "own", ("C5", "C6")),
    "suprascapular": ("brachial-plexus-upper-trunk", "none", ("C5", "C6")),
    "musculocutaneous": ("brachial-plexus-upper-trunk", "branches", ("C5", "C6", "C7")),
    "lateral-antebrachial-cutaneous": ("musculocutaneous", "own", ("C5", "C6")),
    "medial-cutaneous-arm": ("brachial-plexus-lower-trunk", "own", ("C8", "T1")),
    "long-thoracic": ("", "none", ("C5", "C6", "C7")),
    "dorsal-scapular": ("", "none", ("C4", "C5")),
    "intercostal-t2-t6": ("", "own", ("T2", "T3", "T4", "T5", "T6")),
    "intercostobrachial": ("intercostal-t2-t6", "own", ("T2",)),
    "thoracoabdominal-t7-t12": ("", "own", ("T7", "T8", "T9", "T10", "T11", "T12")),
    "abdominal-anterior-cutaneous": ("thoracoabdominal-t7-t12", "own", ("T7", "T8", "T9", "T10", "T11", "T12")),
}
#: muscle -> (nerve id, site id) of an [[entrapment]] in its file
MUSCLE_LINKS = {
    "trapezius": ("greater-occipital", "trapezius"),
    "semispinalis-capitis": ("greater-occipital", "semispinalis-capitis"),
    "suboccipitals": ("greater-occipital", "suboccipital-triangle"),
    "sternocleidomastoid": ("lesser-occipital", "sternocleidomastoid"),
    "teres-minor": ("axillary", "quadrilateral-space"),
    "coracobrachialis": ("musculocutaneous", "coracobrachialis"),
    "rectus-abdominis": ("abdominal-anterior-cutaneous", "rectus-sheath"),
}
#: the scalenes catch several nerves: each of these must be linked from the scalenes' file
SCALENE_LINKS = {
    ("brachial-plexus-lower-trunk", "scalene-triangle"),
    ("brachial-plexus-upper-trunk", "scalene-triangle"),
    ("dorsal-scapular", "scalenus-medius"),
    ("long-thoracic", "scalenus-medius"),
}


def right(nerve_id: str):
    return shipped_nerves().by_key()[f"{nerve_id}:right"]


def covers(geoms: dict, view: str, landmark: str) -> bool:
    view_ = load_chart().view(view)
    lm = view_.landmarks.get((landmark, "right")) or view_.landmark(landmark)
    return view in geoms and bool(geoms[view].buffer(0.5).contains(lm.point))


def site(nerve_id: str, site_id: str):
    return next(s for s in right(nerve_id).sites if s.site.id == site_id)


def test_every_nerve_is_present_valid_and_placed_in_the_tree():
    nerves = shipped_nerves()
    assert nerves.problems == [] and nerves.skipped == []
    for nid, (parent, skin, roots) in NERVES.items():
        nerve = nerves.nerve(nid)
        assert (nerve.parent, nerve.skin, tuple(nerve.roots)) == (parent, skin, roots), nid
        assert nerve.sources and nerve.territory_text
    for nid in ("suprascapular", "long-thoracic", "dorsal-scapular"):
        assert right(nid).territory == {} and right(nid).sites, nid  # motor: sites but no skin


def test_muscle_entrapments_point_to_these_nerves_and_back():
    atlas = shipped_atlas()
    for muscle_id, link in MUSCLE_LINKS.items():
        links = {(e.nerve_id, e.site_id) for e in atlas.muscle(muscle_id).entrapments if e.nerve_id}
        assert link in links, muscle_id
        assert shipped_nerves().nerve(link[0]).site(link[1]).muscle == muscle_id
    scalenes = {(e.nerve_id, e.site_id) for e in atlas.muscle("scalenes").entrapments}
    assert scalenes >= SCALENE_LINKS
    for nerve_id, site_id in SCALENE_LINKS:
        assert shipped_nerves().nerve(nerve_id).site(site_id).muscle == "scalenes"


def test_greater_occipital_sites_run_from_deep_to_superficial():
    sites = [s.site for s in right("greater-occipital").sites]
    assert [s.muscle for s in sites] == ["suboccipitals", "semispinalis-capitis", "trapezius"]
    heights = [site("greater-occipital", s.id).points["posterior"].y for s in sites]
    assert heights == sorted(heights, reverse=True)  # the nerve climbs from the suboccipital triangle to the scalp


def test_occipital_nerves_share_the_back_of_the_head():
    gon, lon, ton = right("greater-occipital"), right("lesser-occipital"), right("third-occipital")
    for lm in ("occiput", "vertex"):
        assert covers(gon.territory, "posterior", lm), lm
    for lm in ("mastoid", "ear", "suboccipital"):
        assert not covers(gon.territory, "posterior", lm), lm
    assert covers(gon.territory, "right-lateral", "occiput") and not covers(gon.territory, "right-lateral", "ear")
    # the lesser occipital nerve lies lateral, behind the ear
    assert covers(lon.territory, "posterior", "mastoid") and covers(lon.territory, "right-lateral", "mastoid")
    assert not covers(lon.territory, "posterior", "occiput")
    gon_x = gon.territory["posterior"].centroid.x
    assert lon.territory["posterior"].centroid.x > gon_x
    # the third occipital nerve: the top of the neck beside the midline, below the greater occipital's skin
    assert covers(ton.territory, "posterior", "suboccipital")
    assert not covers(ton.territory, "posterior", "occiput") and not covers(ton.territory, "posterior", "back-of-neck")
    assert ton.territory["posterior"].bounds[1] >= gon.territory["posterior"].bounds[3] - 2
    for a, b in ((gon, lon), (gon, ton), (lon, ton)):
        overlap = shapely.intersection(a.territory["posterior"], b.territory["posterior"]).area
        assert overlap < 0.02 * min(a.territory["posterior"].area, b.territory["posterior"].area)


def test_supraclavicular_cape_stops_at_the_second_rib_and_the_deltoid():
    scn = right("supraclavicular")
    for lm in ("clavicle", "acromion", "coracoid", "neck-shoulder-angle"):
        assert covers(scn.territory, "anterior", lm), lm
    for lm in ("pectoral", "sternum", "lateral-deltoid"):
        assert not covers(scn.territory, "anterior", lm), lm
    assert covers(scn.territory, "posterior", "acromion") and not covers(scn.territory, "posterior", "scapular-spine")
    assert not covers(scn.territory, "right-lateral", "lateral-deltoid")
    assert covers(site("supraclavicular", "clavicle").territory, "anterior", "clavicle")


def test_axillary_skin_is_the_outer_shoulder_in_every_view():
    axillary = right("axillary")
    for view in ("anterior", "posterior", "right-lateral"):
        assert covers(axillary.territory, view, "lateral-deltoid"), view
        assert not covers(axillary.territory, view, "acromion"), view
    assert not covers(axillary.territory, "anterior", "front-of-arm")
    assert not covers(axillary.territory, "posterior", "back-of-arm")  # the radial nerve's posterior cutaneous branch
    assert covers(site("axillary", "quadrilateral-space").territory, "right-lateral", "lateral-deltoid")


def test_musculocutaneous_numbs_the_thumb_side_of_the_forearm():
    mc, labc = right("musculocutaneous"), right("lateral-antebrachial-cutaneous")
    assert mc.own == {} and mc.area == pytest.approx(labc.area)
    assert covers(labc.territory, "anterior", "radial-styloid") and covers(
        labc.territory, "right-lateral", "volar-forearm"
    )
    for lm in ("volar-forearm", "antecubital", "thenar", "little-finger"):
        assert not covers(labc.territory, "anterior", lm), lm  # the medial cutaneous nerve of the forearm, the hand
    assert not covers(labc.territory, "posterior", "dorsal-forearm")  # the radial nerve's strip
    assert covers(site("musculocutaneous", "coracobrachialis").territory, "anterior", "radial-styloid")


def test_upper_trunk_covers_the_outer_arm_the_lower_trunk_the_inner():
    upper, lower = right("brachial-plexus-upper-trunk"), right("brachial-plexus-lower-trunk")
    assert {s.site.id for s in upper.sites} == {"scalene-triangle"}
    assert covers(upper.territory, "anterior", "lateral-deltoid") and covers(
        upper.territory, "anterior", "radial-styloid"
    )
    for lm in ("front-of-arm", "little-finger", "volar-forearm"):
        assert covers(lower.territory, "anterior", lm), lm
        assert not covers(upper.territory, "anterior", lm), lm
    overlap = shapely.intersection(upper.territory["anterior"], lower.territory["anterior"]).area
    assert overlap < 0.02 * upper.territory["anterior"].area
    # the suprascapular nerve hangs from the upper trunk but adds no skin
    assert "suprascapular" in upper.nerve.children and right("suprascapular").territory == {}


def test_inner_arm_between_the_armpit_and_the_elbow():
    mcna, icb = right("medial-cutaneous-arm"), right("intercostobrachial")
    assert covers(mcna.territory, "anterior", "front-of-arm")
    for lm in ("armpit", "medial-epicondyle", "antecubital"):
        assert not covers(mcna.territory, "anterior", lm), lm
    assert covers(icb.territory, "anterior", "armpit") and covers(icb.territory, "posterior", "armpit")
    assert not covers(icb.territory, "anterior", "front-of-arm")
    # the intercostobrachial nerve sits above the medial cutaneous nerve of the arm
    assert icb.territory["anterior"].centroid.y < mcna.territory["anterior"].centroid.y
    overlap = shapely.intersection(mcna.territory["anterior"], icb.territory["anterior"]).area
    assert overlap < 0.02 * mcna.territory["anterior"].area


def test_upper_intercostal_band_spares_the_back_beside_the_spine():
    upper = right("intercostal-t2-t6")
    for lm in ("pectoral", "sternum", "xiphoid", "lateral-chest"):
        assert covers(upper.territory, "anterior", lm), lm
    for lm in ("clavicle", "costal-margin", "umbilicus"):
        assert not covers(upper.territory, "anterior", lm), lm
    assert covers(upper.territory, "right-lateral", "lateral-chest")
    assert covers(upper.territory, "posterior", "infraspinous-fossa")
    for lm in ("interscapular", "mid-back", "scapular-spine"):
        assert not covers(upper.territory, "posterior", lm), lm  # the dorsal rami's skin
    # the armpit is the intercostobrachial branch's: in the territory, not in the own skin
    assert covers(upper.territory, "anterior", "armpit") and not covers(upper.own, "anterior", "armpit")


def test_thoracoabdominal_band_and_its_anterior_cutaneous_branches():
    lower, acn = right("thoracoabdominal-t7-t12"), right("abdominal-anterior-cutaneous")
    for lm in ("costal-margin", "epigastric", "umbilicus", "lower-abdomen"):
        assert covers(lower.territory, "anterior", lm), lm
    for lm in ("xiphoid", "lateral-chest", "pubic-symphysis", "groin"):
        assert not covers(lower.territory, "anterior", lm), lm
    assert not covers(lower.own, "anterior", "umbilicus")  # over the rectus: the anterior cutaneous branches
    assert covers(acn.territory, "anterior", "umbilicus") and not covers(acn.territory, "anterior", "costal-margin")
    assert covers(lower.territory, "posterior", "inferior-angle-of-scapula")
    for lm in ("mid-back", "thoracolumbar", "low-back"):
        assert not covers(lower.territory, "posterior", lm), lm
    assert covers(lower.territory, "right-lateral", "asis")  # the subcostal nerve's lateral branch over the iliac crest
    for lm in ("mid-back", "low-back", "greater-trochanter"):
        assert not covers(lower.territory, "right-lateral", lm), lm
    # a compression at the rectus sheath numbs a patch beside the rectus; one at the costal margin, the whole band
    rectus, margin = (
        site("abdominal-anterior-cutaneous", "rectus-sheath"),
        site("thoracoabdominal-t7-t12", "costal-margin"),
    )
    assert covers(rectus.territory, "anterior", "umbilicus") and not covers(
        rectus.territory, "anterior", "costal-margin"
    )
    assert covers(margin.territory, "anterior", "umbilicus") and covers(margin.territory, "anterior", "costal-margin")


def test_intercostal_groups_meet_at_the_xiphoid_without_overlap():
    upper, lower = right("intercostal-t2-t6"), right("thoracoabdominal-t7-t12")
    for view in ("anterior", "posterior", "right-lateral"):
        a, b = upper.territory[view], lower.territory[view]
        assert shapely.intersection(a, b).area < 0.03 * min(a.area, b.area), view
        assert a.centroid.y < b.centroid.y, view
