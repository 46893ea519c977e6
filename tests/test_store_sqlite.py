"""The embedded SQLite database: where it lives, its schema versions, faults, locks and privacy."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from nmt_bodymap import paths
from nmt_bodymap.store import (
    DatabaseDamaged,
    NotAStore,
    RecordInUse,
    SchemaTooNew,
    StoreError,
    open_store,
    resolve,
)
from nmt_bodymap.store.engine import known_revisions
from nmt_bodymap.store.schema import HEAD_REVISION, metadata

FIXTURES = Path(__file__).parent / "fixtures"
V1 = FIXTURES / "store" / "v1.sqlite3"
HEADACHE = FIXTURES / "sessions" / "v1-headache.nmt"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- which database ----------------------------------------------------------------


def test_the_database_is_chosen_by_argument_then_environment_then_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.delenv("NMT_BODYMAP_DB", raising=False)
    default = resolve(None)
    assert default.path == paths.data_dir() / "practice.sqlite3" and default.is_default
    monkeypatch.setenv("NMT_BODYMAP_DB", str(tmp_path / "env.sqlite3"))
    assert resolve(None).path == tmp_path / "env.sqlite3"
    assert resolve(str(tmp_path / "arg.sqlite3")).path == tmp_path / "arg.sqlite3"
    assert resolve(f"sqlite:///{tmp_path}/url.sqlite3").path == tmp_path / "url.sqlite3"


@pytest.mark.parametrize(
    "value, message",
    [
        ("postgresql://therapist:secret@clinic/practice?sslmode=always", "unknown sslmode 'always'"),
        ("postgresql+asyncpg://therapist:secret@clinic/practice", "only the psycopg driver"),
        ("mysql://x@y/z", "unknown database kind 'mysql'"),
        ("sqlite://", "must name a file"),
    ],
)
def test_unsupported_databases_are_refused_clearly(value: str, message: str):
    with pytest.raises(StoreError, match=message) as caught:
        resolve(value)
    assert "secret" not in str(caught.value)


def test_the_default_database_is_created_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("NMT_BODYMAP_DB", raising=False)
    old = os.umask(0)
    try:
        with open_store() as store:
            store.add_client("C-1")
            db = store.db.path
            assert db is not None
            assert mode(db) == 0o600 and mode(db.parent) == 0o700
            for extra in (Path(str(db) + "-wal"), Path(str(db) + "-shm")):
                assert mode(extra) == 0o600
    finally:
        os.umask(old)


def test_a_missing_folder_or_database_is_a_clear_error(tmp_path: Path):
    with pytest.raises(StoreError, match=r"folder .* does not exist"):
        open_store(tmp_path / "nowhere" / "p.sqlite3")
    with pytest.raises(StoreError, match="no practice database there"):
        open_store(tmp_path / "p.sqlite3", create=False)
    assert not (tmp_path / "p.sqlite3").exists()


# -- schema versions -----------------------------------------------------------------


def test_the_migrations_make_exactly_the_declared_schema(tmp_path: Path):
    with open_store(tmp_path / "p.sqlite3") as store, store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []


def test_the_head_revision_is_the_newest_migration():
    from alembic.script import ScriptDirectory

    from nmt_bodymap.store.engine import alembic_config

    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD_REVISION
    assert HEAD_REVISION in known_revisions()


def test_a_database_of_the_first_version_opens_and_migrates(tmp_path: Path):
    path = tmp_path / "v1.sqlite3"
    shutil.copyfile(V1, path)
    with open_store(path) as store:
        alex = store.find_client("C-017")
        assert alex.name == "Alex Example" and alex.birth_date.isoformat() == "1980-05-17"
        visits = store.visits(alex.id)
        assert [v.date.isoformat() for v in visits] == ["2026-11-20"]  # the second is in the bin
        (earlier,) = store.visit_history(visits[0].id)
        assert earlier.reason == "added the weekly pattern"
        assert visits[0].therapist == "Jo" and visits[0].closed
        assert "worse on Mondays" in store.visit(visits[0].id).session.notes
        assert {e.kind for e in store.bin()} == {"client", "visit"}
        assert [c.code for c in store.clients()] == ["C-017", "C-018"]
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == HEAD_REVISION


def test_a_newer_database_is_refused_and_left_untouched(tmp_path: Path):
    path = tmp_path / "newer.sqlite3"
    shutil.copyfile(V1, path)
    with contextlib.closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    before = digest(path)
    with pytest.raises(SchemaTooNew, match=r"made by a newer nmt-bodymap \(schema '0099_from_the_future'"):
        open_store(path)
    assert digest(path) == before


def test_a_foreign_database_is_refused_and_left_untouched(tmp_path: Path):
    path = tmp_path / "other.sqlite3"
    with contextlib.closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    before = digest(path)
    with pytest.raises(NotAStore, match="not made by nmt-bodymap"):
        open_store(path)
    assert digest(path) == before


# -- faults -------------------------------------------------------------------------


def test_a_file_that_is_not_a_database_is_reported_as_damaged(tmp_path: Path):
    path = tmp_path / "p.sqlite3"
    path.write_bytes(b"this is not a database, just some text " * 200)
    with pytest.raises(DatabaseDamaged, match=r"damaged .* restore the latest backup"):
        open_store(path)


def test_corrupt_pages_are_reported_as_damaged(tmp_path: Path):
    path = tmp_path / "p.sqlite3"
    shutil.copyfile(V1, path)
    data = bytearray(path.read_bytes())
    page = 4096
    for start in range(page, len(data), page):  # every page but the first: the tables' b-trees
        data[start : start + 100] = b"\xa5" * 100
    path.write_bytes(bytes(data))
    with pytest.raises(DatabaseDamaged), open_store(path) as store:
        store.clients()


HOLD_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE clients SET notes = 'held' WHERE id = 1")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""


def _hold_lock(path: Path, seconds: float) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(path), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "locked"
    return child


def test_a_second_writer_waits_for_the_first(tmp_path: Path):
    path = tmp_path / "p.sqlite3"
    with open_store(path) as store:
        store.add_client("C-1")
    child = _hold_lock(path, 0.8)
    try:
        with open_store(path, busy_timeout=10) as store:
            started = time.monotonic()
            store.add_client("C-2")  # waits until the other process commits
            assert time.monotonic() - started > 0.3
            assert store.find_client("C-1").notes == "held"
    finally:
        child.wait(timeout=30)


def test_a_writer_held_up_too_long_says_the_record_is_in_use(tmp_path: Path):
    path = tmp_path / "p.sqlite3"
    with open_store(path) as store:
        store.add_client("C-1")
    child = _hold_lock(path, 1.5)
    try:
        with open_store(path, busy_timeout=0.2) as store:
            assert [c.code for c in store.clients()] == ["C-1"]  # reading is not blocked (WAL)
            with pytest.raises(RecordInUse, match="the record is in use"):
                store.add_client("C-2")
    finally:
        child.wait(timeout=30)


WRITER = """
import sys
from nmt_bodymap import session
from nmt_bodymap.store import open_store
store = open_store(sys.argv[1])
client = store.add_client("C-1", "Looping Writer")
drawing = session.load(sys.argv[2])
n = 0
while True:
    n += 1
    store.add_visit(client.id, drawing, date=f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}")
    store.update_client(client.id, notes=f"visit {n}")
    print(n, flush=True)
