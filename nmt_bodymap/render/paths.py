"""shapely geometry to QPainterPath."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QPointF
from PySide6.QtGui import QPainterPath, QPolygonF
from shapely.geometry.base import BaseGeometry


def _ring(path: QPainterPath, coords: Iterable[Sequence[float]]) -> None:
    pts = [QPointF(float(x), float(y)) for x, y in coords]
    if len(pts) >= 3:
        path.addPolygon(QPolygonF(pts))
        path.closeSubpath()


def geometry_path(geom: BaseGeometry) -> QPainterPath:
    """A fillable path for polygons (holes become holes: odd-even fill)."""
    path = QPainterPath()
    path.setFillRule(path.fillRule().OddEvenFill)
    stack = [geom]
    while stack:
        g = stack.pop()
        if g.is_empty:
            continue
        kind = g.geom_type
        if kind == "Polygon":
            _ring(path, g.exterior.coords)
            for hole in g.interiors:
                _ring(path, hole.coords)
        elif kind in ("MultiPolygon", "GeometryCollection"):
            stack.extend(reversed(list(g.geoms)))
    return path
