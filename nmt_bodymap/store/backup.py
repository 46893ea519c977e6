"""Backups of the practice database: made while the app runs, optionally encrypted, restorable.

* :func:`make_backup` copies the database with SQLite's online backup API (a
  consistent snapshot even while another window writes), checks the copy
  (``PRAGMA integrity_check``) and writes it as a plain SQLite file, or
  encrypted with a passphrase (:mod:`nmt_bodymap.store.sealed`) for a copy
  that leaves the computer. The plaintext never lands outside the app's
  private data folder; the target appears complete or not at all and is
  never an existing file.
* :func:`daily` keeps one automatic backup a day in ``data_dir()/backups``
  (``practice-YYYY-MM-DD.sqlite3``) and the last :data:`KEEP` of them.
* :func:`restore` checks the backup in a fresh file first (decrypted,
  intact, an nmt-bodymap database this version can open), keeps the current
  database as ``pre-restore-…`` in the backups folder, then swaps the backup
  in atomically: into the live database through the backup API, one SQLite
  transaction, so another window holding the database sees the restored
  records rather than writing into a replaced file; when the current file
  is too damaged for that, by renaming the fresh file over it.

Every file and folder made here is owner-only whatever the umask.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from nmt_bodymap import paths
from nmt_bodymap.store import sealed
from nmt_bodymap.store.engine import BUSY_TIMEOUT_S, known_revisions
from nmt_bodymap.store.errors import DatabaseDamaged, NotAStore, RecordInUse, SchemaTooNew, StoreError
from nmt_bodymap.store.location import Database, backups_dir
from nmt_bodymap.store.schema import HEAD_REVISION

KEEP = 14
DAILY = re.compile(r"^practice-(\d{4}-\d{2}-\d{2})\.sqlite3$")


@dataclass(frozen=True)
class Restored:
    pre_restore: Path | None  # the database as it was, kept in the backups folder
    swapped_by: str  # "backup-api" or "rename"


def _sqlite_only(db: Database) -> Path:
    if db.path is None:  # pragma: no cover - the clinic server backs up with pg_dump (issue 16)
        raise StoreError(f"{db.label}: back up a database server with its own tools (pg_dump)")
    return db.path


def _private_file(path: Path) -> None:
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


@contextlib.contextmanager
def _scratch(folder: Path, stem: str) -> Iterator[Path]:
    """A new owner-only file in ``folder``, removed afterwards unless moved away."""
    fd, name = tempfile.mkstemp(dir=folder, prefix=f".{stem}-", suffix=".tmp")
    os.close(fd)
    path = Path(name)
    try:
        os.chmod(path, 0o600)
        yield path
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(path) + suffix).unlink(missing_ok=True)


def _sqlite_error(where: str, exc: sqlite3.Error) -> StoreError:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return RecordInUse(f"{where}: the database is in use; try again in a moment")
    if "not a database" in text or "malformed" in text or "disk image" in text:
        return DatabaseDamaged(f"{where}: the database file is damaged ({exc})")
    return StoreError(f"{where}: {exc}")


def _copy_live(source: Path, target: Path) -> None:
    """Online backup of ``source`` into the (empty, private) file ``target``, as a one-file database."""
    try:
        with (
            contextlib.closing(sqlite3.connect(source, timeout=BUSY_TIMEOUT_S)) as src,
            contextlib.closing(sqlite3.connect(target)) as dst,
        ):
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.Error as exc:
        raise _sqlite_error(str(source), exc) from None


def _check_copy(path: Path, name: str) -> str:
    """Integrity and schema of a database copy; returns its schema revision."""
    try:
        with contextlib.closing(sqlite3.connect(path)) as conn:
            result = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
            if result != ["ok"]:
                raise DatabaseDamaged(f"{name}: the backup is damaged ({'; '.join(result[:3])})")
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "alembic_version" not in tables or "clients" not in tables:
                raise NotAStore(f"{name}: not an nmt-bodymap practice database")
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error as exc:
        raise DatabaseDamaged(f"{name}: not a readable database backup ({exc})") from None
    if revision is None:
        raise NotAStore(f"{name}: not an nmt-bodymap practice database")
    if revision[0] != HEAD_REVISION and revision[0] not in known_revisions():
        raise SchemaTooNew(f"{name}: made by a newer nmt-bodymap (schema '{revision[0]}'); update the app first")
    return str(revision[0])


def make_backup(db: Database, target: Path, passphrase: str | None = None) -> Path:
    """A consistent copy of ``db`` at ``target`` (a new file), encrypted when a passphrase is given."""
    source = _sqlite_only(db)
    target = target.expanduser().absolute()
    if not source.exists():
        raise StoreError(f"{source}: no practice database to back up")
    if target.exists():
        raise StoreError(f"{target}: already exists; choose a new file name")
    if not target.parent.is_dir():
        raise StoreError(f"{target}: folder '{target.parent}' does not exist")
    private = paths.private_dir(backups_dir(db))
    try:
        with _scratch(private, "backup") as plain:
            _copy_live(source, plain)
            _check_copy(plain, str(source))
            if passphrase is None:
                with _scratch(target.parent, target.name) as staged:
                    shutil.copyfile(plain, staged)
                    os.link(staged, target)  # fails rather than replace a file that appeared meanwhile
            else:
                with _scratch(target.parent, target.name) as staged:
                    with open(plain, "rb") as src, open(staged, "wb") as dst:
                        sealed.seal(src, dst, passphrase)
                        dst.flush()
                        os.fsync(dst.fileno())
                    os.link(staged, target)
    except FileExistsError:
        raise StoreError(f"{target}: already exists; choose a new file name") from None
    except OSError as exc:
        raise StoreError(f"{target}: cannot write the backup ({exc.strerror or exc})") from None
    return target


def daily(db: Database, keep: int = KEEP, today: dt.date | None = None) -> Path | None:
    """Today's automatic backup, unless there is one already; keeps the newest ``keep``."""
    source = _sqlite_only(db)
    if not source.exists():
        return None
    folder = paths.private_dir(backups_dir(db))
    today = today or dt.date.today()
    target = folder / f"practice-{today.isoformat()}.sqlite3"
    made = None
    if not target.exists():
        made = make_backup(db, target)
    dailies = sorted((p for p in folder.iterdir() if DAILY.match(p.name)), key=lambda p: p.name)
    for old in dailies[:-keep] if keep > 0 else []:
        old.unlink(missing_ok=True)
    return made


