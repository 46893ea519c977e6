"""Both directions between the atlases: a muscle's [[entrapment]] points to a nerve's site, and back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nmt_bodymap.atlas import load_atlas
from nmt_bodymap.atlas.text import parse_muscle_toml
from nmt_bodymap.cli import main
from nmt_bodymap.nerves import check_atlases, load_nerves

FIXTURES = Path(__file__).parent / "fixtures"
POINTER = 'nerve = "Test nerve"\nnerve_id = "example-nerve"\nsite_id = "test-tunnel"\n'
SITE_MUSCLE = 'landmark = "dorsal-wrist"\nmuscle = "example"\n'


def make_atlases(root: Path, muscle_points: bool = True, site_names_muscle: bool = True) -> Path:
    """A muscle ``example`` and the good nerve fixture, optionally pointing at each other."""
    shutil.copytree(FIXTURES / "atlas_good", root / "muscles")
    shutil.copytree(FIXTURES / "nerves" / "good", root / "nerves")
    if muscle_points:
        _edit(root / "muscles" / "example.toml", 'nerve = "Test nerve"\n', POINTER)
    if site_names_muscle:
        _edit(root / "nerves" / "peripheral" / "example-nerve.toml", 'landmark = "dorsal-wrist"\n', SITE_MUSCLE)
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def problems_of(root: Path) -> list[str]:
    muscles, nerves = load_atlas([root / "muscles"]), load_nerves([root / "nerves"])
    assert muscles.problems == [] and nerves.problems == []
    return [str(p) for p in check_atlases(muscles, nerves)]


def test_a_muscle_and_a_site_pointing_at_each_other_pass(tmp_path):
    root = make_atlases(tmp_path)
    assert problems_of(root) == []
    muscle = load_atlas([root / "muscles"]).muscle("example")
    assert (muscle.entrapments[0].nerve_id, muscle.entrapments[0].site_id) == ("example-nerve", "test-tunnel")
    assert muscle.to_json()["entrapments"][0]["site_id"] == "test-tunnel"  # type: ignore[index]


def test_a_site_naming_a_muscle_needs_the_muscle_to_point_back(tmp_path):
    root = make_atlases(tmp_path, muscle_points=False)
    (problem,) = problems_of(root)
    assert "example-nerve.toml: entrapment site 'test-tunnel': muscle 'example' has no [[entrapment]]" in problem
    assert 'nerve_id = "example-nerve", site_id = "test-tunnel"' in problem


def test_a_muscle_pointing_at_a_site_needs_the_site_to_name_it(tmp_path):
    root = make_atlases(tmp_path, site_names_muscle=False)
    (problem,) = problems_of(root)
    assert "example.toml: [[entrapment]] #1: entrapment site 'test-tunnel' of nerve 'example-nerve'" in problem
    assert 'names no muscle; it must say muscle = "example"' in problem


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ('nerve_id = "example-nerve"', 'nerve_id = "no-such-nerve"', "unknown nerve 'no-such-nerve' in 'nerve_id'"),
        ('site_id = "test-tunnel"', 'site_id = "other-tunnel"', "nerve 'example-nerve' has no entrapment site"),
    ],
)
def test_a_muscle_pointing_nowhere_is_named(tmp_path, old, new, words):
    root = make_atlases(tmp_path)
    _edit(root / "muscles" / "example.toml", old, new)
    found = problems_of(root)
    assert any(words in p and "example.toml: [[entrapment]] #1" in p for p in found), found


def test_unknown_muscles_and_shared_ids_are_named(tmp_path):
    root = make_atlases(tmp_path)
    _edit(root / "nerves" / "peripheral" / "example-nerve.toml", 'muscle = "example"', 'muscle = "no-such-muscle"')
    _edit(
        root / "nerves" / "peripheral" / "example-nerve.toml",
        'supplies = ["A test muscle"]',
        'supplies = ["A test muscle"]\natlas_muscles = ["example", "missing-muscle"]',
    )
    found = problems_of(root)
    assert any("unknown muscle 'no-such-muscle' in 'muscle'" in p for p in found)
    assert any("unknown muscle 'missing-muscle' in 'atlas_muscles'" in p for p in found)
    assert not any("'example' in 'atlas_muscles'" in p for p in found)
    # a nerve may not take a muscle's id (atlas show serves both)
    branch = root / "nerves" / "peripheral" / "example-branch"
    (branch.parent / "example.toml").write_text(
        branch.with_suffix(".toml").read_text().replace("example-branch", "example")
    )
    (branch.parent / "example.svg").write_text(branch.with_suffix(".svg").read_text())
    assert any("example.toml: id 'example' is also a muscle's id" in p for p in problems_of(root))


def test_nerve_id_and_site_id_go_together():
    text = (FIXTURES / "atlas_good" / "example.toml").read_text()
    half = text.replace('nerve = "Test nerve"\n', 'nerve = "Test nerve"\nnerve_id = "example-nerve"\n')
    _, problems = parse_muscle_toml(half.encode(), "example", {"neck-side"})
    assert any("give 'nerve_id' and 'site_id' together" in m for _, m in problems)
    bad = text.replace('nerve = "Test nerve"\n', 'nerve = "Test nerve"\nnerve_id = "Median"\nsite_id = "x"\n')
    _, problems = parse_muscle_toml(bad.encode(), "example", {"neck-side"})
    assert any("'nerve_id' must be lower-case words" in m for _, m in problems)


def test_atlas_check_reports_both_directions(tmp_path, capsys):
    root = make_atlases(tmp_path, muscle_points=False)
    assert main(["atlas", "check", str(root)]) == 1
    out = capsys.readouterr().out
    assert "has no [[entrapment]] pointing back" in out
    assert out.strip().splitlines()[-1].startswith("1 problem(s) in 1 file(s); 1 muscle(s) valid, 2 nerve(s) valid")
    make_atlases(tmp_path / "fixed")
    assert main(["atlas", "check", str(tmp_path / "fixed")]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == "ok: 1 muscles, 1 trigger points, 2 sided trigger points"
    assert lines[1].startswith("ok: 2 peripheral nerves with 1 entrapment sites, 1 dermatomes")


def test_the_shipped_atlases_agree():
    from nmt_bodymap.atlas import shipped_atlas
    from nmt_bodymap.nerves import shipped_nerves

    assert [str(p) for p in check_atlases(shipped_atlas(), shipped_nerves())] == []
