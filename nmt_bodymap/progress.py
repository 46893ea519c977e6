"""Progress metrics of one visit's pain drawing, computed without Qt.

The pain-drawing literature measures change over a course of treatment by
the extent of the drawing and by how much two drawings overlap. Every figure
here is computed from the marks' exact polygons (chart millimetres, shapely):

* **Painted surface.** In each view the marks are merged; where marks
  overlap, the higher intensity counts once.
* **One surface, one count.** A chart region shown in several views (the
  side of the shoulder is in the anterior and the lateral view; regions
  with the same id are one body surface) counts once: in the view where its
  intensity-weighted painted share is largest, scaled to the region's
  *reference area* (its largest drawn area in any view), so the same surface
  has the same area whichever view it was drawn in.
* **Body surface** = every view's silhouette, with each shared region
  counted once at its reference area.
* ``extent_percent`` = painted surface / body surface × 100;
  ``extent_by_view`` = painted area of a view / that view's silhouette × 100
  (no cross-view correction: what the view shows).
* ``weighted_area_mm2`` = Σ area × intensity / 10 over the counted surface
  (an intensity 0 mark adds nothing; unlike the ranking, there is no 0.1
  floor: this figure means "mm² of pain at full intensity").
* ``max_intensity``: the highest intensity of any painted mark;
  ``mean_intensity``: the area-weighted mean over the counted surface
  (= 10 × weighted area / painted area).
* ``regions``: the chart regions involved: at least 50 mm² or 10 % of the
  region painted (whichever is smaller), in any view.
* ``pain_before`` / ``pain_after``: the client's 0–10 rating at the visit,
  from the session's treatment record.
* :func:`jaccard`: |A ∩ B| / |A ∪ B| of two drawings' painted surfaces,
  shared regions counted once (in the view where the two drawings overlap
  most, else where their union is largest); None when neither has pain.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from nmt_bodymap.chart import VIEWS, Chart, load_chart
from nmt_bodymap.session import PainMark, Session

#: Bump when a definition above changes: stored metrics with an older number are stale.
METRICS_VERSION = 1
REGION_MIN_MM2 = 50.0
REGION_MIN_SHARE = 0.10
_EPS = 1e-9


@dataclass(frozen=True)
class Piece:
    """A painted piece of one view: marks merged, each point at its highest intensity."""

    geometry: BaseGeometry
    intensity: int


@dataclass(frozen=True)
class VisitMetrics:
    extent_percent: float
    extent_by_view: dict[str, float]
    painted_area_mm2: float
    weighted_area_mm2: float
    max_intensity: int | None
    mean_intensity: float | None
    regions: tuple[str, ...]
    pain_before: int | None = None
    pain_after: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "extent_percent": self.extent_percent,
            "extent_by_view": dict(self.extent_by_view),
            "painted_area_mm2": self.painted_area_mm2,
            "weighted_area_mm2": self.weighted_area_mm2,
            "max_intensity": self.max_intensity,
            "mean_intensity": self.mean_intensity,
            "regions": list(self.regions),
            "pain_before": self.pain_before,
            "pain_after": self.pain_after,
        }


@dataclass
class _RegionLoad:
    area: float = 0.0
    weighted: float = 0.0


@dataclass
class _ViewSurface:
    silhouette_area: float
    region_ids: list[str]
    region_areas: np.ndarray
    region_geoms: np.ndarray
    tree: shapely.STRtree

    def area_of(self, rid: str) -> float:
        return float(self.region_areas[self.region_ids.index(rid)])


@dataclass
class SurfaceModel:
    """The chart's surfaces: which regions are shared between views, and the body's area."""

    views: dict[str, _ViewSurface]
    reference_area: dict[str, float]  # shared region id -> its largest drawn area
    body_area_mm2: float
    shared: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, chart: Chart) -> SurfaceModel:
        views: dict[str, _ViewSurface] = {}
        seen: dict[str, dict[str, float]] = defaultdict(dict)
        for name in VIEWS:
            view = chart.view(name)
            ids = list(view.regions)
            geoms = np.array([view.regions[i].geometry for i in ids], dtype=object)
            areas = shapely.area(geoms) if len(ids) else np.empty(0)
            for rid, area in zip(ids, areas.tolist(), strict=True):
                seen[rid][name] = area
            views[name] = _ViewSurface(float(view.silhouette.area), ids, areas, geoms, shapely.STRtree(geoms))
        shared = {rid: per_view for rid, per_view in seen.items() if len(per_view) > 1}
        body = sum(v.silhouette_area for v in views.values())
        body -= sum(sum(per_view.values()) - max(per_view.values()) for per_view in shared.values())
        return cls(views, {rid: max(pv.values()) for rid, pv in shared.items()}, body, frozenset(shared))


@lru_cache(maxsize=4)
def surface_model(chart: Chart | None = None) -> SurfaceModel:
    return SurfaceModel.of(chart if chart is not None else load_chart())


# ---------------------------------------------------------------------------
# Painted pieces
# ---------------------------------------------------------------------------


def pieces_by_view(marks: Iterable[PainMark]) -> dict[str, list[Piece]]:
    """Each view's marks as disjoint pieces; overlaps keep the higher intensity."""
    out: dict[str, list[Piece]] = {}
    for view, group in _group(marks).items():
        covered: BaseGeometry = Polygon()
        pieces: list[Piece] = []
        for mark in sorted(group, key=lambda m: (-m.intensity, m.id)):
            geom = shapely.difference(mark.geometry, covered) if not covered.is_empty else mark.geometry
            covered = shapely.union(covered, mark.geometry)
            if not geom.is_empty and geom.area > _EPS:
                pieces.append(Piece(geom, mark.intensity))
        if pieces:
            out[view] = pieces
    return out


