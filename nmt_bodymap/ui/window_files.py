"""The main window's file handling: new, open, save, recent files, exports, recovery after a crash.

File dialogs open in the folder last used (or the open session's folder).
After an export the status bar says what was written, with a button that
opens its folder, instead of a box to dismiss. :class:`FileCommands` is
mixed into :class:`~nmt_bodymap.ui.main_window.MainWindow`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QTimer, QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QMainWindow, QMessageBox, QPushButton, QWidget

from nmt_bodymap.session import SUFFIX, Session, SessionError, load
from nmt_bodymap.ui.files import Autosaver, Recovery, save_session
from nmt_bodymap.ui.folders import FOLDER_KEY, remember_folder, start_folder

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu

    from nmt_bodymap.ui.model import SessionModel
    from nmt_bodymap.ui.records_hook import RecordsUi

MAX_RECENT = 8
NOTICE_MS = 20000


class WrittenNotice(QWidget):
    """ "Wrote report.pdf  [Open folder]" in the status bar, for a while."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folder: Path | None = None
        self.label = QLabel()
        self.button = QPushButton("Open folder")
        self.button.setToolTip("Open the folder of the exported file in the file manager")
        self.button.clicked.connect(self.open_folder)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label)
        row.addWidget(self.button)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.hide)
        self.hide()

    def show_file(self, path: Path) -> None:
        self.folder = path.parent
        self.label.setText(f"Wrote {path.name}")
        self.label.setToolTip(str(path))
        self.show()
        self.timer.start(NOTICE_MS)

    def open_folder(self) -> bool:
        return self.folder is not None and QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder)))


