"""Helpers shared by the benchmarks: timing and JSON output."""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def emit(name: str, value: float, unit: str, **extra: object) -> None:
    """One JSON line per figure."""
    row = {
        "benchmark": name,
        "value": round(value, 4),
        "unit": unit,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }
    row.update(extra)
    print(json.dumps(row), flush=True)


def timings(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def summary(ms: list[float]) -> dict[str, float]:
    ordered = sorted(ms)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median": statistics.median(ordered), "p95": p95, "min": ordered[0], "max": ordered[-1]}
