"""Argument parsing shared by the subcommands, and output helpers."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from nmt_bodymap import __version__
from nmt_bodymap.atomic import replace_with


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
    if not parent.is_dir():
        raise CliError(f"cannot write '{text}': folder '{parent}' does not exist")
    if not os.access(parent, os.W_OK):
        raise CliError(f"cannot write '{text}': folder '{parent}' is not writable")
    if path.is_dir():
        raise CliError(f"cannot write '{text}': it is a folder")
    return path


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Write through a temporary file (see :mod:`nmt_bodymap.atomic`); failures become CliError."""
    try:
        replace_with(path, write)
    except OSError as exc:
        raise CliError(f"cannot write '{path}': {exc.strerror or exc}") from None


def positive_number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not value > 0 or value != value or value == float("inf"):
        raise argparse.ArgumentTypeError(f"'{text}' must be a positive number")
    return value


def build_parser() -> tuple[argparse.ArgumentParser, set[str]]:
    from importlib import import_module

    from nmt_bodymap.cli import atlas_cmd, chart_cmd, export_cmd, lookup_cmd

    parser = OneLineParser(
        prog="nmt-bodymap",
        description="Body chart, trigger point referral atlas and reverse lookup for neuromuscular therapists. "
        "Run without arguments (or with a .nmt session file) to open the app. "
        "Decision support for trained therapists, not a diagnosis.",
    )
    parser.add_argument("--version", action="version", version=f"nmt-bodymap {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)
    for module in (chart_cmd, atlas_cmd, lookup_cmd, export_cmd):
        module.register(sub)
    import_module("nmt_bodymap.cli.clients_cmd").register(sub)
    import_module("nmt_bodymap.cli.visits_cmd").register(sub)
    import_module("nmt_bodymap.cli.progress_cmd").register(sub)
    import_module("nmt_bodymap.cli.backup_cmd").register(sub)
    parser.set_defaults(run=lambda _args: missing_command(parser))
    return parser, set(sub.choices)


def missing_command(parser: argparse.ArgumentParser) -> int:
    """A command group called without its subcommand: show its help, exit status 2."""
    parser.print_help(sys.stderr)
    return 2
