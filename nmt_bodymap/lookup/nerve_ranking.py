"""The nerve terms of one ranking pass: every territory and entrapment site scored for each group.

:class:`NerveTerms` turns what :mod:`.measure` found inside each item of the
``nerves`` family (and inside the chart's regions, for the entrapments
scored by regions) into per-group, per-territory shares and scores, in a few
array operations for every group at once. :meth:`NerveTerms.findings` puts
one group's :class:`~.nerve_result.NerveFindings` together when it is read.
The formula is :func:`.scoring.territory_score`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from nmt_bodymap.lookup import scoring
from nmt_bodymap.lookup.measure import Measured
from nmt_bodymap.lookup.nerve_index import FAMILY, NerveIndex
from nmt_bodymap.lookup.nerve_result import (
    Differential,
    EntrapmentCandidate,
    LazyList,
    NerveCandidate,
    NerveFindings,
)

MIN = scoring.MIN_EXPLAINED
BOOST = scoring.ENTRAPMENT_BOOST
#: Entrapment sites listed per group (``LookupResult.entrapments``), and under each nerve.
ENTRAPMENTS_LISTED = 12
SITES_PER_NERVE = 6


def _by_owner(values: np.ndarray, owner: np.ndarray, count: int) -> np.ndarray:
    """Sum the columns of ``values`` (groups, items) by their owner (``owner`` sorted, every owner present)."""
    if count == 0:
        return np.zeros((values.shape[0], 0))
    return np.add.reduceat(values, np.searchsorted(owner, np.arange(count)), axis=1)


class NerveTerms:
    """Per group and territory (and per slot): the share explained, the share painted, the score."""

    def __init__(self, nix: NerveIndex, measured: Measured, total: np.ndarray) -> None:
        self.nix = nix
        groups, count = len(total), nix.territory_count
        safe = np.where(total > 0, total, 1.0)[:, None]
        if count and FAMILY in measured.weighted:
            weighted = _by_owner(measured.weighted[FAMILY], nix.item_territory, count)
            plain = _by_owner(measured.plain[FAMILY], nix.item_territory, count)
        else:
            weighted = plain = np.zeros((groups, count))
        area = np.where(nix.area > 0, nix.area, np.inf)[None, :]
        self.explains = np.clip(weighted / safe, 0.0, 1.0)
        self.painted = np.clip(plain / area, 0.0, 1.0)
        self.score = scoring.territory_score(self.explains, self.painted)
        slots = len(nix.slots)
        if slots and "regions" in measured.plain:
            columns = nix.slot_region
            slot_w = _by_owner(measured.weighted["regions"][:, columns], nix.slot_of, slots)
            slot_p = _by_owner(measured.plain["regions"][:, columns], nix.slot_of, slots)
        else:
            slot_w = slot_p = np.zeros((groups, slots))
        slot_area = np.where(nix.slot_area > 0, nix.slot_area, np.inf)[None, :]
        self.slot_explains = np.clip(slot_w / safe, 0.0, 1.0)
        self.slot_painted = np.clip(slot_p / slot_area, 0.0, 1.0)
        self.slot_score = scoring.territory_score(self.slot_explains, self.slot_painted)

    def findings(
        self,
        g: int,
        position: np.ndarray,
        differential: Callable[[NerveFindings], Differential | None] | None = None,
    ) -> NerveFindings:
        """Group ``g``'s nerves, dermatomes and entrapment sites, best first.

        ``position``: where each sided trigger point ranks for the drawing
        (1-based, 0 when it does not). ``differential`` works out the sentence
        from the findings, when it is read. Every entry is scored at once;
        candidates are built only when read.
        """
        nix = self.nix
        share, painted, score = self._entries(g)
        listed = np.flatnonzero(share >= MIN)
        rank = _muscle_ranks(nix, listed, position)
        boosted = score[listed] * np.where((rank > 0) & (rank <= scoring.ENTRAPMENT_BOOST_RANK), BOOST, 1.0)
        # alike scores: a site where a muscle compresses the nerve first, then the nerve file's order
        order = np.lexsort((listed, ~nix.entry_muscle[listed], -np.round(boosted, 9)))
        place = {int(k): int(i) for i, k in enumerate(listed[order])}
        built: dict[int, EntrapmentCandidate] = {}

        def entry(i: int) -> EntrapmentCandidate:
            """The ``i``-th listed entry, best first."""
            if i not in built:
                j = int(order[i])
                k = int(listed[j])
                built[i] = self._entry(k, float(share[k]), float(painted[k]), float(boosted[j]), int(rank[j]))
            return built[i]

        def nerve(t: int) -> NerveCandidate:
            sided = nix.territories[t].sided
            found = sorted(place[k] for k in nix.sites_above.get(sided.key, []) if k in place)
            n = sided.nerve
            sites = tuple(entry(i) for i in found[:SITES_PER_NERVE])
            explains, fill = float(self.explains[g, t]), float(self.painted[g, t])
            return NerveCandidate(
                n.id, n.name, n.kind, sided.side, float(self.score[g, t]), explains, fill, n.levels, sites, n.key_point
            )

        def best_nerves(dermatome: bool) -> LazyList[NerveCandidate]:
            chosen = nix.nerve_territories[nix.nerve_is_dermatome == dermatome]
            chosen = chosen[self.explains[g, chosen] >= MIN]
            ranked = chosen[np.lexsort((nix.key_rank[chosen], -np.round(self.score[g, chosen], 9)))]
            return LazyList(len(ranked), lambda i: nerve(int(ranked[i])))

        lists = [best_nerves(False), best_nerves(True)]
        found = NerveFindings(
            lists[0], lists[1], lambda: [entry(i) for i in range(min(len(listed), ENTRAPMENTS_LISTED))]
        )
        if differential is not None:
            found.find_differential = lambda: differential(found)
        return found

    def _entries(self, g: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every entry's share of the paresthesia, share of its skin (or regions) painted, and score."""
        nix = self.nix
        count = len(nix.entry_territory)
        share, painted, score = np.zeros(count), np.zeros(count), np.zeros(count)
        t, s = nix.entry_territory, nix.entry_slot
        on_t = t >= 0
        on_s = (s >= 0) & ~on_t
        for out, by_territory, by_slot in (
            (share, self.explains, self.slot_explains),
            (painted, self.painted, self.slot_painted),
            (score, self.score, self.slot_score),
        ):
            out[on_t] = by_territory[g, t[on_t]]
            out[on_s] = by_slot[g, s[on_s]]
        return share, painted, score

    def _entry(self, k: int, share: float, painted: float, score: float, rank: int) -> EntrapmentCandidate:
        """Entry ``k``: a site of the nerve atlas, or a muscle's entrapment outside it."""
        nix = self.nix
        muscle_rank = rank if rank > 0 else None
        if k >= len(nix.sites):
            slot = nix.slots[int(nix.entry_slot[k])]
            ent = slot.muscle.entrapments[slot.entrapment]
            return EntrapmentCandidate(
                slot.muscle.id,
                slot.muscle.name,
                ent.nerve,
                ent.site,
                ent.symptoms,
                slot.side,
                score,
                share,
                muscle_rank,
                territory_painted=painted,
                by_regions=True,
            )
        sided = nix.sites[k].site
        site, nerve = sided.site, sided.nerve
        muscle = nix.atlas.muscles.get(site.muscle) if site.muscle else None
        return EntrapmentCandidate(
            site.muscle,
            muscle.name if muscle is not None else site.name,
            nerve.name,
            site.name,
            site.felt,
            sided.side,
            score,
            share,
            muscle_rank,
            nerve.id,
            site.id,
            site.landmark,
            site.test,
            site.structure,
            painted,
            nix.entry_territory[k] < 0,
        )


def _muscle_ranks(nix: NerveIndex, entries: np.ndarray, position: np.ndarray) -> np.ndarray:
    """Per entry, where its muscle's best trigger point ranks (0: no muscle, or not ranked)."""
    if not len(entries):
        return np.zeros(0, dtype=np.int64)
    start, stop = nix.entry_trps_at[entries], nix.entry_trps_at[entries + 1]
    count = stop - start
    which = np.repeat(np.arange(len(entries)), count)
    trp = nix.entry_trps[np.repeat(start, count) + np.arange(len(which)) - np.repeat(np.cumsum(count) - count, count)]
    ranks = position[trp]
    best = np.full(len(entries), np.iinfo(np.int64).max)
    np.minimum.at(best, which[ranks > 0], ranks[ranks > 0])
    return np.where(best == np.iinfo(np.int64).max, 0, best)
