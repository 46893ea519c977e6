"""``nmt-bodymap lookup``: rank trigger points for pain placed on landmarks."""

from __future__ import annotations

import argparse
import json
import re
import textwrap
from dataclasses import dataclass

from nmt_bodymap.chart import VIEWS, Chart, load_chart
from nmt_bodymap.chart_landmarks import LANDMARKS
from nmt_bodymap.cli._common import CliError, positive_number, save_session_file, session_output_path
from nmt_bodymap.lookup.result import Candidate, EntrapmentCandidate, LookupResult, NerveCandidate
from nmt_bodymap.session import DEFAULT_RADIUS_MM, QUALITIES, Session, SessionError, disc_mark

_AT = re.compile(
    r"^(?P<lm>[a-z0-9-]+)(?::(?P<side>[a-z]+))?(?:@(?P<view>[a-z-]+))?"
    r"(?:/(?P<quality>[a-z]*)(?:/(?P<intensity>[^/]*))?)?$"
)
AT_SYNTAX = "LANDMARK[:SIDE][@VIEW][/QUALITY[/INTENSITY]]"


@dataclass(frozen=True)
class At:
    landmark: str
    side: str | None
    view: str | None
    quality: str | None = None  # None: the --quality default
    intensity: int | None = None  # None: the --intensity default


def parse_at(text: str) -> At:
    m = _AT.match(text.strip())
    if not m:
        raise CliError(f"--at '{text}': expected {AT_SYNTAX}, e.g. lateral-epicondyle:right or temple:left/sharp/7")
    lid, side, view = m.group("lm"), m.group("side"), m.group("view")
    quality, intensity = m.group("quality") or None, m.group("intensity")  # an empty quality: the default
    info = LANDMARKS.get(lid)
    if info is None:
        raise CliError(f"--at '{text}': unknown landmark '{lid}' (see: nmt-bodymap chart landmarks)")
    if info.midline and side:
        raise CliError(f"--at '{text}': '{lid}' is on the midline and takes no side")
    if not info.midline and side is None:
        raise CliError(f"--at '{text}': '{lid}' is sided: write {lid}:left or {lid}:right")
    if side is not None and side not in ("left", "right"):
        raise CliError(f"--at '{text}': side must be left or right, not '{side}'")
    if view is not None and view not in VIEWS:
        raise CliError(f"--at '{text}': unknown view '{view}' (views: {', '.join(VIEWS)})")
    if quality is not None and quality not in QUALITIES:
        raise CliError(f"--at '{text}': unknown quality '{quality}' (qualities: {', '.join(QUALITIES)})")
    level: int | None = None
    if intensity is not None:
        if not intensity.isdigit() or not 0 <= int(intensity) <= 10:
            raise CliError(f"--at '{text}': intensity must be a whole number from 0 to 10, not '{intensity}'")
        level = int(intensity)
    return At(lid, side, view, quality, level)


def place(chart: Chart, ats: list[At], radius: float, quality: str, intensity: int) -> Session:
    """A session with a disc on each landmark (in every view that shows it, unless a view is named).

    ``quality`` and ``intensity`` apply to the discs whose ``--at`` names none.
    """
    session = Session()
    for at in ats:
        positions = chart.landmark_positions(at.landmark, at.side)
        if at.view is not None:
            if at.view not in positions:
                raise CliError(f"--at {at.landmark}@{at.view}: that landmark is not shown in the {at.view} view")
            positions = {at.view: positions[at.view]}
        q = at.quality or quality
        level = intensity if at.intensity is None else at.intensity
        for view, lm in positions.items():
            session.marks.append(disc_mark(chart, session.next_mark_id(), view, lm.x, lm.y, radius, q, level))
    return session


COMPLAINT_TOP = 5
NERVES_SHOWN = 3  # peripheral nerves, and dermatomes, printed per list
SITES_SHOWN = 3  # entrapment sites named under a nerve
SIDE_SHORT = {"right": "R", "left": "L", "midline": "mid"}


def _print_candidate(rank: int, c: Candidate, width: int, indent: int = 0) -> None:
    pad = " " * indent
    print(f"{pad}{rank:>2}. {c.score:6.1f}  {c.muscle_name} ({SIDE_SHORT[c.side]}) — {c.trigger_point_label}")
    print(textwrap.indent(textwrap.fill(c.explanation_text(), width - 12 - indent), pad + " " * 12))


def _print_entrapments(entrapments: list[EntrapmentCandidate], width: int, indent: int = 0) -> None:
    pad = " " * indent
    for e in entrapments[:6]:
        print(f"{pad}    {e.score:6.1f}  {e.nerve} ({SIDE_SHORT[e.side]}) — {e.site}")
        lines = [e.explanation_text()]
        if e.test:
            lines.append(f"test: {e.test}")
        for line in lines:
            print(textwrap.indent(textwrap.fill(line, width - 12 - indent), pad + " " * 12))


def _print_nerve(n: NerveCandidate, width: int, indent: int) -> None:
    pad = " " * indent
    print(f"{pad}    {n.score:6.1f}  {n.name} ({SIDE_SHORT[n.side]}; {', '.join(n.levels)})")
    lines = [n.explanation_text()]
    if n.sites:
        lines.append("caught at: " + "; ".join(s.place for s in n.sites[:SITES_SHOWN]))
    if n.key_point:
        lines.append(f"key point: {n.key_point}")
    for line in lines:
        print(textwrap.indent(textwrap.fill(line, width - 12 - indent), pad + " " * 12))


