"""The atlas validator: each kind of bad input is named, and never stops the load."""

from __future__ import annotations

from pathlib import Path

import pytest

from nmt_bodymap.atlas import load_atlas

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "atlas_good"
BAD = FIXTURES / "atlas_bad"

# fault folder -> (file the message names, element it names or None, words in the message)
EXPECTED = {
    "malformed-xml": ("example.svg", None, "malformed XML"),
    "bad-path-data": ("example.svg", "trp1-posterior-essential-1", "bad path data"),
    "self-intersecting": ("example.svg", "trp1-posterior-essential-1", "crosses itself"),
    "zone-outside": ("example.svg", "trp1-posterior-essential-1", "outside the body"),
    "trp-outside": ("example.svg", "trp1-posterior", "trigger point lies outside the body"),
    "unknown-view": ("example.svg", "posterior", "unknown view 'dorsal'"),
    "unknown-landmark": ("example.svg", "trp1-posterior-essential-1", "unknown landmark 'elbowz'"),
    "duplicate-id": ("example.svg", "trp1-posterior-essential-1", "duplicate id"),
    "anchor-not-met": ("example.svg", "trp1-posterior-essential-1", "does not contain landmark 'heel'"),
    "excluded-landmark": ("example.svg", "trp1-posterior-essential-1", "must not contain landmark 'side-of-neck'"),
    "wrong-side": ("example.svg", "trp1-posterior-essential-1", "must lie on the patient's right"),
    "moved-view-group": ("example.svg", "posterior", "translate(1320 60)"),
    "unknown-trigger-point": ("example.svg", "trp1-posterior-spillover-1", "unknown trigger point 'trp9'"),
    "no-essential-zone": ("example.svg", "trp1", "has no essential zone"),
    "near-too-far": ("example.svg", "trp1", "from 'heel'"),
    "missing-text": ("example.toml", None, "missing 'referral'"),
    "malformed-toml": ("example.toml", None, "malformed TOML"),
    "unknown-cause": ("example.toml", "[[perpetuating]] #1", "unknown cause 'bad-luck'"),
    "unknown-region": ("example.toml", "[[entrapment]] #1", "unknown chart region 'neck-sideways'"),
    "unknown-key": ("example.toml", None, "unknown key 'symptom'"),
    "missing-drawing": ("example.toml", None, "has no drawing example.svg"),
    "entity-bomb": ("example.svg", None, "entities are not allowed"),
    "use-bomb": ("example.svg", "<use>", "<use> (a clone) is not allowed"),
    "viewbox-zero": ("example.svg", None, "viewBox width and height must be above 0"),
    "viewbox-not-finite": ("example.svg", None, "viewBox numbers must be finite"),
    "trp-radius-zero": ("example.svg", "trp1-posterior", "'r' must be a number above 0, got '0'"),
    "trp-radius-negative": ("example.svg", "trp1-posterior", "'r' must be a number above 0, got '-5'"),
    "trp-not-a-circle": ("example.svg", "trp1-posterior", "must be a <circle>"),
    "nested-too-deep": ("example.svg", None, "nested more than 32 deep"),
    "toml-huge-integer": ("example.toml", None, "Exceeds the limit (4300 digits)"),
    "toml-not-utf8": ("example.toml", None, "not UTF-8 text"),
}


def test_the_good_fixture_is_valid():
    atlas = load_atlas([GOOD])
    assert atlas.problems == []
    assert list(atlas.muscles) == ["example"]
    assert {s.key for s in atlas.sided} == {"example/trp1:right", "example/trp1:left"}


def test_every_fault_has_a_fixture():
    assert sorted(p.name for p in BAD.iterdir()) == sorted([*EXPECTED, "duplicate-muscle-id"])


@pytest.mark.parametrize("fault", sorted(EXPECTED))
def test_fault_is_named_and_the_good_muscle_still_loads(fault):
    file_name, element, words = EXPECTED[fault]
    atlas = load_atlas([BAD / fault, GOOD])
    assert "example" in atlas.muscles  # the good copy from atlas_good
    assert atlas.muscles["example"].toml_path.parent == GOOD
    mine = [p for p in atlas.problems if Path(p.file).parent == BAD / fault]
    assert mine, atlas.problems
    hit = [p for p in mine if words in p.message]
    assert hit, [str(p) for p in mine]
    assert Path(hit[0].file).name == file_name
    if element is None:
        assert hit[0].element is None or "#" not in hit[0].element
    else:
        assert element in (hit[0].element or "")
    assert any(str(BAD / fault) in s for s in atlas.skipped)


def test_duplicate_muscle_ids_keep_the_first():
    atlas = load_atlas([BAD / "duplicate-muscle-id"])
    assert list(atlas.muscles) == ["example"]
    assert any("duplicate muscle id 'example'" in p.message for p in atlas.problems)


def test_problem_text_names_file_element_and_fault():
    atlas = load_atlas([BAD / "self-intersecting"])
    text = str(atlas.problems[0])
    assert text.startswith(str(BAD / "self-intersecting" / "example.svg"))
    assert "<path id='trp1-posterior-essential-1'>" in text and "crosses itself" in text


def test_prevalence_and_rule_out_are_read_and_checked(tmp_path):
    from helpers import EXAMPLE_TOML

    from nmt_bodymap.atlas.text import parse_muscle_toml

    good = (
        EXAMPLE_TOML.replace('prevalence = "common"', 'prevalence = "very-common"')
        + '\n[[rule_out]]\ncondition = "Angina"\nsigns = "Chest pain on exertion: refer"\n'
    )
    text, problems = parse_muscle_toml(good.encode(), "example", {"neck-side"})
    assert problems == []
    assert text is not None
    assert text.trigger_points[0].prevalence == "very-common"
    assert text.rule_out[0].condition == "Angina"

    bad = good.replace('prevalence = "very-common"', 'prevalence = "sometimes"')
    _, problems = parse_muscle_toml(bad.encode(), "example", {"neck-side"})
    assert any("unknown prevalence 'sometimes'" in m for _, m in problems)
    no_basis = good.replace('prevalence_basis = "The test suite, ch. 1: the usual class"', "")
    _, problems = parse_muscle_toml(no_basis.encode(), "example", {"neck-side"})
    assert any("missing 'prevalence_basis'" in m for _, m in problems)


def test_every_trigger_point_needs_a_prevalence_class():
    from helpers import EXAMPLE_TOML

    from nmt_bodymap.atlas.text import parse_muscle_toml

    bare = EXAMPLE_TOML.replace('prevalence = "common"\n', "")
    _, problems = parse_muscle_toml(bare.encode(), "example", {"neck-side"})
    assert any("missing 'prevalence'" in m for _, m in problems)
