"""Draw nerve territories and entrapment sites, the same way on sheets, in the app and in exports.

A nerve's own skin is a solid blue wash, the skin of its branches the same
hue lighter and hatched (it belongs to the nerve too, through the branch), a
dermatome a violet wash; an entrapment site is a numbered yellow disc.
Coordinates are chart millimetres: callers set the painter's transform.
"""

from __future__ import annotations

import numpy as np
import shapely
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from shapely.geometry.base import BaseGeometry

from nmt_bodymap.render.paths import geometry_path

NERVE_BLUE = QColor("#1f6fb2")
BRANCH_BLUE = QColor("#5ea8e6")
DERMATOME_VIOLET = QColor("#7b3fa8")
SITE_YELLOW = QColor("#ffd54f")
HATCH_SPACING_MM = 2.2


def territory_colour(kind: str) -> QColor:
    """The wash of a nerve's own territory: blue for peripheral nerves, violet for dermatomes."""
    return DERMATOME_VIOLET if kind == "dermatome" else NERVE_BLUE


def draw_territory(painter: QPainter, geom: BaseGeometry, color: QColor, alpha: float = 0.55) -> None:
    """A nerve's own territory: a translucent wash with a darker edge."""
    fill = QColor(color)
    fill.setAlphaF(alpha)
    painter.setPen(QPen(QColor(color).darker(140), 0.5))
    painter.setBrush(QBrush(fill))
    painter.drawPath(geometry_path(geom))


def hatch_lines(geom: BaseGeometry, spacing: float = HATCH_SPACING_MM) -> QPainterPath:
    """Diagonal lines (rising to the right) filling ``geom``, as real strokes so vector output stays vector."""
    path = QPainterPath()
    if geom.is_empty:
        return path
    minx, miny, maxx, maxy = geom.bounds
    span = (maxx - minx) + (maxy - miny)
    lines = [
        shapely.LineString([(minx + c, maxy), (minx + c + (maxy - miny), miny)])
        for c in np.arange(-(maxy - miny), span, spacing)
    ]
    for piece in shapely.get_parts(shapely.intersection(shapely.MultiLineString(lines), geom)):
        coords = list(piece.coords) if piece.geom_type == "LineString" else []
        if len(coords) >= 2:
            path.moveTo(QPointF(*coords[0]))
            for xy in coords[1:]:
                path.lineTo(QPointF(*xy))
    return path


def draw_branch_territory(painter: QPainter, geom: BaseGeometry, color: QColor = BRANCH_BLUE) -> None:
    """A branch's territory seen on its parent: a light wash with diagonal hatching."""
    fill = QColor(color)
    fill.setAlphaF(0.25)
    painter.setPen(QPen(QColor(color).darker(130), 0.45, Qt.PenStyle.DashLine))
    painter.setBrush(QBrush(fill))
    painter.drawPath(geometry_path(geom))
    painter.setPen(QPen(QColor(color).darker(125), 0.35))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(hatch_lines(geom))


def draw_site(
    painter: QPainter,
    x: float,
    y: float,
    number: int,
    label: str = "",
    radius_px: float = 4.5,
    label_left: bool = False,
) -> None:
    """An entrapment site at ``(x, y)`` (painter coordinates): a yellow disc with its number, and its name.

    The disc and the text are sized in device pixels, so they read the same at any zoom; the name goes to
    the right of the disc, or to the left when ``label_left``.
    """
    centre = painter.worldTransform().map(QPointF(x, y))
    painter.save()
    painter.resetTransform()
    r = radius_px
    painter.setPen(QPen(QColor("#111111"), max(0.8, r * 0.18)))
    painter.setBrush(QBrush(SITE_YELLOW))
    painter.drawEllipse(centre, r, r)
    font = QFont("DejaVu Sans")
    font.setPixelSize(max(6, round(r * 1.35)))
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("#111111"))
    painter.drawText(QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r), Qt.AlignmentFlag.AlignCenter, str(number))
    if label:
        font.setBold(False)
        width = QFontMetricsF(font).horizontalAdvance(label)
        start = centre.x() - r * 1.5 - width if label_left else centre.x() + r * 1.5
        path = QPainterPath()
        path.addText(QPointF(start, centre.y() + r * 0.45), font, label)
        painter.setPen(QPen(QColor(255, 255, 255, 235), max(2.0, r * 0.5)))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(QColor("#111111")))
        painter.drawPath(path)
    painter.restore()
