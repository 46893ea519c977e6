"""A client's visits as plain rows for the report's progress page and the handout's progress words.

The report never reads the store: the app and the command line fetch the
client's visits (``Store.visits``: :class:`~nmt_bodymap.store.VisitSummary`
rows) and hand them to :func:`nmt_bodymap.report.plan` as ``history``, the
visits up to and including the one reported, oldest first. Any object with
the attributes of :class:`HistoryRow` will do; :class:`VisitPoint` is the
plain copy the document keeps.

A session that is not (or not yet) stored gets its row from its own drawing
(:func:`visit_point`); :func:`history_with_session` puts it after the stored
visits dated before it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from nmt_bodymap import progress
from nmt_bodymap.chart import Chart
from nmt_bodymap.session import PainMark, Session, SessionError


class ProgressPoint(Protocol):
    """What the progress plot reads from a visit (a stored ``VisitSummary`` fits)."""

    @property
    def date(self) -> dt.date: ...
    @property
    def extent_percent(self) -> float: ...
    @property
    def max_intensity(self) -> int | None: ...
    @property
    def mean_intensity(self) -> float | None: ...
    @property
    def pain_before(self) -> int | None: ...
    @property
    def pain_after(self) -> int | None: ...


class HistoryRow(ProgressPoint, Protocol):
    """What the progress page reads from a visit (a stored ``VisitSummary`` fits)."""

    @property
    def weighted_area_mm2(self) -> float: ...
    @property
    def jaccard_previous(self) -> float | None: ...


@dataclass(frozen=True)
class VisitPoint:
    """One visit's progress figures (definitions in :mod:`nmt_bodymap.progress`)."""

    date: dt.date
    extent_percent: float
    weighted_area_mm2: float
    max_intensity: int | None
    mean_intensity: float | None
    pain_before: int | None
    pain_after: int | None
    jaccard_previous: float | None = None

    @classmethod
    def of(cls, row: HistoryRow) -> VisitPoint:
        return cls(
            row.date,
            float(row.extent_percent),
            float(row.weighted_area_mm2),
            row.max_intensity,
            row.mean_intensity,
            row.pain_before,
            row.pain_after,
            row.jaccard_previous,
        )


def session_date(session: Session) -> dt.date:
    """The session's date; SessionError when it is not YYYY-MM-DD."""
    try:
        return dt.date.fromisoformat(session.date.strip())
    except ValueError:
        raise SessionError(f"the session's date '{session.date}' is not a date (YYYY-MM-DD)") from None


def visit_point(
    session: Session, previous_marks: Iterable[PainMark] | None = None, chart: Chart | None = None
) -> VisitPoint:
    """The session's own row: its figures, and its overlap with the previous visit's drawing when given."""
    metrics = progress.visit_metrics(session, chart)
    overlap = progress.jaccard(previous_marks, session.marks, chart) if previous_marks is not None else None
    return VisitPoint(
        session_date(session),
        metrics.extent_percent,
        metrics.weighted_area_mm2,
        metrics.max_intensity,
        metrics.mean_intensity,
        metrics.pain_before,
        metrics.pain_after,
        overlap,
    )


Row = TypeVar("Row", bound=HistoryRow)


def earlier_visits(rows: Iterable[Row], day: dt.date) -> list[Row]:
    """The rows dated before ``day``, oldest first (visits on the day itself are the one reported)."""
    return sorted((r for r in rows if r.date < day), key=lambda r: r.date)


def history_with_session(
    earlier: Sequence[HistoryRow], session: Session, previous_marks: Iterable[PainMark] | None = None
) -> list[VisitPoint]:
    """``earlier`` visits then the session itself: the ``history`` of a report of an unsaved session.

    ``previous_marks`` is the drawing of the last of ``earlier`` (for the overlap).
    """
    return [VisitPoint.of(r) for r in earlier] + [visit_point(session, previous_marks)]


def up_to(history: Iterable[HistoryRow], day: dt.date) -> list[VisitPoint]:
    """The visits on or before ``day``, oldest first: a report never shows visits after its own."""
    return [VisitPoint.of(r) for r in sorted(history, key=lambda r: r.date) if r.date <= day]
