"""The store's errors, and the translation of database failures into them.

Every failure the store can meet reaches the caller as a :class:`StoreError`
with a sentence a therapist can act on; no SQLAlchemy or driver exception
escapes the store package, and no message ever holds a password (messages
name the database by its label, which hides it, and any password the
connection uses is blotted out of the server's own words).

On a clinic server three failures matter beyond SQLite's:

* :class:`ServerUnreachable`: the connection could not be made or was lost
  (server stopped, network down). A save that fails with it may or may not
  have reached the server; :mod:`nmt_bodymap.store.outbox` keeps it and
  delivers it exactly once later.
* :class:`AccessDenied`: a wrong or missing password, an unknown role, a
  ``pg_hba.conf`` that does not let this computer in, or a role without the
  privilege (the application role may not change the schema).
* :class:`Contention`: the server aborted a transaction to resolve a
  deadlock or a serialization failure. The store retries those itself; a
  caller sees one only when the retries ran out.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from typing import Any

from sqlalchemy import exc as sa_exc


class StoreError(Exception):
    """Anything the store cannot do, said in one sentence."""


class NotFound(StoreError):
    """No such client or visit (or it is in the bin)."""


class DuplicateCode(StoreError):
    """Another client already has this code."""


class Conflict(StoreError):
    """The record was changed by someone else since it was read (optimistic concurrency).

    Carries both sides so the app can show them: ``mine`` is what the refused
    save would have written (a visit's session document, or a client's
    changes), ``theirs`` what the database holds now (the visit's document,
    or the client as a dict), ``expected_version`` the version the edit
    started from and ``current_version`` the version stored now, changed by
    ``changed_by`` at ``changed_at``. Nothing was written.
    """

    def __init__(
        self,
        message: str,
        *,
        kind: str = "",
        record_id: int | None = None,
        expected_version: int | None = None,
        current_version: int | None = None,
        mine: dict[str, Any] | None = None,
        theirs: dict[str, Any] | None = None,
        changed_by: str = "",
        changed_at: Any = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.record_id = record_id
        self.expected_version = expected_version
        self.current_version = current_version
        self.mine = mine
        self.theirs = theirs
        self.changed_by = changed_by
        self.changed_at = changed_at


class RecordInUse(StoreError):
    """Another program holds the database (it stayed locked past the busy timeout)."""


class Contention(RecordInUse):
    """The server aborted the transaction (deadlock or serialization failure); the store retries it."""


class ServerUnreachable(StoreError):
    """The database server cannot be reached, or the connection to it was lost."""


class AccessDenied(StoreError):
    """The server refused the login or the action (password, role, pg_hba.conf, privileges)."""


class DatabaseDamaged(StoreError):
    """The database file is not a database, or its pages are corrupt: restore a backup."""


class SchemaTooNew(StoreError):
    """The database was made by a newer nmt-bodymap; it is refused and left untouched."""


class NotAStore(StoreError):
    """The file is a database, but not an nmt-bodymap practice database."""


class ImportRefused(StoreError):
    """A session file that cannot be imported (nothing was imported)."""


_KINDS: dict[str, type[StoreError]] = {
    "AccessDenied": AccessDenied,
    "Contention": Contention,
    "DuplicateCode": DuplicateCode,
    "RecordInUse": RecordInUse,
    "ServerUnreachable": ServerUnreachable,
    "StoreError": StoreError,
}

_DAMAGED = ("file is not a database", "malformed", "disk image", "file is encrypted")
_LOCKED = ("database is locked", "database table is locked", "locked")


def _driver_error(exc: BaseException) -> BaseException:
    return getattr(exc, "orig", None) or exc


@contextlib.contextmanager
def translated(where: str, secret: str | None = None) -> Iterator[None]:
    """Turn database failures into StoreErrors naming ``where`` (the database).

    ``secret`` (the connection's password, when the store holds one) is
    blotted out of whatever the server or the driver said.
    """
    try:
        yield
    except StoreError:
        raise
    except sa_exc.IntegrityError as exc:
        message = _one_line(str(_driver_error(exc)), secret)
        if "code" in message:
            raise DuplicateCode(f"{where}: another client already has this code") from None
        raise StoreError(f"{where}: the change breaks the record's rules ({message})") from None
    except (sa_exc.DBAPIError, sqlite3.Error) as exc:
        invalidated = bool(getattr(exc, "connection_invalidated", False))
        raise classify(where, _driver_error(exc), secret, invalidated) from None
    except sa_exc.SQLAlchemyError as exc:
        raise StoreError(f"{where}: {_one_line(str(exc), secret)}") from None
    except Exception as exc:
        if type(exc).__module__.split(".")[0] != "psycopg":  # psycopg used directly (change notifications)
            raise
        raise classify(where, exc, secret) from None


def _one_line(text: str, secret: str | None = None) -> str:
    if secret:
        text = text.replace(secret, "***")
    return " ".join(text.split())


def classify(where: str, error: BaseException, secret: str | None = None, invalidated: bool = False) -> StoreError:
    """The StoreError for a driver's exception (SQLite or psycopg)."""
    if not isinstance(error, sqlite3.Error):
        from nmt_bodymap.store import server_errors  # psycopg's errors, only when a server is used

        kind, message = server_errors.classify(where, error, _one_line(str(error), secret), invalidated)
        return _KINDS[kind](message)
    text = _one_line(str(error), secret)
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
