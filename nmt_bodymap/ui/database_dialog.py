"""Practice → Database…: where the client records are kept, tested before the choice is saved.

Two places: **this computer** (a SQLite file, the default) or a **clinic
server** (PostgreSQL: host, port, database, user, TLS mode, the CA
certificate for ``verify-full``, and the password). *Test connection*
runs the store's ``probe`` in the background (:mod:`.connection_test`) and
shows one line; the choice is saved only after a test of exactly these
values succeeded, as the URL without the password. The password goes to
the system keychain when one exists and the box is ticked; otherwise it is
used until the app closes, and libpq's ``~/.pgpass`` is the place to keep
it. ``--db`` and ``NMT_BODYMAP_DB`` still win over the setting; the dialog
says so when one is in force. "Your name" is recorded as who created and
who last changed each client and visit.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QColor, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from nmt_bodymap.ui.connection_test import ConnectionTest
from nmt_bodymap.ui.records_model import DB_SETTING, ENV_VAR, RecordsModel
from nmt_bodymap.ui.server_form import TLS_MODES, ServerForm, choose_file, keychain_available
from nmt_bodymap.ui.theme import app_palette, heading_color, is_dark, muted_color

if TYPE_CHECKING:
    from nmt_bodymap.store import Database


class DatabaseDialog(QDialog):
    def __init__(self, records: RecordsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from nmt_bodymap.store import default_path

        self.records = records
        self.default = str(default_path())
        self.tester = ConnectionTest(self)
        self.tested: str | None = None  # the values of the last successful test
        self.keychain = keychain_available()
        self.setWindowTitle("Practice database")
        layout = QVBoxLayout(self)

        intro = QLabel("Where the client records are kept:")
        layout.addWidget(intro)
        kinds = QHBoxLayout()
        self.local = QRadioButton("&This computer")
        self.local.setToolTip("A database file on this computer: for a therapist working alone")
        self.server = QRadioButton("Clinic &server")
        self.server.setToolTip("A PostgreSQL server shared by the clinic's therapists")
        self.kind = QButtonGroup(self)
        for button in (self.local, self.server):
            self.kind.addButton(button)
            kinds.addWidget(button)
        kinds.addStretch(1)
        layout.addLayout(kinds)
        self.file_page = self._file_page()
        self.server_page = ServerForm(self.keychain)
        form = self.server_page
        self.host, self.port, self.database, self.user = form.host, form.port, form.database, form.user
        self.tls, self.ca_file, self.password = form.tls, form.ca_file, form.password
        self.remember, self.pgpass_note = form.remember, form.pgpass_note
        layout.addWidget(self.file_page)
        layout.addWidget(self.server_page)

        who = QFormLayout()
        self.user_name = QLineEdit(records.saved_user_name())
        self.user_name.setAccessibleName("Your name")
        from nmt_bodymap.store import default_user

        self.user_name.setPlaceholderText(default_user() or "your name")
        self.user_name.setToolTip("Recorded as who created and who last changed each client and visit")
        who.addRow("Your &name:", self.user_name)
        layout.addLayout(who)

        self.override = QLabel()
        self.override.setWordWrap(True)
        layout.addWidget(self.override)
        test_row = QHBoxLayout()
        self.test_button = QPushButton("T&est connection")
        self.test_button.setToolTip("Connect and read, changing nothing")
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # an endless bar: the test is under way
        self.busy.setMaximumWidth(90)
        self.busy.setTextVisible(False)
        self.busy.hide()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.busy)
        test_row.addStretch(1)
        layout.addLayout(test_row)
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        self.outcome.setAccessibleName("Test result")
        layout.addWidget(self.outcome)
        self.problem = QLabel()  # why Save did not save
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self._load(records.database_value())
        self.kind.buttonToggled.connect(lambda _b, _on: self._kind_changed())
        self.test_button.clicked.connect(self.test_connection)
        self.tester.finished.connect(self._tested)
        self.path.textChanged.connect(lambda _t: self._values_changed())
        self.server_page.changed.connect(self._values_changed)
        self._kind_changed()
        self.setMinimumWidth(600)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.adjustSize()  # wrapped notes know their height only once the dialog has its width

    # -- the pages ----------------------------------------------------------------

    def _file_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setPlaceholderText(self.default)
        self.path.setAccessibleName("Database file")
        browse = QPushButton("Choose…")
        browse.clicked.connect(
            lambda: choose_file(self, self.path, "Database file", "SQLite databases (*.sqlite3 *.sqlite *.db)", True)
        )
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        column.addLayout(row)
        hint = QLabel(
            "A database file (a new one is made when the records are first used); empty uses the app's own file."
        )
        hint.setWordWrap(True)
        self._mute(hint)
        column.addWidget(hint)
        return page

    def _mute(self, label: QLabel) -> None:
        label.setStyleSheet(f"color: {muted_color().name()}")

    def _load(self, given: tuple[str | None, str]) -> None:
        """Fill the fields from the setting (the environment's value only says it is in force)."""
        value, source = given
        if source == "environment":
            self.override.setText(
                f"In use now: {self._shown(value or '')}, given by --db or {ENV_VAR}; it wins over this setting "
                "until the app is started without it."
            )
        self.override.setVisible(source == "environment")
        saved = str(self.records.settings.value(DB_SETTING, "") or "")
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        if saved.startswith(("postgresql:", "postgres:")):
            try:
                url = make_url(saved)
            except ArgumentError:
                url = None
            if url is not None:
                self.server_page.load(url)
                self.server.setChecked(True)
                return
        self.path.setText(saved)
        self.local.setChecked(True)

    @staticmethod
    def _shown(value: str) -> str:
        from nmt_bodymap.store import StoreError, resolve

        try:
            return resolve(value).label
        except StoreError:
            return "a database that cannot be used"

    # -- values -----------------------------------------------------------------------

    @property
    def is_server(self) -> bool:
        return self.server.isChecked()

    def value(self) -> str:
        """The database as it is kept in the settings: a path ("" for the default) or a URL without password."""
        if not self.is_server:
            text = self.path.text().strip()
            if text and Path(text).expanduser().absolute() == Path(self.default).absolute():
                return ""
            return text
        return self.server_page.url_text()

    def chosen(self, with_password: bool = True) -> Database:
        """The database the fields name (StoreError when they do not name one)."""
        from nmt_bodymap.store import Database, StoreError, resolve

        value = self.value()
        if self.is_server:
            missing = self.server_page.missing()
            if missing:
                raise StoreError(missing)
        db = resolve(value) if self.is_server else resolve(value or self.default)
        password = self.password.text()
        if with_password and db.is_server and password:
            return Database(db.url.set(password=password), None)
        return db

    def _signature(self) -> str:
        return f"{self.value()}\n{self.password.text()}"

    def _kind_changed(self) -> None:
        self.file_page.setVisible(not self.is_server)
        self.server_page.setVisible(self.is_server)
        self._values_changed()
        if self.isVisible():
            self.adjustSize()

    def _values_changed(self) -> None:
        if self.tester.running:
            self.tester.cancel()
            self._busy(False)
        self.tested = None
        self.outcome.clear()
        self.problem.clear()
        self.save_button.setEnabled(not self.is_server)
        self.save_button.setToolTip("" if not self.is_server else "Test the connection first")

    # -- testing and saving ----------------------------------------------------------------

    def test_connection(self) -> None:
        from nmt_bodymap.store import StoreError

        try:
            db = self.chosen()
        except StoreError as exc:
            self._show_result(False, f"✖ {str(exc)[:1].upper()}{str(exc)[1:]}")
            return
        self._busy(True)
        self.outcome.setStyleSheet(f"color: {muted_color().name()}")
        self.outcome.setText("Testing the connection…")
        self.tester.start(db)

    def _busy(self, on: bool) -> None:
        self.busy.setVisible(on)
        self.test_button.setEnabled(not on)
        self.test_button.setText("Testing…" if on else "T&est connection")

    def _tested(self, ok: bool, line: str) -> None:
        self._busy(False)
        self.tested = self._signature() if ok else None
        self._show_result(ok, line)
        self.save_button.setEnabled(ok or not self.is_server)
        self.save_button.setToolTip("" if ok else "Test the connection first")

    def _show_result(self, ok: bool, line: str) -> None:
        color = heading_color() if ok else fault_color(app_palette())
        self.outcome.setStyleSheet(f"color: {color.name()}")
        self.outcome.setText(line)

    def accept(self) -> None:
        from nmt_bodymap.store import StoreError, probe

        self.problem.clear()
        if self.tester.running:
            return
        if self.is_server and self.tested != self._signature():
            self.problem.setStyleSheet(f"color: {fault_color(app_palette()).name()}")
            self.problem.setText("Test the connection first: the setting is saved only once it works.")
            return
        try:
            db = self.chosen()
            if not self.is_server:
                probe(db)  # a file: tested here, at once
            password = self.password.text()
            kept_in_keychain = False
            if self.is_server and password and self.keychain and self.remember.isChecked():
                from nmt_bodymap.store.server import remember_password

                remember_password(db, password)
                kept_in_keychain = True
            self.records.set_user_name(self.user_name.text())
            self.records.set_database_setting(self.value(), "" if kept_in_keychain else password)
        except StoreError as exc:
            self.problem.setStyleSheet(f"color: {fault_color(app_palette()).name()}")
            self.problem.setText(f"✖ Nothing was saved: {exc}")
            return
        super().accept()

    def reject(self) -> None:
        self.tester.cancel()
        super().reject()


def fault_color(palette: QPalette) -> QColor:
    """A failure's text colour, readable on the palette's window."""
    return QColor("#ff9b8f") if is_dark(palette) else QColor("#a4161a")


__all__ = ["TLS_MODES", "DatabaseDialog", "fault_color", "keychain_available"]
