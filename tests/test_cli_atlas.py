"""``nmt-bodymap atlas list|show|check``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import run
from PySide6.QtGui import QImage

from nmt_bodymap.cli import main

FIXTURES = Path(__file__).parent / "fixtures"


def test_check_a_good_folder_exits_0_with_a_count(capsys):
    code, out, _ = run(capsys, "atlas", "check", str(FIXTURES / "atlas_good"))
    assert code == 0
    assert out.strip() == "ok: 1 muscles, 1 trigger points, 2 sided trigger points"


def test_check_prints_every_problem_and_exits_1(capsys):
    code, out, _ = run(capsys, "atlas", "check", str(FIXTURES / "atlas_bad"))
    assert code == 1
    lines = out.strip().splitlines()
    assert len(lines) >= 22
    assert "problem(s) in" in lines[-1]
    assert any("self-intersecting" in line and "crosses itself" in line for line in lines)


def test_check_single_file(capsys):
    code, out, _ = run(capsys, "atlas", "check", str(FIXTURES / "atlas_bad" / "unknown-cause" / "example.toml"))
    assert code == 1 and "bad-luck" in out


@pytest.mark.parametrize("path", ["/no/such/folder", "README.md"])
def test_check_bad_path_is_a_usage_error(capsys, path):
    code, _, err = run(capsys, "atlas", "check", path)
    assert code == 2 and len(err.strip().splitlines()) == 1


def test_list_json_shape(capsys):
    code, out, _ = run(capsys, "atlas", "list", "--json")
    assert code == 0
    rows = json.loads(out)
    trap = next(r for r in rows if r["id"] == "trapezius")
    assert set(trap) == {"id", "name", "latin", "group", "trigger_points", "user_atlas"}
    assert trap["user_atlas"] is None  # shipped
    assert trap["latin"] == "Musculus trapezius"
    assert {"id", "label", "views"} == set(trap["trigger_points"][0])
    assert "posterior" in trap["trigger_points"][0]["views"]


def test_list_table(capsys):
    code, out, _ = run(capsys, "atlas", "list")
    assert code == 0 and "Trapezius" in out and "muscles," in out


def test_show_prints_the_text(capsys):
    code, out, _ = run(capsys, "atlas", "show", "trapezius")
    assert code == 0
    for heading in ("Referral pattern", "Trigger points", "Symptoms", "Perpetuating factors", "Self-care", "Sources"):
        assert heading in out
    assert "Postural distortion" in out


def test_show_renders_a_sheet(capsys, tmp_path):
    out_file = tmp_path / "trap.png"
    code, _, _ = run(capsys, "atlas", "show", "trapezius", "-o", str(out_file), "--dpi", "60")
    assert code == 0
    image = QImage(str(out_file))
    assert image.width() == round(297 / 25.4 * 60)
    assert image.height() >= round(210 / 25.4 * 60)
    # something red (a zone) is drawn
    reds = sum(
        1
        for x in range(0, image.width(), 4)
        for y in range(0, image.height(), 4)
        if (c := image.pixelColor(x, y)).red() > 150 and c.green() < 90
    )
    assert reds > 20


def test_show_unknown_muscle_suggests(capsys):
    code, _, err = run(capsys, "atlas", "show", "trap")
    assert code == 2 and "did you mean: trapezius" in err


def test_show_json_prints_the_whole_record(capsys):
    assert main(["atlas", "show", "trapezius", "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["id"] == "trapezius"
    assert {"rule_out", "trigger_points", "self_care", "entrapments", "sources"} <= set(record)
    assert all({"id", "label", "prevalence", "views"} <= set(t) for t in record["trigger_points"])


def test_show_json_and_output_together_is_a_usage_error(capsys, tmp_path):
    assert main(["atlas", "show", "trapezius", "--json", "-o", str(tmp_path / "x.png")]) == 2
    assert "either --json or -o" in capsys.readouterr().err
