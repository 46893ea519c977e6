"""``nmt-bodymap export``: the annotated chart, the session report, the home-care handout.

With ``--client CLIENT`` (and ``--db``), the report gains the client's
progress page and the handout the plain words on how the pain has changed:
the client's stored visits dated before the session, then the session
itself. Without ``--client`` the practice database is not opened.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from nmt_bodymap.cli._common import CliError, output_path, positive_number, write_atomically
from nmt_bodymap.cli._records import add_db_argument, find_client, opened
from nmt_bodymap.report import DEFAULT_VIEWS, ReportError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export",
        help="export a session: annotated chart, report or home-care handout",
        description="Export a session file as the annotated chart (default), the session report "
        "(--report) or the client's home-care handout (--handout), to PNG, SVG or PDF.",
    )
    p.add_argument("session", metavar="SESSION.nmt", help="the session file")
    p.add_argument("-o", "--output", required=True, metavar="OUT.{png,svg,pdf}", help="the file to write")
    p.add_argument(
        "--views",
        default=",".join(DEFAULT_VIEWS),
        metavar="VIEW,VIEW",
        help="views to show, comma-separated (default anterior,posterior)",
    )
    p.add_argument("--dpi", type=positive_number, default=300.0, help="resolution for PNG (default 300)")
    kind = p.add_mutually_exclusive_group()
    kind.add_argument("--report", action="store_true", help="the session report (chart, candidates, assessment, notes)")
    kind.add_argument("--handout", action="store_true", help="the client's home-care handout")
    p.add_argument("--anonymize", action="store_true", help="leave the client's name out (the code stays)")
    p.add_argument("--zones", type=int, default=0, metavar="N", help="also draw the top N candidates' zones")
    p.add_argument("--practice", metavar="NAME", help="practice name for the title block (default: the app's setting)")
    p.add_argument(
        "--client",
        metavar="CLIENT",
        help="with --report or --handout: the client (code or exact name) whose earlier visits in the "
        "practice database give the progress page and the handout's progress words",
    )
    add_db_argument(p)
    p.set_defaults(run=run_export)


def run_export(args: argparse.Namespace) -> int:
    from nmt_bodymap.session import SessionError, load

    source = Path(args.session)
    if not source.is_file():
        raise CliError(f"no such session file: '{args.session}'")
    out = output_path(args.output, ("png", "svg", "pdf"))
    if out.resolve() == source.resolve():
        raise CliError("the output would overwrite the session file")
    if args.dpi > 1200:
        raise CliError(f"--dpi {args.dpi:g} is too high (at most 1200)")
    if not 0 <= args.zones <= 10:
        raise CliError("--zones must be between 0 and 10")
    if args.client is not None and not (args.report or args.handout):
        raise CliError("--client adds the client's progress to --report or --handout, not to the chart")
    if args.db is not None and args.client is None:
        raise CliError("--db is read only with --client CLIENT")
    views = [v.strip() for v in args.views.split(",") if v.strip()]
    try:
        session = load(source)
    except SessionError as exc:
        raise CliError(str(exc)) from None
    from nmt_bodymap.atlas import shipped_atlas
    from nmt_bodymap.cli.visit_reports import report_document, session_history
    from nmt_bodymap.render.export import ExportError, write
    from nmt_bodymap.render.qt import ensure_gui_app, practice_name

    history = None
    if args.client is not None:
        with opened(args, create=False) as store:
            history = session_history(store, find_client(store, args.client), session)
    ensure_gui_app()
    kind = "report" if args.report else "handout" if args.handout else "chart"
    practice = args.practice if args.practice is not None else practice_name()
    try:
        doc = report_document(
            session,
            shipped_atlas(),
            kind,
            views,
            anonymize=args.anonymize,
            practice=practice,
            zones=args.zones,
            history=history,
        )
    except ReportError as exc:
        raise CliError(str(exc)) from None

    def produce(tmp: Path) -> None:
        try:
            write(doc, tmp, args.dpi)
        except ExportError as exc:
            raise CliError(str(exc)) from None

    write_atomically(out, produce)
    progress = f", {len(history)} visits" if history is not None and len(history) > 1 else ""
    print(f"wrote {out} ({kind}{progress})")
    return 0
