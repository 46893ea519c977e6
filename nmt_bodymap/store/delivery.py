"""Saving visits through the outbox, and delivering the outbox when the server answers again.

:func:`save_visit` is the app's save: it sends the save now, or queues it in
the :class:`~nmt_bodymap.store.outbox.Outbox` when the server cannot be
reached. :func:`flush_outbox` sends the queue, oldest first, exactly once
each (see :mod:`nmt_bodymap.store.outbox` and :mod:`nmt_bodymap.store.saves`).
Both use the store's own transactions, with its retry of aborted ones.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from nmt_bodymap.session import Session, SessionError
from nmt_bodymap.store import saves
from nmt_bodymap.store import visits as visit_rows
from nmt_bodymap.store.errors import Conflict, ServerUnreachable, StoreError
from nmt_bodymap.store.outbox import Outbox, QueuedSave, save_id_of
from nmt_bodymap.store.records import VisitSummary

if TYPE_CHECKING:
    from nmt_bodymap.store.api import Store


@dataclass
class FlushReport:
    """What a flush did: saves delivered, refused as conflicts, failed otherwise, and what is left."""

    delivered: list[tuple[QueuedSave, VisitSummary]] = field(default_factory=list)
    conflicts: list[tuple[QueuedSave, Conflict]] = field(default_factory=list)
    failed: list[tuple[QueuedSave, StoreError]] = field(default_factory=list)
    pending: int = 0
    unreachable: ServerUnreachable | None = None
    busy: bool = False  # another window was flushing this outbox


def save_visit(
    store: Store,
    session: Session,
    *,
    client_id: int | None = None,
    visit_id: int | QueuedSave | None = None,
    expected_version: int | None = None,
    date: dt.date | str | None = None,
    therapist: str | None = None,
    reason: str = "",
    outbox: Outbox | None = None,
) -> VisitSummary | QueuedSave:
    """Save a visit now, or queue it when the server cannot be reached.

    A new visit takes ``client_id``; an edit ``visit_id`` and
    ``expected_version`` (or a :class:`QueuedSave` whose visit it edits).
    Earlier queued saves go first, so saves reach the server in the order
    they were made. Returns the saved visit, or the queued save.
    Conflict and other StoreErrors are raised as by the store.
    """
    outbox = outbox or Outbox.for_database(store.db)
    if visit_id is None and client_id is None:
        raise StoreError("a new visit needs its client")
    if visit_id is not None and not isinstance(visit_id, QueuedSave) and expected_version is None:
        raise StoreError("an edit of a visit needs the version it started from")

    def queue() -> QueuedSave:
        if visit_id is None:
            assert client_id is not None
            return outbox.add(client_id, session, user=store.user, date=date, therapist=therapist)
        return outbox.update(
            visit_id,
            session,
            user=store.user,
            expected_version=expected_version,
            reason=reason,
            date=date,
            therapist=therapist,
        )

    if len(outbox) and flush_outbox(store, outbox).unreachable is not None:
        return queue()
    try:
        if visit_id is None:
            assert client_id is not None
            return _deliver_add(store, client_id, session, date, therapist, store.user, saves.new_save_id())
        if isinstance(visit_id, QueuedSave):
            base = _applied(store, visit_id.save_id)
            if base is None:
                return queue()  # its first save is still waiting (or was refused): this edit waits behind it
            target, expected = base
        else:
            assert expected_version is not None
            target, expected = visit_id, expected_version
        return _deliver_update(
            store, target, session, expected, reason, date, therapist, store.user, saves.new_save_id()
        )
    except ServerUnreachable:
        return queue()


def _deliver_add(
    store: Store,
    client_id: int,
    session: Session,
    date: dt.date | str | None,
    therapist: str | None,
    user: str,
    save_id: str,
) -> VisitSummary:
    visit_date = visit_rows.parse_date(date if date is not None else session.date, "visit date")
    return store._writing(lambda conn: saves.add_visit(conn, user, client_id, session, visit_date, therapist, save_id))


def _deliver_update(
    store: Store,
    visit_id: int,
    session: Session,
    expected_version: int,
    reason: str,
    date: dt.date | str | None,
    therapist: str | None,
    user: str,
    save_id: str,
) -> VisitSummary:
    visit_date = visit_rows.parse_date(date, "visit date") if date is not None else None
    return store._writing(
        lambda conn: saves.update_visit(
            conn, user, visit_id, session, expected_version, reason, visit_date, therapist, save_id
        )
    )


def flush_outbox(store: Store, outbox: Outbox | None = None) -> FlushReport:
    """Deliver the queued saves of ``store``'s database, oldest first (see the module docstring).

    Stops at the first :class:`ServerUnreachable` (kept in the report); a
    conflict or another refusal is reported and its save kept, and the
    saves that edit its visit wait behind it. Why a save was refused (not
    a conflict) is kept beside it (:meth:`Outbox.refuse`) until it goes.
    """
    outbox = outbox or Outbox.for_database(store.db)
    report = FlushReport()
    with outbox.flushing() as mine:
        if not mine:
            report.busy, report.pending = True, len(outbox)
            return report
        made: dict[str, tuple[int, int]] = {}  # save id -> (visit id, version) delivered in this flush
        blocked: set[str] = set()  # saves kept back: later edits of their visit wait
        for path in outbox.files():
            try:
                entry = outbox.read(path)
            except StoreError as exc:
                report.failed.append((_unreadable(path), exc))
                outbox.refuse(path, str(exc))
                continue
            try:
                summary = _deliver(store, entry, made, blocked)
            except ServerUnreachable as exc:
                report.unreachable = exc
                break
            except Conflict as exc:
                report.conflicts.append((entry, exc))
                outbox.accepted(path)  # a conflict now, which the conflict dialog resolves
                blocked.add(entry.save_id)
                continue
            except (StoreError, SessionError) as exc:
                error = exc if isinstance(exc, StoreError) else StoreError(str(exc))
                report.failed.append((entry, error))
                outbox.refuse(path, str(error))
                blocked.add(entry.save_id)
                continue
            if summary is None:
                blocked.add(entry.save_id)
                continue
            made[entry.save_id] = (summary.id, summary.version)
            path.unlink(missing_ok=True)
            outbox.accepted(path)
            report.delivered.append((entry, summary))
    report.pending = len(outbox)
    return report


def _deliver(
    store: Store, entry: QueuedSave, made: dict[str, tuple[int, int]], blocked: set[str]
) -> VisitSummary | None:
    """Send one queued save; None when it must wait for the save it follows."""
    session = entry.session()
    if entry.kind == "add":
        if entry.client_id is None:
            raise StoreError(f"queued save {entry.save_id}: no client")
        return _deliver_add(store, entry.client_id, session, entry.date, entry.therapist, entry.user, entry.save_id)
    if entry.after is not None:
        if entry.after in blocked:
            return None
        base = made.get(entry.after) or _applied(store, entry.after)
        if base is None:
            return None  # its first save has not reached the server yet
        visit_id, expected = base
    else:
        if entry.visit_id is None or entry.expected_version is None:
            raise StoreError(f"queued save {entry.save_id}: no visit or version")
        visit_id, expected = entry.visit_id, entry.expected_version
    return _deliver_update(
        store, visit_id, session, expected, entry.reason, entry.date, entry.therapist, entry.user, entry.save_id
    )


def _applied(store: Store, save_id: str) -> tuple[int, int] | None:
    with store._read() as conn:
        done = saves.applied(conn, save_id)
    return None if done is None else (done.visit_id, done.version)


def _unreadable(path: Path) -> QueuedSave:
    return QueuedSave(save_id=save_id_of(path), kind="unreadable", queued_at="", user="", document={})
