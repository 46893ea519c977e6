"""Compile a nerve's SVG: its own territory per view and side, and its entrapment sites.

Uses the muscle atlas's compiler (:mod:`nmt_bodymap.atlas.geometry`) with
the nerve atlas's vocabulary: ``data-kind="territory"`` zones, which belong
to the file's nerve, and ``data-kind="site"`` circles naming an
``[[entrapment_site]]`` in ``data-site``. The result is plain data (WKB) so
it can be cached.
"""

from __future__ import annotations

from pathlib import Path

from nmt_bodymap import cache
from nmt_bodymap.atlas.anchors import near_problem
from nmt_bodymap.atlas.geometry import SvgKinds, compile_svg
from nmt_bodymap.atlas.zones import sided_parts, surface_area
from nmt_bodymap.chart import Chart
from nmt_bodymap.nerves.model import NerveFacts

#: The nerve atlas's SVG vocabulary. Territories are on the nerve's own side, or straddle the midline.
NERVE_KINDS = SvgKinds(
    owner_attr="data-site",
    owner_word="entrapment site",
    marker_kind="site",
    zone_kinds=("territory",),
    zone_sides=("same", "midline"),
    zones_owned=False,
)


def compile_nerve(svg: Path, svg_data: bytes, facts: NerveFacts, chart: Chart) -> dict:
    """Check a nerve's drawing against its text and the chart; its geometry as cacheable data.

    ``{"problems": [[element, message]], "own": {side: {view: wkb}}, "area": {side: mm²},
    "sites": {site: {view: [x, y]}}}`` (the sites as authored, on the right).
    """
    site_ids = {s.id for s in facts.sites if s.id}
    compiled = compile_svg(svg, svg_data, site_ids, chart, False, NERVE_KINDS)
    problems = compiled.problems
    if compiled.readable:
        has_territory = bool(compiled.zones)
        if facts.skin == "own" and not has_territory and not problems:
            problems.append((None, 'draws no territory (a <path data-kind="territory"> in each view where it shows)'))
        elif facts.skin != "own" and has_territory:
            problems.append((None, f"says skin = \"{facts.skin}\" but draws a territory: draw none, or remove 'skin'"))
        for site in facts.sites:
            if not site.id:
                continue
            where = f"entrapment site '{site.id}'"
            points = compiled.points.get(site.id, {})
            if not points:
                problems.append(
                    (where, f'is not drawn in any view (a <circle data-kind="site" data-site="{site.id}">)')
                )
                continue
            problem = near_problem(points, site.landmark, chart, "entrapment site")
            if problem:
                problems.append((where, problem))
    if problems:
        return {"problems": [[e, m] for e, m in problems]}
    sides = sided_parts(compiled.zones, midline_owner=False) if compiled.zones else {"right": {}, "left": {}}
    return {
        "problems": [],
        "own": {
            side: {view: cache.encode_geometry(g) for (view, _), g in parts.items()} for side, parts in sides.items()
        },
        "area": {
            side: round(surface_area({v: g for (v, _), g in parts.items()}, chart), 2) for side, parts in sides.items()
        },
        "sites": {site: {view: list(xy) for view, xy in views.items()} for site, views in compiled.points.items()},
    }
