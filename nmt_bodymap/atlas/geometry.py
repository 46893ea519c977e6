"""Compile an atlas SVG into checked, sided geometry.

Reads every marker and zone, checks it against the chart (inside the body,
anchors met, on the side it claims), clips zones to the silhouette, and
builds the sided instances (:mod:`nmt_bodymap.atlas.zones`). The anchor
checks are :mod:`nmt_bodymap.atlas.anchors`.

The muscle atlas (trigger point markers, essential and spillover zones) and
the nerve atlas (entrapment site markers, territory zones) share this
machinery; :class:`SvgKinds` says which vocabulary a file uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from nmt_bodymap.atlas.anchors import (
    NEAR_LIMIT_MM,
    NEAR_SLACK_MM,
    OWN_TRP_ANCHOR,
    REGION_ANCHOR,
    REGION_COVER_MM2,
    anchor_list,
    check_anchors,
    check_zone_side,
    layer_clip,
    near_problem,
)
from nmt_bodymap.atlas.model import VIEW_OFFSETS, ZONE_KINDS, ZONE_SIDES
from nmt_bodymap.atlas.zones import Compiled, ZoneElement, mirror_points, sided_instances, sided_parts, surface_area
from nmt_bodymap.chart import VIEWS, Chart
from nmt_bodymap.chart_compile import rings_to_polygon
from nmt_bodymap.svgdoc import SvgError, read_svg

#: Zones are clipped to the body; more than this share outside means the zone is misplaced.
MAX_OUTSIDE = 0.40
#: Zones are simplified to this tolerance (mm) before clipping: invisible, and much faster to intersect.
STORE_TOLERANCE_MM = 0.25


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
        inside = layer_clip(inside, shape.attributes, chart_view, rule)
        check_zone_side(out.problems, label, inside, chart_view, rule, midline_muscle)
        anchors = anchor_list(shape.attributes.get("data-contains", ""))
        if kinds.own_anchor and kinds.own_anchor in anchors:
            own_marker.append((label, owner, view_name, inside))
        check_anchors(out.problems, label, shape.attributes, inside, chart_view, rule, kinds.own_anchor)
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


__all__ = [
    "FILE_OWNER",
    "MAX_OUTSIDE",
    "MUSCLE_KINDS",
    "NEAR_LIMIT_MM",
    "NEAR_SLACK_MM",
    "OWN_TRP_ANCHOR",
    "REGION_ANCHOR",
    "REGION_COVER_MM2",
    "STORE_TOLERANCE_MM",
    "Compiled",
    "SvgKinds",
    "ZoneElement",
    "check_trigger_points",
    "compile_svg",
    "mirror_points",
    "near_problem",
    "sided_instances",
    "sided_parts",
    "surface_area",
]
