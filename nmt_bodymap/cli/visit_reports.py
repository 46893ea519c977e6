"""Session reports drawn by the command line: with the client's progress, and for each visit of an export.

``export --report --client CLIENT`` takes the client's stored visits dated
before the session as its history (the session itself is the last visit:
its figures come from the file); ``clients export`` writes each visit's
report PDF beside its ``.nmt`` (:func:`report_hook`). Painting needs Qt, so
this module is imported only when one of these commands runs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from nmt_bodymap.cli._common import CliError

if TYPE_CHECKING:
    from nmt_bodymap.atlas import Atlas
    from nmt_bodymap.report import Document
    from nmt_bodymap.session import Session
    from nmt_bodymap.store import Client, Store, Visit, VisitSummary
    from nmt_bodymap.visit_history import HistoryRow, VisitPoint

REPORT_SUFFIX = "-report.pdf"


def _same(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def check_session_client(session: Session, client: Client) -> None:
    """Refuse to put one client's progress on another client's session."""
    if session.client_code.strip():
        if not _same(session.client_code, client.code):
            raise CliError(f"the session is for client {session.client_code.strip()}, not {client.code}")
    elif session.client_name.strip() and not _same(session.client_name, client.name):
        raise CliError(f"the session is for another client than {client.code}")


def session_history(store: Store, client: Client, session: Session) -> list[VisitPoint]:
    """The client's stored visits dated before the session, then the session itself."""
    from nmt_bodymap.session import SessionError
    from nmt_bodymap.visit_history import earlier_visits, history_with_session, session_date

    check_session_client(session, client)
    try:
        day = session_date(session)
    except SessionError as exc:
        raise CliError(str(exc)) from None
    earlier = earlier_visits(store.visits(client.id), day)
    previous = store.visit(earlier[-1].id).session.marks if earlier else None
    return history_with_session(earlier, session, previous)


def report_document(
    session: Session,
    atlas: Atlas,
    kind: str = "report",
    views: list[str] | None = None,
    *,
    anonymize: bool = False,
    practice: str = "",
    zones: int = 0,
    history: Sequence[HistoryRow] | None = None,
) -> Document:
    """Rank the session's drawing and decide the export's content."""
    from nmt_bodymap.chart import load_chart
    from nmt_bodymap.lookup import LookupEngine
    from nmt_bodymap.report import plan

    result = LookupEngine(atlas, load_chart()).rank(session.marks, session.findings)
    return plan(
        session, atlas, result, kind, views, anonymize=anonymize, practice=practice, show_zones=zones, history=history
    )


def report_hook(practice: str) -> Callable[[Visit, Path], None]:
    """``clients export``'s visit hook: each visit's report PDF, named by date and number, with its progress.

    The store calls it for every visit, oldest first (those in the bin too);
    a visit's history is the client's visits up to it, those in the bin left out.
    """
    from nmt_bodymap.atlas import shipped_atlas
    from nmt_bodymap.atomic import replace_with
    from nmt_bodymap.render.export import ExportError, write
    from nmt_bodymap.render.qt import ensure_gui_app
    from nmt_bodymap.store import visit_file_name

    ensure_gui_app()
    atlas = shipped_atlas()
    timeline: list[VisitSummary] = []

    def write_report(visit: Visit, folder: Path) -> None:
        if not visit.summary.in_bin:
            timeline.append(visit.summary)
        history = list(timeline) if not visit.summary.in_bin else None
        doc = report_document(visit.session, atlas, practice=practice, history=history)
        name = visit_file_name(visit.summary, REPORT_SUFFIX)
        try:
            replace_with(folder / name, lambda tmp: write(doc, tmp))
        except ExportError as exc:
            raise CliError(f"the report of visit #{visit.id}: {exc}") from None

    return write_report
