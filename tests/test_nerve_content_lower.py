"""The shipped nerve atlas below the waist: every lower-body nerve present, linked and where the anatomy puts it."""

from __future__ import annotations

import itertools

import pytest
import shapely

from nmt_bodymap.atlas import shipped_atlas
from nmt_bodymap.chart import load_chart
from nmt_bodymap.nerves import shipped_nerves

#: id -> (parent, skin)
LOWER = {
    "iliohypogastric": ("", "own"),
    "ilioinguinal": ("", "own"),
    "genitofemoral": ("", "own"),
    "lateral-femoral-cutaneous": ("", "own"),
    "femoral": ("", "branches"),
    "anterior-femoral-cutaneous": ("femoral", "own"),
    "saphenous": ("femoral", "own"),
    "infrapatellar-saphenous": ("saphenous", "own"),
    "obturator": ("", "own"),
    "posterior-femoral-cutaneous": ("", "own"),
    "sciatic": ("", "branches"),
    "common-fibular": ("sciatic", "branches"),
    "lateral-sural-cutaneous": ("common-fibular", "own"),
    "superficial-fibular": ("common-fibular", "own"),
    "deep-fibular": ("common-fibular", "own"),
    "tibial": ("sciatic", "branches"),
    "sural": ("tibial", "own"),
    "medial-calcaneal": ("tibial", "own"),
    "medial-plantar": ("tibial", "own"),
    "third-plantar-digital": ("medial-plantar", "own"),
    "lateral-plantar": ("tibial", "own"),
    "inferior-calcaneal": ("lateral-plantar", "none"),
    "pudendal": ("", "own"),
}
#: (muscle, nerve id, site id): the muscle's [[entrapment]] points to the nerve's site, and the site names the muscle
MUSCLE_LINKS = [
    ("internal-oblique", "iliohypogastric", "internal-oblique"),
    ("internal-oblique", "ilioinguinal", "internal-oblique"),
    ("iliopsoas", "genitofemoral", "psoas"),
    ("iliopsoas", "lateral-femoral-cutaneous", "psoas"),
    ("iliopsoas", "femoral", "iliopsoas"),
    ("sartorius", "lateral-femoral-cutaneous", "inguinal-ligament"),
    ("sartorius", "infrapatellar-saphenous", "sartorius"),
    ("adductor-brevis", "obturator", "adductor-brevis"),
    ("piriformis", "sciatic", "piriformis"),
    ("piriformis", "posterior-femoral-cutaneous", "piriformis"),
    ("obturator-internus", "pudendal", "alcocks-canal"),
    ("peroneus-longus", "common-fibular", "fibular-neck"),
    ("extensor-hallucis-brevis", "deep-fibular", "extensor-hallucis-brevis"),
    ("soleus", "tibial", "soleal-arch"),
    ("flexor-digitorum-longus", "tibial", "tarsal-tunnel"),
    ("abductor-hallucis", "tibial", "abductor-hallucis"),
    ("abductor-hallucis", "inferior-calcaneal", "abductor-hallucis"),
]
A, P, L, PL = "anterior", "posterior", "right-lateral", "plantar"


def right(nerve_id: str):
    return shipped_nerves().by_key()[f"{nerve_id}:right"]


def site(nerve_id: str, site_id: str):
    return next(s for s in right(nerve_id).sites if s.site.id == site_id)


def covers(geoms: dict, view: str, landmark: str, side: str = "right") -> bool:
    lm = load_chart().view(view).landmark(landmark, side)
    return view in geoms and bool(geoms[view].buffer(0.5).contains(lm.point))


def region(view: str, name: str):
    regions = load_chart().view(view).regions.values()
    return shapely.union_all([r.geometry for r in regions if r.name == name and r.side == "right"])


def share(geoms: dict, view: str, name: str) -> float:
    """How much of a chart region (right side) the territory covers."""
    shape = region(view, name)
    return shapely.intersection(shape, geoms[view]).area / shape.area if view in geoms else 0.0


