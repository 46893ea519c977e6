"""``.nmt`` files in and out of the store, and a client's whole record as a folder.

* Import: every file is read and checked before anything is written; one
  damaged file and nothing is imported. Each file goes to the client given,
  else to the client whose code matches the session's, else whose exact
  name matches (a file that matches nobody, or several clients, is refused:
  the app asks).
* Export of a visit: its stored session document as a ``.nmt`` file.
* Export of a client (the right of access to a health record): a new folder
  with ``record.json`` (the client, every visit with its figures, its
  session and its earlier versions, the bin included) and each visit's
  ``.nmt``. ``visit_hook(visit, folder)`` lets the caller add files per
  visit (the PDFs of the export module); it must name them without the
  client's name, like ``visit-2026-11-20-12.pdf``.

Files are owner-only; nothing of the user's is overwritten; the folder
appears complete or not at all.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nmt_bodymap import __version__
from nmt_bodymap import session as sessions
from nmt_bodymap.atomic import write_private
from nmt_bodymap.session import Session, SessionError
from nmt_bodymap.store import clients as client_rows
from nmt_bodymap.store import visits as visit_rows
from nmt_bodymap.store.errors import ImportRefused, StoreError
from nmt_bodymap.store.records import Client, Visit, VisitSummary, VisitVersion

if TYPE_CHECKING:
    from sqlalchemy import Connection

MAX_SESSION_BYTES = 20 * 1024 * 1024
RECORD_FORMAT = "nmt-bodymap-client-record"
RECORD_VERSION = 1


def read_session_file(path: Path) -> Session:
    """A session file, checked (regular file, size) before it is parsed; ImportRefused otherwise."""
    try:
        st = path.stat()
    except OSError as exc:
        raise ImportRefused(f"{path}: cannot read ({exc.strerror})") from None
    if not path.is_file():
        raise ImportRefused(f"{path}: not a regular file")
    if st.st_size > MAX_SESSION_BYTES:
        raise ImportRefused(f"{path}: too large for a session file ({st.st_size // 1_048_576} MB)")
    try:
        return sessions.load(path)
    except SessionError as exc:
        raise ImportRefused(str(exc)) from None


def match(conn: Connection, session: Session, source: Path) -> Client:
    """The client a session file belongs to: by code, then by exact name; ImportRefused otherwise."""
    if session.client_code:
        found = client_rows.by_code(conn, session.client_code)
        if found is not None:
            return found
    named = client_rows.by_name(conn, session.client_name) if session.client_name else []
    if len(named) == 1:
        return named[0]
    who = session.client_code or session.client_name or "no client"
    if len(named) > 1:
        raise ImportRefused(f"{source}: several clients match '{who}'; choose the client")
    raise ImportRefused(f"{source}: no client matches '{who}' (by code, then by name); choose the client")


def read_sessions(
    files: Iterable[str | os.PathLike[str]], date: dt.date | str | None = None
) -> list[tuple[Path, Session, dt.date]]:
    """Every file read and checked, with its visit date (``date`` overrides the sessions'), before any write."""
    paths = [Path(f) for f in files]
    if not paths:
        raise ImportRefused("no session files to import")
    override = visit_rows.parse_date(date, "date given") if date is not None else None
    parsed: list[tuple[Path, Session, dt.date]] = []
    for path in paths:
        session = read_session_file(path)
        try:
            when = override or visit_rows.parse_date(session.date, "session's date")
        except StoreError as exc:
            raise ImportRefused(f"{path}: {exc}; give the date") from None
        parsed.append((path, session, when))
    return parsed


def add_sessions(
    conn: Connection, user: str, parsed: list[tuple[Path, Session, dt.date]], client_id: int | None
) -> list[VisitSummary]:
    """Add the read sessions as visits, in the caller's (one) transaction."""
    added: list[int] = []
    for path, session, when in parsed:
        target = client_rows.get(conn, client_id) if client_id is not None else match(conn, session, path)
        added.append(visit_rows.add(conn, user, target.id, session, when, None))
    return [visit_rows.summary(conn, v) for v in added]


def _session_text(visit: Visit, client: Client) -> str:
    doc = dict(visit.document)
    doc["client"] = {"name": client.name, "code": client.code}
    doc["date"] = visit.summary.date.isoformat()
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


def visit_file_name(visit: VisitSummary, suffix: str = sessions.SUFFIX) -> str:
    """A file name for a visit's export: its date and number, never the client's name."""
    return f"visit-{visit.date.isoformat()}-{visit.id}{suffix}"


def export_visit(visit: Visit, client: Client, path: Path) -> Path:
    if path.exists():
        raise StoreError(f"{path}: already exists; choose another name")
    if not path.parent.is_dir():
        raise StoreError(f"{path}: folder '{path.parent}' does not exist")
    try:
        write_private(path, _session_text(visit, client))
    except OSError as exc:
        raise StoreError(f"{path}: cannot write ({exc.strerror})") from None
    return path


@dataclass(frozen=True)
class ClientRecord:
    """Everything the store holds about one client, read in one transaction."""

    client: Client
    visits: list[Visit]
    histories: dict[int, list[VisitVersion]]


def client_record(conn: Connection, client_id: int) -> ClientRecord:
    client = client_rows.get(conn, client_id, include_bin=True)
    rows = visit_rows.summaries(conn, client_id, include_bin=True)
    return ClientRecord(
        client,
        [visit_rows.get(conn, v.id, include_bin=True) for v in rows],
        {v.id: visit_rows.history(conn, v.id) for v in rows},
    )


def check_new_folder(folder: Path) -> Path:
    folder = folder.expanduser().absolute()
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise StoreError(f"{folder}: already exists and is not an empty folder; choose a new folder")
    if not folder.parent.is_dir():
        raise StoreError(f"{folder}: folder '{folder.parent}' does not exist")
    return folder


def export_client(record: ClientRecord, folder: Path, visit_hook: Callable[[Visit, Path], None] | None = None) -> Path:
    """Write ``record`` into the new folder ``folder``; it appears complete or not at all."""
    folder = check_new_folder(folder)
    client, visits, histories = record.client, record.visits, record.histories
    work = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".nmt-export-"))  # 0700
    try:
        entries: list[dict[str, Any]] = []
        for visit in visits:
            name = visit_file_name(visit.summary)
            write_private(work / name, _session_text(visit, client))
            entries.append(
                {
                    **visit.summary.to_dict(),
                    "in_bin": visit.summary.in_bin,
                    "file": name,
                    "session": visit.document,
                    "earlier_versions": [h.to_dict() for h in histories[visit.id]],
                }
            )
            if visit_hook is not None:
                visit_hook(visit, work)
        document = {
            "format": RECORD_FORMAT,
            "version": RECORD_VERSION,
            "app_version": __version__,
            "exported": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
            "client": {**client.to_dict(), "in_bin": client.in_bin},
            "visits": entries,
        }
        write_private(work / "record.json", json.dumps(document, indent=1, ensure_ascii=False) + "\n")
        if folder.exists():
            folder.rmdir()  # empty, checked above
        os.replace(work, folder)
    except OSError as exc:
        shutil.rmtree(work, ignore_errors=True)
        raise StoreError(f"{folder}: cannot write the export ({exc.strerror or exc})") from None
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return folder
