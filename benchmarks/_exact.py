"""The naive baseline and the exact reference: every zone intersected with every piece of pain in shapely.

The same rules as the engine (overlapping marks count once at the higher
weight; a surface shown in two views counts once, where it carries the most
pain, a tie within 1 % going to the first view in chart order), computed
with exact polygon areas and no index. It is both the speed baseline and
the yardstick for the raster's areas.
"""

from __future__ import annotations

from collections import defaultdict

import shapely
from shapely.geometry.base import BaseGeometry

from nmt_bodymap.atlas import Atlas
from nmt_bodymap.chart import VIEWS, Chart
from nmt_bodymap.lookup.scoring import intensity_weight
from nmt_bodymap.session import PainMark


def pieces(marks: list[PainMark]) -> dict[str, list[tuple[BaseGeometry, float]]]:
    """Per view, disjoint pieces of pain with their weights (the higher weight wins where marks overlap)."""
    out: dict[str, list[tuple[BaseGeometry, float]]] = defaultdict(list)
    for view in VIEWS:
        mine = sorted((m for m in marks if m.view == view), key=lambda m: -intensity_weight(m.intensity))
        taken: BaseGeometry | None = None
        for m in mine:
            geom = m.geometry if taken is None else shapely.difference(m.geometry, taken)
            taken = m.geometry if taken is None else shapely.union(taken, m.geometry)
            if geom.area > 0:
                out[view].append((geom, intensity_weight(m.intensity)))
    return out


def one_surface_once(chart: Chart, by_view: dict[str, list[tuple[BaseGeometry, float]]]) -> None:
    """Cut each shared surface out of every view but the one where it carries the most pain."""
    loads: dict[str, dict[str, float]] = defaultdict(dict)
    for view, items in by_view.items():
        for rid, region in chart.view(view).regions.items():
            load = sum(shapely.intersection(g, region.geometry).area * w for g, w in items)
            if load > 0:
                loads[rid][view] = load
    for rid, per_view in loads.items():
        if len(per_view) < 2:
            continue
        top = max(per_view.values())
        keep = next(v for v in VIEWS if per_view.get(v, 0.0) >= 0.99 * top)
        for view in per_view:
            if view != keep:
                region = chart.view(view).regions[rid].geometry
                by_view[view] = [(shapely.difference(g, region), w) for g, w in by_view[view]]


def explained_areas(atlas: Atlas, chart: Chart, marks: list[PainMark]) -> tuple[dict[str, tuple[float, float]], float]:
    """Each sided trigger point's weighted painted area in its essential and spillover zones, and the total."""
    by_view = pieces(marks)
    one_surface_once(chart, by_view)
    total = sum(g.area * w for items in by_view.values() for g, w in items)
    out: dict[str, tuple[float, float]] = {}
    for s in atlas.sided:
        e = sp = 0.0
        for view, items in by_view.items():
            for g, w in items:
                if view in s.essential:
                    e += shapely.intersection(g, s.essential[view]).area * w
                if view in s.spillover:
                    sp += shapely.intersection(g, s.spillover[view]).area * w
        if e or sp:
            out[s.key] = (e, sp)
    return out, total
