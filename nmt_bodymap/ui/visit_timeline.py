"""A client's visits as a timeline: date, therapist, pain extent, pain before and after, status, who saved it.

Newest first, as a therapist looks for the last visit. The status says
whether a visit is still open (editable freely), closed (a record: saving
it again keeps the earlier version) or amended (closed, and changed since:
its amendment history has the earlier versions). The last columns say who
recorded each visit and who last changed it (the tooltip: when; several therapists
share a clinic's record). Select two visits to compare them; double-click
(or Enter) opens a visit in the chart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from nmt_bodymap.ui.records_model import amended

if TYPE_CHECKING:
    from nmt_bodymap.store import VisitSummary

COLUMNS = ("Date", "Therapist", "Pain extent", "Pain before → after", "Overlap", "Status", "Recorded / changed by")
AMENDED_MARK = "✎"


def status_text(visit: VisitSummary) -> str:
    if amended(visit):
        return f"{AMENDED_MARK} amended"
    return "closed" if visit.closed else "open"


def local_time(value: dt.datetime) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M")


def saved_by_text(visit: VisitSummary) -> str:
    """Who recorded a visit, and who last changed what it says ("R. Lee / S. Okafor") if it was changed."""
    recorded = visit.created_by or "–"
    if visit.updated_at == visit.created_at:
        return recorded
    return f"{recorded} / {visit.updated_by or '–'}"


def saved_by_tip(visit: VisitSummary) -> str:
    tip = f"Recorded by {visit.created_by or 'an unknown user'} at {local_time(visit.created_at)}"
    if visit.updated_at != visit.created_at:
        tip += f"; last changed by {visit.updated_by or 'an unknown user'} at {local_time(visit.updated_at)}"
    return tip + f" (version {visit.version})"


def rating(value: int | None) -> str:
    return "–" if value is None else str(value)


class VisitTimeline(QTreeWidget):
    openRequested = Signal(int)  # visit id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.visits: list[VisitSummary] = []
        self.setColumnCount(len(COLUMNS))
        self.setHeaderLabels(list(COLUMNS))
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAccessibleName("Visits")
        header = self.header()
        header.setStretchLastSection(False)
        for column in range(len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.itemActivated.connect(
            lambda item, _c: self.openRequested.emit(int(item.data(0, Qt.ItemDataRole.UserRole)))
        )
        self.setToolTip("Double-click a visit to open it in the chart; select two to compare them")

    def set_visits(self, visits: Sequence[VisitSummary]) -> None:
        """Show ``visits`` (oldest first, as the store lists them), newest at the top."""
        selected = set(self.selected_ids())
        self.visits = list(visits)
        self.clear()
        items = []
        for v in reversed(self.visits):
            overlap = "–" if v.jaccard_previous is None else f"{v.jaccard_previous:.2f}"
            item = QTreeWidgetItem(
                [
                    v.date.isoformat(),
                    v.therapist or "–",
                    f"{v.extent_percent:.1f} %",
                    f"{rating(v.pain_before)} → {rating(v.pain_after)}",
                    overlap,
                    status_text(v),
                    saved_by_text(v),
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, v.id)
            item.setToolTip(6, saved_by_tip(v))
            item.setToolTip(4, "Overlap with the previous visit's drawing (Jaccard index: 1 the same, 0 none)")
            item.setToolTip(5, _status_tip(v))
            for column in (2, 3, 4):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if amended(v):
                font = QFont(item.font(5))
                font.setBold(True)
                item.setFont(5, font)
            items.append(item)
        self.addTopLevelItems(items)
        for item in items:
            if int(item.data(0, Qt.ItemDataRole.UserRole)) in selected:
                item.setSelected(True)

    def selected_ids(self) -> list[int]:
        """The selected visits' ids, oldest first."""
        order = {v.id: i for i, v in enumerate(self.visits)}
        ids = [int(item.data(0, Qt.ItemDataRole.UserRole)) for item in self.selectedItems()]
        return sorted(ids, key=lambda i: order.get(i, 0))

    def current_id(self) -> int | None:
        item = self.currentItem()
        return int(item.data(0, Qt.ItemDataRole.UserRole)) if item is not None else None

    def select_ids(self, ids: Sequence[int]) -> None:
        self.clearSelection()
        for i in range(self.topLevelItemCount()):
            item = self.topLevelItem(i)
            if item is not None and int(item.data(0, Qt.ItemDataRole.UserRole)) in ids:
                item.setSelected(True)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        item = self.currentItem()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and item is not None:
            self.openRequested.emit(int(item.data(0, Qt.ItemDataRole.UserRole)))
            return
        super().keyPressEvent(event)


def _status_tip(v: VisitSummary) -> str:
    if amended(v):
        return "Closed, then amended: the amendment history keeps every earlier version"
    if v.closed:
        return "Closed: a record. Saving it again keeps this version in its amendment history"
    return "Open: can be edited freely until it is closed"


__all__ = ["COLUMNS", "VisitTimeline", "saved_by_text", "status_text"]
