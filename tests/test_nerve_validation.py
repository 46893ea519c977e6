"""The nerve atlas validator: each kind of bad input is named, and never stops the load of the good files."""

from __future__ import annotations

from pathlib import Path

import pytest

from nmt_bodymap.nerves import load_nerves

FIXTURES = Path(__file__).parent / "fixtures" / "nerves"
GOOD = FIXTURES / "good"
BAD = FIXTURES / "bad"

# fault folder -> (file the message names, element it names or None, words in the message)
EXPECTED = {
    "malformed-toml": ("example-nerve.toml", None, "malformed TOML"),
    "unknown-key": ("example-nerve.toml", None, "unknown key 'suplies'"),
    "missing-territory-text": ("example-nerve.toml", None, "missing 'territory'"),
    "unknown-kind": ("example-nerve.toml", None, "unknown kind 'cranial'"),
    "unknown-group": ("example-nerve.toml", None, "unknown group 'arm'"),
    "unknown-root": ("example-nerve.toml", None, "unknown root 'C9'"),
    "roots-out-of-order": ("example-nerve.toml", None, "must run from head to tail"),
    "unknown-skin": ("example-nerve.toml", None, "unknown skin 'some'"),
    "unknown-site-landmark": ("example-nerve.toml", "entrapment site 'test-tunnel'", "unknown landmark 'wristband'"),
    "duplicate-site-id": ("example-nerve.toml", "entrapment site 'test-tunnel'", "duplicate entrapment site id"),
    "no-source": ("example-nerve.toml", None, "needs at least one [[source]]"),
    "wrong-folder": ("example-nerve.toml", None, "belongs in the 'peripheral' folder"),
    "unknown-level": ("c5.toml", None, "unknown level 'C9'"),
    "dermatome-id-not-level": ("c5.toml", None, "a dermatome's id is its level"),
    "malformed-xml": ("example-nerve.svg", None, "malformed XML"),
    "territory-outside": ("example-nerve.svg", "territory-posterior-1", "outside the body"),
    "wrong-side": ("example-nerve.svg", "territory-posterior-1", "must lie on the patient's right"),
    "anchor-not-met": ("example-nerve.svg", "territory-posterior-1", "does not contain landmark 'heel'"),
    "excluded-landmark": ("example-nerve.svg", "territory-posterior-1", "must not contain landmark 'dorsal-hand'"),
    "opposite-side-zone": ("example-nerve.svg", "territory-posterior-1", "unknown data-side 'opposite'"),
    "unknown-data-kind": ("example-nerve.svg", "territory-posterior-1", "unknown data-kind 'essential'"),
    "unknown-site": ("example-nerve.svg", "site-test-tunnel-posterior", "unknown entrapment site 'other-tunnel'"),
    "site-far-from-landmark": ("example-nerve.svg", "entrapment site 'test-tunnel'", "from 'dorsal-wrist'"),
    "no-territory": ("example-nerve.svg", None, "draws no territory"),
    "territory-with-skin-none": ("example-nerve.svg", None, 'says skin = "none" but draws a territory'),
    "missing-drawing": ("example-nerve.toml", None, "has no drawing example-nerve.svg"),
    "missing-parent": ("example-branch.toml", None, "parent 'example-nerve': no such nerve"),
    "parent-loop": ("example-nerve.toml", None, "parents form a loop: example-nerve -> example-branch"),
    "spares-not-a-branch": ("example-nerve.toml", "entrapment site 'test-tunnel'", "not a branch of 'example-nerve'"),
    "branches-without-branch": ("example-nerve.toml", None, 'skin = "branches" but no loaded nerve names it'),
    "entity-bomb": ("example-nerve.svg", None, "entities are not allowed"),
}


def test_the_good_fixture_is_valid():
    nerves = load_nerves([GOOD])
    assert nerves.problems == []
    assert set(nerves.nerves) == {"example-nerve", "example-branch", "c5"}
    assert {s.key for s in nerves.sided} == {f"{n}:{side}" for n in nerves.nerves for side in ("right", "left")}


def test_every_fault_has_a_fixture():
    assert sorted(p.name for p in BAD.iterdir()) == sorted([*EXPECTED, "duplicate-nerve-id"])


@pytest.mark.parametrize("fault", sorted(EXPECTED))
def test_fault_is_named_and_the_good_atlas_still_loads(fault):
    file_name, element, words = EXPECTED[fault]
    nerves = load_nerves([BAD / fault, GOOD / "dermatomes"])
    assert "c5" in nerves.nerves or fault in ("unknown-level", "dermatome-id-not-level")  # the good dermatome loads
    mine = [p for p in nerves.problems if str(BAD / fault) in p.file]
    hit = [p for p in mine if words in p.message]
    assert hit, [str(p) for p in mine]
    assert Path(hit[0].file).name == file_name
    if element is None:
        assert hit[0].element is None
    else:
        assert element in (hit[0].element or "")
    assert any(str(BAD / fault) in s for s in nerves.skipped)


def test_a_bad_parent_takes_its_branches_with_it_and_says_why():
    nerves = load_nerves([BAD / "malformed-xml"])
    assert nerves.nerves == {}
    assert any(p.message == "parent 'example-nerve': its file did not load" for p in nerves.problems)


def test_duplicate_nerve_ids_keep_the_first():
    nerves = load_nerves([BAD / "duplicate-nerve-id"])
    assert set(nerves.nerves) == {"example-nerve", "example-branch"}
    assert all("/a/" in str(n.toml_path) for n in nerves.nerves.values())
    assert any("duplicate nerve id 'example-nerve'" in p.message for p in nerves.problems)


def test_problem_text_names_file_element_and_fault():
    nerves = load_nerves([BAD / "anchor-not-met"])
    text = str(nerves.problems[0])
    assert text.startswith(str(BAD / "anchor-not-met" / "peripheral" / "example-nerve.svg"))
    assert "<path id='territory-posterior-1'>" in text and "'heel'" in text


def test_muscle_loader_leaves_nerve_files_alone(tmp_path):
    from nmt_bodymap.atlas import load_atlas

    atlas = load_atlas([FIXTURES])
    assert atlas.muscles == {} and atlas.problems == []
    shipped = load_atlas()
    assert not any("nerves" in Path(p.file).parts for p in shipped.problems)
    assert all("nerves" not in m.toml_path.parts for m in shipped.muscles.values())
