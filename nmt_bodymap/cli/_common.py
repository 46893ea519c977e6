"""Argument parsing shared by the subcommands, and output helpers.

Output files are checked before any work is done, written atomically, and
never written over a session file: only ``--save-session`` with
``--force`` replaces a session, and only one the app wrote.

The parser of the whole command is built in :mod:`nmt_bodymap.cli.parser`,
which imports the subcommand modules; they import this module, never that one.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from nmt_bodymap.atomic import replace_with
from nmt_bodymap.session import Session, SessionError, is_session_file, save

if TYPE_CHECKING:
    from PySide6.QtGui import QImage


class CliError(Exception):
    """A user error: printed as one line, exit status 2."""


class OneLineParser(argparse.ArgumentParser):
    """argparse that reports a bad argument in one line (exit status 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def output_path(text: str, allowed: tuple[str, ...]) -> Path:
    """Check an output file name before any work is done."""
    path = Path(text).expanduser()
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in allowed:
        wanted = ", ".join(f".{s}" for s in allowed)
        raise CliError(f"cannot write '{text}': unknown format '{path.suffix or '(none)'}' (use {wanted})")
    parent = path.parent if str(path.parent) else Path(".")
    try:
        if not parent.is_dir():
            raise CliError(f"cannot write '{text}': folder '{parent}' does not exist")
        if not os.access(parent, os.W_OK):
            raise CliError(f"cannot write '{text}': folder '{parent}' is not writable")
        if path.is_dir():
            raise CliError(f"cannot write '{text}': it is a folder")
        if "nmt" not in allowed and os.path.lexists(path) and is_session_file(path):
            raise CliError(f"will not write '{text}': it is a session file")
    except OSError as exc:
        raise CliError(f"cannot write '{text}': {exc.strerror or exc}") from None
    return path


def session_output_path(text: str, force: bool) -> Path:
    """Where ``--save-session`` may write: a new file, or with ``force`` a session file the app wrote."""
    path = output_path(text, ("nmt",))
    if os.path.lexists(path):
        if not is_session_file(path):
            raise CliError(f"will not replace '{text}': it is not an nmt-bodymap session file")
        if not force:
            raise CliError(f"'{text}' already exists; add --force to replace it")
    return path


def save_session_file(session: Session, path: Path) -> None:
    """Save a session made by a command; failures become CliError."""
    try:
        save(session, path)
    except SessionError as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"cannot write '{path}': {exc.strerror or exc}") from None


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Write through a temporary file (see :mod:`nmt_bodymap.atomic`); failures become CliError."""
    try:
        replace_with(path, write)
    except OSError as exc:
        raise CliError(f"cannot write '{path}': {exc.strerror or exc}") from None


def write_png(out: Path, image: QImage) -> None:
    """Write a picture a command drew (atomically) and say so."""

    def save(tmp: Path) -> None:
        if not image.save(str(tmp), "PNG"):  # type: ignore[call-overload]  # the stubs say bytes; PySide6 wants str
            raise CliError(f"cannot write '{out}': Qt could not encode the PNG")

    write_atomically(out, save)
    print(f"wrote {out} ({image.width()}x{image.height()} px)")


def show_atlas_entry(
    args: argparse.Namespace,
    as_json: Callable[[], dict],
    as_text: Callable[[], str],
    draw: Callable[[float], QImage],
) -> int:
    """``atlas show ID``: the entry's text, its whole record (``--json``) or its sheet (``-o FILE.png``)."""
    if args.json:
        if args.output:
            raise CliError("give either --json or -o, not both")
        print(json.dumps(as_json(), indent=1, ensure_ascii=False))
        return 0
    if not args.output:
        print(as_text())
        return 0
    out = output_path(args.output, ("png",))
    if args.dpi > 600:
        raise CliError(f"--dpi {args.dpi:g} is too high (at most 600)")
    from nmt_bodymap.render.qt import ensure_gui_app

    ensure_gui_app()
    write_png(out, draw(args.dpi))
    return 0


def positive_number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not value > 0 or value != value or value == float("inf"):
        raise argparse.ArgumentTypeError(f"'{text}' must be a positive number")
    return value


def missing_command(parser: argparse.ArgumentParser) -> int:
    """A command group called without its subcommand: show its help, exit status 2."""
    parser.print_help(sys.stderr)
    return 2