class FileCommands(QMainWindow):
    """New, open, save, recent files, export and print, and crash recovery."""

    model: SessionModel
    settings: QSettings
    autosaver: Autosaver
    recent_menu: QMenu
    act_forget_recent: QAction
    written_notice: WrittenNotice
    records: RecordsUi
    _sync_settings: Callable[[], None]

    def _update_title(self) -> None:
        name = Path(self.model.path).name if self.model.path else self.model.record_label or "Untitled session"
        self.setWindowTitle(f"{name}[*] — nmt-bodymap")

    def maybe_save(self) -> bool:
        """Ask about unsaved work; False when the user cancels."""
        if not self.model.dirty:
            return True
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            "The session has unsaved changes. Save them?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def new_session(self) -> None:
        if self.maybe_save():
            self.autosaver.discard()
            self.model.replace_session(Session())

    def open_dialog(self) -> None:
        if not self.maybe_save():
            return
        start = str(start_folder(self.settings, self.model.path))
        path, _ = QFileDialog.getOpenFileName(self, "Open session", start, f"nmt-bodymap sessions (*{SUFFIX})")
        if path:
            self.open_session(path, ask=False)

    def open_session(self, path: str, ask: bool = True) -> bool:
        """Open a session file; a bad file gets a clear message and is never touched."""
        if ask and not self.maybe_save():
            return False
        try:
            session = load(path)
        except SessionError as exc:
            QMessageBox.critical(self, "Cannot open session", f"{exc}\n\nThe file was not changed.")
            self._forget_recent(path)
            return False
        self.autosaver.discard()
        self.model.replace_session(session, str(Path(path).resolve()))
        self._add_recent(str(Path(path).resolve()))
        remember_folder(self.settings, path)
        self.statusBar().showMessage(f"Opened {path}", 4000)
        return True

    def save(self) -> bool:
        if self.records.handles_save():  # the session is a visit of a client's record
            return self.records.save_visit()
        if not self.model.path:
            return self.save_as()
        return self._write(self.model.path)

    def save_as(self) -> bool:
        s = self.model.session
        stem = "-".join(p for p in (s.client_code or "session", s.date) if p)
        start = str(start_folder(self.settings, self.model.path) / f"{stem}{SUFFIX}")
        path, _ = QFileDialog.getSaveFileName(self, "Save session", start, f"nmt-bodymap sessions (*{SUFFIX})")
        if not path:
            return False
        if not path.endswith(SUFFIX):
            path += SUFFIX
        return self._write(path)

    def _write(self, path: str) -> bool:
        try:
            save_session(self.model.session, path)
        except (OSError, SessionError) as exc:
            QMessageBox.critical(self, "Cannot save", f"{exc}\n\nYour work is kept in this window and autosaved.")
            return False
        self.model.mark_saved(str(Path(path).resolve()))
        self._add_recent(self.model.path)
        remember_folder(self.settings, path)
        self.statusBar().showMessage(f"Saved {path}", 4000)
        return True

    def _recent(self) -> list[str]:
        value = self.settings.value("files/recent", [])
        return [str(v) for v in (value if isinstance(value, list) else [value] if value else [])]

    def _add_recent(self, path: str) -> None:
        recent = [path] + [p for p in self._recent() if p != path]
        self.settings.setValue("files/recent", recent[:MAX_RECENT])
        self._refresh_recent()

    def _forget_recent(self, path: str) -> None:
        self.settings.setValue("files/recent", [p for p in self._recent() if p != str(Path(path).resolve())])
        self._refresh_recent()

    def _refresh_recent(self) -> None:
        self.recent_menu.clear()
        recent = self._recent()
        for i, path in enumerate(recent, start=1):
            act = self.recent_menu.addAction(f"&{i} {Path(path).name}")
            act.setToolTip(path)
            act.triggered.connect(lambda _c=False, p=path: self.open_session(p))
        self.recent_menu.setEnabled(bool(recent))
        self.act_forget_recent.setEnabled(bool(recent) or bool(self.settings.value(FOLDER_KEY, "")))

    def forget_recent_files(self) -> None:
        """Clear the recent files and the last-used folder (their names often carry a client's name)."""
        self.settings.remove("files/recent")
        self.settings.remove(FOLDER_KEY)
        self._sync_settings()
        self._refresh_recent()
        self.statusBar().showMessage("Recent files forgotten", 4000)

    # -- exports (the export dialog lives in export_dialog.py) -------------------

    def export_dialog(self) -> None:
        from nmt_bodymap.ui.export_dialog import ExportDialog

        dialog = ExportDialog(self.model, self.settings, self)
        dialog.exec()
        if dialog.written is not None:
            self.show_written(dialog.written)

    def show_written(self, path: Path) -> None:
        """Say in the status bar what an export wrote, with a button that opens its folder."""
        remember_folder(self.settings, path)
        self.statusBar().clearMessage()
        self.written_notice.show_file(Path(path))

    def print_dialog(self) -> None:
        from nmt_bodymap.ui.print_preview import open_print_preview

        open_print_preview(self.model, self.settings, self)

    # -- recovery ----------------------------------------------------------------------

    def offer_recovery(self) -> None:
        """After a crash, offer the autosaved work back."""
        for item in Autosaver.pending(self.autosaver.folder):
            if self.restore_or_discard(item):
                break

    def ask_restore(self, item: Recovery) -> str:
        """Ask what to do with autosaved work: "restore", "discard" or "later"."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Restore unsaved work?")
        where = Path(item.original_path).name if item.original_path else "an unsaved session"
        box.setText(f"nmt-bodymap did not close normally. Restore the unsaved work on {where}?")
        restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("Later", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(restore)
        box.exec()
        return "restore" if box.clickedButton() is restore else "discard" if box.clickedButton() is discard else "later"

    def restore_or_discard(self, item: Recovery) -> bool:
        answer = self.ask_restore(item)
        if answer == "restore":
            try:
                session = item.load()
            except SessionError as exc:
                QMessageBox.warning(self, "Cannot restore", str(exc))
                return False
            self.model.replace_session(session, item.original_path, dirty=True)
            self.autosaver.save_now()
            item.discard()
            return True
        if answer == "discard":
            item.discard()
        return False


__all__ = ["FileCommands", "WrittenNotice"]
