"""Where each mark lies, coarsely: its footprint, for grouping marks into complaints.

A mark's *footprint* says coarsely where it lies: the 20 mm cells it covers
in its view (to tell marks lying close), the body surfaces it covers by
height (a region id names the same surface in every view, and the chart
has the same heights in every view except the soles), the body segments it
spans from top to bottom (low back and buttock are one segment, the temple
and the neck another), and how much of each region it covers (for labels).
Footprints are worked out together for all new marks and kept per mark.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nmt_bodymap.chart import VIEWS
from nmt_bodymap.lookup.body_parts import SEGMENT_OF
from nmt_bodymap.lookup.scanline import ViewGrid
from nmt_bodymap.session import PainMark

NEAR_CELL_MM = 20.0  # proximity cells: marks in the same or neighbouring cells lie close
PART_CELL_MM = 10.0  # surface cells: which regions a mark covers, and how much of each
SOLE_HEIGHT_MM = 1745.0  # the plantar view has its own y; its marks lie at the soles' height


@dataclass(frozen=True)
class Footprint:
    """Where a mark lies, coarsely (see the module docstring)."""

    near: np.ndarray  # keys of the proximity cells it covers: (view * 1000 + row) * 1000 + column
    near_grown: np.ndarray  # the same and their neighbours
    surfaces: np.ndarray  # keys of the surfaces it covers by height band: surface * 10_000 + band
    surfaces_grown: np.ndarray  # the same and the neighbouring bands
    spans: tuple[tuple[int, float, float], ...]  # (segment * 3 + side, top, bottom) in mm
    parts: tuple[tuple[int, int], ...]  # (region item, surface cells covered)


class BodyCells:
    """Per view, a coarse grid telling which region lies under each cell's centre."""

    def __init__(
        self,
        grids: dict[str, ViewGrid],
        region_at: np.ndarray,
        surface_of_region: np.ndarray,
        segment_side_of_region: np.ndarray,
    ) -> None:
        self.grids = grids
        self.region_at = region_at  # (views, rows, columns): region item or -1
        self.surface_of_region = surface_of_region
        self.segment_side_of_region = segment_side_of_region  # segment * 3 + side, -1 outside any segment

    @classmethod
    def build(
        cls,
        grids: dict[str, ViewGrid],
        region_of_label: np.ndarray,
        label_at: object,
        region_names: Sequence[tuple[str, str]],
        surface_of_region: np.ndarray,
    ) -> BodyCells:
        assert callable(label_at)
        rows = max(int(np.ceil(g.rows * g.step / PART_CELL_MM)) for g in grids.values())
        cols = max(int(np.ceil(g.width / PART_CELL_MM)) for g in grids.values())
        table = np.full((len(VIEWS), rows, cols), -1, dtype=np.int64)
        cy, cx = np.mgrid[0:rows, 0:cols]
        for vi, name in enumerate(VIEWS):
            grid = grids[name]
            y = (cy.ravel() + 0.5) * PART_CELL_MM
            x = grid.x0 + (cx.ravel() + 0.5) * PART_CELL_MM
            row = np.minimum(np.floor(y / grid.step).astype(np.int64), grid.rows - 1)
            inside = x < grid.x0 + grid.width
            table[vi] = np.where(inside, region_of_label[label_at(grid.to_global(row, x))], -1).reshape(rows, cols)
        sides = {"right": 0, "left": 1, "midline": 2}
        segment_side = np.array(
            [SEGMENT_OF[n] * 3 + sides.get(s, 2) if n in SEGMENT_OF else -1 for n, s in region_names], dtype=np.int64
        )
        return cls(grids, table, np.asarray(surface_of_region, dtype=np.int64), segment_side)


def footprints(
    cells: BodyCells,
    drawn: Sequence[PainMark],
    rows: Sequence[tuple[np.ndarray, np.ndarray]],
    cache: OrderedDict[tuple[str, int], tuple[object, Footprint]],
    size: int = 4096,
) -> list[Footprint]:
    """Each mark's footprint; marks not seen before are worked out together, and kept in ``cache``."""
    out: list[Footprint | None] = []
    missing: list[int] = []
    for i, m in enumerate(drawn):
        hit = cache.get((m.view, id(m.geometry)))
        if hit is not None and hit[0] is m.geometry:
            out.append(hit[1])
        else:
            out.append(None)
            missing.append(i)
    if missing:
        found = _footprints(cells, [drawn[i] for i in missing], [rows[i] for i in missing])
        for i, fp in zip(missing, found, strict=True):
            out[i] = fp
            cache[(drawn[i].view, id(drawn[i].geometry))] = (drawn[i].geometry, fp)
        while len(cache) > size:
            cache.popitem(last=False)
    return [fp for fp in out if fp is not None]


