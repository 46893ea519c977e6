"""Anterior view: guides, region knives and landmarks.

Everything is given for the viewer-left half, which in this view is the
patient's RIGHT; the builder mirrors it for the patient's left.
"""

from __future__ import annotations

import front
import shapely
from partition import gap_line
from shapes import Frame, Guide, box, ellipse, poly, smooth_poly

HALF_SIDE = "right"  # the patient's side drawn at x < 0

# Leg skeleton (shared with the posterior view).
HIP = (-92.0, 880.0)
KNEE = (-80.0, 1236.0)
ANKLE = front.ANKLE


def leg_frames() -> tuple[Frame, Frame]:
    return Frame(HIP, KNEE, -1), Frame(KNEE, ANKLE, -1)


def guides(fig: front.FrontFigure) -> list[Guide]:
    """Guide lines for the viewer-left half; midline ones separately."""
    ua, fa, hand = fig.upper_arm, fig.forearm, fig.hand
    g: list[Guide] = []

    def line(pts: list[tuple[float, float]], cls: str = "guide") -> None:
        g.append(Guide(pts, False, cls))

    def ring(pts: list[tuple[float, float]], cls: str = "guide") -> None:
        g.append(Guide(pts, True, cls))

    # face
    line([(-50, 95), (-40, 89), (-27, 88), (-15, 92)], "feature")  # eyebrow
    line([(-45, 108), (-38, 102), (-29, 101), (-20, 106)], "feature")  # upper lid
    line([(-44, 109), (-36, 113), (-27, 113), (-20, 107)], "feature-fine")  # lower lid
    ring([(-32, 104.5), (-29.5, 107), (-32, 109.5), (-34.5, 107)], "iris")
    line([(-9, 112), (-11, 132), (-15, 150), (-12, 157)], "feature-fine")  # side of nose
    line([(-14, 155), (-8, 159), (-3, 158)], "feature")  # nostril
    line([(-24, 180), (-14, 177), (-5, 178), (0, 177)], "feature")  # lips
    line([(-17, 186), (-8, 189), (0, 189.5)], "feature-fine")
    line([(-66, 184), (-56, 199), (-42, 213), (-22, 225)], "guide-faint")  # jaw line
    line([(-86, 112), (-84, 126), (-85, 142), (-81, 153)], "feature-fine")  # ear helix
    # neck and shoulders
    line([(-30, 232), (-22, 262), (-11, 296)], "guide-faint")  # sternocleidomastoid
    line([(-10, 303), (-40, 299), (-75, 305), (-115, 310), (-150, 312), (-178, 318)], "guide")  # clavicle
    line([(-166, 330), (-171, 360), (-168, 398)], "guide-faint")  # deltopectoral groove
    # chest and abdomen
    line([(-14, 440), (-45, 482), (-85, 492), (-122, 478), (-146, 440)], "guide-faint")  # pectoral border
    ring([(-70, 452), (-67, 455), (-70, 458), (-73, 455)], "nipple")
    line([(-14, 520), (-50, 555), (-92, 585), (-125, 600)], "guide-faint")  # costal margin
    line([(-162, 712), (-146, 740), (-128, 770)], "guide")  # iliac crest
    line([(-122, 782), (-85, 815), (-48, 850), (-22, 880)], "guide")  # inguinal crease
    # arm
    line([ua(-30, 316), ua(-10, 322), ua(12, 321), ua(30, 314)], "guide")  # elbow crease
    line([fa(-26, 243), fa(-8, 249), fa(10, 249), fa(26, 243)], "guide")  # wrist crease
    line([hand(30, 14), hand(24, 40), hand(14, 64), hand(4, 84)], "feature-fine")  # thenar crease
    line([hand(-41, 82), hand(-22, 88), hand(-4, 90), hand(12, 86)], "feature-fine")  # distal palmar crease
    for base, tip, *_ in front.FINGERS:
        for frac in (0.45, 0.75):
            u = base[0] + (tip[0] - base[0]) * frac
            v = base[1] + (tip[1] - base[1]) * frac
            line([hand(u - 6, v), hand(u + 6, v)], "feature-fine")
    # legs
    thigh, leg = leg_frames()
    ring([(-96, 1202), (-82, 1196), (-68, 1204), (-64, 1228), (-70, 1252), (-82, 1260), (-95, 1252), (-100, 1228)], "guide")  # patella
    line([(-78, 1298), (-74, 1380), (-66, 1480), (-62, 1600)], "guide-faint")  # tibial crest
    line([(-103, 1665), (-98, 1677), (-99, 1689)], "guide-faint")  # lateral malleolus
    line([(-41, 1654), (-46, 1664), (-44, 1676)], "guide-faint")  # medial malleolus
    return g


def midline_guides() -> list[Guide]:
    return [
        Guide([(0, 310), (0, 400), (0, 505)], False, "guide-faint"),  # sternum
        Guide([(0, 665), (4, 670.5), (0, 677), (-4, 670.5)], True, "navel"),
        Guide([(0, 530), (0, 600), (0, 655)], False, "guide-faint"),  # linea alba
    ]


