"""The atlas and the chart laid on the scanline raster, with everything a ranking looks up.

Built once per engine: the raster with three families, the trigger points'
referral zones, the chart's regions and the nerve atlas's skin territories
(:mod:`.raster`, cached on disk); how each zone belongs to its sided trigger
point; which body surface each region is; where each trigger point lies on
the raster; and the nerve atlas's territories and entrapment sites
(:mod:`.nerve_index`).
"""

from __future__ import annotations

import numpy as np

from nmt_bodymap.atlas import Atlas, SidedTriggerPoint
from nmt_bodymap.chart import VIEWS, Chart
from nmt_bodymap.lookup import raster as rst
from nmt_bodymap.lookup import scoring
from nmt_bodymap.lookup.footprint import BodyCells
from nmt_bodymap.lookup.measure import Family, Surfaces
from nmt_bodymap.lookup.nerve_index import FAMILY as NERVE_FAMILY
from nmt_bodymap.lookup.nerve_index import NerveIndex
from nmt_bodymap.lookup.raster import Members
from nmt_bodymap.lookup.scanline import intervals
from nmt_bodymap.nerves import NerveAtlas


def _by_owner(n: int, owner: np.ndarray, chosen: np.ndarray, pad: int, width: int = 1) -> np.ndarray:
    """Per sided trigger point, the indices of its chosen zones (one per view), padded with ``pad`` to at
    least ``width`` columns."""
    idx = np.flatnonzero(chosen)
    lists: list[list[int]] = [[] for _ in range(n)]
    for z, o in zip(idx.tolist(), owner[idx].tolist(), strict=True):
        lists[o].append(z)
    width = max([width, *(len(x) for x in lists)])
    return np.array([x + [pad] * (width - len(x)) for x in lists], dtype=np.int64).reshape(n, width)


def _zone_width(n: int, owner: np.ndarray, essential: np.ndarray) -> int:
    """The most zones of one kind (essential or spillover) any one sided trigger point has."""
    counts = [np.bincount(owner[kind], minlength=n) for kind in (essential, ~essential)]
    return max(1, *(int(c.max(initial=0)) for c in counts))


