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
RASTER_FORMAT = "scanline-raster-1"
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
        offset = np.arange(len(where)) - np.repeat(np.cumsum(count) - count, count)
        return where, self.items[first[where] + offset]

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
        self.ends = np.append(starts[1:], np.inf)
        self.labels = labels  # label of each run
        self.label_view = label_view  # index into VIEWS of each label
        self.members = members
        self.label_count = len(label_view)
        step = next(iter(grids.values())).step
        length = np.minimum(self.ends, _row_ends(grids, self.starts, label_view[labels])) - self.starts
        #: The area (mm²) of each label over the whole chart.
        self.label_area = np.bincount(labels, weights=length, minlength=self.label_count) * step
        #: Each run's length on the axis (the last run of a row ends where the row does).
        self.length = length
        on = np.zeros(self.label_count, dtype=bool)
        for m in members.values():
            on |= m.any()
        #: How long each view's rows are where any item lies (mm of axis).
        self.view_length = np.bincount(label_view[on], weights=self.label_area[on] / step, minlength=len(VIEWS))

    @property
    def run_count(self) -> int:
        return len(self.starts)

    def locate(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For intervals ``[a, b)`` inside the axis: the first run each meets, and how many runs."""
        first = np.searchsorted(self.starts, a, side="right") - 1
        return first, np.searchsorted(self.starts, b, side="left") - first

    def overlaps(
        self, a: np.ndarray, b: np.ndarray, located: tuple[np.ndarray, np.ndarray] | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The runs under intervals ``[a, b)``: (interval index, run index, overlap length in mm of axis).

        Runs inside an interval count whole; only the first and the last run
        of each interval are cut.
        """
        first, count = located if located is not None else self.locate(a, b)
        which = np.repeat(np.arange(len(a)), count)
        offset = np.cumsum(count) - count
        run = first[which] + np.arange(len(which)) - offset[which]
        length = self.length[run]
        if len(which):
            length[offset] = np.minimum(b, self.ends[first]) - a
            many = count > 1
            last = (offset + count - 1)[many]
            length[last] = b[many] - self.starts[run[last]]
        return which, run, length

    def label_at(self, g: np.ndarray) -> np.ndarray:
        """The label at points of the global axis."""
        return self.labels[np.searchsorted(self.starts, g, side="right") - 1]

    # -- cache -------------------------------------------------------------------

    def to_cache(self) -> dict[str, object]:
        return {
            "starts": _pack(self.starts),
            "labels": _pack(self.labels),
            "label_view": _pack(self.label_view),
            "members": {name: [_pack(m.indptr), _pack(m.items)] for name, m in self.members.items()},
        }

    @classmethod
    def from_cache(cls, grids: dict[str, ViewGrid], doc: Mapping[str, object]) -> Raster:
        members = doc["members"]
        assert isinstance(members, dict)
        return cls(
            grids,
            _unpack(doc["starts"], np.float64),
            _unpack(doc["labels"], np.int32),
            _unpack(doc["label_view"], np.int8),
            {name: Members(_unpack(p, np.int32), _unpack(i, np.int32)) for name, (p, i) in members.items()},
        )


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
        state = np.bitwise_xor.accumulate(keys[item]) if len(item) else np.empty(0, dtype=np.uint64)
        # the empty set is label 0 of every view; np.unique sorts 0 first
        unique, first, local = np.unique(np.append(np.uint64(0), state), return_index=True, return_inverse=True)
        local = local[1:]
        starts += [np.array([grid.offset]), g]
        labels += [np.array([label_base], dtype=np.int64), label_base + local]
        label_view.append(np.full(len(unique), vi, dtype=np.int8))
        # members of each label: items crossed an odd number of times from the row start to
        # the label's first run
        rep = first[1:] - 1
        row_start = np.searchsorted(row, row[rep], side="left")
        count = rep - row_start + 1
        which = np.repeat(np.arange(len(rep)), count)
        event = np.repeat(row_start, count) + np.arange(len(which)) - np.repeat(np.cumsum(count) - count, count)
        pair = (which.astype(np.int64) + 1) * len(all_geoms) + item[event]
        pair, times = np.unique(pair, return_counts=True)
        pair = pair[times % 2 == 1]
        member_rows.append((label_base + pair // len(all_geoms), pair % len(all_geoms)))
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
    except (KeyError, TypeError, ValueError, AssertionError):
        return build(chart, families, step)
