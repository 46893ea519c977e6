"""What the builder needs to know about one view."""

from __future__ import annotations

from dataclasses import dataclass, field

import shapely
from shapely.geometry import Polygon
from shapes import Guide, Outline


@dataclass
class Label:
    text: str
    x: float
    y: float
    radius: float = 21.0


@dataclass
class View:
    name: str
    title: str
    viewbox: tuple[float, float, float, float]
    bodies: list[Outline]
    guides: list[Guide]
    regions: dict[str, tuple[str, str, Polygon]]  # id -> (name, side, polygon)
    landmarks: list[tuple[str, str, float, float]]  # (landmark, side or "midline", x, y)
    labels: list[Label] = field(default_factory=list)
    overlays: list[Outline] = field(default_factory=list)  # drawn over the body (the lateral arm)
    edges: list[Outline] = field(default_factory=list)  # outline strokes for the overlays
    guides_behind: list[Guide] = field(default_factory=list)  # hidden where an overlay covers them

    def silhouette(self) -> shapely.Geometry:
        return shapely.union_all([b.polygon() for b in self.bodies + self.overlays])


