"""A cheap streaming pass over SVG bytes that refuses hostile files before parsing.

svgelements builds a full object tree, follows ``<use>`` references and
recurses through nested groups: a file with millions of path segments, a
``<use>`` bomb or a few thousand nested groups can run for minutes or exhaust
the stack. :func:`scan_svg` reads the bytes once with expat (no tree, no
recursion), in a few milliseconds for the largest file allowed, and refuses:

* entity declarations (``<!ENTITY>``, the "billion laughs" family) and
  malformed XML;
* more than :data:`MAX_ELEMENTS` elements, nesting deeper than
  :data:`MAX_DEPTH`, more than :data:`MAX_PATH_SEGMENTS` path segments
  (``d`` and ``points`` together);
* any ``<use>`` element (clones are not part of the format; unlink them);
* a root without a usable ``viewBox`` (four finite numbers, width and
  height above 0), or a non-positive ``width``/``height`` on it;
* circles, ellipses and rectangles whose size is not a finite number above 0.
"""

from __future__ import annotations

import math
import re
import xml.parsers.expat
from dataclasses import dataclass

# The limits sit far above any real file yet keep the slowest file they let
# through to about two seconds of svgelements parsing (about 1 ms an element
# and 30 µs a segment on the reference machine).
#: The biggest shipped SVG (the anterior chart) has about 310 elements.
MAX_ELEMENTS = 1_000
#: The shipped files nest 4 deep.
MAX_DEPTH = 32
#: The biggest shipped SVG has about 2,500 path segments.
MAX_PATH_SEGMENTS = 50_000

_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_COMMAND = re.compile(r"([MmZzLlHhVvCcSsQqTtAa])([^MmZzLlHhVvCcSsQqTtAa]*)")
_ARGS = {"m": 2, "l": 2, "h": 1, "v": 1, "c": 6, "s": 4, "q": 4, "t": 2, "a": 7, "z": 0}
_LENGTH = re.compile(r"^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|nan|inf|infinity)\s*([a-z%]*)\s*$", re.I)
#: Sizes that must be finite and above 0, per element; optional ones may be absent.
_SIZES = {"circle": ("r",), "ellipse": ("rx", "ry"), "rect": ("width", "height")}


class SvgLimitError(ValueError):
    """The file breaks a limit or a rule checked before parsing."""

    def __init__(self, message: str, element: str | None = None) -> None:
        self.element = element
        self.reason = message
        super().__init__(message)


@dataclass
class SvgStats:
    elements: int = 0
    max_depth: int = 0
    path_segments: int = 0


def path_segments(d: str) -> int:
    """How many segments path data draws (implicit repeats counted), without validating it."""
    count = 0
    for letter, args in _COMMAND.findall(d):
        need = _ARGS[letter.lower()]
        count += max(1, len(_NUMBER.findall(args)) // need) if need else 1
    return count


def _number(text: str) -> float | None:
    m = _LENGTH.match(text)
    return float(m.group(1)) if m else None


def _label(tag: str, attrs: dict[str, str]) -> str:
    ident = attrs.get("id")
    return f"<{tag} id={ident!r}>" if ident else f"<{tag}>"


def _check_viewbox(attrs: dict[str, str]) -> None:
    text = attrs.get("viewBox")
    if text is None:
        raise SvgLimitError("the <svg> element has no viewBox")
    parts = text.replace(",", " ").split()
    values = [_number(p) for p in parts]
    if len(parts) != 4 or any(v is None for v in values):
        raise SvgLimitError(f"viewBox must be four numbers, got {text[:60]!r}")
    if not all(math.isfinite(v) for v in values if v is not None):
        raise SvgLimitError(f"viewBox numbers must be finite, got {text[:60]!r}")
    if not (values[2] or 0) > 0 or not (values[3] or 0) > 0:
        raise SvgLimitError(f"viewBox width and height must be above 0, got {text[:60]!r}")
    for key in ("width", "height"):
        if key in attrs:
            value = _number(attrs[key])
            if value is not None and not (math.isfinite(value) and value > 0):
                raise SvgLimitError(f"the <svg> element's {key} must be above 0, got {attrs[key][:30]!r}")


def _check_sizes(tag: str, attrs: dict[str, str]) -> None:
    for key in _SIZES.get(tag, ()):
        if key not in attrs:
            if tag == "ellipse":
                continue  # rx or ry alone is allowed (the other takes its value)
            raise SvgLimitError(f"needs a '{key}' above 0", _label(tag, attrs))
        value = _number(attrs[key])
        if value is None or not math.isfinite(value) or value <= 0:
            raise SvgLimitError(f"'{key}' must be a number above 0, got {attrs[key][:30]!r}", _label(tag, attrs))


def scan_svg(data: bytes) -> SvgStats:
    """Check ``data`` against the limits above; raise :class:`SvgLimitError` on the first fault."""
    stats = SvgStats()
    depth = 0
    parser = xml.parsers.expat.ParserCreate()

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal depth
        tag = name.rpartition(":")[2]
        depth += 1
        stats.elements += 1
        stats.max_depth = max(stats.max_depth, depth)
        if stats.elements == 1:
            if tag != "svg":
                raise SvgLimitError(f"the root element is <{tag}>, not <svg>")
            _check_viewbox(attrs)
        if stats.elements > MAX_ELEMENTS:
            raise SvgLimitError(f"more than {MAX_ELEMENTS:,} elements")
        if depth > MAX_DEPTH:
            raise SvgLimitError(f"elements nested more than {MAX_DEPTH} deep", _label(tag, attrs))
        if tag == "use":
            raise SvgLimitError(
                "<use> (a clone) is not allowed: draw the shape itself (Inkscape: Edit > Clone > Unlink Clone)",
                _label(tag, attrs),
            )
        _check_sizes(tag, attrs)
        if "d" in attrs:
            stats.path_segments += path_segments(attrs["d"])
        if "points" in attrs:
            stats.path_segments += len(_NUMBER.findall(attrs["points"])) // 2
        if stats.path_segments > MAX_PATH_SEGMENTS:
            raise SvgLimitError(f"more than {MAX_PATH_SEGMENTS:,} path segments", _label(tag, attrs))

    def end(_name: str) -> None:
        nonlocal depth
        depth -= 1

    def entity(name: str, *_rest: object) -> None:
        raise SvgLimitError(f"declares the XML entity '{name}': entities are not allowed")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.EntityDeclHandler = entity
    parser.UnparsedEntityDeclHandler = entity
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        raise SvgLimitError(f"malformed XML ({exc})") from None
    if stats.elements == 0:
        raise SvgLimitError("no <svg> element")
    return stats
