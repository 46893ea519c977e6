"""How a damaged session file is told: one line naming the element and the fault.

msgspec's own errors (``Expected `float` >= -1000.0 - at `$.marks[3]...```)
become readable faults (``marks[3].geometry.coordinates[0][5][0]: x outside
the chart (from -1000 to 1000 mm)``); text that is not JSON is told by line
and column, and a ``NaN`` or ``Infinity`` (which JSON does not have) by the
element holding it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import msgspec

from nmt_bodymap import session_schema as schema
from nmt_bodymap.atlas.model import CAUSES
from nmt_bodymap.chart import VIEWS
from nmt_bodymap.red_flags import RED_FLAGS
from nmt_bodymap.session_model import FINDINGS, QUALITIES, TOOLS
from nmt_bodymap.session_schema import FORMAT_NAME


class Fault(Exception):
    """A fault inside the document: where (a JSON path like ``marks[3].view``) and what."""

    def __init__(self, where: str, what: str) -> None:
        super().__init__(f"{where}: {what}" if where else what)
        self.where = where
        self.what = what


class NotASession(Exception):
    """The file as a whole is not a session this app reads (empty, not JSON, another format, newer)."""


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


def explain(exc: msgspec.ValidationError, data: bytes, prefix: str = "") -> Fault:
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
    return Fault(where, _readable(what, where, is_key))


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


def _locate_in_mapping(data: bytes, field_name: str) -> Fault | None:
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
            return Fault(where, _readable(str(exc).split(" - at ")[0], field_name, True))
        try:
            msgspec.json.decode(value, type=value_type)
        except msgspec.ValidationError as exc:
            return explain(exc, b"", prefix=where)
        except (msgspec.DecodeError, RecursionError):
            return None
    return None


_NON_JSON_NUMBER = re.compile(rb"-?(NaN|Infinity)")


def malformed(data: bytes, exc: msgspec.DecodeError, redecode: Callable[[bytes], object] | None = None) -> Exception:
    """Not JSON: say where, and name NaN/Infinity (which JSON does not have) with the element holding it.

    ``redecode`` decodes a document against the schema (without locating again): given, it names the
    element holding the NaN; without it, the fault names the line and column.
    """
    m = re.search(r"\(byte ([0-9]+)\)", str(exc))
    if "truncated" in str(exc):
        return NotASession("damaged or truncated session file (it ends early)")
    if m is None:
        return NotASession("damaged or truncated session file (not valid JSON)")
    offset = int(m.group(1))
    line = data.count(b"\n", 0, offset) + 1
    column = offset - data.rfind(b"\n", 0, offset)
    if offset >= len(data.rstrip()):
        return NotASession(f"damaged or truncated session file (it ends early, at line {line})")
    token = (offset > 0 and _NON_JSON_NUMBER.match(data, offset - 1)) or _NON_JSON_NUMBER.match(data, offset)
    if token is None:
        return NotASession(f"damaged or truncated session file (not valid JSON at line {line})")
    word = token.group(0).decode()
    at_line = Fault(f"line {line}, column {column}", f"{word} is not allowed (JSON numbers are finite)")
    if redecode is None:
        return at_line
    # Put a string where the NaN was and decode again: the schema then names the element.
    marker = data[: token.start()] + b'"' + word.encode() + b'"' + data[token.end() :]
    try:
        redecode(marker)
    except Fault as fault:
        if fault.what.endswith("got text"):
            return Fault(fault.where, f"{word} is not allowed (JSON numbers are finite)")
        return at_line if fault.where.startswith("line ") else fault  # another NaN, or an earlier fault
    except (NotASession, RecursionError):
        pass
    return at_line
