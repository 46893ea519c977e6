"""The records' commands in the window: visits into and out of the chart, files in and out, the Practice menu.

:class:`RecordsController` holds the actions (Practice menu, File → Back up
practice…) and the flows that involve the chart and the user's files:
open a visit, start a new visit from the last, save the open session as a
visit (asking why when it amends a closed one), compare visits; the file
flows (import, export, erase) are its mixin :class:`.records_files.FileFlows`,
and a save that meets another therapist's change is resolved by its mixin
:class:`.records_conflicts.ConflictFlows`.

Everything that would open a modal dialog goes through an attribute
(:attr:`ask`, :attr:`ask_reason`, :attr:`choose_client`, :attr:`open_files`,
:attr:`save_path`, :attr:`folder_path`, :attr:`tell`, :attr:`show_conflict`,
:attr:`show_database_dialog`) so tests can answer it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDockWidget,
    QInputDialog,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QWidget,
)

from nmt_bodymap.ui.client_dialogs import BinDialog, ChooseClientDialog
from nmt_bodymap.ui.client_page import confirm
from nmt_bodymap.ui.clients_view import ClientsView
from nmt_bodymap.ui.compare_dialog import CompareDialog
from nmt_bodymap.ui.conflict_dialog import ConflictDialog
from nmt_bodymap.ui.records_conflicts import ConflictFlows
from nmt_bodymap.ui.records_files import FileFlows, RecordsHost
from nmt_bodymap.ui.records_model import RecordsModel

if TYPE_CHECKING:
    from nmt_bodymap.store import Store
    from nmt_bodymap.ui.database_dialog import DatabaseDialog
    from nmt_bodymap.ui.records_sync import RecordsSync


class RecordsController(ConflictFlows, FileFlows, QObject):
    def __init__(
        self, window: QMainWindow, records: RecordsModel, clients: ClientsView, visit_dock: QDockWidget
    ) -> None:
        super().__init__(window)
        self.window = window
        self.host: RecordsHost = window  # type: ignore[assignment]
        self.records = records
        self.model = records.session_model
        self.clients = clients
        self.visit_dock = visit_dock
        self.compare_windows: list[CompareDialog] = []
        self.ask: Callable[[str, str, str], bool] = lambda title, text, action: confirm(window, title, text, action)
        self.tell: Callable[[str, str], None] = lambda title, text: _warn(window, title, text)
        self.ask_reason: Callable[[], str | None] = self._ask_reason
        self.choose_client: Callable[[str, str, int | None], int | None] = self._choose_client
        self.open_files: Callable[[], list[str]] = self._open_files
        self.save_path: Callable[[str, str], str] = self._save_path
        self.folder_path: Callable[[str], str] = self._folder_path
        self.show_conflict: Callable[[ConflictDialog], str | None] = self._show_conflict
        self.show_database_dialog: Callable[[DatabaseDialog], object] = lambda dialog: dialog.exec()
        self.sync: RecordsSync | None = None  # set by the records hook
        page = clients.page
        page.openVisitRequested.connect(self.open_visit)
        page.newVisitRequested.connect(self.new_visit)
        page.importRequested.connect(lambda client_id: self.import_files(client_id))
        page.exportRecordRequested.connect(self.export_record)
        page.eraseRequested.connect(self.erase_client)
        page.exportVisitRequested.connect(self.export_visit)
        page.compareRequested.connect(self.compare)
        records.bindingChanged.connect(self._update_actions)
        self._build_actions()
        self._update_actions()

    # -- actions and menus ---------------------------------------------------------

    def _action(self, text: str, slot: Callable[[], object], shortcut: str = "", tip: str = "") -> QAction:
        act = QAction(text, self.window)
        if shortcut:
            act.setShortcut(QKeySequence(shortcut))
        keys = act.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        act.setToolTip((tip or text.replace("&", "").rstrip("…")) + (f" ({keys})" if keys else ""))
        act.setStatusTip(tip or text.replace("&", ""))
        act.triggered.connect(lambda _checked=False: slot())
        self.window.addAction(act)
        return act

    def _build_actions(self) -> None:
        self.act_clients = self._action("&Clients", self.show_clients, "F5", "Show the client list")
        self.act_new_client = self._action("&New client…", lambda: self.clients.add_client(), "", "Add a client")
        self.act_new_visit = self._action(
            "New &visit", self.new_visit_for_bound, "Ctrl+Shift+N", "Start today's visit of this client"
        )
        self.act_save_visit = self._action(
            "&Save as visit…", self.save_as_visit, "", "Record the open session as a visit of a client"
        )
        self.act_close_visit = self._action(
            "Save and c&lose visit", lambda: self.save_visit(close=True), "", "Save the visit and make it a record"
        )
        self.act_history = self._action(
            "Amendment &history…", self.show_history, "", "Earlier versions of the open visit"
        )
        self.act_import = self._action(
            "&Import session files…", lambda: self.import_files(None), "", "Add .nmt files as visits"
        )
        self.act_export_visit = self._action(
            "&Export visit as .nmt…", self.export_bound_visit, "", "Save the open visit as a session file"
        )
        self.act_bin = self._action("&Bin…", lambda: BinDialog(self.records, self.window).exec(), "", "Restore")
        self.act_database = self._action(
            "&Database…", self.database_dialog, "", "Where the records are kept: this computer or the clinic server"
        )
        self.act_backup = self._action(
            "&Back up practice…", self.backup_dialog, "", "Back up or restore the client records"
        )
        self.act_visit_panel = self.visit_dock.toggleViewAction()
        self.act_visit_panel.setShortcut(QKeySequence("F6"))
        self.act_visit_panel.setToolTip("Show or hide the visit panel: red flags, SOAP notes, treatment (F6)")

        bar = self.window.menuBar()
        menus = {a.text().replace("&", ""): a for a in bar.actions()}
        practice = bar.addMenu("&Practice")
        help_action = menus.get("Help")
        if help_action is not None:
            bar.insertMenu(help_action, practice)
        practice.addActions([self.act_clients, self.act_new_client])
        practice.addSeparator()
        practice.addActions([self.act_new_visit, self.act_save_visit, self.act_close_visit, self.act_history])
        practice.addSeparator()
        practice.addActions([self.act_import, self.act_export_visit])
        practice.addSeparator()
        practice.addActions([self.act_bin, self.act_database])
        file_menu = menus["File"].menu() if "File" in menus else None
        if isinstance(file_menu, QMenu):
            quit_action = getattr(self.window, "act_quit", None)
            if quit_action is not None:
                file_menu.insertAction(quit_action, self.act_backup)
                file_menu.insertSeparator(quit_action)
            else:
                file_menu.addAction(self.act_backup)
        view_menu = menus["View"].menu() if "View" in menus else None
        if isinstance(view_menu, QMenu):
            view_menu.addActions([self.act_visit_panel, self.act_clients])
        self.practice_menu = practice

    def _update_actions(self) -> None:
        b = self.records.binding
        self.act_new_visit.setEnabled(b is not None)
        self.act_close_visit.setEnabled(b is not None)
        self.act_history.setEnabled(b is not None and b.visit_id is not None)
        self.act_export_visit.setEnabled(b is not None and b.visit_id is not None)
        self.act_save_visit.setEnabled(b is None)

    # -- showing ----------------------------------------------------------------------

    def show_clients(self) -> None:
        self.host.tabs.setCurrentWidget(self.clients)
        self.clients.search.setFocus()

    def show_chart(self) -> None:
        self.host.tabs.setCurrentIndex(0)

    def _store(self) -> Store | None:
        from nmt_bodymap.store import StoreError

        try:
            return self.records.store()
        except StoreError as exc:
            self.tell("Client records", str(exc))
            return None

    def _run(self, title: str, call: Callable[[], object]) -> bool:
        """Run a change of the records; a store failure is said with ``title``. True when it worked."""
        from nmt_bodymap.store import StoreError

        try:
            call()
        except StoreError as exc:
            self.records.lost(exc)
            self.tell(title, str(exc))
            return False
        return True

    # -- visits in the chart -------------------------------------------------------------

    def _leave_session(self) -> bool:
        if not self.host.maybe_save():
            return False
        self.host.autosaver.discard()
        return True

    def open_visit(self, visit_id: int) -> bool:
        if not self._leave_session():
            return False
        if not self._run("Cannot open the visit", lambda: self.records.open_visit(visit_id)):
            return False
        self.show_chart()
        return True

    def new_visit(self, client_id: int) -> bool:
        if not self._leave_session():
            return False
        if not self._run("Cannot start the visit", lambda: self.records.new_visit(client_id)):
            return False
        self.show_chart()
        self.visit_dock.show()
        self.visit_dock.raise_()
        return True

    def new_visit_for_bound(self) -> bool:
        b = self.records.binding
        if b is None:
            self.show_clients()
            return False
        return self.new_visit(b.client_id)

    # -- saving -------------------------------------------------------------------------

    def handles_save(self) -> bool:
        """Whether File → Save saves the open session to the records (it is a visit)."""
        return self.records.binding is not None

    def save_visit(self, close: bool = False) -> bool:
        """Save the open visit; amending a closed one asks why (cancel: nothing saved).

        A server out of reach keeps the save on this computer (the status bar says it waits); another
        therapist's change of the visit meanwhile opens the conflict dialog.
        """
        from nmt_bodymap.store import Conflict, StoreError

        if self.records.binding is None:
            return self.save_as_visit()
        reason = ""
        if self.records.needs_reason:
            answer = self.ask_reason()
            if answer is None:
                return False
            reason = answer
        try:
            saved = self.records.save_visit(reason, close=close)
        except Conflict as exc:
            return self.resolve_conflict(exc, reason, close)
        except StoreError as exc:
            self.tell("Cannot save the visit", f"{exc}\n\nYour work is kept in this window and autosaved.")
            return False
        self.window.statusBar().showMessage(_saved_words(saved, close), 6000)
        return True

    def save_as_visit(self) -> bool:
        """Record the open session as a new visit of a client (matched by code or name, else chosen)."""
        store = self._store()
        if store is None:
            return False
        session = self.model.session
        matched = store.match_client(session)
        client_id = self.choose_client(
            "Which client is this visit of?"
            + (f" The session says {session.client_label}." if session.client_label else ""),
            session.client_code or session.client_name,
            matched.id if matched is not None else None,
        )
        if client_id is None:
            return False
        saved: list[object] = []
        if not self._run("Cannot save the visit", lambda: saved.append(self.records.save_as_visit_of(client_id))):
            return False
        self.window.statusBar().showMessage(_saved_words(saved[0], False) if saved else "Saved as a visit", 6000)
        return True

    def show_history(self) -> None:
        b = self.records.binding
        if b is None or b.visit_id is None:
            return
        self.clients.page.show_client(b.client_id)
        self.clients.page.timeline.select_ids([b.visit_id])
        self.clients.page.show_history()

    # -- compare ----------------------------------------------------------------------------

    def compare(self, client_id: int, pair: tuple[int, int] | None) -> CompareDialog | None:
        from nmt_bodymap.store import StoreError

        try:
            dialog = CompareDialog(self.records, self.model.chart, client_id, pair, self.window)
        except StoreError as exc:
            self.tell("Cannot compare", str(exc))
            return None
        self.compare_windows = [w for w in self.compare_windows if w.isVisible()] + [dialog]
        dialog.show()
        return dialog

    # -- dialogs ------------------------------------------------------------------------------

    def backup_dialog(self) -> None:
        from nmt_bodymap.ui.backup_dialog import BackupDialog

        BackupDialog(self.records, self.window).exec()

    def database_dialog(self) -> None:
        from nmt_bodymap.ui.database_dialog import DatabaseDialog

        self.show_database_dialog(DatabaseDialog(self.records, self.window))

    def _ask_reason(self) -> str | None:
        text, ok = QInputDialog.getText(
            self.window,
            "Amend a closed visit",
            "This visit is closed: saving it keeps the earlier version in its amendment history.\n"
            "Why is it amended? (for the record)",
            QLineEdit.EchoMode.Normal,
        )
        return text.strip() if ok else None

    def _choose_client(self, why: str, search: str, preselect: int | None) -> int | None:
        from nmt_bodymap.store import StoreError

        if preselect is not None:
            try:  # search for the client offered, so the list surely shows them
                search = self.records.store().client(preselect).code
            except StoreError:
                preselect = None
        dialog = ChooseClientDialog(self.records, why, search, self.window)
        dialog.new_code = self.model.session.client_code
        dialog.new_name = self.model.session.client_name
        if preselect is not None:
            dialog.select_client(preselect)
        return dialog.chosen if dialog.exec() == QDialog.DialogCode.Accepted else None


def _saved_words(saved: object, close: bool) -> str:
    from nmt_bodymap.store import QueuedSave

    if isinstance(saved, QueuedSave):
        later = " (close it once it has reached the server)" if close else ""
        return f"The server is out of reach: the visit is kept on this computer and sent when it answers{later}"
    date = getattr(saved, "date", None)
    return f"Saved the visit of {date.isoformat()}" if date is not None else "Saved the visit"


def _warn(parent: QWidget, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)


__all__ = ["RecordsController", "RecordsHost"]
