"""How much of each zone a drawing covers: weighted and plain areas per group, on the raster.

Input: the merged pieces of every group (:mod:`.drawing`). Output: for
every family (zones, regions, …) and every group, each item's painted area
weighted by the pain's weight, and plain. Two rules apply on the way:

* **one surface, one count**: a body surface shown in several views (the
  chart's regions with the same id) counts once per group, in the view
  where it carries the most pain;
* **cost bounded by the smaller side**: where a group paints more than half
  of a view's runs, the view is measured through what is *not* painted (the
  highest weight everywhere, minus the complement), so a whole-body mark
  costs about as little as a small one.

A family maps each label either to several items (:class:`Members`, zones
that overlap) or to at most one (an array, -1 for none: the region under a
label, the view of a label).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nmt_bodymap.chart import VIEWS
from nmt_bodymap.lookup.drawing import Pieces, complement, view_of
from nmt_bodymap.lookup.raster import Members, Raster


class Family:
    """How labels map to a family's items, each item's view, and the items' areas when fully painted."""

    def __init__(self, raster: Raster, labels: Members | np.ndarray, item_view: np.ndarray) -> None:
        self.labels = labels
        self.item_view = np.asarray(item_view, dtype=np.int64)
        self.item_count = len(self.item_view)
        self._raster = raster
        self._full: np.ndarray | None = None
        self._by_region: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def items_of(self, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(position in ``labels``, item) for every item covering each label."""
        if isinstance(self.labels, Members):
            return self.labels.expand(labels)
        items = self.labels[labels]
        where = np.flatnonzero(items >= 0)
        return where, items[where]

    def full_area(self) -> np.ndarray:
        """Each item's area (mm²)."""
        if self._full is None:
            where, items = self.items_of(np.arange(self._raster.label_count))
            self._full = _sum(items, weights=self._raster.label_area[where], minlength=self.item_count)
        return self._full

    def region_area(self, label_region: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every overlap of a region item and a family item: (region, item, area)."""
        if self._by_region is None:
            labels = np.flatnonzero(label_region >= 0)
            where, items = self.items_of(labels)
            key = label_region[labels][where] * self.item_count + items
            key, inverse = np.unique(key, return_inverse=True)
            area = np.bincount(inverse, weights=self._raster.label_area[labels][where])
            self._by_region = (key // self.item_count, key % self.item_count, area)
        return self._by_region


class Surfaces:
    """The chart's regions as body surfaces: one region per label, and surfaces shown in several views."""

    def __init__(self, raster: Raster, label_region: np.ndarray, surface_of_item: list[str], view_of_item: list[int]):
        self.label_region = label_region
        self.item_view = np.array(view_of_item, dtype=np.int64)
        self.region_count = len(surface_of_item)
        on = label_region >= 0
        #: Area of the labels under each region item.
        self.area = _sum(label_region[on], weights=raster.label_area[on], minlength=self.region_count)
        ids: dict[str, list[int]] = {}
        for item, sid in enumerate(surface_of_item):
            ids.setdefault(sid, []).append(item)
        shared = [sorted(items, key=lambda i: view_of_item[i]) for items in ids.values() if len(items) > 1]
        width = max((len(s) for s in shared), default=1)
        #: Surfaces shown in more than one view: their region items, in view order (-1 pads).
        self.shared = np.array([s + [-1] * (width - len(s)) for s in shared], dtype=np.int64).reshape(-1, width)

    def dropped(self, loads: np.ndarray) -> np.ndarray:
        """Per group, region items whose surface counts in another view: (groups, regions) bool."""
        out = np.zeros(loads.shape, dtype=bool)
        if len(self.shared) == 0:
            return out
        per = np.where(self.shared[None] < 0, -1.0, loads[:, np.maximum(self.shared, 0)])  # groups, surfaces, views
        if not ((per > 0).sum(axis=2) > 1).any():
            return out
        # the first view (in chart order) carrying the most pain; within 1 % counts as a tie, so
        # the choice does not hang on a sliver of area
        keep = np.argmax(per >= 0.99 * per.max(axis=2, keepdims=True), axis=2)
        lose = (per > 0) & (np.arange(self.shared.shape[1])[None, None, :] != keep[:, :, None])
        g, s, k = np.nonzero(lose)
        out[g, self.shared[s, k]] = True
        return out


@dataclass
class Measured:
    """Per family, per group and item: the weighted and the plain painted area (mm²).

    ``labels`` lists every label painted, after one surface was counted
    once: (group, label, weighted area), for the combination.
    """

    weighted: dict[str, np.ndarray]
    plain: dict[str, np.ndarray]
    labels: tuple[np.ndarray, np.ndarray, np.ndarray]
    dropped: np.ndarray  # (groups, region items): surfaces that count in another view
    flipped: frozenset[int]  # groups measured through the complement somewhere (their labels are partial)


def _sum(key: np.ndarray, weights: np.ndarray, minlength: int) -> np.ndarray:
    """``np.bincount`` that stays floating point when nothing is counted."""
    return np.bincount(key, weights=weights, minlength=minlength).astype(np.float64, copy=False)


#: A dense table of sums is used while it is at most this many times longer than the keys summed.
DENSE_RATIO = 8


def _sums_by_key(key: np.ndarray, a: np.ndarray, b: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The keys (``< size``) with a non-zero sum of ``a`` or ``b``, sorted, and the two sums.

    A dense ``bincount`` over every possible key is fastest while the keys
    fill a good part of it; a drawing of a few marks ranked with many groups
    on a raster of many labels would pay for allocating and scanning a large
    table it barely touches, so the keys are then sorted instead.
    """
    if size <= DENSE_RATIO * len(key):
        sum_a, sum_b = _sum(key, a, size), _sum(key, b, size)
        touched = np.flatnonzero((sum_a != 0) | (sum_b != 0))
        return touched, sum_a[touched], sum_b[touched]
    unique, inverse = np.unique(key, return_inverse=True)
    sum_a, sum_b = _sum(inverse, a, len(unique)), _sum(inverse, b, len(unique))
    keep = (sum_a != 0) | (sum_b != 0)
    return unique[keep], sum_a[keep], sum_b[keep]


def measure(
    raster: Raster,
    surfaces: Surfaces,
    families: dict[str, Family],
    pieces: Pieces,
    group_count: int,
    plain: tuple[str, ...] = (),
    direct_only: bool = False,
    body: dict[int, tuple[np.ndarray, np.ndarray]] | None = None,
    only: dict[str, np.ndarray] | None = None,
) -> Measured:
    """Measure every group's pieces against every family (see the module docstring).

    Plain (unweighted) areas are worked out for the families named in
    ``plain``; ``direct_only`` measures every view through its painted pieces.
    ``body`` holds each view's body as row intervals (view index -> start,
    end); without it no view is measured through the complement. ``only``
    names families measured for some groups only (family -> a bool per
    group); their other groups' sums are left zero.
    """
    step = next(iter(raster.grids.values())).step
    views = len(VIEWS)
    view = view_of(raster.grids, pieces.start)
    cell = pieces.group * views + view
    # a view painted over more than half of its body is measured through the complement
    painted = _sum(cell, weights=pieces.end - pieces.start, minlength=group_count * views)
    flip = (painted > 0.5 * np.tile(raster.view_length, group_count)) & (not direct_only) & (body is not None)

    # what to look up: painted pieces as they are, or the complement of a mostly painted view
    top: dict[tuple[int, int], float] = {}
    if flip.any():
        direct = ~flip[cell]
        q_group, q_a, q_b = [pieces.group[direct]], [pieces.start[direct]], [pieces.end[direct]]
        q_w, q_p = [pieces.weight[direct]], [np.ones(int(direct.sum()))]
        for c in np.flatnonzero(flip).tolist():
            g, v = divmod(c, views)
            mine = cell == c
            a, b, w = pieces.start[mine], pieces.end[mine], pieces.weight[mine]
            w_max = float(w.max())
            top[(g, v)] = w_max
            assert body is not None
            ga, gb = complement(body[v], a, b)
            low = w < w_max
            q_group.append(np.full(len(ga) + int(low.sum()), g))
            q_a += [ga, a[low]]
            q_b += [gb, b[low]]
            q_w += [np.full(len(ga), -w_max), w[low] - w_max]
            q_p += [np.full(len(ga), -1.0), np.zeros(int(low.sum()))]
        qg, qa, qb = np.concatenate(q_group), np.concatenate(q_a), np.concatenate(q_b)
        qw, qp = np.concatenate(q_w), np.concatenate(q_p)
    else:
        qg, qa, qb, qw, qp = pieces.group, pieces.start, pieces.end, pieces.weight, None
    which, run_label, length = raster.overlaps(qa, qb)

    # painted area per (group, label), only the labels touched
    n_labels = raster.label_count
    key = run_label if group_count == 1 else qg[which] * n_labels + run_label
    weight_w = length * (qw * step)[which]
    weight_p = length * (qp * step)[which] if qp is not None else length * step
    touched, tw, tp = _sums_by_key(key, weight_w, weight_p, group_count * n_labels)
    tg, label = np.divmod(touched, n_labels)

    # one surface, one count: decide per group where each shared surface counts
    regions = surfaces.region_count
    region = surfaces.label_region[label]
    on = region >= 0
    loads = _sum(tg[on] * regions + region[on], weights=tw[on], minlength=group_count * regions)
    loads = loads.reshape(group_count, regions)
    for (g, v), w_max in top.items():
        loads[g] += w_max * surfaces.area * (surfaces.item_view == v)
    dropped = surfaces.dropped(loads)
    if dropped.any():
        keep = ~(on & dropped[tg, np.maximum(region, 0)])
        tg, label, tw, tp = tg[keep], label[keep], tw[keep], tp[keep]

    weighted: dict[str, np.ndarray] = {}
    plain_sums: dict[str, np.ndarray] = {}
    for name, fam in families.items():
        n = fam.item_count
        wanted = only.get(name) if only else None
        if wanted is None:
            where, items = fam.items_of(label)
        else:
            mine = np.flatnonzero(wanted[tg])
            where, items = fam.items_of(label[mine])
            where = mine[where]
        item_key = tg[where] * n + items
        w_sum = _sum(item_key, weights=tw[where], minlength=group_count * n).reshape(group_count, n)
        p_sum = None
        if name in plain:
            p_sum = _sum(item_key, weights=tp[where], minlength=group_count * n).reshape(group_count, n)
        for (g, v), w_max in top.items():
            if wanted is not None and not wanted[g]:
                continue
            r_item, f_item, area = fam.region_area(surfaces.label_region)
            gone = dropped[g, r_item] & (surfaces.item_view[r_item] == v)
            left = fam.full_area() * (fam.item_view == v) - _sum(f_item[gone], weights=area[gone], minlength=n)
            w_sum[g] += w_max * left
            if p_sum is not None:
                p_sum[g] += left
        weighted[name] = w_sum
        if p_sum is not None:
            plain_sums[name] = p_sum
    return Measured(weighted, plain_sums, (tg, label, tw), dropped, frozenset(g for g, _ in top))