_CELL_SHIFTS = np.array([dr * 1000 + dc for dr in (-1, 0, 1) for dc in (-1, 0, 1)])
_BAND_SHIFTS = np.array([-1, 0, 1])


def _footprints(
    cells: BodyCells, marks: Sequence[PainMark], rows: Sequence[tuple[np.ndarray, np.ndarray]]
) -> list[Footprint]:
    counts = [len(a) for a, _ in rows]
    mark = np.repeat(np.arange(len(marks)), counts)
    view = np.repeat([VIEWS.index(m.view) for m in marks], counts).astype(np.int64)
    start = np.concatenate([a for a, _ in rows])
    end = np.concatenate([b for _, b in rows])
    grid = np.array([[g.offset, g.span, g.step, g.y0] for g in (cells.grids[v] for v in VIEWS)])[view]
    local = start - grid[:, 0]
    row = np.floor(local / grid[:, 1])
    x0 = local - row * grid[:, 1]
    x1 = x0 + np.maximum(end - start - 1e-9, 0.0)
    y = (row + 0.5) * grid[:, 2]
    near_mark, near = _cells(mark, view, y, x0, x1, NEAR_CELL_MM)
    fine_mark, fine = _cells(mark, view, y, x0, x1, PART_CELL_MM)
    shape = cells.region_at.shape
    fview, frow, fcol = fine // 10**6, (fine // 1000) % 1000, fine % 1000
    region = cells.region_at[fview, np.minimum(frow, shape[1] - 1), np.minimum(fcol, shape[2] - 1)]
    on = region >= 0
    fine_mark, region, fview, frow = fine_mark[on], region[on], fview[on], frow[on]
    y0 = np.array([cells.grids[v].y0 for v in VIEWS])[fview]
    top = np.where(fview == VIEWS.index("plantar"), SOLE_HEIGHT_MM, y0 + frow * PART_CELL_MM)
    band = (top // NEAR_CELL_MM).astype(np.int64)
    surface = np.unique(fine_mark * 10**9 + cells.surface_of_region[region] * 10_000 + band)
    part, part_count = np.unique(fine_mark * 10**6 + region, return_counts=True)
    # each mark's extent from top to bottom in every body segment it touches
    seg = cells.segment_side_of_region[region]
    keep = seg >= 0
    span_key = fine_mark[keep] * 1000 + seg[keep]
    order = np.argsort(span_key, kind="stable")
    span_key, span_top = span_key[order], top[keep][order]
    head = np.flatnonzero(np.diff(span_key, prepend=-1)) if len(span_key) else np.empty(0, dtype=np.int64)
    tops = np.minimum.reduceat(span_top, head) if len(head) else np.empty(0)
    bottoms = np.maximum.reduceat(span_top, head) + PART_CELL_MM if len(head) else np.empty(0)
    keys = span_key[head]
    out = []
    cut = [
        np.searchsorted(k, np.arange(len(marks) + 1))
        for k in (near_mark, surface // 10**9, part // 10**6, keys // 1000)
    ]
    for k in range(len(marks)):
        own_near = near[cut[0][k] : cut[0][k + 1]]
        own_surfaces = surface[cut[1][k] : cut[1][k + 1]] % 10**9
        regions = part[cut[2][k] : cut[2][k + 1]] % 10**6
        lo, hi = cut[3][k], cut[3][k + 1]
        out.append(
            Footprint(
                own_near,
                (own_near[:, None] + _CELL_SHIFTS).ravel(),
                own_surfaces,
                (own_surfaces[:, None] + _BAND_SHIFTS).ravel(),
                tuple(zip((keys[lo:hi] % 1000).tolist(), tops[lo:hi].tolist(), bottoms[lo:hi].tolist(), strict=True)),
                tuple(zip(regions.tolist(), part_count[cut[2][k] : cut[2][k + 1]].tolist(), strict=True)),
            )
        )
    return out


def _cells(
    mark: np.ndarray, view: np.ndarray, y: np.ndarray, x0: np.ndarray, x1: np.ndarray, size: float
) -> tuple[np.ndarray, np.ndarray]:
    """The square cells of ``size`` mm that row intervals touch: (mark, cell key), unique and sorted by mark."""
    row = np.floor(y / size).astype(np.int64)
    first = np.floor(x0 / size).astype(np.int64)
    count = np.floor(x1 / size).astype(np.int64) - first + 1
    which = np.repeat(np.arange(len(row)), count)
    col = first[which] + np.arange(len(which)) - np.repeat(np.cumsum(count) - count, count)
    key = np.unique(mark[which] * 10**10 + (view[which] * 1000 + row[which]) * 1000 + col)
    return key // 10**10, key % 10**10