def _print_nerves(result: LookupResult, width: int, indent: int = 0) -> None:
    """The nerves and dermatomes whose skin fits the numbness, tingling and burning, and the sentence."""
    pad = " " * indent
    for title, found in (("Peripheral nerves", result.nerves), ("Dermatomes (nerve roots)", result.dermatomes)):
        if found:
            print(f"{pad}  {title}:")
            for n in found[:NERVES_SHOWN]:
                _print_nerve(n, width, indent)
    if result.differential:
        print(textwrap.indent(textwrap.fill(result.differential, width - 4 - indent), pad + "  "))


def _intensity(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not 0 <= value <= 10:
        raise argparse.ArgumentTypeError(f"{value} is outside 0-10")
    return value


def _top(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "lookup",
        help="rank trigger points whose referral patterns explain pain at landmarks",
        description="Place pain discs on chart landmarks and rank the trigger points that explain "
        "them. Decision support for trained therapists, not a diagnosis.",
    )
    p.add_argument(
        "--at",
        action="append",
        required=True,
        metavar=AT_SYNTAX,
        help="a pain disc on a landmark, in every view that shows it unless @VIEW names one; /QUALITY and "
        "/INTENSITY set this disc's quality and intensity (repeatable), e.g. temple:right/throbbing/8",
    )
    p.add_argument(
        "--radius",
        type=positive_number,
        default=DEFAULT_RADIUS_MM,
        metavar="MM",
        help=f"disc radius in mm (default {DEFAULT_RADIUS_MM:g})",
    )
    p.add_argument(
        "--intensity",
        type=_intensity,
        default=5,
        metavar="N",
        help="pain intensity 0-10 of discs that set none (default 5)",
    )
    p.add_argument(
        "--quality", choices=QUALITIES, default="aching", help="pain quality of discs that set none (default aching)"
    )
    p.add_argument("--top", type=_top, default=10, metavar="N", help="how many candidates to show (default 10)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--save-session", metavar="FILE.nmt", help="save the drawing as a new session file")
    p.add_argument("--force", action="store_true", help="let --save-session replace a session file")
    p.set_defaults(run=run_lookup)


def run_lookup(args: argparse.Namespace) -> int:
    ats = [parse_at(a) for a in args.at]
    if args.radius > 400:
        raise CliError(f"--radius {args.radius:g} is too large (at most 400 mm)")
    out = session_output_path(args.save_session, args.force) if args.save_session else None
    chart = load_chart()
    try:
        session = place(chart, ats, args.radius, args.quality, args.intensity)
    except SessionError as exc:
        raise CliError(str(exc)) from None
    from nmt_bodymap.atlas import shipped_atlas
    from nmt_bodymap.lookup import LookupEngine, pct

    atlas = shipped_atlas()
    result = LookupEngine(atlas, chart).rank(session.marks)
    if out is not None:
        save_session_file(session, out)
    if args.json:
        print(json.dumps(result.to_json(args.top), indent=1, ensure_ascii=False))
        return 0
    print("Decision support for trained therapists, not a diagnosis.\n")
    if not result.candidates:
        print("No trigger point in the atlas refers to the marked area.")
    width = 78
    for i, c in enumerate(result.candidates[: args.top], start=1):
        _print_candidate(i, c, width)
    if result.combination:
        names = {c.key: f"{c.muscle_name} {c.trigger_point_label.split(',')[0]} ({c.side})" for c in result.candidates}
        n = len(result.combination)
        verb = "explains" if n == 1 else "explain"
        print(
            f"\n{'This trigger point' if n == 1 else f'These {n} trigger points'} {verb} "
            f"{pct(result.combination_fraction)} of the pain: {'; '.join(names[k] for k in result.combination)}."
        )
    print(f"Pain no candidate explains: {pct(result.unexplained_fraction)}.")
    if result.nerves or result.dermatomes:
        print("\nNumbness, tingling or burning was marked: the skin of these nerves fits it, best first.")
        _print_nerves(result, width)
    if result.entrapments:
        print("\nNerve entrapment to consider:")
        _print_entrapments(result.entrapments, width)
    if len(result.complaints) > 1:
        print(f"\nThe drawing holds {len(result.complaints)} complaints, each ranked on its own:")
        for complaint in result.complaints:
            marks = ", ".join(complaint.marks)
            print(f"\n  {complaint.label} (marks {marks})")
            if not complaint.candidates:
                print("      No trigger point in the atlas refers to this complaint's area.")
            for i, c in enumerate(complaint.candidates[: min(args.top, COMPLAINT_TOP)], start=1):
                _print_candidate(i, c, width, indent=4)
            if complaint.nerves or complaint.dermatomes:
                print("      Nerves whose skin fits the numbness, tingling or burning:")
                _print_nerves(complaint.result, width, indent=4)
            if complaint.entrapments:
                print("      Nerve entrapment to consider:")
                _print_entrapments(complaint.entrapments, width, indent=4)
    if atlas.skipped:
        print(f"\nnote: {len(atlas.skipped)} atlas file(s) skipped; run 'nmt-bodymap atlas check'")
    if out is not None:
        print(f"\nsaved the drawing to {out}")
    return 0
