"""Posterior view: guides, region knives and landmarks.

Everything is given for the viewer-left half, which in this view is the
patient's LEFT (we look at the patient's back); the builder mirrors it.
"""

from __future__ import annotations

import front
import shapely
from anterior import leg_frames
from partition import gap_line
from shapes import Frame, Guide, box, poly, smooth_poly

HALF_SIDE = "left"

SCAPULA = [(-80, 327), (-112, 324), (-150, 330), (-172, 352), (-166, 384), (-140, 430), (-112, 466), (-98, 472), (-88, 455), (-80, 410), (-76, 364)]
SCAPULAR_SPINE = [(-77, 364), (-110, 352), (-150, 338), (-184, 327)]


def guides(fig: front.FrontFigure) -> list[Guide]:
    ua, fa, hand = fig.upper_arm, fig.forearm, fig.hand
    g: list[Guide] = []

    def line(pts: list[tuple[float, float]], cls: str = "guide") -> None:
        g.append(Guide(pts, False, cls))

    def ring(pts: list[tuple[float, float]], cls: str = "guide") -> None:
        g.append(Guide(pts, True, cls))

    line([(-86, 112), (-84, 126), (-85, 142), (-81, 153)], "feature-fine")  # ear
    line([(-24, 212), (-40, 204), (-52, 200)], "guide-faint")  # hairline at the nape
    line([(-12, 290), (-60, 296), (-120, 312), (-180, 320)], "guide-faint")  # trapezius ridge
    ring(SCAPULA, "guide")
    line(SCAPULAR_SPINE, "guide")
    line([(-168, 330), (-172, 362), (-170, 398)], "guide-faint")  # posterior deltoid border
    line([(-40, 766), (-80, 742), (-120, 728), (-158, 716)], "guide")  # iliac crest
    ring([(-45, 778), (-42, 781), (-45, 784), (-48, 781)], "nipple")  # sacral dimple over the PSIS
    line([(-6, 904), (-40, 914), (-90, 918), (-132, 912)], "guide")  # gluteal fold
    # arm
    line([ua(-22, 306), ua(-6, 316), ua(10, 316), ua(22, 306)], "guide-faint")  # olecranon
    line([fa(-24, 247), fa(0, 251), fa(24, 247)], "guide-faint")  # dorsal wrist
    for base, tip, *_ in front.FINGERS:
        du, dv = tip[0] - base[0], tip[1] - base[1]
        for frac in (0.02,):
            u, v = base[0] + du * frac, base[1] + dv * frac - 6
            line([hand(u - 5, v), hand(u, v - 2), hand(u + 5, v)], "feature-fine")  # knuckles
        u, v = tip[0] - du * 0.1, tip[1] - dv * 0.1
        ring([hand(u - 4, v - 6), hand(u + 4, v - 6), hand(u + 4.5, v + 3), hand(u, v + 6), hand(u - 4.5, v + 3)], "nail")
    tb, tt = front.THUMB[0], front.THUMB[1]
    u, v = tt[0] - (tt[0] - tb[0]) * 0.12, tt[1] - (tt[1] - tb[1]) * 0.12
    ring([hand(u - 5, v - 7), hand(u + 5, v - 7), hand(u + 5.5, v + 3), hand(u, v + 7), hand(u - 5.5, v + 3)], "nail")
    # legs
    line([(-112, 1232), (-96, 1238), (-72, 1238), (-48, 1232)], "guide")  # popliteal crease
    line([(-44, 1262), (-52, 1330), (-70, 1420)], "guide-faint")  # medial gastrocnemius
    line([(-122, 1268), (-114, 1340), (-92, 1430)], "guide-faint")  # lateral gastrocnemius
    line([(-82, 1540), (-78, 1600), (-78, 1650)], "guide-faint")  # Achilles tendon
    line([(-62, 1540), (-66, 1600), (-66, 1650)], "guide-faint")
    line([(-103, 1665), (-98, 1677), (-99, 1689)], "guide-faint")  # lateral malleolus
    line([(-41, 1654), (-46, 1664), (-44, 1676)], "guide-faint")  # medial malleolus
    line([(-96, 1705), (-72, 1716), (-48, 1705)], "guide-faint")  # heel pad
    return g


