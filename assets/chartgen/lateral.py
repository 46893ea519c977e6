"""Right lateral view: the patient's right side, facing the viewer's right.

+x is anterior. Heights match the front views. The arm hangs palm forward,
so we see its radial side; it is drawn as a second shape over the trunk, and
its regions hide the trunk behind it. The upper arm hangs along the side of
the chest; the elbow is slightly bent so the forearm and hand swing forward
and the hand hangs in front of the thigh, leaving the side of the hip (the
greater trochanter) and the thigh in view. The left-lateral view is this one
in a mirror (see build.mirror_view).
"""

from __future__ import annotations

import numpy as np
import shapely
from partition import paint
from shapes import Frame, Guide, Outline, box, ellipse, poly, smooth_poly
from viewmodel import Label, View

SIDE = "right"

PROFILE = [
    (-5, 0), (25, 3), (55, 13), (78, 32), (91, 58), (96, 84), (98, 96), (94, 106),
    (99, 121), (109, 139), (116, 150), (114, 156), (104, 159), (99, 162),
    (103, 168), (104, 175), (100, 180), (103, 185), (100, 191), (96, 197), (101, 207), (100, 218),
    (91, 227), (74, 232), (56, 235), (41, 238),
    (40, 255), (43, 276), (50, 298), (67, 322), (88, 352), (102, 395), (110, 440), (111, 468),
    (105, 500), (96, 530), (93, 565), (96, 610), (103, 660), (106, 700), (104, 750), (97, 800),
    (90, 845), (90, 885), (92, 930), (91, 990), (87, 1055), (80, 1120), (72, 1180), (70, 1205),
    (74, 1228), (70, 1255), (62, 1278), (63, 1300), (57, 1360), (51, 1450), (46, 1540), (42, 1620),
    (44, 1655), (62, 1680), (95, 1700), (130, 1717), (160, 1729), (174, 1735), (181, 1740), (183, 1746),
    (178, 1752), (140, 1753), (80, 1753), (20, 1753), (-45, 1752), (-62, 1738), (-66, 1716),
    (-57, 1684), (-51, 1645), (-52, 1585), (-60, 1505), (-74, 1432), (-84, 1372), (-84, 1322),
    (-74, 1280), (-62, 1242), (-64, 1200), (-72, 1130), (-82, 1052), (-92, 972), (-101, 925),
    (-113, 880), (-120, 830), (-116, 782), (-100, 740), (-83, 700), (-77, 660), (-81, 610),
    (-93, 540), (-102, 462), (-104, 402), (-98, 350), (-85, 312), (-70, 287), (-58, 266),
    (-54, 242), (-58, 216), (-80, 196), (-96, 170), (-104, 130), (-102, 90), (-92, 50), (-70, 20), (-40, 4),
]
PROFILE_CORNERS = {7, 13, 16, 25}  # nasion, subnasale, mouth, under the chin

ARM = [  # the arm hanging straight (before the elbow bend), clockwise from the top of the deltoid
    (10, 313), (30, 324), (42, 348), (46, 384), (43, 428), (41, 480), (40, 540), (36, 600), (33, 634),
    (38, 680), (37, 742), (29, 815), (21, 876), (27, 905), (33, 942), (35, 978), (33, 1002), (27, 1010),
    (22, 1006), (19, 1022), (16, 1052), (11, 1076), (4, 1086), (-3, 1083), (-8, 1062), (-11, 1030),
    (-13, 990), (-14, 935), (-16, 890), (-24, 815), (-32, 742), (-38, 682), (-43, 648), (-40, 610),
    (-44, 560), (-46, 500), (-44, 442), (-48, 400), (-44, 360), (-34, 330), (-15, 315),
]
ARM_CORNERS = {18}  # thumb web
ARM_EDGE = (2, 37)  # stroke the outline from the front of the deltoid round to its back

# The elbow bend: below the elbow every arm point moves forward by a shear that
# grows smoothly from ELBOW_BEND[0] to full slope at ELBOW_BEND[1]. A shear keeps
# each point's height, so the arm's landmarks stay level with the front views
# (they see the forearm's forward swing end-on).
ELBOW_BEND = (610.0, 680.0, 0.26)  # start, full slope (mm from the vertex), slope (mm forward per mm down)


def bend(x: float, y: float) -> tuple[float, float]:
    """Where a point drawn on the straight hanging arm lies on the bent arm."""
    y0, y1, slope = ELBOW_BEND
    if y <= y0:
        return (x, y)
    if y <= y1:
        return (x + slope * (y - y0) ** 2 / (2 * (y1 - y0)), y)
    return (x + slope * ((y1 - y0) / 2 + (y - y1)), y)


def bent(pts: list[tuple[float, float]]) -> list[tuple[float, float]]:
    return [bend(x, y) for x, y in pts]


