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
``landmarks`` (named surface points).
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
from nmt_bodymap.guarded import MAX_SVG_BYTES, BadFile, read_limited
from nmt_bodymap.svgdoc import SvgError, parse_viewbox, read_svg

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


#: Bump when what is compiled from a chart SVG changes.
CHART_COMPILER = "chart-compiler-3"


class ChartError(ValueError):
    """A bad view name, landmark or chart file (``file`` names the file, if any)."""

    def __init__(self, message: str, file: str | None = None) -> None:
        self.file = file
        self.reason = message
        super().__init__(f"{file}: {message}" if file else message)


@dataclass(frozen=True)
class LandmarkInfo:
    """A landmark of the chart vocabulary."""

    id: str
    group: str
    midline: bool
    fits: tuple[str, ...]  # region names (without side) this landmark may lie in

    @property
    def label(self) -> str:
        return self.id.replace("-", " ")


def _vocab() -> dict[str, LandmarkInfo]:
    table: dict[str, tuple[str, ...]] = {}
    groups: dict[str, str] = {}

    def group(name: str, entries: dict[str, tuple[str, ...]]) -> None:
        for lid, fits in entries.items():
            table[lid] = fits
            groups[lid] = name

    wrist = ("wrist-volar", "wrist-dorsal", "wrist-radial", "wrist-ulnar")
    elbow = ("elbow-anterior", "elbow-posterior", "elbow-lateral")
    group(
        "head and neck",
        {
            "vertex": ("scalp",),
            "forehead": ("forehead",),
            "eyebrow": ("forehead", "eye"),
            "eye": ("eye",),
            "temple": ("temple",),
            "cheek": ("cheek",),
            "tmj": ("jaw", "temple"),
            "ear": ("ear",),
            "mastoid": ("mastoid",),
            "upper-teeth": ("mouth", "cheek"),
            "lower-teeth": ("mouth", "chin", "jaw"),
            "jaw-angle": ("jaw",),
            "chin": ("chin",),
            "occiput": ("occiput",),
            "suboccipital": ("suboccipital",),
            "back-of-neck": ("neck-back",),
            "side-of-neck": ("neck-side",),
            "neck-shoulder-angle": ("shoulder-top", "neck-side"),
            "throat": ("neck-front",),
            "c7": ("neck-back", "interscapular"),
            "sternal-notch": ("neck-front", "sternum", "chest-upper"),
        },
    )
    group(
        "shoulder and back",
        {
            "acromion": ("shoulder-top", "shoulder-front", "shoulder-back", "shoulder-lateral"),
            "clavicle": ("chest-upper", "shoulder-top"),
            "coracoid": ("chest-upper", "shoulder-front"),
            "front-of-shoulder": ("shoulder-front",),
            "lateral-deltoid": ("shoulder-front", "shoulder-back", "shoulder-lateral"),
            "back-of-shoulder": ("shoulder-back",),
            "armpit": ("chest-lateral", "back-lateral"),
            "superior-angle-of-scapula": ("supraspinous", "interscapular", "shoulder-top"),
            "scapular-spine": ("supraspinous", "infraspinous"),
            "infraspinous-fossa": ("infraspinous",),
            "inferior-angle-of-scapula": ("infraspinous", "back-lateral", "mid-back"),
            "interscapular": ("interscapular",),
            "mid-back": ("mid-back", "back-lateral"),
            "thoracolumbar": ("thoracolumbar",),
            "low-back": ("low-back", "lumbar-lateral"),
            "iliac-crest": ("low-back", "lumbar-lateral", "buttock-upper", "hip-lateral", "flank", "iliac-fossa"),
            "psis": ("sacroiliac",),
            "sacrum": ("sacral",),
            "coccyx": ("coccygeal",),
            "buttock": ("buttock", "buttock-upper"),
            "ischial-tuberosity": ("buttock",),
        },
    )
    group(
        "chest and abdomen",
        {
            "sternum": ("sternum",),
            "pectoral": ("chest-upper", "chest-lower"),
            "xiphoid": ("sternum", "epigastric"),
            "lateral-chest": ("chest-lateral",),
            "costal-margin": ("hypochondrium", "epigastric", "chest-lower"),
            "epigastric": ("epigastric",),
            "umbilicus": ("umbilical",),
            "lower-abdomen": ("hypogastric", "iliac-fossa"),
            "asis": ("iliac-fossa", "hip-lateral", "groin"),
            "groin": ("groin",),
            "pubic-symphysis": ("pubic",),
        },
    )
    group(
        "arm and hand",
        {
            "front-of-arm": ("arm-anterior",),
            "back-of-arm": ("arm-posterior",),
            "lateral-epicondyle": elbow,
            "medial-epicondyle": elbow,
            "olecranon": ("elbow-posterior",),
            "antecubital": ("elbow-anterior",),
            "dorsal-forearm": ("forearm-dorsal",),
            "volar-forearm": ("forearm-volar",),
            "dorsal-wrist": ("wrist-dorsal",),
            "volar-wrist": ("wrist-volar",),
            "radial-styloid": wrist,
            "ulnar-styloid": wrist,
            "palm": ("palm",),
            "dorsal-hand": ("hand-dorsal",),
            "thenar": ("thenar",),
            "hypothenar": ("hypothenar",),
            "thumb-base": ("thenar", "hand-dorsal", "hand-radial"),
            "thumb-tip": ("thumb-palmar", "thumb-dorsal", "thumb"),
            "index-finger": ("finger-index-palmar", "finger-index-dorsal"),
            "middle-finger": ("finger-middle-palmar", "finger-middle-dorsal"),
            "ring-finger": ("finger-ring-palmar", "finger-ring-dorsal"),
            "little-finger": ("finger-little-palmar", "finger-little-dorsal"),
        },
    )
    group(
        "hip, leg and foot",
        {
            "greater-trochanter": ("hip-lateral",),
            "front-of-thigh": ("thigh-anterior",),
            "lateral-thigh": ("thigh-lateral",),
            "medial-thigh": ("thigh-medial",),
            "back-of-thigh": ("thigh-posterior",),
            "patella": ("knee-anterior",),
            "medial-knee": ("knee-anterior", "knee-posterior", "knee-medial"),
            "lateral-knee": ("knee-anterior", "knee-posterior", "knee-lateral"),
            "back-of-knee": ("knee-posterior",),
            "fibular-head": ("knee-posterior", "knee-lateral", "leg-lateral"),
            "tibial-tuberosity": ("knee-anterior", "shin"),
            "shin": ("shin",),
            "lateral-leg": ("leg-lateral",),
            "calf": ("calf",),
            "achilles": ("achilles",),
            "lateral-malleolus": ("ankle-anterior", "ankle-lateral"),
            "medial-malleolus": ("ankle-anterior", "ankle-medial"),
            "heel": ("heel",),
            "arch": ("arch",),
            "ball-of-foot": ("ball-medial", "ball-lateral"),
            "fifth-metatarsal-head": ("ball-lateral",),
            "top-of-foot": ("foot-dorsum",),
            "big-toe": ("toe-big",),
            "lesser-toes": ("toes-lesser", "toe-second", "toe-third", "toe-fourth", "toe-fifth"),
        },
    )
    midline = {
        "vertex",
        "chin",
        "throat",
        "c7",
        "sternal-notch",
        "sternum",
        "xiphoid",
        "epigastric",
        "umbilicus",
        "pubic-symphysis",
        "sacrum",
        "coccyx",
    }
    return {lid: LandmarkInfo(lid, groups[lid], lid in midline, fits) for lid, fits in table.items()}


