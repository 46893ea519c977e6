"""Small dialogs of the client records: a client's details, choosing a client, the bin.

Each dialog can be filled and accepted from code (tests drive them without
a modal loop: build, set the fields, call :meth:`accept`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QItemSelectionModel, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from nmt_bodymap.ui.client_list import ClientListModel
from nmt_bodymap.ui.records_model import RecordsModel

if TYPE_CHECKING:
    from nmt_bodymap.store import Client

SEARCH_DELAY_MS = 60


def show_store_error(parent: QWidget | None, title: str, message: str) -> None:
    """A store failure, said in the store's own sentence."""
    QMessageBox.warning(parent, title, message)


class ClientDialog(QDialog):
    """Add a client, or edit one (``client`` given)."""

    def __init__(self, parent: QWidget | None = None, client: Client | None = None, code: str = "", name: str = ""):
        super().__init__(parent)
        self.setWindowTitle("Edit client" if client else "New client")
        form = QFormLayout(self)
        self.code = QLineEdit(client.code if client else code)
        self.code.setPlaceholderText("Unique in the practice, e.g. C-017 (required)")
        self.name = QLineEdit(client.name if client else name)
        self.name.setPlaceholderText("Leave empty to keep the record anonymous")
        self.has_birth_date = QCheckBox("Known")
        self.birth_date = QDateEdit()
        self.birth_date.setCalendarPopup(True)
        self.birth_date.setDisplayFormat("yyyy-MM-dd")
        self.birth_date.setMaximumDate(QDate.currentDate())
        known = client is not None and client.birth_date is not None
        self.has_birth_date.setChecked(known)
        self.birth_date.setEnabled(known)
        if client is not None and client.birth_date is not None:
            self.birth_date.setDate(QDate(client.birth_date.year, client.birth_date.month, client.birth_date.day))
        else:
            self.birth_date.setDate(QDate(1980, 1, 1))
        self.has_birth_date.toggled.connect(self.birth_date.setEnabled)
        birth = QHBoxLayout()
        birth.addWidget(self.has_birth_date)
        birth.addWidget(self.birth_date, 1)
        self.contact = QLineEdit(client.contact if client else "")
        self.contact.setPlaceholderText("Phone or e-mail (optional)")
        self.notes = QPlainTextEdit(client.notes if client else "")
        self.notes.setPlaceholderText("Anything to remember about this client (optional)")
        self.notes.setMaximumHeight(90)
        form.addRow("&Code", self.code)
        form.addRow("&Name", self.name)
        form.addRow("Date of &birth", birth)
        form.addRow("C&ontact", self.contact)
        form.addRow("N&otes", self.notes)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #a4161a")
        self.problem.setWordWrap(True)
        self.problem.hide()
        form.addRow(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(460, 0)

    def values(self) -> dict[str, Any]:
        d = self.birth_date.date()
        return {
            "code": self.code.text().strip(),
            "name": self.name.text().strip(),
            "birth_date": dt.date(d.year(), d.month(), d.day()) if self.has_birth_date.isChecked() else None,
            "contact": self.contact.text().strip(),
            "notes": self.notes.toPlainText(),
        }

    def say(self, problem: str) -> None:
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))

    def accept(self) -> None:
        if not self.code.text().strip():
            self.say("A client needs a code (the name may stay empty).")
            self.code.setFocus()
            return
        super().accept()


class ChooseClientDialog(QDialog):
    """Pick a client from the list (searchable), or make a new one."""

    def __init__(self, records: RecordsModel, why: str, search: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.records = records
        self.setWindowTitle("Choose the client")
        self.chosen: int | None = None
        layout = QVBoxLayout(self)
        reason = QLabel(why)
        reason.setWordWrap(True)
        layout.addWidget(reason)
        self.search = QLineEdit(search)
        self.search.setPlaceholderText("Search by name or code")
        self.search.setClearButtonEnabled(True)
        layout.addWidget(self.search)
        self.list_model = ClientListModel(records)
        self.table = QTableView()
        self.table.setModel(self.list_model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self.accept())
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.new_button = QPushButton("New client…")
        self.new_button.clicked.connect(self.new_client)
        row.addWidget(self.new_button)
        row.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row.addWidget(buttons)
        layout.addLayout(row)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(lambda: self._search_now())
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.new_code = ""
        self.new_name = ""
        self._search_now()
        self.resize(560, 460)

    def _search_now(self) -> None:
        self.list_model.reload(self.search.text())
        if self.list_model.rows:
            self.table.selectionModel().select(
                self.list_model.index(0, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.setCurrentIndex(self.list_model.index(0, 0))

    def select_client(self, client_id: int) -> None:
        row = self.list_model.row_of(client_id)
        if row >= 0:
            self.table.setCurrentIndex(self.list_model.index(row, 0))

    def new_client(self) -> None:
        dialog = ClientDialog(self, code=self.new_code, name=self.new_name)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        from nmt_bodymap.store import StoreError

        try:
            client = self.records.add_client(**dialog.values())
        except StoreError as exc:
            show_store_error(self, "Cannot add the client", str(exc))
            return
        self.chosen = client.id
        super().accept()

    def accept(self) -> None:
        index = self.table.currentIndex()
        self.chosen = self.list_model.client_id(index.row()) if index.isValid() else None
        if self.chosen is not None:
            super().accept()


class BinDialog(QDialog):
    """What is in the bin (clients, and visits), with Restore."""

    def __init__(self, records: RecordsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.records = records
        self.setWindowTitle("Bin")
        layout = QVBoxLayout(self)
        note = QLabel(
            "Clients and visits moved to the bin are kept until you restore them. "
            "Only Erase (on a client's page) removes a client for good."
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        self.entries = QListWidget()
        self.entries.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        layout.addWidget(self.entries, 1)
        row = QHBoxLayout()
        self.restore_button = QPushButton("&Restore")
        self.restore_button.clicked.connect(self.restore_selected)
        row.addWidget(self.restore_button)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        row.addWidget(close)
        layout.addLayout(row)
        self.refresh()
        self.resize(520, 380)

    def refresh(self) -> None:
        from nmt_bodymap.store import StoreError

        self.entries.clear()
        try:
            entries = self.records.store().bin()
        except StoreError as exc:
            self.entries.addItem(str(exc))
            self.restore_button.setEnabled(False)
            return
        for e in entries:
            when = e.deleted_at.astimezone().strftime("%Y-%m-%d %H:%M")
            kind = "Client" if e.kind == "client" else "Visit"
            item = QListWidgetItem(f"{kind}: {e.label} (moved to the bin {when})")
            item.setData(Qt.ItemDataRole.UserRole, (e.kind, e.id))
            self.entries.addItem(item)
        if not entries:
            self.entries.addItem("The bin is empty.")
        self.restore_button.setEnabled(bool(entries))

    def restore_selected(self) -> bool:
        item = self.entries.currentItem()
        data = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if not data:
            return False
        kind, entry_id = data
        from nmt_bodymap.store import StoreError

        try:
            if kind == "client":
                self.records.restore_client(entry_id)
            else:
                self.records.restore_visit(entry_id)
        except StoreError as exc:
            show_store_error(self, "Cannot restore", str(exc))
            return False
        self.refresh()
        return True


__all__ = ["BinDialog", "ChooseClientDialog", "ClientDialog", "show_store_error"]