def bent_geom(geom: shapely.Geometry) -> shapely.Geometry:
    """A region knife drawn on the straight arm, moved onto the bent one."""
    dense = shapely.segmentize(geom, 2.0)
    return shapely.transform(dense, lambda xy: np.array([bend(float(x), float(y)) for x, y in xy]))


def arm_frame() -> Frame:
    return Frame((0, 330), (0, 1080), +1)


def build() -> View:
    body = Outline()
    for i, (x, y) in enumerate(PROFILE):
        body.add(x, y, corner=i in PROFILE_CORNERS)
    arm = Outline()
    for i, (x, y) in enumerate(bent(ARM)):
        arm.add(x, y, corner=i in ARM_CORNERS)
    edge = Outline(closed=False)
    for i in range(ARM_EDGE[0], ARM_EDGE[1] + 1):
        edge.add(*bend(*ARM[i]), corner=i in ARM_CORNERS)
    body_poly, arm_poly = body.polygon(), arm.polygon()
    silhouette = shapely.union(body_poly, arm_poly)
    regions = paint(silhouette, knives(body_poly, arm_poly))
    return View(
        name="right-lateral",
        title="Right lateral view",
        viewbox=(-420, -60, 840, 1860),
        bodies=[body],
        overlays=[arm],
        edges=[edge],
        guides_behind=guides_behind(),
        guides=guides(),
        regions={f"{n}-{SIDE}": (n, SIDE, g) for n, g in sorted(regions.items())},
        landmarks=[(lid, SIDE if lid not in MIDLINE else "midline", *_placed(lid, x, y)) for lid, x, y in LANDMARKS],
        labels=[Label("R", -345, 40)],
    )


def guides() -> list[Guide]:
    g: list[Guide] = []

    def line(pts: list[tuple[float, float]], cls: str = "guide") -> None:
        g.append(Guide(pts, False, cls))

    def ring(pts: list[tuple[float, float]], cls: str = "guide") -> None:
        g.append(Guide(pts, True, cls))

    # face and ear
    line([(71, 94), (80, 90), (90, 92)], "feature")  # eyebrow
    line([(72, 106), (79, 103), (86, 105)], "feature")
    line([(73, 108), (79, 111), (86, 107)], "feature-fine")
    line([(100, 152), (104, 156), (108, 155)], "feature-fine")  # nostril
    line([(92, 179), (100, 180)], "feature")  # mouth
    ring([(-6, 100), (6, 104), (8, 122), (2, 142), (-2, 156), (-10, 160), (-17, 150), (-24, 128), (-22, 108)], "feature")  # ear
    line([(-2, 113), (-13, 112), (-15, 128), (-8, 140)], "feature-fine")
    line([(6, 168), (14, 190), (35, 212), (62, 224), (86, 226)], "guide-faint")  # jaw
    # arm (drawn on the straight arm, then bent at the elbow)
    line(bent([(36, 632), (20, 640), (4, 640)]), "guide-faint")  # elbow crease
    line(bent([(24, 884), (6, 890), (-12, 892)]), "guide-faint")  # wrist
    line(bent([(26, 914), (20, 950), (21, 985), (22, 1004)]), "feature-fine")  # thumb
    line(bent([(-12, 1000), (-4, 1010), (8, 1012)]), "feature-fine")  # knuckles
    line([(-40, 356), (-20, 345), (4, 344), (26, 352)], "guide-faint")  # deltoid cap
    # leg
    ring([(54, 1200), (66, 1198), (73, 1215), (72, 1240), (64, 1258), (54, 1256), (49, 1232)], "guide")  # patella
    line([(-62, 1240), (-44, 1238)], "guide")  # knee crease
    ring([(-18, 1254), (-8, 1254), (-6, 1266), (-14, 1272), (-21, 1264)], "guide-faint")  # fibular head
    ring([(-22, 1667), (-10, 1665), (-6, 1677), (-14, 1687), (-24, 1681)], "guide-faint")  # lateral malleolus
    line([(-8, 1726), (60, 1722), (120, 1730)], "guide-faint")  # sole edge
    for x0 in (146, 158, 168):
        line([(x0, 1729), (x0 + 3, 1741)], "feature-fine")  # toes
    return g


def guides_behind() -> list[Guide]:
    """Trunk guides, drawn before the arm so the arm hides them."""
    return [
        Guide([(48, 302), (28, 310), (8, 316)], False, "guide-faint"),  # clavicle
        Guide([(108, 452), (110.5, 455), (108, 458), (105.5, 455)], True, "nipple"),
        Guide([(78, 772), (50, 740), (10, 712), (-40, 708), (-68, 722)], False, "guide"),  # iliac crest
        Guide([(-101, 925), (-82, 922), (-64, 914)], False, "guide"),  # gluteal fold
        Guide([(40, 880), (70, 850), (88, 842)], False, "guide-faint"),  # inguinal fold
    ]


