"""The ``nmt-bodymap`` command.

With no arguments, or with a session file, it opens the desktop app
(``--db PATH_OR_URL`` first chooses its practice database, as
``NMT_BODYMAP_DB`` does); the subcommands work headless. A bad argument,
or a file that cannot be read or written, prints one line and exits with
status 2 (never a traceback); a command that finds problems (``atlas
check``) exits with 1. Without a display the app is not started: one line
says what to do, status 1.
"""

from __future__ import annotations

import os
import sys

from nmt_bodymap.cli._common import CliError
from nmt_bodymap.cli.parser import build_parser


def main(argv: list[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser, commands = build_parser()
    if args_list and (args_list[0] == "--db" or args_list[0].startswith("--db=")):
        return _open_app_on(args_list, commands)
    if not args_list or (args_list[0] not in commands and not args_list[0].startswith("-")):
        return _open_app(args_list)
    args = parser.parse_args(args_list)
    try:
        return int(args.run(args) or 0)
    except CliError as exc:
        print(f"nmt-bodymap: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:  # a user's path that cannot be read or written, wherever it surfaced
        print(f"nmt-bodymap: error: {os_error_line(exc)}", file=sys.stderr)
        return 2


def os_error_line(exc: OSError) -> str:
    """An OSError in one line: the file and what went wrong."""
    what = exc.strerror or str(exc) or type(exc).__name__
    if exc.filename is not None:
        return f"'{os.fsdecode(exc.filename)}': {what}"
    return what


def no_display_reason() -> str | None:
    """Why the app cannot open a window here, or None (Linux and other X11/Wayland systems only)."""
    if sys.platform in ("win32", "darwin"):
        return None
    if any(os.environ.get(v) for v in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")):
        return None
    return (
        "no display found (DISPLAY and WAYLAND_DISPLAY are not set): start it from a desktop session, "
        "or on a machine without a screen install the Qt libraries listed in the README "
        "(Headless Linux) and run: xvfb-run nmt-bodymap"
    )


def _open_app_on(args_list: list[str], commands: set[str]) -> int:
    """``nmt-bodymap --db PATH_OR_URL [FILE]``: the app on that database (it wins over the app's setting)."""
    first = args_list[0]
    value = first.split("=", 1)[1] if first.startswith("--db=") else (args_list[1] if len(args_list) > 1 else "")
    rest = args_list[1:] if first.startswith("--db=") else args_list[2:]
    if not value:
        print("nmt-bodymap: error: --db needs a database path or URL", file=sys.stderr)
        return 2
    if rest and rest[0] in commands:
        print(f"nmt-bodymap: error: give --db after the command: nmt-bodymap {rest[0]} ... --db PATH", file=sys.stderr)
        return 2
    os.environ["NMT_BODYMAP_DB"] = value
    return _open_app(rest)


def _open_app(args_list: list[str]) -> int:
    if len(args_list) > 1:
        print("nmt-bodymap: error: give at most one session file to open", file=sys.stderr)
        return 2
    reason = no_display_reason()
    if reason is not None:
        print(f"nmt-bodymap: {reason}", file=sys.stderr)
        return 1
    from nmt_bodymap.ui.app import run_app

    return run_app(args_list[0] if args_list else None)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
