"""Loading the nerve atlas: sides and mirroring, the tree's territories, sites, caching, coverage."""

from __future__ import annotations

from pathlib import Path

import shapely
from shapely.geometry import Point, box
from shapely.testing import assert_geometries_equal

from nmt_bodymap.chart import load_chart, mirror_geometry
from nmt_bodymap.nerves import dermatome_coverage, load_nerves
from nmt_bodymap.nerves import loader as nerve_loader
from nmt_bodymap.nerves.authoring import Site, Territory, limb_strip, nerve_svg

GOOD = Path(__file__).parent / "fixtures" / "nerves" / "good"


def test_left_is_the_mirror_image_of_the_right():
    nerves = load_nerves([GOOD])
    right, left = (nerves.by_key()[f"example-nerve:{s}"] for s in ("right", "left"))
    assert set(right.own) == set(left.own) == {"posterior"}
    assert_geometries_equal(left.own["posterior"], mirror_geometry(right.own["posterior"]), tolerance=1e-6)
    # the patient's right is at x > 0 in the posterior view
    assert right.own["posterior"].centroid.x > 0 > left.own["posterior"].centroid.x
    (site_r,), (site_l,) = right.sites, left.sites
    assert site_l.points["posterior"].x == -site_r.points["posterior"].x == -288
    dermatome = nerves.by_key()["c5:left"]
    assert dermatome.own["anterior"].centroid.x > 0  # anterior view: the patient's left is at x > 0


def test_territories_are_clipped_to_the_body():
    nerves = load_nerves([GOOD])
    sil = load_chart().view("posterior").silhouette
    branch = nerves.by_key()["example-branch:right"].own["posterior"]
    assert box(326, 960, 350, 1005).area - branch.area > 5  # the box reaches off the thumb
    assert shapely.difference(branch, sil).area < 1e-6


def test_a_nerves_territory_holds_its_branches_and_a_site_spares_what_it_says():
    nerves = load_nerves([GOOD])
    parent = nerves.nerve("example-nerve")
    assert parent.children == ["example-branch"]
    assert nerves.descendants("example-nerve") == ["example-branch"]
    assert nerves.ancestors("example-branch") == ["example-nerve"]
    for side in ("right", "left"):
        whole = nerves.by_key()[f"example-nerve:{side}"]
        branch = nerves.by_key()[f"example-branch:{side}"]
        assert_geometries_equal(
            whole.territory["posterior"],
            shapely.union(whole.own["posterior"], branch.own["posterior"]),
            tolerance=1e-6,
            normalize=True,
        )
        (site,) = whole.sites
        assert site.territory["posterior"].intersection(branch.own["posterior"]).area < 1e-6  # spared
        assert abs(site.territory["posterior"].area - whole.own["posterior"].area) < 1e-3
        assert whole.area > whole.own["posterior"].area  # the branch's skin counts in the area


def test_a_nerve_record_shows_its_family_and_sites():
    record = load_nerves([GOOD]).nerve("example-nerve").to_json()
    assert record["branches"] == ["example-branch"] and record["parent"] is None
    assert record["roots"] == ["C7", "C8"]
    (site,) = record["entrapment_sites"]  # type: ignore[misc]
    assert site["spares"] == ["example-branch"] and site["views"] == ["posterior"]


def test_a_motor_nerve_loads_without_skin(tmp_path):
    folder = tmp_path / "nerves" / "peripheral"
    folder.mkdir(parents=True)
    text = (GOOD / "peripheral" / "example-nerve.toml").read_text()
    text = text.replace('supplies = ["A test muscle"]', 'supplies = ["A test muscle"]\nskin = "none"')
    text = text.replace('spares = ["example-branch"]\n', "")
    (folder / "example-nerve.toml").write_text(text)
    (folder / "example-nerve.svg").write_text(nerve_svg("example-nerve", [Site("test-tunnel", "posterior", 288, 892)]))
    nerves = load_nerves([tmp_path])
    assert nerves.problems == []
    sided = nerves.by_key()["example-nerve:right"]
    assert sided.territory == {} and sided.area == 0
    assert sided.sites[0].points["posterior"] == Point(288, 892)


def test_midline_territory_is_on_both_sides_unmirrored(tmp_path):
    folder = tmp_path / "nerves" / "dermatomes"
    folder.mkdir(parents=True)
    (folder / "s4-5.toml").write_text(
        (GOOD / "dermatomes" / "c5.toml").read_text().replace("c5", "s4-5").replace('"C5"', '"S4-5"')
    )
    zone = Territory("posterior", geometry=box(-12, 880, 12, 905), contains=["coccyx"], side="midline")
    (folder / "s4-5.svg").write_text(nerve_svg("s4-5", [zone]))
    nerves = load_nerves([tmp_path])
    assert nerves.problems == []
    right, left = nerves.by_key()["s4-5:right"], nerves.by_key()["s4-5:left"]
    assert_geometries_equal(right.own["posterior"], left.own["posterior"], tolerance=1e-6)


def test_compiled_drawings_are_cached(monkeypatch):
    load_nerves([GOOD])  # warm
    calls: list[str] = []
    real = nerve_loader.compile_nerve

    def counting(*args, **kwargs):
        calls.append(str(args[0]))
        return real(*args, **kwargs)

    monkeypatch.setattr(nerve_loader, "compile_nerve", counting)
    again = load_nerves([GOOD])
    assert calls == [] and len(again.nerves) == 3


def test_dermatome_coverage_is_a_share_of_the_body_outside_the_face():
    shares = dermatome_coverage(load_nerves([GOOD]), load_chart())
    # one 35 x 48 mm patch of C5 on each shoulder, in the anterior view only
    assert 0 < shares["anterior"] < 0.02
    assert shares["posterior"] == 0 and 0 < shares["all"] < shares["anterior"]


def test_limb_strip_cuts_along_the_limb():
    shape = box(0, 0, 20, 100)
    strip = limb_strip(shape, 10, 90, 0.5, 1.0)
    assert abs(strip.area - 10 * 80) < 1.0
    assert strip.bounds[0] >= 9.9 and strip.bounds[2] <= 20.01
    flipped = limb_strip(shape, 10, 90, 0.0, 0.25, flip=True)
    assert flipped.bounds[0] >= 14.9


def test_the_cached_text_is_the_text():
    from dataclasses import fields

    from nmt_bodymap.nerves.model import NerveFacts
    from nmt_bodymap.nerves.text import facts_from_json, facts_to_json, parse_nerve_toml

    toml = GOOD / "peripheral" / "example-nerve.toml"
    facts, problems = parse_nerve_toml(toml.read_bytes(), "example-nerve", "peripheral")
    assert problems == [] and facts is not None
    assert facts_from_json(facts_to_json(facts)) == facts
    loaded = load_nerves([GOOD]).nerve("example-nerve")
    assert all(getattr(loaded, f.name) == getattr(facts, f.name) for f in fields(NerveFacts))
    assert loaded.sites[0].spares == ("example-branch",)
