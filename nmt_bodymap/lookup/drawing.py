"""A drawing on the scanline raster: marks as row intervals, merged into weighted pieces.

Each mark becomes its row intervals on the global axis once (cached by the
geometry object, so while a stroke is painted only that stroke is new).
A *group* of marks (the whole drawing, one complaint, or its numbness,
tingling and burning) is then merged into its *envelope*: disjoint
intervals, each carrying the highest weight of the marks covering it, so
overlapping marks count once at the higher weight whatever their number.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from shapely.geometry.base import BaseGeometry

from nmt_bodymap.chart import VIEWS
from nmt_bodymap.lookup.scanline import ViewGrid, intervals

CACHE_SIZE = 4096


@dataclass(frozen=True)
class Pieces:
    """Disjoint weighted intervals of several groups on the global axis, sorted by (group, start)."""

    group: np.ndarray
    start: np.ndarray
    end: np.ndarray
    weight: np.ndarray

    def of(self, group: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        lo, hi = np.searchsorted(self.group, [group, group + 1])
        return self.start[lo:hi], self.end[lo:hi], self.weight[lo:hi]


class MarkRows:
    """Each mark's row intervals, computed once per geometry and kept for the next ranking."""

    def __init__(self, grids: dict[str, ViewGrid], size: int = CACHE_SIZE) -> None:
        self.grids = grids
        self._grids = [grids[v] for v in VIEWS]
        self.size = size
        self._cache: OrderedDict[tuple[str, int], tuple[BaseGeometry, np.ndarray, np.ndarray]] = OrderedDict()

    def clear(self) -> None:
        self._cache.clear()

    def rows(self, marks: Sequence[tuple[str, BaseGeometry]]) -> list[tuple[np.ndarray, np.ndarray]]:
        """``(start, end)`` of each ``(view, geometry)``; new geometries are sampled in one pass."""
        out: list[tuple[np.ndarray, np.ndarray]] = []
        missing: list[int] = []
        cache = self._cache
        for i, (view, geom) in enumerate(marks):
            hit = cache.get((view, id(geom)))
            if hit is not None and hit[0] is geom:
                out.append((hit[1], hit[2]))
            else:
                out.append(_EMPTY)
                missing.append(i)
        if missing:
            view_index = {v: k for k, v in enumerate(VIEWS)}
            views = np.array([view_index[marks[i][0]] for i in missing])
            owner, start, end = intervals(self._grids, views, [marks[i][1] for i in missing])
            keep = end > start
            if not keep.all():
                owner, start, end = owner[keep], start[keep], end[keep]
            cut = np.searchsorted(owner, np.arange(len(missing) + 1)).tolist()
            for k, i in enumerate(missing):
                view, geom = marks[i]
                a, b = start[cut[k] : cut[k + 1]], end[cut[k] : cut[k + 1]]
                out[i] = (a, b)
                cache[(view, id(geom))] = (geom, a, b)
            while len(self._cache) > self.size:
                self._cache.popitem(last=False)
        return out


_EMPTY = (np.empty(0), np.empty(0))


