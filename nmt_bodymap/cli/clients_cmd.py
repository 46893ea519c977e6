"""``nmt-bodymap clients``: list, add, export and erase client records.

The helpers every records command shares (``--db``, opening the store,
finding a client) are :mod:`nmt_bodymap.cli._records`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from nmt_bodymap.cli._common import CliError, missing_command
from nmt_bodymap.cli._records import add_db_argument, find_client, iso_date, opened, store_errors


def register(sub: argparse._SubParsersAction) -> None:
    clients = sub.add_parser("clients", help="client records: list, add, export, erase")
    clients_sub = clients.add_subparsers(dest="clients_command", metavar="SUBCOMMAND", parser_class=type(clients))
    clients.set_defaults(run=lambda _a: missing_command(clients))

    lst = clients_sub.add_parser("list", help="every client with their number of visits and last visit")
    lst.add_argument("--search", metavar="TEXT", default="", help="only clients whose name or code contains TEXT")
    lst.add_argument("--json", action="store_true", help="print JSON")
    add_db_argument(lst)
    lst.set_defaults(run=run_list)

    add = clients_sub.add_parser("add", help="add a client")
    add.add_argument("--code", required=True, help="the client's code, unique in the practice (e.g. C-017)")
    add.add_argument("--name", default="", help="the client's name (optional: a code alone keeps them anonymous)")
    add.add_argument("--birth-date", type=iso_date, metavar="YYYY-MM-DD", help="date of birth (optional)")
    add.add_argument("--contact", default="", help="phone or e-mail (optional)")
    add.add_argument("--json", action="store_true", help="print the new client as JSON")
    add_db_argument(add)
    add.set_defaults(run=run_add)

    export = clients_sub.add_parser(
        "export",
        help="write everything about one client to a new folder",
        description="Write a client's whole record (record.json, and each visit's .nmt and report PDF) to a "
        "new folder. The folder holds health information: add --yes to confirm.",
    )
    export.add_argument("client", metavar="CLIENT", help="the client's code or exact name")
    export.add_argument("-o", "--output", required=True, metavar="DIR", help="a new (or empty) folder")
    export.add_argument("--yes", action="store_true", help="confirm writing the client's health record")
    add_db_argument(export)
    export.set_defaults(run=run_export)

    erase = clients_sub.add_parser(
        "erase",
        help="erase a client completely (no undo)",
        description="Erase a client and every visit, earlier version and bin entry of theirs from the database. "
        "Backups made before keep them. There is no undo: add --yes to confirm.",
    )
    erase.add_argument("client", metavar="CLIENT", help="the client's code or exact name")
    erase.add_argument("--yes", action="store_true", help="confirm: erase for good")
    add_db_argument(erase)
    erase.set_defaults(run=run_erase)


def run_list(args: argparse.Namespace) -> int:
    with opened(args, create=False) as store:
        found = store.clients(args.search)
    if args.json:
        print(json.dumps({"clients": [c.to_dict() for c in found]}, indent=1, ensure_ascii=False))
        return 0
    for c in found:
        last = c.last_visit.isoformat() if c.last_visit else "-"
        print(f"{c.code:12} {c.name:32} {c.visit_count:4} visit(s)  last {last}")
    print(f"{len(found)} client(s)")
    return 0


def run_add(args: argparse.Namespace) -> int:
    with opened(args, create=True, backup_first=True) as store:
        client = store.add_client(args.code, args.name, birth_date=args.birth_date, contact=args.contact)
    if args.json:
        print(json.dumps(client.to_dict(), indent=1, ensure_ascii=False))
    else:
        print(f"added client {client.code}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    if not args.yes:
        raise CliError("exporting writes the client's whole health record to a folder: add --yes to confirm")
    folder = Path(args.output).expanduser()
    from nmt_bodymap.cli.visit_reports import report_hook
    from nmt_bodymap.render.qt import ensure_gui_app, practice_name

    ensure_gui_app()  # the reports' painting needs it before the settings are read
    with opened(args, create=False) as store:
        client = find_client(store, args.client, include_bin=True)
        with store_errors():
            store.export_client(client.id, folder, visit_hook=report_hook(practice_name()))
    print(f"exported client {client.code} to {folder}")
    return 0


def run_erase(args: argparse.Namespace) -> int:
    if not args.yes:
        raise CliError("erasing removes the client and all their visits for good: add --yes to confirm")
    with opened(args, create=False) as store:  # no backup first: it would keep what is being erased
        client = find_client(store, args.client, include_bin=True)
        erased = store.erase_client(client.id)
    print(f"erased client {client.code} and {erased} visit(s); backups made earlier still hold them")
    return 0
