"""Atomic, private writes: whole files after kill -9, no temporary copies left, 0600 whatever the umask."""

from __future__ import annotations

import contextlib
import fcntl
import os
import random
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from nmt_bodymap import atomic
from nmt_bodymap.atomic import remove_stale_temporaries, replace_with, write_private

pytestmark = pytest.mark.skipif(os.name != "posix", reason="flock, kill -9 and modes are POSIX")


@pytest.fixture(params=["unnamed", "named"])
def mode(request, monkeypatch):
    """Both ways of writing: O_TMPFILE (Linux) and a named temporary file (elsewhere)."""
    if request.param == "unnamed" and not atomic.use_unnamed_temporaries:
        pytest.skip("no O_TMPFILE here")
    monkeypatch.setattr(atomic, "use_unnamed_temporaries", request.param == "unnamed")
    return request.param


@pytest.mark.parametrize("umask", [0o000, 0o022, 0o077])
def test_files_are_owner_only_whatever_the_umask(tmp_path, mode, umask):
    old = os.umask(umask)
    try:
        write_private(tmp_path / "a.nmt", "text")
        replace_with(tmp_path / "b.png", lambda tmp: tmp.write_bytes(b"png"))
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.nmt").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "b.png").stat().st_mode) == 0o600
    assert (tmp_path / "a.nmt").read_text() == "text" and (tmp_path / "b.png").read_bytes() == b"png"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.nmt", "b.png"]


def test_a_failed_write_leaves_the_old_file_and_nothing_else(tmp_path, mode, monkeypatch):
    target = tmp_path / "keep.nmt"
    write_private(target, b"old")

    def full_disk(fd: int, data: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "write", full_disk)
    with pytest.raises(OSError, match="No space"):
        write_private(target, b"new")
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.nmt"]


def test_a_writer_that_fails_or_writes_nothing_changes_nothing(tmp_path):
    target = tmp_path / "out.png"
    target.write_bytes(b"old picture")

    def broken(tmp: Path) -> None:
        tmp.write_bytes(b"half")
        raise ValueError("encoder failed")

    with pytest.raises(ValueError):
        replace_with(target, broken)
    with pytest.raises(OSError, match="nothing was written"):
        replace_with(target, lambda tmp: None)
    assert target.read_bytes() == b"old picture"
    assert [p.name for p in tmp_path.iterdir()] == ["out.png"]


def test_the_writer_gets_a_name_with_the_targets_suffix(tmp_path):
    seen: list[Path] = []
    replace_with(tmp_path / "chart.pdf", lambda tmp: seen.append(tmp) or tmp.write_bytes(b"%PDF"))
    assert seen[0].suffix == ".pdf" and seen[0].parent == tmp_path and seen[0].name.startswith(".chart.pdf.")


def test_stale_temporaries_of_ours_are_removed_and_nothing_else(tmp_path):
    ours = [
        tmp_path / ".visit.nmt.0123456789abcdef.tmp.nmt",
        tmp_path / ".report.pdf.fedcba9876543210.tmp.pdf",
        tmp_path / ".visit.nmt.k2j4_x9a.tmp",  # left by nmt-bodymap 0.1's session saves
    ]
    others = [
        tmp_path / ".hidden.tmp",
        tmp_path / "visit.nmt.0123456789abcdef.tmp",
        tmp_path / ".notes.txt",
        tmp_path / ".x.nmt.0123456789ABCDEF.tmp",
    ]
    for p in ours + others:
        p.write_text("a copy of a health record")
    (tmp_path / ".dir.nmt.0123456789abcdef.tmp").mkdir()
    (tmp_path / ".link.nmt.0123456789abcdef.tmp").symlink_to(others[2])
    write_private(tmp_path / "next.nmt", "saved")
    assert not any(p.exists() for p in ours)
    assert all(p.exists() for p in others)
    assert (tmp_path / ".dir.nmt.0123456789abcdef.tmp").is_dir()
    assert (tmp_path / ".link.nmt.0123456789abcdef.tmp").is_symlink()


def test_a_temporary_file_a_live_writer_holds_is_left_alone(tmp_path):
    busy = tmp_path / ".visit.nmt.0123456789abcdef.tmp.nmt"
    fd = os.open(busy, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        assert remove_stale_temporaries(tmp_path) == []
        assert busy.exists()
    finally:
        os.close(fd)
    assert remove_stale_temporaries(tmp_path) == [busy]


KILLS = 10
CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from nmt_bodymap import atomic
    atomic.use_unnamed_temporaries = sys.argv[2] == "unnamed"
    target = Path(sys.argv[1])
    payloads = [bytes([65 + i]) * (1 << 18) for i in range(2)]
    atomic.write_private(target, payloads[0])
    print("ready", flush=True)
    i = 1
    while True:
        if i % 2:
            atomic.write_private(target, payloads[1])
        else:
            atomic.replace_with(target, lambda tmp: tmp.write_bytes(payloads[0]))
        i += 1
    """
)


def test_kill_9_mid_save_leaves_the_target_whole_and_no_temporary_after_the_next_save(tmp_path, mode):
    target = tmp_path / "visit.nmt"
    whole = {bytes([65 + i]) * (1 << 18) for i in range(2)}
    rng = random.Random(12)
    left_behind = 0
    for _ in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(target), mode], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        try:
            assert child.stdout is not None and child.stdout.readline() == b"ready\n", child.stderr
            with contextlib.suppress(subprocess.TimeoutExpired):  # let it save a while, a different time each round
                child.wait(timeout=rng.uniform(0.0, 0.08))
            child.send_signal(signal.SIGKILL)
        finally:
            child.wait()
        assert child.returncode == -signal.SIGKILL, child.stderr.read() if child.stderr else ""
        assert target.read_bytes() in whole
        left_behind += len(list(tmp_path.iterdir())) - 1
        write_private(target, b"the next save")
        assert [p.name for p in tmp_path.iterdir()] == ["visit.nmt"]
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    print(f"{mode}: {left_behind} temporary file(s) left by {KILLS} kills, all removed by the next save")
