"""Notice when someone else changes the records, so lists and client pages can refresh.

``store.watch_changes()`` gives a :class:`ChangeWatcher`; ``poll(timeout)``
returns the :class:`Changes` since the last poll (empty when nothing
changed within ``timeout`` seconds). The app polls it from a timer, or
wakes up when ``fileno()`` becomes readable (a ``QSocketNotifier``), and
refreshes the rows and pages it names.

* PostgreSQL: the watcher has a connection of its own that LISTENs on the
  channels ``clients_changed`` and ``visits_changed``; triggers (migration
  ``0002_clinic``) send the id of the client whose record or visits changed
  when a transaction commits, whoever made it (another therapist, the
  ``migrate`` command, this app). A lost connection raises
  :class:`ServerUnreachable`; the next poll connects again and reports
  ``everything`` (what happened meanwhile is unknown).
* SQLite: ``PRAGMA data_version`` on a connection of the watcher's own
  changes whenever another connection commits: a cheap check that says
  *something* changed (``everything``), not what.

Own changes are reported too (they come from another connection); a
window that just saved can ignore them.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from nmt_bodymap.store.errors import ServerUnreachable, StoreError, translated
from nmt_bodymap.store.location import Database

CLIENTS_CHANNEL = "clients_changed"
VISITS_CHANNEL = "visits_changed"
SQLITE_POLL_S = 0.1


@dataclass(frozen=True)
class Changes:
    """What changed: ``clients`` rows (the list), ``visits`` of clients (their pages), or ``everything``."""

    clients: frozenset[int] = frozenset()
    visits: frozenset[int] = frozenset()
    everything: bool = False

    def __bool__(self) -> bool:
        return self.everything or bool(self.clients) or bool(self.visits)

    def touches(self, client_id: int) -> bool:
        """Whether the record (client row or visits) of ``client_id`` may have changed."""
        return self.everything or client_id in self.clients or client_id in self.visits


class ChangeWatcher:
    """See the module docstring. Close it when done (or use it as a context manager)."""

    def __init__(self, db: Database, engine: Engine, secret: str | None = None) -> None:
        self._db = db
        self._engine = engine
        self._secret = secret
        self._pg: Any = None  # psycopg.Connection while listening
        self._lite: sqlite3.Connection | None = None
        self._version: int | None = None
        self._missed = False
        self._connect()

    def __enter__(self) -> ChangeWatcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for conn in (self._pg, self._lite):
            if conn is not None:
                with contextlib.suppress(Exception):
                    conn.close()
        self._pg = self._lite = None

    def fileno(self) -> int | None:
        """The socket that becomes readable when a notification arrives (PostgreSQL), else None."""
        return int(self._pg.fileno()) if self._pg is not None else None

    def poll(self, timeout: float = 0.0) -> Changes:
        """Changes since the last poll, waiting up to ``timeout`` seconds for the first one."""
        if self._db.is_server:
            return self._poll_server(timeout)
        return self._poll_sqlite(timeout)

    # -- PostgreSQL --------------------------------------------------------------

    def _connect(self) -> None:
        if not self._db.is_server:
            self._connect_sqlite()
            return
        with translated(self._db.label, self._secret):
            raw = self._engine.raw_connection()
            conn: Any = raw.driver_connection
            raw.detach()  # this connection stays ours; it never goes back to the pool
            try:
                conn.rollback()
                conn.autocommit = True
                conn.execute(f"LISTEN {CLIENTS_CHANNEL}")
                conn.execute(f"LISTEN {VISITS_CHANNEL}")
            except BaseException:
                conn.close()
                raise
        self._pg = conn

    def _poll_server(self, timeout: float) -> Changes:
        if self._pg is None or self._pg.closed:
            self._connect()
            self._missed = True
        clients: set[int] = set()
        visits: set[int] = set()
        try:
            with translated(self._db.label, self._secret):
                first = list(self._pg.notifies(timeout=max(timeout, 0.0), stop_after=1))
                rest = list(self._pg.notifies(timeout=0.0)) if first else []
        except ServerUnreachable:
            self.close()
            raise
        for note in first + rest:
            target = clients if note.channel == CLIENTS_CHANNEL else visits
            with contextlib.suppress(ValueError):
                target.add(int(note.payload))
        everything, self._missed = self._missed, False
        return Changes(frozenset(clients), frozenset(visits), everything)

    # -- SQLite ------------------------------------------------------------------

    def _connect_sqlite(self) -> None:
        assert self._db.path is not None
        try:
            uri = f"{self._db.path.as_uri()}?mode=ro"  # percent-encoded: any file name is safe
            self._lite = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self._version = self._data_version()
        except sqlite3.Error as exc:
            raise StoreError(f"{self._db.label}: cannot watch the database ({exc})") from None

    def _data_version(self) -> int:
        assert self._lite is not None
        return int(self._lite.execute("PRAGMA data_version").fetchone()[0])

    def _poll_sqlite(self, timeout: float) -> Changes:
        if self._lite is None:
            raise StoreError(f"{self._db.label}: the change watcher is closed")
        deadline = time.monotonic() + max(timeout, 0.0)
        while True:
            try:
                version = self._data_version()
            except sqlite3.Error as exc:
                raise StoreError(f"{self._db.label}: cannot watch the database ({exc})") from None
            if version != self._version:
                self._version = version
                return Changes(everything=True)
            left = deadline - time.monotonic()
            if left <= 0:
                return Changes()
            time.sleep(min(SQLITE_POLL_S, left))