def test_every_lower_nerve_is_present_valid_and_placed_in_the_tree():
    nerves = shipped_nerves()
    assert nerves.problems == [] and nerves.skipped == []
    for nid, (parent, skin) in LOWER.items():
        nerve = nerves.nerve(nid)
        assert (nerve.parent, nerve.skin) == (parent, skin), nid
        assert nerve.sources and nerve.roots, nid
    # branches with skin of their own draw it; the motor branch draws only its site
    assert right("inferior-calcaneal").territory == {}
    assert right("inferior-calcaneal").sites[0].points


@pytest.mark.parametrize(("muscle_id", "nerve_id", "site_id"), MUSCLE_LINKS)
def test_muscle_entrapments_point_to_their_nerve_sites(muscle_id, nerve_id, site_id):
    links = {(e.nerve_id, e.site_id) for e in shipped_atlas().muscle(muscle_id).entrapments if e.nerve_id}
    assert (nerve_id, site_id) in links
    assert shipped_nerves().nerve(nerve_id).site(site_id).muscle == muscle_id


def test_no_lower_muscle_entrapment_is_left_unlinked():
    atlas = shipped_atlas()
    for muscle in atlas.muscles.values():
        if muscle.group in ("trunk", "pelvis-hip", "leg-foot") and muscle.id != "rectus-abdominis":
            for entrapment in muscle.entrapments:
                assert entrapment.nerve_id, f"{muscle.id}: {entrapment.nerve}"


@pytest.mark.parametrize("root", ["femoral", "sciatic"])
def test_branches_of_one_tree_do_not_share_skin(root):
    nerves = shipped_nerves()
    lineage = [root, *nerves.descendants(root)]
    owns = {nid: right(nid).own for nid in lineage}
    for a, b in itertools.combinations(lineage, 2):
        for view in set(owns[a]) & set(owns[b]):
            overlap = shapely.intersection(owns[a][view], owns[b][view]).area
            assert overlap < 0.01 * min(owns[a][view].area, owns[b][view].area), (a, b, view)


def test_lateral_femoral_cutaneous_is_the_outer_thigh_above_the_knee():
    lfcn = right("lateral-femoral-cutaneous")
    for view in (A, P, L):
        assert covers(lfcn.territory, view, "lateral-thigh"), view
    assert covers(lfcn.territory, L, "greater-trochanter")  # its posterior branch
    for lm in ("medial-thigh", "front-of-thigh", "patella", "lateral-knee", "medial-knee"):
        assert not covers(lfcn.territory, A, lm), lm
    knee_top = region(A, "knee-anterior").bounds[1]
    assert lfcn.territory[A].bounds[3] < knee_top  # it stops above the knee
    assert share(lfcn.territory, A, "thigh-lateral") > 0.6
    assert share(lfcn.territory, A, "thigh-medial") < 0.02
    # meralgia paresthetica is the ligament site, with sartorius; the left side mirrors it
    assert site("lateral-femoral-cutaneous", "inguinal-ligament").site.landmark == "asis"
    left = shipped_nerves().by_key()["lateral-femoral-cutaneous:left"]
    assert covers(left.territory, A, "lateral-thigh", "left") and not covers(left.territory, A, "lateral-thigh")


def test_femoral_and_obturator_share_the_thigh_without_the_outer_side():
    femoral, obturator = right("femoral"), right("obturator")
    for lm in ("front-of-thigh", "patella", "medial-knee", "medial-malleolus"):
        assert covers(femoral.territory, A, lm), lm
    assert not covers(femoral.territory, A, "lateral-thigh")
    assert not covers(femoral.territory, A, "top-of-foot")
    assert covers(obturator.territory, A, "medial-thigh") and covers(obturator.territory, P, "medial-thigh")
    assert not covers(obturator.territory, A, "front-of-thigh")
    assert not covers(obturator.territory, A, "medial-knee")


