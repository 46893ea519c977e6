"""Reading and saving session files: a typical session, one at the limits, and hostile files.

Every read validates the whole file (msgspec schema, point counts, polygon
validity). The baseline is ``json.loads`` of the same bytes, which checks
nothing. Hostile files must be refused in well under a second.
"""

from __future__ import annotations

import json
import math
import random
import tempfile
from pathlib import Path

import shapely
from _common import emit, summary, timings

from nmt_bodymap.session import PainMark, Session, SessionError, load, save
from nmt_bodymap.session_schema import MAX_MARKS, MAX_TEXT

FIXTURE = Path(__file__).parent.parent / "tests" / "fixtures" / "sessions" / "v2-low-back.nmt"


def at_limits() -> Session:
    """2,000 marks of 97 points (194,000 in all), 100,000 characters of notes."""
    rng = random.Random(1)
    s = Session(notes="n" * MAX_TEXT)
    for i in range(MAX_MARKS):
        disc = shapely.Point(rng.uniform(-150, 150), rng.uniform(100, 1600)).buffer(20, quad_segs=24)
        s.marks.append(PainMark(f"m{i + 1}", "anterior", "point", "aching", 5, disc))
    return s


def refuse(path: Path) -> None:
    try:
        load(path)
    except SessionError:
        return
    raise AssertionError(f"{path} was accepted")


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="nmt-bench-"))
    typical = folder / "typical.nmt"
    typical.write_bytes(FIXTURE.read_bytes())
    big = folder / "limits.nmt"
    big_session = at_limits()
    emit("session_save_at_limits", summary(timings(lambda: save(big_session, big), 3))["median"], "ms")
    emit("session_save_typical", summary(timings(lambda: save(load(typical), folder / "t2.nmt"), 20))["median"], "ms")

    for name, path, repeat in (("typical", typical, 50), ("at_limits", big, 5)):
        data = path.read_bytes()
        ours = summary(timings(lambda p=path: load(p), repeat))["median"]
        baseline = summary(timings(lambda d=data: json.loads(d), repeat))["median"]
        emit(
            f"session_load_{name}",
            ours,
            "ms",
            bytes=len(data),
            baseline_json_loads_ms=round(baseline, 3),
            ratio=round(ours / baseline, 2),
        )

    doc = json.loads(FIXTURE.read_text())
    circle = [
        [round(100 * math.cos(t), 2), round(500 + 100 * math.sin(t), 2)]
        for t in (2 * math.pi * i / 700_000 for i in range(700_000))
    ]
    small = doc["marks"][0] | {
        "geometry": {"type": "Polygon", "coordinates": [[[0, 200], [30, 200], [0, 230], [0, 200]]]}
    }
    hostile = {
        "700000_point_polygon": json.dumps(
            doc | {"marks": [doc["marks"][0] | {"geometry": {"type": "Polygon", "coordinates": [circle]}}]}
        ),
        "nested_100000": json.dumps(doc)[:-1] + ', "x": ' + "[" * 100_000 + "]" * 100_000 + "}",
        "nan_in_16MB": json.dumps(doc | {"notes": "n" * (15 * 1024 * 1024)}).replace(
            '"intensity": 6', '"intensity": NaN'
        ),
        "10000_marks_2MB": json.dumps(doc | {"marks": [small | {"id": f"m{i}"} for i in range(10_000)]}),
    }
    for name, text in hostile.items():
        path = folder / f"{name}.nmt"
        path.write_text(text)
        emit(
            f"session_refuse_{name}",
            summary(timings(lambda p=path: refuse(p), 3))["median"],
            "ms",
            bytes=path.stat().st_size,
        )


if __name__ == "__main__":
    main()
