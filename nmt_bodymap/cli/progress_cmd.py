"""``nmt-bodymap progress``: a client's progress over the visits, as a table, JSON or a plot."""

from __future__ import annotations

import argparse
import json

from nmt_bodymap.cli._common import output_path, write_atomically
from nmt_bodymap.cli._records import add_db_argument, find_client, opened


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "progress",
        help="a client's progress: pain extent, intensity, before/after pain, overlap",
        description="A client's progress figures per visit, oldest first (definitions in the README), "
        "or the progress plot as PDF (vector) or PNG.",
    )
    p.add_argument("client", metavar="CLIENT", help="the client's code or exact name")
    p.add_argument("--json", action="store_true", help='print {"client": {...}, "visits": [...]}')
    p.add_argument("-o", "--output", metavar="FILE.pdf|FILE.png", help="draw the progress plot")
    p.add_argument("--anonymize", action="store_true", help="leave the client's name off the plot (the code stays)")
    add_db_argument(p)
    p.set_defaults(run=run_progress)


def run_progress(args: argparse.Namespace) -> int:
    out = output_path(args.output, ("pdf", "png")) if args.output else None
    with opened(args, create=False) as store:
        client = find_client(store, args.client)
        client, visits = store.client_page(client.id)
    if out is not None:
        from nmt_bodymap.render.progress_plot import write_progress_plot

        title = client.code if args.anonymize or not client.name else f"{client.name} ({client.code})"
        write_atomically(out, lambda tmp: write_progress_plot(tmp, visits, title, out.suffix.lower().lstrip(".")))
    if args.json:
        doc = {"client": client.to_dict(), "visits": [v.progress_dict() for v in visits]}
        print(json.dumps(doc, indent=1, ensure_ascii=False))
    elif out is None:
        print(f"{client.code} {client.name}".strip())
        print("  date        extent %  weighted mm²  max  mean  before after  overlap")
        for v in visits:
            row = v.progress_dict()
            print(
                f"  {row['date']}  {row['extent_percent']:8.2f}  {row['weighted_area_mm2']:12.0f}  "
                f"{_n(row['max_intensity']):>3}  {_n(row['mean_intensity']):>4}  {_n(row['pain_before']):>6} "
                f"{_n(row['pain_after']):>5}  {_n(row['jaccard_previous']):>7}"
            )
    else:
        print(f"wrote {out}")
    return 0


def _n(value: object) -> str:
    return "-" if value is None else str(value)
