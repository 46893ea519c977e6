"""``nmt-bodymap export``: the annotated chart, the session report, the home-care handout."""

from __future__ import annotations

import argparse
from pathlib import Path

from nmt_bodymap.cli._common import CliError, output_path, positive_number, write_atomically
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
    views = [v.strip() for v in args.views.split(",") if v.strip()]
    try:
        session = load(source)
    except SessionError as exc:
        raise CliError(str(exc)) from None
    from nmt_bodymap.atlas import shipped_atlas
    from nmt_bodymap.chart import load_chart
    from nmt_bodymap.lookup import LookupEngine
    from nmt_bodymap.render.export import ExportError, write
    from nmt_bodymap.render.qt import ensure_gui_app, practice_name
    from nmt_bodymap.report import plan

    ensure_gui_app()
    atlas = shipped_atlas()
    result = LookupEngine(atlas, load_chart()).rank(session.marks, session.findings)
    kind = "report" if args.report else "handout" if args.handout else "chart"
    practice = args.practice if args.practice is not None else practice_name()
    try:
        doc = plan(
            session, atlas, result, kind, views, anonymize=args.anonymize, practice=practice, show_zones=args.zones
        )
    except ReportError as exc:
        raise CliError(str(exc)) from None

    def produce(tmp: Path) -> None:
        try:
            write(doc, tmp, args.dpi)
        except ExportError as exc:
            raise CliError(str(exc)) from None

    write_atomically(out, produce)
    print(f"wrote {out} ({kind})")
    return 0
