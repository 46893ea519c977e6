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

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from nmt_bodymap.atlas import Atlas, SidedTriggerPoint
from nmt_bodymap.chart import VIEWS, Chart
from nmt_bodymap.session import PARESTHESIA, PainMark

TRP_BONUS = 10.0
ACTIVE_FACTOR, ACTIVE_BONUS = 1.5, 20.0
LATENT_FACTOR = 1.1
NOT_TENDER_FACTOR = 0.25
COMBINATION_TARGET = 0.90
SIMPLIFY_MM = 0.3


def pct(share: float) -> str:
    """A share as therapists write it: ``70 %``."""
    return f"{share * 100:.0f} %"


@dataclass(frozen=True)
class Candidate:
    """One sided trigger point and why it ranks where it does."""

    key: str
    muscle: str
    muscle_name: str
    trigger_point: str
    trigger_point_label: str
    side: str
    score: float
    essential_share: float
    spillover_share: float
    zone_painted: float
    pain_over_trp: bool
    palpation: str | None

    def explanation_text(self) -> str:
        parts = [f"its essential zone covers {pct(self.essential_share)} of the marked pain"]
        if self.spillover_share >= 0.005:
            parts.append(f"{pct(self.spillover_share)} more falls in its spillover zone")
        if self.zone_painted < 0.995:
            parts.append(f"{pct(self.zone_painted)} of its essential zone is painted")
        if self.pain_over_trp:
            parts.append("pain also over the trigger point")
        if self.palpation:
            parts.append(
                {"active": "palpated active", "latent": "palpated latent", "not-tender": "palpated not tender"}[
                    self.palpation
                ]
            )
        return "; ".join(parts)

    def explanation(self) -> dict[str, object]:
        return {
            "essential_share": round(self.essential_share, 4),
            "spillover_share": round(self.spillover_share, 4),
            "essential_zone_painted": round(self.zone_painted, 4),
            "pain_over_trigger_point": self.pain_over_trp,
            "palpation": self.palpation,
            "text": self.explanation_text(),
        }

    def to_json(self) -> dict[str, object]:
        return {
            "muscle": self.muscle,
            "muscle_name": self.muscle_name,
            "trigger_point": self.trigger_point,
            "trigger_point_label": self.trigger_point_label,
            "side": self.side,
            "score": round(self.score, 2),
            "explanation": self.explanation(),
        }


@dataclass(frozen=True)
class EntrapmentCandidate:
    muscle: str
    muscle_name: str
    nerve: str
    site: str
    symptoms: str
    side: str
    score: float
    share: float  # of the numbness/tingling/burning inside the nerve's regions
    muscle_rank: int | None  # where the muscle's best trigger point ranks, 1-based

    def explanation_text(self) -> str:
        text = f"{pct(self.share)} of the numbness, tingling or burning lies where this nerve is felt"
        if self.muscle_rank:
            text += f"; the {self.muscle_name.lower()} itself ranks #{self.muscle_rank}"
        return text

    def to_json(self) -> dict[str, object]:
        return {
            "muscle": self.muscle,
            "muscle_name": self.muscle_name,
            "nerve": self.nerve,
            "site": self.site,
            "symptoms": self.symptoms,
            "side": self.side,
            "score": round(self.score, 2),
            "explanation": {
                "paresthesia_share": round(self.share, 4),
                "muscle_rank": self.muscle_rank,
                "text": self.explanation_text(),
            },
        }


@dataclass
class LookupResult:
    candidates: list[Candidate]
    combination: list[str]  # candidate keys, in the order the greedy cover chose them
    combination_fraction: float  # share of the pain the combination explains
    unexplained_fraction: float
    unexplained: dict[str, BaseGeometry]  # view -> pain no candidate explains
    entrapments: list[EntrapmentCandidate]
    total_pain: float  # weighted mm²
    counted: dict[str, BaseGeometry] = field(default_factory=dict)  # view -> pain after de-duplication

    def to_json(self) -> dict[str, object]:
        return {
            "candidates": [c.to_json() for c in self.candidates],
            "combination": list(self.combination),
            "combination_fraction": round(self.combination_fraction, 4),
            "unexplained_fraction": round(self.unexplained_fraction, 4),
            "entrapments": [e.to_json() for e in self.entrapments],
        }


@dataclass
class _ViewIndex:
    zones: np.ndarray  # simplified zone geometries
    owner: np.ndarray  # index into the engine's sided list
    essential: np.ndarray  # bool: essential (True) or spillover
    tree: shapely.STRtree
    trp_points: np.ndarray  # Points of trigger points shown in this view
    trp_owner: np.ndarray
    shared_regions: list[tuple[str, BaseGeometry]]  # (surface key, geometry) shown in other views too
    shared_tree: shapely.STRtree | None


