"""Plantar view: both soles, seen from below with the toes up.

As in the posterior view, the patient's right sole is on the viewer's right
(x > 0) and each great toe is on the medial side, toward the midline. The
right sole is drawn and the left is its mirror image.
"""

from __future__ import annotations

import shapely
from front import chain_digits
from partition import paint
from shapes import Frame, Guide, Outline, box, poly
from viewmodel import Label, View

HEEL = (95.0, 262.0)
# Local frame of the right sole: u lateral (+x), v toward the toes (-y).
FRAME = Frame(HEEL, (95.0, 0.0), +1)
TOES = [  # (base, tip, base width, tip width) in local (u, v), fifth to great
    ((43.0, 200.0), (46.0, 221.0), 13.5, 11.5),
    ((27.0, 208.0), (29.0, 234.0), 14.5, 12.5),
    ((10.5, 213.0), (11.0, 244.0), 15.5, 13.5),
    ((-7.0, 216.0), (-8.0, 251.0), 16.5, 14.5),
    ((-31.5, 214.0), (-34.0, 256.0), 28.0, 25.0),
]


def sole_points() -> list[tuple[float, float]]:
    pts = [(0.0, 0.0), (22.0, 8.0), (35.0, 28.0), (40.0, 62.0), (42.0, 100.0), (46.0, 140.0), (50.0, 172.0), (49.0, 190.0)]
    pts += chain_digits(TOES, web_depth=2.5)
    pts += [(-49.0, 200.0), (-50.0, 178.0), (-44.0, 150.0), (-35.0, 112.0), (-33.0, 80.0), (-36.0, 48.0), (-33.0, 20.0), (-20.0, 5.0)]
    return pts


def toe_box(i: int) -> shapely.Geometry:
    (bu, bv), (tu, tv), wb, _ = TOES[i]
    half = wb / 2 + 3
    return poly(FRAME.many([(bu - half, bv - 3), (bu + half, bv - 3), (tu + half, tv + 20), (tu - half, tv + 20)]))


def build() -> View:
    right = Outline()
    right.extend(FRAME.many(sole_points()))
    left = Outline()
    left.extend([(-x, y) for x, y in right.points])
    sole = right.polygon()
    k = [
        ("toe-fifth", toe_box(0)), ("toe-fourth", toe_box(1)), ("toe-third", toe_box(2)),
        ("toe-second", toe_box(3)), ("toe-big", toe_box(4)),
        ("ball-medial", poly(FRAME.many([(-80, 150), (2, 150), (0, 230), (-80, 230)]))),
        ("ball-lateral", poly(FRAME.many([(2, 150), (80, 150), (80, 230), (0, 230)]))),
        ("heel", poly(FRAME.many([(-80, -10), (80, -10), (80, 72), (-80, 72)]))),
        ("arch", poly(FRAME.many([(-80, 72), (-4, 72), (-2, 150), (-80, 150)]))),
        ("sole-lateral", poly(FRAME.many([(-4, 72), (80, 72), (80, 150), (-2, 150)]))),
    ]
    regions = paint(sole, k)
    named: dict[str, tuple[str, str, shapely.Geometry]] = {}
    for name, geom in regions.items():
        named[f"{name}-right"] = (name, "right", geom)
        named[f"{name}-left"] = (name, "left", shapely.affinity.scale(geom, -1, 1, origin=(0, 0)))
    marks = [("heel", 0, 30), ("arch", -28, 105), ("ball-of-foot", -8, 185), ("fifth-metatarsal-head", 41, 192), ("big-toe", -33, 236), ("lesser-toes", 8, 232)]
    landmarks = []
    for lid, u, v in marks:
        x, y = FRAME(u, v)
        landmarks += [(lid, "right", x, y), (lid, "left", -x, y)]
    return View(
        name="plantar",
        title="Plantar view (soles)",
        viewbox=(-200, -48, 400, 330),
        bodies=[right, left],
        guides=guides(),
        regions=named,
        landmarks=landmarks,
        labels=[Label("L", -172, -24, 13), Label("R", 172, -24, 13)],
    )


def guides() -> list[Guide]:
    g: list[Guide] = []
    for i, ((bu, bv), (tu, tv), wb, wt) in enumerate(TOES):
        w = wb * 0.8
        g.append(Guide(FRAME.many([(bu - w / 2, bv + 3), (bu, bv + 1.5), (bu + w / 2, bv + 3)]), False, "feature-fine"))
    g.append(Guide(FRAME.many([(-44, 172), (-16, 180), (14, 176), (40, 166)]), False, "guide-faint"))  # ball crease
    g.append(Guide(FRAME.many([(-30, 70), (-8, 78), (16, 76), (34, 64)]), False, "guide-faint"))  # heel pad
    g.append(Guide(FRAME.many([(-30, 96), (-26, 120), (-30, 146)]), False, "guide-faint"))  # arch
    return g + [Guide([(-x, y) for x, y in gd.points], gd.closed, gd.style) for gd in g]

