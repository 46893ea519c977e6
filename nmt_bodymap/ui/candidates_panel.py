"""The candidates panel: ranked trigger points, why they rank, palpation.

Each row shows the muscle, the TrP label, the side, a score bar and the
one-line explanation, and a palpation selector (active, latent, not
tender) that re-ranks the list. Above the list: the combination that
explains most of the pain and a switch that shades the pain no candidate
explains. Below: nerve entrapment candidates when numbness, tingling or
burning is drawn.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QEnterEvent, QFocusEvent, QMouseEvent, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QLabel,
    QProgressBar,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from nmt_bodymap.lookup import Candidate, EntrapmentCandidate, LookupResult, pct
from nmt_bodymap.ui.model import SessionModel

MAX_ROWS = 25
SIDE_TEXT = {"right": "Right", "left": "Left", "midline": "Midline"}
FINDING_CHOICES = [(None, "Palpation…"), ("active", "Active"), ("latent", "Latent"), ("not-tender", "Not tender")]


def short_label(c: Candidate) -> str:
    """Muscle and TrP number for summaries: "Trapezius TrP1"."""
    head = c.trigger_point_label.split(",")[0].strip()
    return f"{c.muscle_name} {head}" if head.lower().startswith("trp") and len(head) <= 8 else c.muscle_name


class CandidateRow(QFrame):
    """One candidate; hover or click shows its pattern on the chart."""

    hovered = Signal(str)
    unhovered = Signal(str)
    clicked = Signal(str)
    findingChosen = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = ""
        self.setObjectName("candidateRow")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_Hover)
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 6, 8, 6)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        self.rank = QLabel()
        self.rank.setMinimumWidth(22)
        self.rank.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        self.bar.setTextVisible(True)
        self.bar.setFixedWidth(88)
        self.bar.setFixedHeight(14)
        self.why = QLabel()
        self.why.setWordWrap(True)
        self.why.setTextFormat(Qt.TextFormat.PlainText)
        font = self.why.font()
        font.setPointSizeF(max(7.5, font.pointSizeF() - 1))
        self.why.setFont(font)
        self.why.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.finding = QComboBox()
        for value, text in FINDING_CHOICES:
            self.finding.addItem(text, value)
        self.finding.setToolTip("Palpation finding for this trigger point (re-ranks the list)")
        self.finding.activated.connect(lambda _i: self.findingChosen.emit(self.key, self.finding.currentData()))
        grid.addWidget(self.rank, 0, 0, 2, 1)
        grid.addWidget(self.title, 0, 1)
        grid.addWidget(self.bar, 0, 2, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.why, 1, 1)
        grid.addWidget(self.finding, 1, 2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(1, 1)

    def show_candidate(self, rank: int, c: Candidate, best: float) -> None:
        self.key = c.key
        self.rank.setText(f"{rank}.")
        self.title.setText(f"<b>{c.muscle_name}</b> · {c.trigger_point_label} · {SIDE_TEXT[c.side]}")
        self.bar.setValue(round(100 * c.score / best) if best > 0 else 0)
        self.bar.setFormat(f"{c.score:.0f}")
        self.bar.setToolTip(f"Score {c.score:.1f} (the best candidate fills the bar)")
        self.why.setText(c.explanation_text()[:1].upper() + c.explanation_text()[1:] + ".")
        index = next(i for i, (v, _) in enumerate(FINDING_CHOICES) if v == c.palpation)
        self.finding.setCurrentIndex(index)
        self.setAccessibleName(f"Candidate {rank}: {c.muscle_name}, {c.trigger_point_label}, {SIDE_TEXT[c.side]}")

    def enterEvent(self, event: QEnterEvent) -> None:
        self.hovered.emit(self.key)
        super().enterEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self.unhovered.emit(self.key)
        super().leaveEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.clicked.emit(self.key)
        super().focusInEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self.clicked.emit(self.key)


class CandidatesPanel(QWidget):
    """Listens to the model's ranking; asks the model to record palpation."""

    patternRequested = Signal(object)  # candidate key or None
    unexplainedToggled = Signal(bool)

    def __init__(self, model: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.selected: str | None = None
        self._hovered: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        heading = QLabel("<b>Trigger point candidates</b>")
        layout.addWidget(heading)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.shade = QCheckBox("Shade pain no candidate explains")
        self.shade.setToolTip("Show, hatched in grey, the marked pain that no referral pattern covers")
        self.shade.toggled.connect(self.unexplainedToggled)
        layout.addWidget(self.shade)
        self.rows_box = QWidget()
        self.rows_layout = QVBoxLayout(self.rows_box)
        self.rows_layout.setContentsMargins(0, 0, 0, 0)
        self.rows_layout.setSpacing(4)
        self.empty = QLabel(
            "Mark the client's pain on the chart: the trigger points whose referral patterns "
            "explain it will be listed here, best first."
        )
        self.empty.setWordWrap(True)
        self.empty.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.rows_layout.addWidget(self.empty)
        self.rows: list[CandidateRow] = []
        self.entrapment_title = QLabel("<b>Nerve entrapment to consider</b>")
        self.entrapment_list = QLabel()
        self.entrapment_list.setWordWrap(True)
        self.entrapment_list.setTextFormat(Qt.TextFormat.RichText)
        self.rows_layout.addSpacing(6)
        self.rows_layout.addWidget(self.entrapment_title)
        self.rows_layout.addWidget(self.entrapment_list)
        self.rows_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.rows_box)
        layout.addWidget(scroll, 1)
        note = QLabel("Decision support for trained therapists, not a diagnosis.")
        note.setWordWrap(True)
        note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout.addWidget(note)
        self.setMinimumWidth(320)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        model.resultChanged.connect(self.show_result)
        self.show_result(model.result)

    def _row(self, i: int) -> CandidateRow:
        while len(self.rows) <= i:
            row = CandidateRow()
            row.hovered.connect(self._hover)
            row.unhovered.connect(self._unhover)
            row.clicked.connect(self._select)
            row.findingChosen.connect(self.model.set_finding)
            self.rows_layout.insertWidget(len(self.rows) + 1, row)
            self.rows.append(row)
        return self.rows[i]

    def show_result(self, result: LookupResult) -> None:
        cands = result.candidates[:MAX_ROWS]
        self.empty.setVisible(not cands)
        best = cands[0].score if cands else 1.0
        for i, c in enumerate(cands):
            row = self._row(i)
            row.show_candidate(i + 1, c, best)
            row.setVisible(True)
            self._highlight(row)
        for row in self.rows[len(cands) :]:
            row.setVisible(False)
        self.summary.setText(self._summary(result))
        self.summary.setVisible(bool(cands))
        self._show_entrapments(result.entrapments)
        if self.selected and self.selected not in {c.key for c in result.candidates}:
            self._select(None)

    def _summary(self, result: LookupResult) -> str:
        if not result.candidates:
            return ""
        if self.model.preview is not None:
            return f"{len(result.candidates)} candidates (ranking live while you draw)."
        combo = result.combination
        names = {c.key: c for c in result.candidates}
        parts = ", ".join(f"{short_label(names[k])} ({SIDE_TEXT[names[k].side].lower()})" for k in combo)
        if not combo:
            return "No combination explains the pain."
        n = len(combo)
        verb = "explains" if n == 1 else "explain"
        who = "This trigger point" if n == 1 else f"These {n}"
        return (
            f"{who} {verb} <b>{pct(result.combination_fraction)}</b> of the pain: {parts}. "
            f"Unexplained: {pct(result.unexplained_fraction)}."
        )

    def _show_entrapments(self, items: list[EntrapmentCandidate]) -> None:
        show = bool(items)
        self.entrapment_title.setVisible(show)
        self.entrapment_list.setVisible(show)
        if show:
            lines = [
                f"• <b>{e.nerve}</b> at the {e.muscle_name.lower()} ({SIDE_TEXT[e.side].lower()}): "
                f"{e.explanation_text()}."
                for e in items[:6]
            ]
            self.entrapment_list.setText("<br>".join(lines))

    def _hover(self, key: str) -> None:
        self._hovered = key
        self.patternRequested.emit(key)

    def _unhover(self, key: str) -> None:
        if self._hovered == key:
            self._hovered = None
            self.patternRequested.emit(self.selected)

    def _select(self, key: str | None) -> None:
        self.selected = key
        for row in self.rows:
            self._highlight(row)
        if self._hovered is None:
            self.patternRequested.emit(key)

    def _highlight(self, row: CandidateRow) -> None:
        on = row.key == self.selected and row.isVisible()
        pal = row.palette()
        base = self.palette().color(QPalette.ColorRole.Base)
        pal.setColor(
            QPalette.ColorRole.Window,
            self.palette().color(QPalette.ColorRole.Highlight).lighter(190)
            if on and base.lightness() > 128
            else (QColor("#20364a") if on else base),
        )
        row.setAutoFillBackground(True)
        row.setPalette(pal)

    def rows_shown(self) -> list[CandidateRow]:
        return [r for r in self.rows if r.isVisible()]
