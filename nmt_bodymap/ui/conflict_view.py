"""Two versions of one visit, compared for the conflict dialog: their text section by section, and their drawings.

:func:`visit_sections` says a session section by section in plain text
(date, therapist, the pain drawing, findings, red flags, SOAP notes, the
causes, notes, treatment, handout); :func:`differences_html` lays the
sections that differ side by side, with the words found in only one
version marked (a tint and an underline, so not by colour alone).
:class:`DrawingPair` paints both pain drawings on the chart, each view that
has pain in either version cropped the same way for both.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from html import escape

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from nmt_bodymap.atlas.model import CAUSES
from nmt_bodymap.chart import VIEW_TITLES, VIEWS, Chart
from nmt_bodymap.red_flags import RED_FLAGS
from nmt_bodymap.render.atlas_sheet import crop_for
from nmt_bodymap.render.chart_svg import draw_backdrop_crop
from nmt_bodymap.render.marks import draw_mark
from nmt_bodymap.session import QUALITY_TITLES, Session
from nmt_bodymap.session_model import LEVELS
from nmt_bodymap.ui.theme import is_dark

CROP_PAD_MM = 90.0
CROP_MIN_HEIGHT_MM = 700.0


def _lines(values: list[str]) -> str:
    return "\n".join(v for v in values if v) or "–"


def _drawing(session: Session) -> str:
    lines = []
    for mark in session.marks:
        area = mark.geometry.area / 100.0
        lines.append(
            f"{VIEW_TITLES.get(mark.view, mark.view)}: {QUALITY_TITLES.get(mark.quality, mark.quality).lower()} "
            f"{mark.intensity}/10, {area:.1f} cm²"
        )
    return _lines(sorted(lines))


def visit_sections(session: Session, name_of: Callable[[str], str] = str) -> list[tuple[str, str]]:
    """The session's sections as (title, plain text), in the order the visit panel shows them."""
    t, s, flags = session.treatment, session.soap, session.red_flags
    if not flags.screened and not flags.present:
        screen = "not asked"
    else:
        present = [RED_FLAGS[f].title if f in RED_FLAGS else f for f in flags.present]
        screen = _lines([", ".join(present) or "none present", flags.note])
    causes = [
        f"{CAUSES.get(key, key)}: {LEVELS[note.level] if 0 <= note.level < len(LEVELS) else note.level}"
        + (f" ({note.note})" if note.note else "")
        for key, note in session.assessment.items()
        if note.level or note.note
    ]

    def rating(value: int | None) -> str:
        return "–" if value is None else str(value)

    return [
        ("Date", session.date),
        ("Therapist", session.therapist or "–"),
        ("Pain drawing", _drawing(session)),
        ("Complaints", _lines([f"{c.label} ({len(c.marks)} marks)" for c in session.complaints])),
        ("Findings", _lines(sorted(f"{name_of(key)}: {value}" for key, value in session.findings.items()))),
        ("Red flags", screen),
        ("Subjective", s.subjective or "–"),
        ("Objective", s.objective or "–"),
        ("Assessment", s.assessment or "–"),
        ("Plan", s.plan or "–"),
        ("Causes", _lines(causes)),
        ("Notes", session.notes or "–"),
        (
            "Treatment",
            _lines(
                [
                    ", ".join(name_of(k) for k in t.trigger_points),
                    t.technique,
                    f"pain before → after: {rating(t.pain_before)} → {rating(t.pain_after)}",
                ]
            ),
        ),
        ("Home-care handout", ", ".join(session.handout) or "–"),
    ]


def differing_sections(
    theirs: Session, mine: Session, name_of: Callable[[str], str] = str
) -> list[tuple[str, str, str]]:
    """(title, their text, my text) of each section where the two versions differ."""
    pairs = zip(visit_sections(theirs, name_of), visit_sections(mine, name_of), strict=True)
    out = [(title, a, b) for (title, a), (_t, b) in pairs if a != b]
    if not any(title == "Pain drawing" for title, _a, _b in out) and _geometry_differs(theirs, mine):
        out.insert(0, ("Pain drawing", "drawn differently (see the drawings)", "drawn differently (see the drawings)"))
    return out


def _geometry_differs(a: Session, b: Session) -> bool:
    if len(a.marks) != len(b.marks):
        return True
    key = lambda m: (m.view, m.quality, m.intensity, m.geometry.wkb)  # noqa: E731
    return sorted(map(key, a.marks)) != sorted(map(key, b.marks))


_TOKEN = re.compile(r"\S+\s*|\s+")  # a word with the space after it: a changed phrase is one run


def marked_pair(theirs: str, mine: str, their_tint: str, my_tint: str) -> tuple[str, str]:
    """Both texts as HTML, the words found in only one of them marked."""
    a, b = _TOKEN.findall(theirs), _TOKEN.findall(mine)
    left: list[str] = []
    right: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            left.append(_html("".join(a[i1:i2])))
            right.append(_html("".join(b[j1:j2])))
            continue
        if i2 > i1:
            left.append(_marked("".join(a[i1:i2]), their_tint))
        if j2 > j1:
            right.append(_marked("".join(b[j1:j2]), my_tint))
    return "".join(left), "".join(right)


