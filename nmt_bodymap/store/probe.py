"""Try a database before using it: the app's database dialog tests the connection before saving it.

:func:`probe` connects, reads what is there and changes nothing: no file is
created, no schema made or migrated. It returns a :class:`Probe` with one
sentence to show, or raises the StoreError that opening it would raise
(unreachable server, refused password, a newer or foreign database...).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from sqlalchemy import text

from nmt_bodymap.store.engine import current_revision, make_engine, needs_migration
from nmt_bodymap.store.errors import StoreError, translated
from nmt_bodymap.store.location import Database, resolve
from nmt_bodymap.store.schema import HEAD_REVISION


@dataclass(frozen=True)
class Probe:
    label: str
    backend: str  # "sqlite" or "postgresql"
    server_version: str | None  # PostgreSQL's, e.g. "15.18"
    tls: bool | None  # whether the connection is encrypted (None for a file)
    schema: str | None  # the schema revision found, None for an empty database
    needs_migration: bool
    message: str


def probe(database: str | os.PathLike[str] | Database | None = None, *, sslmode: str | None = None) -> Probe:
    db = database if isinstance(database, Database) else resolve(database, sslmode=sslmode)
    if db.path is not None and not db.path.exists():
        if not db.path.parent.is_dir():
            raise StoreError(f"{db.path}: folder '{db.path.parent}' does not exist")
        return Probe(db.label, "sqlite", None, None, None, True, f"{db.label}: a new practice database will be made")
    engine, secret = make_engine(db)
    try:
        migrate = needs_migration(engine, db.label, secret)
        with translated(db.label, secret), engine.connect() as conn:
            revision = current_revision(conn)
            version = tls = None
            if db.is_server:
                version = str(conn.exec_driver_sql("SHOW server_version").scalar()).split()[0]
                tls = bool(
                    conn.execute(text("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).scalar() or False
                )
    finally:
        engine.dispose()
    if revision is None:
        state = "empty: the schema will be made on first use (by a role that may)"
    elif migrate:
        state = f"schema {revision}: will be upgraded to {HEAD_REVISION} (by a role that may)"
    else:
        state = "ready"
    where = f"PostgreSQL {version}, {'TLS' if tls else 'not encrypted'}, " if db.is_server else ""
    return Probe(db.label, db.backend, version, tls, revision, migrate, f"{db.label}: {where}{state}")
