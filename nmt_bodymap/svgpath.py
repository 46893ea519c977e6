"""SVG path geometry: smooth curves for drawing, sampled rings for shapely.

Both the chart and the atlas are SVG files in millimetre coordinates. This
module turns their shapes into polygons, and turns point lists into smooth
Bézier path data for the chart generator and atlas authors:

* :func:`smooth_path_d` draws a closed or open centripetal Catmull-Rom
  spline through points as cubic Béziers (no loops, no visible corners
  except where asked for).
* :func:`element_rings` samples any svgelements shape to about 0.5 mm
  with numpy; svgelements' own sampling defaults to a tolerance so fine
  that one curve can take seconds. Coordinates must be finite and within
  :data:`MAX_COORDINATE`, and a :class:`SampleBudget` bounds the points a
  whole file may produce, so a hostile curve cannot exhaust memory.
* :func:`check_path_data` validates ``d`` strictly, because svgelements
  silently drops everything after the first bad token.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence

import numpy as np
import svgelements as se

#: Maximum distance between sampled points on a curve, in millimetres.
SAMPLE_STEP_MM = 0.5
#: Largest coordinate accepted (user units; the chart is 1,750 mm tall, the atlas sheets 4,140 wide).
MAX_COORDINATE = 1e6

Point = tuple[float, float]


class PathDataError(ValueError):
    """Raised for path data that svgelements would silently truncate, or that cannot be sampled."""


class SampleBudget:
    """How many more points the shapes of one file may be sampled into."""

    def __init__(self, points: int) -> None:
        self.limit = points
        self.left = points

    def take(self, n: int) -> None:
        self.left -= n
        if self.left < 0:
            raise PathDataError(f"the drawing needs more than {self.limit:,} sampled points; simplify it")


def _check_coordinates(points: np.ndarray) -> None:
    if not np.all(np.isfinite(points)):
        raise PathDataError("coordinates are not finite numbers")
    if np.any(np.abs(points) > MAX_COORDINATE):
        raise PathDataError(f"coordinates beyond ±{MAX_COORDINATE:,.0f}")


# ---------------------------------------------------------------------------
# Smooth path construction (used by the chart generator and atlas authors)
# ---------------------------------------------------------------------------


def _catmull_rom_controls(
    p0: np.ndarray, p1: np.ndarray, p2: np.ndarray, p3: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Bézier control points of the centripetal Catmull-Rom piece p1→p2."""
    d1 = max(float(np.linalg.norm(p1 - p0)) ** 0.5, 1e-9)
    d2 = max(float(np.linalg.norm(p2 - p1)) ** 0.5, 1e-9)
    d3 = max(float(np.linalg.norm(p3 - p2)) ** 0.5, 1e-9)
    c1 = (d1 * d1 * p2 - d2 * d2 * p0 + (2 * d1 * d1 + 3 * d1 * d2 + d2 * d2) * p1) / (3 * d1 * (d1 + d2))
    c2 = (d3 * d3 * p1 - d2 * d2 * p3 + (2 * d3 * d3 + 3 * d3 * d2 + d2 * d2) * p2) / (3 * d3 * (d3 + d2))
    return c1, c2


def smooth_beziers(points: Sequence[Point], closed: bool = True, corners: Iterable[int] = ()) -> np.ndarray:
    """Cubic Bézier segments through ``points``, shape ``(n, 4, 2)``.

    ``corners`` are indices where the curve may turn sharply (finger webs,
    the armpit); elsewhere the tangent is continuous.
    """
    pts = np.asarray(points, dtype=float)
    n = len(pts)
    if n < 2:
        raise ValueError("a smooth path needs at least two points")
    corner_set = {i % n for i in corners}
    count = n if closed else n - 1
    segments = np.empty((count, 4, 2))
    for i in range(count):
        i1, i2 = i, (i + 1) % n
        p1, p2 = pts[i1], pts[i2]
        p0 = 2 * p1 - p2 if i1 in corner_set or (not closed and i1 == 0) else pts[(i1 - 1) % n]
        p3 = 2 * p2 - p1 if i2 in corner_set or (not closed and i2 == n - 1) else pts[(i2 + 1) % n]
        c1, c2 = _catmull_rom_controls(p0, p1, p2, p3)
        segments[i] = (p1, c1, c2, p2)
    return segments


