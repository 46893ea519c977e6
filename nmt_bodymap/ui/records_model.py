"""The client records as the app sees them: which database, the open store, the open visit.

:class:`RecordsModel` is to the records what :class:`SessionModel` is to the
open session: widgets take it in their constructor and listen to its
signals; it never knows a widget and never shows a dialog (a failure is a
:class:`~nmt_bodymap.store.StoreError` raised to the caller, who says it).

* **Which database**, and who the therapist is: :mod:`.records_database`.
* **Lazily.** Nothing of the store (SQLAlchemy included) is imported until
  a records widget is first shown or a records command runs: app start
  does not pay for it.
* **The open visit** (:class:`Binding`): the session in the chart may be a
  visit of a client's record (opened, or started with "New visit"). Saving
  it then saves the visit: a new visit, or a new version of an existing
  one (a closed visit keeps the version it replaces, with a reason). Any
  other session shown in the chart (a file, a new session) unbinds it.
* **Saving through the outbox.** A visit is saved with the store's
  ``save_visit``: when the clinic server cannot be reached, the save is kept
  in the local outbox (:mod:`nmt_bodymap.store.outbox`) instead, the binding
  remembers the queued save (later edits follow it), and :attr:`saveQueued`
  tells the server status; the delivery later rebinds the visit
  (:meth:`RecordsModel.apply_delivered`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings, Signal

from nmt_bodymap.session import Session
from nmt_bodymap.ui.model import SessionModel
from nmt_bodymap.ui.records_database import DB_SETTING, ENV_VAR, USER_SETTING, DatabaseChoice

if TYPE_CHECKING:
    from nmt_bodymap.store import Client, FlushReport, QueuedSave, Store, VisitSummary

THERAPIST_SETTING = "records/therapist"
BUSY_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class Binding:
    """Where the open session belongs in the record."""

    client_id: int
    client_code: str
    client_label: str
    visit_id: int | None  # None: a new visit, not saved yet
    version: int | None
    closed: bool
    date: str
    #: The last save of this visit still waiting in the outbox (the server was unreachable), or None.
    queued: QueuedSave | None = None

    @property
    def title(self) -> str:
        what = f"Visit {self.date}" if self.visit_id is not None or self.queued else f"New visit {self.date}"
        return f"{what} · {self.client_code}"

    @property
    def edit_target(self) -> int | QueuedSave | None:
        """What a save edits: the queued save it follows, the stored visit, or None (a new visit)."""
        return self.queued if self.queued is not None else self.visit_id


def amended(visit: VisitSummary) -> bool:
    """A closed visit saved again after it was closed: it has earlier versions.

    The store records no amendment count in the list; a closed visit's
    ``updated_at`` moves past its ``closed_at`` only when it is amended
    (closing and binning leave ``updated_at`` alone).
    """
    return visit.closed_at is not None and visit.updated_at > visit.closed_at


class RecordsModel(DatabaseChoice, QObject):
    """The practice database, opened on first use, and the open session's place in it."""

    clientsChanged = Signal()  # the client list may have changed
    clientChanged = Signal(int)  # a client's record or visits changed (client id)
    bindingChanged = Signal()  # the open session's place in the record changed
    databaseChanged = Signal()  # another database is in use (chosen, or restored from a backup)
    damaged = Signal(str)  # the database could not be opened because its file is damaged (the message)
    storeOpened = Signal()  # the store was opened (or a background check opened it)
    storeClosed = Signal()  # the store was closed (another database, a restore, the window closing)
    saveQueued = Signal(object)  # a save was kept in the outbox: the server could not be reached (QueuedSave)
    serverLost = Signal(str)  # a read or a change could not reach the server (the message)
    serverAnswered = Signal()  # a save reached a server (after it was unreachable, the outbox can go)

    def __init__(
        self,
        session_model: SessionModel,
        settings: QSettings,
        parent: QObject | None = None,
        busy_timeout: float = BUSY_TIMEOUT_S,
    ) -> None:
        super().__init__(parent)
        self.session_model = session_model
        self.settings = settings
        self.busy_timeout = busy_timeout
        self._store: Store | None = None
        self.binding: Binding | None = None
        #: The visit before the open one (for "copy from last visit"), when the open session is a visit.
        self.previous: Session | None = None
        self.previous_date = ""
        self._binding_now = False
        self._init_database_choice()
        session_model.sessionReplaced.connect(self._session_replaced)

    # -- which database (see records_database) ----------------------------------

    def set_database_setting(self, value: str, password: str = "") -> None:
        """Use ``value`` (a path or server URL; empty: the default) from now on, kept without a password.

        ``password`` (typed in the dialog, not kept in a keychain) is used until the app closes.
        """
        self.store_database_setting(value)
        if value:
            from nmt_bodymap.store import resolve

            self.keep_password_for_this_run(resolve(value), password)
        self.reopen()

    def set_user_name(self, name: str) -> None:
        """The name recorded with every change from now on (empty: the login name)."""
        self.store_user_name(name)
        if self._store is not None:
            self._store.user = self.user_name()

    # -- the store -------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self._store is not None

    def store(self) -> Store:
        """The open store; opened (created or migrated) on first use."""
        if self._store is None:
            from nmt_bodymap.store import DatabaseDamaged, ServerUnreachable, backup, open_store

            try:
                self._store = open_store(
                    self.database(),
                    user=self.user_name(),
                    before_migration=backup.before_migration,
                    busy_timeout=self.busy_timeout,
                )
            except DatabaseDamaged as exc:
                self.damaged.emit(str(exc))
                raise
            except ServerUnreachable as exc:
                self.serverLost.emit(str(exc))
                raise
            self.storeOpened.emit()
        return self._store

    def adopt_store(self, store: Store) -> bool:
        """Use a store opened elsewhere (a background check of the server); False when one is open already."""
        if self._store is not None:
            return False
        self._store = store
        self.storeOpened.emit()
        return True

    @property
    def current_store(self) -> Store | None:
        """The store if it is open (never opens it)."""
        return self._store

    def lost(self, error: BaseException) -> None:
        """Tell the server status that ``error`` (a StoreError met by a widget) means the server is gone."""
        from nmt_bodymap.store import ServerUnreachable

        if isinstance(error, ServerUnreachable):
            self.serverLost.emit(str(error))

    def close(self) -> None:
        if self._store is not None:
            self.storeClosed.emit()  # the change watcher lets go of the database first
            self._store.close()
            self._store = None

    def reopen(self) -> None:
        """Forget the open store (another database, or one replaced by a restore); unbind the session."""
        self.close()
        self._unbind()
        self.databaseChanged.emit()
        self.clientsChanged.emit()

    def changed(self, client_id: int | None = None) -> None:
        """Tell the widgets that records changed (after a change made through :meth:`store`)."""
        self.clientsChanged.emit()
        if client_id is not None:
            self.clientChanged.emit(client_id)

    # -- clients -----------------------------------------------------------------

    def add_client(self, code: str, name: str = "", **details: Any) -> Client:
        client = self.store().add_client(code, name, **details)
        self.changed(client.id)
        return client

    def update_client(self, client_id: int, expected_version: int, **changes: Any) -> Client:
        client = self.store().update_client(client_id, expected_version=expected_version, **changes)
        if self.binding is not None and self.binding.client_id == client_id:
            self._bind(client, self.binding.visit_id, self.binding.version, self.binding.closed, self.binding.date)
        self.changed(client_id)
        return client

    def bin_client(self, client_id: int) -> None:
        self.store().bin_client(client_id)
        if self.binding is not None and self.binding.client_id == client_id:
            self._unbind()
        self.changed(client_id)

    def restore_client(self, client_id: int) -> None:
        self.store().restore_client(client_id)
        self.changed(client_id)

    def erase_client(self, client_id: int) -> int:
        erased = self.store().erase_client(client_id)
        if self.binding is not None and self.binding.client_id == client_id:
            self._unbind()
        self.changed(client_id)
        return erased

    # -- visits ------------------------------------------------------------------

    def open_visit(self, visit_id: int) -> None:
        """Show a visit in the chart (the caller has dealt with unsaved work)."""
        store = self.store()
        visit = store.visit(visit_id)
        client, visits = store.client_page(visit.summary.client_id)
        earlier = [v for v in visits if (v.date, v.id) < (visit.summary.date, visit.id)]
        previous = store.visit(earlier[-1].id).session if earlier else None
        self._show(visit.session)
        self.previous = previous
        self.previous_date = earlier[-1].date.isoformat() if earlier else ""
        s = visit.summary
        self._bind(client, s.id, s.version, s.closed, s.date.isoformat())

    def new_visit(self, client_id: int, today: dt.date | None = None, therapist: str = "") -> None:
        """Start today's visit of a client: the last visit's drawing as a ghost, every section empty."""
        store = self.store()
        client, visits = store.client_page(client_id)
        last = store.visit(visits[-1].id) if visits else None
        day = (today or dt.date.today()).isoformat()
        session = Session(
            client_name=client.name,
            client_code=client.code,
            date=day,
            therapist=therapist
            or str(self.settings.value(THERAPIST_SETTING, "") or "")
            or (last.summary.therapist if last else ""),
        )
        self._show(session)
        self.previous = last.session if last else None
        self.previous_date = last.summary.date.isoformat() if last else ""
        if last is not None:
            self.session_model.set_ghost(last.session.marks)
        self._bind(client, None, None, False, day)

    def save_visit(
        self, reason: str = "", close: bool = False, over_version: int | None = None
    ) -> VisitSummary | QueuedSave:
        """Save the open session as its visit (bound), a new visit or a new version; ``close`` closes it.

        Returns the saved visit, or the :class:`QueuedSave` kept in the outbox when the server could not
        be reached (it is not closed then: close it once it is delivered). ``over_version`` saves on top
        of that version instead of the one opened (the conflict dialog's "keep mine"). Conflict and
        other StoreErrors are raised; nothing is saved then.
        """
        from nmt_bodymap.store import QueuedSave
        from nmt_bodymap.store import save_visit as send

        binding = self.binding
        if binding is None:
            raise RuntimeError("the open session is not a visit of a client; choose the client first")
        store = self.store()
        session = self.session_model.session
        target = binding.edit_target if over_version is None else binding.visit_id
        if target is None:
            saved = send(store, session, client_id=binding.client_id)
        else:
            version = over_version if over_version is not None else binding.version
            saved = send(store, session, visit_id=target, expected_version=version, reason=reason)
        if session.therapist:
            self.settings.setValue(THERAPIST_SETTING, session.therapist)
        if isinstance(saved, QueuedSave):
            self.rebind(queued=saved)
            self.session_model.undo_stack.setClean()  # safe in the outbox; the status shows it waiting
            self.saveQueued.emit(saved)
            return saved
        self._saved(saved)
        if store.db.is_server:
            self.serverAnswered.emit()
        if close and not saved.closed:
            saved = store.close_visit(saved.id, expected_version=saved.version)
            self._saved(saved)
        return saved

    def _saved(self, saved: VisitSummary) -> None:
        """The open session is now ``saved`` (bound without reading the store again)."""
        self.rebind(
            visit_id=saved.id, version=saved.version, closed=saved.closed, date=saved.date.isoformat(), queued=None
        )
        self.session_model.undo_stack.setClean()
        self.changed(saved.client_id)

    def apply_delivered(self, report: FlushReport) -> None:
        """Queued saves reached the server: the open visit is now the stored one, and the lists refresh."""
        if not report.delivered:
            return
        made = {entry.save_id: summary for entry, summary in report.delivered}
        b = self.binding
        if b is not None and b.queued is not None and b.queued.save_id in made:
            s = made[b.queued.save_id]
            self.rebind(visit_id=s.id, version=s.version, closed=s.closed, date=s.date.isoformat(), queued=None)
        for client_id in sorted({summary.client_id for summary in made.values()}):
            self.changed(client_id)

    def save_as_visit_of(self, client_id: int) -> VisitSummary | QueuedSave:
        """Record the open session (not a visit yet) as a new visit of ``client_id``."""
        client = self.store().client(client_id)
        self._bind(client, None, None, False, self.session_model.session.date)
        return self.save_visit()

    def close_visit(self, visit_id: int) -> VisitSummary:
        """Close a visit: from now on every change keeps the earlier version."""
        store = self.store()
        expected = self.binding.version if self.binding and self.binding.visit_id == visit_id else None
        saved = store.close_visit(visit_id, expected_version=expected)
        if self.binding is not None and self.binding.visit_id == visit_id:
            self._bind(store.client(saved.client_id), saved.id, saved.version, True, self.binding.date)
        self.changed(saved.client_id)
        return saved

    def bin_visit(self, visit_id: int) -> None:
        saved = self.store().bin_visit(visit_id)
        if self.binding is not None and self.binding.visit_id == visit_id:
            self._unbind()
        self.changed(saved.client_id)

    def restore_visit(self, visit_id: int) -> None:
        saved = self.store().restore_visit(visit_id)
        self.changed(saved.client_id)

    @property
    def needs_reason(self) -> bool:
        """Saving now amends a closed visit: the earlier version is kept, with a reason."""
        return self.binding is not None and self.binding.visit_id is not None and self.binding.closed

    # -- binding -------------------------------------------------------------------

    def _show(self, session: Session) -> None:
        self._binding_now = True
        try:
            self.session_model.replace_session(session)
        finally:
            self._binding_now = False

    def _bind(self, client: Client, visit_id: int | None, version: int | None, closed: bool, date: str) -> None:
        self.binding = Binding(client.id, client.code, client.label, visit_id, version, closed, date)
        self.session_model.set_record_label(self.binding.title)
        self.bindingChanged.emit()

    def rebind(self, **changes: Any) -> None:
        """Change the binding without reading the store (it may be out of reach)."""
        if self.binding is None:
            return
        self.binding = replace(self.binding, **changes)
        self.session_model.set_record_label(self.binding.title)
        self.bindingChanged.emit()

    def _unbind(self) -> None:
        if self.binding is None and self.previous is None:
            return
        self.binding = None
        self.previous = None
        self.previous_date = ""
        self.session_model.set_record_label("")
        self.bindingChanged.emit()

    def _session_replaced(self) -> None:
        if not self._binding_now:
            self._unbind()


def guarded(call: Callable[[], object]) -> str | None:
    """Run ``call``; the store's error message when it fails, else None (for widgets that say it)."""
    from nmt_bodymap.store import StoreError

    try:
        call()
    except StoreError as exc:
        return str(exc)
    return None


__all__ = ["DB_SETTING", "ENV_VAR", "USER_SETTING", "Binding", "RecordsModel", "amended", "guarded"]
