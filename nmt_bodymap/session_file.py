"""Reading and writing session files: validated whole before use, saved atomically and privately.

Reading: the file is checked to be a regular file within
:data:`~nmt_bodymap.session_schema.MAX_FILE_BYTES` before it is read, then
decoded against the schema of :mod:`nmt_bodymap.session_schema` in three
steps: the header (is it a session, of a version this app reads), the
document with each mark's geometry kept as raw JSON, then each geometry,
whose points are counted before they are built. Every failure is a
:class:`SessionError` of one line naming the file, the element and the
fault (``visit.nmt: marks[3].geometry.coordinates[0][5][0]: NaN is not
allowed``); the file is never changed.

Writing: the session is encoded, read back through the same checks (a file
the app cannot reopen is never written), and written with
:func:`nmt_bodymap.atomic.write_private`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
import stat
from pathlib import Path
from typing import Any

import msgspec
import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping
from shapely.geometry.base import BaseGeometry

from nmt_bodymap import __version__
from nmt_bodymap import session_schema as schema
from nmt_bodymap.atlas.model import CAUSES
from nmt_bodymap.atomic import write_private
from nmt_bodymap.chart import VIEWS
from nmt_bodymap.red_flags import RED_FLAGS, RedFlagScreen
from nmt_bodymap.session_model import (
    FINDINGS,
    QUALITIES,
    TOOLS,
    CauseNote,
    Complaint,
    PainMark,
    Session,
    SessionError,
    SoapNotes,
    Treatment,
)
from nmt_bodymap.session_schema import FORMAT_NAME, FORMAT_VERSION, MAX_FILE_BYTES, MAX_VERTICES, MAX_VERTICES_PER_MARK

SUFFIX = ".nmt"
_SIMPLIFY_STEPS_MM = (0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0)


class _Fault(Exception):
    """A fault inside the document: where (a JSON path like ``marks[3].view``) and what."""

    def __init__(self, where: str, what: str) -> None:
        super().__init__(f"{where}: {what}" if where else what)
        self.where = where
        self.what = what


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------


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
    except _Fault as fault:
        raise SessionError(f"{source}: {fault}") from None
    except _NotASession as exc:
        raise SessionError(f"{source}: {exc}") from None


class _NotASession(Exception):
    pass


def _decode(data: bytes, locate: bool = True) -> tuple[schema.SessionDoc[msgspec.Raw], list[BaseGeometry]]:
    """The checked document and its marks' geometries; ``locate``: name the element holding a NaN."""
    if not data.strip():
        raise _NotASession("damaged or truncated session file (it is empty)")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        raise _NotASession("not an nmt-bodymap session file (not text)") from None
    if not data.lstrip().startswith(b"{"):
        raise _NotASession("not an nmt-bodymap session file")
    try:
        header = msgspec.json.decode(data, type=schema.Header)
    except msgspec.DecodeError as exc:
        raise _malformed(data, exc, locate) from None
    except RecursionError:
        raise _Fault("", "damaged session file: lists or objects nested too deeply") from None
    _check_header(header)
    try:
        doc = msgspec.json.decode(data, type=schema.DeferredSessionDoc)
    except msgspec.ValidationError as exc:
        raise _explain(exc, data) from None
    except msgspec.DecodeError as exc:  # pragma: no cover - the header step read the same JSON
        raise _malformed(data, exc, locate) from None
    except RecursionError:
        raise _Fault("", "damaged session file: lists or objects nested too deeply") from None
    return doc, _geometries(doc)


