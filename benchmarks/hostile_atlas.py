"""How fast hostile atlas files are refused, and what the slowest accepted file costs.

Every hostile case of issue 12 (a 2 MB+ SVG, too many elements or path
segments, deep nesting, a <use> bomb, a 100,000-deep TOML array, a huge
integer, /dev/zero, a FIFO) must be refused in under 2 s: each figure is one
``load_atlas`` of a folder holding that one muscle, the chart already loaded.
The ``accepted_*`` figures are files just inside the limits (the slowest the
limits let through). ``cache_verify_*`` compares reading every shipped
muscle's cache entry with its HMAC checked against plain JSON decoding of the
same files, read the way the unverified cache read them (the same-run baseline).
"""

from __future__ import annotations

import json
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _common import emit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "fixtures"))
from make_atlas_fixtures import USE_BOMB, good, large_cases, write

from nmt_bodymap import cache
from nmt_bodymap.atlas import load_atlas
from nmt_bodymap.chart import load_chart
from nmt_bodymap.svgscan import MAX_ELEMENTS, MAX_PATH_SEGMENTS


def time_load(folder: Path) -> tuple[float, int]:
    t = time.perf_counter()
    atlas = load_atlas([folder])
    return (time.perf_counter() - t) * 1000, len(atlas.problems)


def main() -> None:
    os.environ["NMT_BODYMAP_CACHE_DIR"] = ""  # every case parsed from scratch
    load_chart()
    toml, svg = good()
    cases = dict(large_cases())
    cases["use-bomb"] = (toml, USE_BOMB)
    cases["toml-huge-integer"] = (toml.replace("format = 1", "format = " + "1" * 5_000), svg)
    cases["viewbox-zero"] = (toml, svg.replace('viewBox="0 0 4140 1860"', 'viewBox="0 0 0 0"'))
    ring = " ".join(
        f"L{90 + 40 * math.cos(2 * math.pi * i / 45_000):.3f},{336 + 30 * math.sin(2 * math.pi * i / 45_000):.3f}"
        for i in range(45_000)
    )
    accepted = {
        "accepted_zone_45000_vertices": (toml, svg.replace('d="M70,300', f'd="M130,336 {ring} Z" data-x="', 1)),
        "accepted_elements_at_limit": (
            toml,
            svg.replace("<title>", '<circle cx="1" cy="1" r="1"/>' * (MAX_ELEMENTS - 20) + "<title>", 1),
        ),
        "accepted_segments_at_limit": (
            toml,
            svg.replace("<title>", f'<path d="M0,0 {"L1,1 " * (MAX_PATH_SEGMENTS - 1_000)}"/><title>', 1),
        ),
    }
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name, (t, s) in {**cases, **accepted}.items():
            write(root / name, "example", t, s)
        if os.name == "posix":
            for name, make in (("fifo", os.mkfifo), ("dev-zero", lambda p: os.symlink("/dev/zero", p))):
                write(root / name, "example", toml, None)
                make(root / name / "example.svg")
                cases[name] = (toml, "")
        for name in cases:
            ms, problems = time_load(root / name)
            emit(f"hostile_refused_{name}_ms", ms, "ms", problems=problems, target_ms=2000)
        for name in accepted:
            ms, problems = time_load(root / name)
            emit(f"hostile_{name}_ms", ms, "ms", problems=problems)
    cache_overhead()


def cache_overhead() -> None:
    """Reading the shipped atlas' entries: verified (HMAC + JSON) versus JSON alone."""
    os.environ.pop("NMT_BODYMAP_CACHE_DIR", None)
    folder = cache.cache_dir()
    load_atlas()  # fills the cache if needed
    assert folder is not None
    entries = [e for e in sorted((folder / "atlas").glob("*.json")) if e.read_bytes().startswith(b"hmac-sha256 ")]
    verified, plain = [], []
    for _ in range(7):
        t = time.perf_counter()
        for e in entries:
            cache.load("atlas", e.stem)
        verified.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        for e in entries:
            json.loads(e.read_bytes().partition(b"\n")[2])
        plain.append((time.perf_counter() - t) * 1000)
    v, b = statistics.median(verified), statistics.median(plain)
    emit(
        "cache_verify_all_entries_ms",
        v,
        "ms",
        entries=len(entries),
        baseline_json_only_ms=round(b, 3),
        ratio=round(v / b, 2),
    )


if __name__ == "__main__":
    main()
