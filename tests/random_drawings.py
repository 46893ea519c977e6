"""Seeded random drawings of discs, for the lookup's golden test and its benchmark alike.

The golden fixture (``fixtures/lookup_golden.json``) was written from these
drawings, so the random numbers must be drawn in exactly this order: the
golden cases and the benchmark differ only in the lowest intensity drawn
and the marks' ids, which are parameters here. ``benchmarks/lookup.py``
imports this module with ``tests/`` on its path.
"""

from __future__ import annotations

import random

from nmt_bodymap.chart import VIEWS, Chart
from nmt_bodymap.session import QUALITIES, PainMark, disc_mark


def random_discs(
    chart: Chart, rng: random.Random, n: int, radius: float | None = None, lowest_intensity: int = 1
) -> list[PainMark]:
    """``n`` discs anywhere on the body, in every view, of every quality (ids ``m1``, ``m2``, …)."""
    marks: list[PainMark] = []
    while len(marks) < n:
        view = rng.choice(VIEWS)
        v = chart.view(view)
        minx, miny, maxx, maxy = v.silhouette.bounds
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if not v.contains(x, y):
            continue
        r = radius or (rng.uniform(10, 40) if view != "plantar" else rng.uniform(5, 15))
        quality, intensity = rng.choice(QUALITIES), rng.randint(lowest_intensity, 10)  # in this order
        marks.append(disc_mark(chart, f"m{len(marks) + 1}", view, x, y, r, quality, intensity))
    return marks


def piled_discs(chart: Chart, rng: random.Random, n: int, id_prefix: str = "m") -> list[PainMark]:
    """``n`` aching discs piled on the back, every intensity from 1 (ids ``m0``, ``m1``, …)."""
    v = chart.view("posterior")
    marks: list[PainMark] = []
    while len(marks) < n:
        x, y = rng.uniform(-150, 150), rng.uniform(300, 900)
        if v.contains(x, y):
            mark_id = f"{id_prefix}{len(marks)}"
            marks.append(
                disc_mark(chart, mark_id, "posterior", x, y, rng.uniform(20, 40), "aching", rng.randint(1, 10))
            )
    return marks
