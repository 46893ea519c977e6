"""Session files: round trip, versions, damage, privacy, atomic saves."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nmt_bodymap import session as sm
from nmt_bodymap.chart import load_chart
from nmt_bodymap.session import QUALITIES, Session, SessionError, disc_mark, dumps, load, loads, save

FIXTURES = Path(__file__).parent / "fixtures" / "sessions"
CHART = load_chart()


def sample() -> Session:
    s = Session(client_name="Jo Doe", client_code="J-1", notes="Neck pain\nafter a fall")
    s.marks.append(disc_mark(CHART, "m1", "posterior", 60, 300, 25, "sharp", 8))
    s.findings["trapezius/trp1:right"] = "latent"
    return s


def test_old_version_1_file_still_opens():
    s = load(FIXTURES / "v1-headache.nmt")
    assert s.client_name == "Alex Example" and s.client_code == "C-017"
    assert [m.id for m in s.marks] == ["m1", "m2", "m3"]
    assert {m.view for m in s.marks} == {"anterior", "right-lateral", "posterior"}
    assert s.findings == {"trapezius/trp1:right": "active"}
    assert s.assessment["postural"].level == 3 and s.assessment["postural"].note == "Forward head posture"
    assert s.handout == ["trapezius"]
    region = CHART.view("posterior").regions["shoulder-top-right"].geometry
    assert shapely.symmetric_difference(s.marks[2].geometry, region).area < 1.0


def test_round_trip(tmp_path):
    path = tmp_path / "a.nmt"
    save(sample(), path)
    again = load(path)
    assert again.client_name == "Jo Doe" and again.notes == "Neck pain\nafter a fall"
    assert again.marks[0].quality == "sharp" and again.marks[0].intensity == 8
    assert shapely.symmetric_difference(again.marks[0].geometry, sample().marks[0].geometry).area < 0.5
    assert again.findings == {"trapezius/trp1:right": "latent"}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    x=st.floats(-200, 200),
    y=st.floats(100, 1600),
    r=st.floats(5, 80),
    quality=st.sampled_from(QUALITIES),
    intensity=st.integers(0, 10),
    notes=st.text(max_size=200),
    name=st.text(max_size=40),
)
def test_round_trip_property(x, y, r, quality, intensity, notes, name):
    m = disc_mark(CHART, "m1", "anterior", x, y, r, quality, intensity)
    s = Session(client_name=name, notes=notes, marks=[m] if not m.geometry.is_empty else [])
    again = loads(dumps(s))
    assert again.client_name == name and again.notes == notes
    if s.marks:
        assert again.marks[0].quality == quality and again.marks[0].intensity == intensity
        assert abs(again.marks[0].geometry.area - m.geometry.area) <= max(1.0, 0.01 * m.geometry.area)


def test_session_files_are_readable_by_the_owner_only(tmp_path):
    path = tmp_path / "private.nmt"
    save(sample(), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_crash_mid_save_leaves_the_old_file_whole(tmp_path, monkeypatch):
    path = tmp_path / "keep.nmt"
    save(sample(), path)
    before = path.read_bytes()

    def crash(*_a, **_k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(sm.os, "replace", crash)
    changed = sample()
    changed.notes = "new notes"
    with pytest.raises(OSError):
        save(changed, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["keep.nmt"]


@pytest.mark.parametrize(
    "content, words",
    [
        (b"", "damaged or truncated"),
        (None, "damaged or truncated"),  # the fixture cut in half
        (b'{"hello": "world"}', "not an nmt-bodymap session file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not an nmt-bodymap session file"),
        (b'{"format": "nmt-bodymap-session", "version": 99}', "newer nmt-bodymap"),
        (b'{"format": "nmt-bodymap-session", "version": 1, "marks": [{"id": "m1"}]}', "damaged session file"),
        (b'{"format": "nmt-bodymap-session", "version": 1, "findings": {"x/y:right": "sore"}}', "unknown palpation"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(tmp_path, content, words):
    path = tmp_path / "bad.nmt"
    if content is None:
        full = (FIXTURES / "v1-headache.nmt").read_bytes()
        content = full[: len(full) // 2]
    path.write_bytes(content)
    with pytest.raises(SessionError, match=words) as exc:
        load(path)
    assert str(path) in str(exc.value)
    assert path.read_bytes() == content  # never touched


def test_missing_file(tmp_path):
    with pytest.raises(SessionError, match="cannot read"):
        load(tmp_path / "nope.nmt")


def test_saved_file_is_documented_json(tmp_path):
    path = tmp_path / "doc.nmt"
    save(sample(), path)
    doc = json.loads(path.read_text())
    assert doc["format"] == "nmt-bodymap-session" and doc["version"] == 1
    assert set(doc) == {
        "format",
        "version",
        "app_version",
        "saved",
        "client",
        "date",
        "notes",
        "assessment",
        "marks",
        "findings",
        "handout",
    }
    assert doc["marks"][0]["geometry"]["type"] == "Polygon"
    assert os.access(path, os.R_OK)


def test_bad_mark_values_are_refused():
    with pytest.raises(SessionError, match="quality"):
        disc_mark(CHART, "m1", "anterior", 0, 400, quality="itchy")
    with pytest.raises(SessionError, match="0 to 10"):
        disc_mark(CHART, "m1", "anterior", 0, 400, intensity=11)
    with pytest.raises(SessionError, match="unknown view"):
        disc_mark(CHART, "m1", "dorsal", 0, 400)
