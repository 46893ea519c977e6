"""Atoms: the marks of a group that overlap one another, merged and laid on the raster once, and kept.

A group's pain (the whole drawing, one complaint, or its numbness,
tingling and burning) is the union of its marks, overlapping marks
counting once at the higher weight (:func:`.drawing.envelope`). Marks
whose row intervals do not overlap simply add up. So a group is cut into
*atoms*, the sets of its marks linked by overlapping intervals, and its
painted area per label is the sum of its atoms'. Each atom is merged and
laid on the raster once (:meth:`Atoms.of_groups`) and kept by its marks:
while a stroke is painted only the atom holding the stroke is new, and a
complaint reuses the atoms of the whole drawing it shares.
"""

from __future__ import annotations

import operator
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np
from shapely.geometry.base import BaseGeometry

from nmt_bodymap.chart import VIEWS
from nmt_bodymap.lookup import scoring
from nmt_bodymap.lookup.drawing import envelope
from nmt_bodymap.lookup.index import AtlasIndex
from nmt_bodymap.lookup.measure import Family, _sum, sum_by_label
from nmt_bodymap.session import PainMark

Rows = tuple[np.ndarray, np.ndarray]
#: Atoms kept, and painted labels kept in all (an atom of a 30 mm disc paints about a hundred labels).
CACHE_ATOMS = 2048
CACHE_LABELS = 1_000_000


class Atom:
    """What one set of overlapping marks paints: per label (sorted), the area weighted and plain (mm²).

    ``fresh`` says the atom was made for the ranking at hand (not seen
    before: keeping its sums with others' would not pay, :mod:`.atom_sums`).
    """

    __slots__ = ("fresh", "labels", "over", "painted", "plain", "weighted")

    def __init__(
        self, labels: np.ndarray, weighted: np.ndarray, plain: np.ndarray, painted: np.ndarray, over: np.ndarray
    ) -> None:
        self.labels = labels
        self.weighted = weighted
        self.plain = plain
        self.painted = painted  # length of the axis painted in each view (mm)
        self.over = over  # the sided trigger points the pain is drawn over (indices)
        self.fresh = True


#: Sums of atoms seen before kept per group of them (a drawing's unchanged marks while a stroke is painted).
KEPT = 64


class KeptSums:
    """Per family, the dense sums of sets of atoms seen before: while a stroke is painted, the other marks'."""

    def __init__(self) -> None:
        self._sums: OrderedDict[tuple, tuple[tuple[Atom, ...], np.ndarray, np.ndarray | None]] = OrderedDict()

    def clear(self) -> None:
        self._sums.clear()

    def of(self, name: str, family: Family, atoms: Sequence[Atom], plain: bool) -> tuple[np.ndarray, np.ndarray]:
        """The atoms' sums per item of the family, weighted and plain (zero when not asked for)."""
        key = (name, plain, *(id(a) for a in atoms))
        hit = self._sums.get(key)
        if hit is not None and all(map(operator.is_, hit[0], atoms)):
            self._sums.move_to_end(key)
            return hit[1], hit[2] if hit[2] is not None else _ZERO
        labels = np.concatenate([a.labels for a in atoms])
        where, items = family.items_of(labels)
        n = family.item_count
        weighted = _sum(items, np.concatenate([a.weighted for a in atoms])[where], n)
        plain_sums = _sum(items, np.concatenate([a.plain for a in atoms])[where], n) if plain else None
        self._sums[key] = (tuple(atoms), weighted, plain_sums)
        while len(self._sums) > KEPT:
            self._sums.popitem(last=False)
        return weighted, plain_sums if plain_sums is not None else _ZERO


_ZERO = np.zeros(1)


def components(rows: Sequence[Rows], marks: Sequence[int]) -> list[tuple[int, ...]]:
    """The marks (indices into ``rows``) in sets linked by overlapping row intervals, each in index order.

    Intervals sorted by start overlap while each starts before the furthest
    end so far: within each such run of intervals, neighbours link their
    marks. Touching is not overlapping (the envelope keeps touching intervals
    apart).
    """
    return sorted_components(rows, marks)[0]


