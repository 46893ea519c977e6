"""Small geometry helpers for the chart generator (not shipped in the wheel)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from collections.abc import Iterable, Sequence

import numpy as np
import shapely
from shapely.geometry import Polygon

from nmt_bodymap.svgpath import smooth_beziers, sample_cubic

Pt = tuple[float, float]


@dataclass
class Guide:
    """An interior guide line: points, closed or not, and its drawing style."""

    points: list[Pt]
    closed: bool
    style: str

    def mirrored(self) -> Guide:
        return Guide([(-x, y) for x, y in self.points], self.closed, self.style)


class Outline:
    """A closed or open point list with corner flags, drawn as a smooth spline."""

    def __init__(self, closed: bool = True) -> None:
        self.points: list[Pt] = []
        self.corners: set[int] = set()
        self.closed = closed

    def add(self, x: float, y: float, corner: bool = False) -> Outline:
        if corner:
            self.corners.add(len(self.points))
        self.points.append((float(x), float(y)))
        return self

    def extend(self, pts: Iterable[Pt], corner_last: bool = False, corner_first: bool = False) -> Outline:
        pts = list(pts)
        for i, (x, y) in enumerate(pts):
            self.add(x, y, corner=(corner_first and i == 0) or (corner_last and i == len(pts) - 1))
        return self

    def beziers(self) -> np.ndarray:
        return smooth_beziers(self.points, self.closed, self.corners)

    def sampled(self, step: float = 0.5) -> np.ndarray:
        segs = self.beziers()
        out = [segs[0][0][None, :]]
        for p0, p1, p2, p3 in segs:
            out.append(sample_cubic(tuple(p0), tuple(p1), tuple(p2), tuple(p3), step))
        return np.vstack(out)

    def polygon(self) -> Polygon:
        poly = Polygon(self.sampled())
        if not poly.is_valid:
            poly = shapely.make_valid(poly)
            if poly.geom_type != "Polygon":
                poly = max(poly.geoms, key=lambda g: g.area)
        return poly

    def line(self) -> shapely.LineString:
        return shapely.LineString(self.sampled())


def mirror_pts(pts: Sequence[Pt]) -> list[Pt]:
    return [(-x, y) for x, y in pts]


def symmetric_outline(half: Outline) -> Outline:
    """Close a viewer-left half outline (from a midline top point to a midline
    bottom point) with its mirror image."""
    full = Outline()
    n = len(half.points)
    for i, (x, y) in enumerate(half.points):
        full.add(x, y, corner=i in half.corners)
    for i in range(n - 2, 0, -1):
        x, y = half.points[i]
        full.add(-x, y, corner=i in half.corners)
    return full


class Frame:
    """A local frame: ``origin`` plus ``v`` along an axis and ``u`` across it.

    ``u`` grows toward ``lateral`` (a unit x direction: -1 for the viewer-left
    limb), so the same local description draws either limb.
    """

    def __init__(self, origin: Pt, toward: Pt, lateral_sign: float) -> None:
        self.o = np.asarray(origin, float)
        d = np.asarray(toward, float) - self.o
        self.d = d / np.linalg.norm(d)
        n = np.array([self.d[1], -self.d[0]])
        if np.sign(n[0]) != np.sign(lateral_sign):
            n = -n
        self.n = n

    def __call__(self, u: float, v: float) -> Pt:
        p = self.o + v * self.d + u * self.n
        return (float(p[0]), float(p[1]))

    def many(self, pts: Iterable[Pt]) -> list[Pt]:
        return [self(u, v) for u, v in pts]


def ellipse(cx: float, cy: float, rx: float, ry: float, angle_deg: float = 0.0, n: int = 96) -> Polygon:
    t = np.linspace(0, 2 * math.pi, n, endpoint=False)
    x, y = rx * np.cos(t), ry * np.sin(t)
    a = math.radians(angle_deg)
    xr = cx + x * math.cos(a) - y * math.sin(a)
    yr = cy + x * math.sin(a) + y * math.cos(a)
    return Polygon(np.column_stack([xr, yr]))


def poly(pts: Sequence[Pt]) -> Polygon:
    p = Polygon(pts)
    return p if p.is_valid else shapely.make_valid(p)


def smooth_poly(pts: Sequence[Pt], corners: Iterable[int] = ()) -> Polygon:
    o = Outline()
    for i, (x, y) in enumerate(pts):
        o.add(x, y, corner=i in set(corners))
    return o.polygon()


def box(x0: float, y0: float, x1: float, y1: float) -> Polygon:
    return shapely.box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
