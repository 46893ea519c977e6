"""Small widgets the panels share: a label that elides instead of squeezing, a readable score."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from nmt_bodymap.ui.theme import muted_color


class ElidedLabel(QWidget):
    """One line of text, optionally with a bold lead ("Trapezius"), cut with "…" when too narrow.

    Unlike a QLabel its minimum width is small, so a long muscle name never
    widens the list or the panel it sits in; the whole text is its tooltip
    and accessible name.
    """

    def __init__(self, text: str = "", lead: str = "", muted: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lead, self._text = lead, text
        self.muted = muted
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._sync()

    def set_text(self, text: str, lead: str = "") -> None:
        if (text, lead) != (self._text, self._lead):
            self._lead, self._text = lead, text
            self._sync()
            self.update()

    def text(self) -> str:
        return f"{self._lead} {self._text}".strip() if self._lead else self._text

    def _sync(self) -> None:
        self.setToolTip(self.text())
        self.setAccessibleName(self.text())
        self.updateGeometry()

    def _bold(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        return font

    def sizeHint(self) -> QSize:
        fm, bold = self.fontMetrics(), QFontMetrics(self._bold())
        width = bold.horizontalAdvance(self._lead + " ") + fm.horizontalAdvance(self._text)
        return QSize(width + 2, fm.height() + 2)

    def minimumSizeHint(self) -> QSize:
        return QSize(40, self.fontMetrics().height() + 2)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        pal = self.palette()
        painter.setPen(muted_color(pal) if self.muted else pal.color(QPalette.ColorRole.WindowText))
        rect = self.rect().adjusted(0, 0, -1, 0)
        x = 0
        if self._lead:
            bold = self._bold()
            painter.setFont(bold)
            fm = QFontMetrics(bold)
            lead = fm.elidedText(self._lead, Qt.TextElideMode.ElideRight, rect.width())
            painter.drawText(rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, lead)
            x = fm.horizontalAdvance(lead + " ")
            painter.setFont(self.font())
        rest = rect.width() - x
        if rest > 8 and self._text:
            text = self.fontMetrics().elidedText(self._text, Qt.TextElideMode.ElideRight, rest)
            painter.drawText(
                rect.adjusted(x, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text
            )
        painter.end()


class ScoreBar(QWidget):
    """A score as a number in the text colour beside a short bar; the number never sits on the fill."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.score = 0.0
        self.share = 0.0  # of the bar filled, 0..1
        self.setFixedSize(72, 18)

    def set_score(self, score: float, best: float) -> None:
        self.score = score
        self.share = max(0.0, min(1.0, score / best)) if best > 0 else 0.0
        self.setToolTip(f"Score {score:.1f} (the best candidate fills the bar)")
        self.setAccessibleName(f"Score {score:.0f}")
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        font = QFont(self.font())
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(pal.color(QPalette.ColorRole.WindowText))
        number_w = 28
        painter.drawText(
            QRectF(0, 0, number_w, self.height()),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            f"{self.score:.0f}",
        )
        track = QRectF(number_w + 6, self.height() / 2 - 3, self.width() - number_w - 8, 6)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(pal.color(QPalette.ColorRole.Mid))
        painter.drawRoundedRect(track, 3, 3)
        painter.setBrush(pal.color(QPalette.ColorRole.Highlight))
        painter.drawRoundedRect(QRectF(track.x(), track.y(), max(3.0, track.width() * self.share), 6), 3, 3)
        painter.end()


__all__ = ["ElidedLabel", "ScoreBar"]
