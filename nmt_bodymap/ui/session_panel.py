"""The session panel: client, date, notes, the five-cause assessment, the legend."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from shapely.geometry import box

from nmt_bodymap.atlas import CAUSES
from nmt_bodymap.render.marks import draw_mark
from nmt_bodymap.session import LEVELS, QUALITIES, QUALITY_TITLES, PainMark
from nmt_bodymap.ui.model import SessionModel


def quality_icon(quality: str, intensity: int = 7, size: int = 22) -> QIcon:
    """A swatch of a quality's colour and hatch."""
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(size / 20, size / 20)
    draw_mark(painter, PainMark("legend", "anterior", "point", quality, intensity, box(1, 1, 19, 19)))
    painter.end()
    return QIcon(pix)


class SessionPanel(QScrollArea):
    def __init__(self, model: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.setWidgetResizable(True)
        body = QWidget()
        layout = QVBoxLayout(body)

        client = QGroupBox("Client")
        form = QFormLayout(client)
        self.name = QLineEdit()
        self.name.setPlaceholderText("Leave empty to keep the record anonymous")
        self.code = QLineEdit()
        self.code.setPlaceholderText("e.g. C-017")
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        form.addRow("&Name", self.name)
        form.addRow("C&ode", self.code)
        form.addRow("&Date", self.date)
        layout.addWidget(client)

        assess = QGroupBox("Assessment: the five causes")
        grid = QGridLayout(assess)
        self.levels: dict[str, QComboBox] = {}
        self.cause_notes: dict[str, QLineEdit] = {}
        for row, (cid, title) in enumerate(CAUSES.items()):
            label = QLabel(title)
            level = QComboBox()
            level.addItems([lv.capitalize() for lv in LEVELS])
            level.setAccessibleName(f"{title}: level")
            note = QLineEdit()
            note.setPlaceholderText("Finding")
            note.setAccessibleName(f"{title}: note")
            label.setBuddy(level)
            grid.addWidget(label, 2 * row, 0, 1, 2)
            grid.addWidget(level, 2 * row + 1, 0)
            grid.addWidget(note, 2 * row + 1, 1)
            level.activated.connect(lambda i, c=cid: self.model.set_cause(c, level=i))
            note.editingFinished.connect(lambda c=cid, w=note: self.model.set_cause(c, note=w.text()))
            self.levels[cid] = level
            self.cause_notes[cid] = note
        grid.setColumnStretch(1, 1)
        layout.addWidget(assess)

        notes_box = QGroupBox("Notes")
        nv = QVBoxLayout(notes_box)
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText("History, findings, treatment, plan…")
        self.notes.setMinimumHeight(110)
        nv.addWidget(self.notes)
        layout.addWidget(notes_box)

        legend = QGroupBox("Legend")
        lg = QGridLayout(legend)
        for i, q in enumerate(QUALITIES):
            swatch = QLabel()
            swatch.setPixmap(quality_icon(q).pixmap(22, 22))
            lg.addWidget(swatch, i, 0)
            lg.addWidget(QLabel(f"{QUALITY_TITLES[q]}  ({i + 1})"), i, 1)
        lg.addWidget(QLabel("Stronger colour = higher intensity (0–10)."), len(QUALITIES), 0, 1, 2)
        lg.setColumnStretch(1, 1)
        layout.addWidget(legend)
        layout.addStretch(1)
        self.setWidget(body)

        self.name.editingFinished.connect(lambda: model.set_detail("client_name", self.name.text()))
        self.code.editingFinished.connect(lambda: model.set_detail("client_code", self.code.text()))
        self.date.dateChanged.connect(lambda d: model.set_detail("date", d.toString("yyyy-MM-dd")))
        self.notes.textChanged.connect(lambda: model.set_detail("notes", self.notes.toPlainText()))
        model.detailsChanged.connect(self.sync)
        self.sync()

    def sync(self) -> None:
        s = self.model.session
        for widget, value in ((self.name, s.client_name), (self.code, s.client_code)):
            if widget.text() != value:
                widget.setText(value)
        d = QDate.fromString(s.date, "yyyy-MM-dd")
        if d.isValid() and d != self.date.date():
            self.date.blockSignals(True)
            self.date.setDate(d)
            self.date.blockSignals(False)
        if self.notes.toPlainText() != s.notes:
            self.notes.blockSignals(True)
            self.notes.setPlainText(s.notes)
            self.notes.blockSignals(False)
        for cid, note in s.assessment.items():
            if self.levels[cid].currentIndex() != note.level:
                self.levels[cid].setCurrentIndex(note.level)
            if self.cause_notes[cid].text() != note.note:
                self.cause_notes[cid].setText(note.note)


__all__ = ["SessionPanel", "quality_icon"]
