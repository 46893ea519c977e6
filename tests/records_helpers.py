"""Shared helpers of the records UI tests: a window on a fresh practice, and a course of treatment."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from nmt_bodymap import session as sessions
from nmt_bodymap.chart import Chart, load_chart
from nmt_bodymap.session import SoapNotes, Treatment

#: (date, disc radius mm at the low back, buttock radius or 0, intensity, pain before, after) per visit
COURSE = [
    ("2026-11-03", 45.0, 30.0, 7, 7, 5),
    ("2026-11-10", 40.0, 22.0, 6, 6, 4),
    ("2026-11-17", 32.0, 12.0, 5, 5, 3),
    ("2026-11-24", 26.0, 0.0, 4, 4, 2),
    ("2026-12-01", 20.0, 0.0, 3, 3, 1),
]


def low_back_visit(
    chart: Chart, date: str, radius: float, buttock: float, intensity: int, before: int, after: int
) -> sessions.Session:
    """A low-back (and buttock) pain drawing with its notes and treatment."""
    view = chart.view("posterior")
    s = sessions.Session(date=date, therapist="R. Lee")
    lm = view.landmark("low-back", "right")
    s.marks.append(sessions.disc_mark(chart, "m1", "posterior", lm.x, lm.y, radius, "aching", intensity))
    if buttock:
        b = view.landmark("buttock", "right")
        s.marks.append(sessions.disc_mark(chart, "m2", "posterior", b.x, b.y, buttock, "sharp", intensity))
    s.soap = SoapNotes(
        subjective=f"Low back pain, worse after sitting ({date}).",
        objective="Tender right quadratus lumborum; flexion limited.",
        assessment="Quadratus lumborum trigger points, improving.",
        plan="Weekly treatment; stretch at home.",
    )
    s.treatment = Treatment(("quadratus-lumborum/sup-upper:right",), "ischemic compression", before, after)
    s.findings = {"quadratus-lumborum/sup-upper:right": "active"}
    s.notes = "Sits at a desk all day."
    return s


def add_course(store: object, client_id: int, visits: int = len(COURSE), close: bool = True) -> list[int]:
    """Record the first ``visits`` visits of :data:`COURSE` for a client (closed, like finished visits)."""
    chart = load_chart()
    ids = []
    for date, radius, buttock, intensity, before, after in COURSE[:visits]:
        summary = store.add_visit(client_id, low_back_visit(chart, date, radius, buttock, intensity, before, after))  # type: ignore[attr-defined]
        if close:
            summary = store.close_visit(summary.id)  # type: ignore[attr-defined]
        ids.append(summary.id)
    return ids


def today_plus(days: int) -> str:
    return (dt.date.today() + dt.timedelta(days=days)).isoformat()


__all__ = ["COURSE", "add_course", "low_back_visit", "replace", "today_plus"]
