"""What goes on an exported page, decided without Qt.

Three documents can be exported from a session:

* **chart**: the annotated chart: the chosen views with the pain marks, the
  trigger points confirmed by palpation (X), optionally the top candidates'
  zones, a quality legend and a title block;
* **report**: the chart, then the ranked candidates with their explanations,
  the combination, entrapments, the five-cause assessment and the notes;
* **handout**: for each confirmed or chosen muscle, where it is and where it
  refers, and its self-care in the client's words.

:func:`plan` turns a session into a :class:`Document`; ``render/export.py``
paints it. Anonymizing leaves the client's name out of the document
entirely, metadata included.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from nmt_bodymap import __version__
from nmt_bodymap.atlas import CAUSES, SELF_CARE_KINDS, Atlas, SidedTriggerPoint
from nmt_bodymap.chart import VIEWS
from nmt_bodymap.lookup import Candidate, EntrapmentCandidate, LookupResult, pct
from nmt_bodymap.session import LEVELS, QUALITIES, QUALITY_TITLES, PainMark, Session

KINDS = ("chart", "report", "handout")
DEFAULT_VIEWS = ("anterior", "posterior")
DISCLAIMER = "Decision support for trained therapists, not a diagnosis."
SIDE = {"right": "right", "left": "left", "midline": "midline"}


class ReportError(ValueError):
    """A bad export request (unknown kind or view)."""


@dataclass
class Figure:
    """Chart views with what is drawn on them."""

    views: list[str]
    marks: list[PainMark]
    confirmed: list[tuple[SidedTriggerPoint, str]]  # (trigger point, "active" or "latent")
    zones: list[SidedTriggerPoint]  # candidates whose zones are drawn


@dataclass
class HandoutItem:
    muscle_id: str
    name: str
    sides: list[str]
    patterns: list[SidedTriggerPoint]
    where: str  # where it refers, in plain words
    self_care: list[tuple[str, str]]  # (kind title, text)


@dataclass
class Document:
    kind: str
    title: str
    subtitle: list[str]  # date, client, practice: the title block
    metadata_title: str  # for PDF/SVG metadata: never the client's name when anonymized
    figure: Figure | None
    legend: list[tuple[str, str]]  # (quality id, title) of the qualities drawn
    candidates: list[Candidate] = field(default_factory=list)
    combination: str = ""
    unexplained: str = ""
    entrapments: list[EntrapmentCandidate] = field(default_factory=list)
    assessment: list[tuple[str, str, str]] = field(default_factory=list)  # (cause, level, note)
    notes: str = ""
    handout: list[HandoutItem] = field(default_factory=list)
    footer: str = ""


def check_views(views: list[str]) -> list[str]:
    bad = [v for v in views if v not in VIEWS]
    if bad:
        raise ReportError(f"unknown view '{bad[0]}' (views: {', '.join(VIEWS)})")
    if not views:
        raise ReportError("choose at least one view")
    return views


def confirmed_trigger_points(session: Session, atlas: Atlas) -> list[tuple[SidedTriggerPoint, str]]:
    by_key = atlas.by_key()
    out = []
    for key, finding in sorted(session.findings.items()):
        if finding in ("active", "latent") and key in by_key:
            out.append((by_key[key], finding))
    return out


def handout_muscles(session: Session, atlas: Atlas) -> list[str]:
    """Muscles for the handout: chosen ones, then those palpated active or latent."""
    chosen = [m for m in session.handout if m in atlas.muscles]
    for sided, _finding in confirmed_trigger_points(session, atlas):
        if sided.muscle.id not in chosen:
            chosen.append(sided.muscle.id)
    return chosen


def plan(
    session: Session,
    atlas: Atlas,
    result: LookupResult,
    kind: str = "chart",
    views: list[str] | None = None,
    anonymize: bool = False,
    practice: str = "",
    show_zones: int = 0,
    today: dt.date | None = None,
) -> Document:
    """Decide the content of an export."""
    if kind not in KINDS:
        raise ReportError(f"unknown export kind '{kind}' (kinds: {', '.join(KINDS)})")
    views = check_views(list(views or DEFAULT_VIEWS))
    by_key = atlas.by_key()
    client = session.client_code if anonymize else session.client_label
    if anonymize and session.client_name and session.client_code and session.client_name in session.client_code:
        client = ""
    subtitle = [f"Date: {session.date}"]
    if client:
        subtitle.append(f"Client: {client}")
    if practice:
        subtitle.append(practice)
    titles = {"chart": "Pain chart", "report": "Session report", "handout": "Your home-care plan"}
    title = titles[kind]
    meta = f"{title} {session.date}" + (f" ({session.client_code})" if session.client_code else "")
    confirmed = confirmed_trigger_points(session, atlas)
    zones = [by_key[c.key] for c in result.candidates[:show_zones] if c.key in by_key]
    drawn_qualities = {m.quality for m in session.marks}
    legend = [(q, QUALITY_TITLES[q]) for q in QUALITIES if q in drawn_qualities]
    footer = f"nmt-bodymap {__version__} · {DISCLAIMER} · printed {(today or dt.date.today()).isoformat()}"
    doc = Document(kind, title, subtitle, meta, None, legend, footer=footer)
    if kind in ("chart", "report"):
        doc.figure = Figure(views, [m for m in session.marks if m.view in views], confirmed, zones)
    if kind == "report":
        doc.candidates = result.candidates[:12]
        names = {c.key: c for c in result.candidates}
        if result.combination:
            parts = ", ".join(
                f"{names[k].muscle_name} ({names[k].trigger_point_label.split(',')[0]}, {SIDE[names[k].side]})"
                for k in result.combination
            )
            n = len(result.combination)
            doc.combination = (
                f"{'This trigger point explains' if n == 1 else f'These {n} trigger points explain'} "
                f"{pct(result.combination_fraction)} of the marked pain: {parts}."
            )
        doc.unexplained = f"Pain that no trigger point in the atlas explains: {pct(result.unexplained_fraction)}."
        doc.entrapments = result.entrapments[:6]
        doc.assessment = [(CAUSES[c], LEVELS[n.level].capitalize(), n.note) for c, n in session.assessment.items()]
        doc.notes = session.notes
    if kind == "handout":
        palpated = {s.key for s, _f in confirmed}
        for mid in handout_muscles(session, atlas):
            muscle = atlas.muscle(mid)
            found = [s for s in atlas.sided_for(mid) if s.key in palpated]
            # show the side(s) the therapist found; a muscle chosen by hand shows its right side as authored
            patterns = found or [s for s in atlas.sided_for(mid) if s.side in ("right", "midline")]
            sides = sorted({s.side for s in patterns})
            care = [(SELF_CARE_KINDS[c.kind], c.text) for k in SELF_CARE_KINDS for c in muscle.self_care if c.kind == k]
            where = muscle.symptoms[0] if muscle.symptoms else ""
            doc.handout.append(HandoutItem(mid, muscle.name, sides, patterns, where, care))
    return doc


def searchable_text(doc: Document) -> str:
    """All text of a document (for tests that check what an export may contain)."""
    parts = [doc.title, doc.metadata_title, doc.footer, doc.combination, doc.unexplained, doc.notes, *doc.subtitle]
    parts += [c.explanation_text() for c in doc.candidates]
    parts += [" ".join(a) for a in doc.assessment]
    for h in doc.handout:
        parts += [h.name, h.where, *(t for _, t in h.self_care)]
    return "\n".join(parts)