def backups(db: Database) -> list[Path]:
    """The backups in the app's backups folder for ``db``, newest first."""
    folder = backups_dir(db)
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if p.is_file() and p.suffix == ".sqlite3" and not p.name.startswith(".")]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def latest_backup(db: Database) -> Path | None:
    """The newest backup to offer when the database is damaged."""
    found = backups(db)
    return found[0] if found else None


def restore(db: Database, backup: Path, passphrase: str | None = None) -> Restored:
    """Replace the practice database with ``backup`` (see the module docstring)."""
    live = _sqlite_only(db)
    backup = backup.expanduser().absolute()
    if not backup.is_file():
        raise StoreError(f"{backup}: no such backup file")
    if backup == live:
        raise StoreError(f"{backup}: that is the practice database itself")
    encrypted = sealed.is_sealed(backup)
    if encrypted and passphrase is None:
        raise StoreError(f"{backup}: the backup is encrypted; a passphrase is needed")
    if db.is_default:
        paths.private_dir(live.parent)
    elif not live.parent.is_dir():
        raise StoreError(f"{live}: folder '{live.parent}' does not exist")
    with _scratch(live.parent, live.name + ".restore") as fresh:
        try:
            with open(backup, "rb") as src, open(fresh, "wb") as dst:
                if encrypted:
                    sealed.unseal(src, dst, passphrase or "", str(backup))
                else:
                    shutil.copyfileobj(src, dst)
                dst.flush()
                os.fsync(dst.fileno())
        except OSError as exc:
            raise StoreError(f"{backup}: cannot read ({exc.strerror or exc})") from None
        _check_copy(fresh, str(backup))
        pre, healthy = _keep_current(db)
        if healthy and _copy_into_live(fresh, live):
            return Restored(pre, "backup-api")
        for suffix in ("-wal", "-shm"):
            Path(str(live) + suffix).unlink(missing_ok=True)  # they belong to the database being replaced
        os.replace(fresh, live)
        return Restored(pre, "rename")


def _keep_current(db: Database) -> tuple[Path | None, bool]:
    """Keep the current database in the backups folder: (where, whether it was healthy)."""
    live = _sqlite_only(db)
    if not live.exists() or live.stat().st_size == 0:
        return None, False
    folder = paths.private_dir(backups_dir(db))
    stamp = dt.datetime.now().strftime("%Y-%m-%dT%H%M%S")
    target = folder / f"pre-restore-{stamp}.sqlite3"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"pre-restore-{stamp}-{n}.sqlite3"
    try:
        _private_file(target)
        _copy_live(live, target)
        _check_copy(target, str(live))
        return target, True
    except StoreError:
        target.unlink(missing_ok=True)
    # too damaged to copy as a database: keep its bytes as they are, and say so by the name
    damaged = target.with_name(target.name.replace("pre-restore-", "pre-restore-damaged-"))
    _private_file(damaged)
    shutil.copyfile(live, damaged)
    return damaged, False


def _copy_into_live(fresh: Path, live: Path) -> bool:
    """Copy ``fresh`` over the live database in one SQLite transaction; False when that cannot be done."""
    try:
        with (
            contextlib.closing(sqlite3.connect(fresh)) as src,
            contextlib.closing(sqlite3.connect(live, timeout=BUSY_TIMEOUT_S)) as dst,
        ):
            dst.execute("PRAGMA journal_mode = WAL")
            src.backup(dst)
            dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return True
    except sqlite3.Error as exc:
        if "locked" in str(exc).lower() or "busy" in str(exc).lower():
            raise RecordInUse(f"{live}: the database is in use; close the other window and try again") from None
        return False


def before_migration(db: Database) -> Path:
    """A copy of the database as it was, made before its schema is upgraded."""
    folder = paths.private_dir(backups_dir(db))
    stamp = dt.datetime.now().strftime("%Y-%m-%dT%H%M%S")
    return make_backup(db, folder / f"pre-migration-{stamp}.sqlite3")
