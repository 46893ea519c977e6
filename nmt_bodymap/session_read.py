"""Reading session files: validated whole before use.

The file is checked to be a regular file within
:data:`~nmt_bodymap.session_schema.MAX_FILE_BYTES` before it is read, then
decoded against the schema of :mod:`nmt_bodymap.session_schema` in three
steps: the header (is it a session, of a version this app reads), the
document with each mark's geometry kept as raw JSON, then each geometry,
whose points are counted before they are built. Every failure is a
:class:`SessionError` of one line naming the file, the element and the
fault (``visit.nmt: marks[3].geometry.coordinates[0][5][0]: NaN is not
allowed``, worded by :mod:`nmt_bodymap.session_faults`); the file is never
changed.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path
from typing import Any

import msgspec
import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from nmt_bodymap import session_schema as schema
from nmt_bodymap.atlas.model import CAUSES
from nmt_bodymap.red_flags import RED_FLAGS, RedFlagScreen
from nmt_bodymap.session_faults import Fault, NotASession, explain, malformed
from nmt_bodymap.session_model import (
    CauseNote,
    Complaint,
    PainMark,
    Session,
    SessionError,
    SoapNotes,
    Treatment,
)
from nmt_bodymap.session_schema import FORMAT_NAME, FORMAT_VERSION, MAX_FILE_BYTES, MAX_VERTICES, MAX_VERTICES_PER_MARK


def load(path: Path | str) -> Session:
    """Read a session file; every failure is a :class:`SessionError` naming the file."""
    path = Path(path)
    return _parse(read_limited(path), str(path))


def loads(text: str | bytes, source: str = "session") -> Session:
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    if len(data) > MAX_FILE_BYTES:
        raise SessionError(f"{source}: too large for a session file ({len(data):,} bytes; at most {MAX_FILE_BYTES:,})")
    return _parse(data, source)


def from_dict(doc: Any, source: str = "session") -> Session:
    """A session from an already decoded JSON document (checked like a file)."""
    try:
        data = msgspec.json.encode(doc)
    except (TypeError, ValueError, OverflowError, RecursionError) as exc:
        raise SessionError(f"{source}: not an nmt-bodymap session ({exc})") from None
    return loads(data, source)


def read_limited(path: Path) -> bytes:
    """The bytes of a regular file no larger than MAX_FILE_BYTES, or SessionError."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise SessionError(f"{path}: not a session file (not a regular file)")
        if info.st_size > MAX_FILE_BYTES:
            raise SessionError(
                f"{path}: too large for a session file ({info.st_size:,} bytes; at most {MAX_FILE_BYTES:,})"
            )
        # O_NONBLOCK: if the name was swapped for a FIFO since stat(), opening must not wait for a writer
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise SessionError(f"{path}: not a session file (not a regular file)")
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise SessionError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if len(data) > MAX_FILE_BYTES:
        raise SessionError(f"{path}: too large for a session file (more than {MAX_FILE_BYTES:,} bytes)")
    return data


def is_session_file(path: Path | str) -> bool:
    """Whether ``path`` is a regular file that says it is an nmt-bodymap session (damaged or not)."""
    try:
        data = read_limited(Path(path))
        header = msgspec.json.decode(data, type=schema.Header)
        return bool(msgspec.json.decode(header.format) == FORMAT_NAME)
    except (SessionError, msgspec.MsgspecError, RecursionError):
        return False


def _parse(data: bytes, source: str) -> Session:
    try:
        return _build(_decode(data))
    except Fault as fault:
        raise SessionError(f"{source}: {fault}") from None
    except NotASession as exc:
        raise SessionError(f"{source}: {exc}") from None


def _decode(data: bytes, locate: bool = True) -> tuple[schema.SessionDoc[msgspec.Raw], list[BaseGeometry]]:
    """The checked document and its marks' geometries; ``locate``: name the element holding a NaN."""
    if not data.strip():
        raise NotASession("damaged or truncated session file (it is empty)")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        raise NotASession("not an nmt-bodymap session file (not text)") from None
    if not data.lstrip().startswith(b"{"):
        raise NotASession("not an nmt-bodymap session file")
    try:
        header = msgspec.json.decode(data, type=schema.Header)
    except msgspec.DecodeError as exc:
        raise malformed(data, exc, _redecode if locate else None) from None
    except RecursionError:
        raise Fault("", "damaged session file: lists or objects nested too deeply") from None
    _check_header(header)
    try:
        doc = msgspec.json.decode(data, type=schema.DeferredSessionDoc)
    except msgspec.ValidationError as exc:
        raise explain(exc, data) from None
    except msgspec.DecodeError as exc:  # pragma: no cover - the header step read the same JSON
        raise malformed(data, exc, _redecode if locate else None) from None
    except RecursionError:
        raise Fault("", "damaged session file: lists or objects nested too deeply") from None
    return doc, _geometries(doc)


def _redecode(data: bytes) -> object:
    return _decode(data, locate=False)


def _check_header(header: schema.Header) -> None:
    try:
        name = msgspec.json.decode(header.format)
    except (msgspec.MsgspecError, RecursionError):
        name = None
    if name != FORMAT_NAME:
        raise NotASession("not an nmt-bodymap session file")
    try:
        version = msgspec.json.decode(header.version, type=int)
    except (msgspec.MsgspecError, RecursionError):
        raise NotASession("the session file has no valid version number") from None
    if version < 1:
        raise NotASession("the session file has no valid version number")
    if version > FORMAT_VERSION:
        raise NotASession(
            f"written by a newer nmt-bodymap (session format {version}; "
            f"this version reads up to {FORMAT_VERSION}); please update the app"
        )


