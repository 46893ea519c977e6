"""Compare two visits' pain drawings: side by side, or overlaid on one chart.

The change between the earlier and the later drawing
(:func:`nmt_bodymap.compare.compare`) has three parts, each with its own
colour, hatch and outline so they read in colour, in grey and for colour
blind eyes (Okabe–Ito colours):

* **resolved**, painted then and not now: bluish green, ``\\\\`` hatch, dashed outline;
* **persisting**, painted at both: orange, cross hatch;
* **new**, painted now only: vermillion, ``//`` hatch, heavy outline.

Side by side shows the earlier visit (what resolved and what persists)
beside the later one (what persists and what is new); overlaid shows all
three on one chart. The legend gives each part's area and the overlap
(Jaccard index) of the two drawings.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPaintEvent, QPen, QTransform
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QSizePolicy, QWidget

from nmt_bodymap.chart import VIEW_TITLES, Chart
from nmt_bodymap.compare import CHANGE_TITLES, CHANGES, ViewComparison, compare, total_areas
from nmt_bodymap.progress import jaccard
from nmt_bodymap.render.paths import geometry_path
from nmt_bodymap.render.sheet import crop_for
from nmt_bodymap.session import Session


@dataclass(frozen=True)
class ChangeStyle:
    color: str
    hatch: Qt.BrushStyle
    outline: Qt.PenStyle
    outline_width: float


CHANGE_STYLES: dict[str, ChangeStyle] = {
    "resolved": ChangeStyle("#009E73", Qt.BrushStyle.FDiagPattern, Qt.PenStyle.DashLine, 1.4),
    "persisting": ChangeStyle("#E69F00", Qt.BrushStyle.DiagCrossPattern, Qt.PenStyle.SolidLine, 1.4),
    "new": ChangeStyle("#D55E00", Qt.BrushStyle.BDiagPattern, Qt.PenStyle.SolidLine, 2.4),
}
#: What each side of the side-by-side picture shows.
SIDES = {"then": ("resolved", "persisting"), "now": ("persisting", "new")}
CROP_PAD_MM = 120.0
CROP_MIN_HEIGHT_MM = 850.0  # about half the body: enough around the pain to see where it is
BADGE = QColor("#2f6690")
INK = QColor("#1f2328")
MUTED = QColor("#5d636c")


def paint_change(painter: QPainter, path: QPainterPath, change: str) -> None:
    """One change's area (``path`` in device pixels): a light fill, the hatch, the outline."""
    style = CHANGE_STYLES[change]
    color = QColor(style.color)
    fill = QColor(color)
    fill.setAlphaF(0.22)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(fill)
    painter.drawPath(path)
    painter.setBrush(QBrush(color.darker(125), style.hatch))
    painter.drawPath(path)
    pen = QPen(color.darker(135), style.outline_width)
    pen.setStyle(style.outline)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(path)


def cm2(area_mm2: float) -> str:
    """An area in square centimetres, as people picture it ("79 cm²")."""
    value = area_mm2 / 100.0
    return f"{value:,.0f} cm²" if value >= 10 or value == 0 else f"{value:.1f} cm²"


