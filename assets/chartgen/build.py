"""Build the body chart SVGs in ``assets/svg/``.

Run from the repository root::

    python assets/chartgen/build.py

The SVGs are the product's data (the app, the atlas and the tests read them);
this program is how they were drawn. Change the figure here, rebuild, render
(``nmt-bodymap chart render``) and look before committing.
"""

from __future__ import annotations

import sys
from pathlib import Path
from xml.sax.saxutils import quoteattr

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent.parent))

import shapely  # noqa: E402
from shapely.geometry import Polygon  # noqa: E402

import anterior  # noqa: E402
import front  # noqa: E402
import lateral  # noqa: E402
import partition  # noqa: E402
import plantar  # noqa: E402
import posterior  # noqa: E402
from shapes import Outline, box  # noqa: E402
from viewmodel import Label, View  # noqa: E402

from nmt_bodymap.svgpath import beziers_to_d, polygon_d, smooth_path_d  # noqa: E402

OUT = HERE.parent / "svg"

BODY_STYLE = 'fill="#f5f0e9" stroke="#4b5159" stroke-width="1.7" stroke-linejoin="round"'
OVERLAY_STYLE = 'fill="#f5f0e9" stroke="none"'
EDGE_STYLE = 'fill="none" stroke="#5d636c" stroke-width="1.3" stroke-linejoin="round" stroke-linecap="round"'
GUIDE_STYLES = {
    "guide": 'fill="none" stroke="#a3a9b2" stroke-width="1.1" stroke-linecap="round"',
    "guide-faint": 'fill="none" stroke="#c9cdd3" stroke-width="1.0" stroke-linecap="round"',
    "feature": 'fill="none" stroke="#80868f" stroke-width="1.0" stroke-linecap="round"',
    "feature-fine": 'fill="none" stroke="#a3a9b2" stroke-width="0.8" stroke-linecap="round"',
    "iris": 'fill="#aeb4bc" stroke="none"',
    "nipple": 'fill="none" stroke="#a3a9b2" stroke-width="0.9"',
    "navel": 'fill="none" stroke="#a3a9b2" stroke-width="0.9"',
    "nail": 'fill="none" stroke="#b4b9c0" stroke-width="0.7"',
}
SIMPLIFY_MM = 0.12


def mirrored_regions(half: dict[str, Polygon], half_side: str) -> dict[str, tuple[str, str, Polygon]]:
    other = "left" if half_side == "right" else "right"
    out: dict[str, tuple[str, str, Polygon]] = {}
    for name, geom in sorted(half.items()):
        out[f"{name}-{half_side}"] = (name, half_side, geom)
        out[f"{name}-{other}"] = (name, other, shapely.affinity.scale(geom, -1, 1, origin=(0, 0)))
    return out


def mirrored_landmarks(half: list[tuple[str, float, float]], midline: list[tuple[str, float, float]], half_side: str) -> list[tuple[str, str, float, float]]:
    other = "left" if half_side == "right" else "right"
    out = [(lid, half_side, float(x), float(y)) for lid, x, y in half]
    out += [(lid, other, -float(x), float(y)) for lid, x, y in half]
    out += [(lid, "midline", float(x), float(y)) for lid, x, y in midline]
    return out


def front_view(name: str) -> View:
    fig = front.build(name)
    body = fig.outline
    sil = body.polygon()
    half = shapely.intersection(sil, box(-1000, -1000, 0, 3000))
    spec = anterior if name == "anterior" else posterior
    regions = partition.paint(half, spec.knives(fig, half))
    left_guides = spec.guides(fig)
    guides = left_guides + [g.mirrored() for g in left_guides] + spec.midline_guides()
    half_side = spec.HALF_SIDE
    other = "left" if half_side == "right" else "right"
    labels = [Label(half_side[0].upper(), -345, 40), Label(other[0].upper(), 345, 40)]
    return View(
        name=name,
        title=f"{name.capitalize()} view",
        viewbox=(-420, -60, 840, 1860),
        bodies=[body],
        guides=guides,
        regions=mirrored_regions(regions, half_side),
        landmarks=mirrored_landmarks(spec.landmarks(fig), spec.MIDLINE_LANDMARKS, half_side),
        labels=labels,
    )


def mirror_view(view: View, name: str, title: str) -> View:
    """The left-lateral view: the right-lateral drawn in a mirror."""
    flip = {"right": "left", "left": "right", "midline": "midline"}

    def mo(o: Outline) -> Outline:
        m = Outline(o.closed)
        m.points = [(-x, y) for x, y in o.points]
        m.corners = set(o.corners)
        return m

    regions = {}
    for rid, (rname, side, geom) in view.regions.items():
        new_side = flip[side]
        regions[f"{rname}-{new_side}"] = (rname, new_side, shapely.affinity.scale(geom, -1, 1, origin=(0, 0)))
    return View(
        name=name,
        title=title,
        viewbox=(-view.viewbox[0] - view.viewbox[2], view.viewbox[1], view.viewbox[2], view.viewbox[3]),
        bodies=[mo(b) for b in view.bodies],
        overlays=[mo(b) for b in view.overlays],
        edges=[mo(e) for e in view.edges],
        guides_behind=[g.mirrored() for g in view.guides_behind],
        guides=[g.mirrored() for g in view.guides],
        regions=regions,
        landmarks=[(lid, flip[side], -x, y) for lid, side, x, y in view.landmarks],
        labels=[Label("L" if lab.text == "R" else lab.text, -lab.x, lab.y) for lab in view.labels],
    )


