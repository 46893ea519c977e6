"""Loading the atlas: mirroring, zone sides, midline muscles, caching."""

from __future__ import annotations

from pathlib import Path

import pytest
import shapely
from shapely.testing import assert_geometries_equal

from nmt_bodymap import cache
from nmt_bodymap.atlas import load_atlas
from nmt_bodymap.atlas import loader as atlas_loader
from nmt_bodymap.atlas.authoring import Marker, Zone, muscle_svg
from nmt_bodymap.chart import load_chart, mirror_geometry

FIXTURES = Path(__file__).parent / "fixtures"
TOML = (FIXTURES / "atlas_good" / "example.toml").read_text()


def make_muscle(folder: Path, items, midline: bool = False, muscle_id: str = "example") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    toml = TOML.replace('id = "example"', f'id = "{muscle_id}"')
    if midline:
        toml = toml.replace("symptoms = [", "midline = true\nsymptoms = [", 1)
    (folder / f"{muscle_id}.toml").write_text(toml)
    (folder / f"{muscle_id}.svg").write_text(muscle_svg(muscle_id, items))
    return folder


NECK = [(30, 240), (60, 232), (74, 270), (88, 300), (70, 312), (40, 290)]


def test_left_side_is_the_mirror_image_of_the_right():
    atlas = load_atlas([FIXTURES / "atlas_good"])
    right, left = (atlas.by_key()[f"example/trp1:{s}"] for s in ("right", "left"))
    assert set(right.essential) == {"posterior", "right-lateral"}
    assert set(left.essential) == {"posterior", "left-lateral"}
    assert_geometries_equal(left.essential["posterior"], mirror_geometry(right.essential["posterior"]), tolerance=1e-6)
    assert_geometries_equal(
        left.essential["left-lateral"], mirror_geometry(right.essential["right-lateral"]), tolerance=1e-6
    )
    assert left.points["posterior"].x == -right.points["posterior"].x
    # in the posterior view the patient's right is at x > 0
    assert right.essential["posterior"].centroid.x > 0 > left.essential["posterior"].centroid.x


def test_zones_are_clipped_to_the_body():
    atlas = load_atlas([FIXTURES / "atlas_good"])
    right = atlas.by_key()["example/trp1:right"]
    sil = load_chart().view("posterior").silhouette
    assert shapely.difference(right.essential["posterior"], sil).area < 1e-6


def test_spillover_excludes_the_essential_zone(tmp_path):
    folder = make_muscle(
        tmp_path / "m",
        [
            Marker("trp1", "posterior", 90, 336),
            Zone("trp1", "posterior", "essential", NECK, contains=["side-of-neck"]),
            Zone(
                "trp1",
                "posterior",
                "spillover",
                [(20, 220), (100, 220), (110, 330), (20, 330)],
                contains=["side-of-neck"],
            ),
        ],
    )
    right = load_atlas([folder]).by_key()["example/trp1:right"]
    assert shapely.intersection(right.essential["posterior"], right.spillover["posterior"]).area < 1e-3


def test_both_sides_zone_appears_on_both_sides_for_each_trigger_point(tmp_path):
    folder = make_muscle(
        tmp_path / "m",
        [
            Marker("trp1", "posterior", 90, 336),
            Zone("trp1", "posterior", "essential", NECK, contains=["side-of-neck"]),
            Zone(
                "trp1",
                "posterior",
                "spillover",
                [(20, 600), (90, 600), (90, 660), (20, 660)],
                side="both",
                contains=["thoracolumbar"],
            ),
        ],
    )
    atlas = load_atlas([folder])
    assert atlas.problems == []
    for side in ("right", "left"):
        zone = atlas.by_key()[f"example/trp1:{side}"].spillover["posterior"]
        assert zone.geom_type == "MultiPolygon"
        assert_geometries_equal(shapely.normalize(zone), shapely.normalize(mirror_geometry(zone)), tolerance=1e-6)


def test_opposite_side_zone_lands_across_the_midline(tmp_path):
    folder = make_muscle(
        tmp_path / "m",
        [
            Marker("trp1", "posterior", 90, 336),
            Zone("trp1", "posterior", "essential", NECK, contains=["side-of-neck"]),
            Zone(
                "trp1",
                "posterior",
                "spillover",
                [(-100, 300), (-60, 300), (-60, 360), (-100, 360)],
                side="opposite",
                contains=["superior-angle-of-scapula"],
            ),
        ],
    )
    atlas = load_atlas([folder])
    assert atlas.problems == []
    right = atlas.by_key()["example/trp1:right"]
    left = atlas.by_key()["example/trp1:left"]
    assert right.spillover["posterior"].centroid.x < 0 < left.spillover["posterior"].centroid.x


def test_opposite_zone_drawn_on_the_same_side_is_refused(tmp_path):
    folder = make_muscle(
        tmp_path / "m",
        [
            Marker("trp1", "posterior", 90, 336),
            Zone("trp1", "posterior", "essential", NECK, side="opposite", contains=["side-of-neck"]),
        ],
    )
    problems = load_atlas([folder]).problems
    assert any('data-side="opposite"' in p.message for p in problems)


def test_midline_muscle_has_one_instance(tmp_path):
    folder = make_muscle(
        tmp_path / "m",
        [
            Marker("trp1", "posterior", 0, 500),
            Zone(
                "trp1", "posterior", "essential", [(-40, 470), (40, 470), (40, 540), (-40, 540)], contains=["mid-back"]
            ),
        ],
        midline=True,
    )
    toml = (folder / "example.toml").read_text().replace('near = "superior-angle-of-scapula"', 'near = "mid-back"')
    (folder / "example.toml").write_text(toml)
    atlas = load_atlas([folder])
    assert atlas.problems == []
    assert [s.key for s in atlas.sided] == ["example/trp1"]
    assert atlas.sided[0].side == "midline"