def _check_header(header: schema.Header) -> None:
    try:
        name = msgspec.json.decode(header.format)
    except (msgspec.MsgspecError, RecursionError):
        name = None
    if name != FORMAT_NAME:
        raise _NotASession("not an nmt-bodymap session file")
    try:
        version = msgspec.json.decode(header.version, type=int)
    except (msgspec.MsgspecError, RecursionError):
        raise _NotASession("the session file has no valid version number") from None
    if version < 1:
        raise _NotASession("the session file has no valid version number")
    if version > FORMAT_VERSION:
        raise _NotASession(
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
            raise _Fault(f"marks[{i}].geometry", f"too many points (at most {MAX_VERTICES_PER_MARK:,} per mark)")
        total += brackets
        if total > MAX_VERTICES * 2:
            raise _Fault(f"marks[{i}].geometry", f"too many points in all (at most {MAX_VERTICES:,} in a session)")
    geoms: list[BaseGeometry] = []
    total = 0
    for i, mark in enumerate(doc.marks):
        where = f"marks[{i}].geometry"
        try:
            decoded = _GEOMETRY_DECODER.decode(mark.geometry)
        except msgspec.ValidationError as exc:
            raise _explain(exc, b"", prefix=where) from None
        except RecursionError:
            raise _Fault(where, "lists nested too deeply") from None
        rings = [decoded.coordinates] if isinstance(decoded, schema.Polygon) else decoded.coordinates
        points = sum(len(ring) for polygon in rings for ring in polygon)
        if points > MAX_VERTICES_PER_MARK:
            raise _Fault(where, f"{points:,} points; at most {MAX_VERTICES_PER_MARK:,} per mark")
        total += points
        if total > MAX_VERTICES:
            raise _Fault(where, f"too many points in all (at most {MAX_VERTICES:,} in a session)")
        polygons = [_polygon(polygon) for polygon in rings]
        geom: BaseGeometry = polygons[0] if isinstance(decoded, schema.Polygon) else MultiPolygon(polygons)
        if not shapely.is_valid(geom):
            raise _Fault(where, f"not a valid polygon ({shapely.is_valid_reason(geom)})")
        if geom.area <= 0:
            raise _Fault(where, "the polygon has no area")
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
            raise _Fault(f"marks[{i}].id", f"'{m.id}' is used by marks[{mark_ids[m.id]}] too")
        mark_ids[m.id] = i
    owner: dict[str, str] = {}
    complaint_ids: set[str] = set()
    for i, c in enumerate(doc.complaints):
        if c.id in complaint_ids:
            raise _Fault(f"complaints[{i}].id", f"'{c.id}' is used by another complaint too")
        complaint_ids.add(c.id)
        for j, mark_id in enumerate(c.marks):
            if mark_id not in mark_ids:
                raise _Fault(f"complaints[{i}].marks[{j}]", f"no mark '{mark_id}' in this session")
            if mark_id in owner:
                raise _Fault(f"complaints[{i}].marks[{j}]", f"mark '{mark_id}' already belongs to '{owner[mark_id]}'")
            owner[mark_id] = c.id
    _unique(doc.red_flags.present, "red_flags.present")
    _unique(doc.treatment.trigger_points, "treatment.trigger_points")
    _unique(doc.handout, "handout")
    if doc.date:
        try:
            dt.date.fromisoformat(doc.date)
        except ValueError:
            raise _Fault("date", f"'{doc.date}' is not a date") from None
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
            raise _Fault(f"{where}[{i}]", f"'{v}' is listed twice")
        seen.add(v)


# -- error messages -----------------------------------------------------------

_AT = re.compile(r"^(?P<what>.*?)(?: - at (?:`(?P<key>key)` in )?`\$(?P<path>[^`]*)`)?$", re.DOTALL)
_TYPE_NAMES = {
    "int": "a whole number",
    "float": "a number",
    "str": "text",
    "bool": "true or false",
    "array": "a list",
    "object": "an object",
    "null": "null",
}
_CHOICES: dict[str, tuple[str, ...]] = {
    "view": VIEWS,
    "tool": TOOLS,
    "quality": QUALITIES,
    "type": ("Polygon", "MultiPolygon"),
    "present": tuple(RED_FLAGS),
    "findings": FINDINGS,
    "assessment": tuple(CAUSES),
    "format": (FORMAT_NAME,),
}


def _explain(exc: msgspec.ValidationError, data: bytes, prefix: str = "") -> _Fault:
    """A msgspec error as a fault with a readable path and message."""
    m = _AT.match(str(exc))
    what = m.group("what") if m else str(exc)
    path = (m.group("path") or "") if m else ""
    where = (prefix + path) if prefix else path.lstrip(".")
    is_key = bool(m and m.group("key"))
    if data and ("[...]" in path or is_key):
        located = _locate_in_mapping(data, path.lstrip(".").split("[")[0])
        if located is not None:
            return located
    return _Fault(where, _readable(what, where, is_key))


def _readable(what: str, where: str, is_key: bool) -> str:
    field_name = re.sub(r"\[[^]]*\]", "", where).rsplit(".", 1)[-1]
    if m := re.match(r"Expected `([a-z]+)[^`]*`, got `([a-z]+)`", what):
        return f"expected {_TYPE_NAMES.get(m.group(1), m.group(1))}, got {_TYPE_NAMES.get(m.group(2), m.group(2))}"
    if m := re.fullmatch(r"Expected `([a-z]+)`", what):
        return f"expected {_TYPE_NAMES.get(m.group(1), m.group(1))}"
    if m := re.match(r"Invalid (?:enum )?value (.*)", what):
        choices = _CHOICES.get(field_name)
        known = f" (known: {', '.join(choices)})" if choices else ""
        return f"unknown {'key' if is_key else 'value'} {m.group(1)}{known}"
    if what.startswith("Number out of range"):
        return "number out of range (it must be finite)"
    if what.startswith("Integer value out of range"):
        return "whole number out of range"
    if ".coordinates" in where and (m := re.match(r"Expected `float` ([<>]=) (-?[0-9.]+)", what)):
        axis = "x" if where.endswith("[0]") else "y"
        lo, hi = schema.X_RANGE if axis == "x" else schema.Y_RANGE
        return f"{axis} outside the chart (from {lo:g} to {hi:g} mm)"
    if ".coordinates" in where and what.startswith("Expected `array` of length 2"):
        return "a point has exactly two coordinates (x, y)"
    if m := re.match(r"Expected `(str|array|object)` of length ([<>]=) ([0-9]+)", what):
        n = int(m.group(3))
        if where.endswith(".coordinates") and m.group(2) == ">=":
            return "empty polygon"
        if ".coordinates" in where and m.group(2) == ">=":
            return f"a ring needs at least {n} points (the last repeats the first)"
        unit = {"str": ("character", "characters"), "array": ("item", "items"), "object": ("entry", "entries")}
        bound = "at most" if m.group(2) == "<=" else "at least"
        return f"{'too long' if bound == 'at most' else 'too short'}: {bound} {n:,} {unit[m.group(1)][n != 1]}"
    if m := re.match(r"Expected `str` matching regex '(.*)'", what):
        return f"expected {schema.PATTERN_HINTS.get(m.group(1), 'text matching ' + m.group(1))}"
    if m := re.match(r"Expected `(int|float)` ([<>]=) (-?[0-9.]+)", what):
        return f"must be {'at most' if m.group(2) == '<=' else 'at least'} {m.group(3)}"
    if m := re.match(r"Object missing required field `(.*)`", what):
        return f"missing '{m.group(1)}'"
    if m := re.match(r"Object contains unknown field `(.*)`", what):
        return f"unknown field '{m.group(1)}'"
    return what.replace("`", "")


def _locate_in_mapping(data: bytes, field_name: str) -> _Fault | None:
    """Name the key of a bad entry in ``findings`` or ``assessment`` (msgspec reports only the mapping)."""
    if field_name not in ("findings", "assessment"):
        return None
    try:
        raw = msgspec.json.decode(data, type=dict[str, msgspec.Raw]).get(field_name)
        entries = msgspec.json.decode(raw, type=dict[str, msgspec.Raw]) if raw is not None else {}
    except (msgspec.MsgspecError, RecursionError):
        return None
    key_type = schema.TriggerPointKey if field_name == "findings" else schema.Cause
    value_type = schema.Finding if field_name == "findings" else schema.CauseDoc
    for key, value in entries.items():
        where = f"{field_name}[{json.dumps(key, ensure_ascii=False)}]"
        try:
            msgspec.convert(key, type=key_type)
        except msgspec.ValidationError as exc:
            return _Fault(where, _readable(str(exc).split(" - at ")[0], field_name, True))
        try:
            msgspec.json.decode(value, type=value_type)
        except msgspec.ValidationError as exc:
            return _explain(exc, b"", prefix=where)
        except (msgspec.DecodeError, RecursionError):
            return None
    return None


_NON_JSON_NUMBER = re.compile(rb"-?(NaN|Infinity)")


def _malformed(data: bytes, exc: msgspec.DecodeError, locate: bool = True) -> Exception:
    """Not JSON: say where, and name NaN/Infinity (which JSON does not have) with the element holding it."""
    m = re.search(r"\(byte ([0-9]+)\)", str(exc))
    if "truncated" in str(exc):
        return _NotASession("damaged or truncated session file (it ends early)")
    if m is None:
        return _NotASession("damaged or truncated session file (not valid JSON)")
    offset = int(m.group(1))
    line = data.count(b"\n", 0, offset) + 1
    column = offset - data.rfind(b"\n", 0, offset)
    if offset >= len(data.rstrip()):
        return _NotASession(f"damaged or truncated session file (it ends early, at line {line})")
    token = (offset > 0 and _NON_JSON_NUMBER.match(data, offset - 1)) or _NON_JSON_NUMBER.match(data, offset)
    if token is None:
        return _NotASession(f"damaged or truncated session file (not valid JSON at line {line})")
    word = token.group(0).decode()
    at_line = _Fault(f"line {line}, column {column}", f"{word} is not allowed (JSON numbers are finite)")
    if not locate:
        return at_line
    # Put a string where the NaN was and decode again: the schema then names the element.
    marker = data[: token.start()] + b'"' + word.encode() + b'"' + data[token.end() :]
    try:
        _decode(marker, locate=False)
    except _Fault as fault:
        if fault.what.endswith("got text"):
            return _Fault(fault.where, f"{word} is not allowed (JSON numbers are finite)")
        return at_line if fault.where.startswith("line ") else fault  # another NaN, or an earlier fault
    except (_NotASession, RecursionError):
        pass
    return at_line


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------


def _vertex_count(geom: BaseGeometry) -> int:
    return int(shapely.get_num_coordinates(geom))


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Only the areas of ``geom`` (clipping can leave stray lines or points), in 2-D."""
    geom = shapely.force_2d(geom)
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else Polygon()


def _storable(geom: BaseGeometry, tolerance: float) -> BaseGeometry:
    out = _polygonal(shapely.set_precision(_polygonal(geom), 0.01))
    if tolerance > 0 or _vertex_count(out) > MAX_VERTICES_PER_MARK:
        for step in (tolerance, *_SIMPLIFY_STEPS_MM):
            if step < tolerance:
                continue
            out = _polygonal(shapely.set_precision(shapely.simplify(_polygonal(geom), step), 0.01))
            if _vertex_count(out) <= MAX_VERTICES_PER_MARK:
                break
    return out


def _stored_geometries(session: Session) -> list[BaseGeometry]:
    """Each mark's geometry as it will be stored: 0.01 mm grid, simplified only if over the limits."""
    geoms = [_storable(m.geometry, 0.0) for m in session.marks]
    for step in _SIMPLIFY_STEPS_MM:
        if sum(_vertex_count(g) for g in geoms) <= MAX_VERTICES:
            break
        geoms = [_storable(m.geometry, step) for m in session.marks]
    return geoms


def _round(obj: Any) -> Any:
    if isinstance(obj, float):
        return round(obj, 2)
    if isinstance(obj, (list, tuple)):
        return [_round(v) for v in obj]
    return obj


def to_dict(session: Session) -> dict[str, Any]:
    """The file's JSON document (marks without area are left out)."""
    geoms = _stored_geometries(session)
    marks = [
        {
            "id": m.id,
            "view": m.view,
            "tool": m.tool,
            "quality": m.quality,
            "intensity": m.intensity,
            "geometry": {"type": g.geom_type, "coordinates": _round(mapping(g)["coordinates"])},
        }
        for m, g in zip(session.marks, geoms, strict=True)
        if not g.is_empty
    ]
    kept = {m["id"] for m in marks}
    s, t = session.soap, session.treatment
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "app_version": __version__,
        "saved": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "client": {"name": session.client_name, "code": session.client_code},
        "therapist": session.therapist,
        "date": session.date,
        "red_flags": {
            "screened": session.red_flags.screened,
            "present": list(session.red_flags.present),
            "note": session.red_flags.note,
        },
        "complaints": [
            {"id": c.id, "label": c.label, "marks": [k for k in c.marks if k in kept]} for c in session.complaints
        ],
        "notes": session.notes,
        "soap": {"subjective": s.subjective, "objective": s.objective, "assessment": s.assessment, "plan": s.plan},
        "assessment": {c: {"level": n.level, "note": n.note} for c, n in session.assessment.items()},
        "marks": marks,
        "findings": dict(sorted(session.findings.items())),
        "treatment": {
            "trigger_points": list(t.trigger_points),
            "technique": t.technique,
            "pain_before": t.pain_before,
            "pain_after": t.pain_after,
        },
        "handout": list(session.handout),
    }


