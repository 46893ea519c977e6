"""Every family's sums for groups made of atoms: each atom summed once and kept, a group's added up.

:func:`measure_atoms` gives what :func:`.measure.measure_sums` gives, for
groups measured through their atoms (:mod:`.atoms`): each atom's painted
labels are laid on a family's items with the group's, and the sums of a
group's atoms seen before are kept together (:class:`KeptSums`): while a
stroke is painted, only the stroke's atom is new. One surface, one count, as in
:func:`.measure.measure_sums`: where a body surface drawn in several views
counts in another view, the labels of that surface in this view are taken
off again. While a stroke is painted, only the stroke's atom is summed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from nmt_bodymap.lookup.atoms import Atom, KeptSums
from nmt_bodymap.lookup.measure import Family, Measured, Surfaces, _sum, sum_by_label
from nmt_bodymap.lookup.raster import Members

Sums = tuple[np.ndarray, np.ndarray, np.ndarray]


def measure_atoms(
    surfaces: Surfaces,
    families: Mapping[str, Family],
    atoms: Sequence[Sequence[Atom]],
    groups: Sequence[int],
    kept: KeptSums,
    plain: tuple[str, ...] = (),
    only: Mapping[str, np.ndarray] | None = None,
) -> Measured:
    """Every family's sums for the ``groups`` (indices into ``atoms``; the other rows stay zero).

    ``plain`` and ``only`` as in :func:`.measure.measure_sums`. A group's
    atoms seen before add their sums together, kept in ``kept``; its fresh
    atoms add their labels, laid on the family's items now. The result's
    ``labels`` are empty: a group's painted labels are its atoms'
    (:func:`labels_of`).
    """
    count = len(atoms)
    parts = [(g, a) for g in groups for a in atoms[g]]
    # one surface, one count, decided from every label painted (as measure_sums does)
    sizes = [len(a.labels) for _g, a in parts]
    owner = np.repeat(np.array([g for g, _a in parts], dtype=np.int64), sizes)
    labels = np.concatenate([a.labels for _g, a in parts]) if parts else np.empty(0, dtype=np.int64)
    weights = np.concatenate([a.weighted for _g, a in parts]) if parts else np.empty(0)
    plains = np.concatenate([a.plain for _g, a in parts]) if parts else np.empty(0)
    regions = surfaces.region_count
    region = surfaces.label_region[labels]
    on = region >= 0
    loads = _sum(owner[on] * regions + region[on], weights[on], count * regions).reshape(count, regions)
    dropped = surfaces.dropped(loads)
    gone = on & dropped[owner, np.maximum(region, 0)] if dropped.any() else np.zeros(len(labels), dtype=bool)
    # per label painted: 1 to lay it on the families (a fresh atom's), -1 to take it off (a label of a surface
    # counting in another view, already in an older atom's kept sums), 0 to leave it
    fresh = np.repeat(np.array([a.fresh for _g, a in parts], dtype=bool), sizes)
    take = np.where(gone, np.where(fresh, 0, -1), np.where(fresh, 1, 0)).astype(np.int8)

    weighted: dict[str, np.ndarray] = {}
    plain_sums: dict[str, np.ndarray] = {}
    for name, fam in families.items():
        wanted = only.get(name) if only else None
        mine = [g for g in groups if wanted is None or wanted[g]]
        n = fam.item_count
        with_plain = _wants_plain(name, fam, plain)
        laid = np.flatnonzero(take if wanted is None else take * wanted[owner])
        if (take[laid] == 1).all():
            w_laid, p_laid = weights[laid], plains[laid]
        else:
            sign = take[laid]
            w_laid, p_laid = weights[laid] * sign, plains[laid] * sign
        values = [w_laid, p_laid] if with_plain else [w_laid]
        if count > 1:
            values.append(owner[laid] * n)
        assert isinstance(fam.labels, Members)
        items, spread = fam.labels.spread(labels[laid], *values)
        key = items + spread[-1] if count > 1 else items
        w_sum = _sum(key, spread[0], count * n).reshape(count, n)
        p_sum = _sum(key, spread[1], count * n).reshape(count, n) if with_plain else None
        for g in mine:
            old = [a for a in atoms[g] if not a.fresh]
            if old:
                base_w, base_p = kept.of(name, fam, old, with_plain)
                w_sum[g] += base_w
                if p_sum is not None:
                    p_sum[g] += base_p
        weighted[name] = w_sum
        if p_sum is not None:
            plain_sums[name] = p_sum

    for name, fam in families.items():
        for part, cut in (fam.parts or {}).items():
            weighted[part] = weighted[name][:, cut]
            if part in plain and name in plain_sums:
                plain_sums[part] = plain_sums[name][:, cut]
    empty = np.empty(0, dtype=np.int64)
    return Measured(weighted, plain_sums, (empty, empty, np.empty(0)), dropped, frozenset())


def _wants_plain(name: str, family: Family, plain: tuple[str, ...]) -> bool:
    return name in plain or (family.parts is not None and any(part in plain for part in family.parts))


def labels_of(atoms: Sequence[Atom]) -> Sums:
    """A group's painted labels (sorted) and their weighted and plain areas: its atoms' added up."""
    if len(atoms) == 1:
        a = atoms[0]
        return a.labels, a.weighted, a.plain
    if not atoms:
        return np.empty(0, dtype=np.int64), np.empty(0), np.empty(0)
    labels = np.concatenate([a.labels for a in atoms])
    size = int(labels.max()) + 1 if len(labels) else 0
    _g, label, w, p = sum_by_label(
        np.zeros(len(labels), dtype=np.int64),
        labels,
        np.concatenate([a.weighted for a in atoms]),
        np.concatenate([a.plain for a in atoms]),
        1,
        size,
    )
    return label, w, p
