"""Scanline sampling: where the rows of a fixed grid cross polygon edges.

The lookup measures areas on *rows*: horizontal lines a fixed step apart
(1 mm by default) across every chart view. On each row a polygon is a set
of intervals whose ends are the exact x where the row crosses the
polygon's edges, so areas are exact across a row and sampled only from row
to row (the midpoint rule). A polygon's area is the sum of its intervals'
lengths times the step.

All views share one line of numbers, the *global coordinate*: view ``v``,
row ``r`` and abscissa ``x`` map to ``offset[v] + r * span + (x - x0)``,
with a gap between rows, so every interval of the atlas and of a drawing is
a pair of floats on one sorted axis.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from nmt_bodymap.chart import VIEWS, Chart


@dataclass(frozen=True)
class ViewGrid:
    """The rows of one view: row ``r`` is the line ``y = y0 + (r + 1/2) * step``."""

    view: str
    x0: float
    y0: float
    width: float
    step: float
    rows: int
    offset: float  # where row 0 starts on the global axis

    @property
    def span(self) -> float:
        """Distance between the starts of two rows on the global axis (a gap keeps rows apart)."""
        return self.width + 1.0

    @property
    def end(self) -> float:
        return self.offset + self.rows * self.span

    def to_global(self, rows: np.ndarray, x: np.ndarray) -> np.ndarray:
        return self.offset + rows * self.span + (np.clip(x, self.x0, self.x0 + self.width) - self.x0)

    def to_view(self, g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Global coordinates back to (row, x)."""
        local = g - self.offset
        rows = np.floor(local / self.span).astype(np.int64)
        return rows, self.x0 + (local - rows * self.span)


def view_grids(chart: Chart, step: float) -> dict[str, ViewGrid]:
    """One grid per view, covering its view box, laid end to end on the global axis."""
    grids: dict[str, ViewGrid] = {}
    offset = 0.0
    for name in VIEWS:
        x0, y0, width, height = chart.view(name).viewbox
        grid = ViewGrid(name, x0, y0, width, step, int(np.ceil(height / step)), offset)
        grids[name] = grid
        offset = grid.end + grid.span
    return grids


