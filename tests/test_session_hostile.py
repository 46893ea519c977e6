"""Damaged and hostile session files: each refused in one line naming the file, the element and the fault.

The file is never changed, the loader never raises anything but
SessionError, and it answers in well under a second. The cases are the
reproductions of issue 12, then generated ones (hypothesis).
"""

from __future__ import annotations

import json
import math
import os
import re
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nmt_bodymap.session import Session, SessionError, dumps, load, loads
from nmt_bodymap.session_schema import MAX_FILE_BYTES

FIXTURES = Path(__file__).parent / "fixtures" / "sessions"
V1 = json.loads((FIXTURES / "v1-headache.nmt").read_text())
V2 = json.loads((FIXTURES / "v2-low-back.nmt").read_text())
RAW = "@@RAW@@"


def document(edit, base: dict[str, Any] = V1, raw: str | None = None) -> bytes:
    """The base document changed by ``edit``; the string RAW in it is replaced by ``raw`` (any JSON text)."""
    doc = json.loads(json.dumps(base))
    edit(doc)
    text = json.dumps(doc)
    if raw is not None:
        text = text.replace(json.dumps(RAW), raw)
    return text.encode()


def put(*path: Any, value: Any = RAW):
    def edit(doc: Any) -> None:
        for key in path[:-1]:
            doc = doc[key]
        doc[path[-1]] = value

    return edit


def square(x: float = 0, y: float = 200, size: float = 10) -> list[list[list[float]]]:
    return [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]


CIRCLE = [
    [
        [round(100 * math.cos(t), 3), round(500 + 100 * math.sin(t), 3)]
        for t in [2 * math.pi * i / 18_999 for i in range(18_999)] + [0.0]
    ]
]