def knives(fig: front.FrontFigure, half: shapely.Geometry) -> list[tuple[str, shapely.Geometry]]:
    """Region knives in paint order for the viewer-left half."""
    ua, fa, hand = fig.upper_arm, fig.forearm, fig.hand
    thigh, leg = leg_frames()
    arm_gap = gap_line(half, [430, 470, 520, 580, 640, 700, 760, 820, 880, 940, 1000, 1060, 1120])
    arm_part = poly([(-186, 240), (-186, 312), (-152, 404)] + arm_gap + [(-420, 1200), (-420, 240)])
    head_part = poly([(-130, -60), (0, -60), (0, 229), (-30, 222), (-51, 207), (-66, 187), (-130, 187)])

    def in_arm(geom: shapely.Geometry) -> shapely.Geometry:
        return shapely.intersection(geom, arm_part)

    def not_arm(geom: shapely.Geometry) -> shapely.Geometry:
        return shapely.difference(geom, arm_part)

    def in_head(geom: shapely.Geometry) -> shapely.Geometry:
        return shapely.intersection(geom, head_part)

    def local(frame: Frame, u0: float, u1: float, v0: float, v1: float) -> shapely.Geometry:
        return poly(frame.many([(u0, v0), (u1, v0), (u1, v1), (u0, v1)]))

    groin_line = shapely.LineString([(-124, 778), (-85, 813), (-48, 848), (-20, 878), (0, 893)])
    leg_part = poly([(-420, 905), (-186, 905), (-160, 832), (-124, 786), (-85, 821), (-48, 856), (-20, 886), (0, 900), (0, 1800), (-420, 1800)])

    k: list[tuple[str, shapely.Geometry]] = [
        # head
        ("ear", in_head(box(-130, 95, -78.5, 172))),
        ("eye", ellipse(-32, 107, 19, 10.5)),
        ("nose", smooth_poly([(0, 100), (-8, 104), (-12, 130), (-17, 150), (-15, 160), (-6, 163), (0, 163)], corners=[0, 6])),
        ("mouth", ellipse(0, 182, 28, 11)),
        ("chin", in_head(smooth_poly([(0, 193), (-24, 192), (-38, 205), (-36, 240), (0, 240)], corners=[0, 4]))),
        ("scalp", box(-130, -60, 0, 40)),
        ("forehead", box(-56, 40, 0, 96)),
        ("temple", in_head(box(-130, 40, -56, 136))),
        ("jaw", in_head(box(-130, 128, -44, 240))),
        ("cheek", head_part),
        # neck and shoulder
        ("neck-front", poly([(0, 229), (-30, 222), (-28, 300), (0, 306)])),
        ("neck-side", not_arm(poly([(-30, 222), (-51, 207), (-80, 207), (-62, 268), (-40, 292), (-28, 300)]))),
        ("shoulder-top", not_arm(poly([(-10, 303), (-40, 297), (-75, 303), (-115, 308), (-150, 310), (-188, 316), (-188, 200), (-10, 200)]))),
        # arm (palmar surface)
        ("shoulder-front", in_arm(local(ua, -90, 90, -80, 115))),
        ("arm-anterior", in_arm(local(ua, -90, 90, 115, 290))),
        ("elbow-anterior", in_arm(local(fa, -90, 90, -30, 40))),
        ("forearm-volar", in_arm(local(fa, -90, 90, 40, 232))),
        ("wrist-volar", in_arm(local(fa, -90, 90, 232, 262))),
        ("thumb-palmar", in_arm(poly(hand.many([(60, 80), (60, 130), (25, 130), (28, 82)])))),
        ("finger-index-palmar", in_arm(poly(hand.many([(40, 106), (40, 200), (14.5, 200), (14.5, 107)])))),
        ("finger-middle-palmar", in_arm(poly(hand.many([(14.5, 107), (14.5, 200), (-4, 200), (-4, 110)])))),
        ("finger-ring-palmar", in_arm(poly(hand.many([(-4, 110), (-4, 200), (-22, 200), (-22, 105)])))),
        ("finger-little-palmar", in_arm(poly(hand.many([(-22, 105), (-22, 200), (-60, 200), (-60, 99)])))),
        ("thenar", in_arm(poly(hand.many([(60, 8), (60, 80), (28, 82), (16, 70), (10, 40), (12, 8)])))),
        ("hypothenar", in_arm(poly(hand.many([(-60, 8), (-60, 99), (-22, 99), (-16, 60), (-18, 8)])))),
        ("palm", in_arm(local(hand, -70, 70, -8, 120))),
        ("shoulder-front", arm_part),
        # trunk (the leg knife keeps hip and thigh apart)
        ("sternum", not_arm(box(-14, 300, 0, 512))),
        ("chest-lateral", not_arm(box(-420, 395, -130, 565))),
        ("chest-upper", not_arm(box(-420, 280, 0, 420))),
        ("chest-lower", not_arm(box(-420, 420, 0, 520))),
        ("epigastric", not_arm(box(-62, 512, 0, 618))),
        ("hypochondrium", not_arm(box(-420, 512, -62, 618))),
        ("hip-lateral", not_arm(box(-420, 728, -142, 940))),
        ("umbilical", not_arm(box(-62, 618, 0, 730))),
        ("flank", not_arm(box(-420, 618, -62, 735))),
        ("pubic", not_arm(shapely.difference(box(-36, 840, 0, 905), leg_part))),
        ("groin", shapely.difference(groin_line.buffer(16, cap_style="flat"), leg_part)),
        ("hypogastric", not_arm(shapely.difference(box(-62, 730, 0, 905), leg_part))),
        ("iliac-fossa", not_arm(shapely.difference(box(-420, 730, -62, 905), leg_part))),
        # leg (front)
        ("thigh-lateral", shapely.intersection(leg_part, local(thigh, 35, 200, -60, 300))),
        ("thigh-medial", shapely.intersection(leg_part, local(thigh, -200, -38, -60, 300))),
        ("thigh-anterior", shapely.intersection(leg_part, local(thigh, -200, 200, -60, 300))),
        ("knee-anterior", shapely.intersection(leg_part, box(-200, 1170, 0, 1298))),
        ("ankle-anterior", shapely.intersection(leg_part, box(-200, 1622, 0, 1690))),
        ("toe-big", shapely.intersection(leg_part, box(-74, 1736, 0, 1800))),
        ("toes-lesser", shapely.intersection(leg_part, box(-200, 1734, -74, 1800))),
        ("foot-dorsum", shapely.intersection(leg_part, box(-200, 1690, 0, 1800))),
        ("leg-lateral", shapely.intersection(leg_part, local(leg, 22, 200, 0, 420))),
        ("leg-medial", shapely.intersection(leg_part, local(leg, -200, -26, 0, 420))),
        ("shin", leg_part),
    ]
    return k


