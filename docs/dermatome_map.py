"""The dermatome map as one partition of the chart: regenerate the dermatome drawings and check pictures.

The drawings in ``referral_maps/nerves/dermatomes/*.svg`` are generated from
this file, so that every level agrees with its neighbours: each view of the
patient's right side is cut into cells, one level per cell, by boundary curves
(between the trunk bands, across the limbs) and by the chart's regions (the
fingers, the sole); each level's territory is its cells grown by a small
overlap into the neighbouring levels. The map follows Lee MWL, McPhee RW,
Stringer MD, Clin Anat 2008;21:363-373; where that map leaves skin blank or
does not reach (the middle of the forearm, the buttock and the back of the
thigh, the sole, S3 to S5) the cells follow Foerster's map and the ASIA key
points (see ``referral_maps/README.md``). Edit the curves here, not the SVGs.

    python docs/dermatome_map.py            # write the SVGs, then /tmp/dermatomes-*.png from the loaded atlas
    python docs/dermatome_map.py --check    # only the pictures and the coverage

Coordinates: the anterior and posterior views are built in ``u`` = distance
from the midline (the right side: x = -u in the anterior view, x = u in the
posterior and plantar views); the right-lateral view in chart x (+x anterior).
Boundary curves are point lists, smoothed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import shapely
from dermatome_tools import (
    FAR,
    OVERLAP,
    Canvas,
    Pts,
    above,
    band,
    below,
    const,
    draw_pictures,
    ellipse,
    grow,
    left_of,
    lerp,
    right_of,
    rows,
    share,
    smooth,
    write_drawings,
)
from shapely.geometry import LineString, Polygon, box
from shapely.geometry.base import BaseGeometry

from nmt_bodymap.chart import load_chart

OUT = Path(__file__).resolve().parent.parent / "referral_maps" / "nerves" / "dermatomes"
#: On the fingers and the hand the overlap is smaller (mm).
OVERLAP_HAND = 1.5
#: Levels that are not neighbours meet without overlapping (along the axial lines of the limbs, and where C4
#: meets T2 on the chest), except these, which share the middle of the forearm that Lee et al. leave blank.
SHARED_BLANKS = {frozenset(p) for p in (("C6", "C8"), ("C6", "T1"), ("C7", "T1"))}
FACE = ("forehead", "temple", "eye", "nose", "cheek", "mouth", "chin", "jaw")


# ----------------------------------------------------------------------------------------- the trunk bands
# Each boundary between two trunk levels, as heights: at the back midline (P0) and how much lower it lies at
# the side of the back (D, over u = 0..165); and on the front, as a curve from the midline outwards.
BACK = {  # upper level of the boundary: (P0, D)
    "T1": (327, 60),
    "T2": (356, 72),
    "T3": (385, 60),
    "T4": (414, 50),
    "T5": (443, 40),
    "T6": (472, 35),
    "T7": (501, 32),
    "T8": (530, 32),
    "T9": (559, 32),
    "T10": (588, 32),
    "T11": (617, 32),
    "T12": (646, 40),
}
FRONT: dict[str, Pts] = {  # upper level of the boundary: the curve (u, y) from the midline out
    "C4": [(0, 345), (60, 346), (120, 348), (150, 345), (175, 338), (195, 337), (215, 343), (240, 352), (270, 362)],
    "T2": [(0, 385), (60, 390), (110, 400), (140, 415), (150, 426), (165, 440), (200, 450)],
    "T3": [(0, 425), (60, 428), (120, 436), (170, 448), (200, 450)],
    "T4": [(0, 472), (70, 470), (120, 468), (170, 470), (200, 470)],
    "T5": [(0, 496), (80, 494), (170, 490), (200, 490)],
    "T6": [(0, 526), (80, 520), (170, 512), (200, 512)],
    "T7": [(0, 567), (80, 560), (170, 540), (200, 540)],
    "T8": [(0, 608), (80, 598), (170, 568), (200, 566)],
    "T9": [(0, 649), (80, 636), (170, 596), (200, 594)],
    "T10": [(0, 693), (80, 678), (130, 650), (170, 625), (200, 622)],
    "T11": [(0, 745), (60, 735), (120, 700), (170, 660), (200, 655)],
    "T12": [(0, 815), (30, 812), (60, 800), (100, 778), (125, 765), (150, 742), (175, 720), (200, 712)],
    "L1": [(0, 910), (20, 905), (40, 900), (60, 890), (90, 873), (120, 855), (150, 840), (180, 828), (210, 825)],
    "L2": [(0, 1150), (25, 1140), (60, 1100), (100, 1055), (140, 1020), (180, 1000), (210, 995)],
    "L3": [(0, 1305), (30, 1300), (70, 1292), (100, 1278), (140, 1262), (200, 1255)],
}
#: The lower edge of C4 on the back and over the shoulder (u, y).
POSTERIOR_C4: Pts = [(0, 298), (40, 303), (90, 322), (130, 340), (175, 345), (210, 345), (250, 352), (280, 362)]
THORACIC = [f"T{i}" for i in range(2, 13)]


def back_curve(level: str) -> list[tuple[float, float]]:
    p0, d = BACK[level]
    return [(u, p0 + d * (u / 165.0) ** 1.4) for u in (0, 20, 40, 60, 80, 100, 120, 140, 165, 200)]


# ----------------------------------------------------------------------------------------- anterior
#: The folds where the arm leaves the trunk, top to bottom (u, y): lateral of it is the arm.
ARM_FOLD: Pts = [
    (128, 300),
    (135, 345),
    (150, 375),
    (157, 400),
    (159, 420),
    (165, 500),
    (175, 600),
    (190, 700),
    (215, 800),
    (240, 900),
    (245, 1100),
]
#: On the palm and the back of the hand, the lines up from the clefts either side of the middle finger (u, y).
HAND_67: Pts = [(296, 868), (304, 900), (316, 1000), (318, 1100)]
HAND_78: Pts = [(280, 868), (285, 900), (295, 1000), (296, 1100)]


def axial_line(arm: BaseGeometry) -> list[tuple[float, float]]:
    """The axial line of the upper arm (u, y): from the armpit fold to the middle of the arm, down to the elbow."""
    middle = []
    for y in range(470, 661, 20):
        cut = shapely.intersection(arm, LineString([(0, y), (FAR, y)]))
        middle.append(((cut.bounds[0] + cut.bounds[2]) / 2, float(y)))
    return [(159.0, 418.0), (170.0, 432.0), *middle]


def upper_limb(c: Canvas, dorsal: bool) -> None:
    """The arm of the anterior (palm) or posterior (back of the hand) view, below the C4 cap."""
    arm = shapely.intersection(c.body, right_of(ARM_FOLD))
    side = "dorsal" if dorsal else "palmar"
    # fingers and the eminences first: their borders are the chart's
    c.claim("C6", c.region(f"thumb-{side}", f"finger-index-{side}"), OVERLAP_HAND)
    c.claim("C7", c.region(f"finger-middle-{side}"), OVERLAP_HAND)
    c.claim("C8", c.region(f"finger-ring-{side}", f"finger-little-{side}"), OVERLAP_HAND)
    if not dorsal:
        c.claim("C6", c.region("thenar"), OVERLAP_HAND)
        c.claim("C8", c.region("hypothenar"), OVERLAP_HAND)
    hand = shapely.intersection(arm, rows(868, FAR))
    c.claim("C6", shapely.intersection(hand, right_of(HAND_67)), OVERLAP_HAND)
    c.claim("C8", shapely.intersection(hand, left_of(HAND_78)), OVERLAP_HAND)
    c.claim("C7", hand, OVERLAP_HAND)
    # the upper arm: T2 then T1 on the inner (postaxial) half, C5 on the outer half and over the shoulder
    # below the C4 cap (the regimental badge); between them the axial line, from the armpit down the middle
    inner = shapely.intersection(arm, left_of(axial_line(arm)))
    c.claim("T2", shapely.intersection(inner, rows(-FAR, 530)))
    c.claim("T1", shapely.intersection(inner, rows(530, 655)))
    c.claim("C5", shapely.intersection(arm, rows(-FAR, 655)))
    # the forearm: C6 outside, T1 then C8 inside; Lee et al. leave its middle blank (C7 varies):
    # the volar middle is shared by C6 and T1/C8, the dorsal middle drawn as C7 after Foerster
    if dorsal:
        c.claim("C6", share(arm, 655, 870, const(0.62), const(1.0)))
        c.claim("C7", share(arm, 655, 870, const(0.38), const(0.62)), OVERLAP + 2)
        c.claim("T1", share(arm, 655, 775, const(0.0), const(0.38)))
        c.claim("C8", share(arm, 775, 870, const(0.0), const(0.38)))
    else:
        c.claim("C6", share(arm, 655, 870, const(0.5), const(1.0)), OVERLAP + 2)
        c.claim("T1", share(arm, 655, 775, const(0.0), const(0.5)), OVERLAP + 2)
        c.claim("C8", share(arm, 775, 870, const(0.0), const(0.5)), OVERLAP + 2)


def face_front(c: Canvas) -> None:
    """The face is the trigeminal nerve's, but for the lower ear and the angle of the jaw (great auricular, C2)."""
    c.claim("C2", shapely.intersection(c.region("ear"), rows(114, FAR)))
    c.claim("C2", shapely.intersection(c.region("jaw"), box(56, 150, FAR, 214)))
    c.reserve(c.region(*FACE, "scalp", "ear"))


