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
from nmt_bodymap.lookup.drawing import Pieces, complement
from nmt_bodymap.lookup.raster import Members, Raster


class Family:
    """How labels map to a family's items, each item's view, and the items' areas when fully painted.

    A *joint* family (:meth:`joint`) lays several families' items one after
    the other, so that one pass sums them all; ``parts`` names each one's
    slice of the items.
    """

    def __init__(
        self,
        raster: Raster,
        labels: Members | np.ndarray,
        item_view: np.ndarray,
        parts: dict[str, slice] | None = None,
    ) -> None:
        self.labels = labels
        self.item_view = np.asarray(item_view, dtype=np.int64)
        self.item_count = len(self.item_view)
        self.parts = parts
        self._raster = raster
        self._full: np.ndarray | None = None
        self._by_region: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    @classmethod
    def joint(cls, raster: Raster, families: dict[str, Family]) -> Family:
        """The families' items in one table: per label, every family's items (each offset past the ones before)."""
        every = np.arange(raster.label_count)
        found = [fam.items_of(every) for fam in families.values()]  # positions come in label order
        counts = [np.bincount(where, minlength=raster.label_count) for where, _items in found]
        indptr = np.concatenate([[0], np.cumsum(np.sum(counts, axis=0))]).astype(np.int64)
        items = np.empty(int(indptr[-1]), dtype=np.int32)
        before = np.zeros(raster.label_count, dtype=np.int64)  # a label's slots taken by the families before
        base = 0
        parts: dict[str, slice] = {}
        for (name, fam), (where, own), count in zip(families.items(), found, counts, strict=True):
            within = np.arange(len(where)) - (np.cumsum(count) - count)[where]
            items[indptr[where] + before[where] + within] = own + base
            before += count
            parts[name] = slice(base, base + fam.item_count)
            base += fam.item_count
        views = np.concatenate([fam.item_view for fam in families.values()])
        return cls(raster, Members(indptr.astype(np.int32), items), views, parts)

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
#: ...or at most this long.
DENSE_ALWAYS = 1 << 16


#: The labels touched are found by marking a table of every label while it is at most this many times
#: longer than the labels summed.
SCAN_RATIO = 16


@dataclass
class LabelSums:
    """Painted area per group and label: what every family's sums are added up from.

    Sorted by group, then label. ``top`` names the views measured through
    what is *not* painted ((group, view) -> the highest weight there): their
    labels hold the unpainted rest with negative areas, and the families add
    the whole view at that weight.
    """

    group: np.ndarray
    label: np.ndarray
    weighted: np.ndarray  # mm² × the pain's weight
    plain: np.ndarray  # mm²
    top: dict[tuple[int, int], float]


def sum_by_label(
    group: np.ndarray, label: np.ndarray, a: np.ndarray, b: np.ndarray, group_count: int, label_count: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sums of ``a`` and ``b`` per (group, label), where either is non-zero: (group, label, a, b), sorted.

    The labels touched are numbered first, so the table summed into is the
    groups times the labels touched, not times every label of the raster,
    and only the labels touched are sorted.
    """
    if len(label) == 0:
        empty = np.empty(0)
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64), empty, empty
    small = np.int32 if len(label) < 2**31 else np.int64
    local = np.empty(label_count, dtype=small)
    if label_count <= SCAN_RATIO * len(label):  # the labels touched, marked in a table of every label
        seen = np.zeros(label_count, dtype=bool)
        seen[label] = True
        touched = np.flatnonzero(seen).astype(label.dtype, copy=False)
    else:  # without scanning every label of the raster: each position written by its label's last occurrence
        where = np.arange(len(label), dtype=small)
        local[label] = where
        touched = np.sort(label[local[label] == where])
    local[touched] = np.arange(len(touched), dtype=small)
    width = len(touched)
    key = local[label] if group_count == 1 else group * width + local[label]
    size = group_count * width
    same = b is a  # one sum asked for twice
    if size <= max(DENSE_RATIO * len(key), DENSE_ALWAYS):
        sum_a = _sum(key, a, size)
        sum_b = sum_a if same else _sum(key, b, size)
        nonzero = np.flatnonzero((sum_a != 0) | (sum_b != 0))
        sum_a = sum_a[nonzero]
        sum_b = sum_a if same else sum_b[nonzero]
    else:  # many groups, each touching few of the labels: sort the keys instead of a large, empty table
        nonzero, inverse = np.unique(key, return_inverse=True)
        sum_a = _sum(inverse, a, len(nonzero))
        sum_b = sum_a if same else _sum(inverse, b, len(nonzero))
        keep = (sum_a != 0) | (sum_b != 0)
        nonzero, sum_a = nonzero[keep], sum_a[keep]
        sum_b = sum_a if same else sum_b[keep]
    g, k = np.divmod(nonzero, width)
    return g, touched[k], sum_a, sum_b


def query(
    raster: Raster,
    pieces: Pieces,
    group_count: int,
    direct_only: bool = False,
    body: dict[int, tuple[np.ndarray, np.ndarray]] | None = None,
) -> LabelSums:
    """Every group's pieces laid on the raster: the painted area per label (see the module docstring).

    ``direct_only`` measures every view through its painted pieces. ``body``
    holds each view's body as row intervals (view index -> start, end);
    without it no view is measured through the complement.
    """
    step = next(iter(raster.grids.values())).step
    views = len(VIEWS)
    view = raster.view_at(pieces.start)
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
    weight_w = length * (qw * step)[which]
    weight_p = length * (qp * step)[which] if qp is not None else length * step
    tg, label, tw, tp = sum_by_label(qg[which], run_label, weight_w, weight_p, group_count, raster.label_count)
    return LabelSums(tg, label, tw, tp, top)


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
    """Measure every group's pieces against every family: :func:`query`, then :func:`measure_sums`."""
    sums = query(raster, pieces, group_count, direct_only, body)
    return measure_sums(surfaces, families, sums, group_count, plain, only)


def measure_sums(
    surfaces: Surfaces,
    families: dict[str, Family],
    sums: LabelSums,
    group_count: int,
    plain: tuple[str, ...] = (),
    only: dict[str, np.ndarray] | None = None,
) -> Measured:
    """Every family's items summed from the painted area per label, one surface counted once.

    Plain (unweighted) areas are worked out for the families named in
    ``plain``. ``only`` names families measured for some groups only (family
    -> a bool per group); their other groups' sums are left zero.
    """
    tg, label, tw, tp, top = sums.group, sums.label, sums.weighted, sums.plain, sums.top

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
        if name in plain or (fam.parts is not None and any(part in plain for part in fam.parts)):
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
        if fam.parts is None:
            weighted[name] = w_sum
            if p_sum is not None:
                plain_sums[name] = p_sum
            continue
        weighted[name] = w_sum
        if p_sum is not None:
            plain_sums[name] = p_sum
        for part, cut in fam.parts.items():
            weighted[part] = w_sum[:, cut]
            if part in plain and p_sum is not None:
                plain_sums[part] = p_sum[:, cut]
    return Measured(weighted, plain_sums, (tg, label, tw), dropped, frozenset(g for g, _ in top))