def _fmt(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def beziers_to_d(segments: np.ndarray, closed: bool = True) -> str:
    """SVG path data for consecutive cubic segments."""
    if len(segments) == 0:
        return ""
    parts = [f"M{_fmt(segments[0][0][0])},{_fmt(segments[0][0][1])}"]
    for _, c1, c2, end in segments:
        parts.append(f"C{_fmt(c1[0])},{_fmt(c1[1])} {_fmt(c2[0])},{_fmt(c2[1])} {_fmt(end[0])},{_fmt(end[1])}")
    if closed:
        parts.append("Z")
    return " ".join(parts)


def smooth_path_d(points: Sequence[Point], closed: bool = True, corners: Iterable[int] = ()) -> str:
    """Smooth SVG path data through ``points`` (see :func:`smooth_beziers`)."""
    return beziers_to_d(smooth_beziers(points, closed, corners), closed)


def polygon_d(ring: Sequence[Point] | np.ndarray) -> str:
    """Closed straight-line path data for a ring of points."""
    pts = np.asarray(ring, dtype=float)
    if len(pts) > 1 and np.allclose(pts[0], pts[-1]):
        pts = pts[:-1]
    body = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in pts)
    return f"M{body}Z"


# ---------------------------------------------------------------------------
# Sampling
# ---------------------------------------------------------------------------


def sample_cubic(
    p0: Point, p1: Point, p2: Point, p3: Point, step: float = SAMPLE_STEP_MM, budget: SampleBudget | None = None
) -> np.ndarray:
    """Points along a cubic Bézier, excluding the start, at most ``step`` apart."""
    coords = (p0[0], p0[1], p1[0], p1[1], p2[0], p2[1], p3[0], p3[1])
    # plain floats: this runs for every curve of every file, where numpy's per-call cost shows
    if not all(math.isfinite(v) and abs(v) <= MAX_COORDINATE for v in coords):
        _check_coordinates(np.array(coords))
    hull = (
        math.hypot(p1[0] - p0[0], p1[1] - p0[1])
        + math.hypot(p2[0] - p1[0], p2[1] - p1[1])
        + math.hypot(p3[0] - p2[0], p3[1] - p2[1])
    )
    n = max(1, math.ceil(1.2 * hull / step))  # parameter speed varies along a curve
    if budget is not None:
        budget.take(n)
    ctrl = np.array((p0, p1, p2, p3), dtype=float)
    t = np.linspace(0.0, 1.0, n + 1)[1:, None]
    mt = 1.0 - t
    return mt**3 * ctrl[0] + 3 * mt * mt * t * ctrl[1] + 3 * mt * t * t * ctrl[2] + t**3 * ctrl[3]


def sample_quadratic(
    p0: Point, p1: Point, p2: Point, step: float = SAMPLE_STEP_MM, budget: SampleBudget | None = None
) -> np.ndarray:
    """Points along a quadratic Bézier, excluding the start."""
    a, b, c = (np.asarray(p, dtype=float) for p in (p0, p1, p2))
    return sample_cubic(tuple(a), tuple(a + 2 / 3 * (b - a)), tuple(c + 2 / 3 * (b - c)), tuple(c), step, budget)


def _xy(point: se.Point) -> Point:
    return (float(point.x), float(point.y))


