"""Notices laid over the top of the chart: "refer before treating", and the last visit's ghost.

* **Refer before treating.** Any sign ticked in the session's red-flag
  screen shows a red banner naming the signs. It cannot be dismissed: it
  goes only when the screen is cleared (every sign unticked), so it stays
  in sight for as long as the session says the client must see a
  physician first.
* **The ghost.** While the last visit's drawing is shown faintly, a bar
  says so and offers to use it as today's drawing (one undo step) or to
  hide it.

The notices are a child of the canvas that follows its width, in a top
margin the canvas leaves for them (the chart is never hidden under them);
they listen to the session model only.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QAbstractScrollArea, QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from nmt_bodymap.red_flags import needs_referral, present_flags
from nmt_bodymap.ui.model import SessionModel

REFER_STYLE = (
    "QFrame#referBanner { background: #a4161a; border-bottom: 2px solid #660708; }"
    "QFrame#referBanner QLabel { color: white; }"
    "QFrame#referBanner QPushButton { color: #1f2328; background: #fbe9ea; border: 1px solid #660708;"
    " border-radius: 3px; padding: 3px 10px; }"
)
GHOST_STYLE = (
    "QFrame#ghostBar { background: #eef3f8; border-bottom: 1px solid #b9c6d3; }"
    "QFrame#ghostBar QLabel { color: #1f2328; }"
)


class ReferBanner(QFrame):
    """The red "refer before treating" banner (shown while a red flag is ticked)."""

    reviewRequested = Signal()

    def __init__(self, model: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.setObjectName("referBanner")
        self.setStyleSheet(REFER_STYLE)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 8, 12, 8)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setAccessibleName("Refer before treating")
        row.addWidget(self.text, 1)
        self.review = QPushButton("Review the screen")
        self.review.setToolTip("Show the red-flag screen in the Visit panel")
        self.review.clicked.connect(self.reviewRequested)
        row.addWidget(self.review, 0, Qt.AlignmentFlag.AlignVCenter)
        model.detailsChanged.connect(self.sync)
        self.sync()

    def sync(self) -> None:
        screen = self.model.session.red_flags
        show = needs_referral(screen)
        if show:
            signs = "; ".join(f.title for f in present_flags(screen))
            self.text.setText(
                "<span style='font-size:115%'><b>⚠ Refer before treating.</b></span> "
                f"Red flag{'s' if len(screen.present) > 1 else ''} reported: <b>{_escape(signs)}</b>. "
                "Refer the client to a physician before any soft-tissue work."
            )
        self.setVisible(show)


class GhostBar(QFrame):
    """Says that the faint drawing is the last visit's, with "use it" and "hide it"."""

    def __init__(self, model: SessionModel, date_of_ghost: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._date_of_ghost = date_of_ghost
        self.setObjectName("ghostBar")
        self.setStyleSheet(GHOST_STYLE)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 5, 12, 5)
        self.text = QLabel()
        self.text.setWordWrap(True)
        row.addWidget(self.text, 1)
        self.use = QPushButton("Use it as today's drawing")
        self.use.setToolTip("Copy the last visit's drawing into this visit (undo with Ctrl+Z)")
        self.use.clicked.connect(model.adopt_ghost)
        self.hide_button = QPushButton("Hide it")
        self.hide_button.setToolTip("Draw today's pain without the last visit's drawing in the way")
        self.hide_button.clicked.connect(lambda: model.set_ghost([]))
        row.addWidget(self.use)
        row.addWidget(self.hide_button)
        model.ghostChanged.connect(self.sync)
        self.sync()

    def sync(self) -> None:
        when = self._date_of_ghost()
        self.text.setText(
            f"The faint drawing with dashed outlines is the last visit's{f' ({when})' if when else ''}: "
            "confirm it or draw today's pain."
        )
        self.setVisible(bool(self.model.ghost))


class ChartNotices(QWidget):
    """The notices, stacked across the top of ``canvas``."""

    def __init__(self, model: SessionModel, canvas: QAbstractScrollArea, date_of_ghost: Callable[[], str]) -> None:
        super().__init__(canvas)
        self.canvas = canvas
        self._margin = 0
        column = QVBoxLayout(self)
        self._column = column
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.refer = ReferBanner(model, self)
        self.ghost = GhostBar(model, date_of_ghost, self)
        column.addWidget(self.refer)
        column.addWidget(self.ghost)
        for notice in (self.refer, self.ghost):
            notice.installEventFilter(self)
        canvas.installEventFilter(self)
        self._place()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.ShowToParent, QEvent.Type.HideToParent):
            self._place()
        return False

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:
            self._place()
        return super().event(event)

    def _place(self) -> None:
        frame = self.canvas.frameWidth()
        width = self.canvas.width() - 2 * frame
        shown = self.refer.isVisibleTo(self) or self.ghost.isVisibleTo(self)
        self._column.invalidate()
        height = max(self._column.totalHeightForWidth(width), self._column.totalMinimumSize().height()) if shown else 0
        self.setGeometry(frame, frame, width, height)
        self.setVisible(shown)
        self.raise_()
        if height != self._margin:
            self._margin = height
            self.canvas.setViewportMargins(0, height, 0, 0)
            fit = getattr(self.canvas, "fit", None)
            if callable(fit) and not getattr(self.canvas, "_user_zoomed", False):
                QTimer.singleShot(0, fit)  # the chart fits the smaller viewport


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


__all__ = ["ChartNotices", "GhostBar", "ReferBanner"]
