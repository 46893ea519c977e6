"""The session file's schema: the published JSON Schema is current and right; the red-flag checklist."""

from __future__ import annotations

import json
from pathlib import Path
from typing import get_args

import jsonschema
import pytest

from nmt_bodymap import session_schema
from nmt_bodymap.atlas.model import CAUSES
from nmt_bodymap.chart import VIEWS
from nmt_bodymap.red_flags import RED_FLAGS, RedFlagScreen, needs_referral, present_flags
from nmt_bodymap.session import FINDINGS, QUALITIES, TOOLS

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "sessions"
SCHEMA_FILE = ROOT / "docs" / "session-schema.json"
V2 = json.loads((FIXTURES / "v2-low-back.nmt").read_text())


def test_the_published_json_schema_is_current():
    assert SCHEMA_FILE.read_text() == session_schema.json_schema_text(), (
        "docs/session-schema.json is out of date: python -m nmt_bodymap.session_schema > docs/session-schema.json"
    )


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("*.nmt")), ids=lambda p: p.name)
def test_every_fixture_is_valid_by_the_published_schema(fixture):
    jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text())).validate(json.loads(fixture.read_text()))


@pytest.mark.parametrize(
    "change",
    [
        {"version": 3},
        {"version": True},
        {"notes": {"text": "x"}},
        {"handout": {"trapezius": 1}},
        {"marks": [V2["marks"][0] | {"view": "dorsal"}]},
        {"marks": [V2["marks"][0] | {"geometry": {"type": "Polygon", "coordinates": [[[0, 0, 0]] * 4]}}]},
        {"red_flags": {"screened": True, "present": ["bad-karma"]}},
        {"treatment": {"pain_before": 11}},
        {"banana": 1},
    ],
)
def test_the_published_schema_refuses_what_the_loader_refuses(change):
    doc = V2 | change
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text())).validate(doc)


def test_the_schema_vocabularies_are_the_apps():
    assert get_args(session_schema.View) == VIEWS
    assert get_args(session_schema.Quality) == QUALITIES
    assert get_args(session_schema.Tool) == TOOLS
    assert get_args(session_schema.Finding) == FINDINGS
    assert get_args(session_schema.Cause) == tuple(CAUSES)
    assert get_args(session_schema.RedFlagId) == tuple(RED_FLAGS)


def test_the_red_flag_checklist():
    assert list(RED_FLAGS) == [
        "chest-pain",
        "weight-loss",
        "fever",
        "night-pain",
        "saddle-numbness",
        "bladder-bowel",
        "calf-swelling",
        "progressive-weakness",
        "major-trauma",
        "cancer-history",
    ]
    for flag_id, flag in RED_FLAGS.items():
        assert flag.id == flag_id
        assert flag.question.endswith("?") and flag.why.endswith(".") and flag.title[0].isupper()


def test_any_sign_present_asks_for_referral():
    assert not needs_referral(RedFlagScreen())
    assert not needs_referral(RedFlagScreen(screened=True))
    screen = RedFlagScreen(screened=True, present=("night-pain", "chest-pain"))
    assert needs_referral(screen)
    assert [f.id for f in present_flags(screen)] == ["chest-pain", "night-pain"]
