"""The saves the clinic server refused (not a conflict), each with what the therapist can do about it.

A visit saved while the server was out of reach waits in the outbox. When
the server later refuses it for a reason other than another therapist's
change (the client was deleted on the server, the role may not write, the
queued file is damaged) it would wait for ever. The server status offers
this dialog (:class:`RefusedSavesDialog`): one row per refused save with the
client's code, the visit date, when it was saved here and the server's
reason in one line, and

* **Save a copy…**: the visit (its newest queued version) as a ``.nmt`` file
  in a folder the therapist picks, named by visit date and save id (never
  the client's name), never over an existing file;
* **Retry**: send the outbox again (after the cause was fixed on the server);
* **Discard…**: asks first, and says plainly when no copy was saved.

A damaged file can only be discarded: the row says it is damaged, and names
the file. The store does the work (:mod:`nmt_bodymap.store.refused`); this
module only asks and shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from nmt_bodymap.store import Outbox, StoreError
from nmt_bodymap.store.refused import OutboxItem, discard, refused_saves, save_copy
from nmt_bodymap.ui.folders import remember_folder, start_folder
from nmt_bodymap.ui.records_sync import State
from nmt_bodymap.ui.theme import muted_color

if TYPE_CHECKING:
    from nmt_bodymap.ui.records_sync import RecordsSync


def local_time(iso: str) -> str:
    """A time recorded in UTC (ISO 8601), in this computer's time zone; "–" when there is none."""
    try:
        return dt.datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return "–"


def describe(item: OutboxItem) -> str:
    """What the save is: client code, visit date, when it was saved here, and the later edits going with it."""
    text = f"<b>{item.client_code}</b> · visit of {item.visit_date} · saved here {local_time(item.queued_at)}"
    if item.later:
        n = len(item.later)
        text += f" · with {n} later edit{'s' if n != 1 else ''} waiting behind it"
    return text


