"""A treatment session: the client's pain drawing, palpation findings and notes.

Pain marks are polygons in chart millimetres of one view, each with an
intensity (0-10) and a quality. The session is saved as a versioned JSON
file (``.nmt``, documented in the README): written atomically (a temporary
file beside the target, then a rename) and readable by the owner only,
because it holds health information.

File format, version 1::

    {"format": "nmt-bodymap-session", "version": 1, "app_version": "0.1.0",
     "saved": "2026-11-24T10:31:00+00:00",
     "client": {"name": "", "code": "C-017"}, "date": "2026-11-24", "notes": "...",
     "assessment": {"biomechanical": {"level": 1, "note": ""}, ...five causes...},
     "marks": [{"id": "m1", "view": "anterior", "tool": "point", "quality": "aching",
                "intensity": 6, "geometry": {GeoJSON Polygon or MultiPolygon, mm}}],
     "findings": {"trapezius/trp1:right": "active"},
     "handout": ["trapezius"]}
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import LineString, Point, mapping, shape
from shapely.geometry.base import BaseGeometry

from nmt_bodymap import __version__
from nmt_bodymap.atlas.model import CAUSES
from nmt_bodymap.chart import VIEWS, Chart

FORMAT_NAME = "nmt-bodymap-session"
FORMAT_VERSION = 1
SUFFIX = ".nmt"

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
    """A session file that cannot be read, or a bad value."""


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


@dataclass
class Session:
    client_name: str = ""
    client_code: str = ""
    date: str = field(default_factory=lambda: dt.date.today().isoformat())
    notes: str = ""
    assessment: dict[str, CauseNote] = field(default_factory=lambda: {c: CauseNote() for c in CAUSES})
    marks: list[PainMark] = field(default_factory=list)
    findings: dict[str, str] = field(default_factory=dict)
    handout: list[str] = field(default_factory=list)

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
    if not isinstance(intensity, int) or not 0 <= intensity <= 10:
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


# ---------------------------------------------------------------------------
# File format
# ---------------------------------------------------------------------------


def _round_coords(obj: Any) -> Any:
    if isinstance(obj, float):
        return round(obj, 2)
    if isinstance(obj, (list, tuple)):
        return [_round_coords(v) for v in obj]
    if isinstance(obj, dict):
        return {k: _round_coords(v) for k, v in obj.items()}
    return obj


def to_dict(session: Session) -> dict[str, Any]:
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "app_version": __version__,
        "saved": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "client": {"name": session.client_name, "code": session.client_code},
        "date": session.date,
        "notes": session.notes,
        "assessment": {c: {"level": n.level, "note": n.note} for c, n in session.assessment.items()},
        "marks": [
            {
                "id": m.id,
                "view": m.view,
                "tool": m.tool,
                "quality": m.quality,
                "intensity": m.intensity,
                "geometry": _round_coords(mapping(shapely.set_precision(m.geometry, 0.01))),
            }
            for m in session.marks
        ],
        "findings": dict(sorted(session.findings.items())),
        "handout": list(session.handout),
    }


def dumps(session: Session) -> str:
    return json.dumps(to_dict(session), indent=1, ensure_ascii=False) + "\n"


def _upgrade(doc: dict[str, Any]) -> dict[str, Any]:
    """Bring an older file up to :data:`FORMAT_VERSION` (one step per version)."""
    # Version 1 is the first; later versions add their steps here, e.g.
    # if doc["version"] == 1: ...; doc["version"] = 2
    return doc


def from_dict(doc: Any, source: str = "session") -> Session:
    if not isinstance(doc, dict) or doc.get("format") != FORMAT_NAME:
        raise SessionError(f"{source}: not an nmt-bodymap session file")
    version = doc.get("version")
    if not isinstance(version, int) or version < 1:
        raise SessionError(f"{source}: the session file has no valid version number")
    if version > FORMAT_VERSION:
        raise SessionError(
            f"{source}: written by a newer nmt-bodymap (session format {version}; "
            f"this version reads up to {FORMAT_VERSION}); please update the app"
        )
    doc = _upgrade(doc)
    try:
        client = doc.get("client", {})
        session = Session(
            client_name=str(client.get("name", "")),
            client_code=str(client.get("code", "")),
            date=str(doc.get("date", "")),
            notes=str(doc.get("notes", "")),
            findings={str(k): str(v) for k, v in doc.get("findings", {}).items()},
            handout=[str(h) for h in doc.get("handout", [])],
        )
        for cause, note in doc.get("assessment", {}).items():
            if cause not in CAUSES:
                raise SessionError(f"unknown cause '{cause}' in the assessment")
            level = int(note.get("level", 0))
            if not 0 <= level < len(LEVELS):
                raise SessionError(f"assessment level {level} for '{cause}' is out of range")
            session.assessment[cause] = CauseNote(level, str(note.get("note", "")))
        for finding in session.findings.values():
            if finding not in FINDINGS:
                raise SessionError(f"unknown palpation finding '{finding}'")
        for i, m in enumerate(doc.get("marks", [])):
            _check(m["view"], m["quality"], m["intensity"])
            if m.get("tool") not in TOOLS:
                raise SessionError(f"unknown drawing tool '{m.get('tool')}'")
            geom = shape(m["geometry"])
            if geom.geom_type not in ("Polygon", "MultiPolygon") or not geom.is_valid:
                raise SessionError(f"mark {i + 1} has no valid polygon geometry")
            session.marks.append(PainMark(str(m["id"]), m["view"], m["tool"], m["quality"], m["intensity"], geom))
    except SessionError as exc:
        raise SessionError(f"{source}: {exc}") from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise SessionError(f"{source}: damaged session file ({type(exc).__name__}: {exc})") from None
    return session


def loads(text: str, source: str = "session") -> Session:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SessionError(
            f"{source}: damaged or truncated session file (not valid JSON: {exc.msg} at line {exc.lineno})"
        ) from None
    return from_dict(doc, source)


def load(path: Path | str) -> Session:
    """Read a session file; every failure is a :class:`SessionError` naming the file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SessionError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise SessionError(f"{path}: not an nmt-bodymap session file (not text)") from None
    return loads(text, str(path))


def write_private(path: Path | str, text: str) -> None:
    """Write ``text`` atomically with owner-only permissions.

    The new content goes to a temporary file in the same folder, is flushed
    to disk, then renamed over ``path``: a crash at any point leaves either
    the old file or the new one, never a mix.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if hasattr(os, "fchmod"):  # POSIX; on Windows the user profile folder is already private
            os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save(session: Session, path: Path | str) -> None:
    write_private(path, dumps(session))