def painted_by_view(marks: Iterable[PainMark]) -> dict[str, BaseGeometry]:
    """Each view's painted surface as one geometry (intensities ignored)."""
    return {view: shapely.union_all([m.geometry for m in ms]) for view, ms in _group(marks).items()}


def _group(marks: Iterable[PainMark]) -> dict[str, list[PainMark]]:
    grouped: dict[str, list[PainMark]] = defaultdict(list)
    for mark in marks:
        if not mark.geometry.is_empty:
            grouped[mark.view].append(mark)
    return grouped


def _region_parts(surface: _ViewSurface, geom: BaseGeometry) -> list[tuple[int, float]]:
    """(region index, area of ``geom`` inside it) for every region ``geom`` overlaps."""
    hits = surface.tree.query(geom, predicate="intersects")
    if len(hits) == 0:
        return []
    areas = shapely.area(shapely.intersection(surface.region_geoms[hits], geom))
    return [(int(i), float(a)) for i, a in zip(hits.tolist(), areas.tolist(), strict=True) if a > _EPS]


# ---------------------------------------------------------------------------
# One visit
# ---------------------------------------------------------------------------


def visit_metrics(session: Session, chart: Chart | None = None) -> VisitMetrics:
    """The progress figures of one visit (definitions in the module docstring)."""
    model = surface_model(chart)
    by_view = pieces_by_view(session.marks)
    extent_by_view: dict[str, float] = {}
    # per region and view: painted area and intensity-weighted area
    loads: dict[str, dict[str, _RegionLoad]] = defaultdict(dict)
    counted_area = 0.0
    counted_weighted = 0.0
    max_intensity: int | None = None
    involved: set[str] = set()
    for view, pieces in by_view.items():
        surface = model.views[view]
        extent_by_view[view] = round(100.0 * sum(p.geometry.area for p in pieces) / surface.silhouette_area, 5)
        for piece in pieces:
            max_intensity = piece.intensity if max_intensity is None else max(max_intensity, piece.intensity)
            in_shared = 0.0
            for index, area in _region_parts(surface, piece.geometry):
                rid = surface.region_ids[index]
                load = loads[rid].setdefault(view, _RegionLoad())
                load.area += area
                load.weighted += area * piece.intensity / 10.0
                if rid in model.shared:
                    in_shared += area
            rest = max(piece.geometry.area - in_shared, 0.0)  # unshared regions and slivers off the tiling
            counted_area += rest
            counted_weighted += rest * piece.intensity / 10.0
    for rid, per_view in loads.items():
        for view, load in per_view.items():
            region_area = model.views[view].area_of(rid)
            if load.area >= min(REGION_MIN_MM2, REGION_MIN_SHARE * region_area):
                involved.add(rid)
        if rid not in model.shared:
            continue
        view = _kept_view(model, rid, per_view)
        load = per_view[view]
        scale = model.reference_area[rid] / _region_area(model, view, rid)
        counted_area += load.area * scale
        counted_weighted += load.weighted * scale
    mean = round(10.0 * counted_weighted / counted_area, 3) if counted_area > _EPS else None
    return VisitMetrics(
        extent_percent=round(100.0 * counted_area / model.body_area_mm2, 5),
        extent_by_view={v: extent_by_view[v] for v in VIEWS if v in extent_by_view},
        painted_area_mm2=round(counted_area, 2),
        weighted_area_mm2=round(counted_weighted, 2),
        max_intensity=max_intensity,
        mean_intensity=mean,
        regions=tuple(sorted(involved)),
        pain_before=session.treatment.pain_before,
        pain_after=session.treatment.pain_after,
    )