class AtlasIndex:
    """What the engine precomputes from an atlas and a chart."""

    def __init__(self, atlas: Atlas, chart: Chart, nerves: NerveAtlas, step: float = rst.DEFAULT_STEP_MM) -> None:
        self.atlas = atlas
        self.chart = chart
        self.sided: list[SidedTriggerPoint] = list(atlas.sided)
        self.keys = [s.key for s in self.sided]
        self.index_of = {k: i for i, k in enumerate(self.keys)}
        n = len(self.sided)

        zone_view, zone_geom, zone_owner, zone_essential = [], [], [], []
        for i, s in enumerate(self.sided):
            for geoms, essential in ((s.essential, True), (s.spillover, False)):
                for v in VIEWS:
                    if v in geoms and not geoms[v].is_empty:
                        zone_view.append(v)
                        zone_geom.append(geoms[v])
                        zone_owner.append(i)
                        zone_essential.append(essential)
        region_view, region_geom, region_id = [], [], []
        #: (region name, side) of each region item.
        self.region_names: list[tuple[str, str]] = []
        for v in VIEWS:
            for region in chart.view(v).regions.values():
                region_view.append(v)
                region_geom.append(region.geometry)
                region_id.append(region.id)
                self.region_names.append((region.name, region.side))
        #: Each region item's outline.
        self.region_geoms = region_geom
        self.region_geoms_array = np.array(region_geom, dtype=object)
        self.nerves = NerveIndex(nerves, atlas)
        families = [
            rst.Family("zones", tuple(zone_view), tuple(zone_geom)),
            rst.Family("regions", tuple(region_view), tuple(region_geom)),
        ]
        nerve_family = self.nerves.family
        if nerve_family is not None:
            families.append(nerve_family)
        self.raster_families = families
        self.raster = r = rst.load_or_build(chart, families, step)
        self.zone_owner = np.array(zone_owner, dtype=np.int64)
        self.zone_essential = np.array(zone_essential, dtype=bool)
        # both kinds padded to one width, so that they stack into one table of columns
        width = _zone_width(n, self.zone_owner, self.zone_essential)
        self.essential_zones = _by_owner(n, self.zone_owner, self.zone_essential, len(zone_owner), width)
        self.spillover_zones = _by_owner(n, self.zone_owner, ~self.zone_essential, len(zone_owner), width)

        regions = r.members["regions"]
        # one region per label (the first; regions overlap only in slivers)
        first = regions.items[np.minimum(regions.indptr[:-1], max(len(regions.items) - 1, 0))]
        label_region = np.where(np.diff(regions.indptr) > 0, first, -1).astype(np.int64)
        label_view = r.label_view.astype(np.int64)
        region_view_index = np.array([VIEWS.index(v) for v in region_view], dtype=np.int64)
        self.has_zone = r.members["zones"].any()
        on_body = self.has_zone | (label_region >= 0)
        per_view = np.arange(len(VIEWS))
        self.families = {
            "zones": Family(r, r.members["zones"], np.array([VIEWS.index(v) for v in zone_view], dtype=np.int64)),
            "regions": Family(r, label_region, region_view_index),
            "total": Family(r, np.where(on_body, label_view, -1), per_view),
            "covered": Family(r, np.where(self.has_zone, label_view, -1), per_view),
        }
        # each muscle's trigger points on one side together: their essential zones united, and their
        # spillover zones beyond them (one item per muscle, side, kind and view)
        muscle_side = [f"{s.muscle.id}:{s.side}" for s in self.sided]
        _names, self.owner_muscle = np.unique(np.array(muscle_side, dtype=object), return_inverse=True)
        self.muscle_count = len(_names)
        #: (muscle id, side) -> its sided trigger points (indices).
        by_muscle: dict[tuple[str, str], list[int]] = {}
        for i, s in enumerate(self.sided):
            by_muscle.setdefault((s.muscle.id, s.side), []).append(i)
        self.trps_of = {key: np.array(items, dtype=np.int64) for key, items in by_muscle.items()}
        self.families["muscles"] = Family(r, self._muscle_members(label_view), np.tile(per_view, 2 * self.muscle_count))
        covered = {"covered": self.families["covered"]}
        self.surfaces = Surfaces(r, label_region, region_id, region_view_index.tolist())
        #: The families above in two tables, each summed in one pass: what scoring the trigger points
        #: reads, and what every group reads (its regions and its total).
        pad = Family(r, np.full(r.label_count, -1, dtype=np.int64), np.zeros(1, dtype=np.int64))  # never painted
        self.pain_families = Family.joint(
            r, {"zones": self.families["zones"], "pad": pad, "muscles": self.families["muscles"], **covered}
        )
        #: Per sided trigger point, its essential (0) and spillover (1) zones' columns of the pain families,
        #: padded with the empty column.
        self.zone_columns = np.stack([self.essential_zones, self.spillover_zones])
        self.body_families = Family.joint(r, {k: self.families[k] for k in ("regions", "total")})
        #: The families measured only for numbness, tingling and burning.
        self.nerve_families: dict[str, Family] = {}
        if nerve_family is not None:
            item_view = np.array([VIEWS.index(v) for v in nerve_family.views], dtype=np.int64)
            self.nerve_families[NERVE_FAMILY] = Family(r, r.members[NERVE_FAMILY], item_view)
        self.nerves.attach(self.region_names, region_id, self.surfaces.area, self.trps_of)
        surface_index = {sid: k for k, sid in enumerate(dict.fromkeys(region_id))}
        surface_of_region = np.array([surface_index[s] for s in region_id], dtype=np.int64)
        self.cells = BodyCells.build(r.grids, label_region, r.label_at, self.region_names, surface_of_region)
        self.axis = max(g.end for g in r.grids.values()) + 1.0  # groups of marks are laid end to end on it
        # each view's body as row intervals: a view painted all over is measured through what is not painted
        grids = [r.grids[v] for v in VIEWS]
        owner, b_start, b_end = intervals(grids, np.arange(len(VIEWS)), [chart.view(v).silhouette for v in VIEWS])
        self.body = {vi: (b_start[owner == vi], b_end[owner == vi]) for vi in range(len(VIEWS))}

        # trigger point positions on the global axis, to tell pain drawn over them
        trp_g, trp_owner = [], []
        for i, s in enumerate(self.sided):
            for v, p in s.points.items():
                grid = r.grids[v]
                row = np.floor((p.y - grid.y0) / grid.step)
                if 0 <= row < grid.rows:
                    trp_g.append(float(grid.to_global(np.array([row]), np.array([p.x]))[0]))
                    trp_owner.append(i)
        order = np.argsort(trp_g)
        self.trp_g = np.array(trp_g)[order]
        self.trp_owner = np.array(trp_owner, dtype=np.int64)[order]

        self.essential_area = np.array([s.essential_area for s in self.sided], dtype=float)
        self.has_essential_area = self.essential_area > 0
        self.essential_area_safe = np.where(self.has_essential_area, self.essential_area, 1.0)
        self.prevalence = [s.trp.prevalence or scoring.DEFAULT_PREVALENCE for s in self.sided]
        self.prevalence_factor = np.array([scoring.prevalence_factor(p) for p in self.prevalence])
        self.key_order = np.argsort(np.argsort(np.array(self.keys, dtype=object))) if n else np.empty(0, np.int64)
        #: Per sided trigger point, what its candidate says of it whatever the drawing: key, muscle id and
        #: name, trigger point id and label, side, prevalence and its factor, rule-out lines.
        self.about = [
            (
                s.key,
                s.muscle.id,
                s.muscle.name,
                s.trp.id,
                s.trp.label,
                s.side,
                self.prevalence[i],
                float(self.prevalence_factor[i]),
                tuple(s.muscle.rule_out),
            )
            for i, s in enumerate(self.sided)
        ]

    def _muscle_members(self, label_view: np.ndarray) -> Members:
        """Per label, the (muscle, side) whose trigger points' zones cover it: essential where any essential zone does."""
        r = self.raster
        labels = np.arange(r.label_count)
        where, zone = r.members["zones"].expand(labels)
        muscle = self.owner_muscle[self.zone_owner[zone]]
        spill = (~self.zone_essential[zone]).astype(np.int64)
        # per (label, muscle) the smallest kind: 0 (essential) wins over 1 (spillover)
        key = np.sort((where * self.muscle_count + muscle) * 2 + spill)
        pair, kind = key // 2, key % 2
        first = np.append(True, pair[1:] != pair[:-1])  # sorted: the essential kind comes first
        pair, kind = pair[first], kind[first]
        label, muscle = pair // self.muscle_count, pair % self.muscle_count
        items = ((muscle * 2 + kind) * len(VIEWS) + label_view[label]).astype(np.int32)
        indptr = np.searchsorted(label, np.arange(r.label_count + 1)).astype(np.int32)
        return Members(indptr, items)
