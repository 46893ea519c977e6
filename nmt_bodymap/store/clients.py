"""Client rows: add, find, search, list, update, bin, restore, erase (SQL on a connection)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, Row, and_, delete, func, insert, select, true, update

from nmt_bodymap.store.errors import Conflict, DuplicateCode, NotFound, StoreError
from nmt_bodymap.store.records import Client, ClientSummary
from nmt_bodymap.store.schema import clients, visits

MAX_CODE = 64
MAX_NAME = 200
EDITABLE = ("code", "name", "birth_date", "contact", "notes")


def utc_now() -> dt.datetime:
    now = dt.datetime.now(dt.UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)  # milliseconds: the same on every backend


def aware(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands datetimes back without their zone; they are stored in UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt.UTC)


def fold(text: str) -> str:
    """Case- and accent-insensitive form used for name lookups and search."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def _check_code(code: str) -> str:
    code = " ".join(str(code).split())
    if not code:
        raise StoreError("a client needs a code (e.g. C-017)")
    if len(code) > MAX_CODE:
        raise StoreError(f"client code too long ({len(code)} characters; at most {MAX_CODE})")
    return code


def _check_name(name: str) -> str:
    name = " ".join(str(name).split())
    if len(name) > MAX_NAME:
        raise StoreError(f"client name too long ({len(name)} characters; at most {MAX_NAME})")
    return name


# Folding can lengthen text (compatibility forms: "ﬃ" is "ffi"); keys are cut to their columns'
# widths, which PostgreSQL enforces, the same way when they are written and when they are looked up.
NAME_KEY_WIDTH = 200
SEARCH_KEY_WIDTH = 300


def name_key(name: str) -> str:
    return fold(name)[:NAME_KEY_WIDTH]


def _keys(code: str, name: str) -> dict[str, str]:
    search = f"{fold(name)} {fold(code)}".strip()[:SEARCH_KEY_WIDTH]
    return {"code_key": fold(code), "name_key": name_key(name), "search_key": search}


def to_client(row: Row[Any] | Mapping[str, Any]) -> Client:
    m = row._mapping if isinstance(row, Row) else row
    return Client(
        id=m["id"],
        code=m["code"],
        name=m["name"],
        birth_date=m["birth_date"],
        contact=m["contact"],
        notes=m["notes"],
        visit_count=m["visit_count"],
        last_visit=m["last_visit"],
        created_at=aware(m["created_at"]),  # type: ignore[arg-type]
        updated_at=aware(m["updated_at"]),  # type: ignore[arg-type]
        version=m["version"],
        deleted_at=aware(m["deleted_at"]),
        created_by=m["created_by"],
        updated_by=m["updated_by"],
    )


def add(
    conn: Connection,
    user: str,
    code: str,
    name: str = "",
    birth_date: dt.date | None = None,
    contact: str = "",
    notes: str = "",
) -> Client:
    code, name = _check_code(code), _check_name(name)
    _ensure_code_free(conn, code)
    now = utc_now()
    values = {
        "code": code,
        "name": name,
        **_keys(code, name),
        "birth_date": birth_date,
        "contact": contact,
        "notes": notes,
        "created_at": now,
        "updated_at": now,
        "created_by": user,
        "updated_by": user,
    }
    key = conn.execute(insert(clients).values(**values)).inserted_primary_key
    assert key is not None
    return get(conn, int(key[0]))


def _ensure_code_free(conn: Connection, code: str, other_than: int | None = None) -> None:
    row = conn.execute(select(clients.c.id, clients.c.deleted_at).where(clients.c.code_key == fold(code))).first()
    if row is None or row.id == other_than:
        return
    where = " (in the bin)" if row.deleted_at is not None else ""
    raise DuplicateCode(f"client code '{code}' is already used by another client{where}")


def get(conn: Connection, client_id: int, include_bin: bool = False, for_update: bool = False) -> Client:
    """A client; ``for_update`` locks the row until the transaction ends (on a server; SQLite locks it all).

    Every write that changes a client's visits locks the client first, so
    two therapists' changes to one client's record (and the figures that
    depend on the order of visits) follow one another.
    """
    query = select(clients).where(clients.c.id == client_id)
    row = conn.execute(query.with_for_update() if for_update else query).first()
    if row is None or (row.deleted_at is not None and not include_bin):
        if row is None:
            raise NotFound(f"no client #{client_id}")
        raise NotFound(f"client {row.code} is in the bin: restore the client to change their record")
    return to_client(row)


def _live(include_bin: bool) -> Any:
    return true() if include_bin else clients.c.deleted_at.is_(None)


def by_code(conn: Connection, code: str, include_bin: bool = False) -> Client | None:
    row = conn.execute(select(clients).where(and_(clients.c.code_key == fold(code), _live(include_bin)))).first()
    return to_client(row) if row is not None else None


