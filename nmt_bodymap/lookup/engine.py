"""The lookup engine: :meth:`LookupEngine.rank` and what it keeps between rankings.

Building the engine lays the atlas and the nerve atlas on the scanline
raster (:class:`.index.AtlasIndex`, cached on disk). Ranking a drawing scores the
whole drawing at once (:mod:`.ranking`); its complaints are grouped
(:mod:`.complaints`) and ranked when first read, all in one pass, and a
complaint whose marks did not change is not ranked again. While a stroke is
painted only the stroke is new: each mark's rows and footprint are kept.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from functools import partial

import numpy as np
import shapely

from nmt_bodymap.atlas import Atlas, SidedTriggerPoint
from nmt_bodymap.chart import Chart
from nmt_bodymap.lookup import raster as rst
from nmt_bodymap.lookup.atoms import Atoms
from nmt_bodymap.lookup.complaints import DefinedComplaint, Grouping, Links, group
from nmt_bodymap.lookup.drawing import MarkRows
from nmt_bodymap.lookup.footprint import Footprint, footprints
from nmt_bodymap.lookup.index import AtlasIndex
from nmt_bodymap.lookup.ranking import Ranking, plan
from nmt_bodymap.lookup.result import ComplaintResult, LookupResult
from nmt_bodymap.nerves import NerveAtlas, shipped_nerves
from nmt_bodymap.session import PainMark

_RESULT_CACHE = 256

Rows = tuple[np.ndarray, np.ndarray]


class LookupEngine:
    """Indexes the atlas once; :meth:`rank` then scores drawings in about a millisecond."""

    def __init__(
        self, atlas: Atlas, chart: Chart, step: float = rst.DEFAULT_STEP_MM, nerves: NerveAtlas | None = None
    ) -> None:
        """``nerves``: the nerve atlas scored against numbness, tingling and burning (the shipped
        one by default; :meth:`NerveAtlas.empty` for none)."""
        self.nerves = nerves if nerves is not None else shipped_nerves()
        self.index = AtlasIndex(atlas, chart, self.nerves, step)
        self.atlas = atlas
        self.chart = chart
        self.sided: list[SidedTriggerPoint] = self.index.sided
        self.keys = self.index.keys
        self.rows = MarkRows(self.index.raster.grids)
        self.atoms = Atoms(self.index)
        self._prints: OrderedDict[tuple[str, int], tuple[object, Footprint]] = OrderedDict()
        self._complaint_results: OrderedDict[tuple, tuple[tuple, LookupResult]] = OrderedDict()
        self._labels: OrderedDict[tuple, str] = OrderedDict()
        self._links = Links()

    def clear_caches(self) -> None:
        """Forget every mark seen (for measuring a ranking from scratch)."""
        self.rows.clear()
        self.atoms.clear()
        self._prints.clear()
        self._complaint_results.clear()
        self._labels.clear()
        self._links.clear()

    def rank(
        self,
        marks: Iterable[PainMark],
        findings: Mapping[str, str] | None = None,
        complaints: Iterable[DefinedComplaint] | None = None,
    ) -> LookupResult:
        """Score every sided trigger point against the drawing; best first.

        The result's ``complaints`` hold each complaint's own ranking
        (:class:`ComplaintResult`: the complaint's id, label and marks, its
        candidates, nerves, dermatomes, entrapments and differential). ``complaints`` passed in are the
        therapist's own groupings (objects with ``id``, ``label`` and
        ``marks``, the mark ids); marks they do not name are grouped
        automatically.
        """
        given = list(marks)
        empty = shapely.is_empty([m.geometry for m in given]).tolist() if given else []
        drawn = [m for m, gone in zip(given, empty, strict=True) if not gone]
        findings = dict(findings or {})
        defined = list(complaints or ())
        rows = self.rows.rows([(m.view, m.geometry) for m in drawn])
        everything = tuple(range(len(drawn)))
        known = sum((m.view, id(m.geometry)) in self._prints for m in drawn)
        if len(drawn) > 1 and known >= len(drawn) - 2:
            # a stroke being painted: the complaints whose marks changed are ranked in this same pass
            batch = self._batch(drawn, rows, findings, defined)
            groups, index = plan(drawn, [everything, *(batch.grouping[j].marks for j in batch.todo)])
            ranking = Ranking(self.index, drawn, rows, groups, findings, self.atoms, index)
            result = ranking.result(index[0])
            batch.fill(ranking, index[1:], result)
            return result.with_complaints(batch.results())
        groups, (whole,) = plan(drawn, [everything])
        result = Ranking(self.index, drawn, rows, groups, findings, self.atoms, [whole]).result(whole)

        def complaints_later() -> list[ComplaintResult]:
            batch = self._batch(drawn, rows, findings, defined)
            batch.whole = result
            return batch.results()

        return result.with_complaints(complaints_later)

    def _batch(
        self, drawn: list[PainMark], rows: list[Rows], findings: dict[str, str], defined: list[DefinedComplaint]
    ) -> _Batch:
        prints = footprints(self.index.cells, drawn, rows, self._prints)
        grouping = group(drawn, prints, self.index.region_names, defined, self._labels, self._links)
        return _Batch(self, drawn, rows, findings, grouping)

    def _cached(self, key: tuple, geoms: tuple) -> LookupResult | None:
        hit = self._complaint_results.get(key)
        if hit is not None and all(a is b for a, b in zip(hit[0], geoms, strict=True)):
            return hit[1]
        return None

    def _remember(self, key: tuple, geoms: tuple, result: LookupResult) -> None:
        self._complaint_results[key] = (geoms, result)
        while len(self._complaint_results) > _RESULT_CACHE:
            self._complaint_results.popitem(last=False)


class _Batch:
    """The complaints of one ranking: those not ranked before are ranked together, when first read."""

    def __init__(
        self,
        engine: LookupEngine,
        drawn: list[PainMark],
        rows: Sequence[Rows],
        findings: dict[str, str],
        grouping: list[Grouping],
    ) -> None:
        self.engine, self.drawn, self.rows, self.findings = engine, drawn, rows, findings
        self.grouping = grouping
        self.whole: LookupResult | None = None
        self.done: dict[int, LookupResult] = {}
        self.todo: list[int] = []
        findings_key = tuple(sorted(findings.items()))
        self.keys: list[tuple] = []
        self.geoms: list[tuple] = []
        for k, g in enumerate(grouping):
            marks = [drawn[i] for i in g.marks]
            self.keys.append((tuple((m.id, id(m.geometry), m.intensity, m.quality) for m in marks), findings_key))
            self.geoms.append(tuple(m.geometry for m in marks))
            hit = None if len(g.marks) == len(drawn) else engine._cached(self.keys[k], self.geoms[k])
            if hit is not None:
                self.done[k] = hit
            elif len(g.marks) != len(drawn):
                self.todo.append(k)

    def fill(self, ranking: Ranking, index: Sequence[int], whole: LookupResult | None) -> None:
        """Take the results of the complaints still to rank from a pass that ranked them."""
        self.whole = whole
        for k, g in zip(self.todo, index, strict=True):
            self.done[k] = ranking.result(g)
            self.engine._remember(self.keys[k], self.geoms[k], self.done[k])
        self.todo = []

    def results(self) -> list[ComplaintResult]:
        return [ComplaintResult(g.complaint, partial(self.result, k)) for k, g in enumerate(self.grouping)]

    def result(self, k: int) -> LookupResult:
        if len(self.grouping[k].marks) == len(self.drawn) and self.whole is not None:
            return self.whole
        if k not in self.done:
            groups, index = plan(self.drawn, [self.grouping[j].marks for j in self.todo])
            ranking = Ranking(self.engine.index, self.drawn, self.rows, groups, self.findings, self.engine.atoms, index)
            self.fill(ranking, index, self.whole)
        return self.done[k]