def edges(geoms: Sequence[BaseGeometry] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every ring edge of every polygon: an (n, 4) array ``px, py, qx, qy`` and each edge's geometry index."""
    array = np.asarray(geoms, dtype=object)
    if len(array) == 0:
        return np.empty((0, 4)), np.empty(0, dtype=np.int64)
    parts, part_of = shapely.get_parts(array, return_index=True)
    polygon = shapely.get_type_id(parts) == 3
    if not polygon.all():
        parts, part_of = parts[polygon], part_of[polygon]
    rings, ring_of = shapely.get_rings(parts, return_index=True)
    counts = shapely.get_num_coordinates(rings)
    coords = shapely.get_coordinates(rings)
    starts = np.ones(len(coords), dtype=bool)
    starts[np.cumsum(counts) - 1] = False  # a ring's closing coordinate starts no edge
    first = np.flatnonzero(starts)
    owner = np.repeat(part_of[ring_of], counts)[first]
    return np.column_stack([coords[first], coords[first + 1]]), owner.astype(np.int64)


@dataclass(frozen=True)
class _Rows:
    """Grid parameters per edge, so edges of all views are crossed in one pass."""

    y0: np.ndarray
    step: float
    rows: np.ndarray
    x0: np.ndarray
    width: np.ndarray
    offset: np.ndarray
    span: np.ndarray


def _per_edge(grids: Sequence[ViewGrid], view: np.ndarray) -> _Rows:
    table = np.array([[g.y0, g.rows, g.x0, g.width, g.offset, g.span] for g in grids])[view]
    return _Rows(
        table[:, 0], grids[0].step, table[:, 1].astype(np.int64), table[:, 2], table[:, 3], table[:, 4], table[:, 5]
    )


def crossings(grid: ViewGrid, segments: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Where the rows of one view cross each edge: (edge index, row, x)."""
    edge, row, x, _g = _cross(_per_edge([grid], np.zeros(len(segments), dtype=np.int64)), segments)
    return edge, row, x


def _cross(grid: _Rows, segments: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(edge index, row, x, global position) of every crossing.

    An edge counts for rows with ``min(y) <= y_row < max(y)``, so a vertex
    lying exactly on a row is counted once and every closed ring crosses
    every row an even number of times; horizontal edges cross nothing.
    """
    px, py, qx, qy = segments.T
    low = (np.minimum(py, qy) - grid.y0) / grid.step - 0.5
    high = (np.maximum(py, qy) - grid.y0) / grid.step - 0.5
    first = np.clip(np.ceil(low), 0, grid.rows).astype(np.int64)
    count = np.maximum(np.clip(np.ceil(high), 0, grid.rows).astype(np.int64) - first, 0)
    edge = np.repeat(np.arange(len(count)), count)
    row = first[edge] + np.arange(len(edge)) - np.repeat(np.cumsum(count) - count, count)
    slope = (qx - px) / np.where(qy != py, qy - py, 1.0)
    y = grid.y0[edge] + (row + 0.5) * grid.step
    x = px[edge] + (y - py[edge]) * slope[edge]
    x0, width = grid.x0[edge], grid.width[edge]
    g = grid.offset[edge] + row * grid.span[edge] + (np.clip(x, x0, x0 + width) - x0)
    return edge, row, x, g


def _mark_edges(array: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`edges` as ``px, py, qx, qy, owner``; polygons without holes (most marks) are read in one call."""
    simple = (shapely.get_type_id(array) == 3) & (shapely.get_num_interior_rings(array) == 0)
    chosen = np.flatnonzero(simple)
    coords, owner = shapely.get_coordinates(array[chosen] if len(chosen) < len(array) else array, return_index=True)
    first = np.flatnonzero(owner[1:] == owner[:-1])  # a ring's closing coordinate starts no edge
    parts = [(coords[first, 0], coords[first, 1], coords[first + 1, 0], coords[first + 1, 1], chosen[owner[first]])]
    if len(chosen) < len(array):
        other = np.flatnonzero(~simple)
        segments, owner = edges(array[other])
        parts.append((segments[:, 0], segments[:, 1], segments[:, 2], segments[:, 3], other[owner]))
    if len(parts) == 1:
        return parts[0]
    px, py, qx, qy, own = (np.concatenate(column) for column in zip(*parts, strict=True))
    return px, py, qx, qy, own


def intervals(
    grids: Sequence[ViewGrid], views: np.ndarray, geoms: Sequence[BaseGeometry]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each polygon's row intervals on the global axis: (polygon index, start, end), sorted.

    ``views[i]`` indexes ``grids`` for polygon ``i``. Crossings of one
    polygon on one row pair up in x order (even-odd rule), which handles
    holes and multi-part polygons alike. The rows are crossed as in
    :func:`crossings`, each edge's crossings stepping row by row from its
    first.
    """
    array = np.asarray(geoms, dtype=object)
    if len(array) == 0:
        empty = np.empty(0)
        return np.empty(0, dtype=np.int64), empty, empty
    px, py, qx, qy, owner = _mark_edges(array)
    # each edge's grid: y0, rows, x0, width, offset, span (one value for all when the polygons share a view)
    views = np.asarray(views)
    table = np.array([[g.y0, g.rows, g.x0, g.width, g.offset, g.span] for g in grids])
    one = bool((views == views[0]).all())
    y0, rows, x0, width, offset, span = table[views[0]] if one else table[views[owner]].T
    step = grids[0].step
    low = (np.minimum(py, qy) - y0) / step - 0.5
    high = (np.maximum(py, qy) - y0) / step - 0.5
    first = np.clip(np.ceil(low), 0, rows).astype(np.int64)
    count = np.maximum(np.clip(np.ceil(high), 0, rows).astype(np.int64) - first, 0)
    slope = (qx - px) / np.where(qy != py, qy - py, 1.0)
    x_first = px + (y0 + (first + 0.5) * step - py) * slope
    k = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)  # rows past the edge's first
    x = np.repeat(x_first, count) + k * np.repeat(slope * step, count)
    if one:
        g = np.repeat(offset + first * span - x0, count) + k * span
        g += np.clip(x, x0, x0 + width)
    else:
        left = np.repeat(x0, count)
        g = np.repeat(offset + first * span - x0, count) + k * np.repeat(span, count)
        g += np.clip(x, left, left + np.repeat(width, count))
    who = np.repeat(owner, count)
    # one sort key: polygons one after the other on the axis (exact: the axis spans about 10^7 mm); the
    # crossings of one edge come row after row, already in order, which a stable sort (timsort) exploits
    order = np.argsort(who * (float(grids[-1].end) + 1.0) + g, kind="stable")
    who, g = who[order], g[order]
    return who[0::2], g[0::2], g[1::2]
