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
from nmt_bodymap.lookup.measure import sum_by_label
from nmt_bodymap.session import PainMark

Rows = tuple[np.ndarray, np.ndarray]
#: Atoms kept, and painted labels kept in all (an atom of a 30 mm disc paints about a hundred labels).
CACHE_ATOMS = 2048
CACHE_LABELS = 1_000_000


class Atom:
    """What one set of overlapping marks paints: per label (sorted), the area weighted and plain (mm²).

    ``sums`` keeps, per family, the atom's sums per item (items, weighted,
    plain), worked out when a group holding the atom is measured against
    that family again (:mod:`.atom_sums`); ``fresh`` says the atom was made
    for the ranking at hand (not seen before: summing it alone would not pay).
    """

    __slots__ = ("fresh", "labels", "over", "painted", "plain", "sums", "weighted")

    def __init__(
        self, labels: np.ndarray, weighted: np.ndarray, plain: np.ndarray, painted: np.ndarray, over: np.ndarray
    ) -> None:
        self.labels = labels
        self.weighted = weighted
        self.plain = plain
        self.painted = painted  # length of the axis painted in each view (mm)
        self.over = over  # the sided trigger points the pain is drawn over (indices)
        self.sums: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self.fresh = True


def components(rows: Sequence[Rows], marks: Sequence[int]) -> list[tuple[int, ...]]:
    """The marks (indices into ``rows``) in sets linked by overlapping row intervals, each in index order.

    Intervals sorted by start overlap while each starts before the furthest
    end so far: each such run of intervals links its marks to its first one.
    Touching is not overlapping (the envelope keeps touching intervals apart).
    """
    marks = list(marks)
    if len(marks) < 2:
        return [tuple(marks)] if marks else []
    counts = [len(rows[i][0]) for i in marks]
    start = np.concatenate([rows[i][0] for i in marks])
    if len(start) == 0:
        return [(i,) for i in marks]
    end = np.concatenate([rows[i][1] for i in marks])
    owner = np.repeat(np.arange(len(marks)), counts)
    order = np.argsort(start, kind="stable")  # each mark's intervals are sorted: timsort merges runs
    a, b, owner = start[order], end[order], owner[order]
    new = np.ones(len(a), dtype=bool)
    new[1:] = a[1:] >= np.maximum.accumulate(b)[:-1]
    head = owner[new][np.cumsum(new) - 1]  # the first mark of each interval's run
    linked = head != owner
    n = len(marks)
    root = np.arange(n)
    if linked.any():
        pairs = np.unique(head[linked] * n + owner[linked])
        root = _connected(n, pairs // n, pairs % n)
    out: dict[int, list[int]] = {}
    for k, r in enumerate(root.tolist()):
        out.setdefault(r, []).append(marks[k])
    return [tuple(v) for v in out.values()]


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
        self._split: tuple[tuple, tuple[BaseGeometry, ...], list[tuple[int, ...]]] | None = None

    def clear(self) -> None:
        self._atoms.clear()
        self._labels_kept = 0
        self._split = None

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
        return [[found[s] for s in sets] for sets in per_group]

    def _components(self, drawn: Sequence[PainMark], rows: Sequence[Rows], marks: list[int]) -> list[tuple[int, ...]]:
        """:func:`components` of the marks, kept for the same marks next time (a drawing ranked again)."""
        key = tuple((drawn[i].view, id(drawn[i].geometry)) for i in marks)
        geoms = tuple(drawn[i].geometry for i in marks)
        if (
            self._split is not None
            and self._split[0] == key
            and all(a is b for a, b in zip(self._split[1], geoms, strict=True))
        ):
            return self._split[2]
        found = components(rows, marks)
        self._split = (key, geoms, found)
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
        big = (painted > 0.5 * raster.view_length).any(axis=1)
        if big.any():
            keep = ~big[g]
            g, a, b, w = g[keep], a[keep], b[keep], w[keep]
        step = raster.grids[VIEWS[0]].step
        which, label, length = raster.overlaps(a, b)
        ag, al, aw, ap = sum_by_label(
            g[which], label, length * (w * step)[which], length * step, count, raster.label_count
        )
        cut = np.searchsorted(ag, np.arange(count + 1)).tolist()
        return [
            Atom(al[cut[k] : cut[k + 1]], aw[cut[k] : cut[k + 1]], ap[cut[k] : cut[k + 1]], painted[k], over[k])
            for k in range(count)
        ]

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