def envelope(
    group: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    weight: np.ndarray,
    axis: float,
    order: np.ndarray | None = None,
) -> Pieces:
    """Merge each group's intervals: where several cover a point, the highest weight counts once.

    ``axis`` is the length of the global axis: groups are laid one after the
    other on it so that every group is merged in the same few array
    operations. Intervals that do not overlap are only sorted. Otherwise,
    weights take few distinct values (one per intensity), so the cover of
    each value is counted with a running sum and the highest covered value
    wins (:func:`_top_level`). ``order``: when every interval is of group 0,
    their stable order by start if already known (``np.argsort(start,
    kind="stable")``).
    """
    if len(start) == 0:
        empty = np.empty(0)
        return Pieces(np.empty(0, dtype=np.int64), empty, empty, empty)
    shifted = start + group * axis if group[-1] else start
    if order is None or group[-1]:
        order = np.argsort(shifted, kind="stable")
    a, b = shifted[order], (end + (shifted - start))[order]
    if len(a) < 2 or (a[1:] >= np.maximum.accumulate(b)[:-1]).all():
        return Pieces(group[order], start[order], end[order], weight[order])
    points = np.concatenate([a, b])
    by_position = np.argsort(points, kind="stable")
    n = len(a)
    # the weights come in runs (one per mark): the distinct ones from the runs' first values
    heads = np.flatnonzero(np.diff(weight, prepend=np.nan) != 0)
    levels = np.array(sorted(set(weight[heads].tolist())))  # one per mark at most: no np.unique needed
    level = np.repeat(np.searchsorted(levels, weight[heads]), np.diff(heads, append=n))[order]
    top = _top_level(np.concatenate([level, level])[by_position], by_position < n, len(levels))
    value = np.concatenate([[0.0], levels])[top]
    # one piece per run of equal value (a run never spans two groups: nothing covers the gap between them)
    change = np.flatnonzero(np.diff(value, prepend=np.nan, append=np.nan) != 0)
    first, stop = change[:-1], change[1:]
    at_first, at_stop = by_position[first], by_position[stop]
    keep = (value[first] > 0) & (points[at_stop] > points[at_first])
    at_first, at_stop = at_first[keep], at_stop[keep]
    # the positions themselves (not shifted back, which would round them) and their groups
    exact = np.concatenate([start[order], end[order]])
    return Pieces(group[order][at_first % n], exact[at_first], exact[at_stop], value[first[keep]])


#: Up to this many levels, the levels covering a stretch are the bits of one exact integer (below 2**53).
_BIT_LEVELS = 52


def _top_level(level: np.ndarray, opens: np.ndarray, levels: int) -> np.ndarray:
    """The highest level (1-based, 0: none) covering each stretch between two points in order.

    ``level[j]`` and ``opens[j]`` say which level point ``j`` belongs to and
    whether it opens or closes an interval of it. Each level's open
    intervals are counted along its own points (a stable sort by level keeps
    them in order); where a level's count leaves or returns to zero, that
    level's bit is set or cleared, so a running sum over all points holds,
    per stretch, the set of levels covering it, and its highest bit is the
    top level.
    """
    step = np.where(opens, 1, -1)
    if levels > _BIT_LEVELS:  # a table of running counts, level by level
        diff = np.zeros(levels * len(level), dtype=np.int64)
        diff[level * len(level) + np.arange(len(level))] = step
        cover = np.cumsum(diff.reshape(levels, len(level))[:, :-1], axis=1) > 0
        return (cover * np.arange(1, levels + 1)[:, None]).max(axis=0)
    by_level = np.argsort(level.astype(np.uint8), kind="stable")  # small integers: a radix sort
    step = step[by_level]
    count = np.cumsum(step)  # every level's count returns to zero after its last point
    # +1 where a level's count leaves zero, -1 where it returns there (a count never goes below zero)
    edge = (count == step).astype(np.int64) - (count == 0)
    change = np.empty(len(level), dtype=np.int64)
    change[by_level] = np.left_shift(edge, level[by_level])
    # the highest bit set: frexp's exponent is the bit length (exact below 2**53)
    return np.frexp(np.cumsum(change[:-1]).astype(np.float64))[1]


def complement(
    body: tuple[np.ndarray, np.ndarray], start: np.ndarray, end: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The parts of the body's row intervals that the sorted, disjoint intervals leave unpainted."""
    b_start, b_end = body
    points = np.concatenate([b_start, b_end, start, end])
    step = np.concatenate([np.ones(len(b_start)), -np.ones(len(b_end)), -np.ones(len(start)), np.ones(len(end))])
    order = np.argsort(points, kind="stable")
    points, inside = points[order], np.cumsum(step[order])
    gap = np.flatnonzero((inside[:-1] > 0.5) & (points[1:] > points[:-1]))
    return points[gap], points[gap + 1]


def view_of(grids: dict[str, ViewGrid], g: np.ndarray) -> np.ndarray:
    """Index into VIEWS of each position on the global axis."""
    offsets = np.array([grids[v].offset for v in VIEWS])
    return np.searchsorted(offsets, g, side="right") - 1
