"""The progress plot: pain extent, intensity and before/after pain over a client's visits.

Painted with QPainter in millimetres scaled to the device, so the same code
draws a vector PDF page, a crisp PNG and (for the app's client page) a
widget: :func:`paint_progress` paints into any rectangle. Three panels share
a time axis (visits placed by date):

* pain extent, % of the body surface;
* maximum intensity (solid) and the area-weighted mean intensity (dashed), 0–10;
* the client's pain before (hollow) and after (filled) treatment, 0–10,
  joined by an arrow per visit.

Missing figures (no pain drawn, no rating recorded) leave gaps, never zeros.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen

from nmt_bodymap.render.qt import a4_pdf_writer, blank_image, ensure_gui_app
from nmt_bodymap.visit_history import ProgressPoint

PAGE_W, PAGE_H = 297.0, 210.0  # A4 landscape, mm
MARGIN = 14.0
FONT = "DejaVu Sans"
INK = QColor("#1f2328")
MUTED = QColor("#5d636c")
GRID = QColor("#dde3ea")
EXTENT = QColor("#2f6690")
MAXIMUM = QColor("#b23a48")
MEAN = QColor("#e07a1f")
BEFORE = QColor("#6c757d")
AFTER = QColor("#2a9d5c")


class PlotError(ValueError):
    """A plot that cannot be written."""


class _Axes:
    """Maps dates and values of one panel to device pixels."""

    def __init__(self, rect: QRectF, first: dt.date, last: dt.date, top: float) -> None:
        self.rect = rect
        self.first = first
        self.span = max((last - first).days, 1)
        self.single = first == last
        self.top = top

    def x(self, day: dt.date) -> float:
        if self.single:
            return self.rect.center().x()
        inset = self.rect.width() * 0.04
        return self.rect.left() + inset + (self.rect.width() - 2 * inset) * (day - self.first).days / self.span

    def y(self, value: float) -> float:
        return self.rect.bottom() - self.rect.height() * max(0.0, min(value, self.top)) / self.top


def nice_top(value: float) -> float:
    """A round upper bound for an axis (1, 2, 2.5, 5 × 10^n) at or above ``value``."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if value <= step * power + 1e-12:
            return step * power
    return 10 * power  # pragma: no cover


def _font(k: float, size_mm: float, bold: bool = False) -> QFont:
    font = QFont(FONT)
    font.setPixelSize(max(1, round(size_mm * k)))
    font.setBold(bold)
    return font


def _text(painter: QPainter, k: float, rect: QRectF, text: str, size: float, color: QColor, align: int) -> None:
    painter.setFont(_font(k, size))
    painter.setPen(color)
    painter.drawText(rect, align, text)


def _date_ticks(dates: Sequence[dt.date], axes: _Axes, k: float) -> list[dt.date]:
    """Visit dates to label, thinned so the labels do not collide (first and last always)."""
    min_gap = 19.0 * k
    chosen: list[dt.date] = []
    for i, day in enumerate(dates):
        if i not in (0, len(dates) - 1) and chosen and axes.x(day) - axes.x(chosen[-1]) < min_gap:
            continue
        if chosen and axes.x(day) - axes.x(chosen[-1]) < min_gap:
            chosen.pop()
        chosen.append(day)
    return chosen


def _panel(
    painter: QPainter,
    k: float,
    rect: QRectF,
    title: str,
    axes: _Axes,
    ticks: Sequence[float],
    unit: str,
) -> None:
    _text(
        painter,
        k,
        QRectF(rect.left(), rect.top() - 6.2 * k, rect.width(), 5 * k),
        title,
        3.3,
        INK,
        int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom),
    )
    painter.setPen(QPen(GRID, 0.25 * k))
    for value in ticks:
        y = axes.y(value)
        painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
        label = f"{value:g}{unit}"
        _text(
            painter,
            k,
            QRectF(rect.left() - 15 * k, y - 2.5 * k, 13.5 * k, 5 * k),
            label,
            2.5,
            MUTED,
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
        )
    painter.setPen(QPen(MUTED, 0.3 * k))
    painter.drawLine(rect.bottomLeft(), rect.bottomRight())


