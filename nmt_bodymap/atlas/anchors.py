"""The anchors an atlas zone is checked against: the landmarks and regions it must (not) contain.

A zone names what it contains (``data-contains``) and what it must leave
out (``data-excludes``): chart landmarks (``temple``, ``temple:left``),
chart regions (``region:flank``) or, for a zone no bigger than its trigger
point, that point (``trp``). The checks here also keep a zone on the side
it claims and on the surface its anchors are on where the hanging arm hides
the trunk, and judge whether a marker's named nearest landmark is fair.
"""

from __future__ import annotations

import re

import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from nmt_bodymap.chart import Chart, ChartView
from nmt_bodymap.chart_landmarks import LANDMARKS

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

#: Problems as they are collected: (element or None, message).
Problems = list[tuple[str | None, str]]


def anchor_list(text: str) -> list[str]:
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


def layer_clip(geom: BaseGeometry, attrs: dict[str, str], view: ChartView, rule: str) -> BaseGeometry:
    """Keep a zone on the surface its anchors are on, where one surface hides another.

    In the lateral views the hanging arm covers part of the trunk and thigh: a
    zone anchored only on the trunk or leg loses the part drawn over the arm,
    and a zone anchored only on the arm loses the part beyond it.
    """
    if view.overlay.is_empty:
        return geom
    side = _authored_side(view, rule)
    on_overlay: list[bool] = []
    for anchor in anchor_list(attrs.get("data-contains", "")):
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


def check_zone_side(
    problems: Problems, label: str, geom: BaseGeometry, view: ChartView, rule: str, midline: bool
) -> None:
    if midline or rule in ("both", "midline"):
        if rule == "midline" and not geom.intersects(shapely.LineString([(0, -100), (0, 2000)])):
            problems.append((label, "a midline zone must cross the midline"))
        return
    side = _authored_side(view, rule)
    share = _side_share(geom, view, side)
    if share < 0.5:
        what = 'the patient\'s left (data-side="opposite")' if side == "left" else "the patient's right"
        problems.append(
            (
                label,
                f"a {rule}-side zone must lie on {what}, but only {share:.0%} of it does "
                f"in the {view.name} view (atlas files are drawn for the right side)",
            )
        )


def check_anchors(
    problems: Problems,
    label: str,
    attrs: dict[str, str],
    geom: BaseGeometry,
    view: ChartView,
    rule: str,
    own_anchor: str | None = None,
) -> None:
    contains = anchor_list(attrs.get("data-contains", ""))
    excludes = anchor_list(attrs.get("data-excludes", ""))
    if not contains:
        problems.append((label, "zone names no landmark it contains (data-contains)"))
    side = _authored_side(view, rule)
    grown = geom.buffer(1.0)
    for anchor in contains:
        if own_anchor and anchor == own_anchor:
            continue  # checked once every marker is read
        if anchor.startswith(REGION_ANCHOR):
            region, error = _anchor_region(anchor, side, view)
            if error:
                problems.append((label, error))
            elif region is not None and not _covers_region(geom, region):
                name = anchor[len(REGION_ANCHOR) :]
                problems.append((label, f"anchor not met: zone does not cover region '{name}' in the {view.name} view"))
            continue
        point, error = _resolve_anchor(anchor, side, view)
        if error:
            problems.append((label, error))
        elif point is not None and not grown.contains(point):
            problems.append(
                (label, f"anchor not met: zone does not contain landmark '{anchor}' in the {view.name} view")
            )
    for anchor in excludes:
        if anchor.startswith(REGION_ANCHOR):
            region, error = _anchor_region(anchor, side, view)
            if error:
                problems.append((label, error))
            elif region is not None and _covers_region(geom, region):
                name = anchor[len(REGION_ANCHOR) :]
                problems.append((label, f"anchor not met: zone must not cover region '{name}' in the {view.name} view"))
            continue
        point, error = _resolve_anchor(anchor, side, view)
        if error:
            problems.append((label, error))
        elif point is not None and geom.contains(point):
            problems.append(
                (label, f"anchor not met: zone must not contain landmark '{anchor}' in the {view.name} view")
            )


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
