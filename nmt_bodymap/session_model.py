"""The session in memory: the client's pain drawing, palpation findings, notes and treatment.

Pain marks are polygons in chart millimetres of one view, each with an
intensity (0-10) and a quality. The rest of the session is what the
therapist records around the drawing: who was seen and by whom, the
red-flag screen, the complaints as the therapist names them, SOAP notes,
the five-cause assessment, palpation findings and the treatment given.

Reading and writing files is :mod:`nmt_bodymap.session_read` and
:mod:`nmt_bodymap.session_write`; the public face of all is
:mod:`nmt_bodymap.session`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import shapely
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from nmt_bodymap.atlas.model import CAUSES
from nmt_bodymap.chart import VIEWS, Chart
from nmt_bodymap.red_flags import RedFlagScreen

QUALITIES: tuple[str, ...] = ("aching", "sharp", "burning", "throbbing", "numbness", "tingling")
QUALITY_TITLES = {
    "aching": "Aching",
    "sharp": "Sharp",
    "burning": "Burning",
    "throbbing": "Throbbing",
    "numbness": "Numbness",
    "tingling": "Tingling (pins and needles)",
}
#: Qualities that suggest a nerve is involved (they also list entrapment candidates).
PARESTHESIA = frozenset({"numbness", "tingling", "burning"})
TOOLS = ("point", "brush", "region")
FINDINGS: tuple[str, ...] = ("active", "latent", "not-tender")
#: Levels of the five-cause assessment.
LEVELS = ("not assessed", "none", "mild", "moderate", "marked")

DEFAULT_RADIUS_MM = 30.0
DISC_SEGMENTS = 16  # quarter-circle segments: smooth enough, cheap to intersect


class SessionError(ValueError):
    """A session file that cannot be read, or a bad value.

    The message is always one printable line: text quoted from a hostile file
    (a field named "\\n", a control character) is shown escaped.
    """

    def __init__(self, message: str) -> None:
        super().__init__("".join(c if c.isprintable() else repr(c)[1:-1] for c in str(message)))


@dataclass(frozen=True)
class PainMark:
    id: str
    view: str
    tool: str
    quality: str
    intensity: int
    geometry: BaseGeometry

    @property
    def weight(self) -> float:
        """How much this mark's area counts: intensity / 10 (at least 0.1)."""
        return max(self.intensity, 1) / 10.0


@dataclass(frozen=True)
class CauseNote:
    level: int = 0  # index into LEVELS
    note: str = ""


@dataclass(frozen=True)
class Complaint:
    """A pain complaint as the therapist groups and names it ("Headache": marks m1 and m2)."""

    id: str
    label: str
    marks: tuple[str, ...] = ()  # mark ids; a mark belongs to at most one complaint


@dataclass(frozen=True)
class SoapNotes:
    subjective: str = ""
    objective: str = ""
    assessment: str = ""
    plan: str = ""


@dataclass(frozen=True)
class Treatment:
    """What was done in the session."""

    trigger_points: tuple[str, ...] = ()  # sided trigger point keys treated, e.g. "trapezius/trp1:right"
    technique: str = ""
    pain_before: int | None = None  # 0-10, as the client rates it
    pain_after: int | None = None


@dataclass
class Session:
    client_name: str = ""
    client_code: str = ""
    date: str = field(default_factory=lambda: dt.date.today().isoformat())
    notes: str = ""  # general notes
    assessment: dict[str, CauseNote] = field(default_factory=lambda: {c: CauseNote() for c in CAUSES})
    marks: list[PainMark] = field(default_factory=list)
    findings: dict[str, str] = field(default_factory=dict)
    handout: list[str] = field(default_factory=list)
    # format version 2
    therapist: str = ""
    red_flags: RedFlagScreen = field(default_factory=RedFlagScreen)
    #: The therapist's grouping of the marks; empty: the lookup groups them itself.
    complaints: list[Complaint] = field(default_factory=list)
    soap: SoapNotes = field(default_factory=SoapNotes)
    treatment: Treatment = field(default_factory=Treatment)

    def next_mark_id(self) -> str:
        used = {m.id for m in self.marks}
        n = len(self.marks) + 1
        while f"m{n}" in used:
            n += 1
        return f"m{n}"

    @property
    def client_label(self) -> str:
        return self.client_name or self.client_code


# ---------------------------------------------------------------------------
# Making marks
# ---------------------------------------------------------------------------


def _check(view: str, quality: str, intensity: int) -> None:
    if view not in VIEWS:
        raise SessionError(f"unknown view '{view}'")
    if quality not in QUALITIES:
        raise SessionError(f"unknown quality '{quality}' (qualities: {', '.join(QUALITIES)})")
    if not isinstance(intensity, int) or isinstance(intensity, bool) or not 0 <= intensity <= 10:
        raise SessionError(f"intensity must be a whole number from 0 to 10, got {intensity!r}")


def clip_to_body(chart: Chart, view: str, geom: BaseGeometry) -> BaseGeometry:
    return shapely.intersection(geom, chart.view(view).silhouette)


def disc_mark(
    chart: Chart,
    mark_id: str,
    view: str,
    x: float,
    y: float,
    radius: float = DEFAULT_RADIUS_MM,
    quality: str = "aching",
    intensity: int = 5,
) -> PainMark:
    """A disc from a click, clipped to the body outline."""
    _check(view, quality, intensity)
    if not radius > 0:
        raise SessionError("radius must be positive")
    geom = clip_to_body(chart, view, Point(x, y).buffer(radius, quad_segs=DISC_SEGMENTS))
    return PainMark(mark_id, view, "point", quality, intensity, geom)


def stroke_mark(
    chart: Chart,
    mark_id: str,
    view: str,
    points: Iterable[tuple[float, float]],
    width: float,
    quality: str = "aching",
    intensity: int = 5,
) -> PainMark:
    """A brush stroke: the path buffered to ``width`` and clipped to the body."""
    _check(view, quality, intensity)
    pts = list(points)
    line = Point(pts[0]) if len(pts) == 1 else LineString(pts)
    # 0.3 mm simplification: invisible, and far fewer vertices to intersect
    geom = clip_to_body(chart, view, shapely.simplify(line.buffer(width / 2, quad_segs=8), 0.3))
    return PainMark(mark_id, view, "brush", quality, intensity, geom)


def region_mark(
    chart: Chart, mark_id: str, view: str, region_id: str, quality: str = "aching", intensity: int = 5
) -> PainMark:
    """A whole chart region."""
    _check(view, quality, intensity)
    region = chart.view(view).regions.get(region_id)
    if region is None:
        raise SessionError(f"no region '{region_id}' in the {view} view")
    return PainMark(mark_id, view, "region", quality, intensity, region.geometry)


def erase(mark: PainMark, eraser: BaseGeometry) -> PainMark | None:
    """The mark with ``eraser`` cut out of it, or None when nothing is left."""
    rest = shapely.difference(mark.geometry, eraser)
    if rest.is_empty or rest.area < 1.0:
        return None
    return replace(mark, geometry=rest)
