"""One row of the candidate list: rank, muscle and trigger point, score, palpation, and why.

Compact (two lines, the whole sentence in the tooltip), so at least ten
candidates are in sight on a laptop screen. Hover or click shows the
pattern on the chart; double-click, Enter or the context menu opens the
atlas page; the palpation button and the context menu record findings; the
"Treated" box (and the context menu) records the trigger point as treated
in this visit's treatment record.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QContextMenuEvent, QEnterEvent, QFocusEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QCheckBox, QFrame, QGridLayout, QLabel, QMenu, QToolButton, QWidget

from nmt_bodymap.lookup import Candidate, pct
from nmt_bodymap.ui.finding_menu import fill_finding_menu
from nmt_bodymap.ui.model import FINDING_TITLES, SessionModel, short_trp_label, trigger_point_title
from nmt_bodymap.ui.widgets import ElidedLabel, ScoreBar

SIDE_TEXT = {"right": "Right", "left": "Left", "midline": "Midline"}


def row_reason(c: Candidate) -> str:
    """Why a candidate ranks where it does, in the fewest words (the tooltip has the full sentence)."""
    parts = [f"{pct(c.essential_share)} of the pain in its essential zone"]
    if c.spillover_share >= 0.005:
        parts.append(f"{pct(c.spillover_share)} in its spillover")
    if c.zone_painted < 0.995:
        parts.append(f"zone {pct(c.zone_painted)} painted")
    if c.pain_over_trp:
        parts.append("pain over the TrP")
    if c.palpation:
        parts.append(f"palpated {FINDING_TITLES[c.palpation].lower()}")
    return "; ".join(parts)


def short_label(c: Candidate) -> str:
    """Muscle and TrP number for summaries: "Trapezius TrP1"."""
    head = short_trp_label(c.trigger_point_label)
    return f"{c.muscle_name} {head}" if head != c.trigger_point_label else c.muscle_name


class CandidateRow(QFrame):
    """One candidate in two lines; hover or click shows its pattern on the chart."""

    hovered = Signal(str)
    unhovered = Signal(str)
    clicked = Signal(str)
    atlasRequested = Signal(str)
    moveFocus = Signal(object, int)

    def __init__(self, model: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.key = ""
        self.candidate: Candidate | None = None
        self.setObjectName("candidateRow")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_Hover)
        self.setAutoFillBackground(True)
        grid = QGridLayout(self)
        grid.setContentsMargins(6, 3, 6, 3)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(0)
        self.rank = QLabel()
        self.rank.setFixedWidth(self.fontMetrics().horizontalAdvance("000.") + 2)
        self.rank.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.title = ElidedLabel()
        self.score = ScoreBar()
        self.finding = QToolButton()
        self.finding.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.finding.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.finding.setToolTip("Palpation finding for this trigger point (re-ranks the list)")
        self.finding.setFixedWidth(self.fontMetrics().horizontalAdvance("Not tender") + 24)
        self._menu = QMenu(self.finding)
        self._menu.aboutToShow.connect(self._fill_menu)
        self.finding.setMenu(self._menu)
        self.treated = QCheckBox("Treated")
        self.treated.setToolTip("Treated in this session (fills the visit's treatment record)")
        self.treated.toggled.connect(self._treated_toggled)
        self.why = ElidedLabel(muted=True)
        font = self.why.font()
        font.setPointSizeF(max(7.5, font.pointSizeF() - 0.5))
        self.why.setFont(font)
        grid.addWidget(self.rank, 0, 0)
        grid.addWidget(self.title, 0, 1)
        grid.addWidget(self.score, 0, 2)
        grid.addWidget(self.finding, 0, 3, 2, 1, Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(self.why, 1, 1)
        grid.addWidget(self.treated, 1, 2)
        grid.setColumnStretch(1, 1)
        self.setFixedHeight(self.sizeHint().height())

    def show_candidate(self, rank: int, c: Candidate, best: float) -> None:
        self.key = c.key
        self.candidate = c
        self.rank.setText(f"{rank}.")
        self.title.set_text(f"({c.side}) {c.trigger_point_label}", lead=c.muscle_name)
        self.score.set_score(c.score, best)
        why = c.explanation_text()
        reason = row_reason(c)
        self.why.set_text(reason[:1].upper() + reason[1:])
        self.finding.setText(FINDING_TITLES[c.palpation] if c.palpation else "Palpate…")
        self.setToolTip(
            f"<b>{c.muscle_name}</b>, {c.trigger_point_label}, {SIDE_TEXT[c.side].lower()} side<br>"
            f"Score {c.score:.1f}: {why}.<br><i>Double-click for its atlas page.</i>"
        )
        self.setAccessibleName(f"Candidate {rank}: {c.muscle_name}, {c.trigger_point_label}, {SIDE_TEXT[c.side]}")
        self.treated.setAccessibleName(f"Treated: {c.muscle_name} {short_trp_label(c.trigger_point_label)}")
        self.sync_treated()

    def sync_treated(self) -> None:
        """Show whether the trigger point is in this session's treatment record."""
        self.treated.blockSignals(True)
        self.treated.setChecked(self.model.is_treated(self.key))
        self.treated.blockSignals(False)

    def _treated_toggled(self, on: bool) -> None:
        if self.key:
            sided = self.model.sided(self.key)
            who = trigger_point_title(sided) if sided is not None else self.key
            who = who[:1].lower() + who[1:] if who[:2] != who[:2].upper() else who  # as the finding's undo text
            self.model.mark_treated(self.key, on, f"Mark {who} treated" if on else f"Mark {who} not treated")

    def palpation_menu(self) -> QMenu:
        """The row's palpation menu, filled for its current trigger point."""
        self._fill_menu()
        return self._menu

    def _fill_menu(self) -> None:
        self._menu.clear()
        fill_finding_menu(self._menu, self.model, self.key)

    def context_menu(self) -> QMenu:
        menu = QMenu(self)
        menu.addAction("Open in the &atlas", lambda: self.atlasRequested.emit(self.key))
        menu.addAction("&Show its pattern on the chart", lambda: self.clicked.emit(self.key))
        menu.addSeparator()
        fill_finding_menu(menu, self.model, self.key)
        menu.addSeparator()
        treated = menu.addAction("&Treated in this session")
        treated.setCheckable(True)
        treated.setChecked(self.model.is_treated(self.key))
        treated.toggled.connect(self.treated.setChecked)
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        self.clicked.emit(self.key)
        menu = self.context_menu()
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(event.globalPos())

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

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.atlasRequested.emit(self.key)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.atlasRequested.emit(self.key)
        elif event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.moveFocus.emit(self, -1 if event.key() == Qt.Key.Key_Up else 1)
        else:
            super().keyPressEvent(event)


__all__ = ["SIDE_TEXT", "CandidateRow", "row_reason", "short_label"]
