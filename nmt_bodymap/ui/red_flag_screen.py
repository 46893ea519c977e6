"""The red-flag screen as a checklist: each question as the therapist asks it, and why it matters.

Ticking a sign records it in the session (one undo step) and puts the
"refer before treating" banner over the chart
(:mod:`nmt_bodymap.ui.chart_notices`); the banner goes when every sign is
unticked. "Asked at intake" records that the screen was done even when
nothing was found.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QCheckBox, QGroupBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from nmt_bodymap.red_flags import RED_FLAGS
from nmt_bodymap.ui.model import SessionModel


class RedFlagScreenBox(QGroupBox):
    """The checklist of :data:`nmt_bodymap.red_flags.RED_FLAGS`, bound to the session's screen."""

    def __init__(self, model: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__("Red-flag screen", parent)
        self.model = model
        layout = QVBoxLayout(self)
        layout.setSpacing(2)
        intro = QLabel("Ask at intake. If any sign is present, refer the client to a physician before treating.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.screened = QCheckBox("Asked at intake")
        self.screened.setToolTip("Record that the screen was asked, even when no sign was found")
        self.screened.toggled.connect(self._screened_toggled)
        layout.addWidget(self.screened)
        self.flags: dict[str, QCheckBox] = {}
        for flag in RED_FLAGS.values():
            box = QCheckBox(flag.title)
            box.setToolTip(f"{flag.question}\n\nWhy: {flag.why}")
            box.setAccessibleDescription(f"{flag.question} {flag.why}")
            box.toggled.connect(lambda on, f=flag.id: self.model.set_red_flag(f, on))
            question = QLabel(f"“{flag.question}”")
            question.setWordWrap(True)
            why = QLabel(f"Why: {flag.why}")
            why.setWordWrap(True)
            why.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            font = why.font()
            font.setPointSizeF(max(7.5, font.pointSizeF() - 1))
            why.setFont(font)
            question.setFont(font)
            for label in (question, why):
                label.setContentsMargins(22, 0, 0, 0)
            layout.addWidget(box)
            layout.addWidget(question)
            layout.addWidget(why)
            layout.addSpacing(4)
            self.flags[flag.id] = box
        self.note = QLineEdit()
        self.note.setPlaceholderText("Note: referred to, cleared by, date…")
        self.note.setAccessibleName("Red-flag screen: note")
        self.note.textEdited.connect(
            lambda text: self.model.set_red_flags(replace(self.model.session.red_flags, note=text))
        )
        layout.addWidget(self.note)
        model.detailsChanged.connect(self.sync)
        self.sync()

    def _screened_toggled(self, on: bool) -> None:
        screen = self.model.session.red_flags
        if screen.screened != on:
            self.model.set_red_flags(replace(screen, screened=on or bool(screen.present)))

    def sync(self) -> None:
        screen = self.model.session.red_flags
        for widget, value in [(self.screened, screen.screened)] + [
            (box, flag_id in screen.present) for flag_id, box in self.flags.items()
        ]:
            if widget.isChecked() != value:
                widget.blockSignals(True)
                widget.setChecked(value)
                widget.blockSignals(False)
        if self.note.text() != screen.note:
            self.note.setText(screen.note)


__all__ = ["RedFlagScreenBox"]