def _region_area(model: SurfaceModel, view: str, rid: str) -> float:
    return model.views[view].area_of(rid)


def _kept_view(model: SurfaceModel, rid: str, per_view: dict[str, _RegionLoad]) -> str:
    """Where a shared surface counts: its largest weighted share, then painted share, then view order."""

    def key(view: str) -> tuple[float, float, int]:
        area = _region_area(model, view, rid)
        load = per_view[view]
        return (round(load.weighted / area, 9), round(load.area / area, 9), -VIEWS.index(view))

    return max(per_view, key=key)


# ---------------------------------------------------------------------------
# Two visits
# ---------------------------------------------------------------------------


def jaccard(before: Iterable[PainMark], after: Iterable[PainMark], chart: Chart | None = None) -> float | None:
    """|A ∩ B| / |A ∪ B| of two drawings' painted surfaces; None when neither has pain."""
    model = surface_model(chart)
    a, b = painted_by_view(before), painted_by_view(after)
    inter_total = 0.0
    union_total = 0.0
    # shared region -> view -> (intersection share, union share) of that region
    shares: dict[str, dict[str, tuple[float, float]]] = defaultdict(dict)
    for view in set(a) | set(b):
        ga, gb = a.get(view, Polygon()), b.get(view, Polygon())
        inter = shapely.intersection(ga, gb)
        union = shapely.union(ga, gb)
        surface = model.views[view]
        shared_inter = 0.0
        shared_union = 0.0
        union_parts = dict(_region_parts(surface, union))
        inter_parts = dict(_region_parts(surface, inter)) if not inter.is_empty else {}
        for index, u_area in union_parts.items():
            rid = surface.region_ids[index]
            if rid not in model.shared:
                continue
            i_area = inter_parts.get(index, 0.0)
            region_area = float(surface.region_areas[index])
            shares[rid][view] = (i_area / region_area, u_area / region_area)
            shared_inter += i_area
            shared_union += u_area
        inter_total += max(inter.area - shared_inter, 0.0)
        union_total += max(union.area - shared_union, 0.0)
    for rid, per_view in shares.items():
        view = max(per_view, key=lambda v: (round(per_view[v][0], 9), round(per_view[v][1], 9), -VIEWS.index(v)))
        i_share, u_share = per_view[view]
        inter_total += i_share * model.reference_area[rid]
        union_total += u_share * model.reference_area[rid]
    if union_total <= _EPS:
        return None
    return round(min(inter_total / union_total, 1.0), 4)