#: The landmark vocabulary, in chart order.
LANDMARKS: dict[str, LandmarkInfo] = _vocab()


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


def rings_to_polygon(rings: list[np.ndarray]) -> BaseGeometry:
    """Rings of one path as a polygon: rings inside another are holes (even-odd)."""
    polys = sorted((Polygon(r) for r in rings if len(r) >= 3), key=lambda p: p.area, reverse=True)
    if not polys:
        return Polygon()
    shape = shapely.make_valid(polys[0])
    for p in polys[1:]:
        p = shapely.make_valid(p)
        shape = shapely.difference(shape, p) if shape.contains(p) else shapely.symmetric_difference(shape, p)
    return shape


def _compile_view(name: str, path: Path, data: bytes) -> dict:
    doc = read_svg(path, data)
    viewbox = parse_viewbox(doc.root["viewBox"])
    bodies: list[Polygon] = []
    overlays: list[Polygon] = []
    labels: list[list[str | float]] = []
    regions: list[list[str]] = []
    landmarks: list[list[str | float]] = []
    for shape in doc.shapes:
        attrs = shape.attributes
        if shape.id and shape.id.startswith("body-"):
            polys = [Polygon(r) for r in shape.rings if len(r) >= 3]
            bodies.extend(polys)
            if attrs.get("data-layer") == "overlay":
                overlays.extend(polys)
        elif "data-region" in attrs:
            if not shape.rings:
                raise SvgError(str(path), "region has no outline", shape.label())
            rid = shape.id.removeprefix("region-") if shape.id else ""
            regions.append(
                [
                    rid,
                    attrs["data-region"],
                    attrs.get("data-side", ""),
                    cache.encode_geometry(rings_to_polygon(shape.rings)),
                ]
            )
        elif "data-side-label" in shape.inherited and shape.tag == "circle":
            ring = shape.rings[0]
            cx = float((ring[:, 0].min() + ring[:, 0].max()) / 2)
            cy = float((ring[:, 1].min() + ring[:, 1].max()) / 2)
            r = float((ring[:, 0].max() - ring[:, 0].min()) / 2)
            labels.append([shape.inherited["data-side-label"], round(cx, 2), round(cy, 2), round(r, 2)])
        elif "data-landmark" in attrs:
            ring = shape.rings[0]
            cx = float((ring[:, 0].min() + ring[:, 0].max()) / 2)
            cy = float((ring[:, 1].min() + ring[:, 1].max()) / 2)
            landmarks.append([attrs["data-landmark"], attrs.get("data-side", "midline"), round(cx, 2), round(cy, 2)])
    if not bodies:
        raise SvgError(str(path), "no body outline (paths with id body-N)")
    # 0.1 mm simplification keeps the outline within a hair of the drawing but cuts its
    # vertices twenty-fold, which makes every clip and intersection against it fast.
    silhouette = shapely.simplify(shapely.union_all([shapely.make_valid(b) for b in bodies]), 0.1)
    overlay = (
        shapely.simplify(shapely.union_all([shapely.make_valid(b) for b in overlays]), 0.1) if overlays else Polygon()
    )
    return {
        "viewbox": list(viewbox),
        "overlay": cache.encode_geometry(overlay),
        "side_labels": labels,
        "silhouette": cache.encode_geometry(silhouette),
        "regions": regions,
        "landmarks": landmarks,
    }


