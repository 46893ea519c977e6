"""Write nerve atlas SVG files in the house style, from point lists or chart geometry.

Like :mod:`nmt_bodymap.atlas.authoring` for muscles, whose SVG writer it
uses: each view is laid at its offset, the chart is linked as a locked
background layer (so the file opens in Inkscape with the body behind the
territory), territories are drawn as smooth curves through points (or as
exact outlines from shapely geometry), and entrapment sites as small
circles::

    from nmt_bodymap.nerves.authoring import Site, Territory, write_nerve_svg
    write_nerve_svg("referral_maps/nerves/peripheral/example.svg", "example", [
        Territory("posterior", [(250, 930), (300, 930), ...], contains=["dorsal-hand"]),
        Site("example-tunnel", "anterior", -290, 902),
    ])

:func:`chart_region` and :func:`limb_strip` give chart-derived shapes to
start from (a whole region; a lengthwise share of a limb between two
heights), for territories whose borders follow the body's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import LineString, Polygon, box
from shapely.geometry.base import BaseGeometry

from nmt_bodymap.atlas.authoring import atlas_svg, zone_path
from nmt_bodymap.chart import load_chart
from nmt_bodymap.svgpath import polygon_d, smooth_path_d

TERRITORY_STYLE = 'fill="#1f6fb2" fill-opacity="0.45" stroke="#0d4a80" stroke-width="0.6"'
SITE_STYLE = 'fill="#ffd54f" stroke="#111111" stroke-width="1.2"'


@dataclass
class Territory:
    """A piece of skin territory: a smooth closed curve through ``points``, or exact ``geometry``."""

    view: str
    points: Sequence[tuple[float, float]] = ()
    contains: Sequence[str] = ()
    excludes: Sequence[str] = ()
    side: str = "same"  # or "midline"
    geometry: BaseGeometry | None = None  # drawn exactly (every ring of every polygon) instead of points
    corners: Sequence[int] = field(default_factory=tuple)

    def path_data(self) -> str:
        if self.geometry is None:
            return smooth_path_d(list(self.points), closed=True, corners=self.corners)
        polys = list(getattr(self.geometry, "geoms", [self.geometry]))
        rings = [ring for p in polys for ring in (p.exterior, *p.interiors)]
        return " ".join(polygon_d(np.round(np.asarray(r.coords)[:-1], 2)) for r in rings)


@dataclass
class Site:
    """An entrapment site's place in one view (drawn as a small circle)."""

    site: str
    view: str
    x: float
    y: float


def nerve_svg(nerve_id: str, items: Sequence[Territory | Site], title: str = "") -> str:
    """The text of a nerve's SVG file."""
    counters: dict[str, int] = {}

    def draw_view(view: str, in_view: list[Territory | Site]) -> list[str]:
        lines = []
        for item in sorted(in_view, key=lambda i: isinstance(i, Site)):  # territories first, sites on top
            if isinstance(item, Site):
                lines.append(
                    f'    <circle id="site-{item.site}-{view}" data-site="{item.site}" data-kind="site" '
                    f'cx="{item.x:g}" cy="{item.y:g}" r="4" {SITE_STYLE}/>'
                )
                continue
            counters[view] = counters.get(view, 0) + 1
            lines += zone_path(
                [f'id="territory-{view}-{counters[view]}"', 'data-kind="territory"'], item, TERRITORY_STYLE
            )
        return lines

    title_text = f"{title or nerve_id}: skin territory and entrapment sites, patient's right side"
    # nerve files sit three folders below the top of the repository
    return atlas_svg(f'data-nerve="{nerve_id}"', title_text, items, draw_view, assets_href="../../../assets/svg")


def write_nerve_svg(path: Path | str, nerve_id: str, items: Sequence[Territory | Site], title: str = "") -> Path:
    path = Path(path)
    path.write_text(nerve_svg(nerve_id, items, title), encoding="utf-8")
    return path


def chart_region(view: str, name: str, side: str = "right") -> BaseGeometry:
    """The outline of a chart region (``palm``, ``finger-ring-dorsal``...) on one side of a view."""
    chart_view = load_chart().view(view)
    found = [r.geometry for r in chart_view.regions.values() if r.name == name and r.side == side]
    if not found:
        raise KeyError(f"no region '{name}' on the {side} in the {view} view")
    return shapely.union_all(found)


def limb_strip(
    shape: BaseGeometry, y0: float, y1: float, s0: float, s1: float, step: float = 1.0, flip: bool = False
) -> BaseGeometry:
    """The lengthwise share of a limb-like ``shape`` between heights ``y0`` and ``y1``.

    Across each height the shape's extent from its smaller-x edge (0) to its
    larger-x edge (1) is cut between the fractions ``s0`` and ``s1`` (from the
    larger-x edge when ``flip``); the cuts are joined into one outline. Good
    for "the thumb-side half of the ring finger" or "the ulnar third of the
    forearm", whose border runs along the limb.
    """
    left: list[tuple[float, float]] = []
    right: list[tuple[float, float]] = []
    minx, _, maxx, _ = shape.bounds
    for y in np.arange(y0, y1 + step / 2, step):
        cut = shapely.intersection(shape, LineString([(minx - 1, y), (maxx + 1, y)]))
        if cut.is_empty:
            continue
        xa, _, xb, _ = cut.bounds
        a, b = (1 - s1, 1 - s0) if flip else (s0, s1)
        left.append((xa + (xb - xa) * a, float(y)))
        right.append((xa + (xb - xa) * b, float(y)))
    if len(left) < 2:
        raise ValueError("the shape has no extent between those heights")
    strip = Polygon([*left, *reversed(right)])
    return shapely.intersection(shapely.intersection(strip.buffer(0), box(minx - 1, y0, maxx + 1, y1)), shape)
