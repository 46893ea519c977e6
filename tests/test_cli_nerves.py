"""``nmt-bodymap atlas nerves``, ``atlas show NERVE`` and ``atlas check`` of nerve files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import run
from PySide6.QtGui import QImage

from nmt_bodymap.nerves import shipped_nerves

FIXTURES = Path(__file__).parent / "fixtures"
SHIPPED = Path(__file__).resolve().parent.parent / "referral_maps" / "nerves"


def count_pixels(image: QImage, test) -> int:
    return sum(
        1 for x in range(0, image.width(), 3) for y in range(0, image.height(), 3) if test(image.pixelColor(x, y))
    )


def test_nerves_json_lists_every_nerve_with_its_levels_and_sites(capsys):
    code, out, _ = run(capsys, "atlas", "nerves", "--json")
    assert code == 0
    rows = {r["id"]: r for r in json.loads(out)}
    median = rows["median"]
    assert set(median) == {"id", "name", "kind", "group", "roots", "parent", "sites", "views"}
    assert median["kind"] == "peripheral" and median["roots"] == ["C6", "C7", "C8", "T1"]
    assert {"id": "carpal-tunnel", "name": "Carpal tunnel", "muscle": None, "landmark": "volar-wrist"} in median[
        "sites"
    ]
    assert rows["palmar-cutaneous-median"]["parent"] == "median"
    c6 = rows["c6"]
    assert set(c6) == {"id", "name", "kind", "group", "level", "views"}
    assert (c6["kind"], c6["level"], c6["group"]) == ("dermatome", "C6", "cervical")


def test_nerves_table(capsys):
    code, out, _ = run(capsys, "atlas", "nerves")
    assert code == 0
    assert "Median nerve" in out and "Carpal tunnel" in out and "Cervical dermatomes" in out
    assert "peripheral nerves with" in out.strip().splitlines()[-1]
    # each branch is listed right under its parent, indented one step further
    ids = [line.split()[0] for line in out.splitlines() if line.startswith("  ")]
    depth = {line.split()[0]: len(line) - len(line.lstrip()) for line in out.splitlines() if line.startswith("  ")}
    nerves = shipped_nerves()
    for nid, nerve in nerves.nerves.items():
        if nerve.kind == "peripheral" and nerve.parent:
            assert ids.index(nerve.parent) < ids.index(nid), nid
            between = ids[ids.index(nerve.parent) + 1 : ids.index(nid)]
            assert all(depth[b] > depth[nerve.parent] for b in between), nid
            assert depth[nid] == depth[nerve.parent] + 2, nid


def test_show_nerve_json_is_the_whole_record(capsys):
    code, out, _ = run(capsys, "atlas", "show", "median", "--json")
    assert code == 0
    record = json.loads(out)
    assert record["kind"] == "peripheral" and record["branches"] == ["palmar-cutaneous-median"]
    sites = {s["id"]: s for s in record["entrapment_sites"]}
    assert sites["carpal-tunnel"]["spares"] == ["palmar-cutaneous-median"]
    assert sites["pronator-teres"]["muscle"] == "pronator-teres"
    assert {"test", "felt", "structure", "landmark", "views"} <= set(sites["carpal-tunnel"])
    assert record["rule_out"] and record["sources"] and "anterior" in record["views"]


def test_show_nerve_text(capsys):
    code, out, _ = run(capsys, "atlas", "show", "median")
    assert code == 0
    for heading in ("Skin territory", "Entrapment sites", "Muscles it supplies", "Rule out first", "Sources"):
        assert heading in out
    assert "Phalen" in out and "Spares: palmar-cutaneous-median" in out
    code, out, _ = run(capsys, "atlas", "show", "c6")
    assert code == 0 and "Where to test it" in out and "level C6" in out


@pytest.mark.parametrize(("nerve_id", "hue"), [("median", "blue"), ("c6", "violet")])
def test_show_nerve_renders_a_sheet(capsys, tmp_path, nerve_id, hue):
    out_file = tmp_path / f"{nerve_id}.png"
    code, out, _ = run(capsys, "atlas", "show", nerve_id, "-o", str(out_file), "--dpi", "60")
    assert code == 0 and f"wrote {out_file}" in out
    image = QImage(str(out_file))
    assert image.width() == round(297 / 25.4 * 60)
    assert round(210 / 25.4 * 60) <= image.height() < 4 * round(210 / 25.4 * 60)
    if hue == "blue":
        washed = count_pixels(image, lambda c: c.blue() > 150 and c.red() < 150 and c.blue() - c.red() > 50)
        sites = count_pixels(image, lambda c: c.red() > 220 and c.green() > 180 and c.blue() < 120)
        assert sites > 3  # yellow entrapment site discs
    else:
        washed = count_pixels(image, lambda c: c.red() > 130 and c.blue() > 150 and c.green() < 140)
    assert washed > 50


def test_unknown_id_suggests_muscles_and_nerves(capsys):
    code, _, err = run(capsys, "atlas", "show", "ulna")
    assert code == 2 and "ulnar" in err and len(err.strip().splitlines()) == 1


def test_show_nerve_json_and_output_together_is_a_usage_error(capsys, tmp_path):
    code, _, err = run(capsys, "atlas", "show", "median", "--json", "-o", str(tmp_path / "x.png"))
    assert code == 2 and "either --json or -o" in err


def test_check_a_nerve_file_in_the_shipped_atlas(capsys):
    code, out, _ = run(capsys, "atlas", "check", str(SHIPPED / "peripheral" / "median.toml"))
    assert code == 0
    assert out.strip() == "ok: 1 peripheral nerves with 4 entrapment sites, 0 dermatomes"


def test_check_the_good_and_the_bad_nerve_fixtures(capsys):
    code, out, _ = run(capsys, "atlas", "check", str(FIXTURES / "nerves" / "good"))
    assert code == 0 and out.startswith("ok: 2 peripheral nerves with 1 entrapment sites, 1 dermatomes")
    code, out, _ = run(capsys, "atlas", "check", str(FIXTURES / "nerves" / "bad"))
    assert code == 1
    lines = out.strip().splitlines()
    assert len(lines) > 30 and "problem(s) in" in lines[-1]
    assert any("unknown root 'C9'" in line for line in lines)


def test_the_whole_shipped_atlas_checks_clean(capsys):
    code, out, _ = run(capsys, "atlas", "check")
    assert code == 0, out
    lines = out.strip().splitlines()
    assert lines[0].startswith("ok: ") and "muscles" in lines[0]
    assert (
        lines[1].startswith("ok: ") and "peripheral nerves" in lines[1] and "body surface outside the face" in lines[1]
    )
