"""``nmt-bodymap visits``: import session files into a client's record, list a client's visits."""

from __future__ import annotations

import argparse
import json

from nmt_bodymap.cli._common import missing_command
from nmt_bodymap.cli._records import add_db_argument, find_client, iso_date, opened


def register(sub: argparse._SubParsersAction) -> None:
    visits = sub.add_parser("visits", help="a client's visits: import .nmt files, list")
    visits_sub = visits.add_subparsers(dest="visits_command", metavar="SUBCOMMAND", parser_class=type(visits))
    visits.set_defaults(run=lambda _a: missing_command(visits))

    imp = visits_sub.add_parser(
        "import",
        help="import session files as visits (all or none)",
        description="Import .nmt session files as visits. Without --client each file goes to the client whose "
        "code, else exact name, matches the session's. One damaged or unmatched file and nothing is imported.",
    )
    imp.add_argument("files", nargs="+", metavar="FILE.nmt", help="session files")
    imp.add_argument("--client", metavar="CLIENT", help="the client's code or exact name")
    imp.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD", help="the visit date (overrides the sessions')")
    add_db_argument(imp)
    imp.set_defaults(run=run_import)

    lst = visits_sub.add_parser("list", help="a client's visits, oldest first, with their progress figures")
    lst.add_argument("client", metavar="CLIENT", help="the client's code or exact name")
    lst.add_argument("--json", action="store_true", help='print {"client": {...}, "visits": [...]}')
    add_db_argument(lst)
    lst.set_defaults(run=run_list)


def run_import(args: argparse.Namespace) -> int:
    with opened(args, create=False, backup_first=True) as store:
        client_id = find_client(store, args.client).id if args.client else None
        added = store.import_files(args.files, client_id=client_id, date=args.date)
    print(f"imported {len(added)} visit(s)")
    return 0


def run_list(args: argparse.Namespace) -> int:
    with opened(args, create=False) as store:
        client = find_client(store, args.client)
        client, visits = store.client_page(client.id)
    if args.json:
        doc = {"client": client.to_dict(), "visits": [v.to_dict() for v in visits]}
        print(json.dumps(doc, indent=1, ensure_ascii=False))
        return 0
    print(f"{client.code} {client.name}".strip())
    for v in visits:
        pain = f"{_n(v.pain_before)}→{_n(v.pain_after)}"
        state = "closed" if v.closed else "open"
        print(
            f"  #{v.id:<5} {v.date.isoformat()}  {state:6} extent {v.extent_percent:6.2f} %  "
            f"max {_n(v.max_intensity):>2}  pain {pain:5}  {v.therapist}"
        )
    print(f"{len(visits)} visit(s)")
    return 0


def _n(value: int | None) -> str:
    return "-" if value is None else str(value)
