"""Compile an atlas SVG into checked, sided geometry.

Reads every marker and zone, checks it against the chart (inside the body,
anchors met, on the side it claims), clips zones to the silhouette, and
builds the sided instances: the authored right side, its mirror image on the
left (anterior, posterior and plantar reflect across the midline;
right-lateral becomes left-lateral), or one midline instance. The result is
plain data (WKB) so it can be cached.

The muscle atlas (trigger point markers, essential and spillover zones) and
the nerve atlas (entrapment site markers, territory zones) share this
machinery; :class:`SvgKinds` says which vocabulary a file uses.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from nmt_bodymap import cache
from nmt_bodymap.atlas.model import VIEW_OFFSETS, ZONE_KINDS, ZONE_SIDES
from nmt_bodymap.chart import MIRROR_VIEW, VIEWS, Chart, ChartView, mirror_geometry
from nmt_bodymap.chart_compile import rings_to_polygon
from nmt_bodymap.chart_landmarks import LANDMARKS
from nmt_bodymap.svgdoc import SvgError, read_svg

#: Zones are clipped to the body; more than this share outside means the zone is misplaced.
MAX_OUTSIDE = 0.40
#: Zones are simplified to this tolerance (mm) before clipping: invisible, and much faster to intersect.
STORE_TOLERANCE_MM = 0.25
#: How far a trigger point may be from the landmark it names as nearest (mm).
NEAR_LIMIT_MM = 90.0
#: How much further than the truly nearest landmark the named one may be (mm).
NEAR_SLACK_MM = 20.0

#: The anchor naming a zone's own trigger point, for a zone that is no more than the point itself.
OWN_TRP_ANCHOR = "trp"
#: An anchor naming a chart region instead of a landmark (``region:flank``), for a zone no landmark lies in.
REGION_ANCHOR = "region:"
#: How much of a named region a zone must cover (mm²; half the region when that is less).
REGION_COVER_MM2 = 100.0


@dataclass(frozen=True)
class SvgKinds:
    """The element vocabulary of one kind of atlas SVG."""

    owner_attr: str  # the attribute naming what an element belongs to ("data-trp")
    owner_word: str  # that owner in messages ("trigger point")
    marker_kind: str  # data-kind of the markers: a circle whose centre is the owner's place ("trp")
    zone_kinds: tuple[str, ...]  # data-kinds of zones
    zone_sides: tuple[str, ...] = ZONE_SIDES  # allowed data-side values
    zones_owned: bool = True  # zones name their owner too; False: every zone belongs to the file itself
    own_anchor: str | None = None  # the data-contains word naming the zone's own marker


MUSCLE_KINDS = SvgKinds("data-trp", "trigger point", "trp", ZONE_KINDS, own_anchor=OWN_TRP_ANCHOR)
#: The owner of zones in files whose zones belong to the file itself (``zones_owned=False``).
FILE_OWNER = ""

_TRANSLATE = re.compile(r"^\s*translate\(\s*([-+0-9.eE]+)(?:\s*[, ]\s*([-+0-9.eE]+))?\s*\)\s*$")


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


def _anchor_list(text: str) -> list[str]:
    return [a for a in re.split(r"[\s,]+", text.strip()) if a]


def _resolve_anchor(anchor: str, zone_side: str, view: ChartView) -> tuple[Point | None, str | None]:
    """The point of an anchor like ``temple`` or ``temple:left``; or an error message."""
    lid, _, side = anchor.partition(":")
    info = LANDMARKS.get(lid)
    if info is None:
        return None, f"unknown landmark '{lid}' in anchors"
    if info.midline:
        if side:
            return None, f"landmark '{lid}' is on the midline and takes no side"
        key_side = "midline"
    else:
        if side and side not in ("left", "right"):
            return None, f"side of '{anchor}' must be left or right"
        key_side = side or zone_side
    lm = view.landmarks.get((lid, key_side))
    if lm is None:
        return (
            None,
            f"landmark '{lid}{':' + key_side if key_side != 'midline' else ''}' is not shown in the {view.name} view",
        )
    return lm.point, None


def _anchor_region(anchor: str, zone_side: str, view: ChartView) -> tuple[BaseGeometry | None, str | None]:
    """The outline of a region anchor like ``region:flank`` on the zone's side; or an error message."""
    name = anchor[len(REGION_ANCHOR) :]
    found = [r.geometry for r in view.regions.values() if r.name == name and r.side == zone_side]
    if not found:
        return None, f"no region '{name}' on the {zone_side} in the {view.name} view (anchor '{anchor}')"
    return shapely.union_all(found), None