def path_rings(path: se.Path, step: float = SAMPLE_STEP_MM, budget: SampleBudget | None = None) -> list[np.ndarray]:
    """Sample every subpath of an svgelements path (transforms applied)."""
    rings: list[np.ndarray] = []
    current: list[np.ndarray] = []

    def flush() -> None:
        if current:
            ring = np.vstack(current)
            _check_coordinates(ring)
            if len(ring) >= 2:
                rings.append(ring)
        current.clear()

    for seg in path.segments(transformed=True):
        if isinstance(seg, se.Move):
            flush()
            current.append(np.array([_xy(seg.end)]))
        elif isinstance(seg, (se.Line, se.Close)):
            if seg.start is not None and seg.end is not None:
                if not current:
                    current.append(np.array([_xy(seg.start)]))
                current.append(np.array([_xy(seg.end)]))
            if isinstance(seg, se.Close):
                flush()
        elif isinstance(seg, se.CubicBezier):
            if not current:
                current.append(np.array([_xy(seg.start)]))
            current.append(
                sample_cubic(_xy(seg.start), _xy(seg.control1), _xy(seg.control2), _xy(seg.end), step, budget)
            )
        elif isinstance(seg, se.QuadraticBezier):
            if not current:
                current.append(np.array([_xy(seg.start)]))
            current.append(sample_quadratic(_xy(seg.start), _xy(seg.control), _xy(seg.end), step, budget))
        elif isinstance(seg, se.Arc):
            if not current:
                current.append(np.array([_xy(seg.start)]))
            for cubic in seg.as_cubic_curves():
                current.append(
                    sample_cubic(
                        _xy(cubic.start), _xy(cubic.control1), _xy(cubic.control2), _xy(cubic.end), step, budget
                    )
                )
    flush()
    return rings


def element_rings(
    element: se.Shape, step: float = SAMPLE_STEP_MM, budget: SampleBudget | None = None
) -> list[np.ndarray]:
    """Sampled rings of any svgelements shape: path, circle, ellipse, rect, polygon."""
    if isinstance(element, se.Path):
        return path_rings(element, step, budget)
    return path_rings(se.Path(element), step, budget)


# ---------------------------------------------------------------------------
# Strict path-data validation
# ---------------------------------------------------------------------------

_NUMBER = r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
_TOKEN = re.compile(rf"\s*(?:([MmZzLlHhVvCcSsQqTtAa])|({_NUMBER})|(,))\s*")
_ARGS = {"m": 2, "l": 2, "h": 1, "v": 1, "c": 6, "s": 4, "q": 4, "t": 2, "a": 7, "z": 0}


def check_path_data(d: str) -> int:
    """Validate SVG path data; return its number of drawing commands.

    Raises :class:`PathDataError` naming the position of the first fault.
    """
    pos = 0
    command: str | None = None
    pending: list[str] = []
    drawn = 0
    text = d.strip()
    if not text:
        raise PathDataError("path data is empty")

    def close_group(at: int) -> None:
        nonlocal drawn
        if command is None:
            return
        need = _ARGS[command.lower()]
        if need == 0:
            if pending:
                raise PathDataError(f"numbers after '{command}' at character {at}")
            return
        if not pending or len(pending) % need:
            raise PathDataError(
                f"'{command}' needs {need} numbers per segment, got {len(pending)} (near character {at})"
            )
        if command.lower() == "a":
            for i in range(0, len(pending), 7):
                if pending[i + 3] not in ("0", "1") or pending[i + 4] not in ("0", "1"):
                    raise PathDataError(f"arc flags must be 0 or 1 (near character {at})")
        drawn += len(pending) // need

    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise PathDataError(f"unexpected {text[pos : pos + 12]!r} at character {pos}")
        letter, number, _comma = match.groups()
        if letter:
            close_group(pos)
            if command is None and letter not in "Mm":
                raise PathDataError("path data must start with a move command (M or m)")
            command, pending = letter, []
        elif number is not None:
            if command is None:
                raise PathDataError("path data must start with a move command (M or m)")
            pending.append(number)
        pos = match.end()
    close_group(pos)
    return drawn
