"""A visit with its whole record (red flags, SOAP, treatment) and a client with three visits in a real store.

:func:`recorded_session` is the busy export session of ``export_sessions``
with a therapist, a red-flag screen, SOAP notes and a treatment.
:func:`practice_with_history` builds a SQLite practice database in which the
client C-042 has two earlier visits (larger drawings, higher pain ratings)
and this visit.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from export_sessions import MARKS, busy_session

from nmt_bodymap.chart import load_chart
from nmt_bodymap.red_flags import RedFlagScreen
from nmt_bodymap.session import PainMark, Session, SoapNotes, Treatment, disc_mark, save
from nmt_bodymap.store import Store, open_store

THERAPIST = "Jordan Rivers"
SOAP = SoapNotes(
    subjective="Right-sided headaches three or four days a week since starting a desk job.\n"
    "Worse late in the day; eased by walking.",
    objective="Forward head posture; right shoulder high. Active trigger point in the right upper trapezius.",
    assessment="",  # not written: the report leaves the part out
    plan="Weekly for three weeks; home care for the upper trapezius and sternocleidomastoid.",
)
TREATMENT = Treatment(
    trigger_points=("trapezius/trp1:right", "sternocleidomastoid/trp2:right"),
    technique="Ischemic compression, then passive stretch and moist heat",
    pain_before=4,
    pain_after=2,
)
#: The two earlier visits: date, how much larger each disc's radius, pain before and after.
EARLIER = [("2026-11-03", 1.45, 7, 4), ("2026-11-12", 1.2, 6, 3)]
THIS_VISIT = "2026-11-24"


def recorded_session(flags: tuple[str, ...] = ("chest-pain",), screened: bool = True) -> Session:
    session = busy_session()
    session.therapist = THERAPIST
    session.red_flags = RedFlagScreen(screened, flags, "Asked twice; pain on climbing stairs." if flags else "")
    session.soap = SOAP
    session.treatment = TREATMENT
    return session


def scaled_marks(factor: float) -> list[PainMark]:
    """The busy visit's marks with every radius times ``factor``."""
    chart = load_chart()
    out = []
    for view, landmark, side, radius, quality, intensity in MARKS:
        p = chart.view(view).landmark(landmark, side)
        out.append(disc_mark(chart, f"m{len(out) + 1}", view, p.x, p.y, radius * factor, quality, intensity))
    return out


def earlier_session(date: str, factor: float, before: int, after: int) -> Session:
    session = recorded_session(flags=())
    session.date = date
    session.marks = scaled_marks(factor)
    session.treatment = dataclasses.replace(TREATMENT, pain_before=before, pain_after=after)
    return session


def practice_with_history(folder: Path, this_visit: bool = True) -> Path:
    """A practice database with client C-042's two earlier visits (and this one unless told not)."""
    db = folder / "practice.sqlite3"
    session = recorded_session()
    with open_store(db) as store:
        client = store.add_client(session.client_code, session.client_name)
        for date, factor, before, after in EARLIER:
            store.add_visit(client.id, earlier_session(date, factor, before, after))
        if this_visit:
            store.add_visit(client.id, session)
    return db


def write_recorded_session(folder: Path, **options: object) -> Path:
    path = folder / "recorded.nmt"
    save(recorded_session(**options), path)  # type: ignore[arg-type]
    return path


def client_visits(db: Path, code: str = "C-042") -> list:
    store: Store
    with open_store(db, create=False) as store:
        return store.visits(store.find_client(code).id)
