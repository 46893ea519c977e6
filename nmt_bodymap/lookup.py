"""Reverse lookup: which trigger points explain a pain drawing, and why.

Every sided trigger point in the atlas is scored against the drawing with
exact areas (shapely, in mm²):

* **The pain** ``T``: each mark's area times its intensity / 10 (at least
  0.1). Where marks overlap, the higher intensity counts once. A body surface
  painted in two views (the side of the shoulder in the anterior and the
  lateral view) counts once, in the view where it carries more pain.
* ``e``: the share of ``T`` inside the trigger point's essential zone.
* ``s``: the share of ``T`` inside its spillover zone (beyond the essential zone).
* ``f``: the share of the essential zone that is painted. The essential zone
  is where nearly every patient with this TrP feels pain; left unpainted, it
  argues against the TrP.
* ``coverage = e + s/2``, ``fit = coverage × (1/2 + f/2)``, ``score = 100 × fit``,
  plus 10 when pain is marked over the trigger point itself.
* Palpation: *active* (reproduces the client's pain) gives ``score × 1.5 + 20``;
  *latent* gives ``score × 1.1``; *not tender* gives ``score × 0.25``.

Ties break by the trigger point's key (``muscle/trp:side``), so the same
drawing always gives the same ranking.

The **combination** is the smallest set of trigger points (greedy set cover
on the explained areas) that together explain at least 90 % of the pain;
the **unexplained** pain is what no candidate's zones cover, as geometry.
Marks of numbness, tingling or burning also list **entrapment** candidates:
each nerve the atlas says a muscle can entrap is scored by the share of that
paresthesia lying in the regions where the nerve's symptoms are felt.
"""

from __future__ import annotations

import heapq
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from nmt_bodymap import cache
from nmt_bodymap.atlas import Atlas, SidedTriggerPoint
from nmt_bodymap.chart import VIEWS, Chart
from nmt_bodymap.lookup_result import Candidate, EntrapmentCandidate, Explained, LookupResult, Pieces, pct
from nmt_bodymap.session import PARESTHESIA, PainMark

__all__ = ["Candidate", "EntrapmentCandidate", "LookupEngine", "LookupResult", "pct"]

TRP_BONUS = 10.0
ACTIVE_FACTOR, ACTIVE_BONUS = 1.5, 20.0
LATENT_FACTOR = 1.1
NOT_TENDER_FACTOR = 0.25
COMBINATION_TARGET = 0.90
COVERAGE_TILE_MM = 60.0
COMBINATION_POOL = 40
PIECE_CACHE_SIZE = 4096


_EMPTY = np.empty(0, dtype=np.int64)


@dataclass
class _PieceStats:
    area: float
    zones: np.ndarray  # indices into the view's zones that the piece overlaps
    areas: np.ndarray  # overlap areas, mm²
    geometry: np.ndarray  # the overlaps themselves (for the combination)
    covered: float  # area under any zone at all
    trps: np.ndarray  # owners whose trigger point lies under the piece
    shared: np.ndarray  # indices into the view's shared regions
    shared_areas: np.ndarray
    # filled on first need (paresthesia pieces only): entrapment slots met and the overlap areas
    entrapment: tuple[np.ndarray, np.ndarray] | None = None


@dataclass
class _EntrapmentIndex:
    """Per view: where each (muscle, entrapped nerve, side) is felt, indexed."""

    slots: list[tuple[int, int, str]]  # (muscle number, entrapment number, side)
    regions: np.ndarray
    tree: shapely.STRtree | None