def _covers_region(geom: BaseGeometry, region: BaseGeometry) -> bool:
    return shapely.intersection(geom, region).area >= min(REGION_COVER_MM2, region.area / 2)


def _side_share(geom: BaseGeometry, view: ChartView, side: str) -> float:
    """Share of a zone's area that lies in the chart regions of ``side``."""
    total = geom.area
    if total <= 0:
        return 0.0
    hit = sum(shapely.intersection(geom, r.geometry).area for r in view.regions.values() if r.side == side)
    return hit / total


def compile_svg(
    path: Path,
    data: bytes,
    owner_ids: set[str],
    chart: Chart,
    midline_muscle: bool,
    kinds: SvgKinds = MUSCLE_KINDS,
) -> Compiled:
    out = Compiled()
    try:
        doc = read_svg(path, data)
    except SvgError as exc:
        out.problems.append((exc.element, exc.reason))
        out.readable = False
        return out
    for group in doc.groups:
        view = group.get("data-view")
        if view is None:
            continue
        gid = f"<g id={group.get('id')!r}>"
        if view not in VIEWS:
            out.problems.append((gid, f"unknown view '{view}' (views: {', '.join(VIEWS)})"))
            continue
        m = _TRANSLATE.match(group.get("transform", ""))
        expect = VIEW_OFFSETS[view]
        got = (float(m.group(1)), float(m.group(2) or 0)) if m else None
        if got is None or abs(got[0] - expect[0]) > 1e-6 or abs(got[1] - expect[1]) > 1e-6:
            out.problems.append(
                (
                    gid,
                    f'view group must keep transform="translate({expect[0]:g} {expect[1]:g})" '
                    "so it lines up with the chart",
                )
            )
    seen_ids: set[str] = set()
    own_marker: list[tuple[str, str, str, BaseGeometry]] = []  # zones anchored on their own marker
    known_kinds = (kinds.marker_kind, *kinds.zone_kinds)
    for shape in doc.shapes:
        kind = shape.attributes.get("data-kind")
        if kind is None:
            continue
        label = shape.label()
        if not shape.id:
            out.problems.append((label, f"every {kinds.owner_word} marker and zone needs an id"))
            continue
        if shape.id in seen_ids:
            out.problems.append((label, "duplicate id"))
            continue
        seen_ids.add(shape.id)
        view_name = shape.inherited.get("data-view")
        if view_name not in VIEW_OFFSETS:
            out.problems.append((label, "not inside a view group (<g data-view=...>) of a known view"))
            continue
        chart_view = chart.view(view_name)
        if kind not in known_kinds:
            out.problems.append((label, f"unknown data-kind '{kind}' (use {', '.join(known_kinds)})"))
            continue
        if kind == kinds.marker_kind or kinds.zones_owned:
            owner = shape.attributes.get(kinds.owner_attr, "")
            if owner not in owner_ids:
                out.problems.append((label, f"unknown {kinds.owner_word} '{owner}' (not in the TOML file)"))
                continue
        else:
            owner = FILE_OWNER
        dx, dy = VIEW_OFFSETS[view_name]
        rings = [r - (dx, dy) for r in shape.rings]
        if not rings:
            out.problems.append((label, "has no geometry"))
            continue
        if kind == kinds.marker_kind:
            if shape.tag != "circle":  # svgscan has already refused a circle of radius 0 or less
                out.problems.append((label, f'a {kinds.owner_word} marker must be a <circle> (data-kind="{kind}")'))
                continue
            x = float((rings[0][:, 0].min() + rings[0][:, 0].max()) / 2)
            y = float((rings[0][:, 1].min() + rings[0][:, 1].max()) / 2)
            if view_name in out.points[owner]:
                out.problems.append((label, f"{kinds.owner_word} '{owner}' is already placed in the {view_name} view"))
            elif not chart_view.contains(x, y):
                out.problems.append((label, f"{kinds.owner_word} lies outside the body in the {view_name} view"))
            else:
                out.points[owner][view_name] = (round(x, 2), round(y, 2))
            continue
        rule = shape.attributes.get("data-side", "same")
        if rule not in kinds.zone_sides:
            out.problems.append((label, f"unknown data-side '{rule}' (use {', '.join(kinds.zone_sides)})"))
            continue
        bad_ring = next((r for r in rings if len(r) >= 4 and not shapely.Polygon(r).is_valid), None)
        if bad_ring is not None:
            out.problems.append((label, "outline crosses itself (self-intersecting polygon)"))
            continue
        geom = shapely.simplify(rings_to_polygon(rings), STORE_TOLERANCE_MM)
        if geom.is_empty or geom.area < 4.0:
            out.problems.append((label, "zone is empty or smaller than 4 mm²"))
            continue
        inside = shapely.intersection(geom, chart_view.silhouette)
        outside = 1.0 - inside.area / geom.area
        if outside > MAX_OUTSIDE:
            out.problems.append((label, f"{outside:.0%} of the zone lies outside the body in the {view_name} view"))
            continue
        inside = _layer_clip(inside, shape.attributes, chart_view, rule)
        _check_zone_side(out, label, inside, chart_view, rule, midline_muscle)
        anchors = _anchor_list(shape.attributes.get("data-contains", ""))
        if kinds.own_anchor and kinds.own_anchor in anchors:
            own_marker.append((label, owner, view_name, inside))
        _check_anchors(out, label, shape.attributes, inside, chart_view, rule, kinds.own_anchor)
        out.zones.append(ZoneElement(shape.id, owner, view_name, kind, rule, inside))
    for label, owner, view_name, geom in own_marker:
        point = out.points.get(owner, {}).get(view_name)
        if point is None:
            out.problems.append(
                (
                    label,
                    f"anchor '{kinds.own_anchor}': {kinds.owner_word} '{owner}' is not placed in the {view_name} view",
                )
            )
        elif not geom.buffer(1.0).contains(Point(point)):
            out.problems.append(
                (label, f"anchor not met: zone does not contain its {kinds.owner_word} in the {view_name} view")
            )
    return out


