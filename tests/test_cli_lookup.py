"""``nmt-bodymap lookup``: landmarks, output, sessions and every error."""

from __future__ import annotations

import json

import pytest

from nmt_bodymap.cli import main
from nmt_bodymap.session import load


def run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


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
        "explanation",
    }
    assert first["side"] in ("left", "right", "midline")
    scores = [c["score"] for c in doc["candidates"]]
    assert scores == sorted(scores, reverse=True)


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
