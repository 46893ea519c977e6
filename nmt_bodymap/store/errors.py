"""The store's errors, and the translation of database failures into them.

Every failure the store can meet reaches the caller as a :class:`StoreError`
with a sentence a therapist can act on; no SQLAlchemy or driver exception
escapes the store package.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator

from sqlalchemy import exc as sa_exc


class StoreError(Exception):
    """Anything the store cannot do, said in one sentence."""


class NotFound(StoreError):
    """No such client or visit (or it is in the bin)."""


class DuplicateCode(StoreError):
    """Another client already has this code."""


class Conflict(StoreError):
    """The record was changed by someone else since it was read (optimistic concurrency)."""


class RecordInUse(StoreError):
    """Another program holds the database (it stayed locked past the busy timeout)."""


class DatabaseDamaged(StoreError):
    """The database file is not a database, or its pages are corrupt: restore a backup."""


class SchemaTooNew(StoreError):
    """The database was made by a newer nmt-bodymap; it is refused and left untouched."""


class NotAStore(StoreError):
    """The file is a database, but not an nmt-bodymap practice database."""


class ImportRefused(StoreError):
    """A session file that cannot be imported (nothing was imported)."""


_DAMAGED = ("file is not a database", "malformed", "disk image", "file is encrypted")
_LOCKED = ("database is locked", "database table is locked", "locked")


def _driver_error(exc: BaseException) -> BaseException:
    return getattr(exc, "orig", None) or exc


@contextlib.contextmanager
def translated(where: str) -> Iterator[None]:
    """Turn database failures into StoreErrors naming ``where`` (the database)."""
    try:
        yield
    except StoreError:
        raise
    except sa_exc.IntegrityError as exc:
        message = str(_driver_error(exc))
        if "code" in message:
            raise DuplicateCode(f"{where}: another client already has this code") from None
        raise StoreError(f"{where}: the change breaks the record's rules ({message})") from None
    except (sa_exc.DBAPIError, sqlite3.Error) as exc:
        raise _classify(where, _driver_error(exc)) from None
    except sa_exc.SQLAlchemyError as exc:
        raise StoreError(f"{where}: {exc}") from None


def _classify(where: str, error: BaseException) -> StoreError:
    text = str(error)
    low = text.lower()
    if any(k in low for k in _DAMAGED):
        return DatabaseDamaged(
            f"{where}: the database file is damaged ({text}); restore the latest backup (nmt-bodymap restore)"
        )
    if any(k in low for k in _LOCKED):
        return RecordInUse(
            f"{where}: the record is in use by another nmt-bodymap window or program; try again in a moment"
        )
    if "unable to open" in low or "readonly" in low or "read-only" in low:
        return StoreError(f"{where}: cannot open or write the database ({text})")
    return StoreError(f"{where}: database error ({text})")