def knives(body: shapely.Geometry, arm: shapely.Geometry) -> list[tuple[str, shapely.Geometry]]:
    head = poly([(-200, -60), (200, -60), (200, 236), (41, 238), (14, 200), (-30, 192), (-56, 212), (-200, 212)])
    neck = shapely.difference(poly([(41, 238), (14, 200), (-30, 192), (-56, 212), (-200, 212), (-200, 290), (-70, 290), (30, 300), (50, 312), (200, 312), (200, 238)]), head)
    af = arm_frame()

    def in_head(g: shapely.Geometry) -> shapely.Geometry:
        return shapely.intersection(g, head)

    def in_arm(g: shapely.Geometry) -> shapely.Geometry:
        return shapely.intersection(g, arm)

    def trunk(g: shapely.Geometry) -> shapely.Geometry:
        return shapely.difference(shapely.difference(shapely.difference(g, arm), head), neck)

    front_strip = smooth_poly([(200, 300), (62, 312), (76, 360), (84, 440), (80, 530), (76, 620), (82, 720), (72, 800), (60, 860), (200, 860)])
    back_strip = smooth_poly([(-300, 280), (-60, 300), (-72, 380), (-74, 480), (-64, 600), (-52, 680), (-62, 740), (-300, 740)])

    return [
        # head
        ("ear", ellipse(-8, 130, 17, 32)),
        ("eye", ellipse(80, 107, 13, 8)),
        ("nose", in_head(poly([(200, 100), (96, 104), (97, 150), (94, 162), (200, 162)]))),
        ("mouth", in_head(poly([(200, 162), (88, 164), (86, 192), (200, 192)]))),
        ("chin", in_head(poly([(200, 192), (82, 192), (70, 232), (200, 238)]))),
        ("scalp", in_head(box(-200, -60, 200, 38))),
        ("forehead", in_head(box(62, 38, 200, 100))),
        # the suboccipital triangle: the nape below the occipital bone, level with C1 to C2
        ("suboccipital", box(-200, 162, -48, 240)),
        ("occiput", in_head(box(-200, 38, -48, 240))),
        ("mastoid", in_head(box(-48, 150, -14, 240))),
        ("temple", in_head(box(-48, 38, 62, 120))),
        ("cheek", in_head(box(38, 100, 200, 192))),
        ("jaw", head),
        # neck and top of the shoulder
        ("neck-front", shapely.intersection(neck, box(14, 150, 200, 320))),
        ("neck-back", shapely.intersection(neck, box(-200, 150, -34, 320))),
        ("neck-side", neck),
        ("shoulder-top", trunk(box(-200, 280, 200, 330))),
        # arm: front, middle and back bands along its length
        ("shoulder-front", in_arm(af_box(af, 14, 200, -40, 110))),
        ("shoulder-back", in_arm(af_box(af, -200, -16, -40, 110))),
        ("shoulder-lateral", in_arm(af_box(af, -200, 200, -40, 110))),
        ("arm-anterior", in_arm(af_box(af, 20, 200, 110, 285))),
        ("arm-posterior", in_arm(af_box(af, -200, -24, 110, 285))),
        ("arm-lateral", in_arm(af_box(af, -200, 200, 110, 285))),
        ("elbow-anterior", in_arm(af_box(af, 18, 200, 285, 360))),
        ("elbow-posterior", in_arm(af_box(af, -200, -22, 285, 360))),
        ("elbow-lateral", in_arm(af_box(af, -200, 200, 285, 360))),
        ("forearm-volar", in_arm(af_box(af, 16, 200, 360, 530))),
        ("forearm-dorsal", in_arm(af_box(af, -200, -16, 360, 530))),
        ("forearm-radial", in_arm(af_box(af, -200, 200, 360, 530))),
        ("wrist-radial", in_arm(af_box(af, -200, 200, 530, 575))),
        ("thumb", in_arm(bent_geom(poly([(21, 940), (60, 940), (60, 1030), (18, 1020), (14, 980)])))),
        ("hand-radial", arm),
        # trunk: front strip, side, back strip
        ("chest-upper", trunk(shapely.intersection(front_strip, box(-200, 280, 200, 420)))),
        ("chest-lower", trunk(shapely.intersection(front_strip, box(-200, 420, 200, 525)))),
        ("hypochondrium", trunk(shapely.intersection(front_strip, box(-200, 525, 200, 615)))),
        ("iliac-fossa", trunk(shapely.intersection(front_strip, box(-200, 735, 200, 870)))),
        ("back-lateral", trunk(shapely.intersection(back_strip, box(-300, 280, 200, 622)))),
        ("lumbar-lateral", trunk(shapely.intersection(back_strip, box(-300, 622, 200, 740)))),
        ("chest-lateral", trunk(box(-200, 280, 200, 615))),
        ("flank", trunk(box(-200, 615, 200, 735))),
        ("buttock-upper", trunk(box(-200, 735, -56, 835))),
        ("buttock", trunk(poly([(-62, 835), (-70, 914), (-110, 930), (-200, 930), (-200, 835)]))),
        ("hip-lateral", trunk(poly([(-200, 735), (60, 735), (88, 842), (40, 880), (-64, 914), (-200, 930)]))),
        # leg
        ("thigh-anterior", trunk(box(42, 800, 200, 1180))),
        ("thigh-posterior", trunk(box(-200, 880, -46, 1180))),
        ("thigh-lateral", trunk(box(-200, 800, 200, 1180))),
        ("knee-anterior", trunk(box(40, 1180, 200, 1300))),
        ("knee-posterior", trunk(box(-200, 1180, -40, 1300))),
        ("knee-lateral", trunk(box(-200, 1180, 200, 1300))),
        ("heel", trunk(poly([(-200, 1700), (-10, 1700), (-20, 1760), (-200, 1760)]))),
        ("toes-lesser", trunk(box(140, 1600, 300, 1800))),
        ("foot-dorsum", trunk(poly([(30, 1640), (300, 1640), (300, 1722), (40, 1714)]))),
        ("foot-lateral", trunk(box(-10, 1700, 300, 1800))),
        ("achilles", trunk(box(-200, 1560, -36, 1700))),
        ("ankle-lateral", trunk(box(-200, 1630, 200, 1700))),
        ("shin", trunk(box(24, 1300, 200, 1630))),
        ("calf", trunk(box(-200, 1300, -36, 1630))),
        ("leg-lateral", trunk(box(-200, 1300, 200, 1630))),
    ]


