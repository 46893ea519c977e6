"""The nerve atlas laid on the lookup's raster: skin territories as one more family, and what a ranking reads.

A *territory* is skin a nerve problem would numb: each peripheral nerve's
whole territory (its own skin and all its branches'), each dermatome, on
each side; and, for an entrapment site that spares branches (the carpal
tunnel spares the thenar skin, Guyon's canal the back of the hand), the
skin a compression there affects. Every territory is one item per view of
the raster's ``nerves`` family (:mod:`.raster`), so measuring a drawing gives
the numbness, tingling and burning inside each, weighted and plain, with a
body surface counted once, in the same pass as the trigger points' zones.

Every sided entrapment site points to the territory a compression there
affects; a site on a nerve with no skin (a motor nerve) has none. A muscle's
``[[entrapment]]`` the nerve atlas cannot score by a territory (no
``nerve_id``, or a motor nerve) keeps the older measure: the chart regions
where the muscle's file says its symptoms are felt (a *slot*).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from shapely.geometry.base import BaseGeometry

from nmt_bodymap.atlas import Atlas, Muscle
from nmt_bodymap.chart import VIEWS
from nmt_bodymap.lookup import raster as rst
from nmt_bodymap.lookup.measure import Family
from nmt_bodymap.nerves import NerveAtlas, SidedNerve, SidedSite

FAMILY = "nerves"
_NONE = np.empty(0, dtype=np.int64)


@dataclass(frozen=True)
class Territory:
    """Skin a nerve problem would numb: a nerve's or a dermatome's whole territory, or a site's affected skin."""

    sided: SidedNerve
    site: SidedSite | None  # the site whose spared branches make it differ from the nerve's
    area: float  # mm², each body surface counted once

    @property
    def kind(self) -> str:
        """``peripheral``, ``dermatome`` or ``site``."""
        return "site" if self.site is not None else self.sided.nerve.kind


@dataclass(frozen=True)
class SiteEntry:
    """One entrapment site on one side, and how a ranking scores it."""

    site: SidedSite
    territory: int  # the skin a compression there affects (an index into territories), -1 for none
    slot: int  # a slot scoring it by the muscle's regions when it has no territory, else -1


@dataclass(frozen=True)
class Slot:
    """A muscle's entrapment scored by the chart regions its file names (see the module docstring)."""

    muscle: Muscle
    entrapment: int  # index into the muscle's entrapments
    side: str
    regions: np.ndarray  # region items where its symptoms are felt
    area: float  # mm² of those regions, each body surface counted once


