"""The treatment record of a visit: trigger points treated, technique, pain before and after.

Trigger points are picked from the current candidates (listed first, best
first) or from the whole atlas, by typing any part of the muscle's name;
the candidate panel can also mark one treated through
:meth:`SessionModel.mark_treated`. Pain is the client's own rating, 0–10,
or "not rated". Every edit is one undo step of the session.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from nmt_bodymap.atlas import SidedTriggerPoint
from nmt_bodymap.ui.model import SessionModel

SIDE_WORDS = {"right": "right", "left": "left", "midline": "midline"}
NOT_RATED = -1


def trigger_point_name(sided: SidedTriggerPoint | None, key: str) -> str:
    """ "Trapezius TrP1 (right)" for a sided trigger point; the key itself when the atlas lacks it."""
    if sided is None:
        return key
    short = sided.trp.label.split(",")[0].strip()  # "TrP1", "Superficial (lateral) upper TrP"
    return f"{sided.muscle.name} {short} ({SIDE_WORDS.get(sided.side, sided.side)})"


class PainRating(QSpinBox):
    """0–10, or "not rated" (None)."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(NOT_RATED, 10)
        self.setSpecialValueText("not rated")
        self.setAccessibleName(name)
        self.setToolTip(f"{name}: the client's own rating, 0 (none) to 10 (worst imaginable)")

    def rating(self) -> int | None:
        return None if self.value() == NOT_RATED else self.value()

    def show_rating(self, value: int | None) -> None:
        wanted = NOT_RATED if value is None else value
        if self.value() != wanted:
            self.blockSignals(True)
            self.setValue(wanted)
            self.blockSignals(False)


class TreatmentBox(QGroupBox):
    def __init__(self, model: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__("Treatment", parent)
        self.model = model
        self._sided = model.atlas.by_key()
        self._listed_candidates: list[str] = []
        layout = QVBoxLayout(self)
        self.treated = QListWidget()
        self.treated.setAccessibleName("Trigger points treated")
        self.treated.setMaximumHeight(110)
        self.treated.setWordWrap(True)
        self.treated.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(self.treated)
        pick_row = QHBoxLayout()
        self.picker = QComboBox()
        self.picker.setEditable(True)
        self.picker.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.picker.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.picker.setMinimumContentsLength(10)
        editor = self.picker.lineEdit()
        if editor is not None:
            editor.setPlaceholderText("Add a trigger point treated…")
        self.picker.setAccessibleName("Add a trigger point treated")
        self.picker.setToolTip("The candidates come first; type any part of a muscle's name to find it in the atlas")
        completer = QCompleter(self.picker.model(), self.picker)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.picker.setCompleter(completer)
        self.picker.activated.connect(self._picked)
        self.add_button = QPushButton("Add")
        self.add_button.clicked.connect(lambda: self._picked(self.picker.currentIndex()))
        self.remove_button = QPushButton("Remove the selected")
        self.remove_button.setToolTip("Take the selected trigger point off the treatment record")
        self.remove_button.clicked.connect(self._remove_selected)
        pick_row.addWidget(self.picker, 1)
        pick_row.addWidget(self.add_button)
        layout.addLayout(pick_row)
        remove_row = QHBoxLayout()
        remove_row.addStretch(1)
        remove_row.addWidget(self.remove_button)
        layout.addLayout(remove_row)
        form = QFormLayout()
        self.technique = QLineEdit()
        self.technique.setPlaceholderText("e.g. ischemic compression, stretch and spray, myofascial release")
        self.technique.setAccessibleName("Technique")
        self.technique.textEdited.connect(
            lambda text: self.model.set_treatment(replace(self.model.session.treatment, technique=text), "technique")
        )
        form.addRow("&Technique", self.technique)
        self.pain_before = PainRating("Pain before treatment")
        self.pain_after = PainRating("Pain after treatment")
        self.pain_before.valueChanged.connect(lambda _v: self._ratings_changed("pain_before"))
        self.pain_after.valueChanged.connect(lambda _v: self._ratings_changed("pain_after"))
        ratings = QHBoxLayout()
        ratings.addWidget(self.pain_before)
        ratings.addWidget(self.pain_after)
        ratings_label = QLabel("Pain &before / after")
        ratings_label.setBuddy(self.pain_before)
        form.addRow(ratings_label, ratings)
        layout.addLayout(form)
        model.detailsChanged.connect(self.sync)
        model.resultChanged.connect(lambda _r: self._fill_picker())
        self._fill_picker()
        self.sync()

    def _fill_picker(self) -> None:
        """Candidates first (best first), then every trigger point of the atlas."""
        if self.model.preview is not None and self.picker.count():
            return  # a stroke being painted: refilled once it is drawn (the picker is not in use meanwhile)
        candidates = [c.key for c in self.model.result.candidates[:25] if c.key in self._sided]
        if candidates == self._listed_candidates and self.picker.count():
            return  # re-ranked while painting, same list: leave the picker alone
        self._listed_candidates = candidates
        rest = [k for k in self._sided if k not in set(candidates)]
        rest.sort(key=lambda k: trigger_point_name(self._sided[k], k).lower())
        text = self.picker.currentText()
        self.picker.blockSignals(True)
        self.picker.clear()
        for key in candidates:
            self.picker.addItem(f"{trigger_point_name(self._sided[key], key)} · candidate", key)
        for key in rest:
            self.picker.addItem(trigger_point_name(self._sided[key], key), key)
        self.picker.setCurrentIndex(-1)
        self.picker.setEditText(text)
        self.picker.blockSignals(False)

    def _picked(self, index: int) -> None:
        key = self.picker.itemData(index) if index >= 0 else None
        typed = self.picker.currentText().strip()
        if key is None and typed:
            found = self.picker.findText(typed, Qt.MatchFlag.MatchStartsWith)
            key = self.picker.itemData(found) if found >= 0 else None
        if isinstance(key, str):
            self.model.mark_treated(key, True)
            self.picker.setCurrentIndex(-1)
            self.picker.setEditText("")

    def _remove_selected(self) -> None:
        item = self.treated.currentItem()
        if item is not None:
            self.model.mark_treated(str(item.data(Qt.ItemDataRole.UserRole)), False)

    def _ratings_changed(self, which: str) -> None:
        t = self.model.session.treatment
        if which == "pain_before":
            changed = replace(t, pain_before=self.pain_before.rating())
        else:
            changed = replace(t, pain_after=self.pain_after.rating())
        self.model.set_treatment(changed, which)

    def sync(self) -> None:
        t = self.model.session.treatment
        keys = [str(self.treated.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.treated.count())]
        if keys != list(t.trigger_points):
            self.treated.clear()
            for key in t.trigger_points:
                item = QListWidgetItem(trigger_point_name(self._sided.get(key), key))
                item.setData(Qt.ItemDataRole.UserRole, key)
                self.treated.addItem(item)
        if self.technique.text() != t.technique:
            self.technique.setText(t.technique)
        self.pain_before.show_rating(t.pain_before)
        self.pain_after.show_rating(t.pain_after)


__all__ = ["PainRating", "TreatmentBox", "trigger_point_name"]