CASES: dict[str, tuple[bytes, str]] = {
    "level Infinity": (
        document(put("assessment", "postural", "level"), raw="Infinity"),
        r'assessment\["postural"\]\.level: Infinity is not allowed',
    ),
    "level 1e400": (
        document(put("assessment", "postural", "level"), raw="1e400"),
        r'assessment\["postural"\]\.level: number out of range \(it must be finite\)',
    ),
    "5,000-digit version": (document(put("version"), raw="9" * 5000), "no valid version number"),
    "5,000-digit intensity": (
        document(put("marks", 0, "intensity"), raw="9" * 5000),
        r"marks\[0\]\.intensity: whole number out of range",
    ),
    "NaN coordinate": (
        document(put("marks", 1, "geometry", "coordinates", 0, 3, 0), raw="NaN"),
        r"marks\[1\]\.geometry\.coordinates\[0\]\[3\]\[0\]: NaN is not allowed",
    ),
    "-Infinity in the notes' place": (document(put("notes"), raw="-Infinity"), r"line 1, column \d+: -Infinity"),
    "unknown geometry type": (
        document(put("marks", 2, "geometry", value={"type": "Banana"})),
        r"marks\[2\]\.geometry\.type: unknown value 'Banana' \(known: Polygon, MultiPolygon\)",
    ),
    "100,000 nested [": (document(put("handout"), raw="[" * 100_000 + "]" * 100_000), "nested too deeply"),
    "100,000 unclosed [": (json.dumps(V1)[:-1].encode() + b', "x": ' + b"[" * 100_000, "nested too deeply"),
    "3-D coordinates": (
        document(put("marks", 0, "geometry", "coordinates", 0, 2, value=[-44.9, 82.43, 7.0])),
        r"marks\[0\]\.geometry\.coordinates\[0\]\[2\]: a point has exactly two coordinates",
    ),
    "true as the version": (document(put("version", value=True)), "no valid version number"),
    "true as an intensity": (
        document(put("marks", 0, "intensity", value=True)),
        r"marks\[0\]\.intensity: expected a whole number, got true or false",
    ),
    "empty polygon": (
        document(put("marks", 0, "geometry", "coordinates", value=[])),
        r"marks\[0\]\.geometry\.coordinates: empty polygon",
    ),
    "empty ring": (
        document(put("marks", 0, "geometry", "coordinates", value=[[]])),
        r"marks\[0\]\.geometry\.coordinates\[0\]: a ring needs at least 4 points",
    ),
    "a dict as the handout": (
        document(put("handout", value={"trapezius": 1})),
        "handout: expected a list, got an object",
    ),
    "an object as notes": (document(put("notes", value={"text": "x"})), "notes: expected text, got an object"),
    "an integer as the name": (
        document(put("client", "name", value=17)),
        "client.name: expected text, got a whole number",
    ),
    "unknown finding": (
        document(put("findings", "trapezius/trp1:right", value="sore")),
        r'findings\["trapezius/trp1:right"\]: unknown value \'sore\'',
    ),
    "malformed finding key": (
        document(put("findings", "the trapezius", value="active")),
        r'findings\["the trapezius"\]: expected a trigger point key',
    ),
    "unknown view": (document(put("marks", 2, "view", value="dorsal")), r"marks\[2\]\.view: unknown value 'dorsal'"),
    "unknown quality": (
        document(put("marks", 1, "quality", value="itchy")),
        r"marks\[1\]\.quality: unknown value 'itchy'",
    ),
    "unknown tool": (document(put("marks", 1, "tool", value="spray")), r"marks\[1\]\.tool: unknown value 'spray'"),
    "unknown cause": (
        document(put("assessment", "karma", value={"level": 1, "note": ""})),
        r'assessment\["karma"\]: unknown key \'karma\'',
    ),
    "level out of range": (
        document(put("assessment", "ischemia", "level", value=9)),
        r'assessment\["ischemia"\]\.level: must be at most 4',
    ),
    "self-intersecting polygon": (
        document(
            put("marks", 0, "geometry", "coordinates", value=[[[0, 100], [10, 110], [10, 100], [0, 110], [0, 100]]])
        ),
        r"marks\[0\]\.geometry: not a valid polygon \(Self-intersection",
    ),
    "a point far off the chart": (
        document(put("marks", 0, "geometry", "coordinates", value=[[[0, 100], [10, 110], [10, 1e6], [0, 100]]])),
        r"marks\[0\]\.geometry\.coordinates\[0\]\[2\]\[1\]: y outside the chart",
    ),
    "a 10^6-point polygon": (
        document(
            put("marks", 0, "geometry", "coordinates", value=[[[i % 100, 100 + i // 1000] for i in range(1_000_000)]])
        ),
        r"marks\[0\]\.geometry: too many points \(at most 20,000 per mark\)",
    ),
    "12 marks of 19,000 points": (
        document(
            put(
                "marks",
                value=[
                    {**V1["marks"][0], "id": f"m{i}", "geometry": {"type": "Polygon", "coordinates": CIRCLE}}
                    for i in range(12)
                ],
            )
        ),
        r"marks\[10\]\.geometry: too many points in all \(at most 200,000 in a session\)",
    ),
    "10,000 overlapping marks": (
        document(put("marks", value=[V1["marks"][2]] * 10_000)),
        "marks: too long: at most 2,000",
    ),
    "the same mark id twice": (document(put("marks", value=V1["marks"][:1] * 2)), r"marks\[1\]\.id: 'm1' is used by"),
    "100 MB of notes": (b"", "too large for a session file"),  # written by the test below, sparse
    "1 MB of notes": (document(put("notes", value="n" * 1_000_000)), "notes: too long: at most 100,000 characters"),
    "unknown field": (document(put("banana", value=1)), "unknown field 'banana'"),
    "not a date": (document(put("date", value="2026-02-31")), "date: '2026-02-31' is not a date"),
    "complaint of a missing mark": (
        document(put("complaints", value=[{"id": "c1", "label": "x", "marks": ["m7"]}]), V2),
        r"complaints\[0\]\.marks\[0\]: no mark 'm7' in this session",
    ),
    "a mark in two complaints": (
        document(put("complaints", 1, "marks", value=["m1"]), V2),
        r"complaints\[1\]\.marks\[0\]: mark 'm1' already belongs to 'c1'",
    ),
    "unknown red flag": (
        document(put("red_flags", "present", value=["bad-karma"]), V2),
        r"red_flags\.present\[0\]: unknown value 'bad-karma' \(known: chest-pain,",
    ),
    "pain rating 11": (
        document(put("treatment", "pain_after", value=11), V2),
        "treatment.pain_after: must be at most 10",
    ),
    "treated trigger point as a number": (
        document(put("treatment", "trigger_points", value=[3]), V2),
        r"treatment\.trigger_points\[0\]: expected text, got a whole number",
    ),
    "a polygon with no area": (
        document(put("marks", 0, "geometry", "coordinates", value=[[[0, 100], [10, 100], [20, 100], [0, 100]]])),
        r"marks\[0\]\.geometry: not a valid polygon",
    ),
    "a MultiPolygon with no polygons": (
        document(put("marks", 0, "geometry", value={"type": "MultiPolygon", "coordinates": []})),
        r"marks\[0\]\.geometry\.coordinates: empty polygon",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_each_damaged_file_is_refused_in_one_line_quickly_and_left_untouched(tmp_path, name):
    content, expected = CASES[name]
    path = tmp_path / "visit.nmt"
    if name == "100 MB of notes":
        with path.open("wb") as fh:  # sparse: no need to write 100 MB to find the size check works
            fh.write(b'{"format": "nmt-bodymap-session", "version": 1, "notes": "')
            fh.truncate(100 * 1024 * 1024)
        content = b""
    else:
        path.write_bytes(content)
    before = os.stat(path)
    start = time.perf_counter()
    with pytest.raises(SessionError) as exc:
        load(path)
    elapsed = time.perf_counter() - start
    message = str(exc.value)
    assert message.startswith(f"{path}: "), message
    assert "\n" not in message
    assert re.search(expected, message), message
    assert elapsed < 1.0, f"{name}: {elapsed:.2f} s"
    after = os.stat(path)
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    if content:
        assert path.read_bytes() == content


def test_only_regular_files_are_read(tmp_path):
    fifo = tmp_path / "pipe.nmt"
    os.mkfifo(fifo)
    link = tmp_path / "zero.nmt"
    link.symlink_to("/dev/zero")
    for path in (fifo, link, tmp_path):
        result: list[BaseException] = []
        reader = threading.Thread(target=_capture, args=(result, path), daemon=True)
        reader.start()
        reader.join(timeout=2)
        assert not reader.is_alive(), f"{path} hangs"
        assert isinstance(result[0], SessionError) and "not a regular file" in str(result[0]), result


def _capture(result: list[BaseException], path: Path) -> None:
    try:
        load(path)
    except BaseException as exc:
        result.append(exc)


def test_text_past_the_file_limit_is_refused_before_parsing():
    with pytest.raises(SessionError, match="too large for a session file"):
        loads(" " * (MAX_FILE_BYTES + 1))


# ---------------------------------------------------------------------------
# Generated hostile values
# ---------------------------------------------------------------------------


def _paths(obj: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths to the values of a document; only the first two items of each list."""
    found = [prefix] if prefix else []
    if isinstance(obj, dict):
        for key, value in obj.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(obj, list):
        for i, value in enumerate(obj[:2]):
            found += _paths(value, (*prefix, i))
    return found


BASE = V2
PATHS = _paths(BASE)
HOSTILE_TEXT = st.sampled_from(
    [
        "NaN",
        "-NaN",
        "Infinity",
        "-Infinity",
        "1e400",
        "-1e400",
        "1e-400",
        "9" * 5000,
        "-" + "9" * 5000,
        "true",
        "false",
        "null",
        "[]",
        "{}",
        '""',
        "[[]]",
        "[[[]]]",
        "[1, 2, 3]",
        "[[1.0, 2.0, 3.0]]",
        "[" * 5000 + "]" * 5000,
        "[" * 100_000,
        "{" * 1000,
        '{"type": "Banana"}',
        '{"type": "Polygon", "coordinates": [[[0, 0], [0, 0], [0, 0], [0, 0]]]}',
        '{"type": "MultiPolygon", "coordinates": [[[[0, 0]]]]}',
        '"\\ud800"',
        '"\\u0000"',
        "0x10",
        "01",
        "1.",
        "'single'",
    ]
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
).map(json.dumps)


@st.composite
def hostile_documents(draw: st.DrawFn) -> bytes:
    doc = json.loads(json.dumps(BASE))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(PATHS))
        target = doc
        try:
            for key in path[:-1]:
                target = target[key]
            action = draw(st.sampled_from(["replace", "replace", "drop", "add"]))
            if action == "drop":
                del target[path[-1]]
            elif action == "add" and isinstance(target, dict):
                target[draw(st.text(max_size=10))] = RAW
            else:
                target[path[-1]] = RAW
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed this place
    raw = draw(HOSTILE_TEXT | JSON_VALUES)
    data = json.dumps(doc, ensure_ascii=False).replace(json.dumps(RAW), raw).encode("utf-8", "surrogatepass")
    if draw(st.sampled_from([False] * 7 + [True])):  # now and then a truncated file
        return data[: draw(st.integers(1, len(data) - 1))]
    return data


@settings(
    max_examples=150,
    deadline=timedelta(seconds=3),  # a shared 2-core machine; the loader takes milliseconds
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=hostile_documents())
def test_generated_hostile_files_only_ever_raise_session_error(tmp_path, data):
    path = tmp_path / "hostile.nmt"
    path.write_bytes(data)
    start = time.perf_counter()
    try:
        session = load(path)
    except SessionError as exc:
        assert str(exc).startswith(f"{path}: ") and "\n" not in str(exc)
        session = None
    assert time.perf_counter() - start < 2.0
    assert path.read_bytes() == data
    if session is not None:  # whatever is accepted can be saved and read back
        assert isinstance(session, Session)
        again = loads(dumps(session))
        assert [m.id for m in again.marks] == [m.id for m in session.marks if not m.geometry.is_empty]


def test_a_field_named_with_a_control_character_is_reported_on_one_line(tmp_path):
    doc = dict(V2)
    doc["\n\x1b"] = 1
    path = tmp_path / "odd.nmt"
    path.write_text(json.dumps(doc))
    with pytest.raises(SessionError) as caught:
        load(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and message.isprintable(), message