@dataclass
class _Pieces:
    """Disjoint pain pieces of one view, with weights."""

    geoms: list[BaseGeometry]
    weights: list[float]
    paresthesia: list[bool]


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
                if name in s.essential:
                    zones.append(s.essential[name])
                    owner.append(i)
                    essential.append(True)
                if name in s.spillover:
                    zones.append(s.spillover[name])
                    owner.append(i)
                    essential.append(False)
                if name in s.points:
                    pts.append(s.points[name])
                    pt_owner.append(i)
            geoms = (
                shapely.simplify(np.array(zones, dtype=object), SIMPLIFY_MM) if zones else np.array([], dtype=object)
            )
            shapely.prepare(geoms)
            shared = [(rid, r.geometry) for rid, r in chart.view(name).regions.items() if len(surfaces[rid]) > 1]
            self.views[name] = _ViewIndex(
                zones=geoms,
                owner=np.array(owner, dtype=np.int64),
                essential=np.array(essential, dtype=bool),
                tree=shapely.STRtree(geoms),
                trp_points=np.array(pts, dtype=object),
                trp_owner=np.array(pt_owner, dtype=np.int64),
                shared_regions=shared,
                shared_tree=shapely.STRtree([g for _, g in shared]) if shared else None,
            )
        self._entrapment_regions: dict[tuple[str, int, str], dict[str, BaseGeometry]] = {}

    # -- drawing preparation -------------------------------------------------

    @staticmethod
    def _disjoint(marks: list[PainMark]) -> _Pieces:
        """Overlapping marks count once, at the higher intensity."""
        order = sorted(marks, key=lambda m: (-m.weight, m.id))
        accepted: list[PainMark] = []
        pieces = _Pieces([], [], [])
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

    def _dedupe_views(self, by_view: dict[str, _Pieces]) -> None:
        """A surface painted in two views counts once, where it carries more pain."""
        load: dict[str, dict[str, float]] = defaultdict(dict)
        for name, pieces in by_view.items():
            idx = self.views[name]
            if idx.shared_tree is None or not pieces.geoms:
                continue
            pairs = idx.shared_tree.query(np.array(pieces.geoms, dtype=object), predicate="intersects")
            for p, r in zip(*pairs, strict=True):
                rid, geom = idx.shared_regions[r]
                a = shapely.intersection(pieces.geoms[p], geom).area * pieces.weights[p]
                load[rid][name] = load[rid].get(name, 0.0) + a
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

    def rank(
        self, marks: Iterable[PainMark], findings: Mapping[str, str] | None = None, combination: bool = True
    ) -> LookupResult:
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
        total = 0.0
        explained: dict[str, list[tuple[int, int, BaseGeometry]]] = {}  # view -> (piece, owner, geometry)
        for name, pieces in by_view.items():
            idx = self.views[name]
            geoms = np.array(pieces.geoms, dtype=object)
            if len(geoms) == 0:
                continue
            weights = np.array(pieces.weights)
            areas = shapely.area(geoms)
            total += float(np.dot(areas, weights))
            p_idx, z_idx = idx.tree.query(geoms, predicate="intersects")
            if len(p_idx):
                inter = shapely.intersection(geoms[p_idx], idx.zones[z_idx])
                a = shapely.area(inter)
                owners = idx.owner[z_idx]
                is_ess = idx.essential[z_idx]
                ess_w += np.bincount(owners[is_ess], weights=a[is_ess] * weights[p_idx][is_ess], minlength=n)
                spill_w += np.bincount(owners[~is_ess], weights=a[~is_ess] * weights[p_idx][~is_ess], minlength=n)
                painted += np.bincount(owners[is_ess], weights=a[is_ess], minlength=n)
                explained[name] = list(zip(p_idx.tolist(), owners.tolist(), inter, strict=True))
            if len(idx.trp_points):
                trp_idx, _piece_idx = shapely.STRtree(geoms).query(idx.trp_points, predicate="intersects")
                over_trp[idx.trp_owner[np.unique(trp_idx)]] = True

        if total <= 0:
            return LookupResult([], [], 0.0, 0.0, {}, [], 0.0)

        candidates = self._candidates(ess_w / total, spill_w / total, painted, over_trp, findings)
        combo: list[str] = []
        combo_fraction = 0.0
        if combination:
            combo, combo_fraction = self._combination(candidates, by_view, explained, total)
        unexplained, unexplained_w = self._unexplained(by_view, explained)
        entrapments = self._entrapments(by_view, candidates)
        counted = {v: shapely.union_all(p.geoms) for v, p in by_view.items() if p.geoms}
        return LookupResult(
            candidates, combo, combo_fraction, unexplained_w / total, unexplained, entrapments, total, counted
        )

    def _candidates(
        self, e: np.ndarray, s: np.ndarray, painted: np.ndarray, over_trp: np.ndarray, findings: Mapping[str, str]
    ) -> list[Candidate]:
        out: list[Candidate] = []
        for i in np.flatnonzero((e > 0) | (s > 0) | over_trp):
            st = self.sided[i]
            f = min(1.0, painted[i] / st.essential_area) if st.essential_area > 0 else 0.0
            fit = (e[i] + s[i] / 2) * (0.5 + 0.5 * f)
            score = 100.0 * fit + (TRP_BONUS if over_trp[i] else 0.0)
            finding = findings.get(st.key)
            if finding == "active":
                score = score * ACTIVE_FACTOR + ACTIVE_BONUS
            elif finding == "latent":
                score *= LATENT_FACTOR
            elif finding == "not-tender":
                score *= NOT_TENDER_FACTOR
            out.append(
                Candidate(
                    st.key,
                    st.muscle.id,
                    st.muscle.name,
                    st.trp.id,
                    st.trp.label,
                    st.side,
                    float(score),
                    float(min(e[i], 1.0)),
                    float(min(s[i], 1.0)),
                    float(f),
                    bool(over_trp[i]),
                    finding,
                )
            )
        out.sort(key=lambda c: (-round(c.score, 9), c.key))
        return out

    def _combination(
        self,
        candidates: list[Candidate],
        by_view: dict[str, _Pieces],
        explained: dict[str, list[tuple[int, int, BaseGeometry]]],
        total: float,
        pool: int = 40,
    ) -> tuple[list[str], float]:
        """Greedy set cover: add the TrP that explains the most not-yet-explained pain."""
        chosen_pool = [self.index_of[c.key] for c in candidates[:pool]]
        parts: dict[int, dict[tuple[str, int], list[BaseGeometry]]] = defaultdict(lambda: defaultdict(list))
        wanted = set(chosen_pool)
        for view, rows in explained.items():
            for p, owner, geom in rows:
                if owner in wanted:
                    parts[owner][(view, p)].append(geom)
        merged = {o: {k: shapely.union_all(v) for k, v in d.items()} for o, d in parts.items()}
        covered: dict[tuple[str, int], BaseGeometry] = {}
        picks: list[str] = []
        done = 0.0
        while done < COMBINATION_TARGET * total and len(picks) < 10:
            best, best_gain = None, 0.0
            for owner in chosen_pool:
                if self.keys[owner] in picks:
                    continue
                gain = 0.0
                for (view, p), geom in merged.get(owner, {}).items():
                    have = covered.get((view, p))
                    new = geom if have is None else shapely.difference(geom, have)
                    gain += new.area * by_view[view].weights[p]
                if gain > best_gain + 1e-9:
                    best, best_gain = owner, gain
            if best is None or best_gain < 0.005 * total:
                break
            picks.append(self.keys[best])
            done += best_gain
            for k, geom in merged[best].items():
                covered[k] = geom if k not in covered else shapely.union(covered[k], geom)
        return picks, done / total

    def _unexplained(
        self, by_view: dict[str, _Pieces], explained: dict[str, list[tuple[int, int, BaseGeometry]]]
    ) -> tuple[dict[str, BaseGeometry], float]:
        out: dict[str, BaseGeometry] = {}
        weight = 0.0
        for view, pieces in by_view.items():
            per_piece: dict[int, list[BaseGeometry]] = defaultdict(list)
            for p, _owner, geom in explained.get(view, []):
                per_piece[p].append(geom)
            rest = []
            for p, geom in enumerate(pieces.geoms):
                left = shapely.difference(geom, shapely.union_all(per_piece[p])) if p in per_piece else geom
                if not left.is_empty and left.area > 0.5:
                    rest.append(left)
                    weight += left.area * pieces.weights[p]
            if rest:
                out[view] = shapely.union_all(rest)
        return out, weight

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

    def _entrapments(self, by_view: dict[str, _Pieces], candidates: list[Candidate]) -> list[EntrapmentCandidate]:
        para = {
            v: [(g, w) for g, w, q in zip(p.geoms, p.weights, p.paresthesia, strict=True) if q]
            for v, p in by_view.items()
        }
        para_total = sum(g.area * w for items in para.values() for g, w in items)
        if para_total <= 0:
            return []
        rank_of: dict[tuple[str, str], int] = {}
        for i, c in enumerate(candidates, start=1):
            rank_of.setdefault((c.muscle, c.side), i)
        out: list[EntrapmentCandidate] = []
        for muscle in self.atlas.muscles.values():
            sides = ["midline"] if muscle.midline else ["right", "left"]
            for ei, ent in enumerate(muscle.entrapments):
                for side in sides:
                    regions = self._region_union(muscle.id, ei, side)
                    hit = sum(
                        shapely.intersection(g, regions[v]).area * w
                        for v, items in para.items()
                        if v in regions
                        for g, w in items
                        if g.intersects(regions[v])
                    )
                    if hit <= 0:
                        continue
                    share = hit / para_total
                    rank = rank_of.get((muscle.id, side))
                    score = 100.0 * share * (1.25 if rank is not None and rank <= 10 else 1.0)
                    out.append(
                        EntrapmentCandidate(
                            muscle.id, muscle.name, ent.nerve, ent.site, ent.symptoms, side, score, share, rank
                        )
                    )
        out.sort(key=lambda e: (-round(e.score, 9), e.muscle, e.nerve, e.side))
        return out
