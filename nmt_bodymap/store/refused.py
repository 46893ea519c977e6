"""The outbox's saves as the therapist sees them: which wait, which the server refused and why, and what to do.

A queued save the server refused for a reason other than a conflict (its
client was deleted on the server, the role may not write, its file is
damaged) would otherwise wait for ever. Here the app's dialog
(:mod:`nmt_bodymap.ui.refused_saves`) and ``nmt-bodymap outbox`` find them
(:func:`refused_saves`, :func:`outbox_items`), keep a copy of one as a
``.nmt`` session file (:func:`save_copy`, :func:`write_copy`: never over an
existing file, named by visit date and save id, never by the client), and
discard one (:func:`discard`).

A save and the edits queued after it (each edits the visit the one before
makes) go together: the edits cannot be delivered without it, so the copy
holds the newest of them and discarding drops them all. Qt-free.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path

from nmt_bodymap import session as sessions
from nmt_bodymap.session import SUFFIX, Session
from nmt_bodymap.store.errors import StoreError
from nmt_bodymap.store.outbox import Outbox, QueuedSave, Refusal, save_id_of

MAX_REASON_CHARS = 240
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


@dataclass(frozen=True)
class OutboxItem:
    """One queued file: its save (None when the file is damaged), its refusal if any, the edits after it."""

    path: Path
    entry: QueuedSave | None
    refusal: Refusal | None = None
    problem: str = ""  # why the file cannot be read
    later: tuple[QueuedSave, ...] = ()

    @property
    def save_id(self) -> str:
        return self.entry.save_id if self.entry is not None else save_id_of(self.path)

    @property
    def damaged(self) -> bool:
        return self.entry is None

    @property
    def reason(self) -> str:
        """Why it was not delivered, in one line (empty while it simply waits)."""
        if self.damaged:
            return one_line(self.problem)
        return one_line(self.refusal.reason) if self.refusal is not None else ""

    @property
    def latest(self) -> QueuedSave | None:
        """The newest version of the visit queued here: the last edit after it, else the save itself."""
        return self.later[-1] if self.later else self.entry

    @property
    def client_code(self) -> str:
        entry = self.latest
        client = entry.document.get("client") if entry is not None else None
        code = client.get("code") if isinstance(client, dict) else None
        return str(code) if code else "–"

    @property
    def visit_date(self) -> str:
        for entry in (self.latest, self.entry):
            if entry is not None and entry.date:
                return entry.date
        entry = self.latest
        date = entry.document.get("date") if entry is not None else None
        return str(date) if date else "–"

    @property
    def queued_at(self) -> str:
        return self.entry.queued_at if self.entry is not None else ""

    def session(self) -> Session:
        """The newest queued version as a session, with its visit date (SessionError when it cannot be read)."""
        entry = self.latest
        if entry is None:
            raise StoreError(f"{self.path}: the queued save is damaged: {self.problem}")
        session = entry.session()
        return dataclasses.replace(session, date=entry.date) if entry.date else session


def one_line(text: str, limit: int = MAX_REASON_CHARS) -> str:
    """A message in one line of at most ``limit`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def outbox_items(outbox: Outbox) -> list[OutboxItem]:
    """Every queued file, oldest first, with its refusal and (for the head of a chain) the edits after it."""
    refusals = {r.path: r for r in outbox.refusals()}
    read: list[tuple[Path, QueuedSave | None, str]] = []
    for path in outbox.files():
        try:
            read.append((path, outbox.read(path), ""))
        except StoreError as exc:
            read.append((path, None, str(exc)))
    entries = [entry for _path, entry, _problem in read if entry is not None]
    return [
        OutboxItem(path, entry, refusals.get(path), problem, _later(entry, entries) if entry is not None else ())
        for path, entry, problem in read
    ]


def refused_saves(outbox: Outbox) -> list[OutboxItem]:
    """The saves the server refused at their last delivery, and the damaged files, oldest first."""
    return [item for item in outbox_items(outbox) if item.refusal is not None or item.damaged]


def find(outbox: Outbox, ref: str) -> OutboxItem:
    """The queued save whose id is ``ref`` or starts with it (at least 4 characters); StoreError otherwise."""
    ref = ref.strip()
    items = outbox_items(outbox)
    exact = [item for item in items if item.save_id == ref]
    found = exact or ([item for item in items if item.save_id.startswith(ref)] if len(ref) >= 4 else [])
    if not found:
        raise StoreError(f"no queued save '{ref}' in the outbox of this database")
    if len(found) > 1:
        raise StoreError(f"'{ref}' names {len(found)} queued saves: give more of the id")
    return found[0]


def copy_name(item: OutboxItem) -> str:
    """The copy's file name: visit date and save id (never the client's name)."""
    date = item.visit_date if item.visit_date != "–" else "undated"
    return f"{date}-{item.save_id}{SUFFIX}"


def write_copy(item: OutboxItem, path: Path) -> Path:
    """Write the newest queued version to ``path``, a new file (StoreError when it exists or cannot be written)."""
    session = _session_or_error(item)
    try:
        _write_new(session, path)
    except FileExistsError:
        raise StoreError(f"{path}: a file of that name exists; nothing was written over it") from None
    except (OSError, sessions.SessionError) as exc:
        raise StoreError(f"{path}: cannot write the copy ({_why(exc)})") from None
    return path


def save_copy(item: OutboxItem, folder: Path) -> Path:
    """Write the newest queued version into ``folder`` under :func:`copy_name` (``-2``, ``-3``… when taken)."""
    session = _session_or_error(item)
    base = Path(copy_name(item)).stem
    for n in range(1, 1000):
        path = folder / (f"{base}{SUFFIX}" if n == 1 else f"{base}-{n}{SUFFIX}")
        try:
            _write_new(session, path)
            return path
        except FileExistsError:
            continue
        except (OSError, sessions.SessionError) as exc:
            raise StoreError(f"{path}: cannot write the copy ({_why(exc)})") from None
    raise StoreError(f"{folder}: too many copies of save {item.save_id} already")


def discard(outbox: Outbox, item: OutboxItem) -> list[str]:
    """Drop a queued save and the edits queued after it; the ids dropped."""
    if item.damaged:
        item.path.unlink(missing_ok=True)
        outbox.accepted(item.path)
        return [item.save_id]
    ids = [item.save_id, *(entry.save_id for entry in item.later)]
    for save_id in ids:
        outbox.discard(save_id)
    return ids


def _why(exc: Exception) -> str:
    return (exc.strerror if isinstance(exc, OSError) else None) or str(exc)


def _session_or_error(item: OutboxItem) -> Session:
    try:
        return item.session()
    except sessions.SessionError as exc:
        raise StoreError(f"{item.path}: the queued visit cannot be read ({exc})") from None


def _write_new(session: Session, path: Path) -> None:
    """Claim ``path`` (FileExistsError when taken), then write the session there atomically."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW, 0o600)
    os.close(fd)
    try:
        sessions.save(session, path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _later(first: QueuedSave, waiting: list[QueuedSave]) -> tuple[QueuedSave, ...]:
    ids = {first.save_id}
    chain: list[QueuedSave] = []
    for entry in waiting:
        if entry.after is not None and entry.after in ids and entry.save_id not in ids:
            chain.append(entry)
            ids.add(entry.save_id)
    return tuple(chain)


__all__ = [
    "OutboxItem",
    "copy_name",
    "discard",
    "find",
    "one_line",
    "outbox_items",
    "refused_saves",
    "save_copy",
    "write_copy",
]
