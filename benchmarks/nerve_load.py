"""How long the nerve atlas takes to load: the first time (compiling) and on a warm start (cache populated).

Each run is a fresh Python process, as when the app starts; the figure is
the time of ``load_nerves()`` itself, with the chart already loaded (the
muscle atlas loads it first in the app), imports excluded.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile

from _common import emit

PROBE = """
import time
from nmt_bodymap.chart import load_chart
from nmt_bodymap.nerves import load_nerves
load_chart()
t = time.perf_counter()
nerves = load_nerves()
dt = (time.perf_counter() - t) * 1000
print(dt, len(nerves.nerves), len(nerves.sided), len(nerves.skipped))
"""


def run_once(env: dict[str, str] | None = None) -> tuple[float, int, int, int]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, env=env
    ).stdout.split()
    return float(out[0]), int(out[1]), int(out[2]), int(out[3])


def main() -> None:
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NMT_BODYMAP_CACHE_DIR": cache}
        cold_ms, nerves, sided, skipped = run_once(env)  # an empty cache: every drawing compiled
        warm = [run_once(env)[0] for _ in range(7)]
    emit("nerve_load_first_ms", cold_ms, "ms", nerves=nerves, sided_nerves=sided, skipped=skipped)
    emit("nerve_load_warm_median_ms", statistics.median(warm), "ms", runs=len(warm), nerves=nerves)
    emit("nerve_load_warm_max_ms", max(warm), "ms", runs=len(warm))


if __name__ == "__main__":
    main()