def neck_and_trunk_front(c: Canvas) -> None:
    c.claim("C4", above(FRONT["C4"]))
    upper = FRONT["C4"]
    for level in THORACIC:
        c.claim(level, shapely.intersection(shapely.difference(c.body, right_of(ARM_FOLD)), band(upper, FRONT[level])))
        upper = FRONT[level]
    c.claim("L1", band(FRONT["T12"], FRONT["L1"]))
    c.claim("L2", band(FRONT["L1"], FRONT["L2"]))
    c.claim("L3", band(FRONT["L2"], FRONT["L3"]))


L45: Pts = [(78, 1270), (77, 1380), (70, 1480), (64, 1600), (62, 1650), (56, 1690), (52, 1715), (46, 1730), (40, 1760)]
L5S1_FRONT: Pts = [
    (160, 1270),
    (150, 1560),
    (95, 1585),
    (88, 1620),
    (86, 1670),
    (96, 1700),
    (108, 1725),
    (117.5, 1738),
    (117.5, 1780),
]


def anterior() -> Canvas:
    c = Canvas.of("anterior")
    face_front(c)
    c.claim("C2", above([(0, 238), (30, 236), (50, 228), (65, 215), (100, 205)]))
    c.claim("C3", above([(0, 300), (40, 297), (55, 290), (65, 278), (100, 270)]))
    c.claim("C4", shapely.intersection(c.body, above(FRONT["C4"])))  # the cap over the shoulder
    upper_limb(c, dorsal=False)
    neck_and_trunk_front(c)
    leg = shapely.intersection(c.body, below(FRONT["L3"]))
    c.claim("S1", shapely.intersection(leg, right_of(L5S1_FRONT)))
    c.claim("L4", shapely.intersection(leg, left_of(L45)))
    c.claim("L5", leg)
    return c