def _layer_clip(geom: BaseGeometry, attrs: dict[str, str], view: ChartView, rule: str) -> BaseGeometry:
    """Keep a zone on the surface its anchors are on, where one surface hides another.

    In the lateral views the hanging arm covers part of the trunk and thigh: a
    zone anchored only on the trunk or leg loses the part drawn over the arm,
    and a zone anchored only on the arm loses the part beyond it.
    """
    if view.overlay.is_empty:
        return geom
    side = _authored_side(view, rule)
    on_overlay: list[bool] = []
    for anchor in _anchor_list(attrs.get("data-contains", "")):
        if anchor.startswith(REGION_ANCHOR):
            region = _anchor_region(anchor, side, view)[0]
            if region is not None:
                on_overlay.append(shapely.intersection(region, view.overlay).area > region.area / 2)
        elif (point := _resolve_anchor(anchor, side, view)[0]) is not None:
            on_overlay.append(bool(view.overlay.contains(point)))
    if not on_overlay:
        return geom
    if all(on_overlay):
        return shapely.intersection(geom, view.overlay)
    if not any(on_overlay):
        return shapely.difference(geom, view.overlay)
    return geom


def _authored_side(view: ChartView, rule: str) -> str:
    """The side a zone of the right-side trigger point is drawn on."""
    return "left" if rule == "opposite" else "right"


def _check_zone_side(out: Compiled, label: str, geom: BaseGeometry, view: ChartView, rule: str, midline: bool) -> None:
    if midline or rule in ("both", "midline"):
        if rule == "midline" and not geom.intersects(shapely.LineString([(0, -100), (0, 2000)])):
            out.problems.append((label, "a midline zone must cross the midline"))
        return
    side = _authored_side(view, rule)
    share = _side_share(geom, view, side)
    if share < 0.5:
        what = 'the patient\'s left (data-side="opposite")' if side == "left" else "the patient's right"
        out.problems.append(
            (
                label,
                f"a {rule}-side zone must lie on {what}, but only {share:.0%} of it does "
                f"in the {view.name} view (atlas files are drawn for the right side)",
            )
        )