_GEOMETRY_DECODER = msgspec.json.Decoder(schema.Geometry)


def _geometries(doc: schema.SessionDoc[msgspec.Raw]) -> list[BaseGeometry]:
    """Each mark's geometry, its points counted (from the raw JSON) before any is built."""
    total = 0
    counts = []
    for i, mark in enumerate(doc.marks):
        # every point is one '[' (rings and polygons add a few): an upper bound before decoding
        brackets = bytes(mark.geometry).count(b"[")
        counts.append(brackets)
        if brackets > MAX_VERTICES_PER_MARK * 2:
            raise Fault(f"marks[{i}].geometry", f"too many points (at most {MAX_VERTICES_PER_MARK:,} per mark)")
        total += brackets
        if total > MAX_VERTICES * 2:
            raise Fault(f"marks[{i}].geometry", f"too many points in all (at most {MAX_VERTICES:,} in a session)")
    geoms: list[BaseGeometry] = []
    total = 0
    for i, mark in enumerate(doc.marks):
        where = f"marks[{i}].geometry"
        try:
            decoded = _GEOMETRY_DECODER.decode(mark.geometry)
        except msgspec.ValidationError as exc:
            raise explain(exc, b"", prefix=where) from None
        except RecursionError:
            raise Fault(where, "lists nested too deeply") from None
        rings = [decoded.coordinates] if isinstance(decoded, schema.Polygon) else decoded.coordinates
        points = sum(len(ring) for polygon in rings for ring in polygon)
        if points > MAX_VERTICES_PER_MARK:
            raise Fault(where, f"{points:,} points; at most {MAX_VERTICES_PER_MARK:,} per mark")
        total += points
        if total > MAX_VERTICES:
            raise Fault(where, f"too many points in all (at most {MAX_VERTICES:,} in a session)")
        polygons = [_polygon(polygon) for polygon in rings]
        geom: BaseGeometry = polygons[0] if isinstance(decoded, schema.Polygon) else MultiPolygon(polygons)
        if not shapely.is_valid(geom):
            raise Fault(where, f"not a valid polygon ({shapely.is_valid_reason(geom)})")
        if geom.area <= 0:
            raise Fault(where, "the polygon has no area")
        geoms.append(geom)
    return geoms


def _polygon(rings: list[list[tuple[float, float]]]) -> Polygon:
    shell = shapely.linearrings(np.asarray(rings[0], dtype=float))
    holes = [shapely.linearrings(np.asarray(r, dtype=float)) for r in rings[1:]]
    return shapely.polygons(shell, holes or None)


def _build(decoded: tuple[schema.SessionDoc[msgspec.Raw], list[BaseGeometry]]) -> Session:
    doc, geoms = decoded
    mark_ids: dict[str, int] = {}
    for i, m in enumerate(doc.marks):
        if m.id in mark_ids:
            raise Fault(f"marks[{i}].id", f"'{m.id}' is used by marks[{mark_ids[m.id]}] too")
        mark_ids[m.id] = i
    owner: dict[str, str] = {}
    complaint_ids: set[str] = set()
    for i, c in enumerate(doc.complaints):
        if c.id in complaint_ids:
            raise Fault(f"complaints[{i}].id", f"'{c.id}' is used by another complaint too")
        complaint_ids.add(c.id)
        for j, mark_id in enumerate(c.marks):
            if mark_id not in mark_ids:
                raise Fault(f"complaints[{i}].marks[{j}]", f"no mark '{mark_id}' in this session")
            if mark_id in owner:
                raise Fault(f"complaints[{i}].marks[{j}]", f"mark '{mark_id}' already belongs to '{owner[mark_id]}'")
            owner[mark_id] = c.id
    _unique(doc.red_flags.present, "red_flags.present")
    _unique(doc.treatment.trigger_points, "treatment.trigger_points")
    _unique(doc.handout, "handout")
    if doc.date:
        try:
            dt.date.fromisoformat(doc.date)
        except ValueError:
            raise Fault("date", f"'{doc.date}' is not a date") from None
    assessment = {c: CauseNote() for c in CAUSES}
    assessment.update({c: CauseNote(n.level, n.note) for c, n in doc.assessment.items()})
    present = set(doc.red_flags.present)
    t = doc.treatment
    return Session(
        client_name=doc.client.name,
        client_code=doc.client.code,
        date=doc.date,
        notes=doc.notes,
        assessment=assessment,
        marks=[
            PainMark(m.id, m.view, m.tool, m.quality, m.intensity, g) for m, g in zip(doc.marks, geoms, strict=True)
        ],
        findings=dict(doc.findings),
        handout=list(doc.handout),
        therapist=doc.therapist,
        red_flags=RedFlagScreen(
            doc.red_flags.screened, tuple(f for f in RED_FLAGS if f in present), doc.red_flags.note
        ),
        complaints=[Complaint(c.id, c.label, tuple(c.marks)) for c in doc.complaints],
        soap=SoapNotes(doc.soap.subjective, doc.soap.objective, doc.soap.assessment, doc.soap.plan),
        treatment=Treatment(tuple(t.trigger_points), t.technique, t.pain_before, t.pain_after),
    )


def _unique(values: list[str], where: str) -> None:
    seen: set[str] = set()
    for i, v in enumerate(values):
        if v in seen:
            raise Fault(f"{where}[{i}]", f"'{v}' is listed twice")
        seen.add(v)
