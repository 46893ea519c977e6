"""How long the whole atlas takes to load on a warm start (cache populated).

Each run is a fresh Python process, as when the app starts; the figure is
the time of ``load_atlas()`` itself, chart included, imports excluded.
"""

from __future__ import annotations

import statistics
import subprocess
import sys

from _common import emit

PROBE = """
import time
from nmt_bodymap.atlas import loader
from nmt_bodymap import chart
t = time.perf_counter()
atlas = loader.load_atlas()
dt = (time.perf_counter() - t) * 1000
print(dt, len(atlas.muscles), len(atlas.sided), len(atlas.skipped))
"""


def run_once() -> tuple[float, int, int, int]:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), int(out[1]), int(out[2]), int(out[3])


def main() -> None:
    cold_ms, muscles, sided, skipped = run_once()  # fills the cache if it was empty
    warm = [run_once()[0] for _ in range(9)]
    emit("atlas_load_first_ms", cold_ms, "ms", muscles=muscles, sided_trigger_points=sided, skipped=skipped)
    emit("atlas_load_warm_median_ms", statistics.median(warm), "ms", runs=len(warm), target_ms=150)
    emit("atlas_load_warm_max_ms", max(warm), "ms", runs=len(warm))


if __name__ == "__main__":
    main()
