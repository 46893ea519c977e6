"""The store: one practice database, opened once, used through a small set of methods.

Each method is one transaction (a write takes the database's write lock up
front, on a server the lock of the client it changes, and either completes
or changes nothing; a write the server aborted for another therapist's is
run again, see :mod:`nmt_bodymap.store.retry`). Records come back as plain
immutable objects (:mod:`nmt_bodymap.store.records`); nothing about the
database leaks out.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine

from nmt_bodymap.session import Session
from nmt_bodymap.store import clients as client_rows
from nmt_bodymap.store import exchange, saves
from nmt_bodymap.store import visits as visit_rows
from nmt_bodymap.store.changes import ChangeWatcher
from nmt_bodymap.store.clients import aware
from nmt_bodymap.store.engine import (
    BUSY_TIMEOUT_S,
    WRITE,
    make_engine,
    migrate,
    needs_migration,
    sqlite_pragma,
    use_wal,
)
from nmt_bodymap.store.errors import AccessDenied, ImportRefused, translated
from nmt_bodymap.store.location import Database, prepare_file, resolve
from nmt_bodymap.store.records import BinEntry, Client, ClientSummary, Visit, VisitSummary, VisitVersion
from nmt_bodymap.store.retry import retrying

T = TypeVar("T")


def default_user() -> str:
    """Who is recorded as having made a change: the login name (never a client's)."""
    with contextlib.suppress(Exception):
        return getpass.getuser()[:100]
    return ""


def open_store(
    database: str | os.PathLike[str] | Database | None = None,
    *,
    user: str | None = None,
    create: bool = True,
    before_migration: Callable[[Database], object] | None = None,
    busy_timeout: float = BUSY_TIMEOUT_S,
) -> Store:
    """Open (and create or migrate) the practice database.

    ``database`` is a path or URL (``--db``), else ``NMT_BODYMAP_DB``, else the
    default file. ``create=False`` refuses a file that does not exist yet.
    ``before_migration`` runs before an existing SQLite file's schema is
    upgraded (the command line makes a backup there; a server is backed up
    with ``pg_dump`` by whoever runs it). Another program writing holds a
    SQLite database for at most ``busy_timeout`` seconds before a change
    here fails with :class:`RecordInUse`. A server that cannot be reached
    raises :class:`ServerUnreachable`, a refused login :class:`AccessDenied`.
    """
    db = database if isinstance(database, Database) else resolve(database)
    existed = db.path is not None and db.path.exists()
    prepare_file(db, create)
    engine, secret = make_engine(db, busy_timeout)
    try:
        if needs_migration(engine, db.label, secret):
            if existed and before_migration is not None:
                before_migration(db)
            try:
                migrate(engine, db.label, secret)
            except AccessDenied:
                raise AccessDenied(
                    f"{db.label}: the database's schema must be created or upgraded, and this user may not change "
                    "it; run once as the migration role: nmt-bodymap migrate --to URL (docs/clinic/roles.sql)"
                ) from None
        use_wal(engine, db.label)
    except BaseException:
        engine.dispose()
        raise
    return Store(db, engine, user if user is not None else default_user(), secret=secret)


class Store:
    """Clients, their visits, the amendment history and the bin of one practice database."""

    def __init__(self, db: Database, engine: Engine, user: str, *, secret: str | None = None) -> None:
        self.db = db
        self.user = user
        self._engine = engine
        self._secret = secret  # the server password the store holds, kept out of every message

    # -- plumbing --------------------------------------------------------------

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _read(self) -> Iterator[Connection]:
        """A read-only transaction that sees one snapshot throughout (on a server: REPEATABLE READ)."""
        with translated(self.db.label, self._secret), self._engine.connect() as conn:
            if self.db.is_server:
                conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            with conn.begin():
                yield conn

    @contextlib.contextmanager
    def _write(self) -> Iterator[Connection]:
        with translated(self.db.label, self._secret), self._engine.connect() as conn:
            conn.execution_options(**{WRITE: True})
            with conn.begin():
                yield conn

    def _writing(self, work: Callable[[Connection], T]) -> T:
        """``work`` in one write transaction, run again when the server aborted it for another's (retry)."""

        def once() -> T:
            with self._write() as conn:
                return work(conn)

        return retrying(once)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One write transaction for several changes (the benchmarks and migrate; not retried)."""
        with self._write() as conn:
            yield conn

    def ping(self) -> None:
        """Check the database answers; ServerUnreachable (or another StoreError) when it does not."""
        with self._read() as conn:
            conn.exec_driver_sql("SELECT 1")

    def watch_changes(self) -> ChangeWatcher:
        """A watcher of other therapists' (and windows') changes: see :mod:`nmt_bodymap.store.changes`."""
        return ChangeWatcher(self.db, self._engine, self._secret)

    @property
    def engine(self) -> Engine:
        """For backups and tests; the app and the command line use the methods."""
        return self._engine

    # -- clients ---------------------------------------------------------------

    def add_client(
        self, code: str, name: str = "", *, birth_date: dt.date | None = None, contact: str = "", notes: str = ""
    ) -> Client:
        return self._writing(lambda conn: client_rows.add(conn, self.user, code, name, birth_date, contact, notes))

    def client(self, client_id: int, *, include_bin: bool = False) -> Client:
        with self._read() as conn:
            return client_rows.get(conn, client_id, include_bin)

    def find_client(self, ref: str, *, include_bin: bool = False) -> Client:
        """The client with the code ``ref``, else the exact name ``ref``; NotFound otherwise."""
        with self._read() as conn:
            return client_rows.find(conn, ref, include_bin)

    def client_by_code(self, code: str) -> Client | None:
        with self._read() as conn:
            return client_rows.by_code(conn, code)

    def clients_named(self, name: str) -> list[Client]:
        with self._read() as conn:
            return client_rows.by_name(conn, name)

    def clients(self, search: str = "", *, limit: int | None = None, offset: int = 0) -> list[ClientSummary]:
        """The client list by name, with visit counts and last visits; ``search`` matches name or code words."""
        with self._read() as conn:
            return client_rows.listing(conn, search, limit, offset)

    def count_clients(self) -> int:
        with self._read() as conn:
            return client_rows.count(conn)

    def update_client(self, client_id: int, *, expected_version: int | None = None, **changes: Any) -> Client:
        """Change code, name, birth_date, contact or notes."""
        return self._writing(lambda conn: client_rows.change(conn, self.user, client_id, expected_version, **changes))

    def bin_client(self, client_id: int) -> Client:
        return self._writing(lambda conn: client_rows.set_binned(conn, self.user, client_id, True))

    def restore_client(self, client_id: int) -> Client:
        return self._writing(lambda conn: client_rows.set_binned(conn, self.user, client_id, False))

    def erase_client(self, client_id: int) -> int:
        """Remove a client completely: the row, every visit, every earlier version, from the bin too.

        Deleted pages are overwritten (secure delete) and the write-ahead log
        is emptied, so the database file keeps no trace. Backups made earlier
        still hold the client. Returns the number of visits erased.
        """
        erased = self._writing(lambda conn: client_rows.erase(conn, client_id))
        self._checkpoint()
        return erased

    def _checkpoint(self) -> None:
        if self.db.backend == "sqlite":
            sqlite_pragma(self._engine, self.db.label, "wal_checkpoint(TRUNCATE)")

    # -- visits ----------------------------------------------------------------

    def add_visit(
        self,
        client_id: int,
        session: Session,
        *,
        date: dt.date | str | None = None,
        therapist: str | None = None,
        save_id: str | None = None,
    ) -> VisitSummary:
        """Record a visit from a session; ``date`` overrides the session's own.

        ``save_id`` (a client-generated UUID) makes the save idempotent: sent
        again, it returns the visit it made the first time (the outbox's retries).
        """
        visit_date = visit_rows.parse_date(date if date is not None else session.date, "visit date")
        return self._writing(
            lambda conn: saves.add_visit(conn, self.user, client_id, session, visit_date, therapist, save_id)
        )

    def visit(self, visit_id: int, *, include_bin: bool = False) -> Visit:
        with self._read() as conn:
            return visit_rows.get(conn, visit_id, include_bin)

    def visits(self, client_id: int) -> list[VisitSummary]:
        """A client's visits, oldest first, from the stored figures (no document is parsed)."""
        with self._read() as conn:
            client_rows.get(conn, client_id)
            return visit_rows.summaries(conn, client_id)

    def last_changes(self, client_ids: Iterable[int]) -> dict[int, tuple[str, dt.datetime]]:
        """For a page of the client list: who recorded or changed one of each client's visits last, and when."""
        with self._read() as conn:
            return visit_rows.last_changes(conn, client_ids)

    def client_page(self, client_id: int) -> tuple[Client, list[VisitSummary]]:
        """A client with their visits (the progress series), read in one transaction."""
        with self._read() as conn:
            return client_rows.get(conn, client_id), visit_rows.summaries(conn, client_id)

    def update_visit(
        self,
        visit_id: int,
        session: Session,
        *,
        expected_version: int,
        reason: str = "",
        date: dt.date | str | None = None,
        therapist: str | None = None,
        save_id: str | None = None,
    ) -> VisitSummary:
        """Save an edited visit; refused (Conflict) when it changed since ``expected_version`` was read.

        The Conflict carries both documents (yours and the stored one) and who
        changed it; nothing is overwritten. A closed visit keeps the version it
        replaces, with ``reason``. ``save_id``: as for :meth:`add_visit`.
        """
        visit_date = visit_rows.parse_date(date, "visit date") if date is not None else None
        return self._writing(
            lambda conn: saves.update_visit(
                conn, self.user, visit_id, session, expected_version, reason, visit_date, therapist, save_id
            )
        )

    def close_visit(self, visit_id: int, *, expected_version: int | None = None) -> VisitSummary:
        """Mark a visit closed: from now on every change keeps the earlier version."""
        return self._writing(lambda conn: visit_rows.close(conn, self.user, visit_id, expected_version))

    def visit_history(self, visit_id: int) -> list[VisitVersion]:
        with self._read() as conn:
            return visit_rows.history(conn, visit_id)

    def bin_visit(self, visit_id: int) -> VisitSummary:
        return self._writing(lambda conn: visit_rows.set_binned(conn, self.user, visit_id, True))

    def restore_visit(self, visit_id: int) -> VisitSummary:
        return self._writing(lambda conn: visit_rows.set_binned(conn, self.user, visit_id, False))

    def bin(self) -> list[BinEntry]:
        """What is in the bin: clients, and visits of clients not in the bin."""
        with self._read() as conn:
            binned_clients = client_rows.binned(conn)
            entries = [BinEntry("client", c.id, c.id, c.label, c.deleted_at or c.updated_at) for c in binned_clients]
            for row in visit_rows.binned(conn):
                owner = client_rows.get(conn, row.client_id, include_bin=True)
                if not owner.in_bin:
                    label = f"{owner.label}, {row.visit_date.isoformat()}"
                    entries.append(
                        BinEntry("visit", row.id, row.client_id, label, aware(row.deleted_at) or owner.updated_at)
                    )
            return entries

    # -- exchange (see nmt_bodymap.store.exchange) ---------------------------------

    def match_client(self, session: Session) -> Client | None:
        """The client a session belongs to (its code, else its exact name), or None when unsure."""
        with self._read() as conn:
            try:
                return exchange.match(conn, session, Path("session"))
            except ImportRefused:
                return None

    def import_files(
        self,
        files: Iterable[str | os.PathLike[str]],
        *,
        client_id: int | None = None,
        date: dt.date | str | None = None,
    ) -> list[VisitSummary]:
        """Import ``.nmt`` files as visits: all of them or, when one cannot be, none (ImportRefused).

        Each goes to ``client_id``, else to the client its code, then its exact name, matches.
        """
        parsed = exchange.read_sessions(files, date)
        return self._writing(lambda conn: exchange.add_sessions(conn, self.user, parsed, client_id))

    def export_visit(self, visit_id: int, path: str | os.PathLike[str]) -> Path:
        """A visit as a ``.nmt`` file (a new file; never overwrites)."""
        with self._read() as conn:
            visit = visit_rows.get(conn, visit_id)
            client = client_rows.get(conn, visit.summary.client_id)
        return exchange.export_visit(visit, client, Path(path))

    def export_client(
        self,
        client_id: int,
        folder: str | os.PathLike[str],
        *,
        visit_hook: Callable[[Visit, Path], None] | None = None,
    ) -> Path:
        """Everything about a client in a new folder (see :mod:`nmt_bodymap.store.exchange`)."""
        target = exchange.check_new_folder(Path(folder))
        with self._read() as conn:  # one consistent snapshot of the whole record
            record = exchange.client_record(conn, client_id)
        return exchange.export_client(record, target, visit_hook)
