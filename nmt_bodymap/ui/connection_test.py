"""Test a practice database before using it: the store's ``probe``, off the GUI thread, with a deadline.

:class:`ConnectionTest` runs :func:`nmt_bodymap.store.probe` (connects,
reads, changes nothing) in a background thread and answers with one line
(:attr:`ConnectionTest.finished`): connected, with the server's version,
TLS and the schema revision; or the fault (refused password, unreachable
host, TLS refused, ...), never a traceback and never the password. A server
that does not answer within :data:`DEADLINE_S` seconds is reported as such;
its late answer is ignored.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

if TYPE_CHECKING:
    from nmt_bodymap.store import Database, Probe

#: The store gives up connecting after 5 s; a little more covers TLS and the first queries.
DEADLINE_S = 12.0
OK_MARK = "✔"
FAULT_MARK = "✖"


def describe(found: Probe, where: str) -> str:
    """One line about a database that answered."""
    if found.backend == "sqlite":
        if found.schema is None:
            return f"{OK_MARK} {where}: a new practice database will be made there"
        state = "ready" if not found.needs_migration else "will be upgraded when first used (a backup is made first)"
        return f"{OK_MARK} {where}: a practice database, schema {found.schema}, {state}"
    tls = "TLS" if found.tls else "not encrypted"
    if found.schema is None:
        state = "empty: the schema must be made first (nmt-bodymap migrate --to URL, as the migration role)"
    elif found.needs_migration:
        state = f"schema {found.schema}, to be upgraded by the migration role (nmt-bodymap migrate --to URL)"
    else:
        state = f"schema {found.schema}, ready"
    return f"{OK_MARK} Connected to {where}: PostgreSQL {found.server_version}, {tls}, {state}"


def fault_line(error: BaseException, label: str, password: str | None) -> str:
    """One line about a failure: the store's sentence without the database's label (shown beside it)."""
    from nmt_bodymap.store import StoreError

    if isinstance(error, StoreError):
        text = " ".join(str(error).split())
        if text.startswith(f"{label}: "):
            text = text[len(label) + 2 :]
    else:  # not expected: said by its kind, never with a traceback
        text = f"the test failed unexpectedly ({type(error).__name__})"
    if password:
        text = text.replace(password, "***")
    return f"{FAULT_MARK} {text[:1].upper()}{text[1:]}"


class ConnectionTest(QObject):
    """One test at a time; :attr:`finished` says how it went (ok, the line to show)."""

    finished = Signal(bool, str)
    _answer = Signal(int, bool, str)  # from the worker thread: (test number, ok, line)

    def __init__(self, parent: QObject | None = None, deadline_s: float = DEADLINE_S) -> None:
        super().__init__(parent)
        self._number = 0
        self.running = False
        self.worker: threading.Thread | None = None
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.setInterval(int(deadline_s * 1000))
        self._deadline.timeout.connect(self._too_late)
        self._deadline_s = deadline_s
        self._answer.connect(self._answered)

    def start(self, db: Database) -> None:
        """Test ``db`` (which may carry a typed password); :attr:`finished` follows."""
        self._number += 1
        self.running = True
        number = self._number
        password = db.url.password if db.is_server else None
        where = _where(db)
        self.worker = threading.Thread(
            target=self._work, args=(number, db, where, str(password) if password else None), daemon=True
        )
        self.worker.start()
        self._deadline.start()

    def cancel(self) -> None:
        """Forget the test under way (its answer is ignored)."""
        self._number += 1
        self.running = False
        self._deadline.stop()

    def _work(self, number: int, db: Database, where: str, password: str | None) -> None:
        from nmt_bodymap.store import probe

        try:
            line, ok = describe(probe(db), where), True
        except Exception as exc:  # every failure becomes one line
            line, ok = fault_line(exc, db.label, password), False
        self._answer.emit(number, ok, line)

    def _answered(self, number: int, ok: bool, line: str) -> None:
        if number != self._number or not self.running:
            return
        self.running = False
        self._deadline.stop()
        self.finished.emit(ok, line)

    def _too_late(self) -> None:
        if not self.running:
            return
        self.cancel()
        self.finished.emit(
            False,
            f"{FAULT_MARK} No answer in {self._deadline_s:.0f} seconds: check the server's address, the network "
            "or the firewall",
        )


def _where(db: Database) -> str:
    if db.path is not None:
        return str(db.path)
    url = db.url
    port = f":{url.port}" if url.port else ""
    return f"{url.host or 'the server'}{port}" + (f"/{url.database}" if url.database else "")


__all__ = ["DEADLINE_S", "FAULT_MARK", "OK_MARK", "ConnectionTest", "describe", "fault_line"]
