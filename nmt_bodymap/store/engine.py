"""Connect to the practice database and bring its schema up to date.

SQLite specifics live here and nowhere else: the file is opened with a busy
timeout, WAL journaling, foreign keys on, full sync and secure delete (an
erased client's pages are overwritten, not just unlinked). The driver's own
transaction handling is switched off so that every transaction starts with
an explicit ``BEGIN`` (``BEGIN IMMEDIATE`` for writes: a writer waits for
another writer up front instead of failing half-way), and DDL is
transactional, so a migration either completes or leaves nothing.

Migrations run through Alembic's API with the scripts shipped in the
package. The current revision is read first without importing Alembic: an
up-to-date database opens fast. A database at a revision this version does
not know was made by a newer version: it is refused and never altered.

A clinic server (PostgreSQL) gets its engine from :mod:`nmt_bodymap.store.server`;
there several computers may open a new database at once, so a migration
first takes a transaction-scoped advisory lock and checks the revision
again under it: one of them migrates, the others find the work done.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text

from nmt_bodymap.store.errors import NotAStore, SchemaTooNew, translated
from nmt_bodymap.store.location import Database
from nmt_bodymap.store.schema import HEAD_REVISION

if TYPE_CHECKING:
    from alembic.config import Config

BUSY_TIMEOUT_S = 5.0
#: Execution option that makes a transaction a writer (``BEGIN IMMEDIATE`` on SQLite).
WRITE = "nmt_write"
#: The advisory lock key that serializes migrations on a server (any constant bigint).
MIGRATION_LOCK = 0x6E6D74_0016


def make_engine(db: Database, busy_timeout: float = BUSY_TIMEOUT_S) -> tuple[Engine, str | None]:
    """The engine, and the password it connects with when the store holds one (to keep out of messages)."""
    if db.is_server:
        from nmt_bodymap.store.server import make_server_engine

        return make_server_engine(db)
    return _sqlite_engine(db, busy_timeout), None


def _sqlite_engine(db: Database, busy_timeout: float) -> Engine:
    engine = create_engine(db.url, connect_args={"timeout": busy_timeout, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (see the module docstring)
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA secure_delete = ON")
            cursor.execute("PRAGMA synchronous = FULL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE) else "BEGIN")

    return engine


def current_revision(conn: Connection) -> str | None:
    """The schema revision recorded in the database, or None when it has none."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def alembic_config(conn: Connection | None = None) -> Config:
    """Alembic's configuration for the shipped scripts (no alembic.ini)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "nmt_bodymap.store:migrations")
    config.attributes["connection"] = conn
    return config


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def needs_migration(engine: Engine, label: str, secret: str | None = None) -> bool:
    """True when the schema must be created or upgraded; raises when it must be refused."""
    with translated(label, secret), engine.connect() as conn:
        if conn.dialect.name == "postgresql":  # both reads in one snapshot: another computer may be migrating
            conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            tables = set(inspect(conn).get_table_names())
            revision = current_revision(conn)
    if revision == HEAD_REVISION:
        return False
    if revision is None:
        if tables - {"alembic_version"}:
            raise NotAStore(f"{label}: this database was not made by nmt-bodymap; it was left untouched")
        return True
    if revision not in known_revisions():
        raise SchemaTooNew(
            f"{label}: made by a newer nmt-bodymap (schema '{revision}'; this version knows up to "
            f"'{HEAD_REVISION}'); update the app. The database was left untouched"
        )
    return True


def use_wal(engine: Engine, label: str) -> None:
    """Switch a checked database to write-ahead logging (kept in the file; set once).

    Not done on connect: a database that is refused must be left exactly as it was.
    """
    if engine.dialect.name != "sqlite":
        return
    if sqlite_pragma(engine, label, "journal_mode") != "wal":
        sqlite_pragma(engine, label, "journal_mode = WAL")


def sqlite_pragma(engine: Engine, label: str, pragma: str) -> Any:
    """Run ``PRAGMA pragma`` outside any transaction (some refuse to run inside one); its first value."""
    with translated(label):
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            row = cursor.execute(f"PRAGMA {pragma}").fetchone()
            cursor.close()
            return row[0] if row else None
        finally:
            raw.close()


def migrate(engine: Engine, label: str, secret: str | None = None) -> None:
    """Create or upgrade the schema to :data:`HEAD_REVISION` in one transaction."""
    from alembic import command

    with translated(label, secret), engine.connect().execution_options(**{WRITE: True}) as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            if current_revision(conn) == HEAD_REVISION:
                return  # another computer migrated it while this one waited
        command.upgrade(alembic_config(conn), "head")
