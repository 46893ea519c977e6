"""Every family's sums for groups made of atoms: each atom summed once and kept, a group's added up.

:func:`measure_atoms` gives what :func:`.measure.measure_sums` gives, for
groups measured through their atoms (:mod:`.atoms`): each atom's painted
labels are summed into a family's items the first time a group holding the
atom is measured against that family (the sums are kept on the atom), and a
group's sums are its atoms' added up. One surface, one count, as in
:func:`.measure.measure_sums`: where a body surface drawn in several views
counts in another view, the labels of that surface in this view are taken
off again. While a stroke is painted, only the stroke's atom is summed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from nmt_bodymap.lookup.atoms import Atom
from nmt_bodymap.lookup.measure import Family, Measured, Surfaces, _sum, sum_by_label

Sums = tuple[np.ndarray, np.ndarray, np.ndarray]


def family_sums(atoms: Sequence[Atom], name: str, family: Family) -> None:
    """Sum the atoms not yet summed into the family's items, all in one pass; kept on each atom."""
    need = list({id(a): a for a in atoms if name not in a.sums}.values())
    if not need:
        return
    labels = np.concatenate([a.labels for a in need])
    weighted = np.concatenate([a.weighted for a in need])
    plain = np.concatenate([a.plain for a in need])
    owner = np.repeat(np.arange(len(need)), [len(a.labels) for a in need])
    where, items = family.items_of(labels)
    g, item, w, p = sum_by_label(owner[where], items, weighted[where], plain[where], len(need), family.item_count)
    cut = np.searchsorted(g, np.arange(len(need) + 1)).tolist()
    for k, a in enumerate(need):
        a.sums[name] = (item[cut[k] : cut[k + 1]], w[cut[k] : cut[k + 1]], p[cut[k] : cut[k + 1]])


def measure_atoms(
    surfaces: Surfaces,
    families: Mapping[str, Family],
    atoms: Sequence[Sequence[Atom]],
    groups: Sequence[int],
    plain: tuple[str, ...] = (),
    only: Mapping[str, np.ndarray] | None = None,
) -> Measured:
    """Every family's sums for the ``groups`` (indices into ``atoms``; the other rows stay zero).

    ``plain`` and ``only`` as in :func:`.measure.measure_sums`. An atom seen
    before adds its kept sums (summed now if it has none for the family); a
    fresh one adds its labels, laid on the family's items with the group's.
    The result's ``labels`` are empty: a group's painted labels are its
    atoms' (:func:`labels_of`).
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
    entry = np.concatenate([[0], np.cumsum(sizes)]).tolist()  # each part's labels in the arrays above

    weighted: dict[str, np.ndarray] = {}
    plain_sums: dict[str, np.ndarray] = {}
    for name, fam in families.items():
        wanted = only.get(name) if only else None
        mine = [k for k, (g, _a) in enumerate(parts) if wanted is None or wanted[g]]
        family_sums([parts[k][1] for k in mine if not parts[k][1].fresh], name, fam)
        # the labels to lay on the family: a fresh atom's, less those of surfaces counting elsewhere; an atom
        # seen before adds its sums, less the same labels
        take = np.zeros(len(labels), dtype=np.int8)  # 1: add the label, -1: take it off
        kept: list[tuple[int, Sums]] = []
        for k in mine:
            g, a = parts[k]
            if a.fresh:
                take[entry[k] : entry[k + 1]] = 1
            else:
                kept.append((g, a.sums[name]))
        take[gone] = np.where(take[gone] == 1, 0, -1)
        laid = np.flatnonzero(take)
        where, items = fam.items_of(labels[laid])
        n = fam.item_count
        sign = take[laid][where].astype(np.float64)
        keys = [owner[laid][where] * n + items, *(s[0] + g * n for g, s in kept)]
        key = np.concatenate(keys)
        w = np.concatenate([weights[laid][where] * sign, *(s[1] for _g, s in kept)])
        weighted[name] = _sum(key, w, count * n).reshape(count, n)
        if _wants_plain(name, fam, plain):
            p = np.concatenate([plains[laid][where] * sign, *(s[2] for _g, s in kept)])
            plain_sums[name] = _sum(key, p, count * n).reshape(count, n)

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
