"""One ranking pass: groups of a drawing's marks measured and scored together.

A *group* is the whole drawing, one complaint, or the numbness, tingling
and burning marks of either (scored against the nerve atlas's territories:
:mod:`.nerve_ranking`). Every group is merged (:mod:`.drawing`), measured
(:mod:`.measure`) and scored (:mod:`.scoring`) in the same array
operations; a group's candidates are put in order only when its list is
first read, and its combination, its nerve findings and the outline of its
unexplained pain only when asked for.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from nmt_bodymap.chart import VIEWS
from nmt_bodymap.lookup import scoring
from nmt_bodymap.lookup.atom_sums import labels_of, measure_atoms
from nmt_bodymap.lookup.atoms import Atoms
from nmt_bodymap.lookup.differential import differential
from nmt_bodymap.lookup.drawing import Pieces, envelope
from nmt_bodymap.lookup.index import AtlasIndex
from nmt_bodymap.lookup.measure import Family, Measured, measure, measure_sums, query
from nmt_bodymap.lookup.nerve_ranking import NerveTerms
from nmt_bodymap.lookup.nerve_result import Differential, NerveFindings
from nmt_bodymap.lookup.result import Candidate, CandidateList, LookupResult
from nmt_bodymap.session import PARESTHESIA, PainMark

COMBINATION_TARGET = 0.90
COMBINATION_POOL = 40
COMBINATION_MAX = 10


@dataclass(frozen=True)
class Group:
    marks: tuple[int, ...]  # indices into the drawing's marks
    paresthesia: int | None  # the group of its numbness, tingling and burning marks, if any


def plan(drawn: Sequence[PainMark], wanted: Sequence[tuple[int, ...]]) -> tuple[list[Group], list[int]]:
    """The groups to measure for the wanted sets of marks (each with its paresthesia group); their indices."""
    groups: list[Group] = []
    index: dict[tuple[int, ...], int] = {}

    def add(members: tuple[int, ...]) -> int:
        if members not in index:
            index[members] = len(groups)
            groups.append(Group(members, None))
            para = tuple(i for i in members if drawn[i].quality in PARESTHESIA)
            p = (add(para) if para != members else index[members]) if para else None
            groups[index[members]] = Group(members, p)
        return index[members]

    return groups, [add(tuple(sorted(w))) for w in wanted]


def _pieces(
    ix: AtlasIndex, drawn: Sequence[PainMark], rows: Sequence[tuple[np.ndarray, np.ndarray]], groups: list[Group]
) -> Pieces:
    chosen = [(g, i) for g, spec in enumerate(groups) for i in spec.marks]
    if not chosen:
        empty = np.empty(0)
        return Pieces(np.empty(0, dtype=np.int64), empty, empty, empty)
    counts = [len(rows[i][0]) for _g, i in chosen]
    group = np.repeat([g for g, _i in chosen], counts)
    weight = np.repeat([scoring.intensity_weight(drawn[i].intensity) for _g, i in chosen], counts)
    start = np.concatenate([rows[i][0] for _g, i in chosen])
    end = np.concatenate([rows[i][1] for _g, i in chosen])
    return envelope(group, start, end, weight, ix.axis)


def _merge(into: Measured, part: Measured, groups: np.ndarray, families: Mapping[str, Family]) -> None:
    """Put ``part``'s rows (the ``groups``, in order) into ``into``, every family and its parts."""
    for name in families:
        if name in part.weighted:
            into.weighted[name][groups] = part.weighted[name]
        if name in part.plain and name in into.plain:
            into.plain[name][groups] = part.plain[name]
    into.dropped[groups] = part.dropped
    tg, label, weight = part.labels
    into.labels = (groups[tg], label, weight)
    into.flipped = frozenset(int(groups[g]) for g in part.flipped)


