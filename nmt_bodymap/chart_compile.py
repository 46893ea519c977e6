"""Compile a chart SVG into cacheable data: the silhouette, overlay, regions, landmarks and R/L badges.

:func:`compile_view` reads one view's SVG (through :mod:`nmt_bodymap.svgdoc`)
into plain data (geometry as WKB text) that :mod:`nmt_bodymap.cache` keeps
between runs; :func:`valid_view` checks an entry read back from the cache.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from nmt_bodymap import cache
from nmt_bodymap.svgdoc import SvgError, parse_viewbox, read_svg

#: Bump when what is compiled from a chart SVG changes.
CHART_COMPILER = "chart-compiler-3"


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


def compile_view(name: str, path: Path, data: bytes) -> dict:
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


def valid_view(value: object, data: bytes) -> bool:
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