def af_box(frame: Frame, u0: float, u1: float, v0: float, v1: float) -> shapely.Geometry:
    """A band of the arm, from ``v0`` to ``v1`` mm down the straight arm, on the bent arm."""
    return bent_geom(poly(frame.many([(u0, v0), (u1, v0), (u1, v1), (u0, v1)])))


MIDLINE = {"vertex", "chin", "throat", "c7", "sternal-notch"}
# Landmarks on the arm, given on the straight arm and moved with the elbow bend.
ON_ARM = {
    "lateral-epicondyle", "olecranon", "antecubital", "dorsal-forearm", "volar-forearm",
    "radial-styloid", "thumb-base", "thumb-tip",
}


def _placed(lid: str, x: float, y: float) -> tuple[float, float]:
    return bend(x, y) if lid in ON_ARM else (float(x), float(y))

LANDMARKS = [
    ("vertex", 0, 6), ("forehead", 82, 60), ("eyebrow", 86, 93), ("eye", 80, 107), ("temple", 50, 92),
    ("cheek", 70, 145), ("tmj", 14, 130), ("ear", -8, 128), ("mastoid", -28, 168), ("upper-teeth", 94, 172),
    ("lower-teeth", 92, 187), ("jaw-angle", 16, 186), ("chin", 97, 212), ("occiput", -90, 150),
    ("suboccipital", -68, 178), ("back-of-neck", -52, 258), ("side-of-neck", -4, 248),
    ("neck-shoulder-angle", -22, 286), ("throat", 40, 262), ("c7", -64, 284), ("sternal-notch", 52, 306),
    ("acromion", -6, 324), ("clavicle", 36, 312), ("front-of-shoulder", 30, 372), ("lateral-deltoid", 0, 392),
    ("back-of-shoulder", -34, 372), ("back-of-arm", -38, 527), ("front-of-arm", 34, 527),
    ("lateral-epicondyle", 0, 634), ("olecranon", -38, 644), ("antecubital", 30, 644),
    ("dorsal-forearm", -26, 754), ("volar-forearm", 28, 754), ("radial-styloid", 4, 880),
    ("thumb-base", 22, 915), ("thumb-tip", 28, 996), ("pectoral", 86, 385), ("lateral-chest", 62, 470),
    ("mid-back", -92, 530), ("low-back", -72, 720), ("iliac-crest", -60, 730), ("asis", 82, 786),
    ("greater-trochanter", -16, 852), ("buttock", -96, 862), ("front-of-thigh", 76, 1010),
    ("lateral-thigh", -4, 1010), ("back-of-thigh", -76, 1040), ("patella", 62, 1228), ("lateral-knee", 0, 1245),
    ("back-of-knee", -54, 1240), ("fibular-head", -13, 1262), ("tibial-tuberosity", 56, 1302), ("shin", 44, 1430),
    ("lateral-leg", 0, 1420), ("calf", -66, 1390), ("achilles", -50, 1622), ("lateral-malleolus", -14, 1676),
    ("heel", -46, 1728), ("top-of-foot", 80, 1706), ("lesser-toes", 166, 1742),
]