def _series(
    painter: QPainter,
    k: float,
    axes: _Axes,
    points: Sequence[tuple[dt.date, float | None]],
    color: QColor,
    dashed: bool = False,
    filled: bool = True,
) -> None:
    """A line through the points (broken where a value is missing), with a marker on each."""
    pen = QPen(color, 0.6 * k)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    if dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    path = QPainterPath()
    drawing = False
    for day, value in points:
        if value is None:
            drawing = False
            continue
        p = QPointF(axes.x(day), axes.y(value))
        if drawing:
            path.lineTo(p)
        else:
            path.moveTo(p)
            drawing = True
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(path)
    painter.setPen(QPen(color, 0.45 * k))
    painter.setBrush(QBrush(color) if filled else QBrush(QColor("#ffffff")))
    for day, value in points:
        if value is not None:
            painter.drawEllipse(QPointF(axes.x(day), axes.y(value)), 1.1 * k, 1.1 * k)


def _legend(painter: QPainter, k: float, x: float, y: float, entries: Sequence[tuple[str, QColor, str]]) -> None:
    """Legend entries (label, colour, style: solid, dashed, hollow) in a row from (x, y), right-aligned."""
    painter.setFont(_font(k, 2.6))
    metrics = painter.fontMetrics()
    widths = [metrics.horizontalAdvance(label) + 9 * k for label, _c, _s in entries]
    cursor = x - sum(widths)
    for (label, color, style), width in zip(entries, widths, strict=True):
        pen = QPen(color, 0.6 * k)
        if style == "dashed":
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawLine(QPointF(cursor, y), QPointF(cursor + 5 * k, y))
        painter.setPen(QPen(color, 0.45 * k))
        painter.setBrush(QBrush(QColor("#ffffff")) if style == "hollow" else QBrush(color))
        painter.drawEllipse(QPointF(cursor + 2.5 * k, y), 1.0 * k, 1.0 * k)
        painter.setPen(INK)
        painter.drawText(QPointF(cursor + 6.5 * k, y + metrics.ascent() / 2.6), label)
        cursor += width