def test_saphenous_sites_and_its_infrapatellar_branch():
    saphenous = right("saphenous")
    assert covers(saphenous.territory, A, "medial-malleolus") and covers(saphenous.territory, P, "medial-malleolus")
    assert covers(saphenous.territory, A, "medial-knee")  # through the infrapatellar branch
    for lm in ("big-toe", "top-of-foot", "lateral-leg", "lateral-malleolus"):
        assert not covers(saphenous.territory, A, lm), lm
    hunter = site("saphenous", "adductor-canal").territory
    knee = site("saphenous", "medial-knee").territory
    assert covers(hunter, A, "medial-knee") and not covers(knee, A, "medial-knee")
    assert covers(knee, A, "medial-malleolus")


def test_posterior_femoral_cutaneous_is_the_back_of_the_thigh_not_the_sciatics():
    pfcn, sciatic = right("posterior-femoral-cutaneous"), right("sciatic")
    for lm in ("back-of-thigh", "back-of-knee", "ischial-tuberosity"):
        assert covers(pfcn.territory, P, lm), lm
    assert not covers(pfcn.territory, P, "calf") and not covers(pfcn.territory, P, "lateral-thigh")
    assert not covers(sciatic.territory, P, "back-of-thigh")  # the sciatic has no skin in the thigh
    for view, lm in ((L, "lateral-malleolus"), (A, "top-of-foot"), (PL, "arch"), (PL, "heel"), (A, "big-toe")):
        assert covers(sciatic.territory, view, lm), lm
    assert not covers(sciatic.territory, A, "medial-malleolus")  # the inner ankle is the saphenous nerve's
    assert {s.site.id for s in sciatic.sites} == {"piriformis", "deep-gluteal-space"}


def test_deep_fibular_is_the_first_web_space_only():
    deep = right("deep-fibular").territory
    assert list(deep) == [A]
    assert covers(deep, A, "big-toe")
    for lm in ("lesser-toes", "top-of-foot", "medial-malleolus", "lateral-malleolus"):
        assert not covers(deep, A, lm), lm
    chart = load_chart().view(A)
    big, lesser, top = (chart.landmark(n, "right") for n in ("big-toe", "lesser-toes", "top-of-foot"))
    minx, miny, maxx, _ = deep[A].bounds
    assert lesser.x < minx and maxx < big.x + 15  # between the big toe's middle and the third toe
    assert miny > top.y  # below the middle of the top of the foot
    assert deep[A].area < 0.05 * right("superficial-fibular").territory[A].area


def test_superficial_fibular_is_the_top_of_the_foot_less_the_first_web():
    spn = right("superficial-fibular").territory
    assert covers(spn, A, "top-of-foot") and covers(spn, A, "lesser-toes") and covers(spn, L, "top-of-foot")
    web = right("deep-fibular").territory[A].representative_point()
    assert not spn[A].contains(web)
    assert not covers(spn, A, "lateral-leg") and not covers(spn, A, "patella")


def test_sural_is_the_outer_ankle_heel_and_border_of_the_foot():
    sural = right("sural").territory
    assert covers(sural, L, "lateral-malleolus") and covers(sural, P, "lateral-malleolus")
    assert covers(sural, L, "heel") and covers(sural, L, "achilles")
    assert share(sural, L, "foot-lateral") > 0.8
    assert not covers(sural, P, "medial-malleolus") and not covers(sural, L, "top-of-foot")
    assert A not in sural and PL not in sural


def test_common_fibular_at_the_neck_spares_the_upper_outer_calf():
    neck = site("common-fibular", "fibular-neck")
    assert neck.site.muscle == "peroneus-longus" and neck.site.landmark == "fibular-head"
    assert covers(neck.territory, A, "top-of-foot") and covers(neck.territory, A, "big-toe")
    assert covers(right("common-fibular").territory, L, "lateral-leg")
    assert not covers(neck.territory, L, "lateral-leg") and not covers(neck.territory, P, "fibular-head")
    assert not covers(neck.territory, PL, "arch")  # the sole is the tibial nerve's


