"""Other therapists' changes, followed: the change watcher of the store, and the refresh of what is shown.

A part of the records' sync (:mod:`.records_sync`), which hands it a
watcher (``store.watch_changes()``) when the database answers. On PostgreSQL
a ``QSocketNotifier`` on the watcher's connection wakes it when a
notification arrives; on SQLite a timer polls every :data:`SQLITE_POLL_MS`.
A burst of changes becomes one refresh (:data:`REFRESH_DELAY_MS` later): the
Clients view reads its list and its page again, and when the visit open in
the chart was saved by someone else meanwhile, :attr:`ChangeFeed.openVisitChanged`
says who. Polling never waits; a lost server connection is passed on
(:attr:`ChangeFeed.lost`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal

from nmt_bodymap.ui.records_model import RecordsModel

if TYPE_CHECKING:
    from nmt_bodymap.store import ChangeWatcher

SQLITE_POLL_MS = 2000
REFRESH_DELAY_MS = 150


class ChangeFeed(QObject):
    openVisitChanged = Signal(str)  # another therapist saved the visit open in the chart (who)
    lost = Signal(str)  # the watcher's server connection was lost (the message)

    def __init__(self, records: RecordsModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.records = records
        self.watcher: ChangeWatcher | None = None
        self.notifier: QSocketNotifier | None = None
        self._changes: Any = None  # Changes gathered for the next refresh
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(SQLITE_POLL_MS)
        self.poll_timer.timeout.connect(self.poll)
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setSingleShot(True)
        self.refresh_timer.setInterval(REFRESH_DELAY_MS)
        self.refresh_timer.timeout.connect(self._refresh)

    def watch(self, watcher: ChangeWatcher) -> None:
        """Follow ``watcher`` (the feed owns it from now on)."""
        self.drop()
        self.watcher = watcher
        fd = watcher.fileno()
        if fd is not None:
            self.notifier = QSocketNotifier(fd, QSocketNotifier.Type.Read, self)
            self.notifier.activated.connect(lambda *_a: self.poll())
        else:
            self.poll_timer.start()

    def drop(self) -> None:
        """Stop following (and close) the watcher."""
        self.poll_timer.stop()
        if self.notifier is not None:
            self.notifier.setEnabled(False)
            self.notifier.deleteLater()
            self.notifier = None
        if self.watcher is not None:
            self.watcher.close()
            self.watcher = None

    def poll(self) -> None:
        """Read what the watcher has (never waits); a lost server connection turns the state unreachable."""
        from nmt_bodymap.store import ServerUnreachable, StoreError

        if self.watcher is None:
            return
        try:
            changes = self.watcher.poll(0.0)
        except ServerUnreachable as exc:
            self.drop()
            self.lost.emit(str(exc))
            return
        except StoreError:
            self.drop()
            return
        if changes:
            self.note(changes)

    def note(self, changes: Any) -> None:
        """Gather changes (None: everything) for one refresh a moment later."""
        from nmt_bodymap.store import Changes

        if changes is None:
            changes = Changes(everything=True)
        held = self._changes
        if held is None:
            self._changes = changes
        else:
            self._changes = Changes(
                held.clients | changes.clients, held.visits | changes.visits, held.everything or changes.everything
            )
        self.refresh_timer.start()

    def _refresh(self) -> None:
        """Read the list and the page shown again; say so when the open visit was changed by someone else."""
        changes, self._changes = self._changes, None
        if changes is None:
            return
        self.records.clientsChanged.emit()  # the Clients view reads its list and its page again
        b = self.records.binding
        store = self.records.current_store
        if b is None or b.visit_id is None or b.queued is not None or store is None or not changes.touches(b.client_id):
            return
        from nmt_bodymap.store import StoreError

        try:
            stored = next((v for v in store.visits(b.client_id) if v.id == b.visit_id), None)
        except StoreError as exc:
            self.records.lost(exc)
            return
        if stored is not None and stored.version != b.version:
            self.openVisitChanged.emit(stored.updated_by or "someone else")

    def close(self) -> None:
        self.refresh_timer.stop()
        self.drop()


__all__ = ["REFRESH_DELAY_MS", "SQLITE_POLL_MS", "ChangeFeed"]
