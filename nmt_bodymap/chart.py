"""The body chart: views, their silhouettes, regions and landmarks.

Coordinates are millimetres of a 1750 mm adult, the same in every view:
x = 0 on the midline (so mirroring a side is x -> -x), y = 0 at the vertex
and y = 1750 at the soles, so a landmark has the same height in the
anterior, posterior and lateral views. Sides are always the patient's: in
the anterior view the patient's right is at x < 0 (the viewer's left), in
the posterior view at x > 0.

Each view is one SVG in ``assets/svg``: visible layers (``silhouette``,
``guides``, ``side-labels``) and two invisible data layers, ``regions``
(named, sided anatomical regions that tile the silhouette) and
``landmarks`` (named surface points). :mod:`nmt_bodymap.chart_compile`
reads an SVG into cacheable data; the landmark vocabulary is
:mod:`nmt_bodymap.chart_landmarks`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import Point, Polygon
from shapely.geometry.base import BaseGeometry

from nmt_bodymap import cache, resources
from nmt_bodymap.chart_compile import CHART_COMPILER, compile_view, rings_to_polygon, valid_view
from nmt_bodymap.chart_landmarks import LANDMARKS, LandmarkInfo
from nmt_bodymap.guarded import MAX_SVG_BYTES, BadFile, read_limited

VIEWS: tuple[str, ...] = ("anterior", "posterior", "right-lateral", "left-lateral", "plantar")
MIRROR_VIEW = {
    "anterior": "anterior",
    "posterior": "posterior",
    "plantar": "plantar",
    "right-lateral": "left-lateral",
    "left-lateral": "right-lateral",
}
VIEW_TITLES = {
    "anterior": "Anterior",
    "posterior": "Posterior",
    "right-lateral": "Right lateral",
    "left-lateral": "Left lateral",
    "plantar": "Plantar (soles)",
}


class ChartError(ValueError):
    """A bad view name, landmark or chart file (``file`` names the file, if any)."""

    def __init__(self, message: str, file: str | None = None) -> None:
        self.file = file
        self.reason = message
        super().__init__(f"{file}: {message}" if file else message)


@dataclass(frozen=True)
class Region:
    id: str  # e.g. "forearm-volar-right"
    name: str  # e.g. "forearm-volar": the same body surface in every view that shows it
    side: str
    geometry: Polygon


@dataclass(frozen=True)
class Landmark:
    id: str
    side: str  # "left", "right" or "midline"
    view: str
    x: float
    y: float

    @property
    def point(self) -> Point:
        return Point(self.x, self.y)

    @property
    def key(self) -> str:
        return self.id if self.side == "midline" else f"{self.id}:{self.side}"


class ChartView:
    """One view of the chart with its geometry in millimetres."""

    def __init__(
        self,
        name: str,
        viewbox: tuple[float, float, float, float],
        silhouette: BaseGeometry,
        regions: list[Region],
        landmarks: list[Landmark],
        svg_path: Path,
        overlay: BaseGeometry | None = None,
    ) -> None:
        self.name = name
        #: The R and L badges: (letter, x, y, radius) in mm.
        self.side_labels: list[tuple[str, float, float, float]] = []
        #: What is drawn over the body (the hanging arm in the lateral views); empty elsewhere.
        self.overlay = overlay if overlay is not None else Polygon()
        self.viewbox = viewbox
        self.silhouette = silhouette
        self.regions: dict[str, Region] = {r.id: r for r in regions}
        self.landmarks: dict[tuple[str, str], Landmark] = {(lm.id, lm.side): lm for lm in landmarks}
        self.svg_path = svg_path
        self._region_list = list(self.regions.values())
        self._tree = shapely.STRtree([r.geometry for r in self._region_list])
        shapely.prepare(self.silhouette)

    @property
    def title(self) -> str:
        return VIEW_TITLES[self.name]

    def region_at(self, x: float, y: float) -> Region | None:
        """The region under a point, or None off the body."""
        hits = self._tree.query(Point(x, y), predicate="intersects")
        if len(hits) == 0:
            return None
        return self._region_list[int(min(hits))]

    def landmark(self, landmark_id: str, side: str | None = None) -> Landmark:
        info = landmark_info(landmark_id)
        key_side = "midline" if info.midline else side
        if key_side is None:
            raise ChartError(f"landmark '{landmark_id}' is sided: give :left or :right")
        found = self.landmarks.get((landmark_id, key_side))
        if found is None:
            raise ChartError(f"landmark '{landmark_id}' is not shown in the {self.name} view")
        return found

    def contains(self, x: float, y: float) -> bool:
        return bool(self.silhouette.contains(Point(x, y)))


class Chart:
    """All views of the body chart."""

    def __init__(self, views: dict[str, ChartView]) -> None:
        self.views = views

    def view(self, name: str) -> ChartView:
        check_view(name)
        return self.views[name]

    def landmark_positions(self, landmark_id: str, side: str | None = None) -> dict[str, Landmark]:
        """Where a landmark is drawn, by view (only views that show it)."""
        info = landmark_info(landmark_id)
        key_side = "midline" if info.midline else (side or "")
        return {
            name: v.landmarks[(landmark_id, key_side)]
            for name, v in self.views.items()
            if (landmark_id, key_side) in v.landmarks
        }

    def all_landmarks(self) -> list[Landmark]:
        order = {lid: i for i, lid in enumerate(LANDMARKS)}
        found = [lm for v in self.views.values() for lm in v.landmarks.values()]
        return sorted(found, key=lambda lm: (order.get(lm.id, 999), lm.side, VIEWS.index(lm.view)))


def check_view(name: str) -> str:
    if name not in VIEWS:
        raise ChartError(f"unknown view '{name}' (views: {', '.join(VIEWS)})")
    return name


def landmark_info(landmark_id: str) -> LandmarkInfo:
    info = LANDMARKS.get(landmark_id)
    if info is None:
        raise ChartError(f"unknown landmark '{landmark_id}' (see: nmt-bodymap chart landmarks)")
    return info


def mirror_side(side: str) -> str:
    return {"right": "left", "left": "right"}.get(side, side)


def mirror_geometry(geom: BaseGeometry) -> BaseGeometry:
    """Reflect across the midline (x -> -x); the view changes with :data:`MIRROR_VIEW`."""
    return shapely.transform(geom, lambda xy: xy * np.array([-1.0, 1.0]))


def load_view(name: str) -> ChartView:
    """Load one view (compiled geometry is cached between runs); every fault is a ChartError."""
    check_view(name)
    path = resources.chart_svg(name)
    try:
        data = read_limited(path, MAX_SVG_BYTES)
        key = cache.digest(CHART_COMPILER, name, data)
        compiled = cache.cached(
            "chart", key, lambda: compile_view(name, path, data), lambda value: valid_view(value, data)
        )
        return _build_view(name, path, compiled)
    except BadFile as exc:  # SvgError included
        raise ChartError(f"{exc.element}: {exc.reason}" if exc.element else exc.reason, str(path)) from None
    except Exception as exc:
        raise ChartError(f"cannot load chart view ({type(exc).__name__}: {str(exc)[:200]})", str(path)) from None


def _build_view(name: str, path: Path, compiled: dict) -> ChartView:
    geoms = cache.decode_geometries([compiled["silhouette"]] + [r[3] for r in compiled["regions"]])
    overlay = cache.decode_geometries([compiled["overlay"]])[0]
    regions = [
        Region(rid, rname, side, g) for (rid, rname, side, _), g in zip(compiled["regions"], geoms[1:], strict=True)
    ]
    landmarks = [Landmark(lid, side, name, x, y) for lid, side, x, y in compiled["landmarks"]]
    view = ChartView(name, tuple(compiled["viewbox"]), geoms[0], regions, landmarks, path, overlay)
    view.side_labels = [(str(t), float(x), float(y), float(r)) for t, x, y, r in compiled["side_labels"]]
    return view


@lru_cache(maxsize=1)
def load_chart() -> Chart:
    """All views (loaded once per process)."""
    return Chart({name: load_view(name) for name in VIEWS})


__all__ = [
    "CHART_COMPILER",
    "LANDMARKS",
    "MIRROR_VIEW",
    "VIEWS",
    "VIEW_TITLES",
    "Chart",
    "ChartError",
    "ChartView",
    "Landmark",
    "LandmarkInfo",
    "Region",
    "check_view",
    "landmark_info",
    "load_chart",
    "load_view",
    "mirror_geometry",
    "mirror_side",
    "rings_to_polygon",
]
