"""The privacy duties of a health record: export everything about a client, erase a client.

* **Export** (the client's right of access): a new folder with
  ``record.json`` (the client, every visit with its figures, its session
  and its earlier versions), each visit's ``.nmt`` and each visit's session
  report as a PDF. File names carry dates and numbers, never the name.
* **Erase** (the right to be forgotten): the client, every visit and every
  earlier version leave the database (its deleted pages overwritten); the
  autosaved work of theirs is deleted; the recent-files entries of their
  session files are forgotten. Their session files saved elsewhere are the
  user's files and stay; backups made before keep them until they rotate
  out. The confirmation says all of that before anything happens.
"""

from __future__ import annotations

import contextlib
import os
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings

from nmt_bodymap.atlas import Atlas
from nmt_bodymap.chart import Chart
from nmt_bodymap.session import Session, SessionError, load

if TYPE_CHECKING:
    from nmt_bodymap.store import Client, Visit

RECENT_KEY = "files/recent"
MAX_SCANNED_BYTES = 16 * 1024 * 1024


def fold(text: str) -> str:
    """Case- and accent-insensitive, spaces collapsed (as the store compares names and codes)."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def session_of(session: Session, client: Client) -> bool:
    """Whether a session is about ``client``: its code, or with no code its exact name."""
    if session.client_code:
        return fold(session.client_code) == fold(client.code)
    return bool(session.client_name) and bool(client.name) and fold(session.client_name) == fold(client.name)


def _read(path: Path) -> Session | None:
    try:
        if not path.is_file() or path.stat().st_size > MAX_SCANNED_BYTES:
            return None
        return load(path)
    except (OSError, SessionError):
        return None


def autosaves_of(folder: Path, client: Client) -> list[Path]:
    """The autosaved sessions (``.nmt``) in ``folder`` that are about ``client``."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.nmt")):
        session = _read(path)
        if session is not None and session_of(session, client):
            found.append(path)
    return found


def recent_of(recent: Iterable[str], client: Client) -> list[str]:
    """Recent-files entries that are the client's: read as theirs, or named with their code (the default name)."""
    code = fold(client.code)
    out = []
    for entry in recent:
        path = Path(entry)
        session = _read(path)
        if session is not None:
            if session_of(session, client):
                out.append(entry)
        elif code and fold(path.stem).startswith(code + "-"):
            out.append(entry)
    return out


def recent_files(settings: QSettings) -> list[str]:
    value = settings.value(RECENT_KEY, [])
    return [str(v) for v in (value if isinstance(value, list) else [value] if value else [])]


@dataclass(frozen=True)
class ErasePlan:
    """What erasing a client will do, found before asking."""

    client: Client
    autosaves: list[Path]
    recent: list[str]

    def describe(self) -> str:
        c = self.client
        who = f"{c.name} ({c.code})" if c.name else c.code
        n = c.visit_count
        lines = [
            f"Erase {who} completely?",
            "",
            f"• The client, their {n} visit{'s' if n != 1 else ''} and every earlier version are removed from the "
            "practice database, the bin included.",
        ]
        if self.autosaves:
            lines.append(
                f"• {len(self.autosaves)} autosaved session{'s' if len(self.autosaves) != 1 else ''} of "
                "theirs will be deleted."
            )
        if self.recent:
            lines.append(
                f"• {len(self.recent)} recent-files entr{'ies' if len(self.recent) != 1 else 'y'} of their "
                "session files will be forgotten (the files themselves stay where you saved them)."
            )
        lines += [
            "• Backups made before today still hold the client until they rotate out (14 days), or until you "
            "delete them.",
            "",
            "There is no undo. To keep a copy first, use Export record.",
        ]
        return "\n".join(lines)


def plan_erase(client: Client, autosave_folder: Path, settings: QSettings) -> ErasePlan:
    return ErasePlan(client, autosaves_of(autosave_folder, client), recent_of(recent_files(settings), client))


def erase_traces(plan: ErasePlan, settings: QSettings) -> None:
    """Delete the client's autosaves and forget their recent files (after the database erase)."""
    for path in plan.autosaves:
        for extra in (path, path.with_suffix(".json"), path.with_suffix(".lock")):
            with contextlib.suppress(OSError):
                extra.unlink(missing_ok=True)
    gone = set(plan.recent)
    settings.setValue(RECENT_KEY, [p for p in recent_files(settings) if p not in gone])
    settings.sync()


def report_writer(chart: Chart, atlas: Atlas, practice: str) -> Callable[[Visit, Path], None]:
    """A ``visit_hook`` for :meth:`Store.export_client`: each visit's session report as a PDF."""
    from nmt_bodymap.lookup import LookupEngine
    from nmt_bodymap.render.export import write
    from nmt_bodymap.report import plan
    from nmt_bodymap.store import visit_file_name

    engine = LookupEngine(atlas, chart)

    def write_report(visit: Visit, folder: Path) -> None:
        session = visit.session
        result = engine.rank(session.marks, session.findings)
        target = folder / visit_file_name(visit.summary, ".pdf")
        write(plan(session, atlas, result, "report", practice=practice), target, dpi=150.0)
        with contextlib.suppress(OSError):
            os.chmod(target, 0o600)

    return write_report


__all__ = ["ErasePlan", "autosaves_of", "erase_traces", "plan_erase", "recent_of", "report_writer", "session_of"]
