"""The session file's schema: every field typed and bounded, checked before anything uses the file.

One set of msgspec structs describes the whole ``.nmt`` file (format
version 2; a version 1 file is a version 2 file without the newer fields).
Decoding with them is strict: no ``NaN``/``Infinity``, ``true`` is not a
number, a string is not a list, unknown fields and unknown values (views,
qualities, tools, findings, causes, red flags) are refused, and every list,
text and number has a bound. ``docs/session-schema.json`` is generated
from these structs (``python -m nmt_bodymap.session_schema``); a test keeps
it current.

The limits are far above any real session (a busy session has a few dozen
marks of a few hundred points, and notes of a few pages) and low enough
that the worst file the limits allow still opens in well under a second:

- ``MAX_FILE_BYTES`` 16 MiB: our writer puts a session at its limits
  (below) in about 11 MB; checked before the file is read.
- ``MAX_MARKS`` 2,000 marks; ``MAX_VERTICES_PER_MARK`` 20,000 points per
  mark; ``MAX_VERTICES`` 200,000 points in all: a disc has 65 points, a
  long brush stroke a few hundred, a chart region under 100.
- ``MAX_TEXT`` 100,000 characters per text field (about 50 pages);
  ``MAX_SHORT_TEXT`` 500 for names, codes and labels.
- Coordinates finite and within ``X_RANGE``/``Y_RANGE`` mm: the chart's
  views span x -420..420 and y -60..1800, so twice that is generous.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated, Generic, Literal, TypeAlias, TypeVar

import msgspec
from msgspec import Meta, field

from nmt_bodymap.atlas.model import CAUSES
from nmt_bodymap.chart import VIEWS
from nmt_bodymap.red_flags import RED_FLAGS
from nmt_bodymap.session_model import FINDINGS, LEVELS, QUALITIES, TOOLS

FORMAT_NAME = "nmt-bodymap-session"
#: The ending of session file names.
SUFFIX = ".nmt"
FORMAT_VERSION = 2

MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_MARKS = 2_000
MAX_VERTICES_PER_MARK = 20_000
MAX_VERTICES = 200_000
MAX_TEXT = 100_000
MAX_SHORT_TEXT = 500
#: Entries in the findings and in the treated trigger points (the shipped atlas has 410 sided trigger points).
MAX_TRIGGER_POINTS = 5_000
MAX_HANDOUT = 1_000
X_RANGE = (-1000.0, 1000.0)
Y_RANGE = (-1000.0, 3000.0)

ID_PATTERN = r"^[A-Za-z0-9_-]+$"
MUSCLE_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
TRIGGER_POINT_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*/[a-z0-9]+(-[a-z0-9]+)*(:(left|right))?$"
DATE_PATTERN = r"^([0-9]{4}-[0-9]{2}-[0-9]{2})?$"
#: What each pattern means, for error messages.
PATTERN_HINTS = {
    ID_PATTERN: "an id of letters, digits, '-' and '_' (e.g. m1)",
    MUSCLE_PATTERN: "a muscle id such as trapezius or levator-scapulae",
    TRIGGER_POINT_PATTERN: "a trigger point key such as trapezius/trp1:right",
    DATE_PATTERN: "a date as YYYY-MM-DD",
}

ShortText = Annotated[str, Meta(max_length=MAX_SHORT_TEXT)]
LongText = Annotated[str, Meta(max_length=MAX_TEXT)]
Id = Annotated[str, Meta(min_length=1, max_length=64, pattern=ID_PATTERN)]
MuscleId = Annotated[str, Meta(max_length=100, pattern=MUSCLE_PATTERN)]
TriggerPointKey = Annotated[str, Meta(max_length=200, pattern=TRIGGER_POINT_PATTERN)]
Date = Annotated[str, Meta(max_length=10, pattern=DATE_PATTERN)]
Rating = Annotated[int, Meta(ge=0, le=10, description="0 (none) to 10 (worst imaginable)")]
Level = Annotated[int, Meta(ge=0, le=len(LEVELS) - 1, description=", ".join(f"{i} {n}" for i, n in enumerate(LEVELS)))]

if TYPE_CHECKING:
    View: TypeAlias = str
    Tool: TypeAlias = str
    Quality: TypeAlias = str
    Finding: TypeAlias = str
    Cause: TypeAlias = str
    RedFlagId: TypeAlias = str
else:  # Literal of a tuple is the Literal of its items; the vocabularies live with their modules
    View = Literal[VIEWS]
    Tool = Literal[TOOLS]
    Quality = Literal[QUALITIES]
    Finding = Literal[FINDINGS]
    Cause = Literal[tuple(CAUSES)]
    RedFlagId = Literal[tuple(RED_FLAGS)]

X = Annotated[float, Meta(ge=X_RANGE[0], le=X_RANGE[1], description="mm; 0 on the midline")]
Y = Annotated[float, Meta(ge=Y_RANGE[0], le=Y_RANGE[1], description="mm; 0 at the vertex, 1750 at the soles")]
Position = tuple[X, Y]
Ring = Annotated[list[Position], Meta(min_length=4, max_length=MAX_VERTICES_PER_MARK)]
PolygonRings = Annotated[list[Ring], Meta(min_length=1, description="the outer ring, then any holes")]


class Polygon(msgspec.Struct, tag_field="type", tag="Polygon", forbid_unknown_fields=True):
    """A GeoJSON Polygon in chart millimetres."""

    coordinates: PolygonRings


class MultiPolygon(msgspec.Struct, tag_field="type", tag="MultiPolygon", forbid_unknown_fields=True):
    """A GeoJSON MultiPolygon in chart millimetres."""

    coordinates: Annotated[list[PolygonRings], Meta(min_length=1)]


Geometry = Polygon | MultiPolygon
G = TypeVar("G")


class MarkDoc(msgspec.Struct, Generic[G], forbid_unknown_fields=True):
    """A pain mark: an area of one view, its quality and intensity."""

    id: Id
    view: View
    tool: Tool
    quality: Quality
    intensity: Rating
    geometry: G


class ClientDoc(msgspec.Struct, forbid_unknown_fields=True):
    name: ShortText = ""
    code: ShortText = ""


class CauseDoc(msgspec.Struct, forbid_unknown_fields=True):
    level: Level = 0
    note: LongText = ""


class RedFlagsDoc(msgspec.Struct, forbid_unknown_fields=True):
    """The intake red-flag screen: asked or not, the signs present (see nmt_bodymap.red_flags)."""

    screened: bool = False
    present: Annotated[list[RedFlagId], Meta(max_length=len(RED_FLAGS))] = []
    note: LongText = ""


class ComplaintDoc(msgspec.Struct, forbid_unknown_fields=True):
    """A complaint as the therapist names it, and the marks that belong to it."""

    id: Id
    label: ShortText = ""
    marks: Annotated[list[Id], Meta(max_length=MAX_MARKS)] = []


class SoapDoc(msgspec.Struct, forbid_unknown_fields=True):
    subjective: LongText = ""
    objective: LongText = ""
    assessment: LongText = ""
    plan: LongText = ""


class TreatmentDoc(msgspec.Struct, forbid_unknown_fields=True):
    trigger_points: Annotated[list[TriggerPointKey], Meta(max_length=MAX_TRIGGER_POINTS)] = []
    technique: LongText = ""
    pain_before: Rating | None = None
    pain_after: Rating | None = None


class SessionDoc(msgspec.Struct, Generic[G], forbid_unknown_fields=True):
    """An nmt-bodymap session file (.nmt)."""

    format: Literal["nmt-bodymap-session"]
    version: Annotated[int, Meta(ge=1, le=FORMAT_VERSION)]
    app_version: ShortText = ""
    saved: ShortText = ""
    client: ClientDoc = field(default_factory=ClientDoc)
    therapist: ShortText = ""
    date: Date = ""
    red_flags: RedFlagsDoc = field(default_factory=RedFlagsDoc)
    complaints: Annotated[list[ComplaintDoc], Meta(max_length=MAX_MARKS)] = []
    notes: LongText = ""
    soap: SoapDoc = field(default_factory=SoapDoc)
    assessment: dict[Cause, CauseDoc] = {}
    marks: Annotated[list[MarkDoc[G]], Meta(max_length=MAX_MARKS)] = []
    findings: Annotated[dict[TriggerPointKey, Finding], Meta(max_length=MAX_TRIGGER_POINTS)] = {}
    treatment: TreatmentDoc = field(default_factory=TreatmentDoc)
    handout: Annotated[list[MuscleId], Meta(max_length=MAX_HANDOUT)] = []


class Header(msgspec.Struct):
    """What is read first: is it a session, and of which version."""

    format: msgspec.Raw = msgspec.Raw(b"null")
    version: msgspec.Raw = msgspec.Raw(b"null")


#: The document with each mark's geometry left undecoded, so points can be counted before they are built.
DeferredSessionDoc = SessionDoc[msgspec.Raw]


def json_schema() -> dict[str, object]:
    """The JSON Schema (2020-12) of a session file."""
    schema = msgspec.json.schema(SessionDoc[Geometry])
    # msgspec names a generic by its parameters' full names: SessionDoc_nmt_bodymap.session_schema.Polygon__...
    renames = {name: name.split("_")[0] for name in schema["$defs"] if "_" in name}
    text = json.dumps(schema)
    for old, new in renames.items():
        text = text.replace(f'"#/$defs/{old}"', f'"#/$defs/{new}"').replace(f'"{old}":', f'"{new}":')
    schema = json.loads(text)
    for name, definition in schema["$defs"].items():
        definition["title"] = name
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "nmt-bodymap session file"
    return schema


def json_schema_text() -> str:
    return json.dumps(json_schema(), indent=1, sort_keys=True) + "\n"


if __name__ == "__main__":  # pragma: no cover - python -m nmt_bodymap.session_schema > docs/session-schema.json
    from nmt_bodymap import session_schema  # the module itself, not this __main__ copy of it

    sys.stdout.write(session_schema.json_schema_text())