class ComparisonPicture(QWidget):
    """The chart views with the change drawn on them, and the legend."""

    def __init__(self, chart: Chart, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = chart
        self.mode = "side-by-side"
        self.labels = ("Then", "Now")
        self.comparison: dict[str, ViewComparison] = {}
        self.areas: dict[str, float] = dict.fromkeys(CHANGES, 0.0)
        self.overlap: float | None = None
        self._renderers: dict[str, QSvgRenderer] = {}
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(480, 420)
        self.setAccessibleName("Comparison of two visits")

    def sizeHint(self) -> QSize:
        return QSize(980, 720)

    def set_sessions(self, earlier: Session, later: Session, labels: tuple[str, str]) -> None:
        self.comparison = compare(earlier.marks, later.marks)
        self.areas = total_areas(self.comparison)
        self.overlap = jaccard(earlier.marks, later.marks, self.chart)
        self.labels = labels
        self.setAccessibleDescription(self.describe())
        self.update()

    def set_mode(self, mode: str) -> None:
        if mode not in ("side-by-side", "overlaid"):
            raise ValueError(f"unknown comparison mode '{mode}'")
        self.mode = mode
        self.update()

    def describe(self) -> str:
        parts = [f"{CHANGE_TITLES[c].split(' (')[0]} {cm2(self.areas[c])}" for c in CHANGES]
        overlap = "no pain drawn" if self.overlap is None else f"overlap {self.overlap:.2f}"
        return f"{self.labels[0]} against {self.labels[1]}: " + ", ".join(parts) + f"; {overlap}."

    # -- painting ---------------------------------------------------------------

    def _renderer(self, view: str) -> QSvgRenderer:
        if view not in self._renderers:
            self._renderers[view] = QSvgRenderer(str(self.chart.view(view).svg_path), self)
        return self._renderers[view]

    def panels(self) -> list[tuple[str, str, tuple[str, ...]]]:
        """(view, caption, changes drawn) for each picture, left to right."""
        out = []
        for view in self.comparison:
            title = VIEW_TITLES[view]
            if self.mode == "overlaid":
                out.append((view, f"{title}: {self.labels[0]} and {self.labels[1]}", CHANGES))
            else:
                out.append((view, f"{title}: {self.labels[0]}", SIDES["then"]))
                out.append((view, f"{title}: {self.labels[1]}", SIDES["now"]))
        return out

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        legend_h = 64
        area = QRectF(8, 8, self.width() - 16, self.height() - legend_h - 16)
        panels = self.panels()
        if not panels:
            painter.setPen(MUTED)
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, "Neither visit has pain drawn.")
        else:
            width = area.width() / len(panels)
            for i, (view, caption, changes) in enumerate(panels):
                self._paint_panel(
                    painter, QRectF(area.left() + i * width, area.top(), width, area.height()), view, caption, changes
                )
        self._paint_legend(painter, QRectF(8, self.height() - legend_h - 4, self.width() - 16, legend_h))
        painter.end()

    def _paint_panel(self, painter: QPainter, rect: QRectF, view: str, caption: str, changes: tuple[str, ...]) -> None:
        font = QFont(self.font())
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(INK)
        caption_rect = QRectF(rect.left(), rect.top(), rect.width(), 22)
        painter.drawText(caption_rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter, caption)
        target = rect.adjusted(6, 26, -6, -4)
        chart_view = self.chart.view(view)
        compared = self.comparison[view]
        crop = self.crop(view, target.width() / max(target.height(), 1.0))
        scale = min(target.width() / crop.width(), target.height() / crop.height())
        shown = QRectF(0, 0, crop.width() * scale, crop.height() * scale)
        shown.moveCenter(target.center())
        renderer = self._renderer(view)
        renderer.setViewBox(crop)
        painter.save()
        painter.setClipRect(shown)
        renderer.render(painter, shown)
        transform = QTransform(scale, 0, 0, scale, shown.x() - crop.x() * scale, shown.y() - crop.y() * scale)
        for change in changes:
            geometry = compared.geometry(change)
            if not geometry.is_empty:
                paint_change(painter, transform.map(geometry_path(geometry)), change)
        painter.restore()
        self._paint_sides(painter, chart_view, transform, shown)

    def crop(self, view: str, aspect: float) -> QRectF:
        """The part of ``view`` shown: all the pain of both visits, with the body around it."""
        compared = self.comparison[view]
        boxes = [compared.geometry(c).bounds for c in CHANGES if not compared.geometry(c).is_empty]
        if not boxes:
            return crop_for(self.chart.view(view), None, aspect)
        x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
        x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
        bounds = QRectF(x0, y0, x1 - x0, y1 - y0)
        return crop_for(self.chart.view(view), bounds, aspect, CROP_PAD_MM, CROP_MIN_HEIGHT_MM)

    def _paint_sides(self, painter: QPainter, chart_view: object, transform: QTransform, shown: QRectF) -> None:
        """The patient's R and L at the top of a cropped view, over their side of the body."""
        font = QFont(self.font())
        font.setBold(True)
        painter.setFont(font)
        for letter, x, _y, _r in chart_view.side_labels:  # type: ignore[attr-defined]
            point = transform.map(QPointF(x, 0))
            cx = min(max(point.x(), shown.left() + 14), shown.right() - 14)
            cy = shown.top() + 14
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(BADGE)
            painter.drawEllipse(QPointF(cx, cy), 11, 11)
            painter.setPen(QColor("#ffffff"))
            painter.drawText(QRectF(cx - 11, cy - 11, 22, 22), Qt.AlignmentFlag.AlignCenter, letter)

    def _paint_legend(self, painter: QPainter, rect: QRectF) -> None:
        painter.setFont(self.font())
        metrics = painter.fontMetrics()
        x = rect.left() + 6
        y = rect.top() + 6
        for change in CHANGES:
            swatch = QPainterPath()
            swatch.addRect(QRectF(x, y, 30, 20))
            paint_change(painter, swatch, change)
            painter.setPen(INK)
            text = f"{CHANGE_TITLES[change]}: {cm2(self.areas[change])}"
            painter.drawText(
                QRectF(x + 38, y, metrics.horizontalAdvance(text) + 4, 20), Qt.AlignmentFlag.AlignVCenter, text
            )
            x += 38 + metrics.horizontalAdvance(text) + 26
        painter.setPen(MUTED)
        then = self.areas["resolved"] + self.areas["persisting"]
        now = self.areas["persisting"] + self.areas["new"]
        overlap = (
            "Neither drawing has pain."
            if self.overlap is None
            else f"Pain drawn: {cm2(then)} then, {cm2(now)} now.   Overlap of the two drawings (Jaccard index): "
            f"{self.overlap:.2f} (1 = the same area, 0 = none shared)"
        )
        painter.drawText(QRectF(rect.left() + 6, y + 28, rect.width() - 12, 22), Qt.AlignmentFlag.AlignVCenter, overlap)


__all__ = ["CHANGE_STYLES", "ComparisonPicture", "paint_change"]
