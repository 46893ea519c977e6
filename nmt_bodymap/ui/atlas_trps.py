"""The trigger points of the muscle shown in the atlas: pick one to see it alone, record palpation.

One row per trigger point with how often the literature finds it, and a
palpation button for each side of the body where it exists, so a finding can
be recorded for any trigger point, listed among the candidates or not.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHeaderView, QMenu, QToolButton, QTreeWidget, QTreeWidgetItem, QWidget

from nmt_bodymap.atlas import Muscle
from nmt_bodymap.ui.atlas_text import prevalence_short, prevalence_words
from nmt_bodymap.ui.finding_menu import fill_finding_menu
from nmt_bodymap.ui.model import FINDING_TITLES, SessionModel, short_trp_label

ALL = ""  # the row that shows every trigger point together
SIDES = ("right", "left")


class TriggerPointTable(QTreeWidget):
    """Trigger points of one muscle; choosing a row emits its id ("" for all of them)."""

    trpChosen = Signal(str)

    def __init__(self, model: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session_model = model
        self.muscle: Muscle | None = None
        self.buttons: dict[str, QToolButton] = {}  # sided key -> palpation button
        self.setColumnCount(4)
        self.setHeaderLabels(["Trigger point", "How common", "Right", "Left"])
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAccessibleName("Trigger points of this muscle")
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        for col in (2, 3):  # room for the longest finding on its button
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(col, self.fontMetrics().horizontalAdvance("Not tender") + 36)
        self.currentItemChanged.connect(self._chosen)
        model.findingsChanged.connect(self._sync_findings)

    def show_muscle(self, muscle: Muscle) -> None:
        self.blockSignals(True)
        self.clear()
        self.buttons.clear()
        self.muscle = muscle
        everything = QTreeWidgetItem([f"All {len(muscle.trigger_points)} trigger points together", "", "", ""])
        everything.setData(0, Qt.ItemDataRole.UserRole, ALL)
        if len(muscle.trigger_points) > 1:
            self.addTopLevelItem(everything)
        midline = any(s.side == "midline" for s in self.session_model.atlas.sided_for(muscle.id))
        self.setHeaderLabels(
            ["Trigger point", "How common", "Midline" if midline else "Right", "" if midline else "Left"]
        )
        for trp in muscle.trigger_points:
            item = QTreeWidgetItem([trp.label, prevalence_short(trp), "", ""])
            item.setData(0, Qt.ItemDataRole.UserRole, trp.id)
            item.setToolTip(0, f"{trp.label}: {trp.location}")
            words = prevalence_words(trp)
            item.setToolTip(1, f"{words[:1].upper()}{words[1:]}. {trp.prevalence_basis}" if words else "Not given")
            self.addTopLevelItem(item)
            keys = [f"{muscle.id}/{trp.id}"] if midline else [f"{muscle.id}/{trp.id}:{side}" for side in SIDES]
            for col, key in enumerate(keys, start=2):
                if self.session_model.sided(key) is not None:
                    self.setItemWidget(item, col, self._button(key))
        first = self.topLevelItem(0)
        if first is not None:
            self.setCurrentItem(first)
        self.blockSignals(False)
        self._sync_findings()
        self._fit_height()

    def _fit_height(self, most_rows: int = 6) -> None:
        """As tall as its rows (up to ``most_rows``), so the pattern above gets the rest."""
        rows = min(self.topLevelItemCount(), most_rows)
        first = self.topLevelItem(0)
        row_h = max(self.sizeHintForRow(0), self.visualItemRect(first).height() if first else 0, 22)
        self.setFixedHeight(self.header().sizeHint().height() + rows * row_h + 2 * self.frameWidth() + 2)

    def _button(self, key: str) -> QToolButton:
        button = QToolButton()
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        button.setAutoRaise(True)
        menu = QMenu(button)
        menu.aboutToShow.connect(lambda: self._fill(menu, key))
        button.setMenu(menu)
        self.buttons[key] = button
        return button

    def _fill(self, menu: QMenu, key: str) -> None:
        menu.clear()
        fill_finding_menu(menu, self.session_model, key)

    def palpation_menu(self, key: str) -> QMenu:
        """The palpation menu of a sided trigger point, filled (for tests and keyboard use)."""
        menu = self.buttons[key].menu()
        self._fill(menu, key)
        return menu

    def _sync_findings(self) -> None:
        findings = self.session_model.session.findings
        for key, button in self.buttons.items():
            finding = findings.get(key)
            button.setText(FINDING_TITLES[finding] if finding else "Palpate…")
            sided = self.session_model.sided(key)
            who = f"{sided.muscle.name} {short_trp_label(sided.trp.label)} ({sided.side})" if sided else key
            button.setToolTip(f"Palpation finding of {who}")
            button.setAccessibleName(f"Palpation of {who}: {button.text()}")

    def select_trp(self, trp_id: str) -> None:
        for i in range(self.topLevelItemCount()):
            item = self.topLevelItem(i)
            if item is not None and item.data(0, Qt.ItemDataRole.UserRole) == trp_id:
                self.setCurrentItem(item)
                return

    def current_trp(self) -> str:
        item = self.currentItem()
        return str(item.data(0, Qt.ItemDataRole.UserRole)) if item is not None else ALL

    def _chosen(self, item: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        if item is not None:
            trp_id = str(item.data(0, Qt.ItemDataRole.UserRole))
            single = self.muscle is not None and len(self.muscle.trigger_points) == 1
            self.trpChosen.emit(ALL if single else trp_id)


__all__ = ["ALL", "TriggerPointTable"]
