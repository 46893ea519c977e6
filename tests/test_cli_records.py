"""The client-record commands: clients, visits, progress, backup, restore; every error is one line, status 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import run

from nmt_bodymap import session as sessions

FIXTURES = Path(__file__).parent / "fixtures"
HEADACHE = FIXTURES / "sessions" / "v1-headache.nmt"


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "practice.sqlite3")


def one_line_error(status: int, err: str, *fragments: str) -> None:
    assert status == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("nmt-bodymap"), err
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


@pytest.fixture
def practice(db: str, capsys: pytest.CaptureFixture[str]) -> str:
    """Alex with two visits (the headache, then a smaller drawing), Sam with none."""
    assert run(capsys, "clients", "add", "--code", "C-017", "--name", "Alex Example", "--db", db)[0] == 0
    assert run(capsys, "clients", "add", "--code", "C-018", "--name", "Sam Sample", "--db", db)[0] == 0
    smaller = sessions.load(HEADACHE)
    smaller.marks = smaller.marks[:1]
    later = Path(db).with_name("later.nmt")
    sessions.save(smaller, later)
    assert run(capsys, "visits", "import", str(HEADACHE), "--client", "C-017", "--db", db)[0] == 0
    assert (
        run(capsys, "visits", "import", str(later), "--client", "Alex Example", "--date", "2026-12-04", "--db", db)[0]
        == 0
    )
    return db


def test_clients_add_and_list(practice: str, capsys: pytest.CaptureFixture[str]):
    status, out, _ = run(capsys, "clients", "list", "--db", practice)
    assert status == 0
    assert "C-017" in out and "Alex Example" in out and "2 visit(s)" in out and "last 2026-12-04" in out
    status, out, _ = run(capsys, "clients", "list", "--json", "--db", practice)
    listed = json.loads(out)["clients"]
    assert [(c["code"], c["visit_count"], c["last_visit"]) for c in listed] == [
        ("C-017", 2, "2026-12-04"),
        ("C-018", 0, None),
    ]
    status, out, _ = run(capsys, "clients", "list", "--search", "sam", "--json", "--db", practice)
    assert [c["code"] for c in json.loads(out)["clients"]] == ["C-018"]


def test_clients_add_errors(practice: str, capsys: pytest.CaptureFixture[str]):
    one_line_error(*run(capsys, "clients", "add", "--code", "c-017", "--db", practice)[::2], "already used")
    one_line_error(*run(capsys, "clients", "add", "--name", "No Code", "--db", practice)[::2], "--code")
    one_line_error(
        *run(capsys, "clients", "add", "--code", "X", "--birth-date", "17/05/1980", "--db", practice)[::2],
        "not a date",
    )


def test_the_environment_names_the_database(practice: str, capsys: pytest.CaptureFixture[str], monkeypatch):
    monkeypatch.setenv("NMT_BODYMAP_DB", practice)
    status, out, _ = run(capsys, "clients", "list", "--json")
    assert status == 0 and len(json.loads(out)["clients"]) == 2


def test_reading_a_database_that_does_not_exist(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    missing = str(tmp_path / "typo.sqlite3")
    one_line_error(*run(capsys, "clients", "list", "--db", missing)[::2], "no practice database there")
    assert not Path(missing).exists()


def test_visits_list(practice: str, capsys: pytest.CaptureFixture[str]):
    status, out, _ = run(capsys, "visits", "list", "C-017", "--json", "--db", practice)
    doc = json.loads(out)
    assert status == 0 and doc["client"]["code"] == "C-017"
    assert [v["date"] for v in doc["visits"]] == ["2026-11-20", "2026-12-04"]
    assert {"id", "therapist", "closed", "extent_percent", "jaccard_previous", "version"} <= set(doc["visits"][0])
    status, out, _ = run(capsys, "visits", "list", "alex example", "--db", practice)
    assert "2026-11-20" in out and "2 visit(s)" in out
    one_line_error(
        *run(capsys, "visits", "list", "C-404", "--db", practice)[::2], "no client with the code or name 'C-404'"
    )


def test_visits_import_is_all_or_nothing(practice: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    broken = tmp_path / "broken.nmt"
    broken.write_text(HEADACHE.read_text()[:300])
    one_line_error(
        *run(capsys, "visits", "import", str(HEADACHE), str(broken), "--client", "C-018", "--db", practice)[::2],
        "broken.nmt",
        "damaged or truncated",
    )
    one_line_error(
        *run(capsys, "visits", "import", str(HEADACHE), "--client", "Nobody", "--db", practice)[::2], "no client"
    )
    one_line_error(
        *run(capsys, "visits", "import", str(tmp_path / "missing.nmt"), "--client", "C-018", "--db", practice)[::2],
        "missing.nmt",
    )
    one_line_error(
        *run(capsys, "visits", "import", str(HEADACHE), "--date", "2026-13-01", "--db", practice)[::2], "not a date"
    )
    status, out, _ = run(capsys, "visits", "list", "C-018", "--json", "--db", practice)
    assert json.loads(out)["visits"] == []
    status, out, _ = run(capsys, "visits", "import", str(HEADACHE), "--db", practice)  # matched by the file's code
    assert status == 0 and "imported 1 visit(s)" in out


def test_progress(practice: str, capsys: pytest.CaptureFixture[str]):
    status, out, _ = run(capsys, "progress", "C-017", "--json", "--db", practice)
    doc = json.loads(out)
    assert status == 0 and doc["client"]["name"] == "Alex Example"
    first, second = doc["visits"]
    assert list(first) == [
        "date",
        "extent_percent",
        "weighted_area_mm2",
        "max_intensity",
        "mean_intensity",
        "pain_before",
        "pain_after",
        "regions",
        "jaccard_previous",
    ]
    assert first["date"] == "2026-11-20" and first["jaccard_previous"] is None
    assert 0 < second["extent_percent"] < first["extent_percent"]
    assert 0 < second["jaccard_previous"] < 1  # the second drawing is part of the first
    assert "temple-right" in first["regions"]
    status, out, _ = run(capsys, "progress", "C-017", "--db", practice)
    assert status == 0 and "2026-12-04" in out


def test_progress_plot_files(practice: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    pdf, png = tmp_path / "progress.pdf", tmp_path / "progress.png"
    assert run(capsys, "progress", "C-017", "-o", str(pdf), "--db", practice)[0] == 0
    assert run(capsys, "progress", "C-017", "-o", str(png), "--anonymize", "--db", practice)[0] == 0
    assert pdf.read_bytes().startswith(b"%PDF") and png.read_bytes().startswith(b"\x89PNG")
    one_line_error(*run(capsys, "progress", "C-017", "-o", str(tmp_path / "p.svg"), "--db", practice)[::2], ".svg")


def test_clients_export(practice: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    out_dir = tmp_path / "alex-export"
    one_line_error(*run(capsys, "clients", "export", "C-017", "-o", str(out_dir), "--db", practice)[::2], "--yes")
    assert not out_dir.exists()
    status, out, _ = run(capsys, "clients", "export", "C-017", "-o", str(out_dir), "--yes", "--db", practice)
    assert status == 0 and "exported client C-017" in out
    record = json.loads((out_dir / "record.json").read_text())
    assert record["client"]["code"] == "C-017" and len(record["visits"]) == 2
    assert len(list(out_dir.glob("visit-*.nmt"))) == 2
    one_line_error(
        *run(capsys, "clients", "export", "C-017", "-o", str(out_dir), "--yes", "--db", practice)[::2], "not an empty"
    )


def test_clients_erase(practice: str, capsys: pytest.CaptureFixture[str]):
    one_line_error(*run(capsys, "clients", "erase", "C-017", "--db", practice)[::2], "--yes")
    status, out, _ = run(capsys, "clients", "erase", "Alex Example", "--yes", "--db", practice)
    assert status == 0 and "erased client C-017 and 2 visit(s)" in out
    status, out, _ = run(capsys, "clients", "list", "--json", "--db", practice)
    assert [c["code"] for c in json.loads(out)["clients"]] == ["C-018"]
    one_line_error(*run(capsys, "clients", "erase", "C-017", "--yes", "--db", practice)[::2], "no client")


def test_backup_and_restore(practice: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch):
    plain, sealed = tmp_path / "plain.sqlite3", tmp_path / "sealed.backup"
    assert run(capsys, "backup", "-o", str(plain), "--db", practice)[0] == 0
    monkeypatch.setenv("NMT_BODYMAP_PASSPHRASE", "correct horse")
    status, out, _ = run(capsys, "backup", "-o", str(sealed), "--encrypt", "--db", practice)
    assert status == 0 and "(encrypted)" in out
    assert run(capsys, "clients", "erase", "C-017", "--yes", "--db", practice)[0] == 0
    one_line_error(*run(capsys, "restore", str(sealed), "--db", practice)[::2], "--yes")
    monkeypatch.setenv("NMT_BODYMAP_PASSPHRASE", "wrong horse")
    one_line_error(*run(capsys, "restore", str(sealed), "--yes", "--db", practice)[::2], "wrong passphrase")
    monkeypatch.setenv("NMT_BODYMAP_PASSPHRASE", "correct horse")
    status, out, _ = run(capsys, "restore", str(sealed), "--yes", "--db", practice)
    assert status == 0 and "the previous database is kept as" in out
    status, out, _ = run(capsys, "clients", "list", "--json", "--db", practice)
    assert [c["code"] for c in json.loads(out)["clients"]] == ["C-017", "C-018"]
    monkeypatch.delenv("NMT_BODYMAP_PASSPHRASE")
    assert run(capsys, "restore", str(plain), "--yes", "--db", practice)[0] == 0  # no passphrase asked
    one_line_error(*run(capsys, "backup", "-o", str(plain), "--db", practice)[::2], "already exists")
    one_line_error(*run(capsys, "restore", str(tmp_path / "nope"), "--yes", "--db", practice)[::2], "no such backup")


def test_an_encrypted_backup_needs_a_passphrase_source(practice: str, tmp_path: Path):
    # no $NMT_BODYMAP_PASSPHRASE and no terminal: a clear error, not a hang
    env = {k: v for k, v in __import__("os").environ.items() if k != "NMT_BODYMAP_PASSPHRASE"}
    result = subprocess.run(
        [sys.executable, "-m", "nmt_bodymap", "backup", "-o", str(tmp_path / "x"), "--encrypt", "--db", practice],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env=env,
        timeout=120,
    )
    one_line_error(result.returncode, result.stderr, "NMT_BODYMAP_PASSPHRASE")
    assert not (tmp_path / "x").exists()


def test_a_damaged_database_is_one_line_naming_the_latest_backup(practice: str, capsys: pytest.CaptureFixture[str]):
    assert run(capsys, "clients", "add", "--code", "C-3", "--db", practice)[0] == 0  # makes today's backup
    Path(practice).write_bytes(b"\0garbage" * 2048)
    for suffix in ("-wal", "-shm"):
        Path(practice + suffix).unlink(missing_ok=True)
    result = subprocess.run(
        [sys.executable, "-m", "nmt_bodymap", "clients", "list", "--db", practice],
        capture_output=True,
        text=True,
        timeout=120,
    )
    one_line_error(result.returncode, result.stderr, "damaged", "latest backup:", "practice-")
    assert "Traceback" not in result.stderr


def test_command_groups_without_a_subcommand_show_help(capsys: pytest.CaptureFixture[str]):
    for group in ("clients", "visits"):
        status, _out, err = run(capsys, group)
        assert status == 2 and "SUBCOMMAND" in err


def test_a_newer_database_is_refused_in_one_line(practice: str, capsys: pytest.CaptureFixture[str]):
    import sqlite3

    with sqlite3.connect(practice) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099_future'")
    conn.close()
    before = Path(practice).read_bytes()
    one_line_error(*run(capsys, "clients", "add", "--code", "C-5", "--db", practice)[::2], "newer nmt-bodymap")
    assert Path(practice).read_bytes() == before
