"""The ``nmt-bodymap`` command.

With no arguments, or with a session file, it opens the desktop app; the
subcommands work headless. A bad argument prints one line and exits with
status 2; a command that finds problems (``atlas check``) exits with 1.
"""

from __future__ import annotations

import sys

from nmt_bodymap.cli._common import CliError
from nmt_bodymap.cli.parser import build_parser


def main(argv: list[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser, commands = build_parser()
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


def _open_app(args_list: list[str]) -> int:
    if len(args_list) > 1:
        print("nmt-bodymap: error: give at most one session file to open", file=sys.stderr)
        return 2
    from nmt_bodymap.ui.app import run_app

    return run_app(args_list[0] if args_list else None)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
