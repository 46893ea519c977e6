"""The shipped nerve atlas: the upper-limb examples are present, valid, linked and anatomically where they belong."""

from __future__ import annotations

import pytest
import shapely

from nmt_bodymap.atlas import shipped_atlas
from nmt_bodymap.chart import load_chart
from nmt_bodymap.nerves import shipped_nerves

#: id -> parent ("" for none)
EXAMPLES = {
    "median": "",
    "palmar-cutaneous-median": "median",
    "brachial-plexus-lower-trunk": "",
    "ulnar": "brachial-plexus-lower-trunk",
    "dorsal-ulnar-cutaneous": "ulnar",
    "medial-antebrachial-cutaneous": "brachial-plexus-lower-trunk",
    "radial": "",
    "posterior-cutaneous-arm": "radial",
    "superficial-radial": "radial",
    "posterior-interosseous": "radial",
}
DERMATOMES = ("c6", "c7", "c8")
#: muscle -> (nerve id, site id) its [[entrapment]] points to
MUSCLE_LINKS = {
    "pronator-teres": ("median", "pronator-teres"),
    "flexor-digitorum-superficialis": ("median", "superficialis-arch"),
    "flexor-carpi-ulnaris": ("ulnar", "cubital-tunnel"),
    "triceps-brachii": ("radial", "spiral-groove"),
    "brachialis": ("superficial-radial", "brachialis"),
    "supinator": ("posterior-interosseous", "radial-tunnel"),
    "scalenes": ("brachial-plexus-lower-trunk", "scalene-triangle"),
    "pectoralis-minor": ("brachial-plexus-lower-trunk", "pectoralis-minor"),
}


def right(nerve_id: str):
    return shipped_nerves().by_key()[f"{nerve_id}:right"]


def covers(geoms: dict, view: str, landmark: str) -> bool:
    lm = load_chart().view(view).landmark(landmark, "right")
    return view in geoms and bool(geoms[view].buffer(0.5).contains(lm.point))


def test_every_example_is_present_valid_and_placed_in_the_tree():
    nerves = shipped_nerves()
    assert nerves.problems == [] and nerves.skipped == []
    for nid, parent in EXAMPLES.items():
        assert nerves.nerve(nid).parent == parent
    for nid in DERMATOMES:
        assert nerves.nerve(nid).kind == "dermatome"
    assert nerves.nerve("brachial-plexus-lower-trunk").skin == "branches"
    assert nerves.nerve("posterior-interosseous").skin == "none" and right("posterior-interosseous").territory == {}


def test_muscle_entrapments_point_to_their_nerve_sites():
    atlas = shipped_atlas()
    for muscle_id, link in MUSCLE_LINKS.items():
        links = {(e.nerve_id, e.site_id) for e in atlas.muscle(muscle_id).entrapments if e.nerve_id}
        assert link in links, muscle_id
        nerve = shipped_nerves().nerve(link[0])
        assert nerve.site(link[1]).muscle == muscle_id


def test_median_territory():
    median = right("median")
    for lm in ("thumb-tip", "index-finger", "middle-finger", "thenar", "palm"):
        assert covers(median.territory, "anterior", lm), lm
    for lm in ("little-finger", "hypothenar"):
        assert not covers(median.territory, "anterior", lm), lm
    # the backs of the index and middle fingers' end segments, not the back of the hand
    assert covers(median.territory, "posterior", "index-finger")
    assert not covers(median.territory, "posterior", "dorsal-hand")
    # the thumb-side half of the ring finger, on the palm
    view = load_chart().view("anterior")
    ring = shapely.union_all(
        [r.geometry for r in view.regions.values() if r.name == "finger-ring-palmar" and r.side == "right"]
    )
    share = shapely.intersection(ring, median.territory["anterior"]).area / ring.area
    assert 0.4 < share < 0.6


def test_carpal_tunnel_spares_the_thenar_skin_pronator_teres_does_not():
    sites = {s.site.id: s for s in right("median").sites}
    assert covers(sites["carpal-tunnel"].territory, "anterior", "thumb-tip")
    assert not covers(sites["carpal-tunnel"].territory, "anterior", "thenar")
    assert covers(sites["pronator-teres"].territory, "anterior", "thenar")


def test_ulnar_territory_and_guyons_canal():
    ulnar = right("ulnar")
    assert covers(ulnar.territory, "anterior", "little-finger") and covers(ulnar.territory, "anterior", "hypothenar")
    assert covers(ulnar.territory, "posterior", "little-finger")  # through its dorsal branch
    assert not covers(ulnar.territory, "anterior", "index-finger")
    sites = {s.site.id: s for s in ulnar.sites}
    assert "posterior" not in sites["guyons-canal"].territory  # the dorsal branch leaves above the wrist
    assert covers(sites["cubital-tunnel"].territory, "posterior", "little-finger")


def test_radial_territories_and_the_spiral_groove():
    radial = right("radial")
    assert covers(radial.territory, "posterior", "back-of-arm")  # posterior cutaneous nerve of the arm
    assert covers(radial.territory, "posterior", "dorsal-forearm")  # posterior cutaneous nerve of the forearm
    assert covers(radial.territory, "posterior", "thumb-tip")  # superficial branch
    groove = next(s for s in radial.sites if s.site.id == "spiral-groove")
    assert not covers(groove.territory, "posterior", "back-of-arm")
    assert covers(groove.territory, "posterior", "thumb-tip")
    superficial = right("superficial-radial")
    assert covers(superficial.territory, "posterior", "thumb-base")
    assert not covers(superficial.territory, "posterior", "little-finger")


def test_lower_trunk_explains_the_inner_forearm_and_the_ulnar_hand():
    trunk, ulnar = right("brachial-plexus-lower-trunk"), right("ulnar")
    assert trunk.area > ulnar.area * 1.5  # the medial cutaneous nerve of the forearm adds the inner forearm
    assert covers(trunk.territory, "anterior", "little-finger")
    assert {s.site.id for s in trunk.sites} == {"scalene-triangle", "pectoralis-minor"}


@pytest.mark.parametrize(
    ("level", "inside", "outside"),
    [
        ("c6", ["thumb-tip", "index-finger", "radial-styloid", "thenar"], ["middle-finger", "little-finger"]),
        ("c7", ["middle-finger"], ["thumb-tip", "little-finger", "index-finger"]),
        ("c8", ["little-finger", "ring-finger", "hypothenar", "ulnar-styloid"], ["thumb-tip", "middle-finger"]),
    ],
)
def test_hand_dermatomes_after_lee(level, inside, outside):
    dermatome = right(level)
    for lm in inside:
        assert covers(dermatome.territory, "anterior", lm), lm
    for lm in outside:
        assert not covers(dermatome.territory, "anterior", lm), lm
    assert dermatome.nerve.key_point.startswith("The back of the")


def test_hand_dermatomes_overlap_only_along_their_borders():
    c6, c7, c8 = (right(level).territory["anterior"] for level in DERMATOMES)
    for a, b in ((c6, c7), (c7, c8)):
        assert 0 < shapely.intersection(a, b).area < 0.15 * min(a.area, b.area)
    hand = shapely.box(-400, 885, 0, 1100)  # below the wrist: C6 and C8 meet only in the forearm's middle
    assert shapely.intersection(shapely.intersection(c6, c8), hand).area < 1.0
