"""The candidates panel: ranked trigger points, why they rank, palpation.

A row of tabs (:class:`~nmt_bodymap.ui.complaint_tabs.ComplaintTabs`)
chooses the ranked list: the whole drawing, then each complaint with its
own ranking (the model's ``result_lists``). Each list shows the combination
that explains most of the pain, then compact rows: rank, the muscle and
trigger point, a score, the palpation finding, whether it was treated
today, and the reason in one line (all of it in the tooltip). The nerves
(:class:`~nmt_bodymap.ui.nerve_results.NerveResults`: the nerves and
dermatomes that fit the paresthesia, with the differential) and the nerve
entrapments have their own tab. Hover or select a row to see its pattern on
the chart; double-click it, or use its context menu, to open its atlas page.
After a palpation finding the list re-ranks and the row keeps its place
under the pointer.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from nmt_bodymap.lookup import EntrapmentCandidate, LookupResult, pct
from nmt_bodymap.ui.candidate_row import SIDE_TEXT, CandidateRow, short_label
from nmt_bodymap.ui.complaint_tabs import ComplaintTabs
from nmt_bodymap.ui.model import RankedList, SessionModel
from nmt_bodymap.ui.nerve_results import NerveResults
from nmt_bodymap.ui.theme import app_palette, selection_background

PAGE = 25  # rows shown at first, and added by "Show more"


class CandidatesPanel(QWidget):
    """Listens to the model's ranking; asks the model to record palpation."""

    patternRequested = Signal(object)  # candidate key or None
    unexplainedToggled = Signal(bool)
    atlasRequested = Signal(str)  # candidate key
    nerveHovered = Signal(object)  # a nerve result of the lookup, or None
    nerveAtlasRequested = Signal(str)  # nerve id

    def __init__(self, model: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.selected: str | None = None
        self._hovered: str | None = None
        self._anchor: str | None = None
        self.limit = PAGE
        self.lists: list[RankedList] = []
        self.result: LookupResult = model.result
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 4)
        layout.setSpacing(4)
        layout.addWidget(QLabel("<b>Trigger point candidates</b>"))
        self.list_tabs = ComplaintTabs()
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

        self.nerve_results = NerveResults(model.nerve_atlas)
        self.nerve_results.nerveHovered.connect(self.nerveHovered)
        self.nerve_results.atlasRequested.connect(self.nerveAtlasRequested)
        self.entrapment_list = QLabel()
        self.entrapment_list.setWordWrap(True)
        self.entrapment_list.setTextFormat(Qt.TextFormat.RichText)
        self.entrapment_list.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.entrapment_list.setMargin(6)
        nerve_box = QWidget()
        nerve_layout = QVBoxLayout(nerve_box)
        nerve_layout.setContentsMargins(0, 0, 0, 0)
        nerve_layout.addWidget(self.nerve_results)
        nerve_layout.addWidget(self.entrapment_list)
        nerve_layout.addStretch(1)
        entrapment_scroll = QScrollArea()
        entrapment_scroll.setWidgetResizable(True)
        entrapment_scroll.setFrameShape(QFrame.Shape.NoFrame)
        entrapment_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        entrapment_scroll.setWidget(nerve_box)
        self.sections = QTabWidget()
        self.sections.setDocumentMode(True)
        self.sections.addTab(self.list_scroll, "Trigger points")
        self.sections.addTab(entrapment_scroll, "Nerves")
        layout.addWidget(self.sections, 1)
        note = QLabel("Decision support for trained therapists, not a diagnosis.")
        note.setWordWrap(True)
        note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout.addWidget(note)
        self.setMinimumWidth(300)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        model.resultChanged.connect(lambda _r: self.set_lists(model.result_lists()))
        model.findingSet.connect(self._finding_set)
        model.detailsChanged.connect(self._sync_treated)
        self.set_lists(model.result_lists())

    # -- the lists -----------------------------------------------------------------

    def set_lists(self, lists: Sequence[RankedList | tuple[str, LookupResult]]) -> None:
        """Offer these ranked lists; the one shown stays (the same complaint, else the same name)."""
        self.list_tabs.set_lists(lists)
        self.lists = self.list_tabs.lists
        self._show_current()

    def current_list(self) -> RankedList | None:
        return self.list_tabs.current_list()

    def show_complaint(self, complaint_id: str) -> bool:
        """Show a complaint's own list; False when no tab holds it."""
        index = self.list_tabs.index_of(complaint_id)
        if index >= 0:
            self.list_tabs.setCurrentIndex(index)
        return index >= 0

    def _show_current(self) -> None:
        current = self.list_tabs.current_list()
        if current is not None:
            self.show_result(current.result)

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
        self._show_nerves(result, result.entrapments)
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

    def _sync_treated(self) -> None:
        for row in self.rows_shown():
            row.sync_treated()

    def rows_shown(self) -> list[CandidateRow]:
        return [r for r in self.rows if r.isVisible()]

    def row_for(self, key: str) -> CandidateRow | None:
        return next((r for r in self.rows if r.key == key and not r.isHidden()), None)

    # -- keeping the row put ---------------------------------------------------------

    def _finding_set(self, key: str) -> None:
        self._anchor = key
        self.selected = key

    def _row_y(self, key: str) -> int | None:
        """Where a row sits in the panel (pixels from its top), if it is in the visible part of the list."""
        row = self.row_for(key)
        viewport = self.list_scroll.viewport()
        if row is None or not row.isVisible():
            return None
        y = row.mapTo(viewport, QPoint(0, 0)).y()
        return y + viewport.mapTo(self, QPoint(0, 0)).y() if 0 <= y < viewport.height() else None

    def _keep_in_place(self, key: str, y: int | None) -> None:
        """Scroll so the row of ``key`` is where it was in the panel, under the pointer (or in sight)."""
        layout = self.layout()
        if layout is not None:
            layout.activate()  # the summary above the list may have changed height
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
        viewport = self.list_scroll.viewport()
        top = row.mapTo(self.rows_box, QPoint(0, 0)).y()
        in_list = None if y is None else y - viewport.mapTo(self, QPoint(0, 0)).y()
        if in_list is not None and 0 <= in_list <= viewport.height() - row.height() // 2:
            bar.setValue(top - in_list)
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

    def _show_nerves(self, result: LookupResult, items: list[EntrapmentCandidate]) -> None:
        nerves = self.nerve_results.show_result(result)
        count = len(items) or nerves
        self.sections.setTabText(1, f"Nerves ({count})" if count else "Nerves")
        self.sections.setTabEnabled(1, bool(items or nerves))
        if items:
            lines = [
                f"<p><b>{e.nerve}</b> at the {e.muscle_name.lower()} ({SIDE_TEXT[e.side].lower()}): "
                f"{e.explanation_text()}.</p>"
                for e in items
            ]
            title = "<p><b>Nerve entrapment by muscles</b></p>" if nerves else ""
            self.entrapment_list.setText(title + "".join(lines))
        elif nerves:
            self.entrapment_list.setText("")
        else:
            self.entrapment_list.setText(
                "Numbness, tingling or burning drawn on the chart lists the nerves and entrapments to consider here."
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
        box = pal.color(QPalette.ColorRole.Button)  # the treated box's square, visible on the row in both themes
        for row in self.rows:
            p = row.palette()
            p.setColor(QPalette.ColorRole.Window, chosen if row.key == self.selected else base)
            row.setPalette(p)
            q = row.treated.palette()
            q.setColor(QPalette.ColorRole.Base, box)
            row.treated.setPalette(q)

    def refresh_theme(self) -> None:
        self._paint_selection()
        for row in self.rows:
            row.why.update()


__all__ = ["PAGE", "CandidateRow", "CandidatesPanel"]
