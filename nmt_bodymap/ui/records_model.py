"""The client records as the app sees them: which database, the open store, the open visit.

:class:`RecordsModel` is to the records what :class:`SessionModel` is to the
open session: widgets take it in their constructor and listen to its
signals; it never knows a widget and never shows a dialog (a failure is a
:class:`~nmt_bodymap.store.StoreError` raised to the caller, who says it).

* **Which database.** ``--db`` (the command line puts it in
  ``NMT_BODYMAP_DB``) or ``NMT_BODYMAP_DB`` win; else the path kept in the
  app's settings (Practice → Database…); else the default file in the
  app's data folder.
* **Lazily.** Nothing of the store (SQLAlchemy included) is imported until
  a records widget is first shown or a records command runs: app start
  does not pay for it.
* **The open visit** (:class:`Binding`): the session in the chart may be a
  visit of a client's record (opened, or started with "New visit"). Saving
  it then saves the visit: a new visit, or a new version of an existing
  one (a closed visit keeps the version it replaces, with a reason). Any
  other session shown in the chart (a file, a new session) unbinds it.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings, Signal

from nmt_bodymap.session import Session
from nmt_bodymap.ui.model import SessionModel

if TYPE_CHECKING:
    from nmt_bodymap.store import Client, Database, Store, VisitSummary

DB_SETTING = "records/database"
THERAPIST_SETTING = "records/therapist"
ENV_VAR = "NMT_BODYMAP_DB"  # the store's own name for it (not imported here: the store loads lazily)
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

    @property
    def title(self) -> str:
        what = f"Visit {self.date}" if self.visit_id is not None else f"New visit {self.date}"
        return f"{what} · {self.client_code}"


def amended(visit: VisitSummary) -> bool:
    """A closed visit saved again after it was closed: it has earlier versions.

    The store records no amendment count in the list; a closed visit's
    ``updated_at`` moves past its ``closed_at`` only when it is amended
    (closing and binning leave ``updated_at`` alone).
    """
    return visit.closed_at is not None and visit.updated_at > visit.closed_at


class RecordsModel(QObject):
    """The practice database, opened on first use, and the open session's place in it."""

    clientsChanged = Signal()  # the client list may have changed
    clientChanged = Signal(int)  # a client's record or visits changed (client id)
    bindingChanged = Signal()  # the open session's place in the record changed
    databaseChanged = Signal()  # another database is in use (chosen, or restored from a backup)
    damaged = Signal(str)  # the database could not be opened because its file is damaged (the message)

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
        session_model.sessionReplaced.connect(self._session_replaced)

    # -- which database --------------------------------------------------------

    def database_value(self) -> tuple[str | None, str]:
        """The database as given, and where it was given: "environment", "settings" or "default"."""
        env = os.environ.get(ENV_VAR)
        if env:
            return env, "environment"
        saved = str(self.settings.value(DB_SETTING, "") or "")
        if saved:
            return saved, "settings"
        return None, "default"

    def database(self) -> Database:
        """The resolved database (StoreError when the value is not a usable path or URL)."""
        from nmt_bodymap.store import resolve

        return resolve(self.database_value()[0])

    def set_database_setting(self, value: str) -> None:
        """Keep ``value`` (a path; empty: the default) in the settings and use it from now on."""
        if value:
            from nmt_bodymap.store import resolve

            resolve(value)  # refuse a bad value before keeping it
            self.settings.setValue(DB_SETTING, value)
        else:
            self.settings.remove(DB_SETTING)
        self.reopen()

    # -- the store -------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self._store is not None

    def store(self) -> Store:
        """The open store; opened (created or migrated) on first use."""
        if self._store is None:
            from nmt_bodymap.store import DatabaseDamaged, backup, open_store

            try:
                self._store = open_store(
                    self.database(), before_migration=backup.before_migration, busy_timeout=self.busy_timeout
                )
            except DatabaseDamaged as exc:
                self.damaged.emit(str(exc))
                raise
        return self._store

    def close(self) -> None:
        if self._store is not None:
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

    def save_visit(self, reason: str = "", close: bool = False) -> VisitSummary:
        """Save the open session as its visit (bound), a new visit or a new version; ``close`` closes it."""
        binding = self.binding
        if binding is None:
            raise RuntimeError("the open session is not a visit of a client; choose the client first")
        store = self.store()
        session = self.session_model.session
        if binding.visit_id is None:
            saved = store.add_visit(binding.client_id, session)
        else:
            assert binding.version is not None
            saved = store.update_visit(binding.visit_id, session, expected_version=binding.version, reason=reason)
        if close and not saved.closed:
            saved = store.close_visit(saved.id, expected_version=saved.version)
        client = store.client(binding.client_id)
        self._bind(client, saved.id, saved.version, saved.closed, saved.date.isoformat())
        if session.therapist:
            self.settings.setValue(THERAPIST_SETTING, session.therapist)
        self.session_model.undo_stack.setClean()
        self.changed(binding.client_id)
        return saved

    def save_as_visit_of(self, client_id: int) -> VisitSummary:
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


__all__ = ["Binding", "RecordsModel", "amended", "guarded"]
