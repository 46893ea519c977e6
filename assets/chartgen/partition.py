"""Tile a silhouette with named regions, in paint order.

Each region takes whatever part of the silhouette its knife covers that no
earlier region has taken, so regions never overlap and nothing is left
over. Slivers (pieces cut off by a knife's edge) are handed to the neighbour
they share most boundary with, so every region is a single clean polygon.
"""

from __future__ import annotations

import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

MIN_PIECE_MM2 = 25.0


def _polygons(geom: BaseGeometry) -> list[Polygon]:
    if geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    if isinstance(geom, MultiPolygon):
        return list(geom.geoms)
    return [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon)]


def paint(body: BaseGeometry, knives: list[tuple[str, BaseGeometry]]) -> dict[str, Polygon]:
    """Regions of ``body`` named by ``knives``, taken in order.

    A name may repeat: later knives of the same name add to that region.
    The last knife should cover everything left (a catch-all).
    """
    remaining = body
    pieces: dict[str, BaseGeometry] = {}
    for name, knife in knives:
        taken = shapely.intersection(remaining, knife)
        if taken.is_empty or taken.area < 1e-6:
            continue
        pieces[name] = shapely.union(pieces[name], taken) if name in pieces else taken
        remaining = shapely.difference(remaining, knife)
    orphans = [p for p in _polygons(remaining) if p.area > 1e-3]
    return _settle(pieces, orphans)


def _settle(pieces: dict[str, BaseGeometry], orphans: list[Polygon]) -> dict[str, Polygon]:
    """Keep each region's largest part; give the rest to the best neighbour."""
    main: dict[str, Polygon] = {}
    loose: list[Polygon] = list(orphans)
    for name, geom in pieces.items():
        parts = sorted(_polygons(shapely.make_valid(geom)), key=lambda p: p.area, reverse=True)
        if not parts:
            continue
        main[name] = parts[0]
        loose.extend(p for p in parts[1:] if p.area > 1e-3)
    for _ in range(6):
        still: list[Polygon] = []
        for piece in sorted(loose, key=lambda p: p.area):
            best, best_len = None, 0.0
            for name, region in main.items():
                shared = shapely.intersection(piece.boundary, region.buffer(0.05)).length
                if shared > best_len:
                    best, best_len = name, shared
            if best is None:
                still.append(piece)
                continue
            merged = shapely.union(main[best], piece.buffer(0.01)).buffer(0)
            parts = sorted(_polygons(merged), key=lambda p: p.area, reverse=True)
            main[best] = parts[0]
            still.extend(p for p in parts[1:] if p.area > 1e-3)
        loose = still
        if not loose:
            break
    big = [p for p in loose if p.area > MIN_PIECE_MM2]
    if big:
        raise ValueError(f"{len(big)} region pieces could not be placed (largest {max(p.area for p in big):.0f} mm²)")
    # remove the tiny overlaps introduced by the 0.01 mm merge buffer
    names = sorted(main, key=lambda n: main[n].area)
    for i, name in enumerate(names):
        for other in names[i + 1 :]:
            if main[name].intersects(main[other]):
                main[other] = _largest(shapely.difference(main[other], main[name]))
    return main


def _largest(geom: BaseGeometry) -> Polygon:
    parts = sorted(_polygons(shapely.make_valid(geom)), key=lambda p: p.area, reverse=True)
    return parts[0]


def gap_line(half: BaseGeometry, ys: list[float]) -> list[tuple[float, float]]:
    """Mid-points of the gap before the innermost solid span at each height.

    In a half silhouette (x <= 0) the innermost span is the trunk or thigh;
    everything further out is the arm or hand (fingers make several spans),
    so this is the line a knife follows to separate limb from body.
    """
    out: list[tuple[float, float]] = []
    minx, _, maxx, _ = half.bounds
    for y in ys:
        line = shapely.LineString([(minx - 1, y), (maxx + 1, y)])
        spans = sorted(_lines(shapely.intersection(half, line)), key=lambda s: s.bounds[0])
        if len(spans) > 1:
            left_end = spans[-2].bounds[2]
            right_start = spans[-1].bounds[0]
            out.append(((left_end + right_start) / 2, y))
    return out


def _lines(geom: BaseGeometry) -> list[BaseGeometry]:
    if geom.is_empty:
        return []
    if geom.geom_type == "LineString":
        return [geom]
    return [g for g in getattr(geom, "geoms", []) if g.geom_type == "LineString"]
