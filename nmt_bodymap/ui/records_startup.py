"""After the window is up: check the practice database, make today's backup, offer a restore if damaged.

App start never waits for the records: a moment after the window is shown
(:data:`DELAY_MS`) the database is opened, if there is one, and today's
automatic backup (the last 14 kept) is made in a background thread (a
large practice takes a while to copy). What can go wrong is said in words,
never as a crash:

* a **damaged** file: a message, and the offer to restore the latest good
  backup (the damaged file is kept beside the backups);
* a database **in use** by another program past the busy timeout, one made
  by a **newer version**, or not an nmt-bodymap database: a message; the
  chart works as before.

A clinic server is not opened here (it may be out of reach, and the
window must not wait for it): :attr:`RecordsStartup.serverInUse` hands it
to the server status (:mod:`.records_sync`), which checks it in the
background; the server is backed up on the server (``pg_dump``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from nmt_bodymap.ui.backup_dialog import backup_date
from nmt_bodymap.ui.client_page import confirm
from nmt_bodymap.ui.records_model import RecordsModel

DELAY_MS = 1500
AGAIN_MS = 6 * 3600 * 1000  # an app left open for days still makes one backup a day


def latest_good_backup(db: object) -> Path | None:
    """The newest backup that is not a kept copy of a damaged database."""
    from nmt_bodymap.store import backup

    for path in backup.backups(db):  # type: ignore[arg-type]
        if not path.name.startswith("pre-restore-damaged-"):
            return path
    return None


class RecordsStartup(QObject):
    """The checks above; :meth:`start` schedules them, :meth:`check_now` runs them at once (tests)."""

    backupFinished = Signal(object)  # the new backup's Path, None (one exists today), or an error message
    status = Signal(str)  # a line for the status bar
    serverInUse = Signal()  # the records are on a clinic server: check it in the background

    def __init__(self, records: RecordsModel, window: QWidget) -> None:
        super().__init__(window)
        self.records = records
        self.window = window
        #: Asks whether to restore: (title, text, action) -> go ahead? Tests replace it.
        self.ask: Callable[[str, str, str], bool] = lambda title, text, action: confirm(window, title, text, action)
        #: Says something that needs no answer: (title, text). Tests replace it.
        self.tell: Callable[[str, str], None] = lambda title, text: _warn(window, title, text)
        self.backup_thread: threading.Thread | None = None
        self._offering = False
        records.damaged.connect(self.offer_restore)
        self.backupFinished.connect(self._backup_finished)

    def start(self) -> None:
        QTimer.singleShot(DELAY_MS, self.check_now)
        self.again = QTimer(self)
        self.again.setInterval(AGAIN_MS)
        self.again.timeout.connect(self.check_now)
        self.again.start()

    def check_now(self, wait: bool = False) -> None:
        from nmt_bodymap.store import DatabaseDamaged, StoreError

        try:
            db = self.records.database()
        except StoreError as exc:
            self.tell("Client records", f"The practice database setting cannot be used: {exc}")
            return
        if db.is_server:
            self.serverInUse.emit()
            return
        if db.path is None or not db.path.exists():
            return  # no records kept yet: nothing to check or back up
        if self.backup_thread is not None and self.backup_thread.is_alive():
            return  # still copying
        try:
            self.records.store()
        except DatabaseDamaged:
            return  # offer_restore was called through records.damaged
        except StoreError as exc:
            self.tell("Client records", f"{exc}\n\nThe chart works as before; the client records cannot be used.")
            return
        self.backup_thread = threading.Thread(target=self._daily, args=(db,), name="nmt-daily-backup", daemon=True)
        self.backup_thread.start()
        if wait:
            self.backup_thread.join()

    def _daily(self, db: object) -> None:
        from nmt_bodymap.store import StoreError, backup

        try:
            made = backup.daily(db)  # type: ignore[arg-type]
        except (StoreError, OSError) as exc:
            self.backupFinished.emit(str(exc))
            return
        self.backupFinished.emit(made)

    def _backup_finished(self, result: object) -> None:
        if isinstance(result, Path):
            self.status.emit(f"Today's backup of the client records is made ({result.name})")
        elif isinstance(result, str):
            if "damaged" in result:
                self.offer_restore(result)
            else:
                self.status.emit(f"No automatic backup today: {result}")

    def offer_restore(self, message: str) -> bool:
        """Say the database is damaged; offer the latest good backup. True when it was restored."""
        if self._offering:
            return False
        self._offering = True
        try:
            return self._offer(message)
        finally:
            self._offering = False

    def _offer(self, message: str) -> bool:
        from nmt_bodymap.store import StoreError, backup

        db = self.records.database()
        latest = latest_good_backup(db)
        if latest is None:
            self.tell(
                "The client records are damaged",
                f"{message}\n\nNo backup of the records was found. The chart works as before; the client records "
                "cannot be used until the file is repaired or replaced (File → Back up practice… → Restore).",
            )
            return False
        when = backup_date(latest)
        if not self.ask(
            "The client records are damaged",
            f"{message}\n\nRestore the latest backup, of {when} ({latest.name})? Changes made since then are lost; "
            "the damaged file is kept in the backups folder.",
            f"Restore the backup of {when}",
        ):
            return False
        self.records.close()
        try:
            backup.restore(db, latest)
        except StoreError as exc:
            self.tell("Nothing was restored", str(exc))
            return False
        finally:
            self.records.reopen()
        self.status.emit(f"Restored the client records from the backup of {when}")
        return True


def _warn(parent: QWidget, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)


__all__ = ["DELAY_MS", "RecordsStartup", "latest_good_backup"]
