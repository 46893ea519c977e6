"""``nmt-bodymap outbox``: the saves kept on this computer for the clinic server, and those it refused.

``list`` shows every queued save of the database (waiting, refused with the
server's reason, or damaged); ``export ID FILE`` writes one as a ``.nmt``
session file (never over an existing file); ``discard ID --yes`` drops it
(with the edits queued after it); ``retry`` sends the queue now. Listing,
exporting and discarding need no connection: the outbox is on this
computer (:mod:`nmt_bodymap.store.refused`).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from nmt_bodymap.cli._common import CliError, missing_command
from nmt_bodymap.cli._records import add_db_argument, opened, store_errors

if TYPE_CHECKING:
    from nmt_bodymap.store import Outbox
    from nmt_bodymap.store.refused import OutboxItem


def register(sub: argparse._SubParsersAction) -> None:
    outbox = sub.add_parser("outbox", help="saves kept on this computer for the server: list, export, discard, retry")
    outbox_sub = outbox.add_subparsers(dest="outbox_command", metavar="SUBCOMMAND", parser_class=type(outbox))
    outbox.set_defaults(run=lambda _a: missing_command(outbox))

    lst = outbox_sub.add_parser("list", help="the saves waiting, refused by the server, or damaged")
    lst.add_argument("--json", action="store_true", help='print {"saves": [...]}')
    add_db_argument(lst)
    lst.set_defaults(run=run_list)

    exp = outbox_sub.add_parser("export", help="write a queued save as a session file (never over an existing one)")
    exp.add_argument("save_id", metavar="ID", help="the save's id (or its first characters, at least 4)")
    exp.add_argument("file", metavar="FILE.nmt", help="a new session file")
    add_db_argument(exp)
    exp.set_defaults(run=run_export)

    dis = outbox_sub.add_parser("discard", help="drop a queued save and the edits queued after it, for good")
    dis.add_argument("save_id", metavar="ID", help="the save's id (or its first characters, at least 4)")
    dis.add_argument("--yes", action="store_true", help="really discard it (export it first to keep a copy)")
    add_db_argument(dis)
    dis.set_defaults(run=run_discard)

    retry = outbox_sub.add_parser("retry", help="send the queued saves to the server now")
    add_db_argument(retry)
    retry.set_defaults(run=run_retry)


def _outbox(args: argparse.Namespace) -> Outbox:
    from nmt_bodymap.store import Outbox, resolve

    with store_errors():
        return Outbox.for_database(resolve(args.db))


def _state(item: OutboxItem) -> str:
    if item.damaged:
        return "damaged"
    if item.refusal is not None:
        return "refused"
    return "waiting"


def run_list(args: argparse.Namespace) -> int:
    from nmt_bodymap.store.refused import outbox_items

    items = outbox_items(_outbox(args))
    if args.json:
        rows = [
            {
                "save_id": item.save_id,
                "state": _state(item),
                "client_code": item.client_code,
                "visit_date": item.visit_date,
                "queued_at": item.queued_at,
                "reason": item.reason,
                "later_edits": len(item.later),
                "file": str(item.path),
            }
            for item in items
        ]
        print(json.dumps({"saves": rows}, indent=1, ensure_ascii=False))
        return 0
    for item in items:
        line = f"{item.save_id}  {_state(item):8} {item.client_code:10} {item.visit_date:10}  queued {item.queued_at}"
        if item.damaged:
            line += f"  file {item.path.name} is damaged: {item.reason}"
        elif item.reason:
            line += f"  refused: {item.reason}"
        print(line.rstrip())
    refused = sum(1 for item in items if item.refusal is not None or item.damaged)
    print(f"{len(items)} queued save(s), {refused} refused or damaged")
    return 0


def run_export(args: argparse.Namespace) -> int:
    from nmt_bodymap.session import SUFFIX
    from nmt_bodymap.store.refused import find, write_copy

    path = Path(args.file).expanduser()
    if path.suffix.lower() != SUFFIX:
        raise CliError(f"cannot write '{args.file}': a session file ends in {SUFFIX}")
    if not path.parent.is_dir():
        raise CliError(f"cannot write '{args.file}': folder '{path.parent}' does not exist")
    with store_errors():
        item = find(_outbox(args), args.save_id)
        if item.damaged:
            raise CliError(f"queued save {item.save_id}: the file {item.path} is damaged ({item.reason}); discard it")
        write_copy(item, path)
    print(f"wrote {path}")
    return 0


def run_discard(args: argparse.Namespace) -> int:
    from nmt_bodymap.store.refused import discard, find

    outbox = _outbox(args)
    with store_errors():
        item = find(outbox, args.save_id)
    if not args.yes:
        raise CliError(
            f"discarding removes queued save {item.save_id} for good: export it first "
            f"(nmt-bodymap outbox export {item.save_id} FILE.nmt), then add --yes"
        )
    dropped = discard(outbox, item)
    print(f"discarded {len(dropped)} queued save(s): {' '.join(dropped)}")
    return 0


def run_retry(args: argparse.Namespace) -> int:
    from nmt_bodymap.store import flush_outbox

    with opened(args, create=False) as store, store_errors():
        report = flush_outbox(store)
    if report.unreachable is not None:
        raise CliError(f"{report.unreachable}; {report.pending} save(s) still waiting")
    if report.busy:
        raise CliError("the app is sending these saves right now: try again in a moment")
    print(
        f"delivered {len(report.delivered)}, conflicts {len(report.conflicts)} (resolve them in the app), "
        f"refused {len(report.failed)}, left {report.pending}"
    )
    for entry, error in report.failed:
        print(f"  refused {entry.save_id}: {error}")
    return 0
