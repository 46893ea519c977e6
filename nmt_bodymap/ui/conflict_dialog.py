"""The dialog shown when a save meets another therapist's change of the same visit: never a silent overwrite.

It names who saved the visit meanwhile and when, shows both versions (the
sections whose text differs side by side, and the two drawings), and offers
three ways out, each saying what happens to the other version:

* **Keep mine**: my version is saved as a new version on top of theirs
  (theirs stays in the amendment history of a closed visit; of an open
  visit, which keeps no history, it is kept as a file);
* **Take theirs**: the chart shows their version; mine is kept as a
  ``.nmt`` file in the data folder, so nothing is lost;
* **Cancel**: nothing is saved; my version stays in the window (and its
  autosave), to decide later.

The dialog only asks; :mod:`.records_conflicts` does what was chosen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from nmt_bodymap.chart import Chart
from nmt_bodymap.session import Session
from nmt_bodymap.ui.conflict_view import DrawingPair, differences_html, differing_sections, visit_sections
from nmt_bodymap.ui.theme import app_palette, muted_color

if TYPE_CHECKING:
    from nmt_bodymap.store import Conflict

KEEP_MINE = "mine"
TAKE_THEIRS = "theirs"


def when(value: object) -> str:
    """A time the server recorded, in this computer's time zone."""
    if isinstance(value, dt.datetime):
        return value.astimezone().strftime("%Y-%m-%d %H:%M")
    return "–"


class ConflictDialog(QDialog):
    """Both versions of a visit, and the choice (:attr:`choice`: KEEP_MINE, TAKE_THEIRS or None)."""

    def __init__(
        self,
        conflict: Conflict,
        mine: Session,
        theirs: Session,
        chart: Chart,
        *,
        closed: bool = False,
        queued: bool = False,
        name_of: Callable[[str], str] = str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.conflict = conflict
        self.choice: str | None = None
        who = conflict.changed_by or "Someone else"
        self.labels = (
            f"Theirs: {who}, {when(conflict.changed_at)}",
            "Yours: waiting on this computer" if queued else "Yours: not saved",
        )
        self.setWindowTitle("The visit was changed meanwhile")
        layout = QVBoxLayout(self)
        what = "sent from this computer while the server was out of reach" if queued else "saved"
        self.header = QLabel(
            f"<b>{who} saved this visit at {when(conflict.changed_at)}</b>, after you opened it (their version "
            f"{conflict.current_version}; yours started from version {conflict.expected_version}). Your version could "
            f"not be {what} without overwriting theirs, so nothing was overwritten. Compare them and choose what the "
            "record keeps."
        )
        self.header.setWordWrap(True)
        layout.addWidget(self.header)

        self.differing = differing_sections(theirs, mine, name_of)
        same = len(visit_sections(theirs)) - len({title for title, _a, _b in self.differing})
        self.tabs = QTabWidget()
        self.text = QTextBrowser()
        self.text.setAccessibleName("Differences section by section")
        self.text.setHtml(differences_html(self.differing, self.labels, app_palette(), max(same, 0)))
        self.drawings = DrawingPair(chart, theirs, mine, self.labels)
        n = len(self.differing)
        self.tabs.addTab(self.text, f"&Differences ({n} section{'s' if n != 1 else ''})")
        self.tabs.addTab(self.drawings, "D&rawings")
        layout.addWidget(self.tabs, 1)

        other = (
            "theirs stays in the visit's amendment history"
            if closed
            else "theirs is kept as a file in the data folder (an open visit keeps no history)"
        )
        grid = QGridLayout()
        self.keep_mine = QPushButton("&Keep mine")
        self.keep_mine.setToolTip("Save your version as a new version on top of theirs")
        self.take_theirs = QPushButton("&Take theirs")
        self.take_theirs.setToolTip("Show their version; yours is kept as a file so nothing is lost")
        self.cancel = QPushButton("Cancel")
        self.cancel.setToolTip("Save nothing now; your version stays in this window")
        explanations = (
            f"Your version is saved on top of theirs; {other}.",
            "The chart shows their version; yours is kept as a session file (.nmt) in the app's data folder.",
            "Nothing is saved now: your version stays in this window and its autosave."
            if not queued
            else "Nothing changes now: your version waits on this computer; Retry in the status bar asks again.",
        )
        muted = muted_color().name()
        self.explanations: list[QLabel] = []
        for row, (button, text) in enumerate(
            zip((self.keep_mine, self.take_theirs, self.cancel), explanations, strict=True)
        ):
            label = QLabel(text)
            label.setWordWrap(True)
            label.setStyleSheet(f"color: {muted}")
            label.setBuddy(button)
            grid.addWidget(button, row, 0)
            grid.addWidget(label, row, 1)
            self.explanations.append(label)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        self.keep_mine.clicked.connect(lambda: self._choose(KEEP_MINE))
        self.take_theirs.clicked.connect(lambda: self._choose(TAKE_THEIRS))
        self.cancel.clicked.connect(self.reject)
        self.cancel.setDefault(True)
        self.resize(980, 680)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()

    def reject(self) -> None:
        self.choice = None
        super().reject()


__all__ = ["KEEP_MINE", "TAKE_THEIRS", "ConflictDialog", "when"]
