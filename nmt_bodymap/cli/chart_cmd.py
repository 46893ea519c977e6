"""``nmt-bodymap chart``: the body chart's landmarks and pictures of its views."""

from __future__ import annotations

import argparse
import json

from nmt_bodymap.chart import VIEWS, ChartError, load_chart, load_view
from nmt_bodymap.cli._common import CliError, missing_command, output_path, positive_number, write_png


def register(sub: argparse._SubParsersAction) -> None:
    chart = sub.add_parser("chart", help="the body chart: landmarks and view pictures")
    chart_sub = chart.add_subparsers(dest="chart_command", metavar="SUBCOMMAND", parser_class=type(chart))
    chart.set_defaults(run=lambda _a: missing_command(chart))

    lm = chart_sub.add_parser("landmarks", help="every landmark with its side, view and position (mm)")
    lm.add_argument("--json", action="store_true", help="print JSON instead of a table")
    lm.set_defaults(run=run_landmarks)

    render = chart_sub.add_parser("render", help="draw a view to PNG for review")
    render.add_argument("--view", required=True, help=f"one of: {', '.join(VIEWS)}")
    render.add_argument("-o", "--output", required=True, metavar="FILE.png", help="the picture to write")
    render.add_argument("--regions", action="store_true", help="colour and name the anatomical regions")
    render.add_argument("--landmarks", action="store_true", help="mark and name the landmarks")
    render.add_argument(
        "--dpi", type=positive_number, default=150.0, help="resolution; the view is drawn 250 mm tall (default 150)"
    )
    render.set_defaults(run=run_render)


def run_landmarks(args: argparse.Namespace) -> int:
    rows = [
        {"id": lm.id, "side": lm.side, "view": lm.view, "x": lm.x, "y": lm.y} for lm in load_chart().all_landmarks()
    ]
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0
    print(f"{'landmark':28} {'side':8} {'view':14} {'x mm':>8} {'y mm':>8}")
    for r in rows:
        print(f"{r['id']:28} {r['side']:8} {r['view']:14} {r['x']:8.1f} {r['y']:8.1f}")
    print(f"{len(rows)} landmark positions in {len(VIEWS)} views")
    return 0


def run_render(args: argparse.Namespace) -> int:
    try:
        view = load_view(args.view)
    except ChartError as exc:
        raise CliError(str(exc)) from None
    out = output_path(args.output, ("png",))
    if args.dpi > 1200:
        raise CliError(f"--dpi {args.dpi:g} is too high (at most 1200)")
    from nmt_bodymap.render.chart_picture import render_view
    from nmt_bodymap.render.qt import ensure_gui_app

    ensure_gui_app()
    image = render_view(view, dpi=args.dpi, regions=args.regions, landmarks=args.landmarks)
    write_png(out, image)
    return 0
