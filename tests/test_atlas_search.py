"""The atlas search: every word must match, best matches first, body parts by where the pain is sent."""

from __future__ import annotations

import pytest

from nmt_bodymap.atlas import shipped_atlas
from nmt_bodymap.atlas.search import BODY_PARTS, AtlasSearch, words
from nmt_bodymap.chart import load_chart
from tests.helpers import Marker, Zone, make_muscle


@pytest.fixture(scope="module")
def searcher() -> AtlasSearch:
    return AtlasSearch(shipped_atlas(), load_chart())


def ids(searcher: AtlasSearch, query: str) -> list[str]:
    return [h.muscle for h in searcher.search(query)]


def test_a_name_comes_before_muscles_that_only_mention_it(searcher):
    found = ids(searcher, "trapezius")
    assert found[0] == "trapezius"
    assert len(found) > 3  # other muscles' texts name the trapezius too, after it


def test_heel_pain_lists_foot_and_calf_muscles_and_never_the_forearm(searcher):
    atlas = searcher.atlas
    found = ids(searcher, "heel pain")
    assert {"soleus", "quadratus-plantae", "abductor-hallucis"} <= set(found[:6])
    groups = {atlas.muscle(m).group for m in found}
    assert "arm-hand" not in groups, [m for m in found if atlas.muscle(m).group == "arm-hand"]
    # "heel" does not find "wheel" (steering wheels are in many forearm texts)
    assert "flexor-carpi-radialis" not in found


def test_sciatica_finds_the_gluteal_muscles_piriformis_and_quadratus_lumborum(searcher):
    found = ids(searcher, "sciatica")
    assert found[:2] == ["gluteus-minimus", "piriformis"]  # named "sciatica" in their synonyms
    for muscle in ("gluteus-medius", "quadratus-lumborum"):  # their zones run from the buttock down the leg
        assert muscle in found
    assert "supinator" not in found and "temporalis" not in found


def test_a_name_match_outranks_a_symptom_outranks_a_pain_zone(searcher):
    hits = {h.muscle: h for h in searcher.search("temple")}
    order = list(hits)
    assert order[0] == "temporalis"  # the name (Latin: musculus temporalis; synonyms)
    assert "trapezius" in order[:4]  # TrP1 sends pain to the temple
    assert hits["temporalis"].score > hits["trapezius"].score > hits["masseter"].score
    assert any("pain zone" in m for m in hits["trapezius"].matched)


def test_every_word_must_match(searcher):
    both = set(ids(searcher, "thumb"))
    assert set(ids(searcher, "thumb supinator")) <= both
    assert ids(searcher, "thumb supinator")[0] == "supinator"
    assert ids(searcher, "zzzz") == []
    assert ids(searcher, "") == []


def test_generic_words_are_ignored_but_kept_alone(searcher):
    assert ids(searcher, "pain in the heel") == ids(searcher, "heel pain")
    assert len(ids(searcher, "pain")) > 50


def test_multiword_body_parts_and_terms_are_phrases(searcher):
    low_back = ids(searcher, "low back pain")
    assert "quadratus-lumborum" in low_back[:6]
    assert ids(searcher, "lower back") == ids(searcher, "low back")
    # "tennis elbow" is a phrase: "tennis ball" in a self-care text with "elbow" elsewhere is no match
    found = ids(searcher, "tennis elbow")
    assert found[0] == "supinator" and "piriformis" not in found and "teres-minor" not in found


def test_words_split_and_rewrite():
    assert words("Golfer's elbow, low-back") == ["golfers", "elbow", "low", "back"]
    assert "heel" not in words("the heel of the hand")
    assert all(" " not in k or k.split()[0] in {"low", "upper", "mid", "shoulder"} for k in BODY_PARTS)


def test_region_matching_uses_the_zones_drawn(tmp_path):
    """A muscle whose only zone lies on the heel is found by "heel", though its text never says so."""
    from nmt_bodymap.atlas import load_atlas

    chart = load_chart()
    heel = chart.view("posterior").landmark("heel", "right")
    cx, cy = heel.x, heel.y
    folder = make_muscle(
        tmp_path / "atlas",
        [
            Marker("trp1", "posterior", cx, cy - 30),
            Zone(
                "trp1",
                "posterior",
                "essential",
                [(cx - 9, cy - 9), (cx + 9, cy - 9), (cx + 9, cy + 9), (cx - 9, cy + 9)],
                contains=["heel"],
            ),
        ],
        near="heel",
    )
    atlas = load_atlas([folder], chart)
    mid = next(iter(atlas.muscles))
    searcher = AtlasSearch(atlas, chart)
    assert [h.muscle for h in searcher.search("heel")] == [mid]
    assert searcher.search("knee") == []
    # without the chart, only the text counts
    assert AtlasSearch(atlas, None).search("heel") == []
