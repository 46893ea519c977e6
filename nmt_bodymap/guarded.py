"""Read files the app does not control: within limits, never hanging, never crashing.

Atlas files (shipped or the user's own), chart SVGs and cache entries pass
through here before any parser sees them:

* :func:`read_limited` reads only a regular file (a symlink to one is fine),
  no bigger than a limit. It looks at the file type before opening and opens
  non-blocking, so ``/dev/zero``, a FIFO, a socket or a device is refused at
  once instead of filling memory or blocking forever.
* :func:`parse_toml` parses TOML and turns every failure of :mod:`tomli`
  (malformed text, nesting deep enough to exhaust the stack, integers too
  long to convert) into one :class:`BadFile`.
* :func:`shown` prints a value from such a file in a message, safely.

SVG files are parsed by :func:`nmt_bodymap.svgdoc.read_svg`, which uses
:func:`read_limited` and adds its own element and path counts.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import tomli

#: Largest TOML file read (the biggest shipped muscle text is under 8 KB).
MAX_TOML_BYTES = 256 * 1024
#: Largest SVG file read (the biggest shipped drawing is under 100 KB).
MAX_SVG_BYTES = 2 * 1024 * 1024

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


class BadFile(ValueError):
    """A file that cannot be read or parsed safely; the message names the file and the fault."""

    def __init__(self, source: str, reason: str, element: str | None = None) -> None:
        self.source = source
        self.reason = reason
        self.element = element
        where = f"{source}: {element}: " if element else f"{source}: "
        super().__init__(where + reason)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:g} MB"
    return f"{n / 1024:g} KB" if n >= 1024 else f"{n} bytes"


def read_limited(path: Path | str, max_bytes: int, label: str | None = None) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``; :class:`BadFile` otherwise."""
    source = label or str(path)
    try:
        info = os.stat(path)  # follows symlinks: a link to a regular file is fine
    except OSError as exc:
        raise BadFile(source, f"cannot read ({exc.strerror or exc})") from None
    if not stat.S_ISREG(info.st_mode):
        raise BadFile(source, f"is {_kind(info.st_mode)}, not a regular file")
    if info.st_size > max_bytes:
        raise BadFile(source, f"is {info.st_size:,} bytes, over the limit of {_size(max_bytes)} for this file")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise BadFile(source, f"cannot read ({exc.strerror or exc})") from None
    try:
        # the file may have been swapped between stat and open: check what was opened
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise BadFile(source, f"is {_kind(info.st_mode)}, not a regular file")
        chunks: list[bytes] = []
        left = max_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise BadFile(source, f"cannot read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > max_bytes:
        raise BadFile(source, f"grew past {_size(max_bytes)} while being read")
    return data


def parse_toml(data: bytes, source: str) -> dict[str, Any]:
    """Parse TOML text; every fault of the text is one :class:`BadFile`."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadFile(source, f"not UTF-8 text (byte {exc.start})") from None
    try:
        return tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        raise BadFile(source, f"malformed TOML ({exc})") from None
    except RecursionError:
        raise BadFile(source, "malformed TOML (arrays or tables nested too deeply)") from None
    except ValueError as exc:  # e.g. an integer of thousands of digits
        raise BadFile(source, f"malformed TOML ({_first_line(exc)})") from None
    except MemoryError:
        raise BadFile(source, "malformed TOML (too big to parse)") from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).splitlines()
    return text[0][:200] if text else type(exc).__name__


def shown(value: object, limit: int = 60) -> str:
    """``repr(value)`` for a message: cut to ``limit`` characters, never raising.

    A value read from a hostile file may be too long to print usefully, too
    deeply nested to repr, or an integer too long to convert to text.
    """
    try:
        text = repr(value)
    except (ValueError, RecursionError, MemoryError):
        text = f"<{type(value).__name__} too large to show>"
    return text if len(text) <= limit else text[: limit - 1] + "…"
