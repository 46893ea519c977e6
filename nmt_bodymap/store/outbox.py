"""The outbox: visit saves that could not reach the clinic server, kept on this computer until they can.

A save that fails with :class:`ServerUnreachable` is written to a local
queue instead of being lost; :func:`flush_outbox` delivers the queue, oldest
first, when the server answers again (the app calls it on a timer and on
every save). Qt-free, so the command line and the app share it.

* Where: ``outbox/<16 hex digits>/`` in the app's data folder, one folder per
  database (named by a hash of its URL without the password, never by a
  client), owner-only (0700, files 0600), each save one JSON file written
  atomically (:mod:`nmt_bodymap.atomic`) and named by its queue order and
  its save id.
* What: the visit's session document and its metadata: add (client, date,
  therapist) or update (visit, the version the edit started from, reason),
  who saved it and when, and a client-generated save id (a UUID).
* Exactly once: the save id goes with the save; the server records the ids
  it applied (:mod:`nmt_bodymap.store.saves`), so a save sent again after a
  lost acknowledgement is recognised and not applied twice. A file is
  removed only after the server has the save.
* Edits of a visit whose first save is still queued refer to that save
  (``after``): when it is delivered, the edit applies to the visit it made,
  at the version it made.
* A queued edit of a visit someone changed meanwhile is not forced: flushing
  reports the :class:`Conflict` (with both documents) and keeps the save
  until the app resolves it (saves it anew, or :meth:`Outbox.discard`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nmt_bodymap import paths
from nmt_bodymap import session as sessions
from nmt_bodymap.atomic import write_private
from nmt_bodymap.session import Session, SessionError
from nmt_bodymap.store import saves
from nmt_bodymap.store import visits as visit_rows
from nmt_bodymap.store.errors import Conflict, ServerUnreachable, StoreError
from nmt_bodymap.store.location import Database
from nmt_bodymap.store.records import VisitSummary

if TYPE_CHECKING:
    from nmt_bodymap.store.api import Store

FORMAT = "nmt-bodymap-outbox"
VERSION = 1
MAX_ENTRY_BYTES = 20 * 1024 * 1024
_LOCK_NAME = ".flush.lock"


@dataclass(frozen=True)
class QueuedSave:
    """One save waiting in the outbox (see the module docstring)."""

    save_id: str
    kind: str  # "add" or "update"
    queued_at: str
    user: str
    document: dict[str, Any] = field(repr=False)
    client_id: int | None = None  # add
    visit_id: int | None = None  # update of a visit the server has
    expected_version: int | None = None
    after: str | None = None  # update of the visit an earlier queued save makes
    date: str | None = None
    therapist: str | None = None
    reason: str = ""

    def session(self) -> Session:
        return sessions.from_dict(self.document, f"queued save {self.save_id}")


@dataclass
class FlushReport:
    """What a flush did: saves delivered, refused as conflicts, failed otherwise, and what is left."""

    delivered: list[tuple[QueuedSave, VisitSummary]] = field(default_factory=list)
    conflicts: list[tuple[QueuedSave, Conflict]] = field(default_factory=list)
    failed: list[tuple[QueuedSave, StoreError]] = field(default_factory=list)
    pending: int = 0
    unreachable: ServerUnreachable | None = None
    busy: bool = False  # another window was flushing this outbox


def outbox_dir(db: Database) -> Path:
    key = hashlib.sha256(db.without_password().encode("utf-8")).hexdigest()[:16]
    return paths.data_dir() / "outbox" / key


class Outbox:
    """The queue of one database's unsent saves, in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def for_database(cls, db: Database) -> Outbox:
        return cls(outbox_dir(db))

    def __len__(self) -> int:
        return len(self._files())

    def _files(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return sorted(p for p in self.folder.iterdir() if p.suffix == ".json" and not p.name.startswith("."))

    def _put(self, entry: QueuedSave) -> QueuedSave:
        try:
            paths.private_dir(self.folder)
            name = f"{time.time_ns():020d}-{entry.save_id}.json"
            body = {"format": FORMAT, "version": VERSION, **asdict(entry)}
            write_private(self.folder / name, json.dumps(body, ensure_ascii=False))
        except OSError as exc:
            raise StoreError(f"{self.folder}: cannot keep the save on this computer ({exc.strerror or exc})") from None
        return entry

    def add(
        self,
        client_id: int,
        session: Session,
        *,
        user: str,
        date: dt.date | str | None = None,
        therapist: str | None = None,
        save_id: str | None = None,
    ) -> QueuedSave:
        """Queue a new visit of ``client_id``."""
        return self._put(
            QueuedSave(
                save_id=saves.check_save_id(save_id) if save_id else saves.new_save_id(),
                kind="add",
                queued_at=_now(),
                user=user,
                document=sessions.to_dict(session),
                client_id=client_id,
                date=_date_text(date),
                therapist=therapist,
            )
        )

    def update(
        self,
        target: int | QueuedSave,
        session: Session,
        *,
        user: str,
        expected_version: int | None = None,
        reason: str = "",
        date: dt.date | str | None = None,
        therapist: str | None = None,
        save_id: str | None = None,
    ) -> QueuedSave:
        """Queue an edit of visit ``target`` (its id, with ``expected_version``), or of a queued save's visit."""
        if isinstance(target, QueuedSave):
            visit_id, after, expected = None, target.save_id, None
        else:
            if expected_version is None:
                raise StoreError("an edit of a visit needs the version it started from")
            visit_id, after, expected = target, None, expected_version
        return self._put(
            QueuedSave(
                save_id=saves.check_save_id(save_id) if save_id else saves.new_save_id(),
                kind="update",
                queued_at=_now(),
                user=user,
                document=sessions.to_dict(session),
                visit_id=visit_id,
                expected_version=expected,
                after=after,
                date=_date_text(date),
                therapist=therapist,
                reason=reason,
            )
        )

    def pending(self) -> list[QueuedSave]:
        """The queued saves, oldest first (a damaged file is skipped here and reported by the flush)."""
        out = []
        for path in self._files():
            with contextlib.suppress(StoreError):
                out.append(self._read(path))
        return out

    def _read(self, path: Path) -> QueuedSave:
        try:
            if path.stat().st_size > MAX_ENTRY_BYTES:
                raise StoreError(f"{path}: too large for a queued save")
            body = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(body, dict) or body.get("format") != FORMAT:
                raise StoreError(f"{path}: not a queued save of nmt-bodymap")
            if body.get("version") != VERSION:
                raise StoreError(f"{path}: a queued save of another version of nmt-bodymap")
            fields = {k: v for k, v in body.items() if k not in ("format", "version")}
            return QueuedSave(**fields)
        except (OSError, ValueError, TypeError) as exc:
            raise StoreError(f"{path}: the queued save cannot be read ({exc})") from None

    def _path_of(self, save_id: str) -> Path | None:
        for path in self._files():
            if path.stem.endswith(save_id):
                return path
        return None

    def discard(self, save_id: str) -> None:
        """Drop a queued save (the app resolved its conflict another way)."""
        path = self._path_of(save_id)
        if path is not None:
            path.unlink(missing_ok=True)

    @contextlib.contextmanager
    def _flushing(self) -> Iterator[bool]:
        """Hold the outbox for one flush; False when another window holds it."""
        if os.name != "posix" or not self.folder.is_dir():
            yield True
            return
        import fcntl

        fd = os.open(self.folder / _LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                yield False
                return
            yield True
        finally:
            os.close(fd)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def _date_text(value: dt.date | str | None) -> str | None:
    if value is None:
        return None
    return visit_rows.parse_date(value).isoformat()


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
    saves that edit its visit wait behind it.
    """
    outbox = outbox or Outbox.for_database(store.db)
    report = FlushReport()
    with outbox._flushing() as mine:
        if not mine:
            report.busy, report.pending = True, len(outbox)
            return report
        made: dict[str, tuple[int, int]] = {}  # save id -> (visit id, version) delivered in this flush
        blocked: set[str] = set()  # saves kept back: later edits of their visit wait
        for path in outbox._files():
            try:
                entry = outbox._read(path)
            except StoreError as exc:
                report.failed.append((_unreadable(path), exc))
                continue
            try:
                summary = _deliver(store, entry, made, blocked)
            except ServerUnreachable as exc:
                report.unreachable = exc
                break
            except Conflict as exc:
                report.conflicts.append((entry, exc))
                blocked.add(entry.save_id)
                continue
            except (StoreError, SessionError) as exc:
                error = exc if isinstance(exc, StoreError) else StoreError(str(exc))
                report.failed.append((entry, error))
                blocked.add(entry.save_id)
                continue
            if summary is None:
                blocked.add(entry.save_id)
                continue
            made[entry.save_id] = (summary.id, summary.version)
            path.unlink(missing_ok=True)
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
    return QueuedSave(save_id=path.stem.split("-", 1)[-1], kind="unreadable", queued_at="", user="", document={})
