"""Visit rows: add from a session, read, list, amend with history, close, bin (SQL on a connection).

A visit's session is stored as its ``.nmt`` JSON document; the columns the
lists and the progress series need are computed from it at save time
(:mod:`nmt_bodymap.progress`). The overlap with the previous visit
(``jaccard_previous``) depends on the order of a client's visits, so every
write recomputes it for exactly the visits whose predecessor or drawing
changed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, Row, and_, insert, select, update

from nmt_bodymap import progress
from nmt_bodymap import session as sessions
from nmt_bodymap.session import Session, SessionError
from nmt_bodymap.store.clients import aware, utc_now
from nmt_bodymap.store.clients import get as get_client
from nmt_bodymap.store.errors import Conflict, NotFound, StoreError
from nmt_bodymap.store.records import Client, Visit, VisitSummary, VisitVersion
from nmt_bodymap.store.schema import clients, visit_versions, visits

SUMMARY_COLUMNS = [c for c in visits.c if c.name != "document"]


def parse_date(value: str | dt.date, what: str = "visit date") -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise StoreError(f"the {what} '{value}' is not a date (YYYY-MM-DD)") from None


def to_summary(row: Row[Any]) -> VisitSummary:
    m = row._mapping
    return VisitSummary(
        id=m["id"],
        client_id=m["client_id"],
        date=m["visit_date"],
        therapist=m["therapist"],
        closed_at=aware(m["closed_at"]),
        pain_before=m["pain_before"],
        pain_after=m["pain_after"],
        extent_percent=m["extent_percent"],
        extent_by_view=json.loads(m["extent_by_view"]),
        painted_area_mm2=m["painted_area_mm2"],
        weighted_area_mm2=m["weighted_area_mm2"],
        max_intensity=m["max_intensity"],
        mean_intensity=m["mean_intensity"],
        regions=tuple(json.loads(m["regions"])),
        jaccard_previous=m["jaccard_previous"],
        created_at=aware(m["created_at"]),  # type: ignore[arg-type]
        updated_at=aware(m["updated_at"]),  # type: ignore[arg-type]
        created_by=m["created_by"],
        updated_by=m["updated_by"],
        version=m["version"],
        in_bin=m["deleted_at"] is not None,
    )


MAX_THERAPIST = 200  # the column's width (a session allows longer names; PostgreSQL enforces widths)


def _document(session: Session, client: Client, visit_date: dt.date) -> str:
    """The stored JSON of a session, with the client and date of the record (the caller's session is untouched)."""
    return json.dumps(document_dict(session, client, visit_date), ensure_ascii=False, separators=(",", ":"))


def document_dict(session: Session, client: Client, visit_date: dt.date) -> dict[str, Any]:
    stored = replace(session, client_code=client.code, client_name=client.name, date=visit_date.isoformat())
    return sessions.to_dict(stored)


def _therapist(name: str) -> str:
    return name[:MAX_THERAPIST]


def _metric_values(session: Session) -> dict[str, Any]:
    m = progress.visit_metrics(session)
    return {
        "pain_before": m.pain_before,
        "pain_after": m.pain_after,
        "extent_percent": m.extent_percent,
        "extent_by_view": json.dumps(m.extent_by_view),
        "painted_area_mm2": m.painted_area_mm2,
        "weighted_area_mm2": m.weighted_area_mm2,
        "max_intensity": m.max_intensity,
        "mean_intensity": m.mean_intensity,
        "regions": json.dumps(list(m.regions)),
        "metrics_version": progress.METRICS_VERSION,
    }


def order(conn: Connection, client_id: int) -> list[int]:
    """A client's visits in the bin-less timeline order (date, then when added)."""
    live = and_(visits.c.client_id == client_id, visits.c.deleted_at.is_(None))
    return list(conn.execute(select(visits.c.id).where(live).order_by(visits.c.visit_date, visits.c.id)).scalars())


def add(
    conn: Connection, user: str, client_id: int, session: Session, visit_date: dt.date, therapist: str | None
) -> int:
    metrics = _metric_values(session)  # before the lock: others wait less
    client = get_client(conn, client_id, for_update=True)
    before = order(conn, client_id)
    document = _document(session, client, visit_date)
    now = utc_now()
    key = conn.execute(
        insert(visits).values(
            client_id=client_id,
            visit_date=visit_date,
            therapist=_therapist(therapist if therapist is not None else session.therapist),
            document=document,
            created_at=now,
            updated_at=now,
            created_by=user,
            updated_by=user,
            **metrics,
        )
    ).inserted_primary_key
    assert key is not None
    new_id = int(key[0])
    after_change(conn, client_id, before, changed={new_id})
    return new_id


def lock_owner(conn: Connection, visit_id: int, include_bin: bool = False) -> Client:
    """Lock the client a visit belongs to (see ``clients.get``) before the visit is read for a change."""
    client_id = conn.execute(select(visits.c.client_id).where(visits.c.id == visit_id)).scalar()
    if client_id is None:
        raise NotFound(f"no visit #{visit_id}")
    return get_client(conn, client_id, include_bin=include_bin, for_update=True)


def _row(conn: Connection, visit_id: int, include_bin: bool = False) -> Row[Any]:
    row = conn.execute(select(visits).where(visits.c.id == visit_id)).first()
    if row is None:
        raise NotFound(f"no visit #{visit_id}")
    if row.deleted_at is not None and not include_bin:
        raise NotFound(f"visit #{visit_id} is in the bin")
    return row


def load_document(text: str, where: str) -> tuple[dict[str, Any], Session]:
    try:
        doc = json.loads(text)
        return doc, sessions.from_dict(doc, where)
    except (ValueError, SessionError) as exc:
        raise StoreError(f"{where}: the stored session cannot be read ({exc})") from None


def get(conn: Connection, visit_id: int, include_bin: bool = False) -> Visit:
    row = _row(conn, visit_id, include_bin)
    doc, session = load_document(row.document, f"visit #{visit_id}")
    return Visit(to_summary(row), session, doc)


def summary(conn: Connection, visit_id: int, include_bin: bool = False) -> VisitSummary:
    row = conn.execute(select(*SUMMARY_COLUMNS).where(visits.c.id == visit_id)).first()
    if row is None or (row.deleted_at is not None and not include_bin):
        raise NotFound(f"no visit #{visit_id}")
    return to_summary(row)


def last_changes(conn: Connection, client_ids: Iterable[int]) -> dict[int, tuple[str, dt.datetime]]:
    """Who recorded or changed a visit of each client last, and when (clients without visits left out).

    For a page of the client list: one query, each client's latest visit found through the
    ``(client_id, deleted_at, ...)`` index.
    """
    wanted = sorted(set(client_ids))
    latest = (
        select(visits.c.updated_by)
        .where(visits.c.client_id == clients.c.id, visits.c.deleted_at.is_(None))
        .order_by(visits.c.updated_at.desc(), visits.c.id.desc())
        .limit(1)
        .correlate(clients)
    )
    by = latest.scalar_subquery()
    at = latest.with_only_columns(visits.c.updated_at).scalar_subquery()
    out: dict[int, tuple[str, dt.datetime]] = {}
    for start in range(0, len(wanted), 500):  # a bounded IN list per query
        for row in conn.execute(select(clients.c.id, by, at).where(clients.c.id.in_(wanted[start : start + 500]))):
            when = aware(row[2])
            if when is not None:
                out[row[0]] = (row[1] or "", when)
    return out


def summaries(conn: Connection, client_id: int, include_bin: bool = False) -> list[VisitSummary]:
    """A client's visits, oldest first (those in the bin only when asked)."""
    query = select(*SUMMARY_COLUMNS).where(visits.c.client_id == client_id)
    if not include_bin:
        query = query.where(visits.c.deleted_at.is_(None))
    rows = conn.execute(query.order_by(visits.c.visit_date, visits.c.id))
    return [to_summary(r) for r in rows]


def change(
    conn: Connection,
    user: str,
    visit_id: int,
    session: Session,
    expected_version: int,
    reason: str = "",
    visit_date: dt.date | None = None,
    therapist: str | None = None,
) -> VisitSummary:
    """Save a new version of a visit; a closed visit keeps the version it replaces."""
    metrics = _metric_values(session)  # before the lock: others wait less
    client = lock_owner(conn, visit_id)
    row = _row(conn, visit_id)
    new_date = visit_date or parse_date(session.date, "session's date")
    if row.version != expected_version:
        raise _conflict(row, expected_version, document_dict(session, client, new_date))
    before = order(conn, row.client_id)
    now = utc_now()
    if row.closed_at is not None:
        conn.execute(
            insert(visit_versions).values(
                visit_id=visit_id,
                version=row.version,
                visit_date=row.visit_date,
                therapist=row.therapist,
                document=row.document,
                saved_at=row.updated_at,
                saved_by=row.updated_by,
                replaced_at=now,
                replaced_by=user,
                reason=reason,
            )
        )
    document = _document(session, client, new_date)
    result = conn.execute(
        update(visits)
        .where(and_(visits.c.id == visit_id, visits.c.version == expected_version))
        .values(
            visit_date=new_date,
            therapist=_therapist(therapist if therapist is not None else (session.therapist or row.therapist)),
            document=document,
            updated_at=now,
            updated_by=user,
            version=visits.c.version + 1,
            **metrics,
        )
    )
    if result.rowcount != 1:
        raise _conflict(_row(conn, visit_id, True), expected_version, document_dict(session, client, new_date))
    after_change(conn, row.client_id, before, changed={visit_id})
    return summary(conn, visit_id)


def _conflict(current: Row[Any], expected_version: int, mine: dict[str, Any] | None) -> Conflict:
    """The refusal of a stale save, with both documents (what was about to be saved, and what is stored)."""
    return Conflict(
        f"visit #{current.id} was changed by {current.updated_by or 'someone else'} meanwhile "
        f"(version {current.version}, you edited version {expected_version}); reload it and try again",
        kind="visit",
        record_id=current.id,
        expected_version=expected_version,
        current_version=current.version,
        mine=mine,
        theirs=json.loads(current.document),
        changed_by=current.updated_by,
        changed_at=aware(current.updated_at),
    )


def close(conn: Connection, user: str, visit_id: int, expected_version: int | None = None) -> VisitSummary:
    lock_owner(conn, visit_id, include_bin=True)
    row = _row(conn, visit_id)
    if expected_version is not None and row.version != expected_version:
        raise _conflict(row, expected_version, None)
    if row.closed_at is None:
        conn.execute(
            update(visits)
            .where(visits.c.id == visit_id)
            .values(closed_at=utc_now(), closed_by=user, version=visits.c.version + 1)
        )
    return summary(conn, visit_id)


def set_binned(conn: Connection, user: str, visit_id: int, binned: bool) -> VisitSummary:
    lock_owner(conn, visit_id, include_bin=True)
    row = _row(conn, visit_id, include_bin=True)
    if (row.deleted_at is not None) == binned:
        raise NotFound(f"visit #{visit_id} is {'already' if binned else 'not'} in the bin")
    before = order(conn, row.client_id)
    conn.execute(
        update(visits)
        .where(visits.c.id == visit_id)
        .values(deleted_at=utc_now() if binned else None, updated_by=user, version=visits.c.version + 1)
    )
    after_change(conn, row.client_id, before, changed=set() if binned else {visit_id})
    return summary(conn, visit_id, include_bin=True)


def history(conn: Connection, visit_id: int) -> list[VisitVersion]:
    """The earlier versions of a visit, oldest first."""
    _row(conn, visit_id, include_bin=True)
    rows = conn.execute(
        select(visit_versions).where(visit_versions.c.visit_id == visit_id).order_by(visit_versions.c.version)
    )
    out = []
    for r in rows:
        out.append(
            VisitVersion(
                visit_id=r.visit_id,
                version=r.version,
                date=r.visit_date,
                therapist=r.therapist,
                document=json.loads(r.document),
                saved_at=aware(r.saved_at),  # type: ignore[arg-type]
                saved_by=r.saved_by,
                replaced_at=aware(r.replaced_at),  # type: ignore[arg-type]
                replaced_by=r.replaced_by,
                reason=r.reason,
            )
        )
    return out


def binned(conn: Connection) -> list[Row[Any]]:
    return list(
        conn.execute(
            select(visits.c.id, visits.c.client_id, visits.c.visit_date, visits.c.deleted_at)
            .where(visits.c.deleted_at.is_not(None))
            .order_by(visits.c.deleted_at)
        )
    )


# ---------------------------------------------------------------------------
# The client's timeline: overlap with the previous visit, and the client row's summary
# ---------------------------------------------------------------------------


def after_change(conn: Connection, client_id: int, before: list[int], changed: Iterable[int]) -> None:
    """Recompute ``jaccard_previous`` where it may have changed, and the client's visit count.

    Few round trips, for the clinic server: the timeline is read once (it gives the count and the
    last date too), and the drawings the overlaps need are read in one query.
    """
    changed = set(changed)
    live = and_(visits.c.client_id == client_id, visits.c.deleted_at.is_(None))
    timeline = conn.execute(
        select(visits.c.id, visits.c.visit_date).where(live).order_by(visits.c.visit_date, visits.c.id)
    ).all()
    after = [row.id for row in timeline]
    previous_before = {v: (before[i - 1] if i else None) for i, v in enumerate(before)}
    stale = [
        (v, after[i - 1] if i else None)
        for i, v in enumerate(after)
        if v in changed
        or (i and after[i - 1] in changed)
        or previous_before.get(v, -1) != (after[i - 1] if i else None)
    ]
    needed = {v for pair in stale if pair[1] is not None for v in pair}
    marks: dict[int, list[sessions.PainMark]] = {}
    if needed:
        for row in conn.execute(select(visits.c.id, visits.c.document).where(visits.c.id.in_(sorted(needed)))):
            marks[row.id] = load_document(row.document, f"visit #{row.id}")[1].marks
    for visit_id, previous in stale:
        value = None if previous is None else progress.jaccard(marks[previous], marks[visit_id])
        conn.execute(update(visits).where(visits.c.id == visit_id).values(jaccard_previous=value))
    last = max((row.visit_date for row in timeline), default=None)
    conn.execute(update(clients).where(clients.c.id == client_id).values(visit_count=len(after), last_visit=last))