def test_tibial_sites_spare_what_leaves_above_them():
    tibial = right("tibial")
    arch = site("tibial", "soleal-arch")
    tunnel = site("tibial", "tarsal-tunnel")
    distal = site("tibial", "abductor-hallucis")
    for s in (arch, tunnel, distal):
        assert covers(s.territory, PL, "arch") and covers(s.territory, PL, "big-toe")
        assert covers(s.territory, PL, "fifth-metatarsal-head")
        assert not covers(s.territory, L, "lateral-malleolus")  # the sural nerve leaves behind the knee
    assert covers(tibial.territory, L, "lateral-malleolus")
    assert covers(tunnel.territory, PL, "heel") and not covers(distal.territory, PL, "heel")
    assert tunnel.site.landmark == "medial-malleolus"


def test_plantar_nerves_split_the_sole_along_the_fourth_toe():
    medial, lateral = right("medial-plantar").territory, right("lateral-plantar").territory
    for lm in ("big-toe", "arch", "ball-of-foot"):
        assert covers(medial, PL, lm) and not covers(lateral, PL, lm), lm
    assert covers(lateral, PL, "fifth-metatarsal-head") and not covers(medial, PL, "fifth-metatarsal-head")
    assert not covers(medial, PL, "heel") and not covers(lateral, PL, "heel")
    assert covers(right("medial-calcaneal").territory, PL, "heel")
    assert share(medial, PL, "toe-big") > 0.9 and share(lateral, PL, "toe-fifth") > 0.9
    assert 0.3 < share(lateral, PL, "toe-fourth") < 0.7  # the outer half of the fourth toe


def test_mortons_neuroma_is_the_facing_sides_of_the_third_and_fourth_toes():
    web = right("third-plantar-digital").territory
    assert list(web) == [PL]
    for toe in ("toe-third", "toe-fourth"):
        assert 0.35 < share(web, PL, toe) < 0.7, toe
    for toe in ("toe-big", "toe-second", "toe-fifth"):
        assert share(web, PL, toe) < 0.02, toe
    assert not covers(web, PL, "ball-of-foot") and not covers(web, PL, "fifth-metatarsal-head")
    neuroma = site("third-plantar-digital", "intermetatarsal-ligament")
    assert neuroma.points[PL].y < load_chart().view(PL).landmark("arch", "right").y


def test_groin_nerves():
    assert covers(right("ilioinguinal").territory, A, "pubic-symphysis")
    assert not covers(right("ilioinguinal").territory, A, "groin")
    assert covers(right("genitofemoral").territory, A, "groin")
    assert not covers(right("genitofemoral").territory, A, "front-of-thigh")
    hypogastric = right("iliohypogastric").territory
    assert covers(hypogastric, A, "lower-abdomen")
    assert covers(hypogastric, P, "iliac-crest") and covers(hypogastric, L, "iliac-crest")
    assert not covers(hypogastric, A, "umbilicus") and not covers(hypogastric, P, "buttock")


def test_pudendal_is_drawn_across_the_midline_and_not_mirrored():
    nerves = shipped_nerves().by_key()
    rightside, leftside = nerves["pudendal:right"], nerves["pudendal:left"]
    for view, lm in ((A, "pubic-symphysis"), (P, "coccyx")):
        geom = rightside.territory[view]
        assert covers(rightside.territory, view, lm)
        minx, _, maxx, _ = geom.bounds
        assert minx < 0 < maxx
        assert shapely.equals(geom, leftside.territory[view])
    assert "chart" in rightside.nerve.territory_text  # the text says where the chart can show it
    assert any("cauda equina" in r.condition.lower() for r in rightside.nerve.rule_out)