def sorted_components(rows: Sequence[Rows], marks: Sequence[int]) -> tuple[list[tuple[int, ...]], np.ndarray | None]:
    """:func:`components`, and the stable order by start of the marks' intervals laid one mark after the
    other (None for fewer than two marks): the order the envelope of the marks sorts them in."""
    marks = list(marks)
    if len(marks) < 2:
        return ([tuple(marks)] if marks else []), None
    counts = [len(rows[i][0]) for i in marks]
    start = np.concatenate([rows[i][0] for i in marks])
    if len(start) == 0:
        return [(i,) for i in marks], None
    end = np.concatenate([rows[i][1] for i in marks])
    owner = np.repeat(np.arange(len(marks)), counts)
    order = np.argsort(start, kind="stable")  # each mark's intervals are sorted: timsort merges runs
    a, b, owner = start[order], end[order], owner[order]
    # neighbours in one run of overlapping intervals, of two marks: linked
    linked = (a[1:] < np.maximum.accumulate(b)[:-1]) & (owner[1:] != owner[:-1])
    n = len(marks)
    root = np.arange(n)
    if linked.any():
        u, v = owner[:-1][linked], owner[1:][linked]
        if n * n <= _PAIR_TABLE:  # the same two marks link on many rows: each pair once
            seen = np.zeros(n * n, dtype=bool)
            seen[np.minimum(u, v) * n + np.maximum(u, v)] = True
            u, v = np.divmod(np.flatnonzero(seen), n)
        root = _connected(n, u, v)
    out: dict[int, list[int]] = {}
    for k, r in enumerate(root.tolist()):
        out.setdefault(r, []).append(marks[k])
    return [tuple(v) for v in out.values()], order


def _regrouped(
    rows: Sequence[Rows],
    marks: list[int],
    keys: list[tuple],
    geoms: list[BaseGeometry],
    last_keys: tuple,
    last_geoms: tuple,
    last_sets: list[tuple],
) -> list[tuple[int, ...]] | None:
    """The marks' sets from the last call's: its sets less the marks gone, each new mark joining the sets it
    overlaps. None when that would not do: more than two new marks, or a mark gone that held others."""
    last = dict(zip(last_keys, last_geoms, strict=True))
    new = [j for j, (k, g) in enumerate(zip(keys, geoms, strict=True)) if last.get(k) is not g]
    if len(new) > 2 or any(keys[j] in last for j in new):
        return None
    here = {k: marks[j] for j, k in enumerate(keys)}
    sets: list[set[int]] = []
    for comp in last_sets:
        present = [here[k] for k in comp if k in here]
        if len(present) < len(comp) and len(comp) > 1:
            return None  # a mark gone may have held the others together
        if present:
            sets.append(set(present))
    for j in new:
        n = marks[j]
        joined, rest = {n}, []
        for members in sets:
            if any(_overlap(rows[n], rows[i]) for i in members):
                joined |= members
            else:
                rest.append(members)
        sets = [*rest, joined]
    return sorted((tuple(sorted(m)) for m in sets), key=lambda t: t[0])


def _overlap(a: Rows, b: Rows) -> bool:
    """Do two marks' row intervals overlap (each mark's own are disjoint and sorted)?"""
    if not len(a[0]) or not len(b[0]) or a[0][0] >= b[1][-1] or b[0][0] >= a[1][-1]:
        return False
    # only the intervals where the two marks' extents meet can overlap
    lo, hi = max(a[0][0], b[0][0]), min(a[1][-1], b[1][-1])
    parts = []
    for start, end in (a, b):
        first, stop = np.searchsorted(end, lo, side="right"), np.searchsorted(start, hi, side="left")
        parts.append((start[first:stop], end[first:stop]))
    start = np.concatenate([parts[0][0], parts[1][0]])
    end = np.concatenate([parts[0][1], parts[1][1]])
    if len(start) < 2:
        return False
    order = np.argsort(start, kind="stable")
    # an interval starting before the furthest end so far overlaps an interval of the other mark
    return bool((start[order][1:] < np.maximum.accumulate(end[order])[:-1]).any())


#: Linked pairs of marks are told apart in a table of every pair while it is at most this long.
_PAIR_TABLE = 1 << 20


