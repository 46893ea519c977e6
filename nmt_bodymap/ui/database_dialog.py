"""Practice → Database…: which SQLite file holds the client records.

The choice is kept in the app's settings. ``--db`` on the command line and
the ``NMT_BODYMAP_DB`` environment variable win over it; the dialog says so
when one of them is in force. (The clinic server's dialog comes with the
server.)
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nmt_bodymap.ui.records_model import ENV_VAR, RecordsModel


class DatabaseDialog(QDialog):
    def __init__(self, records: RecordsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.records = records
        self.setWindowTitle("Practice database")
        layout = QVBoxLayout(self)
        value, source = records.database_value()
        from nmt_bodymap.store import default_path

        self.default = str(default_path())
        intro = QLabel(
            "The client records are kept in one database file. Choose another file to keep them elsewhere "
            "(a new file is created when the records are first used); empty uses the app's own file:\n"
            f"{self.default}"
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        self.path = QLineEdit(value if source == "settings" and value else "")
        self.path.setPlaceholderText(self.default)
        self.path.setAccessibleName("Database file")
        browse = QPushButton("Choose…")
        browse.clicked.connect(self.choose)
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        layout.addLayout(row)
        self.override = QLabel()
        self.override.setWordWrap(True)
        if source == "environment":
            self.override.setText(
                f"In use now: {value}, given by --db or {ENV_VAR}; it wins over this setting until the app "
                "is started without it."
            )
        self.override.setVisible(source == "environment")
        layout.addWidget(self.override)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #a4161a")
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 0)

    def choose(self) -> None:
        start = self.path.text() or self.default
        path, _ = QFileDialog.getSaveFileName(
            self,
            "Database file",
            start,
            "SQLite databases (*.sqlite3 *.sqlite *.db)",
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if path:
            self.path.setText(path)

    def accept(self) -> None:
        from nmt_bodymap.store import StoreError

        text = self.path.text().strip()
        if text and Path(text).expanduser().absolute() == Path(self.default).absolute():
            text = ""
        try:
            self.records.set_database_setting(text)
        except StoreError as exc:
            self.problem.setText(str(exc))
            return
        super().accept()


__all__ = ["DatabaseDialog"]
