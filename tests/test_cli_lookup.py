"""``nmt-bodymap lookup``: landmarks, output, sessions and every error."""

from __future__ import annotations

import json

import pytest
from cli_helpers import run

from nmt_bodymap.session import load


def test_json_shape(capsys):
    code, out, _ = run(capsys, "lookup", "--at", "neck-shoulder-angle:right", "--json")
    assert code == 0
    doc = json.loads(out)
    assert set(doc) >= {"candidates", "combination", "unexplained_fraction", "entrapments"}
    first = doc["candidates"][0]
    assert set(first) == {
        "muscle",
        "muscle_name",
        "trigger_point",
        "trigger_point_label",
        "side",
        "score",
        "rule_out",
        "explanation",
    }
    assert first["side"] in ("left", "right", "midline")
    scores = [c["score"] for c in doc["candidates"]]
    assert scores == sorted(scores, reverse=True)


def test_json_lists_each_complaint(capsys):
    code, out, _ = run(
        capsys,
        "lookup",
        "--at",
        "temple:right/throbbing/8",
        "--at",
        "thumb-base:right/tingling/4",
        "--json",
        "--top",
        "4",
    )
    assert code == 0
    doc = json.loads(out)
    assert len(doc["complaints"]) == 2
    keys = set(doc["candidates"][0])
    for complaint in doc["complaints"]:
        assert set(complaint) >= {"id", "label", "marks", "candidates", "entrapments"}
        assert complaint["marks"] and 0 < len(complaint["candidates"]) <= 4
        assert all(set(c) == keys for c in complaint["candidates"])
    tingling = next(c for c in doc["complaints"] if c["label"].endswith("tingling"))
    assert tingling["entrapments"]


CARPAL_TUNNEL = ["thumb-tip:right@anterior/tingling", "index-finger:right@anterior/tingling"]


def _ats(*landmarks: str) -> list[str]:
    return [arg for at in landmarks for arg in ("--at", at)]


def test_json_lists_the_nerves_and_the_differential(capsys):
    code, out, _ = run(
        capsys, "lookup", *_ats(*CARPAL_TUNNEL, "middle-finger:right@anterior/tingling"), "--radius", "12", "--json"
    )
    assert code == 0
    doc = json.loads(out)
    nerves = doc["nerves"]
    assert {"peripheral", "dermatome"} == {n["kind"] for n in nerves}
    for n in nerves:
        assert {"id", "name", "kind", "score", "explains_fraction", "entrapment_sites"} <= set(n)
        assert 0 < n["explains_fraction"] <= 1 and n["side"] == "right"
    assert [n["score"] for n in nerves] == sorted((n["score"] for n in nerves), reverse=True)
    median = nerves[0]
    assert (median["id"], median["name"], median["kind"]) == ("median", "Median nerve", "peripheral")
    sites = median["entrapment_sites"]
    assert {"id", "name", "muscle", "landmark", "test"} <= set(sites[0])
    assert sites[0]["id"] == "carpal-tunnel" and sites[0]["muscle"] is None and "Phalen" in sites[0]["test"]
    pronator = next(s for s in sites if s["id"] == "pronator-teres")
    assert pronator["muscle"] == "pronator-teres" and pronator["landmark"] == "antecubital"
    assert all(n["entrapment_sites"] == [] for n in nerves if n["kind"] == "dermatome")
    assert doc["differential"].startswith("Fits the territory of the median nerve (carpal tunnel")
    assert "better than the C6 dermatome" in doc["differential"]
    (complaint,) = doc["complaints"]
    assert complaint["nerves"] == nerves and complaint["differential"] == doc["differential"]
    assert doc["entrapments"][0]["site_id"] == "carpal-tunnel" and doc["entrapments"][0]["nerve_id"] == "median"


def test_json_nerves_per_complaint(capsys):
    code, out, _ = run(capsys, "lookup", *_ats("temple:right/throbbing/8", *CARPAL_TUNNEL), "--json")
    assert code == 0
    doc = json.loads(out)
    headache = next(c for c in doc["complaints"] if "temple" in c["label"].lower())
    hand = next(c for c in doc["complaints"] if c["label"].endswith("tingling"))
    assert headache["nerves"] == [] and headache["differential"] == ""
    assert hand["nerves"][0]["id"] == "median" and hand["differential"]
    assert doc["nerves"][0]["id"] == "median"  # the whole drawing's tingling


def test_text_lists_nerves_dermatomes_sites_and_the_sentence(capsys):
    code, out, _ = run(capsys, "lookup", *_ats(*CARPAL_TUNNEL, "middle-finger:right@anterior/tingling"))
    assert code == 0
    assert "Peripheral nerves:" in out and "Dermatomes (nerve roots):" in out
    assert "Median nerve (R; C6, C7, C8, T1)" in out and "C6 dermatome (R; C6)" in out
    assert "caught at: carpal tunnel" in out
    assert "key point: The back of the thumb" in out
    assert "Fits the territory of the median nerve" in " ".join(out.split())
    assert "test: Phalen's test" in out


def test_text_without_paresthesia_lists_no_nerves(capsys):
    code, out, _ = run(capsys, "lookup", "--at", "temple:right")
    assert code == 0
    assert "Peripheral nerves:" not in out and "Fits the" not in out


