"""Compare two visits of a client: pick them, choose side by side or overlaid.

A window of its own (not modal), so the therapist can keep it open while
talking the client through the change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from nmt_bodymap.chart import Chart
from nmt_bodymap.ui.compare_view import ComparisonPicture
from nmt_bodymap.ui.records_model import RecordsModel

if TYPE_CHECKING:
    from nmt_bodymap.session import Session
    from nmt_bodymap.store import VisitSummary


class CompareDialog(QDialog):
    """Two visits of one client compared (the earlier is always shown as "then")."""

    def __init__(
        self,
        records: RecordsModel,
        chart: Chart,
        client_id: int,
        pair: tuple[int, int] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.records = records
        client, visits = records.store().client_page(client_id)
        self.visits: list[VisitSummary] = visits
        self._sessions: dict[int, Session] = {}
        self.setWindowTitle(f"Compare visits: {client.label} ({client.code})")
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.first = QComboBox()
        self.second = QComboBox()
        for combo, name in ((self.first, "Earlier visit"), (self.second, "Later visit")):
            combo.setAccessibleName(name)
            for v in visits:
                combo.addItem(f"{v.date.isoformat()}  ({v.extent_percent:.1f} % of the body)", v.id)
        label = QLabel("&Compare")
        label.setBuddy(self.first)
        row.addWidget(label)
        row.addWidget(self.first)
        row.addWidget(QLabel("with"))
        row.addWidget(self.second)
        row.addSpacing(16)
        self.modes = QButtonGroup(self)
        self.side_by_side = QRadioButton("&Side by side")
        self.overlaid = QRadioButton("&Overlaid")
        for button in (self.side_by_side, self.overlaid):
            self.modes.addButton(button)
            row.addWidget(button)
        self.side_by_side.setChecked(True)
        row.addStretch(1)
        layout.addLayout(row)
        self.picture = ComparisonPicture(chart)
        layout.addWidget(self.picture, 1)
        ids = [v.id for v in visits]
        if pair is None:
            pair = (ids[-2], ids[-1]) if len(ids) >= 2 else (ids[0], ids[0]) if ids else (0, 0)
        if ids:
            self.first.setCurrentIndex(ids.index(pair[0]) if pair[0] in ids else 0)
            self.second.setCurrentIndex(ids.index(pair[1]) if pair[1] in ids else len(ids) - 1)
        self.first.currentIndexChanged.connect(lambda _i: self.refresh())
        self.second.currentIndexChanged.connect(lambda _i: self.refresh())
        self.side_by_side.toggled.connect(lambda on: self.picture.set_mode("side-by-side" if on else "overlaid"))
        self.refresh()
        self.resize(1100, 800)

    def _session(self, visit_id: int) -> Session:
        if visit_id not in self._sessions:
            self._sessions[visit_id] = self.records.store().visit(visit_id).session
        return self._sessions[visit_id]

    def refresh(self) -> None:
        if not self.visits:
            return
        by_id = {v.id: v for v in self.visits}
        a, b = by_id[self.first.currentData()], by_id[self.second.currentData()]
        if (b.date, b.id) < (a.date, a.id):
            a, b = b, a  # "then" is the earlier visit whichever way they were picked
        self.picture.set_sessions(self._session(a.id), self._session(b.id), (a.date.isoformat(), b.date.isoformat()))

    def set_mode(self, mode: str) -> None:
        (self.side_by_side if mode == "side-by-side" else self.overlaid).setChecked(True)


__all__ = ["CompareDialog"]
