"""The Clients view: the client list with search-as-you-type, beside the chosen client's page.

The list reads the database only when the view is first shown (app start
never opens it), a page of rows at a time (:mod:`.client_list`). Typing in
the search box re-queries after a short pause; every word must appear in
the name or the code.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from nmt_bodymap.ui.client_dialogs import BinDialog, ClientDialog, show_store_error
from nmt_bodymap.ui.client_list import ClientListModel
from nmt_bodymap.ui.client_page import ClientPage
from nmt_bodymap.ui.records_model import RecordsModel

SEARCH_DELAY_MS = 60
LIST_WIDTH = 470  # px: room for a full name beside the code, visits, last visit and who changed it


class ClientsView(QSplitter):
    def __init__(self, records: RecordsModel, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.records = records
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(6, 6, 6, 6)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search clients by name or code")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search clients")
        column.addWidget(self.search)
        self.list_model = ClientListModel(records)
        self.table = QTableView()
        self.table.setModel(self.list_model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setAlternatingRowColors(True)
        self.table.setAccessibleName("Clients")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # fixed widths from the font: sizing columns to their contents would read every row on each search
        metrics = self.table.fontMetrics()
        for column_index, sample in ((1, "C-00000"), (2, "Visits"), (3, "2026-12-31"), (4, "Changed by")):
            header.setSectionResizeMode(column_index, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column_index, metrics.horizontalAdvance(sample) + 18)
        column.addWidget(self.table, 1)
        left.setMinimumWidth(220)
        self.count_label = QLabel()
        column.addWidget(self.count_label)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("New &client…")
        self.add_button.setToolTip("Add a client to the practice")
        self.bin_button = QPushButton("Bin…")
        self.bin_button.setToolTip("Clients and visits moved to the bin, to restore")
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        buttons.addWidget(self.bin_button)
        column.addLayout(buttons)
        self.addWidget(left)
        self.page = ClientPage(records)
        page_scroll = QScrollArea()  # a small window scrolls the page rather than growing the window
        page_scroll.setWidgetResizable(True)
        page_scroll.setFrameShape(QFrame.Shape.NoFrame)
        page_scroll.setWidget(self.page)
        self.addWidget(page_scroll)
        self.setStretchFactor(0, 2)
        self.setStretchFactor(1, 5)
        self.setSizes([380, 900])

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(self.run_search)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _p: self._chosen(current.row()))
        self.add_button.clicked.connect(lambda: self.add_client())
        self.bin_button.clicked.connect(lambda: BinDialog(records, self).exec())
        self.count_label.setWordWrap(True)
        self.list_model.failed.connect(lambda message: self.count_label.setText(message))
        records.clientsChanged.connect(self.refresh)
        find = QShortcut(QKeySequence("Ctrl+F"), self)
        find.activated.connect(lambda: self.search.setFocus())

    # -- loading -------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.list_model.loaded:
            self.setSizes([LIST_WIDTH, max(self.width() - LIST_WIDTH, LIST_WIDTH)])
            self.run_search()

    def run_search(self) -> None:
        self._timer.stop()
        chosen = self.page.client.id if self.page.client is not None else None
        self.list_model.reload(self.search.text())
        self._show_count()
        row = self.list_model.row_of(chosen) if chosen is not None else -1
        if row >= 0:
            self.select_row(row)
        elif self.page.client is not None and self.page.client.id != chosen:
            self.page.show_client(None)

    def refresh(self) -> None:
        """The records changed: read the list again if it was shown, and the page."""
        if self.list_model.loaded:
            self.run_search()
        if self.page.client is not None:
            self.page.show_client(self.page.client.id)

    def _show_count(self) -> None:
        if self.list_model.error:
            self.count_label.setText(self.list_model.error)
            return
        n = len(self.list_model.rows)
        more = self.list_model.canFetchMore()
        if self.search.text().strip():
            self.count_label.setText(f"{n}{'+' if more else ''} client{'s' if n != 1 else ''} found")
        else:
            from nmt_bodymap.store import StoreError

            try:
                total = self.records.store().count_clients()
            except StoreError:
                total = n
            self.count_label.setText(f"{total} client{'s' if total != 1 else ''}")

    def select_row(self, row: int) -> None:
        index = self.list_model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.scrollTo(index)

    def select_client(self, client_id: int) -> None:
        """Show a client's page (and their row, when the list shows it)."""
        row = self.list_model.row_of(client_id)
        if row >= 0:
            self.select_row(row)
        else:
            self.page.show_client(client_id)

    def _chosen(self, row: int) -> None:
        client_id = self.list_model.client_id(row)
        if client_id is not None and (self.page.client is None or self.page.client.id != client_id):
            self.page.show_client(client_id)

    # -- adding -----------------------------------------------------------------

    def add_client(self, dialog: ClientDialog | None = None) -> int | None:
        """Add a client (``dialog`` already accepted when driven from code); returns the new id."""
        from nmt_bodymap.store import StoreError

        dialog = dialog or ClientDialog(self)
        if dialog.result() != QDialog.DialogCode.Accepted and dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        try:
            client = self.records.add_client(**dialog.values())
        except StoreError as exc:
            show_store_error(self, "Cannot add the client", str(exc))
            return None
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.run_search()
        self.select_client(client.id)
        return client.id


__all__ = ["ClientsView"]