class Ranking:
    """Every group's terms computed at once (see the module docstring)."""

    def __init__(
        self,
        ix: AtlasIndex,
        drawn: Sequence[PainMark],
        rows: Sequence[tuple[np.ndarray, np.ndarray]],
        groups: list[Group],
        findings: Mapping[str, str],
        atoms: Atoms,
        wanted: Sequence[int] | None = None,
    ) -> None:
        """``wanted``: the groups whose results are read (all by default); the others are only the
        numbness, tingling and burning of a wanted group, and only their nerve terms are worked out."""
        self.ix, self.groups, self.drawn, self.rows = ix, groups, drawn, rows
        self.findings = dict(findings)
        self._pieces: dict[int, Pieces] = {}
        self._legacy: set[int] = set()  # groups measured from their merged pieces
        count = len(groups)
        self.atoms = split = atoms.of_groups(drawn, rows, [g.marks for g in groups])
        parts = [(g, a) for g, mine in enumerate(split) for a in mine]
        owner = np.array([g for g, _a in parts], dtype=np.int64)
        # a group painting more than half of a view is measured through what it leaves unpainted (from its
        # merged pieces, not its atoms); the others add up their atoms' sums
        views = len(VIEWS)
        painted: np.ndarray = np.zeros((count, views))
        if parts:
            cell = (owner[:, None] * views + np.arange(views)).ravel()
            painted = np.bincount(cell, np.concatenate([a.painted for _g, a in parts]), count * views)
            painted = painted.reshape(count, views)
        flip = (painted > 0.5 * ix.raster.view_length[None, :]).any(axis=1)
        # the nerve atlas's territories are measured only for the groups of numbness, tingling and burning,
        # the trigger points' zones only for the groups whose results are read
        para = np.zeros(count, dtype=bool)
        para[[g.paresthesia for g in groups if g.paresthesia is not None]] = True
        read = np.ones(count, dtype=bool)
        if wanted is not None:
            read[:] = False
            read[list(wanted)] = True
        nerves = bool(para.any())
        # groups painting more than half a view are all measured now; otherwise the numbness, tingling and
        # burning only when their nerves are first read (_nerves)
        eager = read | para if flip.any() else read
        families = {"pain": ix.pain_families, "body": ix.body_families}
        only = {"pain": read, "body": eager}
        if nerves and flip.any():
            families |= ix.nerve_families
            only |= {name: para for name in ix.nerve_families}
        self._plain = ("zones", *ix.nerve_families, *(("regions",) if ix.nerves.slots else ()))
        plain = self._plain if nerves else ("zones",)
        self._para = para
        self._kept = atoms.kept
        direct = [g for g in np.flatnonzero(~flip).tolist() if eager[g]]
        self.measured = m = measure_atoms(ix.surfaces, families, split, direct, atoms.kept, plain, only)
        if flip.any():
            flipped = np.flatnonzero(flip)
            self._legacy = set(flipped.tolist())
            pieces = _pieces(ix, drawn, rows, [groups[g] for g in flipped.tolist()])
            for k, g in enumerate(flipped.tolist()):
                a, b, w = pieces.of(k)
                self._pieces[g] = Pieces(np.zeros(len(a), dtype=np.int64), a, b, w)
            sums = query(ix.raster, pieces, len(flipped), body=ix.body)
            local = {name: mask[flipped] for name, mask in only.items()}
            _merge(m, measure_sums(ix.surfaces, families, sums, len(flipped), plain, local), flipped, families)
        self._dropped = m.dropped
        self.total = m.weighted["total"].sum(axis=1)
        self.covered = m.weighted["covered"].sum(axis=1)
        # the trigger points' terms, for the groups read only (row r of these arrays is group read[r])
        chosen = np.flatnonzero(read)
        self._row = {int(g): r for r, g in enumerate(chosen)}
        safe = np.where(self.total > 0, self.total, 1.0)[chosen, None]
        # each trigger point's essential and spillover zones (one per view; the padding's column is empty)
        shares = m.weighted["pain"][chosen][:, ix.zone_columns].sum(axis=3) / safe[:, :, None]
        np.clip(shares, 0.0, 1.0, out=shares)
        self.essential, self.spillover = shares[:, 0], shares[:, 1]
        area = ix.essential_area_safe[None, :]
        painted_zone = m.plain["pain"][chosen][:, ix.zone_columns[0]].sum(axis=2)
        self.painted = np.where(ix.has_essential_area[None, :], np.minimum(1.0, painted_zone / area), 0.0)
        # pain drawn over a trigger point in some view
        self.over = np.zeros((len(chosen), len(ix.sided)), dtype=bool)
        mine = [(self._row[g], a) for g, a in parts if g in self._row]
        if mine:
            where = np.repeat([r for r, _a in mine], [len(a.over) for _r, a in mine])
            self.over[where, np.concatenate([a.over for _r, a in mine])] = True
        # the whole muscle's pattern (all its trigger points on that side)
        per_muscle = m.weighted["muscles"][chosen].reshape(len(chosen), ix.muscle_count, 2, -1).sum(axis=3)
        muscle = np.clip((per_muscle / safe[:, :, None])[:, ix.owner_muscle], 0.0, 1.0)
        self.muscle_essential, self.muscle_spillover = muscle[:, :, 0], muscle[:, :, 1]
        score = scoring.score(
            self.essential,
            self.spillover,
            self.painted,
            ix.prevalence_factor[None, :],
            self.muscle_essential,
            self.muscle_spillover,
        )
        factor, bonus = scoring.palpation_terms(self.findings, ix.index_of, len(ix.sided))
        self.score = score * factor[None, :] + bonus[None, :]
        self.chosen = (self.essential > 1e-9) | (self.spillover > 1e-9) | self.over
        self._nerve_terms: tuple[NerveTerms, np.ndarray] | None = None
        if nerves and flip.any():
            self._nerve_terms = (NerveTerms(ix.nerves, m, self.total), self.total)

    def _nerves(self) -> tuple[NerveTerms, np.ndarray] | None:
        """The nerve terms of the groups of numbness, tingling and burning, and their totals (measured once)."""
        if self._nerve_terms is None and self._para.any():
            ix, para = self.ix, np.flatnonzero(self._para).tolist()
            families = {"body": ix.body_families, **ix.nerve_families}
            m = measure_atoms(ix.surfaces, families, self.atoms, para, self._kept, self._plain)
            total = m.weighted["total"].sum(axis=1)
            self._dropped = self._dropped.copy()
            self._dropped[para] = m.dropped[para]
            self._nerve_terms = (NerveTerms(ix.nerves, m, total), total)
        return self._nerve_terms

    def pieces(self, g: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Group ``g``'s marks merged: (start, end, weight) of its pieces on the axis, sorted."""
        if g not in self._pieces:
            self._pieces[g] = _pieces(self.ix, self.drawn, self.rows, [self.groups[g]])
        return self._pieces[g].of(0)

    def result(self, g: int) -> LookupResult:
        total = float(self.total[g])
        if total <= 0:
            return LookupResult(CandidateList(0, _none), 0.0, 0.0)
        ix = self.ix
        r = self._row[g]
        sel = np.flatnonzero(self.chosen[r])
        order: list[np.ndarray] = []

        def ranked() -> np.ndarray:
            if not order:
                order.append(sel[np.lexsort((ix.key_order[sel], -np.round(self.score[r, sel], 9)))])
            return order[0]

        def make(rank: int) -> Candidate:
            return self._candidate(g, int(ranked()[rank]))

        return LookupResult(
            CandidateList(len(sel), make),
            total,
            max(0.0, 1.0 - float(self.covered[g]) / total),
            lambda: self._nerve_findings(g, ranked()),
            lambda: self._combination(g, total, ranked()),
            lambda: self._unexplained(g),
        )

    def _candidate(self, g: int, i: int) -> Candidate:
        key, muscle, muscle_name, trp, trp_label, side, prevalence, prevalence_factor, rule_out = self.ix.about[i]
        g = self._row[g]  # the row of the group's terms
        painted = float(self.painted[g, i])
        # the pattern factor of scoring.pattern_factor, in plain floats (the same arithmetic)
        pattern = scoring.PATTERN_FLOOR + (1 - scoring.PATTERN_FLOOR) * min(1.0, painted / scoring.PATTERN_DRAWN)
        return Candidate(
            key,
            muscle,
            muscle_name,
            trp,
            trp_label,
            side,
            float(self.score[g, i]),
            float(self.essential[g, i]),
            float(self.spillover[g, i]),
            painted,
            pattern,
            float(self.muscle_essential[g, i]) + scoring.SPILLOVER_WEIGHT * float(self.muscle_spillover[g, i]),
            prevalence,
            prevalence_factor,
            bool(self.over[g, i]),
            self.findings.get(key),
            rule_out,
        )

    def _nerve_findings(self, g: int, ranked: np.ndarray) -> NerveFindings:
        """The nerves, dermatomes and entrapment sites for group ``g``'s numbness, tingling and burning."""
        p = self.groups[g].paresthesia
        found = self._nerves() if p is not None else None
        if p is None or found is None or found[1][p] <= 0:
            return NerveFindings()
        terms = found[0]
        position = np.zeros(len(self.ix.sided), dtype=np.int64)
        position[ranked] = np.arange(1, len(ranked) + 1)
        qualities = [self.drawn[i].quality for i in self.groups[p].marks]
        word = max(sorted(set(qualities)), key=qualities.count)

        def explain(found: NerveFindings) -> Differential | None:
            labels, weights = self._labels(p)
            return differential(self.ix, found, labels, weights, word)

        return terms.findings(p, position, explain)

    def _labels(self, g: int) -> tuple[np.ndarray, np.ndarray]:
        """Group ``g``'s painted labels and their weighted areas (measured again if the pass used the complement)."""
        m = self.measured
        if g in m.flipped:
            a, b, w = self.pieces(g)
            one = Pieces(np.zeros(len(a), dtype=np.int64), a, b, w)
            _g, label, weight = measure(self.ix.raster, self.ix.surfaces, {}, one, 1, direct_only=True).labels
            return label, weight
        if g in self._legacy:
            tg, label, weight = m.labels
            mine = tg == g
            return label[mine], weight[mine]
        label, weight, _plain = labels_of(self.atoms[g])
        region = self.ix.surfaces.label_region[label]
        keep = ~((region >= 0) & self._dropped[g, np.maximum(region, 0)])
        return label[keep], weight[keep]

    def _combination(self, g: int, total: float, ranked: np.ndarray) -> tuple[list[str], float]:
        """Greedy set cover: add the trigger point explaining the most pain not yet explained.

        Each label painted is a piece of pain that the trigger points whose
        zones cover it would explain.
        """
        ix = self.ix
        pool = ranked[:COMBINATION_POOL]
        if not len(pool):
            return [], 0.0
        atoms, atom_weight = self._labels(g)
        where, zone = ix.raster.members["zones"].expand(atoms)
        in_pool = np.full(len(ix.sided), -1)
        in_pool[pool] = np.arange(len(pool))
        slot = in_pool[ix.zone_owner[zone]]
        keep = slot >= 0
        link = np.unique(where[keep] * len(pool) + slot[keep])
        atom_of, slot = link // len(pool), link % len(pool)
        open_ = np.ones(len(atoms), dtype=bool)
        picks: list[str] = []
        done = 0.0
        while done < COMBINATION_TARGET * total and len(picks) < COMBINATION_MAX:
            live = open_[atom_of]
            gain = np.bincount(slot[live], weights=atom_weight[atom_of[live]], minlength=len(pool))
            best = int(np.argmax(gain))  # ties go to the better-ranked candidate
            if gain[best] < 0.005 * total:
                break
            picks.append(ix.keys[int(pool[best])])
            done += float(gain[best])
            open_[atom_of[slot == best]] = False
        return picks, min(1.0, done / total)

    def _unexplained(self, g: int) -> dict[str, BaseGeometry]:
        """The pain under no zone, as polygons (row strips of the raster, merged)."""
        ix, raster = self.ix, self.ix.raster
        a, b, _w = self.pieces(g)
        _which, label, start, length = raster.pieces(a, b)
        region = ix.surfaces.label_region[label]
        dropped = self.measured.dropped[g][np.maximum(region, 0)] & (region >= 0)
        bare = ~ix.has_zone[label] & ~dropped & (length > 0)
        if not bare.any():
            return {}
        start, length = start[bare], length[bare]
        views = raster.view_at(start)
        out: dict[str, BaseGeometry] = {}
        for vi in np.unique(views).tolist():
            grid = raster.grids[VIEWS[vi]]
            here = views == vi
            rows, x0 = grid.to_view(start[here])
            y = grid.y0 + rows * grid.step
            merged = shapely.union_all(shapely.box(x0, y, x0 + length[here], y + grid.step))
            if merged.area > 0.5:
                out[VIEWS[vi]] = shapely.simplify(merged, grid.step / 4)
        return out


def _none(_i: int) -> Candidate:
    raise IndexError("no candidates")
