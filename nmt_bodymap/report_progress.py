"""The report's progress page and the handout's progress words, from the client's visits (Qt-free).

When the client has earlier visits, the session report ends with a page of
its own: the progress plot (pain extent, intensity, pain before and after
treatment over the visits), one line of what changed since the first visit,
and a table of every visit's figures. The handout gets a short section
telling the client, in plain words, how their pain has changed
(:mod:`nmt_bodymap.progress_words`).

``history`` is the client's visits up to and including the one reported,
oldest first (:mod:`nmt_bodymap.visit_history`).
"""

from __future__ import annotations

from collections.abc import Sequence

from nmt_bodymap.document import Cell, ProgressPlotSection, Section, TableSection, TextSection
from nmt_bodymap.progress_words import change_for_client, change_for_therapist
from nmt_bodymap.visit_history import VisitPoint

PROGRESS_TITLE = "Progress over the visits"
HANDOUT_TITLE = "How your pain has changed"
VISIT_COLUMNS = [
    ("Date", 0.17),
    ("Pain extent", 0.12),
    ("Weighted area", 0.14),
    ("Max intensity", 0.12),
    ("Mean intensity", 0.12),
    ("Pain before → after", 0.16),
    ("Overlap with the previous", 0.17),
]
VISITS_INTRO = (
    "Pain extent: the painted share of the body surface. Weighted area: the painted area times "
    "intensity / 10. Intensities are those drawn (0–10); pain before and after is the client's own "
    "rating. Overlap: the share of the two drawings' combined area that both cover (Jaccard index)."
)


def _value(value: float | None, digits: int = 1, unit: str = "") -> str:
    return "–" if value is None else f"{value:.{digits}f}{unit}"


def _extent(percent: float) -> str:
    if percent <= 0:
        return "0 %"
    return "< 0.1 %" if percent < 0.05 else f"{percent:.1f} %"


def _rating(before: int | None, after: int | None) -> str:
    if before is None and after is None:
        return "–"
    return f"{'–' if before is None else before} → {'–' if after is None else after}"


def visits_table(points: Sequence[VisitPoint]) -> TableSection:
    rows = []
    last = len(points) - 1
    for i, v in enumerate(points):
        rows.append(
            [
                Cell(v.date.isoformat(), note="this visit" if i == last else ""),
                Cell(_extent(v.extent_percent)),
                Cell(f"{v.weighted_area_mm2 / 100:.1f} cm²"),
                Cell("–" if v.max_intensity is None else str(v.max_intensity)),
                Cell(_value(v.mean_intensity)),
                Cell(_rating(v.pain_before, v.pain_after)),
                Cell("–" if v.jaccard_previous is None else f"{round(100 * v.jaccard_previous)} %"),
            ]
        )
    return TableSection("Visits", VISIT_COLUMNS, rows, intro=VISITS_INTRO)


def progress_sections(points: Sequence[VisitPoint]) -> list[Section]:
    """The progress page: plot with the change line, then the visits; nothing without earlier visits."""
    if len(points) < 2:
        return []
    return [ProgressPlotSection(PROGRESS_TITLE, list(points), change_for_therapist(points), visits_table(points))]


def handout_progress(points: Sequence[VisitPoint]) -> TextSection | None:
    """The handout's plain-words change since the first visit; None without earlier visits or comparable figures."""
    sentences = change_for_client(points)
    return TextSection(HANDOUT_TITLE, [" ".join(sentences)]) if sentences else None