def _overlaps(
    geom: BaseGeometry, tree: shapely.STRtree, targets: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which ``targets`` overlap ``geom``, the overlaps and their exact areas.

    A target that contains the piece outright (a cheap test on prepared
    geometry) overlaps it by the piece itself, so only pieces crossing a
    target's edge need the costly intersection.
    """
    hits = tree.query(geom, predicate="intersects")
    if not len(hits):
        return _EMPTY, np.empty(0, dtype=object), np.empty(0)
    found = targets[hits]
    inside = shapely.contains_properly(found, geom)
    inter = np.empty(len(hits), dtype=object)
    inter[inside] = geom
    if (~inside).any():
        inter[~inside] = shapely.intersection(found[~inside], geom)
    return hits, inter, shapely.area(inter)


@dataclass
class _ViewIndex:
    zones: np.ndarray  # zone geometries (simplified and clipped when the atlas was compiled)
    owner: np.ndarray  # index into the engine's sided list
    essential: np.ndarray  # bool: essential (True) or spillover
    tree: shapely.STRtree
    trp_owner: np.ndarray  # owners of the trigger points shown in this view, in trp_tree's order
    trp_tree: shapely.STRtree | None
    shared_ids: list[str]  # regions whose surface also shows in another view
    shared_geoms: np.ndarray
    shared_tree: shapely.STRtree | None


def _robust_union(geoms: Iterable[BaseGeometry] | np.ndarray) -> BaseGeometry:
    """The union of many overlapping zones, surviving GEOS robustness failures.

    Thousands of nearly coincident edges can make a single union fail; repair
    the inputs, snap to 0.01 mm, and as a last resort unite pairwise.
    """
    try:
        return shapely.union_all(geoms)
    except shapely.errors.GEOSException:
        pass
    repaired = shapely.make_valid(geoms)
    try:
        return shapely.union_all(repaired, grid_size=0.01)
    except shapely.errors.GEOSException:
        parts = [shapely.buffer(g, 0) for g in repaired]
        while len(parts) > 1:
            parts = [
                shapely.union(*parts[i : i + 2]) if i + 1 < len(parts) else parts[i] for i in range(0, len(parts), 2)
            ]
        return parts[0]


class LookupEngine:
    """Indexes the atlas once; :meth:`rank` then scores drawings quickly."""

    def __init__(self, atlas: Atlas, chart: Chart) -> None:
        self.atlas = atlas
        self.chart = chart
        self.sided: list[SidedTriggerPoint] = list(atlas.sided)
        self.keys = [s.key for s in self.sided]
        self.index_of = {k: i for i, k in enumerate(self.keys)}
        self.views: dict[str, _ViewIndex] = {}
        surfaces: dict[str, set[str]] = defaultdict(set)
        for name, view in chart.views.items():
            for region in view.regions.values():
                surfaces[region.id].add(name)
        for name in VIEWS:
            zones, owner, essential, pts, pt_owner = [], [], [], [], []
            for i, s in enumerate(self.sided):
                for geoms, is_ess in ((s.essential, True), (s.spillover, False)):
                    if name in geoms:
                        zones.append(geoms[name])
                        owner.append(i)
                        essential.append(is_ess)
                if name in s.points:
                    pts.append(s.points[name])
                    pt_owner.append(i)
            zone_array = np.array(zones, dtype=object)
            shapely.prepare(zone_array)
            shared = [(rid, r.geometry) for rid, r in chart.view(name).regions.items() if len(surfaces[rid]) > 1]
            shared_geoms = np.array([g for _, g in shared], dtype=object)
            shapely.prepare(shared_geoms)
            self.views[name] = _ViewIndex(
                zones=zone_array,
                owner=np.array(owner, dtype=np.int64),
                essential=np.array(essential, dtype=bool),
                tree=shapely.STRtree(zone_array),
                trp_owner=np.array(pt_owner, dtype=np.int64),
                trp_tree=shapely.STRtree(pts) if pts else None,
                shared_ids=[rid for rid, _ in shared],
                shared_geoms=shared_geoms,
                shared_tree=shapely.STRtree(shared_geoms) if shared else None,
            )
        self._entrapment_regions: dict[tuple[str, int, str], dict[str, BaseGeometry]] = {}
        self._entrapment_index: dict[str, _EntrapmentIndex] = {}
        self._muscles = list(atlas.muscles.values())
        self._essential_area = np.array([st.essential_area for st in self.sided], dtype=float)
        self._key_order = np.argsort(np.argsort(np.array(self.keys, dtype=object)))  # rank of each key, for ties
        self._coverage: dict[str, tuple[np.ndarray, shapely.STRtree | None]] = {}
        self._piece_cache: OrderedDict[tuple[str, bytes], _PieceStats] = OrderedDict()

    def coverage(self, view: str) -> tuple[np.ndarray, shapely.STRtree | None]:
        """All zones of ``view`` united and cut into tiles (cached on disk per atlas).

        What no candidate explains is a pain piece minus this union; the tiles
        keep each intersection small.
        """
        if view not in self._coverage:
            zones = self.views[view].zones

            def build() -> list[str]:
                if len(zones) == 0:
                    return []
                union = _robust_union(zones)
                minx, miny, maxx, maxy = union.bounds
                boxes = [
                    shapely.box(x, y, x + COVERAGE_TILE_MM, y + COVERAGE_TILE_MM)
                    for x in np.arange(minx, maxx, COVERAGE_TILE_MM)
                    for y in np.arange(miny, maxy, COVERAGE_TILE_MM)
                ]
                parts = shapely.intersection(union, np.array(boxes, dtype=object))
                return [cache.encode_geometry(g) for g in parts if not g.is_empty and g.area > 0]

            blobs = cache.cached("coverage", cache.digest("coverage", self.atlas.digest, view), build)
            tiles = np.array(cache.decode_geometries(blobs), dtype=object)
            shapely.prepare(tiles)
            self._coverage[view] = (tiles, shapely.STRtree(tiles) if len(tiles) else None)
        return self._coverage[view]

    # -- drawing preparation -------------------------------------------------

    @staticmethod
    def _disjoint(marks: list[PainMark]) -> Pieces:
        """Overlapping marks count once, at the higher intensity."""
        order = sorted(marks, key=lambda m: (-m.weight, m.id))
        accepted: list[PainMark] = []
        pieces = Pieces([], [], [])
        for mark in order:
            geom = mark.geometry
            over = [a.geometry for a in accepted if shapely.intersects(a.geometry, geom)]
            if over:
                geom = shapely.difference(geom, shapely.union_all(over))
            accepted.append(mark)
            if geom.is_empty or geom.area <= 0:
                continue
            pieces.geoms.append(geom)
            pieces.weights.append(mark.weight)
            pieces.paresthesia.append(mark.quality in PARESTHESIA)
        return pieces

    def _piece(self, view: str, geom: BaseGeometry) -> _PieceStats:
        """What one pain piece overlaps, cached by its exact geometry.

        While a stroke is painted only that stroke's pieces are new; every
        other piece of the drawing comes from this cache.
        """
        key = (view, shapely.to_wkb(geom))
        hit = self._piece_cache.get(key)
        if hit is not None:
            self._piece_cache.move_to_end(key)
            return hit
        idx = self.views[view]
        z, inter, areas = _overlaps(geom, idx.tree, idx.zones)
        _t, tiles_tree = self.coverage(view)
        covered = float(_overlaps(geom, tiles_tree, _t)[2].sum()) if tiles_tree is not None else 0.0
        trps = idx.trp_owner[idx.trp_tree.query(geom, predicate="intersects")] if idx.trp_tree is not None else _EMPTY
        if idx.shared_tree is not None:
            r, _g, r_areas = _overlaps(geom, idx.shared_tree, idx.shared_geoms)
        else:
            r, r_areas = _EMPTY, np.empty(0)
        stats = _PieceStats(geom.area, z, areas, inter, covered, trps, r, r_areas)
        self._piece_cache[key] = stats
        if len(self._piece_cache) > PIECE_CACHE_SIZE:
            self._piece_cache.popitem(last=False)
        return stats

    def _dedupe_views(self, by_view: dict[str, Pieces]) -> None:
        """A surface painted in two views counts once, where it carries more pain."""
        load: dict[str, dict[str, float]] = defaultdict(dict)
        for name, pieces in by_view.items():
            idx = self.views[name]
            if idx.shared_tree is None:
                continue
            for geom, weight in zip(pieces.geoms, pieces.weights, strict=True):
                st = self._piece(name, geom)
                for r, a in zip(st.shared.tolist(), st.shared_areas.tolist(), strict=True):
                    rid = idx.shared_ids[r]
                    load[rid][name] = load[rid].get(name, 0.0) + a * weight
        for rid, per_view in load.items():
            if len(per_view) < 2:
                continue
            keep = max(per_view, key=lambda v: (per_view[v], -VIEWS.index(v)))
            for name in per_view:
                if name == keep:
                    continue
                region = self.chart.view(name).regions[rid].geometry
                pieces = by_view[name]
                pieces.geoms = [shapely.difference(g, region) if g.intersects(region) else g for g in pieces.geoms]

    # -- ranking ---------------------------------------------------------------

    def rank(self, marks: Iterable[PainMark], findings: Mapping[str, str] | None = None) -> LookupResult:
        """Score every sided trigger point against the drawing; best first."""
        findings = findings or {}
        grouped: dict[str, list[PainMark]] = defaultdict(list)
        for m in marks:
            if not m.geometry.is_empty:
                grouped[m.view].append(m)
        by_view = {v: self._disjoint(ms) for v, ms in grouped.items()}
        if len(by_view) > 1:
            self._dedupe_views(by_view)

        n = len(self.sided)
        ess_w, spill_w, painted = np.zeros(n), np.zeros(n), np.zeros(n)
        over_trp = np.zeros(n, dtype=bool)
        total = covered = 0.0
        explained: dict[str, Explained] = {}
        for name, pieces in by_view.items():
            idx = self.views[name]
            rows_p, rows_o, rows_g = [], [], []
            for p, (geom, weight) in enumerate(zip(pieces.geoms, pieces.weights, strict=True)):
                if geom.is_empty:
                    continue
                st = self._piece(name, geom)
                total += st.area * weight
                covered += st.covered * weight
                over_trp[st.trps] = True
                if len(st.zones):
                    owners = idx.owner[st.zones]
                    ess = idx.essential[st.zones]
                    ess_w += np.bincount(owners[ess], weights=st.areas[ess] * weight, minlength=n)
                    spill_w += np.bincount(owners[~ess], weights=st.areas[~ess] * weight, minlength=n)
                    painted += np.bincount(owners[ess], weights=st.areas[ess], minlength=n)
                    rows_p.append(np.full(len(owners), p))
                    rows_o.append(owners)
                    rows_g.append(st.geometry)
            if rows_p:
                explained[name] = Explained(np.concatenate(rows_p), np.concatenate(rows_o), np.concatenate(rows_g))

        if total <= 0:
            return LookupResult(self, [], 0.0, 0.0, [], {}, {}, np.zeros(n))
        candidates = self._candidates(ess_w / total, spill_w / total, painted, over_trp, findings)
        entrapments = self._entrapments(by_view, candidates)
        unexplained = max(0.0, 1.0 - covered / total)
        return LookupResult(self, candidates, total, unexplained, entrapments, by_view, explained, ess_w + spill_w)

    def _candidates(
        self, e: np.ndarray, s: np.ndarray, painted: np.ndarray, over_trp: np.ndarray, findings: Mapping[str, str]
    ) -> list[Candidate]:
        sel = np.flatnonzero((e > 0) | (s > 0) | over_trp)
        area = self._essential_area[sel]
        f = np.where(area > 0, np.minimum(1.0, painted[sel] / np.where(area > 0, area, 1.0)), 0.0)
        score = 100.0 * (e[sel] + s[sel] / 2) * (0.5 + 0.5 * f) + np.where(over_trp[sel], TRP_BONUS, 0.0)
        palpation: list[str | None] = [None] * len(sel)
        if findings:
            for j, i in enumerate(sel.tolist()):
                finding = findings.get(self.keys[i])
                palpation[j] = finding
                if finding == "active":
                    score[j] = score[j] * ACTIVE_FACTOR + ACTIVE_BONUS
                elif finding == "latent":
                    score[j] *= LATENT_FACTOR
                elif finding == "not-tender":
                    score[j] *= NOT_TENDER_FACTOR
        order = np.lexsort((self._key_order[sel], -np.round(score, 9)))
        out: list[Candidate] = []
        for j in order.tolist():
            i = int(sel[j])
            st = self.sided[i]
            out.append(
                Candidate(
                    st.key,
                    st.muscle.id,
                    st.muscle.name,
                    st.trp.id,
                    st.trp.label,
                    st.side,
                    float(score[j]),
                    float(min(e[i], 1.0)),
                    float(min(s[i], 1.0)),
                    float(f[j]),
                    bool(over_trp[i]),
                    palpation[j],
                )
            )
        return out

    def _combination(self, result: LookupResult) -> tuple[list[str], float]:
        """Greedy set cover, lazily re-evaluated: add the TrP explaining the most pain not yet explained.

        A candidate's gain can only shrink as others are chosen, so a gain
        worked out earlier is an upper bound; only the top of the queue is
        ever recomputed.
        """
        total = result.total_pain
        pool = [self.index_of[c.key] for c in result.candidates[:COMBINATION_POOL]]
        order = {owner: i for i, owner in enumerate(pool)}
        parts: dict[int, dict[tuple[str, int], list[BaseGeometry]]] = {o: defaultdict(list) for o in pool}
        for view, ex in result._explained.items():
            for p, owner, geom in zip(ex.piece.tolist(), ex.owner.tolist(), ex.geometry, strict=True):
                if owner in parts:
                    parts[owner][(view, p)].append(geom)
        covered: dict[tuple[str, int], BaseGeometry] = {}

        def gain(owner: int) -> float:
            g = 0.0
            for (view, p), geoms in parts[owner].items():
                w = result._pieces[view].weights[p]
                have = covered.get((view, p))
                for geom in geoms:
                    g += (geom.area if have is None else shapely.difference(geom, have).area) * w
            return g

        heap = [(-float(result._explained_w[o]), order[o], o, 0) for o in pool]
        heapq.heapify(heap)
        picks: list[str] = []
        done = 0.0
        step = 0
        while heap and done < COMBINATION_TARGET * total and len(picks) < 10:
            neg, rank, owner, stamp = heapq.heappop(heap)
            if stamp != step:
                heapq.heappush(heap, (-gain(owner), rank, owner, step))
                continue
            if -neg < 0.005 * total:
                break
            picks.append(self.keys[owner])
            done += -neg
            step += 1
            for k, geoms in parts[owner].items():
                merged = shapely.union_all(geoms if k not in covered else [covered[k], *geoms])
                covered[k] = merged
        return picks, done / total

    def _unexplained_geometry(self, by_view: dict[str, Pieces]) -> dict[str, BaseGeometry]:
        out: dict[str, BaseGeometry] = {}
        for view, pieces in by_view.items():
            tiles, tree = self.coverage(view)
            rest = []
            for geom in pieces.geoms:
                hits = tree.query(geom, predicate="intersects") if tree is not None else []
                left = shapely.difference(geom, shapely.union_all(tiles[hits])) if len(hits) else geom
                if not left.is_empty and left.area > 0.5:
                    rest.append(left)
            if rest:
                out[view] = shapely.union_all(rest)
        return out

    def _region_union(self, muscle_id: str, ent_index: int, side: str) -> dict[str, BaseGeometry]:
        key = (muscle_id, ent_index, side)
        if key not in self._entrapment_regions:
            names = set(self.atlas.muscle(muscle_id).entrapments[ent_index].regions)
            sides = {"left", "right"} if side == "midline" else {side}
            per_view = {}
            for vname, view in self.chart.views.items():
                geoms = [r.geometry for r in view.regions.values() if r.name in names and r.side in sides]
                if geoms:
                    per_view[vname] = shapely.union_all(geoms)
            self._entrapment_regions[key] = per_view
        return self._entrapment_regions[key]

    def _entrapment_view(self, view: str) -> _EntrapmentIndex:
        """The regions of every entrapment in ``view``, in one spatial index (built once)."""
        if view not in self._entrapment_index:
            slots: list[tuple[int, int, str]] = []
            regions: list[BaseGeometry] = []
            for mi, muscle in enumerate(self._muscles):
                for ei in range(len(muscle.entrapments)):
                    for side in ["midline"] if muscle.midline else ["right", "left"]:
                        region = self._region_union(muscle.id, ei, side).get(view)
                        if region is not None and not region.is_empty:
                            slots.append((mi, ei, side))
                            regions.append(region)
            array = np.array(regions, dtype=object)
            shapely.prepare(array)
            self._entrapment_index[view] = _EntrapmentIndex(slots, array, shapely.STRtree(array) if regions else None)
        return self._entrapment_index[view]

    def _entrapments(self, by_view: dict[str, Pieces], candidates: list[Candidate]) -> list[EntrapmentCandidate]:
        para = {
            v: [(g, w) for g, w, q in zip(p.geoms, p.weights, p.paresthesia, strict=True) if q and not g.is_empty]
            for v, p in by_view.items()
        }
        para_total = sum(g.area * w for items in para.values() for g, w in items)
        if para_total <= 0:
            return []
        hits: dict[tuple[int, int, str], float] = defaultdict(float)
        for view, items in para.items():
            index = self._entrapment_view(view)
            if index.tree is None:
                continue
            for g, w in items:
                st = self._piece(view, g)
                if st.entrapment is None:
                    found, _geoms, areas = _overlaps(g, index.tree, index.regions)
                    st.entrapment = (found, areas)
                for slot, area in zip(st.entrapment[0].tolist(), st.entrapment[1].tolist(), strict=True):
                    if area > 0:
                        hits[index.slots[slot]] += area * w
        rank_of: dict[tuple[str, str], int] = {}
        for i, c in enumerate(candidates, start=1):
            rank_of.setdefault((c.muscle, c.side), i)
        out: list[EntrapmentCandidate] = []
        for (mi, ei, side), hit in hits.items():
            muscle = self._muscles[mi]
            ent = muscle.entrapments[ei]
            share = hit / para_total
            rank = rank_of.get((muscle.id, side))
            score = 100.0 * share * (1.25 if rank is not None and rank <= 10 else 1.0)
            out.append(
                EntrapmentCandidate(muscle.id, muscle.name, ent.nerve, ent.site, ent.symptoms, side, score, share, rank)
            )
        out.sort(key=lambda e: (-round(e.score, 9), e.muscle, e.nerve, e.side))
        return out