def test_a_single_complaint_is_listed_once_in_json(capsys):
    code, out, _ = run(capsys, "lookup", "--at", "low-back:right", "--at", "buttock:right", "--json")
    assert code == 0
    doc = json.loads(out)
    assert len(doc["complaints"]) == 1
    assert doc["complaints"][0]["candidates"][0] == doc["candidates"][0]


def test_text_lists_each_complaints_candidates(capsys):
    code, out, _ = run(capsys, "lookup", "--at", "temple:right/throbbing/8", "--at", "lateral-knee:left", "--top", "3")
    assert code == 0
    assert "2 complaints" in out
    assert "Right temple" in out and "Left knee" in out


def test_one_complaint_is_not_listed_separately(capsys):
    code, out, _ = run(capsys, "lookup", "--at", "temple:right", "--at", "back-of-neck:right")
    assert code == 0 and "complaints" not in out


@pytest.mark.parametrize(
    "text, quality, intensity",
    [
        ("temple:left", None, None),
        ("temple:left@anterior", None, None),
        ("temple:left/sharp", "sharp", None),
        ("temple:left/sharp/7", "sharp", 7),
        ("temple:left@anterior/tingling/0", "tingling", 0),
        ("sternum/burning/10", "burning", 10),
        ("temple:left//3", None, 3),
    ],
)
def test_at_sets_quality_and_intensity(text, quality, intensity):
    from nmt_bodymap.cli.lookup_cmd import parse_at

    at = parse_at(text)
    assert (at.quality, at.intensity) == (quality, intensity)


def test_each_disc_keeps_its_own_quality_and_intensity(capsys, tmp_path):
    path = tmp_path / "mixed.nmt"
    code, _, _ = run(
        capsys,
        "lookup",
        "--at",
        "temple:right@anterior/throbbing/9",
        "--at",
        "c7@posterior",
        "--quality",
        "sharp",
        "--intensity",
        "3",
        "--save-session",
        str(path),
    )
    assert code == 0
    marks = {m.view: (m.quality, m.intensity) for m in load(path).marks}
    assert marks == {"anterior": ("throbbing", 9), "posterior": ("sharp", 3)}


def test_table_says_it_is_decision_support(capsys):
    code, out, _ = run(capsys, "lookup", "--at", "temple:right", "--top", "3")
    assert code == 0
    assert "not a diagnosis" in out and "Pain no candidate explains" in out


def test_top_limits_the_list(capsys):
    code, out, _ = run(capsys, "lookup", "--at", "c7", "--json", "--top", "1")
    assert code == 0 and len(json.loads(out)["candidates"]) <= 1


def test_save_session_writes_the_drawing(capsys, tmp_path):
    path = tmp_path / "drawn.nmt"
    code, _, _ = run(
        capsys,
        "lookup",
        "--at",
        "lateral-epicondyle:right",
        "--at",
        "c7@posterior",
        "--radius",
        "20",
        "--intensity",
        "7",
        "--quality",
        "burning",
        "--save-session",
        str(path),
    )
    assert code == 0
    s = load(path)
    views = sorted(m.view for m in s.marks)
    assert views == ["anterior", "posterior", "posterior", "right-lateral"]
    assert all(m.intensity == 7 and m.quality == "burning" for m in s.marks)


@pytest.mark.parametrize(
    "args, words",
    [
        (["--at", "temple"], "is sided"),
        (["--at", "sternum:left"], "takes no side"),
        (["--at", "temple:middle"], "side must be left or right"),
        (["--at", "elbowz:left"], "unknown landmark 'elbowz'"),
        (["--at", "temple:left@dorsal"], "unknown view 'dorsal'"),
        (["--at", "heel:right@anterior"], "not shown in the anterior view"),
        (["--at", "Temple Left"], "expected LANDMARK"),
        (["--at", "temple:left/itchy"], "unknown quality 'itchy'"),
        (["--at", "temple:left/sharp/11"], "intensity must be a whole number from 0 to 10"),
        (["--at", "temple:left/sharp/-1"], "intensity must be a whole number from 0 to 10"),
        (["--at", "temple:left/sharp/x"], "intensity must be a whole number from 0 to 10"),
        (["--at", "temple:left/sharp/5/9"], "expected LANDMARK"),
        (["--at", "c7", "--radius", "0"], "positive"),
        (["--at", "c7", "--radius", "1000"], "too large"),
        (["--at", "c7", "--intensity", "11"], "outside 0-10"),
        (["--at", "c7", "--intensity", "x"], "not a whole number"),
        (["--at", "c7", "--quality", "itchy"], "invalid choice"),
        (["--at", "c7", "--top", "0"], "at least 1"),
        (["--at", "c7", "--save-session", "/no/such/dir/x.nmt"], "does not exist"),
        (["--at", "c7", "--save-session", "{tmp}/x.txt"], "unknown format"),
        ([], "--at"),
    ],
)
def test_errors_are_one_line_with_status_2(capsys, tmp_path, args, words):
    code, out, err = run(capsys, "lookup", *[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert code == 2
    assert words in err
    assert len(err.strip().splitlines()) == 1
    assert out == ""
    assert list(tmp_path.iterdir()) == []
