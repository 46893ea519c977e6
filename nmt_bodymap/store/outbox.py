"""The outbox: visit saves that could not reach the clinic server, kept on this computer until they can.

A save that fails with :class:`ServerUnreachable` is written to a local
queue instead of being lost; :func:`nmt_bodymap.store.delivery.flush_outbox`
delivers the queue, oldest first, when the server answers again (the app
calls it on a timer and on every save; ``save_visit`` there saves now or
queues). Qt-free, so the command line and the app share it. This module is
the queue itself.

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
* A save refused for another reason (its client is no longer there, the
  role may not write, its file is damaged) is kept too, and why is written
  beside it (``<file>.refused``: :meth:`Outbox.refuse`, listed cheaply by
  :meth:`Outbox.refusals`) until it is delivered or discarded, so the app
  and the command line can show it (:mod:`nmt_bodymap.store.refused`).
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
from nmt_bodymap.session import Session
from nmt_bodymap.store import saves
from nmt_bodymap.store import visits as visit_rows
from nmt_bodymap.store.errors import StoreError
from nmt_bodymap.store.location import Database

if TYPE_CHECKING:
    pass

FORMAT = "nmt-bodymap-outbox"
VERSION = 1
MAX_ENTRY_BYTES = 20 * 1024 * 1024
_LOCK_NAME = ".flush.lock"
REFUSAL_SUFFIX = ".refused"
MAX_REFUSAL_BYTES = 64 * 1024


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


@dataclass(frozen=True)
class Refusal:
    """Why the last delivery of the queued save in ``path`` was refused (not a conflict), and when."""

    path: Path
    reason: str
    refused_at: str

    @property
    def save_id(self) -> str:
        return save_id_of(self.path)


def save_id_of(path: Path) -> str:
    """The save id in a queued file's name (``<queue order>-<save id>.json``)."""
    return path.stem.split("-", 1)[-1]


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
        return len(self.files())

    def files(self) -> list[Path]:
        """The queued saves' files, oldest first."""
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
        for path in self.files():
            with contextlib.suppress(StoreError):
                out.append(self.read(path))
        return out

    def read(self, path: Path) -> QueuedSave:
        """One queued save from its file (size checked first); StoreError naming the file when it cannot."""
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
        for path in self.files():
            if path.stem.endswith(save_id):
                return path
        return None

    def discard(self, save_id: str) -> None:
        """Drop a queued save (the app resolved its conflict another way, or the therapist let it go)."""
        path = self._path_of(save_id)
        if path is not None:
            path.unlink(missing_ok=True)
            self.accepted(path)

    def refuse(self, path: Path, reason: str) -> None:
        """Remember, beside the queued file, why its delivery was refused (best effort: never fails a flush)."""
        body = {"reason": reason[: MAX_REFUSAL_BYTES // 4], "refused_at": _now()}
        with contextlib.suppress(OSError):
            write_private(path.with_suffix(REFUSAL_SUFFIX), json.dumps(body, ensure_ascii=False))

    def accepted(self, path: Path) -> None:
        """Forget the refusal of the queued file ``path`` (delivered, discarded, or now a conflict)."""
        with contextlib.suppress(OSError):
            path.with_suffix(REFUSAL_SUFFIX).unlink(missing_ok=True)

    def refusals(self) -> list[Refusal]:
        """The queued saves whose last delivery was refused, oldest first (no queued save is read)."""
        if not self.folder.is_dir():
            return []
        queued = set(self.files())
        out = []
        for note in sorted(p for p in self.folder.iterdir() if p.suffix == REFUSAL_SUFFIX):
            path = note.with_suffix(".json")
            if path not in queued:  # delivered or discarded by an older version: the note is stale
                with contextlib.suppress(OSError):
                    note.unlink()
                continue
            out.append(_read_refusal(note, path))
        return out

    @contextlib.contextmanager
    def flushing(self) -> Iterator[bool]:
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


def _read_refusal(note: Path, path: Path) -> Refusal:
    try:
        if note.stat().st_size > MAX_REFUSAL_BYTES:
            raise ValueError("too large")
        body = json.loads(note.read_text(encoding="utf-8"))
        return Refusal(path, str(body["reason"]), str(body.get("refused_at", "")))
    except (OSError, ValueError, TypeError, KeyError):
        return Refusal(path, "refused (the reason could not be read back)", "")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def _date_text(value: dt.date | str | None) -> str | None:
    if value is None:
        return None
    return visit_rows.parse_date(value).isoformat()
