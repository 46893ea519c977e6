"""Saves that carry a client-generated id, applied exactly once.

A save sent to a server whose acknowledgement was lost (the connection
dropped after the commit) cannot tell whether it arrived. The outbox
(:mod:`nmt_bodymap.store.outbox`) therefore gives every save an id of its
own (a UUID) and sends it again until it is acknowledged; the ``saves``
table remembers which ids were applied, and with which visit and version,
so the second delivery finds the first and changes nothing. The check and
the change are one transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import Connection, insert, select

from nmt_bodymap.session import Session
from nmt_bodymap.store import visits as visit_rows
from nmt_bodymap.store.clients import utc_now
from nmt_bodymap.store.errors import StoreError
from nmt_bodymap.store.records import VisitSummary
from nmt_bodymap.store.schema import saves

MAX_SAVE_ID = 36


@dataclass(frozen=True)
class Applied:
    """A save that reached the database: the visit it wrote, and the version it made."""

    save_id: str
    visit_id: int
    version: int


def new_save_id() -> str:
    return str(uuid.uuid4())


def check_save_id(save_id: str) -> str:
    if not isinstance(save_id, str) or not 0 < len(save_id) <= MAX_SAVE_ID:
        raise StoreError(f"a save id is 1 to {MAX_SAVE_ID} characters (a UUID)")
    return save_id


def applied(conn: Connection, save_id: str) -> Applied | None:
    row = conn.execute(select(saves.c.visit_id, saves.c.version).where(saves.c.save_id == save_id)).first()
    return None if row is None else Applied(save_id, row.visit_id, row.version)


def _record(conn: Connection, user: str, save_id: str, visit: VisitSummary) -> None:
    conn.execute(
        insert(saves).values(
            save_id=save_id, visit_id=visit.id, version=visit.version, saved_at=utc_now(), saved_by=user
        )
    )


def add_visit(
    conn: Connection,
    user: str,
    client_id: int,
    session: Session,
    visit_date: dt.date,
    therapist: str | None,
    save_id: str | None,
) -> VisitSummary:
    """A new visit; with ``save_id``, the visit that save already made if it was applied before."""
    if save_id is not None:
        done = applied(conn, check_save_id(save_id))
        if done is not None:
            return visit_rows.summary(conn, done.visit_id, include_bin=True)
    summary = visit_rows.summary(conn, visit_rows.add(conn, user, client_id, session, visit_date, therapist))
    if save_id is not None:
        _record(conn, user, save_id, summary)
    return summary


def update_visit(
    conn: Connection,
    user: str,
    visit_id: int,
    session: Session,
    expected_version: int,
    reason: str,
    visit_date: dt.date | None,
    therapist: str | None,
    save_id: str | None,
) -> VisitSummary:
    """A new version of a visit (Conflict when stale); with ``save_id``, applied once only."""
    if save_id is not None:
        done = applied(conn, check_save_id(save_id))
        if done is not None:
            return visit_rows.summary(conn, done.visit_id, include_bin=True)
    summary = visit_rows.change(conn, user, visit_id, session, expected_version, reason, visit_date, therapist)
    if save_id is not None:
        _record(conn, user, save_id, summary)
    return summary
