"""What every records command shares: ``--db``, opening the store, finding a client, dates.

Opening the store makes today's automatic backup first when the command
changes records. The store is imported only when a command runs, never to
build the parser.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from nmt_bodymap.cli._common import CliError

if TYPE_CHECKING:
    from nmt_bodymap.store import Client, Store

DB_HELP = (
    "the practice database: a file path, sqlite:///PATH or postgresql://USER@HOST:PORT/DB "
    "(default: $NMT_BODYMAP_DB, else the app's own)"
)


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="PATH_OR_URL", help=DB_HELP)


@contextlib.contextmanager
def store_errors() -> Iterator[None]:
    """Store failures become one-line CLI errors (status 2)."""
    from nmt_bodymap.store import StoreError

    try:
        yield
    except StoreError as exc:
        raise CliError(str(exc)) from None


@contextlib.contextmanager
def opened(args: argparse.Namespace, *, create: bool, backup_first: bool = False) -> Iterator[Store]:
    """The store named by ``--db``; ``backup_first`` makes today's automatic backup before a change."""
    from nmt_bodymap.store import DatabaseDamaged, backup, open_store, resolve

    with store_errors():
        db = resolve(args.db)
    try:
        with store_errors():
            if backup_first:
                daily_backup(db)
            store = open_store(db, create=create, before_migration=backup.before_migration)
            try:
                yield store
            finally:
                store.close()
    except CliError as exc:
        if isinstance(exc.__context__, DatabaseDamaged):
            latest = backup.latest_backup(db)
            if latest is not None:
                raise CliError(f"{exc}; latest backup: {latest}") from None
        raise


def daily_backup(db: object) -> None:
    """Today's automatic backup before a change; a database that cannot be opened is left to say why."""
    from nmt_bodymap.store import Database, DatabaseDamaged, NotAStore, SchemaTooNew, StoreError, backup

    if not isinstance(db, Database) or db.path is None or not db.path.exists():
        return
    try:
        backup.daily(db)
    except (DatabaseDamaged, NotAStore, SchemaTooNew):
        pass  # opening it reports the fault in one line
    except (StoreError, OSError) as exc:
        print(f"nmt-bodymap: warning: no automatic backup today ({exc})", file=sys.stderr)


def find_client(store: Store, ref: str, include_bin: bool = False) -> Client:
    with store_errors():
        return store.find_client(ref, include_bin=include_bin)


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None
