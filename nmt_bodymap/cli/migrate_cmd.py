"""``nmt-bodymap migrate``: make or upgrade a database's schema, or move a solo practice to the clinic server.

``migrate --to URL`` creates or upgrades the schema (run it as the
migration role: the application role may not change the schema).
``migrate --from FILE --to URL`` also copies every record of the SQLite
practice FILE into it and verifies the copy (see
:mod:`nmt_bodymap.store.transfer`); ``--merge`` adds them to a database that
already holds records. Each problem is one line on stderr, status 2.
"""

from __future__ import annotations

import argparse
import sys

from nmt_bodymap.cli._common import CliError
from nmt_bodymap.cli._records import store_errors


def register(sub: argparse._SubParsersAction) -> None:
    m = sub.add_parser(
        "migrate",
        help="create or upgrade a database's schema; copy a solo practice to the clinic server",
        description="Create or upgrade the schema of the database --to (as the migration role), and with --from "
        "copy every client, visit, earlier version and bin entry of a SQLite practice file into it, then verify "
        "the counts and a content hash of each visit. The source file is never changed. A target that already "
        "holds records is refused unless --merge (then no client code may be in both).",
    )
    m.add_argument("--from", dest="source", metavar="SQLITE_PATH", help="the solo practice's database file")
    m.add_argument("--to", dest="target", required=True, metavar="URL", help="postgresql://USER@HOST:PORT/DB")
    m.add_argument("--merge", action="store_true", help="add the records to a database that already holds others")
    m.add_argument(
        "--sslmode",
        choices=("disable", "allow", "prefer", "require", "verify-ca", "verify-full"),
        help="TLS to the server when the URL does not say (default: prefer)",
    )
    m.set_defaults(run=run_migrate)


def run_migrate(args: argparse.Namespace) -> int:
    from nmt_bodymap.store import open_store, resolve
    from nmt_bodymap.store.schema import HEAD_REVISION
    from nmt_bodymap.store.transfer import TransferRefused, copy_practice

    with store_errors():
        target = resolve(args.target, sslmode=args.sslmode)
    if args.source is None:
        if args.merge:
            raise CliError("--merge goes with --from")
        with store_errors(), open_store(target):
            pass
        print(f"{target.label}: schema {HEAD_REVISION}, ready")
        return 0
    try:
        with store_errors():
            report = copy_practice(args.source, target, merge=args.merge)
    except CliError as exc:
        refused = exc.__context__
        if isinstance(refused, TransferRefused):
            for line in refused.problems:
                print(f"nmt-bodymap: error: {line}", file=sys.stderr)
            return 2
        raise
    print(
        f"copied {report.clients} client(s) ({report.clients_in_bin} in the bin), {report.visits} visit(s) "
        f"({report.visits_in_bin} in the bin) and {report.versions} earlier version(s) to {report.target}"
        f"{' (merged; new ids)' if report.merged else ''}; verified: counts, and a content hash for each of "
        f"the {report.verified_hashes} visit(s)"
    )
    return 0
