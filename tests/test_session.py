"""Session files: round trip, versions 1 and 2, damage, privacy, atomic saves, limits on save."""

from __future__ import annotations

import json
import os
import stat
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nmt_bodymap import atomic
from nmt_bodymap import session as sm
from nmt_bodymap.chart import load_chart
from nmt_bodymap.red_flags import RedFlagScreen
from nmt_bodymap.session import QUALITIES, PainMark, Session, SessionError, disc_mark, dumps, load, loads, save
from nmt_bodymap.session_schema import MAX_MARKS, MAX_TEXT, MAX_VERTICES, MAX_VERTICES_PER_MARK

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

    monkeypatch.setattr(atomic.os, "replace", crash)
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
        (b'{"format": "nmt-bodymap-session", "version": 1, "marks": [{"id": "m1"}]}', r"marks\[0\]: missing 'view'"),
        (
            b'{"format": "nmt-bodymap-session", "version": 1, "findings": {"x/y:right": "sore"}}',
            r'findings\["x/y:right"\]: unknown value \'sore\' \(known: active, latent, not-tender\)',
        ),
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
    assert doc["format"] == "nmt-bodymap-session" and doc["version"] == 2
    assert set(doc) == {
        "format",
        "version",
        "app_version",
        "saved",
        "client",
        "therapist",
        "date",
        "red_flags",
        "complaints",
        "notes",
        "soap",
        "assessment",
        "marks",
        "findings",
        "treatment",
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


def test_version_2_file_opens_with_every_field():
    s = load(FIXTURES / "v2-low-back.nmt")
    assert (s.client_name, s.client_code, s.therapist, s.date) == ("Sam Sample", "C-042", "R. Lee, LMT", "2026-11-27")
    assert s.red_flags.screened and s.red_flags.present == ("major-trauma",) and "GP cleared" in s.red_flags.note
    assert [(c.id, c.label, c.marks) for c in s.complaints] == [
        ("c1", "Low back and hip pain", ("m1", "m2")),
        ("c2", "Tingling at the outer knee", ("m3",)),
    ]
    assert s.soap.subjective.startswith("Ache right low back") and s.soap.plan.startswith("Weekly")
    assert s.treatment.trigger_points == ("quadratus-lumborum/trp1:right",)
    assert (s.treatment.pain_before, s.treatment.pain_after) == (6, 3)
    assert s.treatment.technique == "Ischemic compression, stretch, heat"
    assert s.findings["quadratus-lumborum/trp1:right"] == "active"
    assert s.assessment["biomechanical"] == sm.CauseNote(3, "Functional short right leg")
    assert [m.quality for m in s.marks] == ["aching", "aching", "tingling"]
    assert all(m.geometry.is_valid and m.geometry.area > 100 for m in s.marks)


def test_version_1_file_gets_empty_version_2_fields_and_saves_as_version_2(tmp_path):
    s = load(FIXTURES / "v1-headache.nmt")
    assert s.therapist == "" and s.complaints == [] and s.red_flags == RedFlagScreen()
    assert s.soap == sm.SoapNotes() and s.treatment == sm.Treatment()
    path = tmp_path / "upgraded.nmt"
    save(s, path)
    assert json.loads(path.read_text())["version"] == 2
    again = load(path)
    assert again.assessment == s.assessment and [m.id for m in again.marks] == ["m1", "m2", "m3"]


def test_version_2_fields_round_trip(tmp_path):
    s = sample()
    s.therapist = "Kim"
    s.red_flags = RedFlagScreen(True, ("night-pain", "fever"), "asked at intake")
    s.complaints = [sm.Complaint("c1", "Neck", ("m1",))]
    s.soap = sm.SoapNotes("says", "found", "thinks", "will do")
    s.treatment = sm.Treatment(("trapezius/trp1:right", "levator-scapulae/trp1"), "compression", 7, None)
    path = tmp_path / "v2.nmt"
    save(s, path)
    again = load(path)
    assert again.therapist == "Kim"
    assert again.red_flags == RedFlagScreen(True, ("fever", "night-pain"), "asked at intake")  # checklist order
    assert again.complaints == s.complaints and again.soap == s.soap and again.treatment == s.treatment


def test_complaints_naming_missing_marks_are_saved_without_them(tmp_path):
    s = sample()
    s.complaints = [sm.Complaint("c1", "Neck", ("m1", "m9"))]
    path = tmp_path / "c.nmt"
    save(s, path)
    assert load(path).complaints == [sm.Complaint("c1", "Neck", ("m1",))]


def test_a_session_past_the_limits_is_not_saved_and_the_old_file_is_kept(tmp_path):
    path = tmp_path / "keep.nmt"
    save(sample(), path)
    before = path.read_bytes()
    too_long = sample()
    too_long.notes = "x" * (MAX_TEXT + 1)
    with pytest.raises(SessionError, match=r"cannot save .*notes: too long: at most 100,000 characters"):
        save(too_long, path)
    too_many = sample()
    too_many.marks = [replace(too_many.marks[0], id=f"m{i}") for i in range(MAX_MARKS + 1)]
    with pytest.raises(SessionError, match="marks: too long: at most 2,000 items"):
        save(too_many, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["keep.nmt"]


def test_an_absurdly_detailed_mark_is_simplified_on_save_not_lost(tmp_path):
    wiggle = shapely.Polygon(
        [
            (60 + 40 * np.cos(t) + 0.01 * (i % 2), 600 + 40 * np.sin(t))
            for i, t in enumerate(np.linspace(0, 2 * np.pi, 30_000))
        ]
    ).buffer(0)
    assert shapely.get_num_coordinates(wiggle) > MAX_VERTICES_PER_MARK
    s = Session(marks=[PainMark("m1", "posterior", "brush", "aching", 5, wiggle)])
    path = tmp_path / "detailed.nmt"
    save(s, path)
    mark = load(path).marks[0]
    assert shapely.get_num_coordinates(mark.geometry) <= MAX_VERTICES_PER_MARK
    assert mark.geometry.area == pytest.approx(wiggle.area, rel=0.01)


def test_many_detailed_marks_are_simplified_to_the_total_limit(tmp_path):
    discs = [
        PainMark(f"m{i}", "anterior", "point", "aching", 5, shapely.Point(0, 200 + i).buffer(30, quad_segs=400))
        for i in range(150)
    ]
    assert sum(shapely.get_num_coordinates(m.geometry) for m in discs) > MAX_VERTICES
    path = tmp_path / "many.nmt"
    save(Session(marks=discs), path)
    again = load(path)
    assert len(again.marks) == 150
    assert sum(shapely.get_num_coordinates(m.geometry) for m in again.marks) <= MAX_VERTICES
    assert again.marks[0].geometry.area == pytest.approx(discs[0].geometry.area, rel=0.01)


def test_marks_without_area_are_left_out_of_the_file():
    s = sample()
    s.marks.append(PainMark("m2", "anterior", "point", "aching", 5, shapely.Polygon()))
    assert [m.id for m in loads(dumps(s)).marks] == ["m1"]
