"""The clinic server's fields of the database dialog: where the server is, how to connect, the password.

:class:`ServerForm` holds host, port, database, user, the TLS mode (with the
CA certificate that ``verify-full`` checks the server against) and the
password, with "remember in the system keychain" where there is one, or a
note that libpq's ``~/.pgpass`` is the place to keep it. It turns the
fields into the URL the settings keep (never with the password) and back.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from nmt_bodymap.ui.theme import muted_color

#: The TLS modes offered, with how the dialog names them (libpq's sslmode).
TLS_MODES = {
    "prefer": "Prefer TLS: encrypted whenever the server offers it",
    "require": "Require TLS: no connection without encryption",
    "verify-full": "Require TLS and check the server's certificate (verify-full)",
}
DEFAULT_PORT = 5432


def keychain_available() -> bool:
    """Whether a system keychain can keep the password (the optional ``keyring`` package, a real backend)."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return False
    try:
        backend = keyring.get_keyring()
    except Exception:
        return False
    return not isinstance(backend, fail.Keyring) and float(getattr(backend, "priority", 1) or 0) > 0


def choose_file(parent: QWidget, edit: QLineEdit, title: str, filters: str, save: bool) -> None:
    start = edit.text() or edit.placeholderText() or str(Path.home())
    if save:
        path, _ = QFileDialog.getSaveFileName(
            parent, title, start, filters, options=QFileDialog.Option.DontConfirmOverwrite
        )
    else:
        path, _ = QFileDialog.getOpenFileName(parent, title, start, filters)
    if path:
        edit.setText(path)


class ServerForm(QWidget):
    """The server's fields; :attr:`changed` whenever one of them changes."""

    changed = Signal()

    def __init__(self, keychain: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.keychain = keychain
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        where = QHBoxLayout()
        self.host = QLineEdit()
        self.host.setPlaceholderText("clinic-server")
        self.host.setAccessibleName("Server")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.port.setAccessibleName("Port")
        where.addWidget(self.host, 1)
        where.addWidget(QLabel("Port"))
        where.addWidget(self.port)
        server_label = QLabel("Ser&ver:")
        server_label.setBuddy(self.host)
        form.addRow(server_label, where)
        self.database = QLineEdit()
        self.database.setPlaceholderText("nmt_practice")
        self.database.setAccessibleName("Database")
        form.addRow("&Database:", self.database)
        self.user = QLineEdit()
        self.user.setPlaceholderText("nmt_app")
        self.user.setAccessibleName("Database user")
        form.addRow("&User:", self.user)
        self.tls = QComboBox()
        for mode, title in TLS_MODES.items():
            self.tls.addItem(title, mode)
        self.tls.setAccessibleName("TLS")
        form.addRow("&TLS:", self.tls)
        ca_row = QHBoxLayout()
        self.ca_file = QLineEdit()
        self.ca_file.setPlaceholderText("the clinic's CA certificate (.crt, .pem)")
        self.ca_file.setAccessibleName("CA certificate")
        self.ca_browse = QPushButton("Choose…")
        self.ca_browse.clicked.connect(
            lambda: choose_file(
                self, self.ca_file, "CA certificate", "Certificates (*.crt *.pem *.cer);;All files (*)", False
            )
        )
        ca_row.addWidget(self.ca_file, 1)
        ca_row.addWidget(self.ca_browse)
        self.ca_label = QLabel("&CA certificate:")
        self.ca_label.setBuddy(self.ca_file)
        form.addRow(self.ca_label, ca_row)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password")
        self.password.setPlaceholderText("empty: from the keychain or ~/.pgpass")
        form.addRow("&Password:", self.password)
        self.remember = QCheckBox("Remember in the system &keychain")
        self.remember.setChecked(self.keychain)
        self.remember.setVisible(self.keychain)
        self.pgpass_note = QLabel(
            "No system keychain here: a password typed above is used until the app closes. To keep it, put it in "
            "~/.pgpass (private: chmod 600), one line HOST:PORT:DATABASE:USER:PASSWORD."
        )
        self.pgpass_note.setWordWrap(True)
        self.pgpass_note.setStyleSheet(f"color: {muted_color().name()}")
        self.pgpass_note.setVisible(not self.keychain)
        form.addRow("", self.remember if self.keychain else self.pgpass_note)

        for edit in (self.host, self.database, self.user, self.ca_file, self.password):
            edit.textChanged.connect(lambda _t: self._changed())
        self.port.valueChanged.connect(lambda _v: self._changed())
        self.tls.currentIndexChanged.connect(lambda _i: self._changed())
        self._changed()

    def _changed(self) -> None:
        verify = self.tls.currentData() == "verify-full"
        for widget in (self.ca_file, self.ca_browse, self.ca_label):
            widget.setEnabled(verify)
        self.changed.emit()

    def load(self, url: object) -> None:
        """Fill the fields from a server URL (SQLAlchemy's, without password)."""
        from sqlalchemy.engine import URL

        assert isinstance(url, URL)
        self.host.setText(url.host or "")
        self.port.setValue(url.port or DEFAULT_PORT)
        self.database.setText(url.database or "")
        self.user.setText(url.username or "")
        mode = str(url.query.get("sslmode") or "prefer")
        self.tls.setCurrentIndex(max(0, self.tls.findData(mode)))
        self.ca_file.setText(str(url.query.get("sslrootcert") or ""))

    def url_text(self) -> str:
        """The URL the settings keep: everything but the password."""
        from sqlalchemy.engine import URL

        query = {"sslmode": str(self.tls.currentData())}
        if query["sslmode"] == "verify-full" and self.ca_file.text().strip():
            query["sslrootcert"] = str(Path(self.ca_file.text().strip()).expanduser().absolute())
        url = URL.create(
            "postgresql",
            username=self.user.text().strip() or None,
            host=self.host.text().strip() or None,
            port=self.port.value(),
            database=self.database.text().strip() or None,
            query=query,
        )
        return url.render_as_string(hide_password=False)

    def missing(self) -> str:
        """What must still be given ("" when nothing)."""
        absent = [name for name, edit in (("server", self.host), ("database", self.database)) if not edit.text()]
        if absent:
            return f"give the {' and the '.join(absent)}"
        if self.tls.currentData() == "verify-full" and not self.ca_file.text().strip():
            return "verify-full needs the clinic's CA certificate, to check the server's"
        return ""


__all__ = ["DEFAULT_PORT", "TLS_MODES", "ServerForm", "choose_file", "keychain_available"]
