"""Write atlas SVG files in the house style, from Python or ``atlas new``.

Atlas authors may draw in Inkscape; this module is for those who prefer
coordinates. It lays each view at its offset (so all views stand side by
side over the chart), links the chart as a locked background layer, styles
essential zones solid and spillover zones stippled, and draws smooth zones
through a few points::

    from nmt_bodymap.atlas.authoring import Marker, Zone, write_muscle_svg
    write_muscle_svg("referral_maps/head-neck/example.svg", "example", [
        Marker("trp1", "posterior", 118, 300),
        Zone("trp1", "posterior", "essential", [(120, 297), (76, 276), ...], contains=["mastoid"]),
    ])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from xml.sax.saxutils import escape, quoteattr

from nmt_bodymap.atlas.model import SHEET_VIEWBOX, VIEW_OFFSETS
from nmt_bodymap.chart import VIEWS, load_view
from nmt_bodymap.svgpath import smooth_path_d

ESSENTIAL_STYLE = 'fill="#c62828" fill-opacity="0.8" stroke="#8e1b1b" stroke-width="0.6"'
SPILLOVER_STYLE = 'fill="url(#stipple)" stroke="#c62828" stroke-width="0.6" stroke-dasharray="2 1.5"'
MARKER_STYLE = 'fill="#ffffff" fill-opacity="0.6" stroke="#111111" stroke-width="1.2"'


@dataclass
class Marker:
    """A trigger point's location in one view (drawn as a small circle)."""

    trp: str
    view: str
    x: float
    y: float


@dataclass
class Zone:
    """A referral zone: a smooth closed curve through ``points`` (or raw path data ``d``)."""

    trp: str
    view: str
    kind: str  # "essential" or "spillover"
    points: Sequence[tuple[float, float]] = ()
    contains: Sequence[str] = ()
    excludes: Sequence[str] = ()
    side: str = "same"
    d: str = ""
    corners: Sequence[int] = field(default_factory=tuple)

    def path_data(self) -> str:
        return self.d or smooth_path_d(list(self.points), closed=True, corners=self.corners)


def chart_layer(assets_href: str) -> list[str]:
    """The locked background layer linking the chart views; ``assets_href``: the chart SVGs' folder, relative."""
    lines = [
        '  <g id="chart" inkscape:groupmode="layer" inkscape:label="Chart (reference only)" '
        'sodipodi:insensitive="true">'
    ]
    for view in VIEWS:
        vx, vy, vw, vh = load_view(view).viewbox
        dx, dy = VIEW_OFFSETS[view]
        lines.append(
            f'    <image x="{vx + dx:g}" y="{vy + dy:g}" width="{vw:g}" height="{vh:g}" '
            f'xlink:href="{assets_href}/{view}.svg" preserveAspectRatio="none"/>'
        )
    lines.append("  </g>")
    return lines


class Placed(Protocol):
    """Anything drawn in one view: a marker or a zone."""

    view: str


class AnchoredZone(Protocol):
    """A zone with its side rule and anchors (a muscle's referral zone, a nerve's territory)."""

    side: str
    contains: Sequence[str]
    excludes: Sequence[str]

    def path_data(self) -> str: ...


def atlas_svg(
    root: str,
    title: str,
    items: Sequence[Placed],
    draw_view: Callable[[str, list[Any]], list[str]],
    defs: Sequence[str] = (),
    assets_href: str = "../../assets/svg",
) -> str:
    """The text of an atlas SVG: ``root`` attributes its ``<svg>`` (``data-muscle="x"``), then a group per view.

    ``draw_view(view, items_in_view)`` gives the lines inside a view's group.
    """
    x, y, w, h = SHEET_VIEWBOX
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"',
        '     xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"',
        '     xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"',
        f'     viewBox="{x:g} {y:g} {w:g} {h:g}" {root}>',
        f"  <title>{escape(title)}</title>",
        *defs,
        *chart_layer(assets_href),
    ]
    for view in VIEWS:
        in_view = [i for i in items if i.view == view]
        if not in_view:
            continue
        dx, dy = VIEW_OFFSETS[view]
        lines.append(
            f'  <g id="{view}" data-view="{view}" transform="translate({dx:g} {dy:g})" '
            f'inkscape:groupmode="layer" inkscape:label="{view}">'
        )
        lines += draw_view(view, in_view)
        lines.append("  </g>")
    lines.append("</svg>")
    return "\n".join(lines) + "\n"


def zone_path(attrs: list[str], zone: AnchoredZone, style: str) -> list[str]:
    """A zone's ``<path>``: ``attrs`` (id, owner, kind), then its side and anchors, style and outline."""
    attrs = list(attrs)
    if zone.side != "same":
        attrs.append(f'data-side="{zone.side}"')
    if zone.contains:
        attrs.append(f"data-contains={quoteattr(' '.join(zone.contains))}")
    if zone.excludes:
        attrs.append(f"data-excludes={quoteattr(' '.join(zone.excludes))}")
    return [f"    <path {' '.join(attrs)} {style}", f'          d="{zone.path_data()}"/>']


def muscle_svg(muscle_id: str, items: Sequence[Marker | Zone], title: str = "") -> str:
    """The text of a muscle's SVG file."""
    counters: dict[tuple[str, str, str], int] = {}

    def draw_view(view: str, in_view: list[Marker | Zone]) -> list[str]:
        lines = []
        # zones first (spillover under essential), markers on top
        order = sorted(
            in_view,
            key=lambda i: 0 if isinstance(i, Zone) and i.kind == "spillover" else 1 if isinstance(i, Zone) else 2,
        )
        for item in order:
            if isinstance(item, Marker):
                lines.append(
                    f'    <circle id="{item.trp}-{view}" data-trp="{item.trp}" data-kind="trp" '
                    f'cx="{item.x:g}" cy="{item.y:g}" r="4" {MARKER_STYLE}/>'
                )
                continue
            key = (item.trp, view, item.kind)
            counters[key] = counters.get(key, 0) + 1
            zid = f"{item.trp}-{view}-{item.kind}-{counters[key]}"
            style = ESSENTIAL_STYLE if item.kind == "essential" else SPILLOVER_STYLE
            lines += zone_path([f'id="{zid}"', f'data-trp="{item.trp}"', f'data-kind="{item.kind}"'], item, style)
        return lines

    defs = [
        "  <defs>",
        '    <pattern id="stipple" width="5" height="5" patternUnits="userSpaceOnUse">',
        '      <circle cx="2.5" cy="2.5" r="0.9" fill="#c62828"/>',
        "    </pattern>",
        "  </defs>",
    ]
    title_text = f"{title or muscle_id}: trigger points and referral zones, patient's right side"
    return atlas_svg(f'data-muscle="{muscle_id}"', title_text, items, draw_view, defs)


def write_muscle_svg(path: Path | str, muscle_id: str, items: Sequence[Marker | Zone], title: str = "") -> Path:
    path = Path(path)
    path.write_text(muscle_svg(muscle_id, items, title), encoding="utf-8")
    return path


TOML_TEMPLATE = '''# {name}: text of the atlas entry; the geometry is in {id}.svg beside it.
# See referral_maps/README.md for every field. Write in your own words.
format = 1
id = "{id}"
name = "{name}"
latin = ""
group = "{group}"
synonyms = []
innervation = ""
actions = [""]

referral = """
"""
symptoms = [""]

[[trigger_point]]
id = "trp1"
label = "TrP1"
location = ""
near = ""

[[perpetuating]]
cause = "postural"
text = ""

[[self_care]]
kind = "stretch"
text = ""

[[source]]
citation = ""
'''