def _connected(n: int, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Each node's smallest connected node (hooking each edge's roots on the smaller, then pointer jumping)."""
    root = np.arange(n)
    while True:
        ru, rv = root[u], root[v]
        low = np.minimum(ru, rv)
        hooked = root.copy()
        np.minimum.at(hooked, ru, low)
        np.minimum.at(hooked, rv, low)
        while True:
            jumped = hooked[hooked]
            if np.array_equal(jumped, hooked):
                break
            hooked = jumped
        if np.array_equal(hooked, root):
            return root
        root = hooked


class Atoms:
    """Cuts groups of a drawing's marks into atoms, and keeps each atom measured (see the module docstring)."""

    def __init__(self, ix: AtlasIndex) -> None:
        self.ix = ix
        self._atoms: OrderedDict[tuple, tuple[tuple[BaseGeometry, ...], Atom]] = OrderedDict()
        self._labels_kept = 0
        #: The last call's marks (keys, geometries) and their sets (as keys).
        self._split: tuple[tuple, tuple[BaseGeometry, ...], list[tuple]] | None = None
        #: The sums of sets of atoms seen before (see :mod:`.atom_sums`).
        self.kept = KeptSums()
        #: Within one call: the marks whose sets were worked out afresh, and their intervals' order by start.
        self._sorted: tuple[list[int], np.ndarray] | None = None

    def clear(self) -> None:
        self._atoms.clear()
        self._labels_kept = 0
        self._split = None
        self._sorted = None
        self.kept.clear()

    def of_groups(
        self, drawn: Sequence[PainMark], rows: Sequence[Rows], groups: Sequence[tuple[int, ...]]
    ) -> list[list[Atom]]:
        """Each group's atoms (groups are tuples of indices into ``drawn``); new atoms are measured together."""
        weights = [scoring.intensity_weight(m.intensity) for m in drawn]
        keys = [(m.view, id(m.geometry), w) for m, w in zip(drawn, weights, strict=True)]
        union = sorted({i for g in groups for i in g})
        base = self._components(drawn, rows, union)
        where = {i: k for k, comp in enumerate(base) for i in comp}
        per_group: list[list[tuple[int, ...]]] = []
        for members in groups:
            if len(members) == len(union):
                per_group.append(base)
                continue
            mine: dict[int, list[int]] = {}
            for i in members:
                mine.setdefault(where[i], []).append(i)
            sets: list[tuple[int, ...]] = []
            for k, part in mine.items():
                if len(part) == len(base[k]) or len(part) == 1:
                    sets.append(tuple(part))
                else:  # a group holding part of a set: its marks may fall apart
                    sets += components(rows, part)
            per_group.append(sets)

        found: dict[tuple[int, ...], Atom] = {}
        missing: dict[tuple[int, ...], tuple] = {}
        cache = self._atoms
        for sets in per_group:
            for s in sets:
                if s in found or s in missing:
                    continue
                key = tuple([keys[i] for i in s])
                hit = cache.get(key)
                if hit is not None and all(map(operator.is_, hit[0], (drawn[i].geometry for i in s))):
                    found[s] = hit[1]
                    hit[1].fresh = False
                    cache.move_to_end(key)
                else:
                    missing[s] = key
        if missing:
            for (s, key), atom in zip(missing.items(), self._measure(rows, weights, list(missing)), strict=True):
                found[s] = atom
                self._keep(key, tuple(drawn[i].geometry for i in s), atom)
        self._sorted = None
        return [[found[s] for s in sets] for sets in per_group]

    def _components(self, drawn: Sequence[PainMark], rows: Sequence[Rows], marks: list[int]) -> list[tuple[int, ...]]:
        """:func:`components` of the marks, worked out from the last call's when at most a stroke changed."""
        keys = [(drawn[i].view, id(drawn[i].geometry)) for i in marks]
        geoms = [drawn[i].geometry for i in marks]
        found = None
        if self._split is not None and len(set(keys)) == len(keys):
            found = _regrouped(rows, marks, keys, geoms, *self._split)
        if found is None:
            found, order = sorted_components(rows, marks)
            if order is not None:
                self._sorted = (marks, order)
        key_of = dict(zip(marks, keys, strict=True))
        self._split = (tuple(keys), tuple(geoms), [tuple(key_of[i] for i in comp) for comp in found])
        return found

    def _keep(self, key: tuple, geoms: tuple[BaseGeometry, ...], atom: Atom) -> None:
        old = self._atoms.pop(key, None)
        if old is not None:
            self._labels_kept -= len(old[1].labels)
        self._atoms[key] = (geoms, atom)
        self._labels_kept += len(atom.labels)
        while self._atoms and (len(self._atoms) > CACHE_ATOMS or self._labels_kept > CACHE_LABELS):
            _key, (_geoms, gone) = self._atoms.popitem(last=False)
            self._labels_kept -= len(gone.labels)

    def _measure(self, rows: Sequence[Rows], weights: Sequence[float], atoms: list[tuple[int, ...]]) -> list[Atom]:
        """Merge each atom's marks and lay them on the raster, all atoms at once.

        An atom painting more than half of a view is not laid on the raster:
        every group holding it paints that much too, so it is measured through
        what it leaves unpainted (:class:`.ranking.Ranking`).
        """
        ix, raster = self.ix, self.ix.raster
        count = len(atoms)
        single = [k for k, s in enumerate(atoms) if len(s) == 1]
        multi = [k for k, s in enumerate(atoms) if len(s) > 1]
        group: list[np.ndarray] = []
        start: list[np.ndarray] = []
        end: list[np.ndarray] = []
        weight: list[np.ndarray] = []
        if single:  # one mark: its intervals are disjoint and sorted already
            marks = [atoms[k][0] for k in single]
            counts = [len(rows[i][0]) for i in marks]
            group.append(np.repeat(np.array(single, dtype=np.int64), counts))
            start += [rows[i][0] for i in marks]
            end += [rows[i][1] for i in marks]
            weight.append(np.repeat(np.array([weights[i] for i in marks]), counts))
        if multi:
            chosen = [(k, i) for k in multi for i in atoms[k]]
            counts = [len(rows[i][0]) for _k, i in chosen]
            rank = np.repeat(np.repeat(np.arange(len(multi)), [len(atoms[k]) for k in multi]), counts)
            merged = envelope(
                rank,
                np.concatenate([rows[i][0] for _k, i in chosen]),
                np.concatenate([rows[i][1] for _k, i in chosen]),
                np.repeat(np.array([weights[i] for _k, i in chosen]), counts),
                ix.axis,
                self._order_of(rows, atoms[multi[0]]) if len(multi) == 1 else None,
            )
            group.append(np.array(multi, dtype=np.int64)[merged.group])
            start.append(merged.start)
            end.append(merged.end)
            weight.append(merged.weight)
        g, a, b, w = (np.concatenate(x) for x in (group, start, end, weight))
        views = len(VIEWS)
        painted = np.bincount(g * views + raster.view_at(a), weights=b - a, minlength=count * views)
        painted = painted.reshape(count, views)
        over = self._over(g, a, b, count)
        big = np.any(painted > 0.5 * raster.view_length[None, :], axis=1)
        if big.any():
            keep = ~big[g]
            g, a, b, w = g[keep], a[keep], b[keep], w[keep]
        step = raster.grids[VIEWS[0]].step
        runs, label, length = raster.runs_under(a, b)
        plain = length * step
        if multi:
            weighted = length * np.repeat(w * step, runs)
            ag, al, aw, ap = sum_by_label(np.repeat(g, runs), label, weighted, plain, count, raster.label_count)
        else:  # one weight per atom: its weighted areas are its plain ones times the weight
            ag, al, ap, _ = sum_by_label(np.repeat(g, runs), label, plain, plain, count, raster.label_count)
            aw = ap * np.array(weights)[[atoms[k][0] for k in range(count)]][ag]
        cut = np.searchsorted(ag, np.arange(count + 1)).tolist()
        return [
            Atom(al[cut[k] : cut[k + 1]], aw[cut[k] : cut[k + 1]], ap[cut[k] : cut[k + 1]], painted[k], over[k])
            for k in range(count)
        ]

    def _order_of(self, rows: Sequence[Rows], atom: tuple[int, ...]) -> np.ndarray | None:
        """The stable order by start of the atom's intervals (its marks' laid one after the other), taken
        from the order :meth:`_components` sorted the marks of this call in, if it did."""
        if self._sorted is None:
            return None
        marks, order = self._sorted
        if len(atom) == len(marks):
            return order
        mine = set(atom)
        if not mine.issubset(marks):
            return None
        # the atom's intervals are the others' less those of marks outside it, in the same order
        inside = np.repeat([i in mine for i in marks], [len(rows[i][0]) for i in marks])
        return (np.cumsum(inside) - 1)[order[inside[order]]]

    def _over(self, group: np.ndarray, start: np.ndarray, end: np.ndarray, count: int) -> list[np.ndarray]:
        """Per atom, the sided trigger points lying under its pieces (a point in [start, end))."""
        ix = self.ix
        none = np.empty(0, dtype=np.int64)
        if not len(ix.trp_g) or not len(start):
            return [none] * count
        first = np.searchsorted(ix.trp_g, start, side="left")
        hits = np.searchsorted(ix.trp_g, end, side="left") - first
        if not hits.any():
            return [none] * count
        piece = np.repeat(np.arange(len(hits)), hits)
        point = (first - (np.cumsum(hits) - hits))[piece] + np.arange(len(piece))
        atom, trp = group[piece], ix.trp_owner[point]
        order = np.argsort(atom, kind="stable")
        atom, trp = atom[order], trp[order]
        cut = np.searchsorted(atom, np.arange(count + 1)).tolist()
        return [trp[cut[k] : cut[k + 1]] for k in range(count)]