# ----------------------------------------------------------------------------------------- posterior
GLUTEAL_FOLD: Pts = [(0, 915), (40, 920), (100, 918), (150, 910), (200, 905)]
BUTTOCK_ARCS: dict[str, Pts] = {  # the lower edge of each level's arc around the sacrum and the anus
    "L1": [(0, 676), (60, 688), (110, 720), (150, 760), (185, 790), (220, 800)],
    "L2": [(0, 706), (50, 720), (100, 755), (140, 800), (165, 870), (180, 930), (200, 960), (220, 970)],
    "L3": [(0, 752), (30, 762), (70, 790), (110, 835), (135, 880), (150, 915), (165, 980)],
    "S1": [(0, 790), (25, 800), (60, 828), (90, 865), (105, 895), (112, 925), (118, 980)],
    "S2": [(0, 835), (25, 845), (50, 862), (65, 885), (70, 915), (72, 980)],
}
KNEE_BACK = 1268


def posterior() -> Canvas:
    c = Canvas.of("posterior")
    # the back of the head and neck: C2 up to the vertex (the trigeminal nerve stops there), C3, C4
    c.claim("C2", c.region("ear"))
    c.claim("C2", above([(0, 205), (30, 205), (55, 200), (100, 195)]))
    c.claim("C3", above([(0, 262), (40, 264), (60, 270), (100, 270)]))
    c.claim("C4", above(POSTERIOR_C4))
    upper_limb(c, dorsal=True)
    trunk = shapely.difference(c.body, right_of(ARM_FOLD))
    upper: Pts = POSTERIOR_C4
    for level in ["T1", *THORACIC]:
        c.claim(level, shapely.intersection(trunk, band(upper, back_curve(level))))
        upper = back_curve(level)
    # the low back and buttock: arcs around the sacrum; below the gluteal fold, strips down the thigh
    seat = shapely.intersection(c.body, above(GLUTEAL_FOLD))
    for level, lower in BUTTOCK_ARCS.items():
        c.claim(level, shapely.intersection(seat, band(upper, lower)))
        upper = lower
    c.claim("S4-5", ellipse(0, 908, 15, 15), layer="midline")
    c.claim("S3", seat)
    thigh = shapely.intersection(trunk, below(GLUTEAL_FOLD))
    thigh = shapely.intersection(thigh, rows(-FAR, KNEE_BACK + 40))
    ys, ye = 880, KNEE_BACK
    wide = shapely.intersection(trunk, rows(ys, ye))  # the hips and thighs, across which the strips are measured
    c.claim("S3", share(thigh, ys, 995, const(0), lerp(918, 0.38, 995, 0.03), wide))  # tapering below the fold
    c.claim("L2", share(thigh, ys, 1090, const(0), const(0.22), wide))
    c.claim("L3", share(thigh, 1090, ye, const(0), const(0.22), wide))
    c.claim("S2", share(thigh, ys, ye, const(0.22), const(0.62), wide))
    c.claim("S1", share(thigh, ys, ye, const(0.62), const(0.82), wide))
    c.claim("L2", share(thigh, ys, 960, const(0.82), const(1.0), wide))
    c.claim("L3", share(thigh, 960, 1250, const(0.82), const(1.0), wide))
    leg = shapely.intersection(c.body, rows(1240, FAR))
    c.claim("L5", share(leg, 1250, 1560, const(0.85), const(1.0)))
    c.claim("L4", share(leg, ye, 1690, const(0.0), const(0.3)))
    c.claim("S2", share(leg, ye, 1490, lerp(ye, 0.3, 1490, 0.44), lerp(ye, 0.62, 1490, 0.48)))
    c.claim("S1", shapely.intersection(leg, rows(ye - 10, FAR)))
    return c


