"""The parts of an exported document, without Qt: palpation findings, zones, and the sections.

A :class:`Document` is a title block and a list of :class:`Section` in
reading order. Each section type holds plain data (titles, table cells,
paragraphs, a figure's marks and zones) and says what text it prints
(:meth:`Section.texts`) and whether the painter may split it over pages.
``report.py`` decides the content; ``render/sections.py`` paints each type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from nmt_bodymap.atlas import Atlas, SidedTriggerPoint
from nmt_bodymap.session import PainMark, Session
from nmt_bodymap.visit_history import VisitPoint

SIDE = {"right": "right", "left": "left", "midline": "midline"}
FINDING_WORDS = {"active": "active", "latent": "latent", "not-tender": "not tender"}


# -- what the figure shows -------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """A palpated trigger point, lettered as on the chart (A, B, ...)."""

    letter: str
    sided: SidedTriggerPoint
    finding: str  # "active", "latent" or "not-tender"

    @property
    def label(self) -> str:
        s = self.sided
        return f"{s.muscle.name}, {s.trp.label} ({SIDE[s.side]})"


_FINDING_ORDER = {"active": 0, "latent": 1, "not-tender": 2}


def palpation_findings(session: Session, atlas: Atlas) -> list[Finding]:
    """Every palpated trigger point the atlas knows: active, then latent, then not tender."""
    by_key = atlas.by_key()
    found = [(by_key[k], f) for k, f in session.findings.items() if k in by_key and f in _FINDING_ORDER]
    found.sort(key=lambda p: (_FINDING_ORDER[p[1]], p[0].muscle.name, p[0].trp.label, p[0].side))
    return [Finding(_letter(i), s, f) for i, (s, f) in enumerate(found)]


def _letter(i: int) -> str:
    return chr(ord("A") + i) if i < 26 else f"A{i - 25}"


def confirmed_trigger_points(session: Session, atlas: Atlas) -> list[tuple[SidedTriggerPoint, str]]:
    return [(f.sided, f.finding) for f in palpation_findings(session, atlas) if f.finding != "not-tender"]


@dataclass(frozen=True)
class ZoneKey:
    """A candidate whose zones are drawn: its rank in the list and its drawing style (an index)."""

    rank: int
    style: int
    sided: SidedTriggerPoint

    @property
    def label(self) -> str:
        s = self.sided
        return f"{s.muscle.name}, {s.trp.label} ({SIDE[s.side]})"


@dataclass
class Figure:
    """Chart views with what is drawn on them."""

    views: list[str]
    marks: list[PainMark]
    findings: list[Finding] = field(default_factory=list)
    zones: list[ZoneKey] = field(default_factory=list)

    @property
    def confirmed(self) -> list[Finding]:
        return [f for f in self.findings if f.finding in ("active", "latent")]


# -- sections ----------------------------------------------------------------------------


@dataclass
class Section:
    """One part of a document in reading order.

    ``may_split``: whether the painter may continue it on the next page (between
    rows or paragraphs). Whatever the value, a section's title is never left
    alone at the foot of a page: it always goes with the section's first row.
    """

    title: str
    may_split: ClassVar[bool] = True

    def texts(self) -> list[str]:
        """Every text the section prints (for checks of what a document may contain)."""
        return [self.title]


@dataclass
class FigureSection(Section):
    """The chart views with marks, findings and zones, and their legend: fills the rest of a page."""

    figure: Figure = field(default_factory=lambda: Figure([], []))
    legend: list[tuple[str, str]] = field(default_factory=list)  # (quality id, title) of the qualities drawn
    may_split: ClassVar[bool] = False

    def texts(self) -> list[str]:
        f = self.figure  # the title names the section; it is not printed
        return [
            *(t for _, t in self.legend),
            *(x.label for x in f.findings),
            *(z.label for z in f.zones),
        ]


@dataclass(frozen=True)
class NoticeItem:
    head: str
    text: str
    note: str = ""  # e.g. which muscles raise it


@dataclass
class NoticeSection(Section):
    """A boxed warning the reader must not miss (rule out first; refer before treating)."""

    intro: str = ""
    items: list[NoticeItem] = field(default_factory=list)

    def texts(self) -> list[str]:
        return [self.title, self.intro, *(f"{i.head} {i.text} {i.note}" for i in self.items)]


@dataclass(frozen=True)
class Cell:
    """One table cell: an optional bold title, text, a muted note and a prominent alert line.

    ``swatch`` names a zone drawing style (the figure's key) shown in the cell.
    """

    text: str = ""
    title: str = ""
    note: str = ""
    alert: str = ""
    swatch: int | None = None

    def texts(self) -> list[str]:
        return [t for t in (self.title, self.text, self.note, self.alert) if t]


@dataclass
class TableSection(Section):
    """Rows under a header; splits between rows and repeats the header on the next page."""

    columns: list[tuple[str, float]] = field(default_factory=list)  # (header, share of the width)
    rows: list[list[Cell]] = field(default_factory=list)
    intro: str = ""
    empty: str = ""  # said instead of the table when there are no rows

    def texts(self) -> list[str]:
        out = [self.title, self.intro, *(h for h, _ in self.columns)]
        if not self.rows:
            out.append(self.empty)
        for row in self.rows:
            for cell in row:
                out += cell.texts()
        return out


@dataclass
class TextSection(Section):
    """Paragraphs; splits between paragraphs (and inside one longer than a page)."""

    paragraphs: list[str] = field(default_factory=list)
    empty: str = ""

    def texts(self) -> list[str]:
        return [self.title, *(self.paragraphs or [self.empty])]


@dataclass(frozen=True)
class Field:
    """A labelled part of a record ("Subjective", "Technique"): its label leads its first paragraph."""

    label: str
    paragraphs: tuple[str, ...]
    alert: bool = False  # printed in the warning colour


@dataclass
class FieldsSection(Section):
    """Labelled paragraphs (SOAP notes, the treatment, the red-flag screen); splits between lines."""

    fields: list[Field] = field(default_factory=list)
    intro: str = ""
    empty: str = ""  # said instead of the fields when there are none

    def texts(self) -> list[str]:
        out = [self.title, self.intro]
        if not self.fields:
            out.append(self.empty)
        for f in self.fields:
            out += [f.label, *f.paragraphs]
        return out


@dataclass
class ProgressPlotSection(Section):
    """The progress page: the plot over the client's visits (vector) and the table of visits, on a page of its own.

    ``points`` are the visits oldest first, the last being the visit reported;
    ``intro`` is a line of what changed since the first visit. The plot is
    drawn as tall as the page allows with the table under it.
    """

    points: list[VisitPoint] = field(default_factory=list)
    intro: str = ""
    table: TableSection | None = None
    starts_page: ClassVar[bool] = True

    def texts(self) -> list[str]:
        return [self.title, self.intro, *(self.table.texts() if self.table is not None else [])]


@dataclass(frozen=True)
class NerveRow:
    """One nerve or dermatome of a complaint's paresthesia differential, with where it may be caught."""

    name: str  # "Median nerve (right)", "C6 dermatome (right)"
    levels: str  # its roots, or its level
    fit: str  # how much of the paresthesia its skin holds, in words
    sites: tuple[tuple[str, str], ...] = ()  # (where it may be caught, the test there)
    key_point: str = ""  # a dermatome's place to test


@dataclass(frozen=True)
class ComplaintNerves:
    """A complaint's paresthesia differential: the sentence, the nerves and the dermatomes that fit."""

    label: str
    differential: str
    nerves: tuple[NerveRow, ...]
    dermatomes: tuple[NerveRow, ...]
    other_sites: tuple[NerveRow, ...] = ()  # muscles' entrapments outside the nerves shown


@dataclass
class NerveDifferentialSection(Section):
    """Per complaint with numbness, tingling or burning: the sentence, then its nerves and dermatomes as a table."""

    intro: str = ""
    complaints: list[ComplaintNerves] = field(default_factory=list)
    columns: ClassVar[tuple[tuple[str, float], ...]] = (
        ("Nerve or root", 0.27),
        ("Fit", 0.21),
        ("Where it may be caught", 0.2),
        ("Test", 0.32),
    )

    def texts(self) -> list[str]:
        out = [self.title, self.intro, *(h for h, _ in self.columns)]
        for c in self.complaints:
            out += [c.label, c.differential]
            for row in (*c.nerves, *c.dermatomes, *c.other_sites):
                out += [row.name, row.levels, row.fit, row.key_point, *(t for site in row.sites for t in site)]
        return [t for t in out if t]


@dataclass
class HandoutItem:
    muscle_id: str
    name: str
    sides: list[str]
    patterns: list[SidedTriggerPoint]
    where: str  # where it refers, in everyday words
    self_care: list[tuple[str, str]]  # (kind title, text)


@dataclass
class HandoutSection(Section):
    """One muscle of the handout: its picture and its self-care, kept on one page."""

    item: HandoutItem | None = None
    may_split: ClassVar[bool] = False

    def texts(self) -> list[str]:
        if self.item is None:
            return [self.title]
        return [self.title, self.item.where, *(f"{k}. {t}" for k, t in self.item.self_care)]


@dataclass
class Document:
    kind: str
    title: str
    subtitle: list[str]  # date, client (with code): the title block
    metadata_title: str  # for PDF/SVG metadata: never the client's name
    practice: str = ""  # named in the page header
    sections: list[Section] = field(default_factory=list)
    footer: str = ""

    @property
    def figure(self) -> Figure | None:
        for s in self.sections:
            if isinstance(s, FigureSection):
                return s.figure
        return None