def by_name(conn: Connection, name: str, include_bin: bool = False) -> list[Client]:
    key = name_key(name)
    if not key:
        return []
    rows = conn.execute(
        select(clients).where(and_(clients.c.name_key == key, _live(include_bin))).order_by(clients.c.id)
    )
    return [to_client(r) for r in rows]


def find(conn: Connection, ref: str, include_bin: bool = False) -> Client:
    """The client whose code is ``ref``, else whose exact name (case- and accent-insensitive) is ``ref``."""
    ref = " ".join(str(ref).split())
    found = by_code(conn, ref, include_bin)
    if found is not None:
        return found
    named = by_name(conn, ref, include_bin)
    if len(named) == 1:
        return named[0]
    if len(named) > 1:
        codes = ", ".join(c.code for c in named)
        raise NotFound(f"{len(named)} clients are named '{ref}' (codes {codes}): give the code")
    raise NotFound(f"no client with the code or name '{ref}'")


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


LIST_COLUMNS = (
    clients.c.id,
    clients.c.code,
    clients.c.name,
    clients.c.birth_date,
    clients.c.visit_count,
    clients.c.last_visit,
)


def listing(conn: Connection, search: str = "", limit: int | None = None, offset: int = 0) -> list[ClientSummary]:
    """Clients by name (then code); every word of ``search`` must appear in the name or code."""
    query = select(*LIST_COLUMNS).where(clients.c.deleted_at.is_(None))
    for word in fold(search).split():
        query = query.where(clients.c.search_key.like(f"%{_escape_like(word)}%", escape="\\"))
    query = query.order_by(clients.c.name_key, clients.c.code_key).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [ClientSummary(*row) for row in conn.execute(query)]


def binned(conn: Connection) -> list[Client]:
    rows = conn.execute(select(clients).where(clients.c.deleted_at.is_not(None)).order_by(clients.c.deleted_at))
    return [to_client(r) for r in rows]


def count(conn: Connection) -> int:
    return int(
        conn.execute(select(func.count()).select_from(clients).where(clients.c.deleted_at.is_(None))).scalar_one()
    )


def change(conn: Connection, user: str, client_id: int, expected_version: int | None, **changes: Any) -> Client:
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise StoreError(f"cannot change a client's {', '.join(sorted(unknown))}")
    current = get(conn, client_id, for_update=True)
    if expected_version is not None and current.version != expected_version:
        raise _conflict(current, expected_version, changes)
    code = _check_code(changes.get("code", current.code))
    name = _check_name(changes.get("name", current.name))
    if fold(code) != fold(current.code):
        _ensure_code_free(conn, code, other_than=client_id)
    values = {**changes, "code": code, "name": name, **_keys(code, name)}
    result = conn.execute(
        update(clients)
        .where(and_(clients.c.id == client_id, clients.c.version == current.version))
        .values(**values, updated_at=utc_now(), updated_by=user, version=clients.c.version + 1)
    )
    if result.rowcount != 1:
        raise _conflict(get(conn, client_id, include_bin=True), current.version, changes)
    return get(conn, client_id)


def _conflict(current: Client, expected_version: int, changes: Mapping[str, Any]) -> Conflict:
    return Conflict(
        f"client {current.code} was changed by {current.updated_by or 'someone else'} meanwhile "
        f"(version {current.version}, you edited version {expected_version}); reload it and try again",
        kind="client",
        record_id=current.id,
        expected_version=expected_version,
        current_version=current.version,
        mine={k: v.isoformat() if isinstance(v, dt.date) else v for k, v in changes.items()},
        theirs=current.to_dict(),
        changed_by=current.updated_by,
        changed_at=current.updated_at,
    )


def set_binned(conn: Connection, user: str, client_id: int, binned: bool) -> Client:
    current = get(conn, client_id, include_bin=True, for_update=True)
    if current.in_bin == binned:
        raise NotFound(f"client {current.code} is {'already' if binned else 'not'} in the bin")
    if not binned:
        _ensure_code_free(conn, current.code, other_than=client_id)
    conn.execute(
        update(clients)
        .where(clients.c.id == client_id)
        .values(
            deleted_at=utc_now() if binned else None,
            updated_at=utc_now(),
            updated_by=user,
            version=clients.c.version + 1,
        )
    )
    return get(conn, client_id, include_bin=True)


def erase(conn: Connection, client_id: int) -> int:
    """Delete a client and everything about them (visits and history cascade); returns visits erased."""
    get(conn, client_id, include_bin=True, for_update=True)
    n = conn.execute(select(func.count()).select_from(visits).where(visits.c.client_id == client_id)).scalar_one()
    conn.execute(delete(clients).where(clients.c.id == client_id))
    return int(n)