def paint_progress(painter: QPainter, k: float, area: QRectF, visits: Sequence[ProgressPoint], title: str = "") -> None:
    """Paint the plot into ``area`` (device pixels); ``k`` is device pixels per millimetre."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    top = area.top()
    if title:
        _text(
            painter,
            k,
            QRectF(area.left(), top, area.width(), 9 * k),
            title,
            5.2,
            INK,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
        )
        top += 9 * k
    ordered = sorted(visits, key=lambda v: v.date)
    if not ordered:
        _text(painter, k, QRectF(area.left(), top, area.width(), 10 * k), "No visits yet.", 3.4, MUTED, 0)
        painter.restore()
        return
    span = f"{ordered[0].date.isoformat()} – {ordered[-1].date.isoformat()}" if len(ordered) > 1 else ""
    _text(
        painter,
        k,
        QRectF(area.left(), top, area.width(), 6 * k),
        f"{len(ordered)} visit{'s' if len(ordered) != 1 else ''}" + (f", {span}" if span else ""),
        3.0,
        MUTED,
        int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
    )
    top += 8 * k
    left = area.left() + 17 * k
    right = area.right() - 2 * k
    bottom = area.bottom() - 6 * k  # room for the date labels
    gap = 14 * k
    height = (bottom - top - 3 * gap) / 3
    dates = [v.date for v in ordered]
    rects = [QRectF(left, top + gap + i * (height + gap), right - left, height) for i in range(3)]

    extent_top = nice_top(max(v.extent_percent for v in ordered) * 1.1)
    ax = _Axes(rects[0], dates[0], dates[-1], extent_top)
    _panel(painter, k, rects[0], "Pain extent (share of the body surface)", ax, [0, extent_top / 2, extent_top], " %")
    _series(painter, k, ax, [(v.date, v.extent_percent) for v in ordered], EXTENT)

    ax = _Axes(rects[1], dates[0], dates[-1], 10.0)
    _panel(painter, k, rects[1], "Intensity drawn (0–10)", ax, [0, 5, 10], "")
    _legend(
        painter, k, rects[1].right(), rects[1].top() - 3.6 * k, [("maximum", MAXIMUM, ""), ("mean", MEAN, "dashed")]
    )
    _series(painter, k, ax, [(v.date, _f(v.max_intensity)) for v in ordered], MAXIMUM)
    _series(painter, k, ax, [(v.date, _f(v.mean_intensity)) for v in ordered], MEAN, dashed=True)

    ax = _Axes(rects[2], dates[0], dates[-1], 10.0)
    _panel(painter, k, rects[2], "Pain before and after treatment (client's rating, 0–10)", ax, [0, 5, 10], "")
    _legend(
        painter, k, rects[2].right(), rects[2].top() - 3.6 * k, [("before", BEFORE, "hollow"), ("after", AFTER, "")]
    )
    _before_after(painter, k, ax, ordered)

    for day in _date_ticks(dates, ax, k):
        x = ax.x(day)
        painter.setPen(QPen(MUTED, 0.25 * k))
        painter.drawLine(QPointF(x, rects[2].bottom()), QPointF(x, rects[2].bottom() + 1.2 * k))
        _text(
            painter,
            k,
            QRectF(x - 12 * k, rects[2].bottom() + 1.6 * k, 24 * k, 5 * k),
            day.isoformat(),
            2.4,
            MUTED,
            int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop),
        )
    painter.restore()


def _f(value: float | None) -> float | None:
    return None if value is None else float(value)


def _before_after(painter: QPainter, k: float, axes: _Axes, visits: Sequence[ProgressPoint]) -> None:
    for v in visits:
        x = axes.x(v.date)
        if v.pain_before is not None and v.pain_after is not None and v.pain_before != v.pain_after:
            y0, y1 = axes.y(v.pain_before), axes.y(v.pain_after)
            direction = 1.0 if y1 > y0 else -1.0
            tip = y1 - direction * 1.3 * k
            painter.setPen(QPen(INK, 0.35 * k))
            painter.drawLine(QPointF(x, y0 + direction * 1.3 * k), QPointF(x, tip))
            head = QPainterPath(QPointF(x, tip))
            head.lineTo(QPointF(x - 0.9 * k, tip - direction * 1.5 * k))
            head.lineTo(QPointF(x + 0.9 * k, tip - direction * 1.5 * k))
            head.closeSubpath()
            painter.setBrush(QBrush(INK))
            painter.drawPath(head)
    _series(painter, k, axes, [(v.date, _f(v.pain_before)) for v in visits], BEFORE, dashed=True, filled=False)
    _series(painter, k, axes, [(v.date, _f(v.pain_after)) for v in visits], AFTER)


def _page_area(k: float) -> QRectF:
    return QRectF(MARGIN * k, MARGIN * k, (PAGE_W - 2 * MARGIN) * k, (PAGE_H - 2 * MARGIN) * k)


def write_progress_plot(
    path: Path, visits: Sequence[ProgressPoint], title: str = "Progress", fmt: str = "", dpi: float = 200.0
) -> None:
    """Write the plot on an A4 landscape page: PDF (vector) or PNG (``dpi``)."""
    ensure_gui_app()
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    heading = f"Progress: {title}" if title and title != "Progress" else "Progress"
    if fmt == "pdf":
        writer = a4_pdf_writer(path, 1200, heading, landscape=True)
        painter = QPainter()
        if not painter.begin(writer):
            raise PlotError(f"cannot draw into {path}")
        k = 1200 / 25.4
        paint_progress(painter, k, _page_area(k), visits, heading)
        painter.end()
    elif fmt == "png":
        k = dpi / 25.4
        image = blank_image(round(PAGE_W * k), round(PAGE_H * k), dpi)
        painter = QPainter(image)
        paint_progress(painter, k, _page_area(k), visits, heading)
        painter.end()
        if not image.save(str(path), "PNG"):  # type: ignore[call-overload]  # the stubs say bytes; PySide6 wants str
            raise PlotError(f"cannot write {path}")
    else:
        raise PlotError(f"unknown format '.{fmt}' (use .pdf or .png)")
