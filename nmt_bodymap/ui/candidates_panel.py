"""The candidates panel: ranked trigger points, why they rank, palpation.

A row of tabs chooses the ranked list (today the whole drawing; the model's
``result_lists`` may offer one per complaint). Each list shows the
combination that explains most of the pain, then compact rows: rank, the
muscle and trigger point, a score, the palpation finding, and the reason in
one line (all of it in the tooltip). The nerve entrapments have their own
tab. Hover or select a row to see its pattern on the chart; double-click it,
or use its context menu, to open its atlas page. After a palpation finding
the list re-ranks and the row keeps its place under the pointer.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QContextMenuEvent, QEnterEvent, QFocusEvent, QKeyEvent, QMouseEvent, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTabBar,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nmt_bodymap.lookup import Candidate, EntrapmentCandidate, LookupResult, pct
from nmt_bodymap.ui.finding_menu import fill_finding_menu
from nmt_bodymap.ui.model import FINDING_TITLES, SessionModel, short_trp_label
from nmt_bodymap.ui.theme import app_palette, selection_background
from nmt_bodymap.ui.widgets import ElidedLabel, ScoreBar

PAGE = 25  # rows shown at first, and added by "Show more"
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
        self.why = ElidedLabel(muted=True)
        font = self.why.font()
        font.setPointSizeF(max(7.5, font.pointSizeF() - 0.5))
        self.why.setFont(font)
        grid.addWidget(self.rank, 0, 0)
        grid.addWidget(self.title, 0, 1)
        grid.addWidget(self.score, 0, 2)
        grid.addWidget(self.finding, 0, 3, 2, 1, Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(self.why, 1, 1, 1, 2)
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


class CandidatesPanel(QWidget):
    """Listens to the model's ranking; asks the model to record palpation."""

    patternRequested = Signal(object)  # candidate key or None
    unexplainedToggled = Signal(bool)
    atlasRequested = Signal(str)  # candidate key

    def __init__(self, model: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.selected: str | None = None
        self._hovered: str | None = None
        self._anchor: str | None = None
        self.limit = PAGE
        self.lists: list[tuple[str, LookupResult]] = []
        self.result: LookupResult = model.result
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 4)
        layout.setSpacing(4)
        layout.addWidget(QLabel("<b>Trigger point candidates</b>"))
        self.list_tabs = QTabBar()
        self.list_tabs.setExpanding(False)
        self.list_tabs.setDocumentMode(True)
        self.list_tabs.setAccessibleName("Ranked lists")
        self.list_tabs.currentChanged.connect(lambda _i: self._show_current())
        layout.addWidget(self.list_tabs)
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
        self.rows_layout.setSpacing(2)
        self.empty = QLabel(
            "Mark the client's pain on the chart: the trigger points whose referral patterns "
            "explain it will be listed here, best first."
        )
        self.empty.setWordWrap(True)
        self.empty.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.rows_layout.addWidget(self.empty)
        self.rows: list[CandidateRow] = []
        self.more = QPushButton()
        self.more.clicked.connect(self.show_more)
        self.rows_layout.addWidget(self.more, 0, Qt.AlignmentFlag.AlignHCenter)
        self.rows_layout.addStretch(1)
        self.list_scroll = QScrollArea()
        self.list_scroll.setWidgetResizable(True)
        self.list_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.list_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list_scroll.setWidget(self.rows_box)

        self.entrapment_list = QLabel()
        self.entrapment_list.setWordWrap(True)
        self.entrapment_list.setTextFormat(Qt.TextFormat.RichText)
        self.entrapment_list.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.entrapment_list.setMargin(6)
        entrapment_scroll = QScrollArea()
        entrapment_scroll.setWidgetResizable(True)
        entrapment_scroll.setFrameShape(QFrame.Shape.NoFrame)
        entrapment_scroll.setWidget(self.entrapment_list)
        self.sections = QTabWidget()
        self.sections.setDocumentMode(True)
        self.sections.addTab(self.list_scroll, "Trigger points")
        self.sections.addTab(entrapment_scroll, "Nerve entrapment")
        layout.addWidget(self.sections, 1)
        note = QLabel("Decision support for trained therapists, not a diagnosis.")
        note.setWordWrap(True)
        note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout.addWidget(note)
        self.setMinimumWidth(300)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        model.resultChanged.connect(lambda _r: self.set_lists(model.result_lists()))
        model.findingSet.connect(self._finding_set)
        self.set_lists(model.result_lists())

    # -- the lists -----------------------------------------------------------------

    def set_lists(self, lists: list[tuple[str, LookupResult]]) -> None:
        """Offer these ranked lists (label, result); keep the one shown by its label."""
        current = self.list_tabs.tabText(self.list_tabs.currentIndex()) if self.list_tabs.count() else ""
        self.lists = lists
        labels = [label for label, _r in lists]
        if labels != [self.list_tabs.tabText(i) for i in range(self.list_tabs.count())]:
            self.list_tabs.blockSignals(True)
            while self.list_tabs.count():
                self.list_tabs.removeTab(0)
            for label in labels:
                self.list_tabs.addTab(label)
            self.list_tabs.setCurrentIndex(labels.index(current) if current in labels else 0)
            self.list_tabs.blockSignals(False)
        self.list_tabs.setVisible(len(lists) > 1)
        self._show_current()

    def _show_current(self) -> None:
        index = max(0, self.list_tabs.currentIndex())
        if self.lists:
            self.show_result(self.lists[min(index, len(self.lists) - 1)][1])

    def show_result(self, result: LookupResult) -> None:
        self.result = result
        anchor, self._anchor = self._anchor, None
        anchor_y = self._row_y(anchor) if anchor else None
        keys = [c.key for c in result.candidates]
        if anchor in keys:  # show it, and enough rows below it to scroll it back to where it was
            below = self.list_scroll.viewport().height() // max(self._row(0).height(), 1) + 1
            self.limit = max(self.limit, keys.index(anchor) + 1 + below)
        cands = result.candidates[: self.limit]
        self.empty.setVisible(not cands)
        best = cands[0].score if cands else 1.0
        for i, c in enumerate(cands):
            row = self._row(i)
            row.show_candidate(i + 1, c, best)
            row.setVisible(True)
        for row in self.rows[len(cands) :]:
            row.setVisible(False)
        rest = len(result.candidates) - len(cands)
        self.more.setText(f"Show {min(PAGE, rest)} more (of {len(result.candidates)})")
        self.more.setVisible(rest > 0)
        self.summary.setText(self._summary(result))
        self.summary.setVisible(bool(cands))
        self._show_entrapments(result.entrapments)
        self.sections.setTabText(0, f"Trigger points ({len(result.candidates)})" if cands else "Trigger points")
        if self.selected and self.selected not in keys:
            self._select(None)
        self._paint_selection()
        if anchor in keys:
            self._keep_in_place(anchor, anchor_y)

    def show_more(self) -> None:
        self.limit += PAGE
        self.show_result(self.result)

    def _row(self, i: int) -> CandidateRow:
        while len(self.rows) <= i:
            row = CandidateRow(self.model)
            row.hovered.connect(self._hover)
            row.unhovered.connect(self._unhover)
            row.clicked.connect(self._select)
            row.atlasRequested.connect(self.atlasRequested)
            row.moveFocus.connect(self._move_focus)
            self.rows_layout.insertWidget(len(self.rows) + 1, row)
            self.rows.append(row)
        return self.rows[i]

    def rows_shown(self) -> list[CandidateRow]:
        return [r for r in self.rows if r.isVisible()]

    def row_for(self, key: str) -> CandidateRow | None:
        return next((r for r in self.rows if r.key == key and not r.isHidden()), None)

    # -- keeping the row put ---------------------------------------------------------

    def _finding_set(self, key: str) -> None:
        self._anchor = key
        self.selected = key

    def _row_y(self, key: str) -> int | None:
        """Where a row sits in the visible part of the list (pixels from its top)."""
        row = self.row_for(key)
        if row is None or not row.isVisible():
            return None
        return row.mapTo(self.list_scroll.viewport(), QPoint(0, 0)).y()

    def _keep_in_place(self, key: str, y: int | None) -> None:
        """Scroll so the row of ``key`` is where it was (or in sight, if it was not)."""
        self.rows_layout.activate()
        self.rows_box.resize(self.list_scroll.viewport().width(), max(self.rows_box.sizeHint().height(), 1))
        self._scroll_row_to(key, y)
        # the scroll area settles its range once the layout has run: place the row again then
        QTimer.singleShot(0, lambda: self._scroll_row_to(key, y))

    def _scroll_row_to(self, key: str, y: int | None) -> None:
        row = self.row_for(key)
        if row is None:
            return
        bar = self.list_scroll.verticalScrollBar()
        top = row.mapTo(self.rows_box, QPoint(0, 0)).y()
        if y is not None and 0 <= y <= self.list_scroll.viewport().height() - row.height() // 2:
            bar.setValue(top - y)
        else:
            self.list_scroll.ensureWidgetVisible(row, 0, row.height())

    # -- text ------------------------------------------------------------------------

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
        self.sections.setTabText(1, f"Nerve entrapment ({len(items)})" if items else "Nerve entrapment")
        self.sections.setTabEnabled(1, bool(items))
        if items:
            lines = [
                f"<p><b>{e.nerve}</b> at the {e.muscle_name.lower()} ({SIDE_TEXT[e.side].lower()}): "
                f"{e.explanation_text()}.</p>"
                for e in items
            ]
            self.entrapment_list.setText("".join(lines))
        else:
            self.entrapment_list.setText(
                "Numbness, tingling or burning drawn on the chart lists the nerve entrapments to consider here."
            )
            if self.sections.currentIndex() == 1:
                self.sections.setCurrentIndex(0)

    # -- hover and selection ---------------------------------------------------------

    def _hover(self, key: str) -> None:
        self._hovered = key
        self.patternRequested.emit(key)

    def _unhover(self, key: str) -> None:
        if self._hovered == key:
            self._hovered = None
            self.patternRequested.emit(self.selected)

    def _select(self, key: str | None) -> None:
        self.selected = key
        self._paint_selection()
        if self._hovered is None:
            self.patternRequested.emit(key)

    def _move_focus(self, row: CandidateRow, step: int) -> None:
        shown = self.rows_shown()
        if row in shown:
            i = min(max(shown.index(row) + step, 0), len(shown) - 1)
            shown[i].setFocus(Qt.FocusReason.TabFocusReason)
            self.list_scroll.ensureWidgetVisible(shown[i], 0, 4)

    def _paint_selection(self) -> None:
        pal = app_palette()
        chosen = selection_background(pal)
        base = pal.color(QPalette.ColorRole.Base)
        for row in self.rows:
            p = row.palette()
            p.setColor(QPalette.ColorRole.Window, chosen if row.key == self.selected else base)
            row.setPalette(p)

    def refresh_theme(self) -> None:
        self._paint_selection()
        for row in self.rows:
            row.why.update()


__all__ = ["PAGE", "CandidateRow", "CandidatesPanel", "row_reason", "short_label"]
