"""The ``nmt-bodymap`` argument parser, built from every subcommand module.

Kept apart from :mod:`nmt_bodymap.cli._common` so the import graph has no
cycle: this module imports the subcommands, and they import ``_common``.
"""

from __future__ import annotations

import argparse

from nmt_bodymap import __version__
from nmt_bodymap.cli import (
    atlas_cmd,
    backup_cmd,
    chart_cmd,
    clients_cmd,
    export_cmd,
    lookup_cmd,
    migrate_cmd,
    outbox_cmd,
    progress_cmd,
    visits_cmd,
)
from nmt_bodymap.cli._common import OneLineParser, missing_command


def build_parser() -> tuple[argparse.ArgumentParser, set[str]]:
    """The whole command's parser and the names of its subcommands."""
    parser = OneLineParser(
        prog="nmt-bodymap",
        description="Body chart, trigger point referral atlas and reverse lookup for neuromuscular therapists. "
        "Run without arguments (or with a .nmt session file) to open the app. "
        "Decision support for trained therapists, not a diagnosis.",
    )
    parser.add_argument("--version", action="version", version=f"nmt-bodymap {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)
    for module in (
        chart_cmd,
        atlas_cmd,
        lookup_cmd,
        export_cmd,
        clients_cmd,
        visits_cmd,
        progress_cmd,
        backup_cmd,
        migrate_cmd,
        outbox_cmd,
    ):
        module.register(sub)
    parser.set_defaults(run=lambda _args: missing_command(parser))
    return parser, set(sub.choices)