def test_compiled_geometry_is_cached_and_edits_invalidate_it(tmp_path, monkeypatch):
    monkeypatch.setenv("NMT_BODYMAP_CACHE_DIR", str(tmp_path / "cache"))
    folder = make_muscle(
        tmp_path / "m",
        [
            Marker("trp1", "posterior", 90, 336),
            Zone("trp1", "posterior", "essential", NECK, contains=["side-of-neck"]),
        ],
    )
    first = load_atlas([folder])
    assert first.problems == []
    entries = list((tmp_path / "cache" / "atlas").glob("*.json"))
    assert len(entries) == 1

    calls: list[str] = []
    real_compile = atlas_loader._compile

    def counting(toml, *args):
        calls.append(toml.name)
        return real_compile(toml, *args)

    monkeypatch.setattr(atlas_loader, "_compile", counting)
    second = load_atlas([folder])
    assert calls == []  # served from the cache
    assert_geometries_equal(second.sided[0].essential["posterior"], first.sided[0].essential["posterior"])
    svg = folder / "example.svg"
    svg.write_text(svg.read_text().replace('cx="90"', 'cx="92"'))
    assert load_atlas([folder]).problems == []
    assert calls == ["example.toml"]  # the edit invalidated the entry


def test_a_corrupt_cache_entry_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("NMT_BODYMAP_CACHE_DIR", str(tmp_path / "cache"))
    load_atlas([FIXTURES / "atlas_good"])
    for entry in (tmp_path / "cache" / "atlas").glob("*.json"):
        entry.write_text("{not json")
    atlas = load_atlas([FIXTURES / "atlas_good"])
    assert list(atlas.muscles) == ["example"]


def test_cache_can_be_switched_off(monkeypatch):
    monkeypatch.setenv("NMT_BODYMAP_CACHE_DIR", "")
    assert cache.cache_dir() is None
    assert list(load_atlas([FIXTURES / "atlas_good"]).muscles) == ["example"]


def test_lateral_zones_stay_on_their_layer(tmp_path):
    """In the lateral view the arm hangs over the thigh: a thigh zone must not cover the hand."""
    lateral = load_chart().view("right-lateral")
    hand = lateral.regions["hand-radial-right"].geometry
    # a box from the side of the thigh to the hand hanging in front of it
    x0 = lateral.landmark("lateral-thigh", "right").x - 20
    x1 = lateral.landmark("thumb-tip", "right").x + 15
    across = [(x0, 940), (x1, 940), (x1, 1060), (x0, 1060)]
    folder = make_muscle(
        tmp_path / "m",
        [
            Marker("trp1", "posterior", 90, 336),
            Zone("trp1", "posterior", "essential", NECK, contains=["side-of-neck"]),
            # one zone across thigh and hand, anchored on the thigh; one anchored on the hand
            Zone(
                "trp1",
                "right-lateral",
                "spillover",
                across,
                contains=["lateral-thigh"],
            ),
            Zone(
                "trp1",
                "right-lateral",
                "essential",
                across,
                contains=["thumb-tip"],
            ),
        ],
    )
    atlas = load_atlas([folder])
    assert atlas.problems == []
    right = atlas.by_key()["example/trp1:right"]
    assert (
        shapely.intersection(right.spillover["right-lateral"], hand).area < 10.0
    )  # the outline is simplified by 0.1 mm
    assert shapely.difference(right.essential["right-lateral"], lateral.overlay).area < 1.0
    assert shapely.intersection(right.essential["right-lateral"], hand).area > 100


def test_a_one_sided_trigger_point_has_no_mirror_image(tmp_path):
    folder = make_muscle(
        tmp_path / "m",
        [Marker("trp1", "posterior", 90, 336), Zone("trp1", "posterior", "essential", NECK, contains=["side-of-neck"])],
    )
    toml = folder / "example.toml"
    near = 'near = "superior-angle-of-scapula"'
    toml.write_text(toml.read_text().replace(near, near + '\nside = "right"'))
    atlas = load_atlas([folder])
    assert atlas.problems == []
    assert [s.key for s in atlas.sided] == ["example/trp1:right"]
    assert atlas.muscle("example").trigger_points[0].only_side == "right"

    toml.write_text(toml.read_text().replace('side = "right"', 'side = "front"'))
    assert any("'side' must be right or left" in p.message for p in load_atlas([folder]).problems)


@pytest.mark.parametrize(
    ("marker", "near", "ok"), [((90, 336), "superior-angle-of-scapula", True), ((150, 420), "armpit", False)]
)
def test_a_zone_may_be_anchored_on_its_own_trigger_point(tmp_path, marker, near, ok):
    """A zone that is no more than the point itself names ``trp`` instead of a landmark."""
    spot = [(84, 330), (96, 330), (96, 342), (84, 342)]
    folder = make_muscle(
        tmp_path / "m",
        [Marker("trp1", "posterior", *marker), Zone("trp1", "posterior", "essential", spot, contains=["trp"])],
    )
    toml = folder / "example.toml"
    toml.write_text(toml.read_text().replace("superior-angle-of-scapula", near))
    problems = load_atlas([folder]).problems
    if ok:
        assert problems == []
    else:
        assert [p.message for p in problems] == [
            "anchor not met: zone does not contain its trigger point in the posterior view"
        ]
