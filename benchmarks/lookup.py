"""One full ranking of a 20-mark drawing against the whole atlas.

Also runs, in the same process, a naive baseline (every zone intersected with
every mark, no spatial index) and the engine on a synthetic atlas ten times
the real size, to show how the cost grows.
"""

from __future__ import annotations

import dataclasses
import random

import numpy as np
import shapely
from _common import emit, summary, timings

from nmt_bodymap.atlas import Atlas, shipped_atlas
from nmt_bodymap.chart import load_chart
from nmt_bodymap.lookup import LookupEngine
from nmt_bodymap.session import QUALITIES, disc_mark, stroke_mark

DRAWINGS = 60
REPEAT = 5


def random_drawing(chart, rng: random.Random, n: int = 20) -> list:
    marks = []
    views = ["anterior", "posterior", "right-lateral", "left-lateral", "plantar"]
    while len(marks) < n:
        view = rng.choice(views)
        v = chart.view(view)
        minx, miny, maxx, maxy = v.silhouette.bounds
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if not v.contains(x, y):
            continue
        r = rng.uniform(10, 40) if view != "plantar" else rng.uniform(5, 15)
        marks.append(disc_mark(chart, f"m{len(marks) + 1}", view, x, y, r, rng.choice(QUALITIES), rng.randint(1, 10)))
    return marks


def naive(engine: LookupEngine, marks) -> list[tuple[str, float]]:
    """The same coverage computed the obvious way: every zone against every piece, no index.

    The drawing is prepared by the same rules (overlaps once, a surface seen in
    two views once), so only the search differs.
    """
    grouped: dict[str, list] = {}
    for m in marks:
        grouped.setdefault(m.view, []).append(m)
    pieces = {v: engine._disjoint(ms) for v, ms in grouped.items()}
    engine._dedupe_views(pieces)
    total = sum(g.area * w for p in pieces.values() for g, w in zip(p.geoms, p.weights, strict=True))
    out = []
    for s in engine.atlas.sided:
        e = sp = 0.0
        for view, p in pieces.items():
            for g, w in zip(p.geoms, p.weights, strict=True):
                if view in s.essential:
                    e += shapely.intersection(g, s.essential[view]).area * w
                if view in s.spillover:
                    sp += shapely.intersection(g, s.spillover[view]).area * w
        if e or sp:
            out.append((s.key, (e + sp / 2) / total))
    return sorted(out, key=lambda t: (-round(t[1], 9), t[0]))


def synthetic(atlas: Atlas, factor: int, rng: random.Random) -> Atlas:
    """``factor`` copies of every trigger point, each nudged a little."""
    sided = []
    for k in range(factor):
        for s in atlas.sided:
            dx, dy = rng.uniform(-8, 8), rng.uniform(-8, 8)

            def move(g, dx=dx, dy=dy):
                # the loader hands out valid zones; keep them valid after the shift
                return shapely.make_valid(shapely.transform(g, lambda xy, dx=dx, dy=dy: xy + np.array([dx, dy])))

            muscle = dataclasses.replace(s.muscle, id=f"{s.muscle.id}-{k}")
            sided.append(
                dataclasses.replace(
                    s,
                    muscle=muscle,
                    essential={v: move(g) for v, g in s.essential.items()},
                    spillover={v: move(g) for v, g in s.spillover.items()},
                )
            )
    return Atlas(list({s.muscle.id: s.muscle for s in sided}.values()), sided, [], [])


def bench(engine: LookupEngine, drawings) -> dict[str, float]:
    """Cold: nothing cached; every piece of the drawing is intersected afresh."""

    def cold(d) -> None:
        engine._piece_cache.clear()
        engine.rank(d)

    ms = []
    for d in drawings:
        ms += timings(lambda d=d: cold(d), REPEAT)
    return summary(ms)


def bench_live(engine: LookupEngine, chart, drawings, rng: random.Random) -> dict[str, float]:
    """Live: 19 marks drawn, a 20th brush stroke growing frame by frame (what the app does)."""
    ms = []
    for d in drawings:
        engine._piece_cache.clear()
        base = d[:19]
        engine.rank(base)
        view = d[19].view
        x0, y0 = d[19].geometry.centroid.x, d[19].geometry.centroid.y
        points = [(x0, y0)]
        for _frame in range(12):
            points.append((points[-1][0] + rng.uniform(-6, 6), points[-1][1] + rng.uniform(2, 8)))
            stroke = stroke_mark(chart, "m20", view, points, 24, "aching", 6)
            ms += timings(lambda s=stroke, b=base: engine.rank([*b, s]), 1)
    return summary(ms)


def main() -> None:
    rng = random.Random(7)
    chart = load_chart()
    atlas = shipped_atlas()
    engine = LookupEngine(atlas, chart)
    drawings = [random_drawing(chart, rng) for _ in range(DRAWINGS)]
    for d in drawings[:3]:
        engine.rank(d)  # warm up

    s = bench(engine, drawings)
    n = len(atlas.sided)
    emit("lookup_rank_cold_median_ms", s["median"], "ms", marks=20, sided_trigger_points=n)
    emit("lookup_rank_cold_p95_ms", s["p95"], "ms", marks=20, sided_trigger_points=n)
    live = bench_live(engine, chart, drawings, rng)
    emit(
        "lookup_rank_live_median_ms",
        live["median"],
        "ms",
        marks=20,
        sided_trigger_points=n,
        target_ms=2,
        note="19 marks drawn, a growing 20th stroke re-ranked each frame",
    )
    emit("lookup_rank_live_p95_ms", live["p95"], "ms", marks=20, sided_trigger_points=n, target_ms=5)

    full = summary([t for d in drawings for t in timings(lambda d=d: engine.rank(d).combination, 2)])
    emit("lookup_full_with_combination_median_ms", full["median"], "ms", marks=20)

    naive_ms = summary([t for d in drawings[:20] for t in timings(lambda d=d: naive(engine, d), 1)])
    emit("lookup_naive_baseline_median_ms", naive_ms["median"], "ms", marks=20, sided_trigger_points=n)
    emit("lookup_speedup_vs_naive_cold", naive_ms["median"] / s["median"], "x")
    emit("lookup_speedup_vs_naive_live", naive_ms["median"] / live["median"], "x")
    # the fast path and the baseline must agree on the coverage ranking
    agree = 0
    for d in drawings[:20]:
        fast = engine.rank(d)
        fast_cov = sorted(
            ((c.key, c.essential_share + c.spillover_share / 2) for c in fast.candidates),
            key=lambda t: (-round(t[1], 9), t[0]),
        )
        slow = naive(engine, d)
        agree += [k for k, _ in fast_cov[:5]] == [k for k, _ in slow[:5]]
    emit("lookup_top5_agreement_with_naive", agree / 20, "fraction", drawings=20)

    big = synthetic(atlas, 10, rng)
    big_engine = LookupEngine(big, chart)
    b = bench(big_engine, drawings[:20])
    emit("lookup_rank_cold_median_ms_10x_atlas", b["median"], "ms", marks=20, sided_trigger_points=len(big.sided))
    emit("lookup_rank_cold_p95_ms_10x_atlas", b["p95"], "ms", marks=20, sided_trigger_points=len(big.sided))
    emit("lookup_growth_10x_atlas_cold", b["median"] / s["median"], "x")
    bl = bench_live(big_engine, chart, drawings[:20], rng)
    emit("lookup_rank_live_median_ms_10x_atlas", bl["median"], "ms", marks=20, sided_trigger_points=len(big.sided))
    emit("lookup_growth_10x_atlas_live", bl["median"] / live["median"], "x")


if __name__ == "__main__":
    main()
