"""The session panel: client, date, the five-cause assessment, notes, the legend.

It scrolls only vertically: every field shrinks to the dock's width, the
five-cause findings wrap over several lines, and the legend's swatches are
painted exactly as the marks are on the chart (over the figure's skin tone),
in either theme.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)
from shapely.geometry import box

from nmt_bodymap.atlas import CAUSES
from nmt_bodymap.render.marks import draw_mark
from nmt_bodymap.session import LEVELS, QUALITIES, QUALITY_TITLES, PainMark
from nmt_bodymap.ui.model import SessionModel

#: The figure's fill in the chart SVGs: swatches are painted over it so they match the marks.
SKIN = QColor("#f5f0e9")
LEGEND_INTENSITY = 7


def quality_icon(quality: str, intensity: int = LEGEND_INTENSITY, size: int = 22) -> QIcon:
    """A swatch of a quality's colour and hatch, over the figure's skin tone as on the chart."""
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(size / 20, size / 20)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(SKIN)
    painter.drawRect(1, 1, 18, 18)
    draw_mark(painter, PainMark("legend", "anterior", "point", quality, intensity, box(1, 1, 19, 19)))
    painter.end()
    return QIcon(pix)


class _NoteEdit(QPlainTextEdit):
    """A few lines of text that wrap to the panel's width."""

    def __init__(self, lines: int, placeholder: str) -> None:
        super().__init__()
        self.setPlaceholderText(placeholder)
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        line = self.fontMetrics().lineSpacing()
        self.setFixedHeight(line * lines + 2 * self.frameWidth() + 8)
        self.setMinimumWidth(60)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)


class SessionPanel(QScrollArea):
    def __init__(self, model: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)

        client = QGroupBox("Client")
        form = QFormLayout(client)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.name = QLineEdit()
        self.name.setPlaceholderText("Optional: a code is enough")
        self.name.setToolTip("The client's name; leave it empty and use a code to keep the record anonymous")
        self.code = QLineEdit()
        self.code.setPlaceholderText("e.g. C-017")
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        for w in (self.name, self.code, self.date):
            w.setMinimumWidth(60)
        form.addRow("&Name", self.name)
        form.addRow("C&ode", self.code)
        form.addRow("&Date", self.date)
        layout.addWidget(client)

        assess = QGroupBox("Assessment: the five causes")
        grid = QGridLayout(assess)
        grid.setVerticalSpacing(2)
        self.levels: dict[str, QComboBox] = {}
        self.cause_notes: dict[str, QPlainTextEdit] = {}
        for row, (cid, title) in enumerate(CAUSES.items()):
            label = QLabel(title)
            label.setWordWrap(True)
            level = QComboBox()
            level.addItems([lv.capitalize() for lv in LEVELS])
            level.setAccessibleName(f"{title}: level")
            level.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            note = _NoteEdit(2, "Finding")
            note.setAccessibleName(f"{title}: finding")
            label.setBuddy(level)
            grid.addWidget(label, 2 * row, 0, 1, 2)
            grid.addWidget(level, 2 * row + 1, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(note, 2 * row + 1, 1)
            level.activated.connect(lambda i, c=cid: self.model.set_cause(c, level=i))
            note.textChanged.connect(lambda c=cid, w=note: self.model.set_cause(c, note=w.toPlainText()))
            self.levels[cid] = level
            self.cause_notes[cid] = note
        grid.setColumnStretch(1, 1)
        layout.addWidget(assess)

        notes_box = QGroupBox("Notes")
        nv = QVBoxLayout(notes_box)
        self.notes = _NoteEdit(5, "History, findings, treatment, plan…")
        nv.addWidget(self.notes)
        layout.addWidget(notes_box)

        legend = QGroupBox("Legend")
        lg = QGridLayout(legend)
        lg.setHorizontalSpacing(6)
        lg.setVerticalSpacing(3)
        self.swatches: dict[str, QLabel] = {}
        for i, q in enumerate(QUALITIES):
            swatch = QLabel()
            swatch.setPixmap(quality_icon(q).pixmap(22, 22))
            swatch.setAccessibleName(f"{QUALITY_TITLES[q]} swatch")
            short = QUALITY_TITLES[q].split(" (")[0]  # "Tingling", the full title in the tooltip
            text = QLabel(f"{short} ({i + 1})")
            text.setToolTip(f"{QUALITY_TITLES[q]}: key {i + 1}")
            text.setWordWrap(True)
            lg.addWidget(swatch, i // 2, 2 * (i % 2))
            lg.addWidget(text, i // 2, 2 * (i % 2) + 1)
            self.swatches[q] = swatch
        hint = QLabel("Stronger colour = higher intensity (0–10).")
        hint.setWordWrap(True)
        lg.addWidget(hint, (len(QUALITIES) + 1) // 2, 0, 1, 4)
        lg.setColumnStretch(1, 1)
        lg.setColumnStretch(3, 1)
        self.legend = legend
        layout.addWidget(legend)
        layout.addStretch(1)
        self.setWidget(body)
        # never narrower than the fields need with the vertical scroll bar shown: nothing is ever clipped
        self.setMinimumWidth(
            body.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width() + 2 * self.frameWidth()
        )

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
        for edit, text in ((self.notes, s.notes), *((self.cause_notes[c], n.note) for c, n in s.assessment.items())):
            if edit.toPlainText() != text:
                edit.blockSignals(True)
                edit.setPlainText(text)
                edit.blockSignals(False)
        for cid, note in s.assessment.items():
            if self.levels[cid].currentIndex() != note.level:
                self.levels[cid].setCurrentIndex(note.level)


__all__ = ["SKIN", "SessionPanel", "quality_icon"]