def label_svg(label: Label) -> str:
    r = label.radius
    return (
        f'<g data-side-label="{label.text}">'
        f'<circle cx="{label.x:g}" cy="{label.y:g}" r="{r:g}" fill="#2f6690"/>'
        f'<text x="{label.x:g}" y="{label.y + r * 0.45:.1f}" font-family="DejaVu Sans, Arial, sans-serif" '
        f'font-size="{r * 1.3:.1f}" font-weight="bold" fill="#ffffff" text-anchor="middle">{label.text}</text></g>'
    )


def write_svg(view: View) -> Path:
    x, y, w, h = view.viewbox
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" viewBox="{x:g} {y:g} {w:g} {h:g}" '
        f'data-view="{view.name}" data-units="mm">',
        f"  <title>nmt-bodymap body chart: {view.title}</title>",
        "  <desc>Millimetres of a 1750 mm adult; x = 0 on the midline, y = 0 at the vertex. "
        "Sides are the patient's. Regions and landmarks are invisible data layers.</desc>",
        '  <g id="silhouette">',
    ]
    for i, body in enumerate(view.bodies):
        lines.append(f'    <path id="body-{i}" {BODY_STYLE} d="{beziers_to_d(body.beziers())}"/>')
    lines.append("  </g>")
    if view.guides_behind:
        lines.append('  <g id="guides-behind">')
        for g in view.guides_behind:
            lines.append(f'    <path {GUIDE_STYLES[g.style]} d="{smooth_path_d(g.points, g.closed)}"/>')
        lines.append("  </g>")
    if view.overlays:
        lines.append('  <g id="overlay">')
        for i, body in enumerate(view.overlays, start=len(view.bodies)):
            lines.append(
                f'    <path id="body-{i}" data-layer="overlay" {OVERLAY_STYLE} d="{beziers_to_d(body.beziers())}"/>'
            )
        for edge in view.edges:
            lines.append(f'    <path {EDGE_STYLE} d="{beziers_to_d(edge.beziers(), closed=edge.closed)}"/>')
        lines.append("  </g>")
    lines.append('  <g id="guides">')
    for g in view.guides:
        lines.append(f'    <path {GUIDE_STYLES[g.style]} d="{smooth_path_d(g.points, g.closed)}"/>')
    lines.append("  </g>")
    lines.append('  <g id="side-labels">')
    lines.extend(f"    {label_svg(lab)}" for lab in view.labels)
    lines.append("  </g>")
    lines.append('  <g id="regions" fill="none" stroke="none">')
    for rid, (rname, side, geom) in sorted(view.regions.items()):
        simple = shapely.simplify(geom, SIMPLIFY_MM)
        d = " ".join(polygon_d(r.coords) for r in [simple.exterior, *simple.interiors])
        lines.append(
            f'    <path id="region-{rid}" data-region={quoteattr(rname)} data-side="{side}" fill-rule="evenodd" d="{d}"/>'
        )
    lines.append("  </g>")
    lines.append('  <g id="landmarks" fill="none" stroke="none">')
    for lid, side, lx, ly in sorted(view.landmarks):
        suffix = "" if side == "midline" else f"-{side}"
        lines.append(
            f'    <circle id="landmark-{lid}{suffix}" data-landmark="{lid}" data-side="{side}" '
            f'cx="{lx:.1f}" cy="{ly:.1f}" r="2"/>'
        )
    lines.append("  </g>")
    lines.append("</svg>")
    path = OUT / f"{view.name}.svg"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def build_all(names: list[str] | None = None) -> list[Path]:
    views: list[View] = []
    wanted = set(names or ["anterior", "posterior", "right-lateral", "left-lateral", "plantar"])
    if "anterior" in wanted:
        views.append(front_view("anterior"))
    if "posterior" in wanted:
        views.append(front_view("posterior"))
    if wanted & {"right-lateral", "left-lateral"}:
        right = lateral.build()
        if "right-lateral" in wanted:
            views.append(right)
        if "left-lateral" in wanted:
            views.append(mirror_view(right, "left-lateral", "Left lateral view"))
    if "plantar" in wanted:
        views.append(plantar.build())
    out = []
    for view in views:
        sil = view.silhouette()
        union = shapely.union_all([g for _, _, g in view.regions.values()])
        gap = shapely.symmetric_difference(sil, union).area / sil.area
        print(f"{view.name}: {len(view.regions)} regions, {len(view.landmarks)} landmarks, tiling error {gap:.4%}")
        out.append(write_svg(view))
    return out


if __name__ == "__main__":
    build_all(sys.argv[1:] or None)
