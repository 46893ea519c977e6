"""The nerve terms of one ranking pass: every territory and entrapment site scored for each group.

:class:`NerveTerms` turns what :mod:`.measure` found inside each item of the
``nerves`` family (and inside the chart's regions, for the entrapments
scored by regions) into per-group, per-territory shares and scores, in a few
array operations for every group at once. :meth:`NerveTerms.findings` puts
one group's :class:`~.nerve_result.NerveFindings` together when it is read.
The formula is :func:`.scoring.territory_score`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from nmt_bodymap.lookup import scoring
from nmt_bodymap.lookup.measure import Measured
from nmt_bodymap.lookup.nerve_index import FAMILY, NerveIndex, SiteEntry, Slot
from nmt_bodymap.lookup.nerve_result import Differential, EntrapmentCandidate, NerveCandidate, NerveFindings


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
        muscle_rank: Mapping[tuple[str, str], int],
        differential: Callable[[NerveFindings], Differential | None] | None = None,
    ) -> NerveFindings:
        """Group ``g``'s nerves, dermatomes and entrapment sites, best first.

        ``muscle_rank``: (muscle id, side) -> where the muscle's best trigger
        point ranks for the drawing (1-based).
        ``differential`` works out the sentence from the findings, when it is
        read.
        """
        nix = self.nix
        built: dict[int, EntrapmentCandidate | None] = {}

        def site(k: int) -> EntrapmentCandidate | None:
            if k not in built:
                built[k] = self._site(g, nix.sites[k], muscle_rank)
            return built[k]

        def best_first(found: list[tuple[int, EntrapmentCandidate | None]]) -> list[EntrapmentCandidate]:
            # alike scores: a site where a muscle compresses the nerve first, then the nerve file's order
            kept = [(k, e) for k, e in found if e is not None]
            return [e for _k, e in sorted(kept, key=lambda p: (-round(p[1].score, 9), not p[1].muscle, p[0]))]

        nerves: list[NerveCandidate] = []
        dermatomes: list[NerveCandidate] = []
        for key, t in nix.territory_of.items():
            share = float(self.explains[g, t])
            if share < scoring.MIN_EXPLAINED:
                continue
            sided = nix.territories[t].sided
            nerve = sided.nerve
            sites: list[EntrapmentCandidate] = []
            if nerve.kind == "peripheral":
                sites = best_first([(k, site(k)) for k in nix.sites_above.get(key, [])])
            candidate = NerveCandidate(
                nerve.id,
                nerve.name,
                nerve.kind,
                sided.side,
                float(self.score[g, t]),
                share,
                float(self.painted[g, t]),
                nerve.levels,
                tuple(sites),
                nerve.key_point,
            )
            (dermatomes if nerve.kind == "dermatome" else nerves).append(candidate)
        rank = lambda n: (-round(n.score, 9), n.key)  # noqa: E731
        nerves.sort(key=rank)
        dermatomes.sort(key=rank)
        alone = np.flatnonzero(nix.slot_site < 0).tolist()
        entrapments = best_first(
            [(k, site(k)) for k in range(len(nix.sites))]
            + [(len(nix.sites) + s, self._slot(g, s, nix.slots[s], muscle_rank)) for s in alone]
        )
        found = NerveFindings(nerves, dermatomes, entrapments)
        if differential is not None:
            found.find_differential = lambda: differential(found)
        return found

    def _site(
        self, g: int, entry: SiteEntry, muscle_rank: Mapping[tuple[str, str], int]
    ) -> EntrapmentCandidate | None:
        if entry.territory >= 0:
            share, painted = float(self.explains[g, entry.territory]), float(self.painted[g, entry.territory])
            score = float(self.score[g, entry.territory])
        elif entry.slot >= 0:
            share, painted = float(self.slot_explains[g, entry.slot]), float(self.slot_painted[g, entry.slot])
            score = float(self.slot_score[g, entry.slot])
        else:
            return None
        if share < scoring.MIN_EXPLAINED:
            return None
        site, nerve = entry.site.site, entry.site.nerve
        muscle = self.nix.atlas.muscles.get(site.muscle) if site.muscle else None
        rank = _rank(muscle_rank, site.muscle, entry.site.side)
        return EntrapmentCandidate(
            site.muscle,
            muscle.name if muscle is not None else site.name,
            nerve.name,
            site.name,
            site.felt,
            entry.site.side,
            score * _boost(rank),
            share,
            rank,
            nerve.id,
            site.id,
            site.landmark,
            site.test,
            site.structure,
            painted,
            entry.territory < 0,
        )

    def _slot(
        self, g: int, s: int, slot: Slot, muscle_rank: Mapping[tuple[str, str], int]
    ) -> EntrapmentCandidate | None:
        share = float(self.slot_explains[g, s])
        if share < scoring.MIN_EXPLAINED:
            return None
        ent = slot.muscle.entrapments[slot.entrapment]
        rank = _rank(muscle_rank, slot.muscle.id, slot.side)
        return EntrapmentCandidate(
            slot.muscle.id,
            slot.muscle.name,
            ent.nerve,
            ent.site,
            ent.symptoms,
            slot.side,
            float(self.slot_score[g, s]) * _boost(rank),
            share,
            rank,
            territory_painted=float(self.slot_painted[g, s]),
            by_regions=True,
        )


def _rank(muscle_rank: Mapping[tuple[str, str], int], muscle: str, side: str) -> int | None:
    if not muscle:
        return None
    found = muscle_rank.get((muscle, side))
    return found if found is not None else muscle_rank.get((muscle, "midline"))


def _boost(rank: int | None) -> float:
    return scoring.ENTRAPMENT_BOOST if rank is not None and rank <= scoring.ENTRAPMENT_BOOST_RANK else 1.0
