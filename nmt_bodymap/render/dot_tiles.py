"""The dotted hatch (numbness) cut into small tiles, so the chart repaints only the dots in sight.

Exports draw a mark's dots as one QPainterPath (``marks.hatch_path``). On
screen that path is slow at every zoom once the mark is large (a whole-body
numbness mark holds about 26,000 dots): Qt's rasterizer walks the whole path
again for every band of scanlines it cannot hold at once (170 ms at
fit-to-window, 230 ms at 800 %), and at high zoom it still flattens every
off-screen ellipse. Here the same ellipses, built from the same centres, are
grouped into square tiles of chart millimetres: a paint draws only the tiles
that meet the exposed rect, each rasterized on its own, at a tile size that
keeps a tile a few dozen pixels across at the current zoom. Dots never share
a pixel (radius 0.7 mm on a 4.5 mm grid), so the pixels are those of the
whole path.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import shapely
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainter, QPainterPath
from shapely.geometry.base import BaseGeometry

DOT_RADIUS_MM = 0.7
#: Tile sizes, in dots a side: one dot a tile at high zoom, up to 16 × 16 when zoomed out.
TILE_DOTS = (1, 4, 16)
#: The largest a tile may be on screen before a finer tiling is used (pixels a side).
MAX_TILE_PX = 64.0


def dot_centres(geom: BaseGeometry, spacing: float) -> np.ndarray:
    """Centres (n × 2, chart mm) of the dots on a ``spacing`` grid that fall inside ``geom``."""
    if geom.is_empty:
        return np.empty((0, 2))
    minx, miny, maxx, maxy = geom.bounds
    xs = np.arange(minx + spacing / 2, maxx, spacing)
    ys = np.arange(miny + spacing / 2, maxy, spacing)
    gx, gy = np.meshgrid(xs, ys)
    inside = shapely.contains_xy(geom, gx.ravel(), gy.ravel())
    return np.column_stack([gx.ravel()[inside], gy.ravel()[inside]])


def add_dots(path: QPainterPath, centres: np.ndarray) -> None:
    """One ellipse per centre, as the whole hatch path and every tile build them (the same pixels)."""
    for x, y in centres.tolist():
        path.addEllipse(QPointF(x, y), DOT_RADIUS_MM, DOT_RADIUS_MM)


def visible_tiles(bounds: np.ndarray, rect: tuple[float, float, float, float]) -> np.ndarray:
    """Indices of the tiles whose bounds (n × 4: minx, miny, maxx, maxy) meet ``rect`` (minx, miny, maxx, maxy)."""
    minx, miny, maxx, maxy = rect
    meets = (bounds[:, 0] <= maxx) & (bounds[:, 2] >= minx) & (bounds[:, 1] <= maxy) & (bounds[:, 3] >= miny)
    return np.flatnonzero(meets)


@dataclass
class Tiling:
    """The dots grouped into square tiles of ``size`` mm: each tile's path, bounds and number of dots."""

    size: float
    paths: list[QPainterPath]
    bounds: np.ndarray
    counts: np.ndarray

    @classmethod
    def build(cls, centres: np.ndarray, size: float) -> Tiling:
        keys = np.floor(centres / size).astype(np.int64)
        _unique, tile_of, counts = np.unique(keys, axis=0, return_inverse=True, return_counts=True)
        tile_of = tile_of.ravel()
        order = np.argsort(tile_of, kind="stable")
        starts = np.concatenate([[0], np.cumsum(counts)])
        paths, bounds = [], np.empty((len(counts), 4))
        for i in range(len(counts)):
            members = centres[order[starts[i] : starts[i + 1]]]
            path = QPainterPath()
            add_dots(path, members)
            paths.append(path)
            bounds[i, :2] = members.min(axis=0) - DOT_RADIUS_MM
            bounds[i, 2:] = members.max(axis=0) + DOT_RADIUS_MM
        return cls(size, paths, bounds, counts)


@dataclass
class DotTiles:
    """A mark's dots, tiled at each size of :data:`TILE_DOTS` (built when first needed)."""

    centres: np.ndarray
    spacing: float
    _tilings: dict[int, Tiling] = field(default_factory=dict)

    def tiling_for(self, pixels_per_mm: float) -> Tiling:
        """The coarsest tiling whose tiles stay within :data:`MAX_TILE_PX` at this zoom (else the finest)."""
        fitting = [n for n in TILE_DOTS if n * self.spacing * pixels_per_mm <= MAX_TILE_PX]
        n = max(fitting) if fitting else min(TILE_DOTS)
        if n not in self._tilings:
            self._tilings[n] = Tiling.build(self.centres, n * self.spacing)
        return self._tilings[n]

    def draw(self, painter: QPainter, visible: QRectF) -> int:
        """Fill the dots of the tiles that meet ``visible`` (painter coordinates, mm); returns how many dots."""
        if len(self.centres) == 0:
            return 0
        t = painter.worldTransform()
        pixels_per_mm = math.sqrt(abs(t.determinant())) or 1.0
        tiling = self.tiling_for(pixels_per_mm)
        margin = 2.0 / pixels_per_mm  # antialiasing reaches into the pixel beside an edge
        rect = (visible.left() - margin, visible.top() - margin, visible.right() + margin, visible.bottom() + margin)
        shown = visible_tiles(tiling.bounds, rect)
        for i in shown.tolist():
            painter.drawPath(tiling.paths[i])
        return int(tiling.counts[shown].sum())


@lru_cache(maxsize=64)
def _dot_tiles_cached(wkb: bytes, spacing: float) -> DotTiles:
    return DotTiles(dot_centres(shapely.from_wkb(wkb), spacing), spacing)


def dot_tiles(geom: BaseGeometry, spacing: float) -> DotTiles:
    """The tiled dots of ``geom`` (cached by geometry)."""
    return _dot_tiles_cached(shapely.to_wkb(geom), spacing)