def landmarks(fig: front.FrontFigure) -> list[tuple[str, float, float]]:
    """Sided landmarks for the viewer-left half: (id, x, y)."""
    ua, fa, hand = fig.upper_arm, fig.forearm, fig.hand
    return [
        ("forehead", -26, 62), ("eyebrow", -33, 93), ("eye", -32, 107), ("temple", -68, 92),
        ("cheek", -40, 142), ("tmj", -72, 130), ("ear", -84, 125), ("upper-teeth", -14, 174),
        ("lower-teeth", -14, 188), ("jaw-angle", -63, 185), ("side-of-neck", -44, 248),
        ("neck-shoulder-angle", -66, 282), ("acromion", -192, 326), ("clavicle", -90, 312),
        ("coracoid", -160, 345), ("front-of-shoulder", -196, 372), ("lateral-deltoid", -218, 392),
        ("armpit", -150, 420), ("pectoral", -85, 380), ("lateral-chest", -142, 470),
        ("costal-margin", -70, 560), ("iliac-crest", -154, 730), ("asis", -118, 786),
        ("lower-abdomen", -45, 780), ("groin", -80, 812), ("greater-trochanter", -170, 850),
        ("front-of-arm", *ua(0, 200)), ("antecubital", *fa(0, 2)), ("lateral-epicondyle", *ua(27, 312)),
        ("medial-epicondyle", *ua(-27, 312)), ("volar-forearm", *fa(0, 110)), ("volar-wrist", *fa(0, 248)),
        ("radial-styloid", *fa(20, 240)), ("ulnar-styloid", *fa(-20, 240)), ("palm", *hand(2, 62)),
        ("thenar", *hand(24, 40)), ("hypothenar", *hand(-30, 58)), ("thumb-base", *hand(28, 22)),
        ("thumb-tip", *hand(44, 106)), ("index-finger", *hand(27, 150)), ("middle-finger", *hand(5, 160)),
        ("ring-finger", *hand(-15, 155)), ("little-finger", *hand(-33, 138)),
        ("front-of-thigh", -92, 1010), ("lateral-thigh", -156, 1010), ("medial-thigh", -32, 1050),
        ("patella", -82, 1228), ("medial-knee", -36, 1240), ("lateral-knee", -120, 1240),
        ("tibial-tuberosity", -79, 1300), ("shin", -73, 1430), ("lateral-leg", -116, 1420),
        ("lateral-malleolus", -98, 1676), ("medial-malleolus", -51, 1662), ("top-of-foot", -74, 1706),
        ("big-toe", -61, 1744), ("lesser-toes", -96, 1742),
    ]


MIDLINE_LANDMARKS = [
    ("vertex", 0, 8), ("chin", 0, 214), ("throat", 0, 262), ("sternal-notch", 0, 309),
    ("sternum", 0, 400), ("xiphoid", 0, 508), ("epigastric", 0, 565), ("umbilicus", 0, 671),
    ("pubic-symphysis", 0, 874),
]
