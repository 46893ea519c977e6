"""Draw referral patterns the way the trigger point charts do.

Essential zones solid, spillover zones stippled (real dots, so vector output
stays vector), each trigger point an X. Used by the atlas sheets, the app
and the exports, so the pattern looks the same everywhere.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import shapely
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen
from shapely.geometry.base import BaseGeometry

from nmt_bodymap.render.paths import geometry_path

ZONE_RED = QColor("#c62828")
ESSENTIAL_ALPHA = 0.78
STIPPLE_SPACING_MM = 4.2
STIPPLE_RADIUS_MM = 0.85


@lru_cache(maxsize=4096)
def _stipple_cached(wkb: bytes, spacing: float) -> np.ndarray:
    geom = shapely.from_wkb(wkb)
    minx, miny, maxx, maxy = geom.bounds
    ys = np.arange(miny + spacing / 2, maxy, spacing * 0.866)
    pts = []
    for i, y in enumerate(ys):
        offset = spacing / 2 if i % 2 else 0.0
        xs = np.arange(minx + offset, maxx, spacing)
        pts.append(np.column_stack([xs, np.full_like(xs, y)]))
    if not pts:
        return np.empty((0, 2))
    grid = np.vstack(pts)
    inside = shapely.contains_xy(geom, grid[:, 0], grid[:, 1])
    return grid[inside]


def stipple_points(geom: BaseGeometry, spacing: float = STIPPLE_SPACING_MM) -> np.ndarray:
    """Dot centres filling ``geom`` on a staggered grid (cached per geometry)."""
    if geom.is_empty:
        return np.empty((0, 2))
    return _stipple_cached(shapely.to_wkb(geom), spacing)


def stipple_path(
    geom: BaseGeometry, spacing: float = STIPPLE_SPACING_MM, radius: float = STIPPLE_RADIUS_MM
) -> QPainterPath:
    path = QPainterPath()
    for x, y in stipple_points(geom, spacing):
        path.addEllipse(QPointF(float(x), float(y)), radius, radius)
    return path


def draw_essential(
    painter: QPainter,
    geom: BaseGeometry,
    color: QColor = ZONE_RED,
    alpha: float = ESSENTIAL_ALPHA,
    pen_width: float = 0.5,
    hatch: QPainterPath | None = None,
    hatch_width: float = 0.0,
) -> None:
    """A solid zone; ``hatch`` (lines in the zone, chart mm) tells zones apart in black and white."""
    fill = QColor(color)
    fill.setAlphaF(alpha)
    edge = QColor(color).darker(130)
    painter.setPen(QPen(edge, pen_width))
    painter.setBrush(QBrush(fill))
    painter.drawPath(geometry_path(geom))
    if hatch is not None and not hatch.isEmpty():
        painter.setPen(QPen(edge, hatch_width or pen_width * 0.6))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(hatch)


def draw_spillover(
    painter: QPainter,
    geom: BaseGeometry,
    color: QColor = ZONE_RED,
    pen_width: float = 0.5,
    spacing: float = STIPPLE_SPACING_MM,
    radius: float = STIPPLE_RADIUS_MM,
) -> None:
    """A stippled zone: a dashed outline and real dots (sizes in chart mm)."""
    outline = QPen(color, pen_width, Qt.PenStyle.DashLine)
    painter.setPen(outline)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(geometry_path(geom))
    dots = stipple_path(geom, spacing, radius)
    if not dots.isEmpty():  # an empty path is written to SVG as d="", which readers reject
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(color))
        painter.drawPath(dots)


def draw_trp_x(
    painter: QPainter, x: float, y: float, size: float = 5.5, color: QColor | None = None, width: float = 1.4
) -> None:
    """An X at a trigger point, with a light halo so it reads on red."""
    halo = QPen(QColor(255, 255, 255, 230), 2 * width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    ink = QPen(color or QColor("#111111"), width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    for pen in (halo, ink):
        painter.setPen(pen)
        painter.drawLine(QPointF(x - size, y - size), QPointF(x + size, y + size))
        painter.drawLine(QPointF(x - size, y + size), QPointF(x + size, y - size))


def pattern_bounds(geoms: list[BaseGeometry], points: list[tuple[float, float]]) -> QRectF | None:
    """Bounding box of a pattern in one view, or None when empty."""
    boxes = [g.bounds for g in geoms if not g.is_empty] + [(x, y, x, y) for x, y in points]
    if not boxes:
        return None
    arr = np.array(boxes)
    minx, miny = arr[:, 0].min(), arr[:, 1].min()
    maxx, maxy = arr[:, 2].max(), arr[:, 3].max()
    return QRectF(float(minx), float(miny), float(maxx - minx), float(maxy - miny))
