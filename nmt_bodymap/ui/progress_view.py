"""The progress plot on the client page: painted with QPainter at the screen's resolution.

The same painting code as the exported plot
(:func:`nmt_bodymap.render.progress_plot.paint_progress`), drawn as
vectors on every paint, so it is crisp at any size and on high-density
screens. Its scale (device pixels per millimetre of the plot's design)
follows the widget's width, within readable bounds.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from nmt_bodymap.render.progress_plot import paint_progress
from nmt_bodymap.visit_history import ProgressPoint

MIN_K, MAX_K = 3.0, 4.6  # device pixels per plot millimetre: the text stays readable, the panels fit
DESIGN_WIDTH_MM = 190.0


class ProgressView(QWidget):
    """Shows the progress of a list of visits (oldest first or not: the plot sorts by date)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.visits: list[ProgressPoint] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(360, 330)
        self.setAccessibleName("Progress plot")

    def sizeHint(self) -> QSize:
        return QSize(640, 430)

    def set_visits(self, visits: Sequence[ProgressPoint]) -> None:
        self.visits = list(visits)
        self.setAccessibleDescription(self.describe())
        self.update()

    def describe(self) -> str:
        """The plot in words, for screen readers and tooltips."""
        if not self.visits:
            return "No visits yet."
        first, last = self.visits[0], self.visits[-1]
        if len(self.visits) == 1:
            return f"One visit, {first.date.isoformat()}: pain extent {first.extent_percent:.1f} %."
        return (
            f"{len(self.visits)} visits from {first.date.isoformat()} to {last.date.isoformat()}: "
            f"pain extent {first.extent_percent:.1f} % then, {last.extent_percent:.1f} % at the last visit."
        )

    def scale(self) -> float:
        return max(MIN_K, min(MAX_K, self.width() / DESIGN_WIDTH_MM))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        k = self.scale()
        margin = 3.0 * k
        area = QRectF(margin, margin, self.width() - 2 * margin, self.height() - 2 * margin)
        paint_progress(painter, k, area, self.visits)
        painter.end()


__all__ = ["ProgressView"]