def midline_guides() -> list[Guide]:
    return [
        Guide([(0, 290), (0, 500), (0, 770)], False, "guide-faint"),  # spinous processes
        Guide([(0, 842), (0, 870), (0, 900)], False, "guide"),  # gluteal cleft
    ]


def knives(fig: front.FrontFigure, half: shapely.Geometry) -> list[tuple[str, shapely.Geometry]]:
    ua, fa, hand = fig.upper_arm, fig.forearm, fig.hand
    thigh, leg = leg_frames()
    arm_gap = gap_line(half, [430, 470, 520, 580, 640, 700, 760, 820, 880, 940, 1000, 1060, 1120])
    arm_part = poly([(-186, 240), (-186, 312), (-152, 404)] + arm_gap + [(-420, 1200), (-420, 240)])
    head_part = poly([(-130, -60), (0, -60), (0, 200), (-30, 203), (-51, 207), (-130, 207)])
    fold = [(-6, 905), (-40, 915), (-90, 919), (-150, 912), (-186, 900)]
    leg_part = poly(fold + [(-420, 900), (-420, 1800), (0, 1800)])

    def in_arm(geom: shapely.Geometry) -> shapely.Geometry:
        return shapely.intersection(geom, arm_part)

    def trunk(geom: shapely.Geometry) -> shapely.Geometry:
        return shapely.difference(shapely.difference(geom, arm_part), leg_part)

    def in_leg(geom: shapely.Geometry) -> shapely.Geometry:
        return shapely.intersection(geom, leg_part)

    def local(frame: Frame, u0: float, u1: float, v0: float, v1: float) -> shapely.Geometry:
        return poly(frame.many([(u0, v0), (u1, v0), (u1, v1), (u0, v1)]))

    scapula = smooth_poly(SCAPULA)
    above_spine = poly([(-70, 280), (-70, 366), (-77, 364), (-110, 352), (-150, 338), (-190, 325), (-190, 280)])

    return [
        # head and neck
        ("ear", shapely.intersection(head_part, box(-130, 95, -78.5, 172))),
        ("scalp", box(-130, -60, 0, 52)),
        ("mastoid", shapely.intersection(head_part, box(-130, 128, -46, 260))),
        # the suboccipital triangle: below the occipital bone, level with C1 to C2
        ("suboccipital", trunk(box(-46, 162, 0, 240))),
        ("occiput", head_part),
        ("neck-back", trunk(poly([(0, 240), (-28, 240), (-24, 292), (0, 290)]))),
        ("neck-side", trunk(poly([(-28, 200), (-80, 200), (-62, 268), (-40, 290), (-24, 292)]))),
        ("shoulder-top", trunk(poly([(0, 280), (-40, 296), (-80, 308), (-120, 316), (-188, 320), (-188, 200), (0, 200)]))),
        # arm (dorsal surface)
        ("shoulder-back", in_arm(local(ua, -90, 90, -80, 115))),
        ("arm-posterior", in_arm(local(ua, -90, 90, 115, 290))),
        ("elbow-posterior", in_arm(local(fa, -90, 90, -30, 40))),
        ("forearm-dorsal", in_arm(local(fa, -90, 90, 40, 232))),
        ("wrist-dorsal", in_arm(local(fa, -90, 90, 232, 262))),
        ("thumb-dorsal", in_arm(poly(hand.many([(60, 80), (60, 130), (25, 130), (28, 82)])))),
        ("finger-index-dorsal", in_arm(poly(hand.many([(40, 106), (40, 200), (14.5, 200), (14.5, 107)])))),
        ("finger-middle-dorsal", in_arm(poly(hand.many([(14.5, 107), (14.5, 200), (-4, 200), (-4, 110)])))),
        ("finger-ring-dorsal", in_arm(poly(hand.many([(-4, 110), (-4, 200), (-22, 200), (-22, 105)])))),
        ("finger-little-dorsal", in_arm(poly(hand.many([(-22, 105), (-22, 200), (-60, 200), (-60, 99)])))),
        ("hand-dorsal", in_arm(local(hand, -70, 70, -8, 120))),
        ("shoulder-back", arm_part),
        # back
        ("interscapular", trunk(box(-72, 280, 0, 472))),
        ("supraspinous", trunk(shapely.intersection(above_spine, box(-420, 280, 0, 372)))),
        ("infraspinous", trunk(shapely.difference(scapula, above_spine))),
        ("mid-back", trunk(box(-72, 472, 0, 600))),
        ("back-lateral", trunk(box(-420, 320, -72, 622))),
        ("thoracolumbar", trunk(box(-72, 600, 0, 665))),
        ("sacral", trunk(poly([(0, 770), (-32, 770), (-26, 840), (-14, 872), (0, 878)]))),
        ("sacroiliac", trunk(poly([(-32, 752), (-72, 752), (-72, 818), (-28, 830)]))),
        ("low-back", trunk(box(-72, 665, 0, 790))),
        ("lumbar-lateral", trunk(box(-420, 622, -72, 736))),
        ("coccygeal", trunk(box(-14, 870, 0, 930))),
        ("hip-lateral", trunk(box(-420, 750, -148, 940))),
        ("buttock-upper", trunk(box(-420, 720, 0, 835))),
        ("buttock", trunk(box(-420, 835, 0, 940))),
        # leg
        ("thigh-lateral", in_leg(local(thigh, 35, 200, -80, 300))),
        ("thigh-medial", in_leg(local(thigh, -200, -38, -80, 300))),
        ("thigh-posterior", in_leg(box(-200, 890, 0, 1175))),
        ("knee-posterior", in_leg(box(-200, 1175, 0, 1300))),
        ("heel", in_leg(box(-200, 1692, 0, 1800))),
        ("ankle-lateral", in_leg(box(-200, 1630, -90, 1692))),
        ("ankle-medial", in_leg(box(-56, 1630, 0, 1692))),
        ("leg-lateral", in_leg(local(leg, 22, 200, 0, 420))),
        ("achilles", in_leg(box(-200, 1545, 0, 1692))),
        ("calf", leg_part),
    ]


