"""A client's page: who they are, their visits as a timeline, and their progress plot.

The page reads the client and the visits' stored figures in one
transaction (no session document is parsed), so a client with 100 visits
opens quickly. What changes only the record (edit, bin, close a visit, the
amendment history) is done here; what involves the chart or files (open
or start a visit, import, export, erase, compare) is asked of the window
through signals.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nmt_bodymap.ui.client_dialogs import ClientDialog, show_store_error
from nmt_bodymap.ui.progress_view import ProgressView
from nmt_bodymap.ui.records_model import RecordsModel
from nmt_bodymap.ui.treatment_editor import trigger_point_name
from nmt_bodymap.ui.visit_history import HistoryDialog
from nmt_bodymap.ui.visit_timeline import VisitTimeline

if TYPE_CHECKING:
    from nmt_bodymap.store import Client, VisitSummary


def _button(text: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setToolTip(tip)
    return button


def _more_button(tip: str) -> QToolButton:
    button = QToolButton()
    button.setText("More")
    button.setToolTip(tip)
    button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    button.setMenu(QMenu(button))
    return button


def _menu_action(button: QToolButton, text: str, tip: str) -> QAction:
    menu = button.menu()
    assert menu is not None
    action = menu.addAction(text)
    action.setToolTip(tip)
    action.setStatusTip(tip)
    menu.setToolTipsVisible(True)
    return action


class ClientPage(QWidget):
    openVisitRequested = Signal(int)  # visit id
    newVisitRequested = Signal(int)  # client id
    importRequested = Signal(int)  # client id
    exportRecordRequested = Signal(int)  # client id
    eraseRequested = Signal(int)  # client id
    exportVisitRequested = Signal(int)  # visit id
    compareRequested = Signal(int, object)  # client id, (earlier id, later id) or None

    def __init__(self, records: RecordsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.records = records
        self.client: Client | None = None
        self.visits: list[VisitSummary] = []
        layout = QVBoxLayout(self)
        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.header)

        actions = QHBoxLayout()
        self.new_visit = _button("&New visit", "Start today's visit: the last visit's drawing shown faintly")
        self.new_visit.setDefault(True)
        self.edit = _button("&Edit…", "Change the client's code, name, date of birth, contact or notes")
        self.import_files = _button("&Import sessions…", "Add .nmt session files as visits of this client")
        self.export_record = _button("E&xport record…", "Everything about this client in a new folder")
        client_more = _more_button("More about this client")
        self.bin = _menu_action(client_more, "Move to &bin", "Hide the client and their visits (Practice → Bin)")
        client_more.menu().addSeparator()
        self.erase = _menu_action(client_more, "&Erase for good…", "Remove the client and everything about them")
        for b in (self.new_visit, self.edit, self.import_files, self.export_record):
            actions.addWidget(b)
        actions.addWidget(client_more)
        actions.addStretch(1)
        layout.addLayout(actions)

        split = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        self.timeline = VisitTimeline()
        top_layout.addWidget(self.timeline, 1)
        visit_actions = QHBoxLayout()
        self.open_visit = _button("&Open", "Open the selected visit in the chart")
        self.compare = _button("&Compare…", "Compare two visits: select two, or the last two are compared")
        self.history = _button("&History…", "The amendment history of the selected visit")
        self.close_visit = _button("C&lose visit", "Make the selected visit a record: later changes keep this version")
        visit_more = _more_button("More about the selected visit")
        self.export_visit = _menu_action(visit_more, "Export as .&nmt…", "Save the selected visit as a session file")
        self.bin_visit = _menu_action(visit_more, "Move visit to &bin", "Hide the selected visit (Practice → Bin)")
        for b in (self.open_visit, self.compare, self.history, self.close_visit):
            visit_actions.addWidget(b)
        visit_actions.addWidget(visit_more)
        visit_actions.addStretch(1)
        top_layout.addLayout(visit_actions)
        split.addWidget(top)
        self.progress = ProgressView()
        split.addWidget(self.progress)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        layout.addWidget(split, 1)

        self.new_visit.clicked.connect(lambda: self._client_signal(self.newVisitRequested))
        self.import_files.clicked.connect(lambda: self._client_signal(self.importRequested))
        self.export_record.clicked.connect(lambda: self._client_signal(self.exportRecordRequested))
        self.erase.triggered.connect(lambda: self._client_signal(self.eraseRequested))
        self.edit.clicked.connect(self.edit_client)
        self.bin.triggered.connect(self.bin_client)
        self.timeline.openRequested.connect(self.openVisitRequested)
        self.open_visit.clicked.connect(lambda: self._visit_signal(self.openVisitRequested))
        self.export_visit.triggered.connect(lambda: self._visit_signal(self.exportVisitRequested))
        self.compare.clicked.connect(self._compare)
        self.history.clicked.connect(self.show_history)
        self.close_visit.clicked.connect(self.close_selected)
        self.bin_visit.triggered.connect(self.bin_selected)
        self.timeline.itemSelectionChanged.connect(self._update_buttons)
        records.clientChanged.connect(self._client_changed)
        self.show_client(None)

    # -- showing ---------------------------------------------------------------

    def show_client(self, client_id: int | None) -> None:
        previous = (self.client, self.visits)
        self.client, self.visits = None, []
        if client_id is not None:
            from nmt_bodymap.store import NotFound, StoreError

            try:
                self.client, self.visits = self.records.store().client_page(client_id)
            except NotFound:
                pass
            except StoreError as exc:  # e.g. the server out of reach: keep showing what was read last
                self.records.lost(exc)
                if previous[0] is not None and previous[0].id == client_id:
                    self.client, self.visits = previous
                self._show()
                self.header.setText(f"{self.header.text()}<p><i>{escape(str(exc))}</i></p>")
                return
        self._show()

    def _show(self) -> None:
        c = self.client
        self.setEnabled(True)
        if c is None:
            self.header.setText("<h2>No client chosen</h2><p>Choose a client in the list, or add one.</p>")
        else:
            facts = [f"code <b>{escape(c.code)}</b>"]
            if c.birth_date:
                facts.append(f"born {c.birth_date.isoformat()}")
            if c.contact:
                facts.append(escape(c.contact))
            n = len(self.visits)
            facts.append(f"{n} visit{'s' if n != 1 else ''}" + (f", last {self.visits[-1].date}" if n else ""))
            if c.created_by:
                facts.append(f"added by {escape(c.created_by)}")
            notes = f"<p>{escape(c.notes[:400])}</p>" if c.notes else ""
            self.header.setText(f"<h2>{escape(c.name or c.code)}</h2><p>{' · '.join(facts)}</p>{notes}")
        self.timeline.set_visits(self.visits)
        self.progress.set_visits(self.visits)
        for b in (self.new_visit, self.edit, self.import_files, self.export_record, self.bin, self.erase):
            b.setEnabled(c is not None)
        self._update_buttons()

    def _client_changed(self, client_id: int) -> None:
        if self.client is not None and self.client.id == client_id:
            self.show_client(client_id)

    def _update_buttons(self) -> None:
        selected = self.timeline.selected_ids()
        one = len(selected) == 1
        chosen = next((v for v in self.visits if selected and v.id == selected[0]), None)
        for b in (self.open_visit, self.history, self.export_visit, self.bin_visit):
            b.setEnabled(one)
        self.close_visit.setEnabled(one and chosen is not None and not chosen.closed)
        self.compare.setEnabled(len(self.visits) >= 2 and len(selected) in (0, 2))

    # -- helpers ----------------------------------------------------------------

    def _client_signal(self, signal: SignalInstance) -> None:
        if self.client is not None:
            signal.emit(self.client.id)

    def _visit_signal(self, signal: SignalInstance) -> None:
        selected = self.timeline.selected_ids()
        if len(selected) == 1:
            signal.emit(selected[0])

    def _compare(self) -> None:
        if self.client is None:
            return
        selected = self.timeline.selected_ids()
        self.compareRequested.emit(self.client.id, (selected[0], selected[1]) if len(selected) == 2 else None)

    # -- changes of the record alone --------------------------------------------------

    def edit_client(self, dialog: ClientDialog | None = None) -> bool:
        """Edit the client (``dialog`` already filled when driven from code)."""
        if self.client is None:
            return False
        from nmt_bodymap.store import StoreError

        dialog = dialog or ClientDialog(self, self.client)
        if dialog.result() != QDialog.DialogCode.Accepted and dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        try:
            self.records.update_client(self.client.id, self.client.version, **dialog.values())
        except StoreError as exc:
            show_store_error(self, "Cannot change the client", str(exc))
            return False
        return True

    def bin_client(self) -> bool:
        if self.client is None:
            return False
        from nmt_bodymap.store import StoreError

        try:
            self.records.bin_client(self.client.id)
        except StoreError as exc:
            show_store_error(self, "Cannot move the client to the bin", str(exc))
            return False
        self.show_client(None)
        return True

    def close_selected(self) -> bool:
        selected = self.timeline.selected_ids()
        if len(selected) != 1:
            return False
        from nmt_bodymap.store import StoreError

        try:
            self.records.close_visit(selected[0])
        except StoreError as exc:
            show_store_error(self, "Cannot close the visit", str(exc))
            return False
        return True

    def bin_selected(self) -> bool:
        selected = self.timeline.selected_ids()
        if len(selected) != 1:
            return False
        from nmt_bodymap.store import StoreError

        try:
            self.records.bin_visit(selected[0])
        except StoreError as exc:
            show_store_error(self, "Cannot move the visit to the bin", str(exc))
            return False
        return True

    def history_dialog(self) -> HistoryDialog | None:
        selected = self.timeline.selected_ids()
        if len(selected) != 1:
            return None
        from nmt_bodymap.store import StoreError

        try:
            store = self.records.store()
            visit = store.visit(selected[0])
            sided = self.records.session_model.atlas.by_key()
            return HistoryDialog(
                visit, store.visit_history(selected[0]), self, lambda key: trigger_point_name(sided.get(key), key)
            )
        except StoreError as exc:
            show_store_error(self, "Cannot read the history", str(exc))
            return None

    def show_history(self) -> None:
        dialog = self.history_dialog()
        if dialog is not None:
            dialog.exec()


def confirm(parent: QWidget, title: str, text: str, action: str) -> bool:
    """Ask before something that cannot be undone; ``action`` names the button that does it."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Cancel, parent)
    go = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is go


__all__ = ["ClientPage", "confirm"]