# ----------------------------------------------------------------------------------------- right lateral
def height(curve: Pts, u: float) -> float:
    """The height of a boundary curve (u, y) at u (flat beyond its ends)."""
    pts = sorted(curve)
    return float(np.interp(u, [p[0] for p in pts], [p[1] for p in pts]))


def side_curve(back: Pts, front: Pts) -> list[tuple[float, float]]:
    """A trunk boundary in the lateral view, joining the posterior view's curve to the anterior view's.

    The lateral view's back edge shows the back about 40 mm from the spine, its front edge the front about
    50 mm from the midline, and under the arm the side of the chest where the two views meet (the chart's
    landmarks shown in both views place them so).
    """
    yb, yf = height(back, 40), height(front, 50)
    mid = (height(back, 165) + height(front, 165)) / 2
    return [
        (-150, yb),
        (-112, yb),
        (-60, height(back, 120)),
        (-10, mid),
        (62, height(front, 142)),
        (112, yf),
        (150, yf),
    ]


LATERAL_HIP: dict[str, Pts] = {  # lower edges of L1 and L2 on the side of the hip and thigh
    "L1": [(-150, 705), (-112, 708), (-60, 740), (-16, 790), (40, 830), (76, 862), (100, 878), (150, 885)],
    "L2": [
        (-150, 742),
        (-112, 745),
        (-80, 785),
        (-50, 850),
        (-16, 960),
        (-4, 1000),
        (40, 1035),
        (76, 1060),
        (112, 1075),
        (150, 1080),
    ],
}
#: Behind this line (x(y), top to bottom) the back of the buttock, thigh, calf and heel: S1 (S2 at the back edge).
LATERAL_S1: Pts = [
    (-130, 805),
    (-112, 808),
    (-90, 830),
    (-70, 862),
    (-55, 900),
    (-48, 940),
    (-46, 980),
    (-44, 1100),
    (-42, 1200),
    (-42, 1250),
    (-36, 1300),
    (-36, 1560),
    (-12, 1622),
    (12, 1660),
    (34, 1700),
    (34, 1800),
]
LATERAL_FOOT: Pts = [(-20, 1700), (34, 1703), (60, 1712), (140, 1722), (200, 1726)]
LATERAL_KNEE: Pts = [(-60, 1250), (0, 1252), (40, 1275), (80, 1296)]
#: The lower buttock and the back edge of the thigh and calf, where the S2 strip shows.
LATERAL_S2: Pts = [
    (-200, 860),
    (-112, 865),
    (-96, 885),
    (-88, 925),
    (-80, 1000),
    (-70, 1100),
    (-53, 1200),
    (-50, 1250),
    (-58, 1300),
    (-68, 1400),
    (-62, 1490),
    (-200, 1490),
]


