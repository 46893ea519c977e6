"""Writing session files: the JSON document, its text, and an atomic, owner-only save.

Marks are stored on a 0.01 mm grid and simplified only when over the
limits of :mod:`nmt_bodymap.session_schema`. The session is encoded, read
back through the same checks as any file (a file the app cannot reopen is
never written), and written with :func:`nmt_bodymap.atomic.write_private`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import Polygon, mapping
from shapely.geometry.base import BaseGeometry

from nmt_bodymap import __version__
from nmt_bodymap import session_schema as schema
from nmt_bodymap.atomic import write_private
from nmt_bodymap.session_model import Session, SessionError
from nmt_bodymap.session_read import loads
from nmt_bodymap.session_schema import FORMAT_NAME, FORMAT_VERSION, MAX_VERTICES, MAX_VERTICES_PER_MARK

_SIMPLIFY_STEPS_MM = (0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0)


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
