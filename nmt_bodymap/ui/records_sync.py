"""The records kept in step with the clinic server: its state, the outbox's delivery, other therapists' changes.

:class:`RecordsSync` never blocks the window on the network. What can wait
on a server (opening the store, ``ping``, ``flush_outbox``, connecting the
change watcher) runs in a background thread; its result comes back as a
signal. So the therapist keeps drawing while the server is down: a save
that cannot reach it goes to the outbox (:meth:`RecordsModel.save_visit`),
the state turns *unreachable*, and a retry timer with a growing pause
(:data:`BACKOFF_S`) tries again until the server answers, then delivers the
waiting saves (and rebinds the open visit to what they made).

Other therapists' changes: the check connects the store's change watcher
and hands it to :class:`~.records_feed.ChangeFeed`, which refreshes the
client list and page when a change arrives (the SQLite file gets its
watcher when it is opened); when the app window becomes active again they
are read again too.

A queued save that turned out to conflict with another therapist's is
passed on (:attr:`RecordsSync.conflictFound`) for the window to resolve
with the therapist; a save the server refused for another reason is said in
the status (:attr:`RecordsSync.problem`, counted in :attr:`RecordsSync.refused`)
and resolved in :mod:`.refused_saves`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication

from nmt_bodymap.ui.records_feed import ChangeFeed
from nmt_bodymap.ui.records_model import RecordsModel

if TYPE_CHECKING:
    from nmt_bodymap.store import ChangeWatcher, Database, FlushReport, QueuedSave, Store

#: Pauses between retries while the server is unreachable (the last one repeats).
BACKOFF_S = (2, 4, 8, 15, 30, 60)


class State(Enum):
    LOCAL = "local"  # a file on this computer: nothing to be unreachable
    CHECKING = "checking"  # the first answer of the server is awaited
    CONNECTED = "connected"
    UNREACHABLE = "unreachable"
    REFUSED = "refused"  # the server answered but refused (password, role, schema...)


@dataclass
class _Outcome:
    """What a background check found (handed to the GUI thread)."""

    generation: int
    store: Store | None = None  # opened by the check (the records had none)
    report: FlushReport | None = None
    watcher: ChangeWatcher | None = None
    error: str = ""
    unreachable: bool = False


class RecordsSync(QObject):
    changed = Signal()  # state, pending count or message changed
    conflictFound = Signal(object, object)  # a queued save's chain (list[QueuedSave]) and its Conflict
    openVisitChanged = Signal(str)  # another therapist saved the visit open in the chart (who)
    _finished = Signal(object)  # from the worker thread: an _Outcome

    def __init__(self, records: RecordsModel, parent: QObject | None = None, backoff_s: tuple[float, ...] = BACKOFF_S):
        super().__init__(parent)
        self.records = records
        self.backoff_s = backoff_s
        self.state = State.LOCAL
        self.message = ""
        self.pending = 0
        self.refused = 0  # of the pending saves, those the server refused (not conflicts), and damaged files
        self.problem = ""  # a queued save that cannot be delivered, said in one line
        self.server = ""  # how the server is named in the status ("clinic-server")
        self.worker: threading.Thread | None = None
        self.checking = False  # a background check is under way (its outcome not yet handled)
        self._generation = 0
        self._attempt = 0
        self._conflicts_shown: set[str] = set()
        self.retry_timer = QTimer(self)
        self.retry_timer.setSingleShot(True)
        self.retry_timer.timeout.connect(self.check_now)
        self.feed = ChangeFeed(records, self)
        self.feed.lost.connect(self.lost)
        self.feed.openVisitChanged.connect(self.openVisitChanged)
        self._finished.connect(self._check_finished, Qt.ConnectionType.QueuedConnection)
        records.storeOpened.connect(self._store_opened)
        records.databaseChanged.connect(self.reset)
        records.storeClosed.connect(self.feed.drop)
        records.saveQueued.connect(self._save_queued)
        records.serverLost.connect(self.lost)
        records.serverAnswered.connect(self._answered)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._app_state)

    # -- what the status shows --------------------------------------------------

    @property
    def watcher(self) -> ChangeWatcher | None:
        """The change watcher followed now (None while the server is out of reach)."""
        return self.feed.watcher

    @property
    def is_server(self) -> bool:
        try:
            return self.records.database().is_server
        except Exception:
            return False

    def start(self) -> None:
        """Look at the database in use: a server is checked in the background at once (once: later calls
        only retry when it is not connected)."""
        if self.state is State.CONNECTED and self.watcher is not None:
            return
        if self.state in (State.UNREACHABLE, State.REFUSED, State.CHECKING):
            self.retry_now()
            return
        self.reset()

    def reset(self) -> None:
        """Another database: forget the old one's watcher and state, and look at the new one."""
        self._generation += 1
        self.feed.drop()
        self.retry_timer.stop()
        self._attempt = 0
        self._conflicts_shown.clear()
        self.problem = ""
        try:
            db = self.records.database()
        except Exception:
            self._set(State.LOCAL, "")
            return
        self.pending, self.refused = _pending(db)
        if db.is_server:
            self.server = _server_name(db)
            self._set(State.CHECKING, f"Connecting to {self.server}…")
            self.check_now()
        else:
            self.server = ""
            self._set(State.LOCAL, "")
            if self.records.is_open:
                self._store_opened()

    def _set(self, state: State, message: str) -> None:
        self.state, self.message = state, message
        self.changed.emit()

    # -- checking the server in the background ----------------------------------------

    def retry_now(self) -> None:
        """The Retry button: try at once, and start the pauses again from the shortest."""
        self._attempt = 0
        self.check_now()

    def check_now(self) -> None:
        """Open, ping, deliver the outbox and watch changes, in a background thread (one at a time)."""
        self.retry_timer.stop()
        if self.checking:
            return  # one at a time: its outcome comes first
        try:
            db = self.records.database()
        except Exception:
            return
        if not db.is_server:
            return
        store = self.records.current_store
        self.checking = True
        self.worker = threading.Thread(
            target=self._check,
            args=(self._generation, db, store, self.records.user_name(), self.watcher is None),
            name="nmt-server-check",
            daemon=True,
        )
        self.worker.start()
        self.changed.emit()  # the Retry button waits for this attempt

    def _check(self, generation: int, db: Database, store: Store | None, user: str, watch: bool) -> None:
        from nmt_bodymap.store import Outbox, ServerUnreachable, StoreError, flush_outbox, open_store

        outcome = _Outcome(generation)
        opened: Store | None = None
        try:
            if store is None:
                store = opened = open_store(db, user=user)
            store.ping()
            outbox = Outbox.for_database(db)
            if len(outbox):
                outcome.report = flush_outbox(store, outbox)
                if outcome.report.unreachable is not None:
                    raise outcome.report.unreachable
            if watch:
                outcome.watcher = store.watch_changes()
            outcome.store = opened
        except ServerUnreachable as exc:
            outcome.error, outcome.unreachable = str(exc), True
        except StoreError as exc:
            outcome.error = str(exc)
        except Exception as exc:  # never a traceback in the status: said by its kind
            outcome.error = f"the server check failed ({type(exc).__name__})"
        if outcome.error and opened is not None:
            opened.close()
            outcome.store = None
        try:
            self._finished.emit(outcome)
        except RuntimeError:  # the window closed meanwhile
            for held in (outcome.watcher, outcome.store):
                if held is not None:
                    held.close()

    def _check_finished(self, outcome: _Outcome) -> None:
        self.checking = False
        if outcome.generation != self._generation:  # another database meanwhile: throw it away
            if outcome.watcher is not None:
                outcome.watcher.close()
            if outcome.store is not None:
                outcome.store.close()
            if self.state is State.CHECKING:
                self.check_now()  # the new database's first check waited for this one
            return
        if outcome.store is not None and not self.records.adopt_store(outcome.store):
            outcome.store.close()
        self.pending, self.refused = _pending(self.records.database())  # now, not when the check began
        report = outcome.report
        if report is not None:
            self.records.apply_delivered(report)
            self.problem = "; ".join(str(error) for _entry, error in report.failed)
        if outcome.error:
            if outcome.watcher is not None:
                outcome.watcher.close()
            self.feed.drop()
            state = State.UNREACHABLE if outcome.unreachable else State.REFUSED
            self._schedule_retry()
            self._set(state, outcome.error)
            return
        self._attempt = 0
        if outcome.watcher is not None:
            self.feed.watch(outcome.watcher)
        self._set(State.CONNECTED, f"Connected to {self.server}")
        if report is not None:
            self._offer_conflicts(report)

    def _schedule_retry(self) -> None:
        pause = self.backoff_s[min(self._attempt, len(self.backoff_s) - 1)]
        self._attempt += 1
        self.retry_timer.start(int(pause * 1000))

    def _offer_conflicts(self, report: FlushReport) -> None:
        from nmt_bodymap.store import Outbox

        waiting = Outbox.for_database(self.records.database()).pending()
        for entry, conflict in report.conflicts:
            if entry.save_id in self._conflicts_shown:
                continue
            self._conflicts_shown.add(entry.save_id)
            self.conflictFound.emit(chain_of(entry, waiting), conflict)

    def forget_conflict(self, save_id: str) -> None:
        """A conflict the therapist left unresolved is offered again at the next delivery."""
        self._conflicts_shown.discard(save_id)

    # -- what the window tells -------------------------------------------------------------

    def _save_queued(self, entry: QueuedSave) -> None:
        self.pending, self.refused = _pending(self.records.database())
        self.feed.drop()
        if not self.retry_timer.isActive():
            self._schedule_retry()
        if self.state is not State.UNREACHABLE:
            self._set(State.UNREACHABLE, f"{self.server or 'The server'} cannot be reached: the last save is kept here")
        else:
            self.changed.emit()

    def lost(self, message: str) -> None:
        """A read or a save met an unreachable server."""
        if not self.is_server:
            return
        self.feed.drop()
        if not self.retry_timer.isActive() and not self.checking:
            self._schedule_retry()
        if self.state is not State.UNREACHABLE or message != self.message:
            self._set(State.UNREACHABLE, message)

    def _answered(self) -> None:
        """A save reached the server: if it was thought unreachable, check it (and deliver the outbox) now."""
        if self.state is not State.CONNECTED or self.watcher is None:
            self.retry_now()
        else:
            self.refresh_pending()

    def refresh_pending(self) -> None:
        try:
            self.pending, self.refused = _pending(self.records.database())
        except Exception:
            return
        self.changed.emit()

    def _app_state(self, state: Qt.ApplicationState) -> None:
        if state != Qt.ApplicationState.ApplicationActive or not self.records.is_open:
            return
        if self.state is State.UNREACHABLE:
            self.retry_now()
        elif self.state in (State.CONNECTED, State.LOCAL):
            self.feed.note(None)

    # -- other therapists' changes ----------------------------------------------------------

    def _store_opened(self) -> None:
        if self.watcher is not None:
            return
        store = self.records.current_store
        if store is None:
            return
        if store.db.is_server:
            if self.state is State.UNREACHABLE or self.state is State.REFUSED:
                self.check_now()  # the window reached the server itself: deliver and watch now
            return
        from nmt_bodymap.store import StoreError

        try:
            self.feed.watch(store.watch_changes())
        except StoreError:
            return

    def close(self, wait_s: float = 0.0) -> None:
        """Stop watching and retrying (the window closes); ``wait_s``: wait that long for a check under way."""
        self._generation += 1
        self.state = State.LOCAL
        self.retry_timer.stop()
        self.feed.close()
        if wait_s and self.worker is not None:
            self.worker.join(wait_s)


def chain_of(first: QueuedSave, waiting: list[QueuedSave]) -> list[QueuedSave]:
    """``first`` and the queued edits that follow it (each edits the visit the one before made), in order."""
    chain = [first]
    ids = {first.save_id}
    for entry in waiting:
        if entry.after is not None and entry.after in ids and entry.save_id not in ids:
            chain.append(entry)
            ids.add(entry.save_id)
    return chain


def _pending(db: Database) -> tuple[int, int]:
    """The saves waiting in the outbox, and how many of them the server refused (no save is read)."""
    from nmt_bodymap.store import Outbox

    outbox = Outbox.for_database(db)
    return len(outbox), len(outbox.refusals())


def _server_name(db: Database) -> str:
    url = db.url
    return str(url.host or url.query.get("service") or "the clinic server")


__all__ = ["BACKOFF_S", "RecordsSync", "State", "chain_of"]
