"""Compiled atlas zones: what an atlas SVG yields, and its sided instances as cacheable data.

:func:`nmt_bodymap.atlas.geometry.compile_svg` reads the zones and markers
of the authored (right) side into :class:`Compiled`; here they become the
sided instances: the authored right side, its mirror image on the left
(anterior, posterior and plantar reflect across the midline; right-lateral
becomes left-lateral), or one midline instance, with geometry as WKB so it
can be cached.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import shapely
from shapely.geometry.base import BaseGeometry

from nmt_bodymap import cache
from nmt_bodymap.chart import MIRROR_VIEW, Chart, mirror_geometry


@dataclass
class ZoneElement:
    element: str
    owner: str  # the trigger point id (muscles), or FILE_OWNER
    view: str
    kind: str
    rule: str
    geometry: BaseGeometry


@dataclass
class Compiled:
    """What the SVG yields: per owner (trigger point, entrapment site), its points by view, and the zones."""

    points: dict[str, dict[str, tuple[float, float]]] = field(default_factory=lambda: defaultdict(dict))
    zones: list[ZoneElement] = field(default_factory=list)
    problems: list[tuple[str | None, str]] = field(default_factory=list)
    readable: bool = True  # False when the file could not be parsed at all


def _union(geoms: list[BaseGeometry]) -> BaseGeometry:
    return shapely.union_all(geoms) if len(geoms) > 1 else geoms[0]


def surface_area(geoms: dict[str, BaseGeometry], chart: Chart) -> float:
    """Area of a pattern drawn in several views, each body surface counted once.

    A surface (a chart region name and side, like ``thigh-lateral-right``) can
    show in more than one view; its share of the pattern counts from the view
    where it is largest.
    """
    best: dict[str, float] = {}
    for view_name, geom in geoms.items():
        view = chart.view(view_name)
        for region in view.regions.values():
            if region.geometry.intersects(geom):
                a = shapely.intersection(region.geometry, geom).area
                key = f"{region.name}-{region.side}"
                best[key] = max(best.get(key, 0.0), a)
    return sum(best.values())


def sided_parts(zones: list[ZoneElement], midline_owner: bool) -> dict[str, dict[tuple[str, str], BaseGeometry]]:
    """One owner's zones as sided geometry, ``{side: {(view, kind): geometry}}``.

    The authored instance is ``right`` (or ``midline`` for a midline owner,
    which has no other); ``left`` is its mirror image: zones reflect across the
    midline and right-lateral becomes left-lateral, except ``midline`` zones,
    which stay, and ``both`` zones, which appear on both sides of each instance.
    """
    parts: dict[tuple[str, str], list[BaseGeometry]] = defaultdict(list)
    for z in zones:
        parts[(z.view, z.kind)].append(z.geometry)
        if z.rule == "both":
            parts[(MIRROR_VIEW[z.view], z.kind)].append(mirror_geometry(z.geometry))
    authored = {k: _union(v) for k, v in parts.items()}
    if midline_owner:
        return {"midline": authored}
    mirrored_parts: dict[tuple[str, str], list[BaseGeometry]] = defaultdict(list)
    for z in zones:
        if z.rule == "midline":
            mirrored_parts[(z.view, z.kind)].append(z.geometry)
        else:
            mirrored_parts[(MIRROR_VIEW[z.view], z.kind)].append(mirror_geometry(z.geometry))
            if z.rule == "both":
                mirrored_parts[(z.view, z.kind)].append(z.geometry)
    return {"right": authored, "left": {k: _union(v) for k, v in mirrored_parts.items()}}


def mirror_points(points: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """Marker places of the authored side, reflected to the other side."""
    return {MIRROR_VIEW[v]: (-x, y) for v, (x, y) in points.items()}


def sided_instances(compiled: Compiled, midline_muscle: bool, chart: Chart) -> dict[str, dict[str, dict]]:
    """Per trigger point, its sided instances as cacheable data.

    ``{trp: {side: {"points": {view: [x, y]}, "essential": {view: wkb}, "spillover": {view: wkb}}}}``
    """
    result: dict[str, dict[str, dict]] = {}
    by_trp: dict[str, list[ZoneElement]] = defaultdict(list)
    for z in compiled.zones:
        by_trp[z.owner].append(z)
    for trp, points in compiled.points.items():
        sides = sided_parts(by_trp.get(trp, []), midline_muscle)
        side_points = {"midline": points} if midline_muscle else {"right": points, "left": mirror_points(points)}
        result[trp] = {side: _encode(side_points[side], geoms, chart) for side, geoms in sides.items()}
    return result


def _encode(points: dict[str, tuple[float, float]], geoms: dict[tuple[str, str], BaseGeometry], chart: Chart) -> dict:
    essential: dict[str, str] = {}
    spillover: dict[str, str] = {}
    for (view, kind), geom in geoms.items():
        if kind == "essential":
            essential[view] = cache.encode_geometry(geom)
    for (view, kind), geom in geoms.items():
        if kind == "spillover":
            ess = geoms.get((view, "essential"))
            beyond = shapely.difference(geom, ess) if ess is not None else geom
            if not beyond.is_empty and beyond.area > 1.0:
                spillover[view] = cache.encode_geometry(beyond)
    area = surface_area({v: g for (v, k), g in geoms.items() if k == "essential"}, chart)
    return {
        "points": {v: list(p) for v, p in points.items()},
        "essential": essential,
        "spillover": spillover,
        "essential_area": round(area, 2),
    }
