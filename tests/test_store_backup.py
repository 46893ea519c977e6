"""Backups of the practice database: online copies, encryption, daily rotation, restore."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from nmt_bodymap.store import DatabaseDamaged, NotAStore, SchemaTooNew, StoreError, open_store, resolve
from nmt_bodymap.store import backup as backups
from nmt_bodymap.store.location import backups_dir
from nmt_bodymap.store.sealed import SealedDamaged, WrongPassphrase, is_sealed, seal, unseal

FIXTURES = Path(__file__).parent / "fixtures"
HEADACHE = FIXTURES / "sessions" / "v1-headache.nmt"
FAST = 10  # scrypt cost for the format tests that do not go through a backup file


@pytest.fixture
def practice(tmp_path: Path):
    """A practice with two clients, one of whom has a visit; the store stays open like the app's."""
    db = resolve(tmp_path / "practice.sqlite3")
    store = open_store(db)
    alex = store.add_client("C-017", "Alex Example")
    store.add_client("C-018", "Sam Sample")
    store.import_files([HEADACHE], client_id=alex.id)
    yield db, store
    store.close()


def codes(path: Path) -> list[str]:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return [r[0] for r in conn.execute("SELECT code FROM clients ORDER BY code")]


def test_a_plain_backup_is_a_complete_sqlite_file(practice, tmp_path: Path):
    db, _store = practice
    target = backups.make_backup(db, tmp_path / "copy.sqlite3")
    assert codes(target) == ["C-017", "C-018"]
    with contextlib.closing(sqlite3.connect(target)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one self-contained file
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with pytest.raises(StoreError, match="already exists"):
        backups.make_backup(db, target)


def test_a_backup_made_while_another_connection_writes_is_consistent(practice, tmp_path: Path):
    db, store = practice
    with store.transaction() as conn:  # an uncommitted change while the copy is taken
        from nmt_bodymap.store import clients

        clients.add(conn, "tester", "C-999", "Half Written")
        target = backups.make_backup(db, tmp_path / "during.sqlite3")
    assert codes(target) == ["C-017", "C-018"]
    assert sorted(c.code for c in store.clients()) == ["C-017", "C-018", "C-999"]


def test_an_encrypted_backup_restores_with_its_passphrase(practice, tmp_path: Path):
    db, store = practice
    target = backups.make_backup(db, tmp_path / "usb.nmtbackup", passphrase="correct horse")
    raw = target.read_bytes()
    assert is_sealed(target) and b"SQLite format 3" not in raw and b"C-017" not in raw
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    store.erase_client(store.find_client("C-018").id)
    store.add_client("C-020", "Added After")
    with pytest.raises(WrongPassphrase, match="wrong passphrase"):
        backups.restore(db, target, "wrong horse")
    assert [c.code for c in store.clients()] == ["C-020", "C-017"]  # untouched by the failed restore
    result = backups.restore(db, target, "correct horse")
    assert result.swapped_by == "backup-api"
    assert [c.code for c in store.clients()] == ["C-017", "C-018"]  # the open store sees the restored records
    assert result.pre_restore is not None and codes(result.pre_restore) == ["C-017", "C-020"]
    assert stat.S_IMODE(result.pre_restore.stat().st_mode) == 0o600


def test_restore_a_plain_backup_into_a_fresh_location(practice, tmp_path: Path):
    db, _store = practice
    target = backups.make_backup(db, tmp_path / "copy.sqlite3")
    elsewhere = resolve(tmp_path / "new-computer.sqlite3")
    result = backups.restore(elsewhere, target)
    assert result.pre_restore is None
    with open_store(elsewhere) as store:
        assert [c.code for c in store.clients()] == ["C-017", "C-018"]
        assert len(store.visits(store.find_client("C-017").id)) == 1


def test_restore_over_a_damaged_database_swaps_the_file(practice, tmp_path: Path):
    db, store = practice
    target = backups.make_backup(db, tmp_path / "copy.sqlite3")
    store.close()
    db.path.write_bytes(b"garbage " * 4096)
    with pytest.raises(DatabaseDamaged):
        open_store(db)
    result = backups.restore(db, target)
    assert result.swapped_by == "rename"
    assert result.pre_restore is not None and result.pre_restore.name.startswith("pre-restore-damaged-")
    assert result.pre_restore.read_bytes().startswith(b"garbage")
    assert stat.S_IMODE(db.path.stat().st_mode) == 0o600
    with open_store(db) as reopened:
        assert [c.code for c in reopened.clients()] == ["C-017", "C-018"]


def test_restore_refuses_what_is_not_a_good_backup(practice, tmp_path: Path):
    db, store = practice
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(DatabaseDamaged, match="not a readable database backup"):
        backups.restore(db, text)
    foreign = tmp_path / "foreign.sqlite3"
    with contextlib.closing(sqlite3.connect(foreign)) as conn, conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(NotAStore):
        backups.restore(db, foreign)
    newer = backups.make_backup(db, tmp_path / "newer.sqlite3")
    with contextlib.closing(sqlite3.connect(newer)) as conn, conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099_future'")
    with pytest.raises(SchemaTooNew):
        backups.restore(db, newer)
    sealed_copy = backups.make_backup(db, tmp_path / "sealed.bin", passphrase="pw")
    with pytest.raises(StoreError, match="encrypted; a passphrase is needed"):
        backups.restore(db, sealed_copy)
    truncated = tmp_path / "truncated.bin"
    truncated.write_bytes(sealed_copy.read_bytes()[:-40])
    with pytest.raises(SealedDamaged, match="damaged or truncated"):
        backups.restore(db, truncated, "pw")
    assert [c.code for c in store.clients()] == ["C-017", "C-018"]  # nothing was replaced
    assert backups.backups(db) == []  # and nothing kept: no restore got that far


def test_daily_backups_rotate(practice):
    db, _store = practice
    folder = backups_dir(db)
    day = dt.date(2026, 1, 1)
    for i in range(16):
        assert backups.daily(db, today=day + dt.timedelta(days=i)) is not None
    assert backups.daily(db, today=day + dt.timedelta(days=15)) is None  # one a day
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 14 and names[0] == "practice-2026-01-03.sqlite3" and names[-1].endswith("01-16.sqlite3")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()} == {0o600}
    assert backups.latest_backup(db) is not None


