"""The atlas as a labelled scanline raster: every run of every row knows which zones cover it.

Each row of each view (see :mod:`.scanline`) is cut into *runs* at the
exact x where any zone's edge crosses it, and every run is labelled by the
*set* of zones covering it. Zones come in *families*: the trigger points'
referral zones, the chart's regions, and any layer added later (dermatomes,
nerve territories) as one more family. A label stands for one set of items
of every family at once; ``members(family)`` lists, per label, that
family's items.

Ranking a drawing then costs a lookup of the runs under the drawing's
intervals, a ``bincount`` over their labels and a sparse sum over the
labels touched: nothing depends on how the marks overlap or how detailed
their outlines are. Building the labels takes a fraction of a second and is
cached on disk by the content of the geometry (:func:`load_or_build`).

Labels are told apart by an XOR of a random 64-bit key per item (two
different sets share a label with probability about 2⁻⁶⁴ per pair).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from nmt_bodymap import cache
from nmt_bodymap.chart import VIEWS, Chart
from nmt_bodymap.lookup.scanline import ViewGrid, crossings, edges, view_grids

#: Bump when the raster's layout or the way it is built changes.
RASTER_FORMAT = "scanline-raster-3"
DEFAULT_STEP_MM = 1.0
_KEY_SEED = 20260511


@dataclass(frozen=True)
class Family:
    """Items laid on the chart; ``views[i]`` and ``geoms[i]`` place item ``i``."""

    name: str
    views: tuple[str, ...]
    geoms: tuple[BaseGeometry, ...]


@dataclass(frozen=True)
class Members:
    """Per label, the items of one family covering it (compressed rows)."""

    indptr: np.ndarray  # label -> slice of items
    items: np.ndarray

    def expand(self, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each given label, its items: (position in ``labels``, item)."""
        first = self.indptr[labels]
        count = self.indptr[labels + 1] - first
        where = np.repeat(np.arange(len(labels)), count)
        # the items of label k sit at first[k] ... first[k] + count[k] - 1
        shift = (first - (np.cumsum(count) - count))[where]
        shift += np.arange(len(where))
        return where, self.items[shift]

    def spread(self, labels: np.ndarray, *values: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
        """Each given label's items, and each of ``values`` (one per label) repeated for every item."""
        first = self.indptr[labels]
        count = self.indptr[labels + 1] - first
        at = np.repeat(first - (np.cumsum(count) - count), count)
        at += np.arange(len(at))
        return self.items[at], [np.repeat(v, count) for v in values]

    def any(self) -> np.ndarray:
        """Per label: does any item of the family cover it."""
        return np.diff(self.indptr) > 0


class Raster:
    """Runs and labels for every view, on one global axis."""

    def __init__(
        self,
        grids: dict[str, ViewGrid],
        starts: np.ndarray,
        labels: np.ndarray,
        label_view: np.ndarray,
        members: dict[str, Members],
    ) -> None:
        self.grids = grids
        self.starts = starts  # sorted run starts on the global axis; run i ends where run i + 1 starts
        ends = np.append(starts[1:], np.inf)
        self.labels = labels  # label of each run
        self.label_view = label_view  # index into VIEWS of each label
        self.members = members
        self.label_count = len(label_view)
        step = next(iter(grids.values())).step
        length = np.minimum(ends, _row_ends(grids, self.starts, label_view[labels])) - self.starts
        #: The area (mm²) of each label over the whole chart.
        self.label_area = np.bincount(labels, weights=length, minlength=self.label_count) * step
        #: Each run's start, length on the axis (the last run of a row ends where the row does) and
        #: label, side by side in memory: a ranking reads the three together.
        self.runs = np.empty(len(starts), dtype=[("start", "f8"), ("length", "f4"), ("label", "i4")])
        self.runs["start"], self.runs["length"], self.runs["label"] = starts, length, labels
        #: Each run's length as stored (float32), widened once.
        self.run_length = self.runs["length"].astype(np.float64)
        #: Where each view starts on the global axis.
        self.view_starts = np.array([grids[v].offset for v in VIEWS])
        on = np.zeros(self.label_count, dtype=bool)
        for m in members.values():
            on |= m.any()
        #: How long each view's rows are where any item lies (mm of axis).
        self.view_length = np.bincount(label_view[on], weights=self.label_area[on] / step, minlength=len(VIEWS))

    def view_at(self, g: np.ndarray) -> np.ndarray:
        """Index into VIEWS of each position on the global axis."""
        return np.searchsorted(self.view_starts, g, side="right") - 1

    @property
    def run_count(self) -> int:
        return len(self.starts)

    def locate(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For intervals ``[a, b)`` inside the axis: the first run each meets, and how many runs."""
        first = np.searchsorted(self.starts, a, side="right") - 1
        return first, np.searchsorted(self.starts, b, side="left") - first

    def overlaps(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The runs under intervals ``[a, b)`` (each inside one row): (interval index, label, overlap length).

        Runs inside an interval count whole; only the first and the last run
        of each interval are cut. (:meth:`pieces`, without where each starts.)
        """
        count, label, length = self.runs_under(a, b)
        return np.repeat(np.arange(len(a)), count), label, length

    def runs_under(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`overlaps` as (how many runs each interval meets, label, overlap length), interval by interval.

        The intervals come sorted, or in a few sorted runs (one per atom), so a
        plain binary search walks the run starts in order (faster here than a
        search through cache-line blocks of them, measured in the ranking).
        """
        first = np.searchsorted(self.starts, a, side="right") - 1
        stop = np.searchsorted(self.starts, b, side="left")
        count = stop - first
        end = np.cumsum(count)
        offset = end - count
        run = np.repeat(first - offset, count)
        run += np.arange(len(run))
        length = self.run_length[run]
        if len(run):
            length[offset] = np.minimum(b, self.starts[first] + self.run_length[first]) - a
            many = count > 1
            length[end[many] - 1] = b[many] - self.starts[stop[many] - 1]
        return count, self.labels[run], length

    def pieces(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`overlaps` with where each piece starts on the axis: (interval, label, start, length)."""
        first, count = self.locate(a, b)
        which = np.repeat(np.arange(len(a)), count)
        offset = np.cumsum(count) - count
        runs = self.runs[first[which] + np.arange(len(which)) - offset[which]]
        length = runs["length"].astype(np.float64)
        start = runs["start"].copy()
        if len(which):
            length[offset] = np.minimum(b, start[offset] + length[offset]) - a
            start[offset] = a
            many = count > 1
            last = (offset + count - 1)[many]
            length[last] = b[many] - start[last]
        return which, runs["label"], start, length

    def label_at(self, g: np.ndarray) -> np.ndarray:
        """The label at points of the global axis."""
        return self.labels[np.searchsorted(self.starts, g, side="right") - 1]

    # -- cache -------------------------------------------------------------------

    def to_cache(self) -> dict[str, object]:
        """The raster as plain JSON values (compact: row counts, float32 offsets within rows, small integers)."""
        view_of_run = self.label_view[self.labels]
        counts, offsets = [], []
        for vi, name in enumerate(VIEWS):
            grid = self.grids[name]
            rows, x = grid.to_view(self.starts[view_of_run == vi])
            counts.append(np.bincount(rows, minlength=grid.rows))
            offsets.append(x - grid.x0)
        base = np.searchsorted(self.label_view, np.arange(len(VIEWS)))
        local = self.labels - base[view_of_run]
        wide = int(local.max(initial=0)) >= 2**16 or self.label_count >= 2**31
        return {
            "runs_per_row": _pack(np.concatenate(counts).astype(np.uint32)),
            "offset_in_row": _pack(np.concatenate(offsets).astype(np.float32)),
            "label_in_view": _pack(local.astype(np.uint32 if wide else np.uint16)),
            "label_width": 4 if wide else 2,
            "labels_per_view": _pack(np.bincount(self.label_view, minlength=len(VIEWS)).astype(np.uint32)),
            "members": {name: [_pack(m.indptr), _pack(m.items)] for name, m in self.members.items()},
        }

    @classmethod
    def from_cache(cls, grids: dict[str, ViewGrid], doc: Mapping[str, object]) -> Raster:
        """Rebuild from :meth:`to_cache`'s values; a damaged entry raises ValueError."""
        members = doc["members"]
        if not isinstance(members, dict):
            raise ValueError("raster cache entry is damaged")
        counts = _unpack(doc["runs_per_row"], np.uint32).astype(np.int64)
        x = _unpack(doc["offset_in_row"], np.float32).astype(np.float64)
        local = _unpack(doc["label_in_view"], np.uint32 if doc["label_width"] == 4 else np.uint16).astype(np.int64)
        per_view = _unpack(doc["labels_per_view"], np.uint32).astype(np.int64)
        rows_per_view = [grids[v].rows for v in VIEWS]
        if len(counts) != sum(rows_per_view) or int(counts.sum()) != len(x) or len(x) != len(local):
            raise ValueError("raster cache entry is damaged")
        row_view = np.repeat(np.arange(len(VIEWS)), rows_per_view)
        row_in_view = np.concatenate([np.arange(n) for n in rows_per_view])
        run_view = np.repeat(row_view, counts)
        run_row = np.repeat(row_in_view, counts)
        table = np.array([[grids[v].offset, grids[v].span] for v in VIEWS])
        starts = table[run_view, 0] + run_row * table[run_view, 1] + x
        label_base = np.concatenate([[0], np.cumsum(per_view)[:-1]])
        labels = (label_base[run_view] + local).astype(np.int32)
        label_view = np.repeat(np.arange(len(VIEWS), dtype=np.int8), per_view)
        unpacked = {name: Members(_unpack(p, np.int32), _unpack(i, np.int32)) for name, (p, i) in members.items()}
        for m in unpacked.values():
            if len(m.indptr) != len(label_view) + 1 or (len(m.items) and int(m.indptr[-1]) != len(m.items)):
                raise ValueError("raster cache entry is damaged")
        return cls(grids, starts, labels, label_view, unpacked)


def _row_ends(grids: dict[str, ViewGrid], starts: np.ndarray, view: np.ndarray) -> np.ndarray:
    """Where the row holding each position ends (rows are separated by a gap on the global axis)."""
    out = np.empty(len(starts))
    for vi, name in enumerate(VIEWS):
        grid = grids[name]
        here = view == vi
        rows = np.floor((starts[here] - grid.offset) / grid.span)
        out[here] = grid.offset + rows * grid.span + grid.width
    return out


def _pack(array: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(array).tobytes()).decode("ascii")


def _unpack(text: object, dtype: type) -> np.ndarray:
    if not isinstance(text, str):
        raise ValueError("raster cache entry is damaged")
    return np.frombuffer(base64.b64decode(text), dtype=dtype)


def build(chart: Chart, families: Sequence[Family], step: float = DEFAULT_STEP_MM) -> Raster:
    """Label every run of every row by the set of items covering it (see the module docstring)."""
    grids = view_grids(chart, step)
    sizes = [len(f.geoms) for f in families]
    family_base = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    all_views = np.array([VIEWS.index(v) for f in families for v in f.views], dtype=np.int64)
    all_geoms = np.array([g for f in families for g in f.geoms], dtype=object)
    keys = np.random.default_rng(_KEY_SEED).integers(1, 2**63, size=len(all_geoms), dtype=np.uint64)

    starts: list[np.ndarray] = []
    labels: list[np.ndarray] = []
    label_view: list[np.ndarray] = []
    member_rows: list[tuple[np.ndarray, np.ndarray]] = []  # per view: (label, combined item)
    label_base = 0
    for vi, name in enumerate(VIEWS):
        grid = grids[name]
        chosen = np.flatnonzero(all_views == vi)
        segments, owner = edges(all_geoms[chosen])
        edge, row, x = crossings(grid, segments)
        item = chosen[owner[edge]]
        order = np.lexsort((x, row))
        row, item = row[order], item[order]
        g = grid.to_global(row, x[order])
        x = x[order]
        state = np.bitwise_xor.accumulate(keys[item]) if len(item) else np.empty(0, dtype=np.uint64)
        # edges crossing a row at the same x make one break: only the state after the last counts
        last = np.flatnonzero(np.append((row[1:] != row[:-1]) | (x[1:] != x[:-1]), True)) if len(row) else row
        # the empty set is label 0 of every view; np.unique sorts 0 first
        unique, local = np.unique(np.append(np.uint64(0), state[last]), return_inverse=True)
        local = local[1:]
        starts += [np.array([grid.offset]), g[last]]
        labels += [np.array([label_base], dtype=np.int64), label_base + local]
        label_view.append(np.full(len(unique), vi, dtype=np.int8))
        member_rows.append(_members(grid, all_geoms, chosen, keys, (row, x, item), last, unique, local, label_base))
        label_base += len(unique)

    all_starts = np.concatenate(starts)
    all_labels = np.concatenate(labels).astype(np.int32)
    # neighbouring runs with the same label (an edge crossed twice at one x) are one run
    keep = np.append(True, all_labels[1:] != all_labels[:-1])
    label_of = np.concatenate([p[0] for p in member_rows])
    item_of = np.concatenate([p[1] for p in member_rows])
    members: dict[str, Members] = {}
    for fi, family in enumerate(families):
        mine = (item_of >= family_base[fi]) & (item_of < family_base[fi + 1])
        rows, items = label_of[mine], item_of[mine] - family_base[fi]
        order = np.lexsort((items, rows))
        indptr = np.searchsorted(rows[order], np.arange(label_base + 1)).astype(np.int32)
        members[family.name] = Members(indptr, items[order].astype(np.int32))
    return Raster(grids, all_starts[keep], all_labels[keep], np.concatenate(label_view), members)


def _members(
    grid: ViewGrid,
    geoms: np.ndarray,
    chosen: np.ndarray,
    keys: np.ndarray,
    events: tuple[np.ndarray, np.ndarray, np.ndarray],
    breaks: np.ndarray,
    unique: np.ndarray,
    local: np.ndarray,
    label_base: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Which items cover each label of one view: (label, item) pairs.

    ``events`` are the crossings (row, x, item) in row and x order;
    ``breaks`` the events after which a run starts, ``local`` the label of
    each of those runs. Each label is probed at the middle of its longest
    run: the items whose polygons hold that point, checked against the
    label's key (the XOR of its items' keys). A label the probe gets wrong (a
    point on an edge) is worked out from the crossings instead: the items
    crossed an odd number of times from the start of the row to the label's
    run. A label none of whose runs has any width covers nothing and keeps
    no members.
    """
    row, x, item = events
    brow, bx = row[breaks], x[breaks]
    same_row = np.append(brow[1:] == brow[:-1], False)
    width = np.where(same_row, np.append(bx[1:], 0.0) - bx, 0.0)
    order = np.lexsort((-width, local))
    first = order[np.searchsorted(local[order], np.arange(1, len(unique)))]  # longest run of each non-empty label
    flat = width[first] <= 0  # covers nothing
    px = bx[first] + width[first] / 2
    py = grid.y0 + (brow[first] + 0.5) * grid.step
    tree = shapely.STRtree(geoms[chosen])
    probe, hit = tree.query(shapely.points(px, py), predicate="intersects")
    hit = chosen[hit]
    found = np.zeros(len(first), dtype=np.uint64)
    np.bitwise_xor.at(found, probe, keys[hit])
    wrong = np.flatnonzero((found != unique[1:]) & ~flat)
    keep = ~flat[probe] & ~np.isin(probe, wrong)
    label_of, item_of = probe[keep] + 1, hit[keep]
    if len(wrong):
        rep = breaks[first[wrong]]
        row_start = np.searchsorted(row, row[rep], side="left")
        count = rep - row_start + 1
        which = np.repeat(np.arange(len(rep)), count)
        event = np.repeat(row_start, count) + np.arange(len(which)) - np.repeat(np.cumsum(count) - count, count)
        pair, times = np.unique(which.astype(np.int64) * len(geoms) + item[event], return_counts=True)
        pair = pair[times % 2 == 1]
        label_of = np.concatenate([label_of, wrong[pair // len(geoms)] + 1])
        item_of = np.concatenate([item_of, pair % len(geoms)])
    return label_base + label_of, item_of


def content_key(chart: Chart, families: Sequence[Family], step: float) -> str:
    """A digest of everything the raster is built from: the geometry itself, not file names."""
    h = hashlib.sha256()
    for name in VIEWS:
        h.update(repr(chart.view(name).viewbox).encode())
    for family in families:
        h.update(family.name.encode())
        h.update("|".join(family.views).encode())
        for blob in shapely.to_wkb(np.array(family.geoms, dtype=object)):
            h.update(len(blob).to_bytes(8, "little"))
            h.update(blob)
    return cache.digest(RASTER_FORMAT, repr(step), h.hexdigest())


def load_or_build(chart: Chart, families: Sequence[Family], step: float = DEFAULT_STEP_MM) -> Raster:
    """The raster for these families, from the content-hashed cache when it holds it."""
    grids = view_grids(chart, step)
    doc = cache.cached("raster", content_key(chart, families, step), lambda: build(chart, families, step).to_cache())
    try:
        return Raster.from_cache(grids, doc)
    except (KeyError, TypeError, ValueError):
        return Raster.from_cache(grids, build(chart, families, step).to_cache())