def lateral() -> Canvas:
    c = Canvas.of("right-lateral")
    arm = c.view.overlay
    # head and neck
    c.claim("C2", shapely.intersection(c.region("ear"), rows(115, FAR)))
    c.claim("C2", shapely.intersection(c.region("jaw"), box(-FAR, 140, 22, 216)))  # over the angle of the jaw
    c.claim("C2", shapely.intersection(c.region("scalp", "temple"), box(-FAR, -FAR, -20, 120)))  # behind the vertex
    c.reserve(c.region(*FACE, "scalp", "ear"))
    c.claim("C2", above([(-140, 198), (-72, 200), (-30, 205), (10, 213), (40, 222), (70, 232), (140, 240)]))
    c.claim("C3", above([(-140, 262), (-78, 262), (-40, 272), (0, 283), (30, 293), (60, 300), (140, 305)]))
    c4 = side_curve(POSTERIOR_C4, FRONT["C4"])
    c.claim("C4", shapely.intersection(above(c4), arm), layer="arm")
    c.claim("C4", above(c4))
    # the arm hanging over the side: C5 outside the upper arm, C6 the outer forearm and the thumb side of the hand
    c.claim("C5", shapely.intersection(arm, rows(-FAR, 652)), layer="arm")
    c.claim("C6", arm, layer="arm")
    # the trunk, behind and in front of the arm: the back's bands meet the front's under the arm
    trunk = shapely.difference(c.body, arm)
    t1 = back_curve("T1")
    t1_2 = [
        (-150, height(t1, 40)),
        (-112, height(t1, 40)),
        (-60, height(t1, 120)),
        (-10, height(t1, 165)),
        (30, height(FRONT["C4"], 150)),
        (150, height(FRONT["C4"], 150)),
    ]
    c.claim("T1", shapely.intersection(trunk, shapely.intersection(above(t1_2), box(-FAR, -FAR, 0, FAR))))
    upper: Pts = c4
    for level in THORACIC:
        lower = side_curve(back_curve(level), FRONT[level])
        c.claim(level, shapely.intersection(trunk, band(upper, lower)))
        upper = lower
    c.claim("S2", shapely.intersection(trunk, Polygon([LATERAL_S2[0], *smooth(LATERAL_S2[1:-1]), LATERAL_S2[-1]])))
    s1 = shapely.union(left_of(LATERAL_S1), below(LATERAL_FOOT))
    for level, lower in LATERAL_HIP.items():
        c.claim(level, shapely.intersection(trunk, shapely.difference(band(upper, lower), s1)))
        upper = lower
    c.claim("S1", shapely.intersection(trunk, s1))
    c.claim("L3", shapely.intersection(trunk, above(LATERAL_KNEE)))
    c.claim("L5", trunk)
    return c