class RefusedRow(QFrame):
    """One refused save: what it is, why it was refused, and its buttons."""

    def __init__(self, item: OutboxItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        if item.damaged:
            self.title = QLabel(f"<b>A damaged queued save</b>: the file {item.path.name} cannot be read")
            fault = item.reason.replace(f"{item.path}: ", "")
            self.reason = QLabel(f"It cannot be sent or copied; discard it. ({fault})")
        else:
            self.title = QLabel(describe(item))
            self.reason = QLabel(f"The server said: {item.reason}")
        self.reason.setToolTip(item.reason)
        self.reason.setStyleSheet(f"color: {muted_color().name()}")
        self.reason.setWordWrap(True)
        layout.addWidget(self.title)
        layout.addWidget(self.reason)
        buttons = QHBoxLayout()
        self.copy_button = QPushButton("Save a &copy…")
        self.copy_button.setToolTip("Write this visit as a session file (.nmt) in a folder you choose")
        self.retry_button = QPushButton("&Retry")
        self.retry_button.setToolTip("Send the saves waiting here again (once the cause is fixed on the server)")
        self.discard_button = QPushButton("&Discard…")
        self.discard_button.setToolTip("Remove this save from this computer for good (asks first)")
        for button in (self.copy_button, self.retry_button, self.discard_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.copy_button.setVisible(not item.damaged)
        self.retry_button.setVisible(not item.damaged)
        layout.addLayout(buttons)


class RefusedSavesDialog(QDialog):
    """The refused saves of the database in use (see the module docstring); follows :class:`RecordsSync`."""

    def __init__(self, sync: RecordsSync, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sync = sync
        self.rows: list[RefusedRow] = []
        #: Copies saved from this dialog, by save id (discarding one then says where its copy is).
        self.copied: dict[str, Path] = {}
        self._retrying: OutboxItem | None = None
        self._seen: tuple[object, ...] | None = None
        #: Asks for a folder (None: cancelled). Tests replace it.
        self.choose_folder: Callable[[], Path | None] = self._choose_folder
        #: Shows a question box and returns the button chosen. Tests replace it.
        self.ask: Callable[[QMessageBox], QMessageBox.StandardButton] = _ask
        self.setWindowTitle("Saves the server refused")
        layout = QVBoxLayout(self)
        header = QLabel(
            "The server refused these visits, saved on this computer while it was out of reach, for a reason "
            "other than another therapist's change. They stay here until you send them again (once the cause is "
            "fixed on the server), keep a copy as a session file, or discard them."
        )
        header.setWordWrap(True)
        layout.addWidget(header)
        self.list = QWidget()
        self.list_layout = QVBoxLayout(self.list)
        self.list_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.list)
        layout.addWidget(scroll, 1)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setAccessibleName("What happened")
        layout.addWidget(self.note)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        sync.changed.connect(self._sync_changed)
        self.resize(720, 420)
        self.reload()

    @property
    def outbox(self) -> Outbox:
        return Outbox.for_database(self.sync.records.database())

    # -- the list -----------------------------------------------------------------------------

    def reload(self, force: bool = True) -> None:
        """Read the refused saves again (only when they changed, unless ``force``)."""
        outbox = self.outbox
        seen = (len(outbox), *((r.path.name, r.refused_at) for r in outbox.refusals()))
        if not force and seen == self._seen:
            return
        self._seen = seen
        for row in self.rows:
            row.setParent(None)
            row.deleteLater()
        self.rows = []
        for item in refused_saves(outbox):
            row = RefusedRow(item)
            row.copy_button.clicked.connect(lambda _=False, i=item: self.save_a_copy(i))
            row.retry_button.clicked.connect(lambda _=False, i=item: self.retry(i))
            row.discard_button.clicked.connect(lambda _=False, i=item: self.discard(i))
            self.list_layout.insertWidget(len(self.rows), row)
            self.rows.append(row)
        self._enable()

    def row_of(self, save_id: str) -> RefusedRow | None:
        return next((row for row in self.rows if row.item.save_id == save_id), None)

    def _enable(self) -> None:
        for row in self.rows:
            row.retry_button.setEnabled(not self.sync.checking)

    def _sync_changed(self) -> None:
        self.reload(force=False)
        if self._retrying is not None and not self.sync.checking:
            self._retried(self._retrying)
        self._enable()

    # -- the buttons ----------------------------------------------------------------------------

    def save_a_copy(self, item: OutboxItem) -> Path | None:
        folder = self.choose_folder()
        if folder is None:
            return None
        try:
            path = save_copy(item, folder)
        except StoreError as exc:
            self.note.setText(f"No copy was saved: {exc}")
            return None
        self.copied[item.save_id] = path
        remember_folder(self.sync.records.settings, path)
        self.note.setText(f"Copy saved: {path}")
        return path

    def retry(self, item: OutboxItem) -> None:
        self._retrying = item
        self.note.setText("Sending the saves waiting here…")
        self.sync.retry_now()
        self._enable()

    def _retried(self, item: OutboxItem) -> None:
        self._retrying = None
        row = self.row_of(item.save_id)
        if row is None:
            self.note.setText(f"Sent: the server took the visit of {item.client_code} ({item.visit_date}).")
        elif self.sync.state is not State.CONNECTED:
            self.note.setText(f"The server did not answer; the save stays here. {self.sync.message}")
        else:
            self.note.setText(f"Refused again: {row.item.reason}")

    def discard(self, item: OutboxItem) -> bool:
        """Ask, then drop the save (and the edits queued after it). True when it was discarded."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Discard this save?")
        box.setText(self.discard_question(item))
        box.setStandardButtons(QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        if self.ask(box) != QMessageBox.StandardButton.Discard:
            return False
        ids = discard(self.outbox, item)
        records = self.sync.records
        b = records.binding
        if b is not None and b.queued is not None and b.queued.save_id in ids:
            records.rebind(queued=None)  # the chart's visit is no longer waiting anywhere: unsaved again
            records.session_model.undo_stack.resetClean()
        self.note.setText("Discarded." if item.damaged else f"Discarded the visit of {item.client_code}.")
        self.sync.refresh_pending()
        self.reload()
        return True

    def discard_question(self, item: OutboxItem) -> str:
        if item.damaged:
            return (
                f"The queued file {item.path.name} is damaged: it cannot be read, sent or copied.\n\n"
                "Discard it? This cannot be undone."
            )
        what = f"the visit of {item.client_code} ({item.visit_date})"
        if item.later:
            what += f" and the {len(item.later)} later edit{'s' if len(item.later) != 1 else ''} of it"
        kept = self.copied.get(item.save_id)
        if kept is not None:
            return f"A copy is saved in {kept}.\n\nDiscard {what} waiting here? The server never received it."
        return (
            f"You have not saved a copy. Discarding removes {what} from this computer for good: the server never "
            "received it, so it exists nowhere else.\n\nDiscard it anyway?"
        )

    def _choose_folder(self) -> Path | None:
        start = start_folder(self.sync.records.settings)
        chosen = QFileDialog.getExistingDirectory(self, "Save a copy in", str(start))
        return Path(chosen) if chosen else None


def _ask(box: QMessageBox) -> QMessageBox.StandardButton:
    return QMessageBox.StandardButton(box.exec())


__all__ = ["RefusedRow", "RefusedSavesDialog", "describe", "local_time"]