def landmarks(fig: front.FrontFigure) -> list[tuple[str, float, float]]:
    ua, fa, hand = fig.upper_arm, fig.forearm, fig.hand
    return [
        ("ear", -84, 125), ("mastoid", -64, 165), ("occiput", -28, 150), ("suboccipital", -22, 178),
        ("back-of-neck", -16, 256), ("side-of-neck", -44, 248), ("neck-shoulder-angle", -66, 284),
        ("acromion", -192, 326), ("superior-angle-of-scapula", -84, 334), ("scapular-spine", -130, 346),
        ("infraspinous-fossa", -118, 402), ("inferior-angle-of-scapula", -98, 464), ("interscapular", -42, 400),
        ("back-of-shoulder", -196, 372), ("lateral-deltoid", -218, 392), ("armpit", -150, 420),
        ("mid-back", -38, 530), ("thoracolumbar", -36, 632), ("low-back", -40, 720), ("iliac-crest", -120, 732),
        ("psis", -45, 781), ("buttock", -88, 862), ("ischial-tuberosity", -52, 896), ("greater-trochanter", -170, 850),
        ("back-of-arm", *ua(0, 200)), ("olecranon", *fa(0, -4)), ("lateral-epicondyle", *ua(27, 312)),
        ("medial-epicondyle", *ua(-27, 312)), ("dorsal-forearm", *fa(0, 110)), ("dorsal-wrist", *fa(0, 248)),
        ("radial-styloid", *fa(20, 240)), ("ulnar-styloid", *fa(-20, 240)), ("dorsal-hand", *hand(2, 55)),
        ("thumb-base", *hand(30, 24)), ("thumb-tip", *hand(44, 106)), ("index-finger", *hand(27, 150)),
        ("middle-finger", *hand(5, 160)), ("ring-finger", *hand(-15, 155)), ("little-finger", *hand(-33, 138)),
        ("back-of-thigh", -95, 1040), ("lateral-thigh", -156, 1010), ("medial-thigh", -32, 1050),
        ("back-of-knee", -82, 1236), ("medial-knee", -36, 1240), ("lateral-knee", -120, 1240),
        ("fibular-head", -121, 1262), ("calf", -82, 1390), ("lateral-leg", -118, 1420), ("achilles", -72, 1620),
        ("lateral-malleolus", -98, 1676), ("medial-malleolus", -51, 1662), ("heel", -72, 1725),
    ]


MIDLINE_LANDMARKS = [("vertex", 0, 8), ("c7", 0, 284), ("sacrum", 0, 820), ("coccyx", 0, 893)]