def dumps(session: Session) -> str:
    """The file's text: indented JSON, each ring of coordinates on one line."""
    doc = to_dict(session)
    token = secrets.token_hex(8)
    rings: list[str] = []
    for mark in doc["marks"]:
        rings.append(json.dumps(mark["geometry"]["coordinates"], separators=(",", ":")))
        mark["geometry"]["coordinates"] = f"@{token}:{len(rings) - 1}"
    text = json.dumps(doc, indent=1, ensure_ascii=False, allow_nan=False)
    return re.sub(f'"@{token}:([0-9]+)"', lambda m: rings[int(m.group(1))], text) + "\n"


def save(session: Session, path: Path | str) -> None:
    """Write ``session`` to ``path`` atomically, owner-only.

    Raises SessionError (nothing written) when the session could not be read
    back, e.g. past the limits, and OSError when the file cannot be written.
    """
    path = Path(path)
    if len(session.marks) > schema.MAX_MARKS:  # before the work of encoding them
        raise SessionError(f"cannot save {path}: marks: too long: at most {schema.MAX_MARKS:,} items")
    data = dumps(session).encode("utf-8")
    try:
        loads(data, "the session")
    except SessionError as exc:
        raise SessionError(f"cannot save {path}: {exc}") from None
    write_private(path, data)