class NerveIndex:
    """The nerve atlas's territories, sites and slots, and their items on the raster."""

    def __init__(self, nerves: NerveAtlas, atlas: Atlas) -> None:
        self.nerves = nerves
        self.atlas = atlas
        self.territories: list[Territory] = []
        views: list[str] = []
        geoms: list[BaseGeometry] = []
        owner: list[int] = []

        def add(territory: Territory, parts: dict[str, BaseGeometry]) -> int:
            k = len(self.territories)
            self.territories.append(territory)
            for view in VIEWS:
                geom = parts.get(view)
                if geom is not None and not geom.is_empty:
                    views.append(view)
                    geoms.append(geom)
                    owner.append(k)
            return k

        #: Sided nerve key ("median:right") -> its territory.
        self.territory_of: dict[str, int] = {}
        for sided in nerves.sided:
            if any(not g.is_empty for g in sided.territory.values()):
                self.territory_of[sided.key] = add(Territory(sided, None, sided.area), sided.territory)
        self.sites: list[SiteEntry] = []
        site_keys: dict[str, int] = {}
        pending: list[tuple[int, SidedSite]] = []
        for sided in nerves.sided:
            for site in sided.sites:
                if not any(not g.is_empty for g in site.territory.values()):
                    territory = -1
                elif site.site.spares:
                    territory = add(Territory(sided, site, self._affected_area(site)), site.territory)
                else:
                    territory = self.territory_of[sided.key]
                site_keys[site.key] = len(self.sites)
                self.sites.append(SiteEntry(site, territory, -1))
                if territory < 0:
                    pending.append((len(self.sites) - 1, site))
        #: The territories that are nerves' or dermatomes' (not a site's), in order; which are dermatomes;
        #: each territory's place in the order of the sided keys (ties in a list go by it).
        self.nerve_territories = np.array(sorted(self.territory_of.values()), dtype=np.int64)
        self.nerve_is_dermatome = np.array(
            [self.territories[t].sided.nerve.kind == "dermatome" for t in self.nerve_territories], dtype=bool
        )
        keys = [f"{t.sided.key}/{t.site.site.id if t.site else ''}" for t in self.territories]
        self.key_rank = np.argsort(np.argsort(np.array(keys, dtype=object))).astype(np.int64)
        self.item_views = tuple(views)
        self.item_geoms = tuple(geoms)
        self.item_territory = np.array(owner, dtype=np.int64)
        self.area = np.array([t.area for t in self.territories], dtype=float)
        self._site_keys = site_keys
        self._pending = pending
        self.slots: list[Slot] = []
        self._overlap: np.ndarray | None = None
        #: Per sided nerve key: its sites and its ancestors' (same side) whose affected skin includes its
        #: skin (a site sparing the nerve, or a branch it comes from, is not one of them), nearest first.
        self.sites_above: dict[str, list[int]] = {}
        for sided in nerves.sided:
            chain = [sided.nerve.id, *nerves.ancestors(sided.nerve.id)]
            self.sites_above[sided.key] = [
                site_keys[f"{nid}/{s.id}:{sided.side}"]
                for nid in chain
                for s in nerves.nerve(nid).sites
                if f"{nid}/{s.id}:{sided.side}" in site_keys and not set(s.spares) & set(chain)
            ]

    def _affected_area(self, site: SidedSite) -> float:
        """The area of a site's affected skin: the nerve's and its branches' own skin, less the spared branches'."""
        nerves = self.nerves
        spared = {b for s in site.site.spares for b in [s, *nerves.descendants(s)]}
        lineage = [site.nerve.id, *nerves.descendants(site.nerve.id)]
        return round(sum(nerves.nerve(n).own_area for n in lineage if n not in spared), 2)

    @property
    def family(self) -> rst.Family | None:
        """The raster family of the territories (None when the nerve atlas draws no skin)."""
        return rst.Family(FAMILY, self.item_views, self.item_geoms) if self.item_geoms else None

    def attach(
        self,
        region_names: list[tuple[str, str]],
        region_ids: list[str],
        region_area: np.ndarray,
        trps_of: dict[tuple[str, str], np.ndarray],
    ) -> None:
        """Lay out the slots on the chart's regions (each region item's name, side, id and area), and
        link every entry to its muscle's sided trigger points (``trps_of``: (muscle, side) -> indices).

        An *entry* is what the entrapment list ranks: every site (entry ``k``
        is site ``k``), then every slot that is no site's.
        """
        by_name: dict[tuple[str, str], list[int]] = {}
        for k, key in enumerate(region_names):
            by_name.setdefault(key, []).append(k)
        sites_of_muscle: dict[tuple[str, str, str], int] = {}
        for k, site in self._pending:
            if site.site.muscle:
                sites_of_muscle[(site.site.muscle, f"{site.nerve.id}/{site.site.id}", site.side)] = k
        for muscle in self.atlas.muscles.values():
            for ei, ent in enumerate(muscle.entrapments):
                linked = bool(ent.nerve_id) and (f"{ent.nerve_id}/{ent.site_id}:right" in self._site_keys)
                for side in ["midline"] if muscle.midline else ["right", "left"]:
                    site_index = sites_of_muscle.get((muscle.id, f"{ent.nerve_id}/{ent.site_id}", side), -1)
                    if linked and site_index < 0:
                        continue  # the site's territory scores it
                    sides = ("left", "right") if side == "midline" else (side,)
                    found = [k for name in ent.regions for s in sides for k in by_name.get((name, s), [])]
                    if not found:
                        continue
                    best: dict[str, float] = {}
                    for k in found:
                        best[region_ids[k]] = max(best.get(region_ids[k], 0.0), float(region_area[k]))
                    slot = Slot(muscle, ei, side, np.array(sorted(found), dtype=np.int64), sum(best.values()))
                    if site_index >= 0:
                        entry = self.sites[site_index]
                        self.sites[site_index] = SiteEntry(entry.site, entry.territory, len(self.slots))
                    self.slots.append(slot)
        self.slot_of = np.repeat(np.arange(len(self.slots)), [len(s.regions) for s in self.slots]).astype(np.int64)
        self.slot_region = (
            np.concatenate([s.regions for s in self.slots]) if self.slots else np.empty(0, dtype=np.int64)
        )
        self.slot_area = np.array([s.area for s in self.slots], dtype=float)
        #: Slots of a site (the rest stand alone: muscles' entrapments outside the nerve atlas).
        self.slot_site = np.full(len(self.slots), -1, dtype=np.int64)
        for k, entry in enumerate(self.sites):
            if entry.slot >= 0:
                self.slot_site[entry.slot] = k
        self._link_entries(trps_of)

    def _link_entries(self, trps_of: dict[tuple[str, str], np.ndarray]) -> None:
        """Per entry: its territory, its slot, its muscle and that muscle's trigger points (arrays)."""
        alone = np.flatnonzero(self.slot_site < 0)
        #: Per entry: its territory and its slot (-1 for none), for scoring every entry at once.
        self.entry_territory = np.concatenate(
            [np.array([e.territory for e in self.sites], dtype=np.int64), np.full(len(alone), -1, dtype=np.int64)]
        )
        self.entry_slot = np.concatenate([np.array([e.slot for e in self.sites], dtype=np.int64), alone])
        muscles = [(e.site.site.muscle, e.site.side) for e in self.sites]
        muscles += [(self.slots[s].muscle.id, self.slots[s].side) for s in alone.tolist()]
        #: Per entry: does a muscle compress the nerve there; its muscle's trigger points (compressed rows).
        self.entry_muscle = np.array([bool(m) for m, _side in muscles], dtype=bool)
        trps = [trps_of.get((m, side), trps_of.get((m, "midline"), _NONE)) if m else _NONE for m, side in muscles]
        self.entry_trps_at = np.concatenate([[0], np.cumsum([len(t) for t in trps])]).astype(np.int64)
        self.entry_trps = np.concatenate([_NONE, *trps]).astype(np.int64)

    @property
    def territory_count(self) -> int:
        return len(self.territories)

    def region_overlap(self, family: Family, label_region: np.ndarray, regions: int) -> np.ndarray:
        """The area (mm²) each territory shares with each region item: (territories, regions), worked out once."""
        if self._overlap is None:
            region, item, area = family.region_area(label_region)
            overlap = np.zeros((self.territory_count, regions))
            np.add.at(overlap, (self.item_territory[item], region), area)
            self._overlap = overlap
        return self._overlap
