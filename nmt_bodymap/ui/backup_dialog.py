"""File → Back up practice…: a copy of the records now, and restoring one.

* **Back up** makes a consistent copy while the app runs (SQLite's online
  backup, checked before it is written). It is encrypted by default, with
  a passphrase typed twice: a copy on a USB stick must not be readable by
  whoever finds it. Without the passphrase nobody can open it, the
  therapist included; the dialog says so.
* **Restore** replaces the records with a backup: one of the automatic
  daily ones or a file, after a confirmation that names the backup's date.
  The current records are kept in the backups folder first.

The dialog can be driven from code (tests): fill the fields, call
:meth:`back_up` or :meth:`restore`; confirmations go through :attr:`ask`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nmt_bodymap.ui.client_page import confirm
from nmt_bodymap.ui.records_model import RecordsModel

DATED = re.compile(r"(\d{4}-\d{2}-\d{2})(?:T(\d{2})(\d{2})(\d{2}))?")
ENCRYPTED_SUFFIX = ".nmtbackup"
MIN_PASSPHRASE = 8


def backup_date(path: Path) -> str:
    """When a backup was made: the date in its name (the app's own backups), else the file's time."""
    found = DATED.search(path.name)
    if found:
        day, hh, mm, _ss = found.groups()
        return f"{day} {hh}:{mm}" if hh else day
    try:
        return dt.datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    except OSError:
        return "an unknown date"


def _busy(run: Callable[[], object]) -> object:
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return run()
    finally:
        QGuiApplication.restoreOverrideCursor()


class BackupDialog(QDialog):
    def __init__(self, records: RecordsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.records = records
        self.setWindowTitle("Back up practice")
        #: Asks before a restore: (title, text, action) -> go ahead? Tests replace it.
        self.ask: Callable[[str, str, str], bool] = lambda title, text, action: confirm(self, title, text, action)
        self.last_message = ""
        layout = QVBoxLayout(self)

        make = QGroupBox("Back up the client records now")
        form = QFormLayout(make)
        target_row = QHBoxLayout()
        self.target = QLineEdit()
        self.target.setPlaceholderText("The backup file to write (a new file)")
        browse = QPushButton("Choose…")
        browse.clicked.connect(self.choose_target)
        target_row.addWidget(self.target, 1)
        target_row.addWidget(browse)
        target_label = QLabel("&File")
        target_label.setBuddy(self.target)
        form.addRow(target_label, target_row)
        self.encrypt = QCheckBox("&Encrypt with a passphrase (for a copy that leaves this computer)")
        self.encrypt.setChecked(True)
        self.encrypt.toggled.connect(self._encrypt_toggled)
        form.addRow(self.encrypt)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Passphrase")
        self.passphrase_again = QLineEdit()
        self.passphrase_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_again.setAccessibleName("Passphrase again")
        form.addRow("&Passphrase", self.passphrase)
        form.addRow("P&assphrase again", self.passphrase_again)
        warning = QLabel("Without the passphrase nobody can open the backup, you included: keep it somewhere safe.")
        warning.setWordWrap(True)
        form.addRow(warning)
        self.back_up_button = QPushButton("&Back up")
        self.back_up_button.clicked.connect(lambda: self.back_up())
        form.addRow(self.back_up_button)
        layout.addWidget(make)

        restore = QGroupBox("Restore the records from a backup")
        rv = QVBoxLayout(restore)
        self.automatic_note = QLabel()
        self.automatic_note.setWordWrap(True)
        rv.addWidget(self.automatic_note)
        self.automatic = QListWidget()
        self.automatic.setAccessibleName("Automatic backups")
        self.automatic.setMaximumHeight(140)
        rv.addWidget(self.automatic)
        restore_form = QFormLayout()
        self.restore_passphrase = QLineEdit()
        self.restore_passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.restore_passphrase.setPlaceholderText("Only for an encrypted backup")
        restore_form.addRow("Pass&phrase", self.restore_passphrase)
        rv.addLayout(restore_form)
        restore_row = QHBoxLayout()
        self.restore_selected_button = QPushButton("&Restore the selected backup…")
        self.restore_selected_button.clicked.connect(self._restore_selected)
        self.restore_file_button = QPushButton("Restore from a &file…")
        self.restore_file_button.clicked.connect(self._restore_file)
        restore_row.addWidget(self.restore_selected_button)
        restore_row.addWidget(self.restore_file_button)
        restore_row.addStretch(1)
        rv.addLayout(restore_row)
        layout.addWidget(restore)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self._encrypt_toggled(True)
        self.refresh()
        self.resize(620, 0)

    # -- state ---------------------------------------------------------------

    def _encrypt_toggled(self, on: bool) -> None:
        self.passphrase.setEnabled(on)
        self.passphrase_again.setEnabled(on)
        text = self.target.text()
        if not text:
            stem = f"practice-backup-{dt.date.today().isoformat()}"
            self.target.setText(str(Path.home() / (stem + (ENCRYPTED_SUFFIX if on else ".sqlite3"))))
        elif text.endswith(ENCRYPTED_SUFFIX) and not on:
            self.target.setText(text[: -len(ENCRYPTED_SUFFIX)] + ".sqlite3")
        elif text.endswith(".sqlite3") and on:
            self.target.setText(text[: -len(".sqlite3")] + ENCRYPTED_SUFFIX)

    def refresh(self) -> None:
        """List the automatic backups of the database in use."""
        from nmt_bodymap.store import StoreError, backup

        self.automatic.clear()
        try:
            db = self.records.database()
        except StoreError as exc:
            self.automatic_note.setText(str(exc))
            return
        found = backup.backups(db)
        self.automatic_note.setText(
            f"The app backs up the records once a day and keeps the last {backup.KEEP} days, in "
            f"{backup.backups_dir(db)}. Before a restore the current records are kept there too."
        )
        for path in found:
            item = QListWidgetItem(f"{backup_date(path)}   {path.name}")
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            self.automatic.addItem(item)
        if found:
            self.automatic.setCurrentRow(0)
        self.restore_selected_button.setEnabled(bool(found))

    def say(self, text: str) -> None:
        self.last_message = text
        self.message.setText(text)

    def choose_target(self) -> None:
        suffix = ENCRYPTED_SUFFIX if self.encrypt.isChecked() else ".sqlite3"
        path, _ = QFileDialog.getSaveFileName(
            self, "Back up to", self.target.text(), f"nmt-bodymap backups (*{suffix})"
        )
        if path:
            self.target.setText(path if path.endswith(suffix) else path + suffix)

    # -- backing up ------------------------------------------------------------------

    def back_up(self) -> Path | None:
        """Write the backup named in the dialog; the file, or None (the reason is shown)."""
        from nmt_bodymap.store import StoreError, backup

        target = Path(self.target.text().strip()).expanduser()
        if not self.target.text().strip():
            self.say("Choose the file to write.")
            return None
        secret: str | None = None
        if self.encrypt.isChecked():
            secret = self.passphrase.text()
            if len(secret) < MIN_PASSPHRASE:
                self.say(f"The passphrase needs at least {MIN_PASSPHRASE} characters.")
                return None
            if secret != self.passphrase_again.text():
                self.say("The two passphrases differ: type the same one twice.")
                return None
        try:
            written = _busy(lambda: backup.make_backup(self.records.database(), target, secret))
        except StoreError as exc:
            self.say(f"No backup was made: {exc}")
            return None
        assert isinstance(written, Path)
        self.passphrase.clear()
        self.passphrase_again.clear()
        self.say(f"Backed up to {written}" + (" (encrypted)." if secret else " (not encrypted: keep it private)."))
        return written

    # -- restoring --------------------------------------------------------------------

    def _restore_selected(self) -> None:
        item = self.automatic.currentItem()
        if item is not None:
            self.restore(Path(str(item.data(Qt.ItemDataRole.UserRole))))

    def _restore_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Restore from", str(Path.home()), "All files (*)")
        if path:
            self.restore(Path(path))

    def restore(self, path: Path, passphrase: str | None = None) -> bool:
        """Replace the records with the backup ``path`` after confirmation; True when done."""
        from nmt_bodymap.store import StoreError, backup
        from nmt_bodymap.store.sealed import is_sealed

        encrypted = is_sealed(path)
        secret = passphrase if passphrase is not None else (self.restore_passphrase.text() or None)
        if encrypted and not secret:
            self.say(f"{path.name} is encrypted: type its passphrase first.")
            return False
        try:
            db = self.records.database()
        except StoreError as exc:
            self.say(str(exc))
            return False
        when = backup_date(path)
        if not self.ask(
            "Restore the records?",
            f"Replace all the client records in {db.label} with the backup of {when} ({path.name})?\n\n"
            "Every change made since that backup will be gone from the records. The current records are "
            "kept in the backups folder first.",
            f"Restore the backup of {when}",
        ):
            self.say("Nothing was restored.")
            return False
        self.records.close()
        try:
            result = _busy(lambda: backup.restore(db, path, secret if encrypted else None))
        except StoreError as exc:
            self.say(f"Nothing was restored: {exc}")
            return False
        finally:
            self.records.reopen()
        kept = getattr(result, "pre_restore", None)
        self.restore_passphrase.clear()
        self.say(f"Restored the backup of {when}." + (f" The previous records are kept as {kept}." if kept else ""))
        self.refresh()
        return True


__all__ = ["BackupDialog", "backup_date"]
