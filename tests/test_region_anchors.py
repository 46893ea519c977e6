"""Anchoring a zone on a chart region (``region:flank``) where no landmark lies in it: a band of skin between landmarks."""

from __future__ import annotations

from pathlib import Path

import pytest
import shapely
from shapely.geometry import box

from nmt_bodymap.chart import load_chart
from nmt_bodymap.nerves import load_nerves
from nmt_bodymap.nerves.authoring import Territory, nerve_svg

GOOD = Path(__file__).parent / "fixtures" / "nerves" / "good"
#: A band across the right flank between the umbilicus and the iliac crest, where no landmark lies.
FLANK_BAND = box(-160, 640, -60, 700)


def load_t11(tmp_path: Path, *zones: Territory):
    folder = tmp_path / "nerves" / "dermatomes"
    folder.mkdir(parents=True)
    (folder / "t11.toml").write_text(
        (GOOD / "dermatomes" / "c5.toml").read_text().replace("c5", "t11").replace('"C5"', '"T11"')
    )
    (folder / "t11.svg").write_text(nerve_svg("t11", list(zones)))
    return load_nerves([tmp_path])


def test_the_band_holds_no_landmark():
    anterior = load_chart().view("anterior")
    assert not any(FLANK_BAND.buffer(1).contains(lm.point) for lm in anterior.landmarks.values())


def test_a_zone_covering_its_region_loads(tmp_path):
    nerves = load_t11(tmp_path, Territory("anterior", geometry=FLANK_BAND, contains=["region:flank"]))
    assert nerves.problems == []
    assert nerves.by_key()["t11:right"].territory["anterior"].area > 4000


@pytest.mark.parametrize(
    ("contains", "excludes", "message"),
    [
        (
            ["region:thigh-anterior"],
            [],
            "anchor not met: zone does not cover region 'thigh-anterior' in the anterior view",
        ),
        (["region:flank"], ["region:flank"], "anchor not met: zone must not cover region 'flank' in the anterior view"),
        (["region:armpit"], [], "no region 'armpit' on the right in the anterior view (anchor 'region:armpit')"),
        # a region the zone only brushes is not covered (here 1 mm x 60 mm of it, under 100 mm²)
        (["region:umbilical"], [], "anchor not met: zone does not cover region 'umbilical' in the anterior view"),
    ],
)
def test_region_anchors_are_checked(tmp_path, contains, excludes, message):
    band = box(-160, 640, -61, 700)  # reaches 1 mm into the umbilical region (its border is at x = -62)
    nerves = load_t11(tmp_path, Territory("anterior", geometry=band, contains=contains, excludes=excludes))
    assert [p.message for p in nerves.problems] == [message]


def test_a_region_anchor_keeps_a_lateral_zone_on_its_layer(tmp_path):
    """In the lateral view the arm hangs over the flank: a zone anchored on a trunk region loses the arm's part."""
    lateral = load_chart().view("right-lateral")
    across = box(-120, 640, 120, 700)  # from the back across the arm to the front
    nerves = load_t11(tmp_path, Territory("right-lateral", geometry=across, contains=["region:flank"]))
    assert nerves.problems == []
    drawn = nerves.by_key()["t11:right"].territory["right-lateral"]
    assert shapely.intersection(drawn, lateral.overlay).area < 1.0
    assert drawn.area > 5000
    on_arm = load_t11(tmp_path / "arm", Territory("right-lateral", geometry=across, contains=["region:forearm-radial"]))
    assert on_arm.problems == []
    assert shapely.difference(on_arm.by_key()["t11:right"].territory["right-lateral"], lateral.overlay).area < 1.0
