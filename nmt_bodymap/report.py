"""What goes on an exported page, decided without Qt.

Three documents can be exported from a session:

* **chart**: the annotated chart: the chosen views with the pain marks, the
  palpation findings (X for active or latent, a ring for not tender),
  optionally the top candidates' zones each in its own colour and hatch with
  a key, a quality legend and a title block;
* **report**: a "refer before treating" notice when the red-flag screen
  found a sign, the chart, the red-flag screen, "rule out first" warnings,
  the SOAP notes and the treatment given (``report_record.py``), the ranked
  candidates with their explanations, the combination, the paresthesia
  differential of each complaint (``report_nerves.py``), every
  palpation finding (negative ones too), the five-cause assessment and the
  notes; when the client has earlier visits, a progress page
  (``report_progress.py``);
* **handout**: how the client's pain has changed since the first visit, in
  plain words (when there are earlier visits), then for each confirmed or
  chosen muscle, where it is and where it refers, and its self-care in the
  client's words.

:func:`plan` turns a session into a :class:`Document` (``document.py``): a
title block and a list of sections in reading order. ``render/`` paints each
kind of section (``render/sections.py``) and flows them over pages; a new
kind of content is a new section type plus its painter, not a rewrite.
Anonymizing leaves the client's name out of the document entirely,
metadata included. The client's earlier visits come in as plain rows
(``history``, :mod:`nmt_bodymap.visit_history`), never as a database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from nmt_bodymap import __version__
from nmt_bodymap.atlas import CAUSES, Atlas
from nmt_bodymap.chart import VIEWS
from nmt_bodymap.document import (
    FINDING_WORDS,
    SIDE,
    Cell,
    ComplaintNerves,
    Document,
    Field,
    FieldsSection,
    Figure,
    FigureSection,
    Finding,
    HandoutItem,
    HandoutSection,
    NerveDifferentialSection,
    NerveRow,
    NoticeItem,
    NoticeSection,
    ProgressPlotSection,
    Section,
    TableSection,
    TextSection,
    ZoneKey,
    confirmed_trigger_points,
    palpation_findings,
)
from nmt_bodymap.lookup import Candidate, LookupResult, pct
from nmt_bodymap.report_handout import HANDOUT_INTRO, handout_muscles, handout_sections
from nmt_bodymap.report_nerves import nerve_section
from nmt_bodymap.report_progress import progress_sections
from nmt_bodymap.report_record import red_flag_section, refer_notice, soap_section, treatment_section
from nmt_bodymap.session import LEVELS, QUALITIES, QUALITY_TITLES, Session
from nmt_bodymap.visit_history import HistoryRow, VisitPoint, session_date, up_to

__all__ = [  # the document's parts are re-exported: callers build and read documents from here
    "FINDING_WORDS",
    "HANDOUT_INTRO",
    "SIDE",
    "Cell",
    "ComplaintNerves",
    "Document",
    "Field",
    "FieldsSection",
    "Figure",
    "FigureSection",
    "Finding",
    "HandoutItem",
    "HandoutSection",
    "NerveDifferentialSection",
    "NerveRow",
    "NoticeItem",
    "NoticeSection",
    "ProgressPlotSection",
    "ReportError",
    "Section",
    "TableSection",
    "TextSection",
    "VisitPoint",
    "ZoneKey",
    "confirmed_trigger_points",
    "handout_muscles",
    "palpation_findings",
    "plan",
    "searchable_text",
]

KINDS = ("chart", "report", "handout")
DEFAULT_VIEWS = ("anterior", "posterior")
DISCLAIMER = "Decision support for trained therapists, not a diagnosis."
#: How many candidates the report lists.
REPORT_CANDIDATES = 12
TITLES = {"chart": "Pain chart", "report": "Session report", "handout": "Your home-care plan"}


class ReportError(ValueError):
    """A bad export request (unknown kind or view)."""


# -- deciding the content ----------------------------------------------------------------


def check_views(views: list[str]) -> list[str]:
    bad = [v for v in views if v not in VIEWS]
    if bad:
        raise ReportError(f"unknown view '{bad[0]}' (views: {', '.join(VIEWS)})")
    if not views:
        raise ReportError("choose at least one view")
    return views


def client_line(session: Session, anonymize: bool) -> str:
    """``Client: Alex Example (C-017)``; only the code when anonymized; empty when neither is known."""
    name = "" if anonymize else session.client_name.strip()
    code = session.client_code.strip()
    if anonymize and name == "" and session.client_name and session.client_name in code:
        code = ""  # a "code" that is the name itself stays out too
    if name and code:
        return f"Client: {name} ({code})"
    return f"Client: {name or code}" if name or code else ""


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
    *,
    history: Sequence[HistoryRow] | None = None,
) -> Document:
    """Decide the content of an export.

    ``history``: the client's visits up to and including this one, oldest
    first (stored ``VisitSummary`` rows or :class:`~nmt_bodymap.visit_history.VisitPoint`);
    with earlier visits the report gains a progress page and the handout a
    few words on how the pain has changed. Visits dated after the session
    are left out.
    """
    if kind not in KINDS:
        raise ReportError(f"unknown export kind '{kind}' (kinds: {', '.join(KINDS)})")
    views = check_views(list(views or DEFAULT_VIEWS))
    points = _history_points(session, history)
    subtitle = [f"Date: {session.date}"]
    client = client_line(session, anonymize)
    if client:
        subtitle.append(client)
    if session.therapist.strip():
        subtitle.append(f"Therapist: {session.therapist.strip()}")
    title = TITLES[kind]
    meta = f"{title} {session.date}" + (f" ({session.client_code})" if client and session.client_code else "")
    footer = f"nmt-bodymap {__version__} · {DISCLAIMER} · printed {(today or dt.date.today()).isoformat()}"
    doc = Document(kind, title, subtitle, meta, practice.strip(), footer=footer)
    if kind == "report":
        refer = refer_notice(session)
        if refer is not None:  # first thing on the first page
            doc.sections.append(refer)
    if kind in ("chart", "report"):
        doc.sections.append(_figure_section(session, atlas, result, views, show_zones))
    if kind == "report":
        doc.sections += report_sections(session, atlas, result, doc.figure)
        doc.sections += progress_sections(points)
    if kind == "handout":
        doc.sections += handout_sections(session, atlas, points)
    return doc


def _history_points(session: Session, history: Sequence[HistoryRow] | None) -> list[VisitPoint]:
    if not history:
        return []
    try:
        return up_to(history, session_date(session))
    except ValueError:  # a session without a proper date: every visit given
        return [VisitPoint.of(r) for r in sorted(history, key=lambda r: r.date)]


def _figure_section(
    session: Session, atlas: Atlas, result: LookupResult, views: list[str], show_zones: int
) -> FigureSection:
    by_key = atlas.by_key()
    zones = [
        ZoneKey(rank, style, by_key[c.key])
        for style, (rank, c) in enumerate(
            [(r, c) for r, c in enumerate(result.candidates[:show_zones], start=1) if c.key in by_key]
        )
    ]
    drawn = {m.quality for m in session.marks if m.view in views}
    legend = [(q, QUALITY_TITLES[q]) for q in QUALITIES if q in drawn]
    figure = Figure(views, [m for m in session.marks if m.view in views], palpation_findings(session, atlas), zones)
    return FigureSection("Pain drawing", figure, legend)


def report_sections(session: Session, atlas: Atlas, result: LookupResult, figure: Figure | None) -> list[Section]:
    """Everything the report says after its chart page."""
    candidates = result.candidates[:REPORT_CANDIDATES]
    findings = palpation_findings(session, atlas)
    sections: list[Section] = [red_flag_section(session)]
    rule_out = rule_out_section(atlas, candidates, findings)
    if rule_out is not None:
        sections.append(rule_out)
    sections += [s for s in (soap_section(session), treatment_section(session, atlas)) if s is not None]
    zone_style = {z.sided.key: z.style for z in figure.zones} if figure else {}
    sections.append(candidates_section(atlas, candidates, zone_style))
    summary = []
    names = {c.key: c for c in result.candidates}
    if result.combination:
        parts = ", ".join(
            f"{names[k].muscle_name} ({names[k].trigger_point_label.split(',')[0]}, {SIDE[names[k].side]})"
            for k in result.combination
            if k in names
        )
        n = len(result.combination)
        summary.append(
            f"{'This trigger point explains' if n == 1 else f'These {n} trigger points explain'} "
            f"{pct(result.combination_fraction)} of the marked pain: {parts}."
        )
    summary.append(f"Pain that no trigger point in the atlas explains: {pct(result.unexplained_fraction)}.")
    sections.append(TextSection("Combination", summary))
    nerves = nerve_section(result)
    if nerves is not None:
        sections.append(nerves)
    sections.append(findings_section(findings))
    assessment = [
        [Cell(title=CAUSES[c]), Cell(LEVELS[n.level].capitalize()), Cell(n.note)] for c, n in session.assessment.items()
    ]
    sections.append(
        TableSection("Assessment: the five causes", [("Cause", 0.36), ("Level", 0.16), ("Finding", 0.48)], assessment)
    )
    sections.append(TextSection("Notes", [line for line in session.notes.splitlines() if line.strip()], empty="None."))
    return sections


def rule_out_section(atlas: Atlas, candidates: list[Candidate], findings: list[Finding]) -> NoticeSection | None:
    """The serious conditions that mimic the patterns of the muscles in this report, each once."""
    muscles: list[str] = []
    for mid in [c.muscle for c in candidates] + [f.sided.muscle.id for f in findings if f.finding != "not-tender"]:
        if mid in atlas.muscles and mid not in muscles:
            muscles.append(mid)
    by_condition: dict[str, tuple[list[str], list[str]]] = {}
    for mid in muscles:
        muscle = atlas.muscle(mid)
        for r in muscle.rule_out:
            signs, names = by_condition.setdefault(r.condition, ([], []))
            if r.signs not in signs:
                signs.append(r.signs)
            if muscle.name not in names:
                names.append(muscle.name)
    if not by_condition:
        return None
    items = [
        NoticeItem(condition, " ".join(_sentence(s) for s in signs), "Mimicked by " + ", ".join(names) + ".")
        for condition, (signs, names) in by_condition.items()
    ]
    return NoticeSection(
        "Rule out first",
        "These muscles' patterns can mimic serious disease. Ask, and refer before treating if any sign fits.",
        items,
    )


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def candidates_section(atlas: Atlas, candidates: list[Candidate], zone_style: dict[str, int]) -> TableSection:
    rows = []
    for rank, c in enumerate(candidates, start=1):
        muscle = atlas.muscles.get(c.muscle)
        alert = ""
        if muscle is not None and muscle.rule_out:
            alert = "Rule out first: " + "; ".join(r.condition for r in muscle.rule_out) + "."
        rows.append(
            [
                Cell(str(rank), swatch=zone_style.get(c.key)),
                Cell(c.trigger_point_label, title=c.muscle_name),
                Cell(SIDE[c.side]),
                Cell(f"{c.score:.0f}"),
                Cell(FINDING_WORDS.get(c.palpation or "", "")),
                Cell(c.explanation_text(), alert=alert),
            ]
        )
    return TableSection(
        "Trigger point candidates",
        [
            ("#", 0.07),
            ("Muscle and trigger point", 0.28),
            ("Side", 0.07),
            ("Score", 0.07),
            ("Palpation", 0.10),
            ("Why", 0.41),
        ],
        rows,
        intro="Ranked by how well each referral pattern explains the marked pain. " + DISCLAIMER,
        empty="No pain is marked, or no trigger point in the atlas refers to it.",
    )


def findings_section(findings: list[Finding]) -> TableSection:
    rows = [
        [
            Cell(f.letter),
            Cell(f.sided.trp.label, title=f.sided.muscle.name),
            Cell(SIDE[f.sided.side]),
            Cell(title=FINDING_WORDS[f.finding]),
        ]
        for f in findings
    ]
    return TableSection(
        "Palpation findings",
        [("", 0.06), ("Muscle and trigger point", 0.54), ("Side", 0.14), ("Finding", 0.26)],
        rows,
        intro="Every trigger point palpated, the not tender ones too (letters as on the chart).",
        empty="No trigger point was palpated.",
    )


def searchable_text(doc: Document) -> str:
    """All text of a document (for tests that check what an export may contain)."""
    parts = [doc.title, doc.metadata_title, doc.footer, doc.practice, *doc.subtitle]
    for section in doc.sections:
        parts += section.texts()
    return "\n".join(p for p in parts if p)