def _html(text: str) -> str:
    return escape(text).replace("\n", "<br>")


def _marked(text: str, tint: str) -> str:
    if not text.strip():
        return _html(text)
    return f"<span style='background-color:{tint}; text-decoration: underline'>{_html(text)}</span>"


def tints(palette: QPalette) -> tuple[str, str]:
    """Background tints of words only in theirs, and only in mine (readable under the palette's text)."""
    return ("#5c2b27", "#1f4a2c") if is_dark(palette) else ("#ffd9d2", "#cdeccf")


def differences_html(
    differing: list[tuple[str, str, str]], labels: tuple[str, str], palette: QPalette, same: int
) -> str:
    """The differing sections side by side; ``same`` counts the sections that are the same."""
    if not differing:
        return "<p>The two versions say the same in every section.</p>"
    their_tint, my_tint = tints(palette)
    rows = [
        f"<tr><th align='left' width='18%'>Section</th><th align='left' width='41%'>{escape(labels[0])}</th>"
        f"<th align='left' width='41%'>{escape(labels[1])}</th></tr>"
    ]
    for title, a, b in differing:
        left, right = marked_pair(a, b, their_tint, my_tint)
        rows.append(
            f"<tr><td valign='top'><b>{escape(title)}</b></td><td valign='top'>{left}</td><td valign='top'>{right}</td></tr>"
        )
    tail = f"<p>The other {same} section{'s are' if same != 1 else ' is'} the same in both.</p>" if same else ""
    return "<table cellspacing='0' cellpadding='5' width='100%' border='1'>" + "".join(rows) + "</table>" + tail


class DrawingPair(QWidget):
    """Both versions' pain drawings: the views with pain in either, the same crop for both."""

    def __init__(
        self, chart: Chart, theirs: Session, mine: Session, labels: tuple[str, str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.chart = chart
        self.sessions = (theirs, mine)
        self.labels = labels
        views = {m.view for s in self.sessions for m in s.marks}
        self.views = [v for v in VIEWS if v in views and v in chart.views]
        self.setMinimumSize(420, 300)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("The two versions' pain drawings")
        self.setAccessibleDescription(
            f"{labels[0]}: {len(theirs.marks)} pain marks; {labels[1]}: {len(mine.marks)} pain marks"
        )

    def sizeHint(self) -> QSize:
        return QSize(900, 420)

    def crop(self, view: str, aspect: float) -> QRectF:
        boxes = [m.geometry.bounds for s in self.sessions for m in s.marks if m.view == view]
        if not boxes:
            return crop_for(self.chart.view(view), None, aspect)
        x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
        x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
        return crop_for(
            self.chart.view(view), QRectF(x0, y0, x1 - x0, y1 - y0), aspect, CROP_PAD_MM, CROP_MIN_HEIGHT_MM
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        ink = self.palette().color(QPalette.ColorRole.WindowText)
        half = self.width() / 2
        font = QFont(self.font())
        font.setBold(True)
        if not self.views:
            painter.setPen(ink)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "Neither version has pain drawn.")
            painter.end()
            return
        for side, (session, label) in enumerate(zip(self.sessions, self.labels, strict=True)):
            left = side * half
            painter.setFont(font)
            painter.setPen(ink)
            painter.drawText(QRectF(left, 0, half, 22), Qt.AlignmentFlag.AlignCenter, label)
            width = (half - 12) / len(self.views)
            for i, view in enumerate(self.views):
                panel = QRectF(left + 6 + i * width, 26, width - 6, self.height() - 30)
                self._paint_view(painter, session, view, panel)
        painter.setPen(QColor(ink.red(), ink.green(), ink.blue(), 90))
        painter.drawLine(int(half), 4, int(half), self.height() - 4)
        painter.end()

    def _paint_view(self, painter: QPainter, session: Session, view: str, panel: QRectF) -> None:
        caption = QRectF(panel.left(), panel.bottom() - 18, panel.width(), 18)
        target = panel.adjusted(0, 0, 0, -20)
        painter.fillRect(target, QColor("#ffffff"))  # the chart is drawn on white, as in every export
        crop = self.crop(view, target.width() / max(target.height(), 1.0))
        transform = draw_backdrop_crop(painter, self.chart.view(view), crop, target)
        painter.save()
        painter.setClipRect(target)
        painter.setTransform(transform, True)
        for mark in session.marks:
            if mark.view == view:
                draw_mark(painter, mark)
        painter.restore()
        painter.setFont(self.font())
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        count = sum(1 for m in session.marks if m.view == view)
        painter.drawText(
            caption, Qt.AlignmentFlag.AlignCenter, f"{VIEW_TITLES[view]}: {count} mark{'s' if count != 1 else ''}"
        )


__all__ = ["DrawingPair", "differences_html", "differing_sections", "marked_pair", "visit_sections"]