def _valid_view(value: object, data: bytes) -> bool:
    """Whether a compiled view read from the cache has the right shape and the source's counts."""
    if not isinstance(value, dict) or set(value) != {
        "viewbox",
        "overlay",
        "side_labels",
        "silhouette",
        "regions",
        "landmarks",
    }:
        return False

    def numbers(items: list) -> bool:
        return all(isinstance(v, int | float) and not isinstance(v, bool) and np.isfinite(v) for v in items)

    regions, landmarks, labels = value["regions"], value["landmarks"], value["side_labels"]
    return (
        isinstance(value["viewbox"], list)
        and len(value["viewbox"]) == 4
        and numbers(value["viewbox"])
        and isinstance(value["silhouette"], str)
        and isinstance(value["overlay"], str)
        and isinstance(regions, list)
        and len(regions) == data.count(b"data-region=")
        and all(isinstance(r, list) and len(r) == 4 and all(isinstance(v, str) for v in r) for r in regions)
        and isinstance(landmarks, list)
        and len(landmarks) == data.count(b"data-landmark=")
        and all(isinstance(m, list) and len(m) == 4 and numbers(m[2:]) for m in landmarks)
        and isinstance(labels, list)
        and all(isinstance(t, list) and len(t) == 4 and numbers(t[1:]) for t in labels)
    )


def load_view(name: str) -> ChartView:
    """Load one view (compiled geometry is cached between runs); every fault is a ChartError."""
    check_view(name)
    path = resources.chart_svg(name)
    try:
        data = read_limited(path, MAX_SVG_BYTES)
        key = cache.digest(CHART_COMPILER, name, data)
        compiled = cache.cached(
            "chart", key, lambda: _compile_view(name, path, data), lambda value: _valid_view(value, data)
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
