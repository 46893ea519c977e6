"""Draw a chart view with QPainter: the SVG backdrop and review overlays."""

from __future__ import annotations

import colorsys
import hashlib

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QPainter, QPen, QTransform

from nmt_bodymap.chart import ChartView
from nmt_bodymap.render.chart_svg import draw_backdrop_mapped
from nmt_bodymap.render.paths import geometry_path
from nmt_bodymap.render.qt import blank_image, smooth_painter

#: Printed height of one view picture, in millimetres.
VIEW_PRINT_HEIGHT_MM = 250.0


def view_transform(view: ChartView, target: QRectF) -> QTransform:
    """Map chart millimetres onto ``target``, keeping the aspect ratio, centred."""
    x, y, w, h = view.viewbox
    scale = min(target.width() / w, target.height() / h)
    dx = target.x() + (target.width() - w * scale) / 2 - x * scale
    dy = target.y() + (target.height() - h * scale) / 2 - y * scale
    return QTransform(scale, 0, 0, scale, dx, dy)


def _hue(name: str) -> QColor:
    h = int(hashlib.md5(name.encode()).hexdigest()[:6], 16) / 0xFFFFFF
    r, g, b = colorsys.hls_to_rgb(h, 0.78, 0.55)
    return QColor.fromRgbF(r, g, b, 0.75)


def draw_backdrop(painter: QPainter, view: ChartView, target: QRectF) -> None:
    """The view's drawing (without its data layers), fitted into ``target``."""
    draw_backdrop_mapped(painter, view, view_transform(view, target))


def draw_regions(painter: QPainter, view: ChartView, transform: QTransform, labels: bool = True) -> None:
    painter.save()
    painter.setTransform(transform, True)
    pen = QPen(QColor(60, 60, 70, 160), 0.5)
    pen.setCosmetic(False)
    for region in view.regions.values():
        painter.setPen(pen)
        painter.setBrush(QBrush(_hue(region.name)))
        painter.drawPath(geometry_path(region.geometry))
    if labels:
        font = QFont("DejaVu Sans")
        font.setPointSizeF(3.2)
        painter.setFont(font)
        painter.setPen(QColor(30, 30, 40))
        for region in view.regions.values():
            p = region.geometry.representative_point()
            text = region.name
            rect = QRectF(p.x - 40, p.y - 4, 80, 8)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
    painter.restore()


def draw_landmarks(painter: QPainter, view: ChartView, transform: QTransform, labels: bool = True) -> None:
    painter.save()
    painter.setTransform(transform, True)
    font = QFont("DejaVu Sans")
    font.setPointSizeF(3.4)
    painter.setFont(font)
    for lm in view.landmarks.values():
        painter.setPen(QPen(QColor("#ffffff"), 0.8))
        painter.setBrush(QColor("#c0392b"))
        painter.drawEllipse(QPointF(lm.x, lm.y), 2.4, 2.4)
        if labels:
            painter.setPen(QColor("#7b1f16"))
            painter.drawText(QPointF(lm.x + 3.2, lm.y + 1.4), lm.id)
    painter.restore()


def render_view(view: ChartView, dpi: float = 150.0, regions: bool = False, landmarks: bool = False) -> QImage:
    """A picture of one view, ``VIEW_PRINT_HEIGHT_MM`` tall at ``dpi``."""
    _x, _y, w, h = view.viewbox
    height_px = max(1, round(VIEW_PRINT_HEIGHT_MM / 25.4 * dpi))
    width_px = max(1, round(height_px * w / h))
    image = blank_image(width_px, height_px, dpi)
    painter = smooth_painter(image)
    target = QRectF(0, 0, width_px, height_px)
    draw_backdrop(painter, view, target)
    transform = view_transform(view, target)
    if regions:
        draw_regions(painter, view, transform)
    if landmarks:
        draw_landmarks(painter, view, transform)
    painter.end()
    return image
