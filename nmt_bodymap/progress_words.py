"""How the pain has changed since the first visit: in words for the client, and in figures for the therapist.

The client's handout says it in a sentence or two a client reads without a
glossary ("The area of your pain is about half what it was on 3 November.")
and never as a promise; the report's progress page says it in figures.

The area compared is the pain extent (the painted share of the body
surface, :mod:`nmt_bodymap.progress`). Its ratio, now to then, is named by
the nearest everyday fraction (:data:`AREA_WORDS`): ratios from 0.9 to 1.11
are "about the same", since two drawings of the same pain differ by about
that much. The pain rating compared is the client's own 0–10 rating before
treatment. Each comparison starts at the first visit that has the figure,
and names its date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from nmt_bodymap.visit_history import HistoryRow

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

#: (upper bound of the ratio now / then, how the sentence goes); ``{day}`` is the earlier visit's date.
AREA_WORDS: tuple[tuple[float, str], ...] = (
    (0.2, "The area of your pain is much smaller than it was on {day}."),
    (0.29, "The area of your pain is about a quarter of what it was on {day}."),
    (0.42, "The area of your pain is about a third of what it was on {day}."),
    (0.58, "The area of your pain is about half what it was on {day}."),
    (0.72, "The area of your pain is about two thirds of what it was on {day}."),
    (0.9, "The area of your pain is a little smaller than it was on {day}."),
    (1.11, "The area of your pain is about the same as it was on {day}."),
    (1.4, "The area of your pain is a little larger than it was on {day}."),
    (1.75, "The area of your pain is about one and a half times what it was on {day}."),
    (2.5, "The area of your pain is about twice what it was on {day}."),
    (float("inf"), "The area of your pain is much larger than it was on {day}."),
)
NO_PAIN_NOW = "At this visit you marked no pain on the body chart; on {day} you did."
#: An extent below this share of the body (%) counts as nothing drawn.
NOTHING_DRAWN = 1e-6


def day_words(day: dt.date, today: dt.date | None = None) -> str:
    """``3 November``; with the year when it is not the year of ``today``."""
    words = f"{day.day} {MONTHS[day.month - 1]}"
    return words if today is not None and today.year == day.year else f"{words} {day.year}"


def area_sentence(then: float, now: float, day: str) -> str | None:
    """The client's sentence for a pain extent of ``then`` % on ``day`` and ``now`` % at this visit."""
    if then <= NOTHING_DRAWN:
        return None
    if now <= NOTHING_DRAWN:
        return NO_PAIN_NOW.format(day=day)
    ratio = now / then
    return next(text for bound, text in AREA_WORDS if ratio < bound).format(day=day)


def rating_sentence(then: int, now: int, day: str) -> str:
    """The client's sentence for their pain before treatment, ``then`` on ``day`` and ``now`` at this visit."""
    if then == now:
        return f"Before treatment you rated your pain {now} out of 10 at this visit, the same as on {day}."
    return f"Before treatment you rated your pain {then} out of 10 on {day}, and {now} out of 10 at this visit."


def change_for_client(history: Sequence[HistoryRow]) -> list[str]:
    """One or two sentences on how the pain has changed since the first visit; empty without earlier visits.

    ``history`` is the client's visits oldest first, the last being this visit.
    """
    if len(history) < 2:
        return []
    *earlier, latest = history
    today = latest.date
    out: list[str] = []
    drawn = next((v for v in earlier if v.extent_percent > NOTHING_DRAWN), None)
    if drawn is not None:
        sentence = area_sentence(drawn.extent_percent, latest.extent_percent, day_words(drawn.date, today))
        if sentence:
            out.append(sentence)
    rated = next((v for v in earlier if v.pain_before is not None), None)
    if rated is not None and rated.pain_before is not None and latest.pain_before is not None:
        out.append(rating_sentence(rated.pain_before, latest.pain_before, day_words(rated.date, today)))
    return out


def _figure(value: float | None, digits: int = 1, unit: str = "") -> str:
    return "–" if value is None else f"{value:.{digits}f}{unit}"


def change_for_therapist(history: Sequence[HistoryRow]) -> str:
    """One line of figures: what changed from the first visit to this one; empty without earlier visits."""
    if len(history) < 2:
        return ""
    first, latest = history[0], history[-1]
    parts = [
        f"pain extent {_figure(first.extent_percent, 2, ' %')} → {_figure(latest.extent_percent, 2, ' %')}",
        f"weighted area {first.weighted_area_mm2 / 100:.1f} → {latest.weighted_area_mm2 / 100:.1f} cm²",
        f"maximum intensity {_n(first.max_intensity)} → {_n(latest.max_intensity)}",
        f"pain before treatment {_n(first.pain_before)} → {_n(latest.pain_before)}",
    ]
    if first.extent_percent > NOTHING_DRAWN:
        parts[0] += f" ({latest.extent_percent / first.extent_percent:.2f} × the first)"
    return f"Since the first visit ({first.date.isoformat()}): " + "; ".join(parts) + "."


def _n(value: int | None) -> str:
    return "–" if value is None else str(value)