def _check_anchors(
    out: Compiled,
    label: str,
    attrs: dict[str, str],
    geom: BaseGeometry,
    view: ChartView,
    rule: str,
    own_anchor: str | None = None,
) -> None:
    contains = _anchor_list(attrs.get("data-contains", ""))
    excludes = _anchor_list(attrs.get("data-excludes", ""))
    if not contains:
        out.problems.append((label, "zone names no landmark it contains (data-contains)"))
    side = _authored_side(view, rule)
    grown = geom.buffer(1.0)
    for anchor in contains:
        if own_anchor and anchor == own_anchor:
            continue  # checked once every marker is read
        if anchor.startswith(REGION_ANCHOR):
            region, error = _anchor_region(anchor, side, view)
            if error:
                out.problems.append((label, error))
            elif region is not None and not _covers_region(geom, region):
                name = anchor[len(REGION_ANCHOR) :]
                out.problems.append(
                    (label, f"anchor not met: zone does not cover region '{name}' in the {view.name} view")
                )
            continue
        point, error = _resolve_anchor(anchor, side, view)
        if error:
            out.problems.append((label, error))
        elif point is not None and not grown.contains(point):
            out.problems.append(
                (label, f"anchor not met: zone does not contain landmark '{anchor}' in the {view.name} view")
            )
    for anchor in excludes:
        if anchor.startswith(REGION_ANCHOR):
            region, error = _anchor_region(anchor, side, view)
            if error:
                out.problems.append((label, error))
            elif region is not None and _covers_region(geom, region):
                name = anchor[len(REGION_ANCHOR) :]
                out.problems.append(
                    (label, f"anchor not met: zone must not cover region '{name}' in the {view.name} view")
                )
            continue
        point, error = _resolve_anchor(anchor, side, view)
        if error:
            out.problems.append((label, error))
        elif point is not None and geom.contains(point):
            out.problems.append(
                (label, f"anchor not met: zone must not contain landmark '{anchor}' in the {view.name} view")
            )


def check_trigger_points(out: Compiled, trps: list[tuple[str, str]], chart: Chart) -> None:
    """Each trigger point: placed somewhere, has an essential zone, near its named landmark."""
    essential = {z.owner for z in out.zones if z.kind == "essential"}
    for trp, near in trps:
        where = f"trigger point '{trp}'"
        points = out.points.get(trp, {})
        if not points:
            out.problems.append((where, 'is not placed in any view (a <circle data-kind="trp">)'))
            continue
        if trp not in essential:
            out.problems.append((where, "has no essential zone"))
        problem = near_problem(points, near, chart, "trigger point")
        if problem:
            out.problems.append((where, problem))


def near_problem(points: dict[str, tuple[float, float]], near: str, chart: Chart, what: str) -> str | None:
    """Why ``near`` is not a fair name for the landmark nearest a place drawn at ``points``; None when it is.

    It must be the nearest landmark, or within :data:`NEAR_SLACK_MM` of the
    nearest and at most :data:`NEAR_LIMIT_MM` away, in some view where both show.
    """
    if near not in LANDMARKS:
        return None  # the text checker reports unknown landmarks
    best: tuple[float, str, str, float] | None = None  # (distance, view, nearest id, nearest distance)
    for view_name, (x, y) in points.items():
        view = chart.view(view_name)
        side = "midline" if LANDMARKS[near].midline else ("right" if view_name != "left-lateral" else "left")
        lm = view.landmarks.get((near, side))
        if lm is None:
            continue
        d = Point(x, y).distance(lm.point)
        nearest = min(view.landmarks.values(), key=lambda m: Point(x, y).distance(m.point))
        dn = Point(x, y).distance(nearest.point)
        if best is None or d - dn < best[0] - best[3]:
            best = (d, view_name, nearest.id, dn)
    if best is None:
        return f"landmark '{near}' is not shown in any view where the {what} is"
    if best[0] > NEAR_LIMIT_MM or best[0] > best[3] + NEAR_SLACK_MM:
        return (
            f"is {best[0]:.0f} mm from '{near}' in the {best[1]} view; "
            f"the nearest landmark there is '{best[2]}' ({best[3]:.0f} mm)"
        )
    return None


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
