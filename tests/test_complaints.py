"""Complaints: marks grouped as a client reports them, each ranked on its own."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest

from nmt_bodymap.chart import load_chart
from nmt_bodymap.cli.lookup_cmd import parse_at, place
from nmt_bodymap.lookup import LookupEngine
from nmt_bodymap.lookup.complaints import family_of
from nmt_bodymap.session import PainMark, stroke_mark


@pytest.fixture(scope="module")
def engine() -> LookupEngine:
    from nmt_bodymap.atlas import shipped_atlas

    return LookupEngine(shipped_atlas(), load_chart())


def drawing(*ats: str, radius: float = 25) -> list[PainMark]:
    return place(load_chart(), [parse_at(a) for a in ats], radius, "aching", 6).marks


@dataclass(frozen=True)
class Defined:
    id: str
    label: str
    marks: tuple[str, ...]


def test_qualities_fall_into_two_families():
    assert {q: family_of(q) for q in ("aching", "sharp", "throbbing")} == dict.fromkeys(
        ("aching", "sharp", "throbbing"), "pain"
    )
    assert {family_of(q) for q in ("numbness", "tingling", "burning")} == {"paresthesia"}


def test_temple_back_of_neck_and_jaw_angle_are_one_head_and_neck_complaint(engine):
    marks = drawing("temple:right", "back-of-neck:right", "jaw-angle:right")
    complaints = engine.rank(marks).complaints
    assert len(complaints) == 1
    only = complaints[0]
    assert set(only.marks) == {m.id for m in marks}
    assert only.complaint.automatic and only.complaint.family == "pain"
    assert only.label.startswith("Right ")
    assert any(word in only.label for word in ("temple", "neck", "jaw"))


def test_low_back_and_buttock_are_one_complaint(engine):
    marks = drawing("low-back:right", "buttock:right")
    assert len(engine.rank(marks).complaints) == 1


def test_a_headache_and_thumb_tingling_are_two_complaints(engine):
    headache = drawing("temple:right/throbbing/8")
    tingling = drawing("thumb-base:right/tingling/5")
    marks = headache + [replace(m, id=f"t{i}") for i, m in enumerate(tingling)]
    result = engine.rank(marks)
    assert len(result.complaints) == 2
    by_family = {c.complaint.family: c for c in result.complaints}
    assert set(by_family) == {"pain", "paresthesia"}
    thumb = by_family["paresthesia"]
    assert thumb.label.endswith("tingling") and thumb.label.startswith("Right")
    assert set(thumb.marks) == {f"t{i}" for i in range(len(tingling))}
    assert thumb.entrapments, "tingling lists nerve entrapments"
    assert not by_family["pain"].entrapments


def test_each_complaint_is_ranked_as_if_drawn_alone(engine):
    headache = drawing("temple:right/aching/7", "back-of-neck:right/aching/4")
    knee = [replace(m, id=f"k{i}") for i, m in enumerate(drawing("lateral-knee:left/sharp/6"))]
    result = engine.rank(headache + knee)
    assert len(result.complaints) == 2
    for complaint, alone in ((result.complaints[0], headache), (result.complaints[1], knee)):
        expected = engine.rank(alone)
        assert [c.key for c in complaint.candidates[:10]] == [c.key for c in expected.candidates[:10]]
        assert [round(c.score, 6) for c in complaint.candidates[:10]] == [
            round(c.score, 6) for c in expected.candidates[:10]
        ]
    assert all(c.side == "left" for c in result.complaints[1].candidates)


def test_the_two_sides_of_the_head_are_two_complaints(engine):
    marks = drawing("temple:right") + [replace(m, id=f"l{i}") for i, m in enumerate(drawing("temple:left"))]
    labels = sorted(c.label.split()[0] for c in engine.rank(marks).complaints)
    assert labels == ["Left", "Right"]


def test_a_therapists_grouping_overrides_the_automatic_one(engine):
    marks = drawing("temple:right", "back-of-neck:right", "jaw-angle:right")
    jaw = [m.id for m in marks if m.view == "anterior"][-1:]  # one mark taken out of the head complaint
    result = engine.rank(marks, complaints=[Defined("c1", "Jaw ache when chewing", tuple(jaw))])
    first, *rest = result.complaints
    assert first.id == "c1" and first.label == "Jaw ache when chewing" and list(first.marks) == jaw
    assert not first.complaint.automatic
    assert rest and all(c.complaint.automatic for c in rest)
    assert set(jaw).isdisjoint(m for c in rest for m in c.marks)
    assert sorted(m for c in result.complaints for m in c.marks) == sorted(m.id for m in marks)


def test_a_therapists_complaint_without_a_label_gets_one(engine):
    marks = drawing("lateral-epicondyle:right")
    result = engine.rank(marks, complaints=[Defined("elbow", " ", tuple(m.id for m in marks))])
    assert [c.id for c in result.complaints] == ["elbow"]
    assert result.complaints[0].label.startswith("Right")


def test_complaints_in_json(engine):
    marks = drawing("temple:right/throbbing/8") + [
        replace(m, id=f"t{i}") for i, m in enumerate(drawing("thumb-base:right/tingling/5"))
    ]
    doc = engine.rank(marks).to_json(top=3)
    assert len(doc["complaints"]) == 2
    for c in doc["complaints"]:
        assert set(c) >= {"id", "label", "marks", "candidates", "entrapments"}
        assert 0 < len(c["candidates"]) <= 3
        assert set(c["candidates"][0]) == set(doc["candidates"][0])


def test_while_painting_the_complaints_match_a_fresh_ranking(engine):
    """The live path (complaints ranked in the same pass) gives what a cold ranking gives."""
    chart = load_chart()
    base = drawing("temple:right", "calf:left")
    points = [(30.0, 1400.0)]
    for _step in range(4):
        points.append((points[-1][0] + 3, points[-1][1] + 6))
        stroke = stroke_mark(chart, "s1", "posterior", list(points), 20, "aching", 6)
        live = engine.rank([*base, stroke])
        live_lists = [(c.label, [x.key for x in c.candidates[:8]]) for c in live.complaints]
        engine.clear_caches()
        cold = engine.rank([*base, stroke])
        assert [(c.label, [x.key for x in c.candidates[:8]]) for c in cold.complaints] == live_lists
        engine.rank([*base, stroke])  # warm again for the next frame