# ----------------------------------------------------------------------------------------- plantar
def plantar() -> Canvas:
    c = Canvas.of("plantar")
    c.claim("S1", c.region("heel", "toe-fourth", "toe-fifth"))
    medial_edge = left_of([(52, 90), (63, 112), (71, 150), (70, 190), (64, 200)])
    c.claim("L4", shapely.intersection(medial_edge, rows(90, 200)))
    c.claim("L5", c.region("toe-big", "toe-second", "toe-third"))
    c.claim("L5", left_of([(111, 30), (108, 60), (100, 110), (94, 150), (91, 200)]))
    c.claim("S1", c.body)
    return c


#: Landmarks each level must not reach (checked in every view that shows them): its neighbours' key places.
EXCLUDES: dict[str, str] = {
    "C2": "side-of-neck back-of-neck clavicle",
    "C3": "occiput clavicle acromion",
    "C4": "lateral-deltoid pectoral interscapular front-of-arm",
    "C5": "thumb-tip medial-epicondyle acromion volar-wrist",
    "C6": "middle-finger little-finger hypothenar medial-epicondyle",
    "C7": "thumb-tip index-finger little-finger",
    "C8": "thumb-tip index-finger middle-finger antecubital",
    "T1": "thumb-tip little-finger armpit sternum",
    "T2": "xiphoid medial-epicondyle sternal-notch",
    "T3": "sternal-notch xiphoid",
    "T4": "clavicle xiphoid",
    "T5": "sternal-notch umbilicus",
    "T6": "pectoral umbilicus",
    "T7": "sternum umbilicus",
    "T8": "xiphoid umbilicus",
    "T9": "xiphoid umbilicus",
    "T10": "xiphoid groin",
    "T11": "epigastric groin",
    "T12": "umbilicus front-of-thigh",
    "L1": "umbilicus front-of-thigh patella",
    "L2": "umbilicus patella shin",
    "L3": "groin shin medial-malleolus",
    "L4": "big-toe lateral-malleolus patella heel",
    "L5": "medial-malleolus heel patella",
    "S1": "big-toe medial-malleolus top-of-foot patella",
    "S2": "heel coccyx lateral-malleolus",
    "S3": "sacrum back-of-knee heel",
    "S4-5": "sacrum ischial-tuberosity",
}


def main(argv: list[str]) -> int:
    canvases = {"anterior": anterior(), "posterior": posterior(), "right-lateral": lateral(), "plantar": plantar()}
    pieces = grow(canvases, SHARED_BLANKS)
    for name, c in canvases.items():
        gap = c.leftover()
        print(f"{name}: unclaimed {gap.area:.0f} mm² of {c.body.area:.0f}", file=sys.stderr)
    if "--check" not in argv:
        write_drawings(pieces, OUT, EXCLUDES)
    from nmt_bodymap.nerves import dermatome_coverage, load_nerves

    atlas = load_nerves([OUT])
    for problem in atlas.problems:
        print(problem, file=sys.stderr)
    shown = [
        (s.nerve.level, view, geom)
        for s in atlas.sided
        if s.nerve.kind == "dermatome"
        for view, geom in s.territory.items()
    ]
    for path in draw_pictures(shown, "dermatomes"):
        print("wrote", path)
    shares = dermatome_coverage(atlas, load_chart())
    print("coverage outside the face: " + ", ".join(f"{k} {v:.1%}" for k, v in shares.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