def test_backup_files_are_owner_only_under_umask_000(practice, tmp_path: Path):
    db, _store = practice
    old = os.umask(0)
    try:
        made = [
            backups.make_backup(db, tmp_path / "plain.sqlite3"),
            backups.make_backup(db, tmp_path / "sealed.bin", passphrase="pw"),
            backups.daily(db),
        ]
        assert [stat.S_IMODE(p.stat().st_mode) for p in made if p] == [0o600, 0o600, 0o600]
    finally:
        os.umask(old)


# -- the encrypted format ------------------------------------------------------------


@pytest.mark.parametrize("size", [0, 1, 1 << 20, (1 << 20) + 7, 3 << 20])
def test_sealing_round_trips_any_size(size: int):
    plain = os.urandom(size)
    sealed_bytes = io.BytesIO()
    seal(io.BytesIO(plain), sealed_bytes, "pw", log2_n=FAST)
    out = io.BytesIO()
    unseal(io.BytesIO(sealed_bytes.getvalue()), out, "pw")
    assert out.getvalue() == plain


def test_sealed_files_detect_every_kind_of_tampering():
    plain = os.urandom((2 << 20) + 100)
    buf = io.BytesIO()
    seal(io.BytesIO(plain), buf, "pw", log2_n=FAST)
    good = buf.getvalue()
    chunk = (1 << 20) + 16
    start = 32 + 16 + 32

    def attempt(data: bytes) -> None:
        unseal(io.BytesIO(data), io.BytesIO(), "pw")

    with pytest.raises(SealedDamaged):
        attempt(good[: start + chunk])  # cut at a chunk boundary: the last chunk is missing
    with pytest.raises(SealedDamaged):
        attempt(
            good[:start]
            + good[start + chunk : start + 2 * chunk]
            + good[start : start + chunk]
            + good[start + 2 * chunk :]
        )
    flipped = bytearray(good)
    flipped[start + 10] ^= 1
    with pytest.raises(SealedDamaged):
        attempt(bytes(flipped))
    header = bytearray(good)
    header[14] ^= 1  # the chunk size field: the key check fails as the header is authenticated
    with pytest.raises((SealedDamaged, WrongPassphrase)):
        attempt(bytes(header))
    with pytest.raises(WrongPassphrase):
        unseal(io.BytesIO(good), io.BytesIO(), "PW")


def test_two_sealings_of_the_same_data_differ():
    a, b = io.BytesIO(), io.BytesIO()
    seal(io.BytesIO(b"same"), a, "pw", log2_n=FAST)
    seal(io.BytesIO(b"same"), b, "pw", log2_n=FAST)
    assert a.getvalue() != b.getvalue()  # random salt and nonces
