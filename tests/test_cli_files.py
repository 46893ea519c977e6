"""The command line and the user's files: sessions are never replaced unasked, OSErrors are one line.

Also: the app started without a display says so in one line (a real
subprocess with a cleared environment) instead of Qt's abort.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import run

from nmt_bodymap.session import load

FIXTURES = Path(__file__).parent / "fixtures" / "sessions"
CLIENT = FIXTURES / "v2-low-back.nmt"


def one_line_error(err: str) -> str:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("nmt-bodymap: error: "), err
    return lines[0]


@pytest.fixture
def client_session(tmp_path) -> Path:
    path = tmp_path / "visit.nmt"
    shutil.copyfile(CLIENT, path)
    return path


def test_save_session_never_replaces_a_session_unasked(capsys, client_session):
    before = client_session.read_bytes()
    code, out, err = run(capsys, "lookup", "--at", "temple:right", "--save-session", str(client_session))
    assert code == 2 and out == ""
    assert "already exists; add --force to replace it" in one_line_error(err)
    assert client_session.read_bytes() == before


def test_force_replaces_a_session_the_app_wrote(capsys, client_session):
    code, out, _ = run(capsys, "lookup", "--at", "temple:right", "--save-session", str(client_session), "--force")
    assert code == 0 and "saved the drawing" in out
    replaced = load(client_session)
    assert replaced.client_name == "" and len(replaced.marks) >= 1


@pytest.mark.parametrize(
    "content",
    [
        b"My notes about Jo, not a session",
        b'{"format": "something-else", "version": 1}',
        b'{"format": "nmt-bodymap-session", "version": 1, "notes": "cut off',  # damaged: not provably ours
        b"",
    ],
)
def test_force_never_replaces_a_file_that_is_not_a_session(capsys, tmp_path, content):
    path = tmp_path / "notes.nmt"
    path.write_bytes(content)
    code, _, err = run(capsys, "lookup", "--at", "temple:right", "--save-session", str(path), "--force")
    assert code == 2
    assert "will not replace" in one_line_error(err) and "not an nmt-bodymap session file" in err
    assert path.read_bytes() == content


def test_save_session_refuses_a_folder_or_a_link_to_something_else(capsys, tmp_path):
    (tmp_path / "folder.nmt").mkdir()
    code, _, err = run(capsys, "lookup", "--at", "c7", "--save-session", str(tmp_path / "folder.nmt"), "--force")
    assert code == 2 and "it is a folder" in one_line_error(err)
    (tmp_path / "zero.nmt").symlink_to("/dev/zero")
    code, _, err = run(capsys, "lookup", "--at", "c7", "--save-session", str(tmp_path / "zero.nmt"), "--force")
    assert code == 2 and "not an nmt-bodymap session file" in one_line_error(err)


@pytest.mark.parametrize(
    "command",
    [
        ["export", str(CLIENT), "-o", "{out}", "--dpi", "30"],
        ["chart", "render", "--view", "anterior", "-o", "{out}", "--dpi", "20"],
        ["atlas", "show", "trapezius", "-o", "{out}", "--dpi", "20"],
    ],
    ids=["export", "chart render", "atlas show"],
)
def test_no_output_is_written_over_a_session_file(capsys, tmp_path, command):
    out = tmp_path / "picture.png"  # a session saved under a picture's name
    shutil.copyfile(CLIENT, out)
    before = out.read_bytes()
    code, _, err = run(capsys, *[a.replace("{out}", str(out)) for a in command])
    assert code == 2 and "it is a session file" in one_line_error(err)
    assert out.read_bytes() == before


LONG = "x" * 300


@pytest.mark.parametrize(
    "command",
    [
        ["chart", "render", "--view", "anterior", "-o", "{tmp}/" + LONG + ".png"],
        ["lookup", "--at", "temple:right", "--save-session", "{tmp}/" + LONG + ".nmt"],
        ["export", str(CLIENT), "-o", "{tmp}/" + LONG + ".pdf"],
        ["export", "{tmp}/" + LONG + ".nmt", "-o", "{tmp}/out.pdf"],
        ["atlas", "show", "trapezius", "-o", "{tmp}/" + LONG + ".png"],
    ],
    ids=["chart render -o", "lookup --save-session", "export -o", "export SESSION", "atlas show -o"],
)
def test_a_300_character_file_name_is_one_line_and_status_2(capsys, tmp_path, command):
    code, out, err = run(capsys, *[a.replace("{tmp}", str(tmp_path)) for a in command])
    assert code == 2 and out == ""
    assert "File name too long" in one_line_error(err)
    assert list(tmp_path.iterdir()) == []


def test_an_unreadable_session_is_one_line(capsys, tmp_path):
    locked = tmp_path / "locked.nmt"
    shutil.copyfile(CLIENT, locked)
    locked.chmod(0)
    if os.access(locked, os.R_OK):
        pytest.skip("running as a user who can read anything (root)")
    code, _, err = run(capsys, "export", str(locked), "-o", str(tmp_path / "out.pdf"))
    assert code == 2 and "Permission denied" in one_line_error(err)


def _app_environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    env.update(extra)
    return env


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="X11 and Wayland systems only")
@pytest.mark.parametrize("args", [[], [str(CLIENT)]], ids=["no file", "with a file"])
def test_starting_the_app_without_a_display_says_what_to_do(tmp_path, args):
    done = subprocess.run(
        [sys.executable, "-m", "nmt_bodymap", *args],
        env=_app_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "no display found" in lines[0] and "xvfb-run" in lines[0] and "README" in lines[0]
