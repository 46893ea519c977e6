"""A treatment session and its file: the public face of the session modules.

The model (the drawing, findings, notes, red-flag screen, complaints, SOAP
notes, treatment) is :mod:`nmt_bodymap.session_model`; the file's schema
and limits are :mod:`nmt_bodymap.session_schema`; reading, checking and
writing files are :mod:`nmt_bodymap.session_read` and
:mod:`nmt_bodymap.session_write`. Import from here.

A session is saved as a versioned UTF-8 JSON file (``.nmt``, documented in
the README and in ``docs/session-schema.json``), written atomically and
readable by the owner only, because it holds health information. Version
1 files are read as version 2 files without the newer fields.

File format, version 2::

    {"format": "nmt-bodymap-session", "version": 2, "app_version": "0.1.0",
     "saved": "2026-11-24T10:31:00+00:00",
     "client": {"name": "", "code": "C-017"}, "therapist": "", "date": "2026-11-24",
     "red_flags": {"screened": true, "present": ["night-pain"], "note": ""},
     "complaints": [{"id": "c1", "label": "Headache", "marks": ["m1", "m2"]}],
     "notes": "...",
     "soap": {"subjective": "", "objective": "", "assessment": "", "plan": ""},
     "assessment": {"biomechanical": {"level": 1, "note": ""}, ...five causes...},
     "marks": [{"id": "m1", "view": "anterior", "tool": "point", "quality": "aching",
                "intensity": 6, "geometry": {GeoJSON Polygon or MultiPolygon, mm}}],
     "findings": {"trapezius/trp1:right": "active"},
     "treatment": {"trigger_points": ["trapezius/trp1:right"], "technique": "",
                   "pain_before": 6, "pain_after": 3},
     "handout": ["trapezius"]}

Version 2 added ``therapist``, ``red_flags``, ``complaints``, ``soap`` and
``treatment``; each may be left out (empty).
"""

from __future__ import annotations

from nmt_bodymap.red_flags import RedFlagScreen
from nmt_bodymap.session_model import (
    DEFAULT_RADIUS_MM,
    DISC_SEGMENTS,
    FINDINGS,
    LEVELS,
    PARESTHESIA,
    QUALITIES,
    QUALITY_TITLES,
    TOOLS,
    CauseNote,
    Complaint,
    PainMark,
    Session,
    SessionError,
    SoapNotes,
    Treatment,
    clip_to_body,
    disc_mark,
    erase,
    region_mark,
    stroke_mark,
)
from nmt_bodymap.session_read import from_dict, is_session_file, load, loads
from nmt_bodymap.session_schema import FORMAT_NAME, FORMAT_VERSION, SUFFIX
from nmt_bodymap.session_write import dumps, save, to_dict

__all__ = [
    "DEFAULT_RADIUS_MM",
    "DISC_SEGMENTS",
    "FINDINGS",
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "LEVELS",
    "PARESTHESIA",
    "QUALITIES",
    "QUALITY_TITLES",
    "SUFFIX",
    "TOOLS",
    "CauseNote",
    "Complaint",
    "PainMark",
    "RedFlagScreen",
    "Session",
    "SessionError",
    "SoapNotes",
    "Treatment",
    "clip_to_body",
    "disc_mark",
    "dumps",
    "erase",
    "from_dict",
    "is_session_file",
    "load",
    "loads",
    "region_mark",
    "save",
    "stroke_mark",
    "to_dict",
]
