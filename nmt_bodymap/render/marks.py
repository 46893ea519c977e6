"""How pain marks look: a colour and a hatch per quality, strength by intensity.

The colours are the Okabe–Ito palette (distinguishable with the common kinds
of colour blindness); each quality also has its own hatch, so a black-and-white
print still tells them apart. Hatches are real vector lines clipped to the
mark, so PDF and SVG exports stay vector. On screen a dotted hatch is drawn
from tiles, only the dots in sight (``render.dot_tiles``); exports draw every
dot.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import shapely
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen
from shapely.geometry.base import BaseGeometry

from nmt_bodymap.render.dot_tiles import add_dots, dot_centres, dot_tiles
from nmt_bodymap.render.paths import geometry_path
from nmt_bodymap.session import PainMark

QUALITY_COLORS: dict[str, str] = {
    "aching": "#E69F00",
    "sharp": "#D55E00",
    "burning": "#CC79A7",
    "throbbing": "#0072B2",
    "numbness": "#56B4E9",
    "tingling": "#009E73",
}
#: Hatch per quality: (angle in degrees, spacing mm, kind) with kind "lines", "cross", "dots" or "none".
QUALITY_HATCH: dict[str, tuple[float, float, str]] = {
    "aching": (0.0, 0.0, "none"),
    "sharp": (45.0, 5.0, "lines"),
    "burning": (45.0, 6.0, "cross"),
    "throbbing": (0.0, 5.0, "lines"),
    "numbness": (0.0, 4.5, "dots"),
    "tingling": (90.0, 4.0, "lines"),
}


def quality_color(quality: str) -> QColor:
    return QColor(QUALITY_COLORS[quality])


def fill_alpha(intensity: int) -> float:
    """Strength of colour for an intensity 0–10: faint at 0, strong at 10."""
    return 0.22 + 0.058 * max(0, min(10, intensity))


@lru_cache(maxsize=2048)
def _hatch_cached(wkb: bytes, angle: float, spacing: float, kind: str) -> QPainterPath:
    geom = shapely.from_wkb(wkb)
    path = QPainterPath()
    if kind == "none" or geom.is_empty:
        return path
    minx, miny, maxx, maxy = geom.bounds
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    r = float(np.hypot(maxx - minx, maxy - miny)) / 2 + spacing
    if kind == "dots":
        add_dots(path, dot_centres(geom, spacing))
        return path
    angles = [angle, angle + 90.0] if kind == "cross" else [angle]
    for a in angles:
        t = np.radians(a)
        d = np.array([np.cos(t), np.sin(t)])
        n = np.array([-d[1], d[0]])
        lines = []
        for k in np.arange(-r, r + spacing, spacing):
            c = np.array([cx, cy]) + n * k
            lines.append(shapely.LineString([c - d * r, c + d * r]))
        clipped = shapely.intersection(shapely.MultiLineString(lines), geom)
        for part in getattr(clipped, "geoms", [clipped]):
            if part.geom_type == "LineString" and not part.is_empty:
                coords = list(part.coords)
                path.moveTo(*coords[0])
                for xy in coords[1:]:
                    path.lineTo(*xy)
    return path


def hatch_lines(geom: BaseGeometry, angle: float, spacing: float, kind: str = "lines") -> QPainterPath:
    """Parallel lines (``kind`` "lines"), crossed lines ("cross") or dots ("dots") clipped to ``geom`` (cached)."""
    return _hatch_cached(shapely.to_wkb(geom), angle, spacing, kind)


def hatch_path(geom: BaseGeometry, quality: str) -> QPainterPath:
    angle, spacing, kind = QUALITY_HATCH[quality]
    return _hatch_cached(shapely.to_wkb(geom), angle, spacing, kind)


def mark_paths(mark: PainMark) -> tuple[QPainterPath, QPainterPath]:
    """The outline and hatch of a mark (build once, paint often)."""
    return geometry_path(mark.geometry), hatch_path(mark.geometry, mark.quality)


def draw_mark(
    painter: QPainter,
    mark: PainMark,
    outline: bool = True,
    scale: float = 1.0,
    paths: tuple[QPainterPath, QPainterPath | None] | None = None,
    visible: QRectF | None = None,
) -> None:
    """One pain mark in chart millimetres (the painter maps mm to the page).

    ``paths`` are the mark's outline and hatch (:func:`mark_paths`; a hatch of
    None is built when needed). With ``visible`` (the part of the mark to
    paint, in mm) a dotted hatch draws only the dots there; without it every
    dot is drawn, as exports need.
    """
    color = quality_color(mark.quality)
    fill = QColor(color)
    fill.setAlphaF(fill_alpha(mark.intensity))
    path, hatch = paths or (geometry_path(mark.geometry), None)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(fill))
    painter.drawPath(path)
    _angle, spacing, kind = QUALITY_HATCH[mark.quality]
    ink = QColor(color).darker(140)
    if kind == "dots" and visible is not None:
        painter.setBrush(QBrush(ink))
        dot_tiles(mark.geometry, spacing).draw(painter, visible)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        hatch = QPainterPath()
    elif hatch is None:
        hatch = hatch_path(mark.geometry, mark.quality)
    if not hatch.isEmpty():
        if kind == "dots":
            painter.setBrush(QBrush(ink))
            painter.drawPath(hatch)
            painter.setBrush(Qt.BrushStyle.NoBrush)
        else:
            painter.setPen(QPen(ink, 0.7 * scale))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(hatch)
    if outline:
        painter.setPen(QPen(QColor(color).darker(150), 0.8 * scale))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
