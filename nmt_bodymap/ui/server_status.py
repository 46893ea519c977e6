"""The clinic server's state in the status bar: connected, unreachable, saves waiting, with a Retry button.

Shown only when the records are on a server (or saves wait in the outbox):
a solo therapist's status bar does not change. The state is said in words,
with a coloured dot beside them (never colour alone); the tooltip has the
server's own sentence and what happens next. Retry tries at once instead of
waiting for the next automatic attempt (:mod:`.records_sync`). Saves the
server refused (not conflicts) are counted apart, with a button that lists
them (:mod:`.refused_saves`, loaded when first shown).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from nmt_bodymap.ui.records_sync import RecordsSync, State
from nmt_bodymap.ui.theme import app_palette, is_dark

if TYPE_CHECKING:
    from nmt_bodymap.ui.refused_saves import RefusedSavesDialog

#: The dot's colour per state (light theme, dark theme).
DOT_COLORS: dict[State, tuple[str, str]] = {
    State.CONNECTED: ("#1b7f3b", "#5cc27a"),
    State.CHECKING: ("#8b9097", "#a6acb4"),
    State.UNREACHABLE: ("#b3261e", "#ff8a80"),
    State.REFUSED: ("#b3261e", "#ff8a80"),
    State.LOCAL: ("#8b9097", "#a6acb4"),
}
WAITING_COLORS = ("#b86e00", "#f0b252")


def saves_waiting(n: int) -> str:
    return f"{n} save{'s' if n != 1 else ''} waiting"


def saves_refused(n: int) -> str:
    return f"{n} save{'s' if n != 1 else ''} the server refused"


class StatusDot(QWidget):
    """A small filled circle in the state's colour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.color = QColor("#8b9097")
        self.setFixedSize(QSize(12, 12))

    def set_color(self, color: QColor) -> None:
        self.color = color
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(self.color.darker(130))
        painter.setBrush(self.color)
        painter.drawEllipse(1, 1, 10, 10)
        painter.end()


class ServerStatus(QWidget):
    """The status bar's indicator of :class:`RecordsSync`."""

    def __init__(self, sync: RecordsSync, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sync = sync
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 0, 4, 0)
        row.setSpacing(6)
        self.dot = StatusDot()
        self.label = QLabel()
        self.label.setAccessibleName("Server status")
        self.retry = QToolButton()
        self.retry.setText("Retry")
        self.retry.setToolTip("Try to reach the server now and send the saves waiting on this computer")
        self.retry.clicked.connect(sync.retry_now)
        self.refused_button = QToolButton()
        self.refused_button.setText("Show refused…")
        self.refused_button.setToolTip("List the saves the server refused: keep a copy, send again or discard each")
        self.refused_button.clicked.connect(self.show_refused)
        self.refused_dialog: RefusedSavesDialog | None = None
        row.addWidget(self.dot)
        row.addWidget(self.label)
        row.addWidget(self.refused_button)
        row.addWidget(self.retry)
        sync.changed.connect(self.refresh)
        self.refresh()

    def text(self) -> str:
        s = self.sync
        n = s.pending - s.refused
        refused = f" · {saves_refused(s.refused)}" if s.refused else ""
        waiting = (f" · {saves_waiting(n)} here" if n else "") + refused
        if s.state is State.CONNECTED:
            return f"Connected to {s.server}" + (f" · {saves_waiting(n)}" if n else "") + refused
        if s.state is State.CHECKING:
            return f"Connecting to {s.server}…" + waiting
        if s.state is State.UNREACHABLE:
            return f"Cannot reach {s.server or 'the server'}" + waiting
        if s.state is State.REFUSED:
            return f"{s.server or 'The server'} refused the connection" + waiting
        return waiting.removeprefix(" · ")

    def tooltip(self) -> str:
        s = self.sync
        lines = [s.message] if s.message else []
        if s.state is State.CONNECTED:
            lines = [f"Connected to {s.server}: other therapists' changes show here as they save them."]
        if s.state in (State.UNREACHABLE, State.REFUSED):
            seconds = max(0, round(s.retry_timer.remainingTime() / 1000)) if s.retry_timer.isActive() else None
            lines.append(
                "You can keep working: visits you save are kept on this computer and sent when the server answers"
                + (f" (next try in {seconds} s)." if seconds is not None else ".")
            )
        if s.pending and s.state is State.CONNECTED:
            lines.append(
                "Saves still waiting: a conflict with another therapist's change to resolve, or a save the server "
                "refused. Retry offers the conflict again."
            )
        if s.problem:
            lines.append(f"Not delivered: {s.problem}")
        if s.refused:
            lines.append("Show refused… lists them: keep a copy of each, send it again, or discard it.")
        return "\n".join(lines)

    def refresh(self) -> None:
        s = self.sync
        self.setVisible(s.state is not State.LOCAL or s.pending > 0)
        dark = is_dark(app_palette())
        colors = WAITING_COLORS if s.pending and s.state is State.CONNECTED else DOT_COLORS[s.state]
        self.dot.set_color(QColor(colors[1] if dark else colors[0]))
        self.label.setText(self.text())
        tip = self.tooltip()
        for widget in (self, self.label, self.dot):
            widget.setToolTip(tip)
        self.retry.setVisible(s.state in (State.UNREACHABLE, State.REFUSED) or s.pending > 0)
        self.retry.setEnabled(not s.checking)
        self.refused_button.setVisible(s.refused > 0)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)

    def show_refused(self) -> RefusedSavesDialog:
        """Open (or bring forward) the list of refused saves; the dialog."""
        from nmt_bodymap.ui.refused_saves import RefusedSavesDialog

        if self.refused_dialog is None:
            self.refused_dialog = RefusedSavesDialog(self.sync, self.window())
        else:
            self.refused_dialog.reload()
        self.refused_dialog.open()
        self.refused_dialog.raise_()
        return self.refused_dialog


__all__ = ["ServerStatus", "StatusDot", "saves_refused", "saves_waiting"]
