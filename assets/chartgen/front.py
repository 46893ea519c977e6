"""The front-on figure shared by the anterior and posterior views.

Coordinates are millimetres of a 1750 mm adult: x = 0 on the midline, y = 0
at the vertex, y = 1750 at the soles. Everything here describes the
viewer-left half (x < 0); the other half is its mirror image. In the
anterior view the viewer-left half is the patient's right; in the posterior
view it is the patient's left.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from shapes import Frame, Outline, symmetric_outline

# Skeleton of the viewer-left arm (anatomical position: palms forward, a slight
# abduction and the elbow's carrying angle keep the hand clear of the thigh).
SHOULDER = (-182.0, 330.0)
ELBOW = (-238.0, 646.0)
WRIST = (-288.0, 893.0)
HAND_TIP = (-306.0, 1082.0)

CROTCH_Y = 895.0


@dataclass
class FrontFigure:
    outline: Outline  # the whole silhouette
    half: Outline  # viewer-left half, vertex to crotch
    upper_arm: Frame
    forearm: Frame
    hand: Frame


def _limb_side(frame: Frame, profile: list[tuple[float, float]], sign: float) -> list[tuple[float, float]]:
    """Points at (v, offset) along a frame; sign +1 lateral, -1 medial."""
    return [frame(sign * off, v) for v, off in profile]


def digit_points(base: tuple[float, float], tip: tuple[float, float], w_base: float, w_tip: float) -> list[tuple[float, float]]:
    """One finger or toe as a tapered capsule, in local (u, v) coordinates.

    Traversed from the lateral (+u) side at the base, round the tip, back up
    the medial side, so consecutive digits chain into one outline.
    """
    b, t = np.asarray(base, float), np.asarray(tip, float)
    d = (t - b) / np.linalg.norm(t - b)
    n = np.array([d[1], -d[0]])  # +u side when the digit points along +v
    if n[0] < 0:
        n = -n
    pts: list[tuple[float, float]] = []
    for s in (0.0, 0.35, 0.7):
        w = w_base + (w_tip - w_base) * s
        p = b + (t - b) * s + n * w / 2
        pts.append((float(p[0]), float(p[1])))
    for ang in np.linspace(0, np.pi, 7):
        p = t + (w_tip / 2) * (np.cos(ang) * n + np.sin(ang) * d)
        pts.append((float(p[0]), float(p[1])))
    for s in (0.7, 0.35, 0.0):
        w = w_base + (w_tip - w_base) * s
        p = b + (t - b) * s - n * w / 2
        pts.append((float(p[0]), float(p[1])))
    return pts


def chain_digits(digits: list[tuple[tuple[float, float], tuple[float, float], float, float]], web_depth: float) -> list[tuple[float, float]]:
    """Digits side by side, joined by rounded webs ``web_depth`` mm proximal."""
    out: list[tuple[float, float]] = []
    for i, spec in enumerate(digits):
        pts = digit_points(*spec)
        if i:
            (pu, pv), (nu, nv) = out[-1], pts[0]
            out.append(((pu + nu) / 2, min(pv, nv) - web_depth))
        out.extend(pts)
    return out


# Right palm seen from the front, local (u lateral, v distal), millimetres.
THUMB = ((37.0, 52.0), (45.0, 112.0), 23.0, 18.0)
FINGERS = [
    ((24.0, 104.0), (28.0, 172.0), 18.5, 15.5),  # index
    ((5.0, 108.0), (5.0, 188.0), 19.0, 16.0),  # middle
    ((-13.5, 106.0), (-16.5, 181.0), 18.0, 15.0),  # ring
    ((-30.5, 100.0), (-36.0, 158.0), 15.5, 13.0),  # little
]


def hand_points() -> list[tuple[float, float]]:
    """Outline of the right palm from the lateral to the medial wrist."""
    pts: list[tuple[float, float]] = [(29, 0), (33, 14), (38, 28)]
    thumb = digit_points(*THUMB)
    pts.extend(thumb[1:])
    pts.append((31.5, 84.0))  # deep web between thumb and index
    pts.extend(chain_digits(FINGERS, web_depth=3.0))
    pts.extend([(-40.0, 84.0), (-39.0, 62.0), (-35.0, 34.0), (-30.0, 10.0)])
    return pts


# The foot seen from the front, local (u lateral, v toward the toes), mm.
ANKLE = (-72.0, 1652.0)
TOE_DIRECTION = (-79.0, 1752.0)
TOES = [
    ((43.0, 80.0), (46.0, 90.0), 12.0, 10.0),  # fifth
    ((30.5, 84.0), (32.5, 95.0), 13.0, 11.0),  # fourth
    ((17.5, 86.0), (18.5, 98.0), 13.5, 11.5),  # third
    ((4.0, 87.0), (4.0, 100.0), 14.0, 12.5),  # second
    ((-16.5, 85.0), (-17.5, 101.0), 24.0, 21.0),  # great toe
]


def front_foot_points() -> list[tuple[float, float]]:
    """Outline of the foot from the lateral malleolus round the toes to the medial one."""
    pts: list[tuple[float, float]] = [(26.0, 16.0), (34.0, 40.0), (44.0, 58.0), (49.5, 72.0)]
    pts.extend(chain_digits(TOES, web_depth=1.0))
    pts.extend([(-30.0, 78.0), (-33.0, 60.0), (-31.0, 40.0), (-25.0, 14.0)])
    return pts


def back_foot_points() -> list[tuple[float, float]]:
    """The foot seen from behind: the heel, with the forefoot just showing."""
    return [(26.0, 16.0), (31.0, 40.0), (38.0, 64.0), (41.0, 80.0), (36.0, 91.0), (20.0, 98.0), (0.0, 100.5), (-19.0, 98.5), (-31.0, 90.0), (-36.0, 74.0), (-33.0, 50.0), (-25.0, 14.0)]


def build(view: str = "anterior") -> FrontFigure:
    """The figure for ``view`` ("anterior" or "posterior")."""
    half = Outline()
    upper_arm = Frame(SHOULDER, ELBOW, -1)
    forearm = Frame(ELBOW, WRIST, -1)
    hand = Frame(WRIST, HAND_TIP, -1)

    # head: vertex, skull, ear, jaw
    half.extend([(0, 0), (-31, 3), (-55, 14), (-70, 33), (-77, 58), (-79, 84)])
    half.add(-78, 101, corner=True)
    half.extend([(-85, 100), (-90, 108), (-91, 122), (-89, 138), (-85, 152), (-80, 161)])
    half.add(-74, 160, corner=True)
    half.extend([(-71, 172), (-66, 187), (-58, 199)])
    half.add(-51, 207, corner=True)  # jaw meets neck
    # neck and the trapezius slope to the acromion
    half.extend([(-50, 226), (-52, 248), (-60, 264), (-82, 277), (-116, 289), (-152, 299), (-182, 310), (-200, 320)])
    # lateral arm: deltoid, arm, lateral epicondyle, brachioradialis, wrist
    half.extend(
        _limb_side(upper_arm, [(28, 40), (60, 43), (100, 43), (140, 40), (185, 38), (235, 38), (285, 37)], +1)
    )
    half.extend(_limb_side(forearm, [(0, 39), (40, 42), (90, 39), (150, 34), (205, 30), (245, 29)], +1))
    # hand
    half.extend(hand.many(hand_points()[1:-1]))
    # medial forearm and arm back up to the armpit
    half.extend(_limb_side(forearm, [(245, 29), (200, 30), (140, 35), (80, 39), (35, 40), (0, 37)], -1))
    half.extend(_limb_side(upper_arm, [(285, 34), (240, 35), (190, 37), (140, 37), (100, 35)], -1))
    half.add(-152, 402, corner=True)  # armpit
    # trunk side, hip and the outer leg
    half.extend(
        [(-159, 432), (-161, 472), (-157, 520), (-149, 570), (-142, 615), (-143, 655), (-152, 700), (-165, 752), (-175, 800), (-179, 845)]
    )
    half.extend([(-178, 890), (-175, 950), (-167, 1020), (-155, 1090), (-143, 1150), (-134, 1200), (-129, 1240), (-128, 1275)])
    half.extend([(-131, 1310), (-135, 1360), (-132, 1410), (-122, 1480), (-108, 1560), (-99, 1620), (-96, 1648)])
    foot_frame = Frame(ANKLE, TOE_DIRECTION, -1)
    foot = front_foot_points() if view == "anterior" else back_foot_points()
    half.extend(foot_frame.many(foot))
    # inner leg: medial calf, medial knee (vastus medialis), adductors
    half.extend([(-48, 1645), (-47, 1590), (-44, 1520), (-37, 1450), (-31, 1390), (-31, 1340), (-35, 1290), (-29, 1245), (-25, 1195), (-27, 1140), (-22, 1060), (-16, 1000), (-11, 955), (-5, 917)])
    half.add(0, CROTCH_Y, corner=True)
    return FrontFigure(symmetric_outline(half), half, upper_arm, forearm, hand)