"""


def test_a_writer_killed_mid_write_leaves_a_consistent_database(tmp_path: Path):
    path = tmp_path / "p.sqlite3"
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), str(HEADACHE)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None
        for line in child.stdout:
            if int(line) >= 6:
                break
        time.sleep(0.05)  # somewhere in the next write
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    with contextlib.closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        visits = conn.execute("SELECT count(*) FROM visits").fetchone()[0]
        counted = conn.execute("SELECT visit_count FROM clients").fetchone()[0]
    assert visits >= 6
    assert counted == visits  # each visit was written together with the client's count, or not at all
    with open_store(path) as store:
        assert len(store.visits(store.find_client("C-1").id)) == visits


# -- privacy ------------------------------------------------------------------------


def test_database_files_are_owner_only_under_umask_000(tmp_path: Path):
    old = os.umask(0)
    try:
        path = tmp_path / "p.sqlite3"
        with open_store(path) as store:
            client = store.add_client("C-1")
            store.import_files([HEADACHE], client_id=client.id)
            assert [mode(p) for p in sorted(tmp_path.glob("p.sqlite3*"))] == [0o600, 0o600, 0o600]
            exported = store.export_client(client.id, tmp_path / "export")
            assert mode(exported) == 0o700
            assert {mode(p) for p in exported.iterdir()} == {0o600}
            visit = store.visits(client.id)[0]
            assert mode(store.export_visit(visit.id, tmp_path / "one.nmt")) == 0o600
    finally:
        os.umask(old)


def test_the_store_is_not_imported_at_app_start():
    code = textwrap.dedent(
        """
        import sys
        from nmt_bodymap.cli.parser import build_parser
        build_parser()
        import nmt_bodymap.ui.main_window
        print(sorted(m for m in sys.modules if m.startswith(("sqlalchemy", "alembic", "nmt_bodymap.store"))))
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip() == "[]"
