"""Small icons drawn with QPainter, so the app ships no image files."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QApplication


def _canvas(draw: Callable[[QPainter, QColor], None], size: int = 32) -> QIcon:
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 32, size / 32)
    app = QApplication.instance()
    ink = app.palette().color(QPalette.ColorRole.WindowText) if isinstance(app, QApplication) else QColor("#333")
    draw(p, ink)
    p.end()
    return QIcon(pix)


def point_icon() -> QIcon:
    def draw(p: QPainter, ink: QColor) -> None:
        p.setPen(QPen(ink, 2))
        p.setBrush(QColor("#E69F00"))
        p.drawEllipse(QPointF(16, 16), 9, 9)

    return _canvas(draw)


def brush_icon() -> QIcon:
    def draw(p: QPainter, ink: QColor) -> None:
        path = QPainterPath(QPointF(5, 24))
        path.cubicTo(QPointF(10, 6), QPointF(20, 28), QPointF(27, 8))
        p.setPen(QPen(QColor("#E69F00"), 6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        p.drawPath(path)
        p.setPen(QPen(ink, 1.2))
        p.drawPath(path)

    return _canvas(draw)


def region_icon() -> QIcon:
    def draw(p: QPainter, ink: QColor) -> None:
        p.setPen(QPen(ink, 2))
        p.setBrush(QColor("#56B4E9"))
        p.drawRoundedRect(QRectF(6, 6, 20, 20), 6, 6)
        p.drawLine(QPointF(16, 6), QPointF(16, 26))

    return _canvas(draw)


def eraser_icon() -> QIcon:
    def draw(p: QPainter, ink: QColor) -> None:
        p.translate(16, 16)
        p.rotate(-40)
        p.setPen(QPen(ink, 2))
        p.setBrush(QColor("#f2b8c6"))
        p.drawRoundedRect(QRectF(-11, -6, 22, 12), 3, 3)
        p.setBrush(ink)
        p.drawRect(QRectF(-11, -6, 7, 12))

    return _canvas(draw)


def arrow_icon(back: bool) -> QIcon:
    def draw(p: QPainter, ink: QColor) -> None:
        if not back:
            p.translate(32, 0)
            p.scale(-1, 1)
        path = QPainterPath(QPointF(26, 24))
        path.cubicTo(QPointF(26, 12), QPointF(18, 10), QPointF(8, 12))
        p.setPen(QPen(ink, 2.5, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        p.drawPath(path)
        p.drawLine(QPointF(8, 12), QPointF(14, 6))
        p.drawLine(QPointF(8, 12), QPointF(14, 18))

    return _canvas(draw)


def fit_icon() -> QIcon:
    def draw(p: QPainter, ink: QColor) -> None:
        p.setPen(QPen(ink, 2.2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        for sx, sy in ((1, 1), (-1, 1), (1, -1), (-1, -1)):
            cx, cy = 16 + sx * 10, 16 + sy * 10
            p.drawLine(QPointF(cx, cy), QPointF(cx - sx * 6, cy))
            p.drawLine(QPointF(cx, cy), QPointF(cx, cy - sy * 6))

    return _canvas(draw)
