"""A non-modal notice of atlas files that could not be loaded, with their problems.

The atlas loader skips a bad file (the shipped atlas, the user's atlas folder
or a folder of ``NMT_BODYMAP_ATLAS``) and keeps going; this notice, in the
main window's status bar, says so ("3 atlas files were skipped: …") and its
Details button lists every problem in a window that does not block the app.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nmt_bodymap.ui.model import SessionModel

#: File names shown in the notice itself; the rest are in Details.
SHOWN_FILES = 3


def summary(skipped: list[str]) -> str:
    """The notice's sentence, e.g. "3 atlas files were skipped: a.toml, b.svg, c.toml"."""
    files = list(dict.fromkeys(skipped))
    names = ", ".join(Path(f).name for f in files[:SHOWN_FILES])
    more = f" and {len(files) - SHOWN_FILES} more" if len(files) > SHOWN_FILES else ""
    were = "1 atlas file was" if len(files) == 1 else f"{len(files)} atlas files were"
    return f"{were} skipped: {names}{more}"


class SkippedFilesNotice(QWidget):
    """Status-bar notice of skipped atlas files; hidden when nothing was skipped."""

    def __init__(self, model: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.details_dialog: QDialog | None = None
        atlas = model.atlas
        self.label = QLabel(summary(atlas.skipped) if atlas.skipped else "")
        self.label.setToolTip("These files have problems; the rest of the atlas loaded. Details lists each problem.")
        self.details_button = QPushButton("&Details…")
        self.details_button.setToolTip("List every problem found in the skipped atlas files")
        self.details_button.clicked.connect(self.show_details)
        close = QToolButton()
        close.setText("×")
        close.setToolTip("Hide this notice")
        close.setAccessibleName("Hide the skipped files notice")
        close.clicked.connect(self.hide)
        icon = QLabel()
        size = self.label.fontMetrics().height()
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size, size))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(icon)
        layout.addWidget(self.label)
        layout.addWidget(self.details_button)
        layout.addWidget(close)
        self.setVisible(bool(atlas.skipped))

    def details_text(self) -> str:
        atlas = self.model.atlas
        lines = [summary(atlas.skipped) + ".", "The rest of the atlas loaded. Problems found:", ""]
        lines += [str(p) for p in atlas.problems]
        lines += ["", "Fix the files and restart, or check them with: nmt-bodymap atlas check"]
        return "\n".join(lines)

    def show_details(self) -> None:
        """Open (or raise) the non-modal list of problems."""
        if self.details_dialog is None:
            dialog = QDialog(self.window())
            dialog.setWindowTitle("Skipped atlas files")
            text = QPlainTextEdit(self.details_text())
            text.setReadOnly(True)
            text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
            buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
            buttons.rejected.connect(dialog.close)
            layout = QVBoxLayout(dialog)
            layout.addWidget(text)
            layout.addWidget(buttons)
            dialog.resize(720, 360)
            self.details_dialog = dialog
        self.details_dialog.setModal(False)
        self.details_dialog.show()
        self.details_dialog.raise_()
