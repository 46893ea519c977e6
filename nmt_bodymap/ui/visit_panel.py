"""The visit panel: who treated, the red-flag screen, SOAP notes and the treatment record.

It sits beside the session panel (a dock of its own) and edits the visit
parts of the session through :class:`SessionModel` (each edit one undo
step; typing merges). At the top it says where the session belongs in the
client records, and offers "copy from last visit" for every section when
the session is a visit that has an earlier one; the SOAP sections have
their own copy buttons too.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nmt_bodymap.session import SoapNotes
from nmt_bodymap.ui.model import COPYABLE_SECTIONS, SOAP_FIELDS, SessionModel
from nmt_bodymap.ui.records_model import RecordsModel
from nmt_bodymap.ui.red_flag_screen import RedFlagScreenBox
from nmt_bodymap.ui.treatment_editor import TreatmentBox

SOAP_TITLES = {
    "subjective": ("&Subjective", "What the client reports: history, symptoms, what makes them better or worse"),
    "objective": ("&Objective", "What you found: posture, range of motion, palpation, tests"),
    "soap-assessment": ("&Assessment", "Your clinical impression and how it changed since the last visit"),
    "plan": ("&Plan", "Treatment plan, home care, next visit"),
}


class VisitPanel(QScrollArea):
    def __init__(self, model: SessionModel, records: RecordsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.records = records
        self.setWidgetResizable(True)
        body = QWidget()
        self.body = body
        layout = QVBoxLayout(body)

        self.where = QLabel()
        self.where.setWordWrap(True)
        layout.addWidget(self.where)
        header = QHBoxLayout()
        self.copy_button = QToolButton()
        self.copy_button.setText("Copy from last visit")
        self.copy_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.copy_menu = QMenu(self.copy_button)
        self.copy_actions = {}
        for section, title in COPYABLE_SECTIONS.items():
            act = self.copy_menu.addAction(title)
            act.triggered.connect(lambda _c=False, s=section: self.copy_section(s))
            self.copy_actions[section] = act
        self.copy_button.setMenu(self.copy_menu)
        header.addWidget(self.copy_button)
        header.addStretch(1)
        layout.addLayout(header)

        who = QFormLayout()
        self.therapist = QLineEdit()
        self.therapist.setPlaceholderText("Who treated the client")
        self.therapist.setAccessibleName("Therapist")
        self.therapist.textEdited.connect(model.set_therapist)
        who.addRow("T&herapist", self.therapist)
        layout.addLayout(who)

        self.red_flags = RedFlagScreenBox(model)
        layout.addWidget(self.red_flags)

        soap = QGroupBox("SOAP notes")
        soap_layout = QVBoxLayout(soap)
        self.soap: dict[str, QPlainTextEdit] = {}
        self.soap_copy: dict[str, QPushButton] = {}
        for section, (title, hint) in SOAP_TITLES.items():
            row = QHBoxLayout()
            label = QLabel(title)
            row.addWidget(label, 1)
            copy = QPushButton("Copy from last visit")
            copy.setFlat(True)
            copy.setToolTip(f"Fill {title.replace('&', '')} with the last visit's (undo with Ctrl+Z)")
            copy.clicked.connect(lambda _c=False, s=section: self.copy_section(s))
            row.addWidget(copy)
            edit = QPlainTextEdit()
            edit.setPlaceholderText(hint)
            edit.setAccessibleName(title.replace("&", ""))
            edit.setMinimumHeight(64)
            edit.setMaximumHeight(120)
            edit.textChanged.connect(lambda s=section: self._soap_typed(s))
            label.setBuddy(edit)
            soap_layout.addLayout(row)
            soap_layout.addWidget(edit)
            self.soap[section] = edit
            self.soap_copy[section] = copy
        layout.addWidget(soap)

        self.treatment = TreatmentBox(model)
        layout.addWidget(self.treatment)
        layout.addStretch(1)
        self.setWidget(body)

        model.detailsChanged.connect(self.sync)
        records.bindingChanged.connect(self.sync_binding)
        self.sync()
        self.sync_binding()

    # -- edits -----------------------------------------------------------------

    def _soap_typed(self, section: str) -> None:
        text = self.soap[section].toPlainText()
        field = SOAP_FIELDS[section]
        if getattr(self.model.session.soap, field) != text:
            self.model.set_soap(replace(self.model.session.soap, **{field: text}), SOAP_TITLES[section][0][1:])

    def copy_section(self, section: str) -> None:
        if self.records.previous is not None:
            self.model.copy_from(self.records.previous, section)

    # -- showing the model -----------------------------------------------------------

    def sync(self) -> None:
        s = self.model.session
        if self.therapist.text() != s.therapist:
            self.therapist.setText(s.therapist)
        soap: SoapNotes = s.soap
        for section, edit in self.soap.items():
            value = getattr(soap, SOAP_FIELDS[section])
            if edit.toPlainText() != value:
                edit.blockSignals(True)
                edit.setPlainText(value)
                edit.blockSignals(False)

    def sync_binding(self) -> None:
        b = self.records.binding
        if b is None:
            self.where.setText(
                "This session is not a visit of a client's record. Practice → Save as visit… records it; "
                "Practice → Clients starts a visit."
            )
            self.where.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        else:
            state = "not saved yet" if b.visit_id is None else ("closed: saving amends it" if b.closed else "open")
            self.where.setText(f"<b>{b.title}</b> ({b.client_label}) · {state}")
            self.where.setForegroundRole(QPalette.ColorRole.WindowText)
        previous = self.records.previous is not None
        self.copy_button.setEnabled(previous)
        when = f" ({self.records.previous_date})" if previous and self.records.previous_date else ""
        self.copy_button.setToolTip(
            f"Fill a section with the last visit's{when} (undo with Ctrl+Z)"
            if previous
            else "No earlier visit of this client to copy from"
        )
        for button in self.soap_copy.values():
            button.setVisible(previous)


__all__ = ["VisitPanel"]
