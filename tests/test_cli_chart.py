"""``nmt-bodymap chart`` and the top-level command."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from cli_helpers import run
from PySide6.QtGui import QImage

from nmt_bodymap import __version__
from nmt_bodymap.chart import LANDMARKS
from nmt_bodymap.cli import main


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_landmarks_json(capsys):
    code, out, _ = run(capsys, "chart", "landmarks", "--json")
    assert code == 0
    rows = json.loads(out)
    assert {r["id"] for r in rows} == set(LANDMARKS)
    assert all(set(r) == {"id", "side", "view", "x", "y"} for r in rows)
    temple = [r for r in rows if r["id"] == "temple" and r["view"] == "anterior" and r["side"] == "right"]
    assert temple and temple[0]["x"] < 0


def test_landmarks_table(capsys):
    code, out, _ = run(capsys, "chart", "landmarks")
    assert code == 0 and "sternal-notch" in out and "landmark positions" in out


@pytest.mark.parametrize("dpi, height", [(72, 709), (150, 1476)])
def test_render_size_follows_dpi(capsys, tmp_path, dpi, height):
    out = tmp_path / "v.png"
    code, stdout, _ = run(capsys, "chart", "render", "--view", "posterior", "-o", str(out), "--dpi", str(dpi))
    assert code == 0 and "wrote" in stdout
    image = QImage(str(out))
    assert image.height() == height
    assert round(image.dotsPerMeterY() * 0.0254) == dpi


def test_render_with_regions_and_landmarks_differs(capsys, tmp_path):
    plain, rich = tmp_path / "a.png", tmp_path / "b.png"
    run(capsys, "chart", "render", "--view", "plantar", "-o", str(plain), "--dpi", "40")
    run(capsys, "chart", "render", "--view", "plantar", "-o", str(rich), "--dpi", "40", "--regions", "--landmarks")
    assert plain.read_bytes() != rich.read_bytes()


@pytest.mark.parametrize(
    "args, message",
    [
        (["chart", "render", "--view", "dorsal", "-o", "{tmp}/x.png"], "unknown view 'dorsal'"),
        (["chart", "render", "--view", "anterior", "-o", "{tmp}/missing/x.png"], "does not exist"),
        (["chart", "render", "--view", "anterior", "-o", "{tmp}/x.gif"], "unknown format"),
        (["chart", "render", "--view", "anterior", "-o", "{tmp}"], "unknown format"),
        (["chart", "render", "--view", "anterior", "-o", "{tmp}/x.png", "--dpi", "-3"], "positive"),
        (["chart", "render", "--view", "anterior", "-o", "{tmp}/x.png", "--dpi", "5000"], "too high"),
        (["chart", "render", "-o", "{tmp}/x.png"], "--view"),
        (["chart", "nonsense"], "invalid choice"),
        (["--bogus"], "unrecognized"),
    ],
)
def test_bad_arguments_get_one_line_and_status_2(capsys, tmp_path, args, message):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    try:
        code = main(args)
    except SystemExit as exc:
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert not list(tmp_path.glob("*.png"))


def test_unwritable_folder_is_refused(capsys, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir(mode=0o500)
    try:
        code, _, err = run(capsys, "chart", "render", "--view", "anterior", "-o", str(folder / "x.png"))
    finally:
        folder.chmod(0o700)
    import os

    if os.geteuid() == 0:
        pytest.skip("root can write anywhere")
    assert code == 2 and "not writable" in err


def test_failed_render_leaves_an_existing_file_untouched(capsys, tmp_path, monkeypatch):
    out = tmp_path / "keep.png"
    out.write_bytes(b"old picture")
    from nmt_bodymap.render import chart_picture

    def explode(*_a, **_k):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(chart_picture, "render_view", explode)
    with pytest.raises(RuntimeError):
        main(["chart", "render", "--view", "anterior", "-o", str(out)])
    assert out.read_bytes() == b"old picture"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.png"]


def test_a_real_process_prints_no_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "nmt_bodymap", "chart", "render", "--view", "sideways", "-o", str(tmp_path / "x.png")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        "nmt-bodymap: error: unknown view 'sideways' (views: anterior, posterior, right-lateral, left-lateral, plantar)"
    )
