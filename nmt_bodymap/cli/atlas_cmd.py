"""``nmt-bodymap atlas``: list, show and check the referral atlas."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

from nmt_bodymap.atlas import CAUSES, GROUPS, PREVALENCE, SELF_CARE_KINDS, Atlas, Muscle, load_atlas
from nmt_bodymap.cli import nerve_cmd
from nmt_bodymap.cli._common import CliError, missing_command, positive_number, show_atlas_entry

if TYPE_CHECKING:
    from PySide6.QtGui import QImage


def register(sub: argparse._SubParsersAction) -> None:
    atlas = sub.add_parser("atlas", help="the referral atlas: list, show and check muscles")
    atlas_sub = atlas.add_subparsers(dest="atlas_command", metavar="SUBCOMMAND", parser_class=type(atlas))
    atlas.set_defaults(run=lambda _a: missing_command(atlas))

    lst = atlas_sub.add_parser("list", help="every muscle with its trigger points")
    lst.add_argument("--json", action="store_true", help="print JSON instead of a table")
    lst.set_defaults(run=run_list)

    show = atlas_sub.add_parser("show", help="a muscle's or a nerve's sheet: pattern in every view, with its text")
    show.add_argument(
        "muscle", metavar="ID", help="muscle or nerve id, e.g. trapezius, median (see: atlas list, atlas nerves)"
    )
    show.add_argument(
        "-o", "--output", metavar="FILE.png", help="write the sheet as a picture; without it, print the text"
    )
    show.add_argument("--dpi", type=positive_number, default=150.0, help="resolution of the picture (default 150)")
    show.add_argument("--json", action="store_true", help="print the whole record as JSON")
    show.set_defaults(run=run_show)

    nerve_cmd.register(atlas_sub)

    check = atlas_sub.add_parser("check", help="validate atlas files (muscles and nerves); exit 1 if any problem")
    check.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="folders or .toml/.svg files (default: the shipped atlas and the user's atlas folders)",
    )
    check.set_defaults(run=run_check)


def _report_skipped(skipped: list[str]) -> None:
    if skipped:
        print(f"note: {len(skipped)} atlas file(s) skipped; run 'nmt-bodymap atlas check' for details", file=sys.stderr)


def _origin(atlas: Atlas, muscle_id: str) -> str:
    """ " (user atlas: FOLDER)" for a muscle from a user's atlas folder, else nothing."""
    folder = atlas.user_folders.get(muscle_id)
    return f" (user atlas: {folder})" if folder else ""


def run_list(args: argparse.Namespace) -> int:
    atlas = load_atlas()
    _report_skipped(atlas.skipped)
    rows = [
        {
            "id": m.id,
            "name": m.name,
            "latin": m.latin,
            "group": m.group,
            "trigger_points": [{"id": t.id, "label": t.label, "views": t.views} for t in m.trigger_points],
            "user_atlas": str(atlas.user_folders[m.id]) if m.id in atlas.user_folders else None,
        }
        for m in atlas.muscles.values()
    ]
    if args.json:
        print(json.dumps(rows, indent=1, ensure_ascii=False))
        return 0
    group = None
    for m in atlas.muscles.values():
        if m.group != group:
            group = m.group
            print(f"\n{GROUPS[group]}")
        trps = ", ".join(t.label.split(",")[0] for t in m.trigger_points)
        print(f"  {m.id:34} {m.name:36} {trps}{_origin(atlas, m.id)}")
    print(f"\n{len(atlas.muscles)} muscles, {atlas.trigger_point_count} trigger points")
    return 0


def _find(muscle_id: str) -> Muscle:
    atlas = load_atlas()
    if muscle_id in atlas.muscles:
        return atlas.muscles[muscle_id]
    close = [m for m in atlas.muscles if muscle_id.lower() in m or muscle_id.lower() in atlas.muscles[m].name.lower()]
    close += nerve_cmd.close_nerve_ids(muscle_id)
    hint = f" (did you mean: {', '.join(close[:4])}?)" if close else " (see: nmt-bodymap atlas list, atlas nerves)"
    raise CliError(f"no muscle or nerve '{muscle_id}' in the atlas{hint}")


def muscle_text(m: Muscle) -> str:
    wrap = textwrap.TextWrapper(width=88, initial_indent="  ", subsequent_indent="    ")
    lines = [f"{m.name} ({m.latin})", GROUPS[m.group], "", "Referral pattern"]
    lines += textwrap.wrap(m.referral, 88, initial_indent="  ", subsequent_indent="  ")
    lines += ["", "Trigger points"]
    for t in m.trigger_points:
        often = f" ({PREVALENCE[t.prevalence]})" if t.prevalence else ""
        lines += wrap.wrap(f"{t.label} [{', '.join(t.views)}]{often}: {t.location}")
    if m.rule_out:
        lines += ["", "Rule out first"]
        lines += [line for r in m.rule_out for line in wrap.wrap(f"{r.condition}: {r.signs}")]
    lines += ["", "Symptoms"] + [line for s in m.symptoms for line in wrap.wrap(f"- {s}")]
    lines += ["", "Perpetuating factors"]
    lines += [line for p in m.perpetuating for line in wrap.wrap(f"{CAUSES[p.cause]}: {p.text}")]
    if m.entrapments:
        lines += ["", "Nerve entrapment"]
        lines += [line for e in m.entrapments for line in wrap.wrap(f"{e.nerve} ({e.site}): {e.symptoms}")]
    lines += ["", "Self-care"]
    lines += [line for s in m.self_care for line in wrap.wrap(f"{SELF_CARE_KINDS[s.kind]}: {s.text}")]
    lines += ["", "Sources"] + [line for s in m.sources for line in wrap.wrap(s.citation)]
    return "\n".join(lines)


def run_show(args: argparse.Namespace) -> int:
    found = nerve_cmd.find_nerve(args.muscle)
    if found is not None:
        return nerve_cmd.run_show(args, *found)
    muscle = _find(args.muscle)

    def draw(dpi: float) -> QImage:
        from nmt_bodymap.render.atlas_sheet import render_sheet

        return render_sheet(muscle, dpi=dpi)

    return show_atlas_entry(args, muscle.to_json, lambda: muscle_text(muscle), draw)


def run_check(args: argparse.Namespace) -> int:
    for path in args.paths:
        p = Path(path)
        if not p.exists():
            raise CliError(f"no such file or folder: '{path}'")
        if not p.is_dir() and p.suffix not in (".toml", ".svg"):
            raise CliError(f"'{path}' is not an atlas folder or a .toml/.svg file")
    atlas = load_atlas(args.paths or None)
    for muscle_id, replaced in sorted(atlas.overrides.items()):
        new_file = atlas.muscles[muscle_id].toml_path
        print(f"note: {muscle_id}: {new_file}{_origin(atlas, muscle_id)} replaces {replaced}")
    nerves = nerve_cmd.check(args.paths, atlas)
    problems = atlas.problems + (nerves.problems if nerves else [])
    for problem in problems:
        print(problem)
    user = f" ({len(atlas.user_folders)} from user atlas folders)" if atlas.user_folders else ""
    if problems:
        files = len({p.file for p in problems})
        valid = f"{len(atlas.muscles)} muscle(s) valid{user}" + (f", {nerves.valid} nerve(s) valid" if nerves else "")
        print(f"{len(problems)} problem(s) in {files} file(s); {valid}")
        return 1
    if atlas.muscles or nerves is None:
        print(
            f"ok: {len(atlas.muscles)} muscles{user}, {atlas.trigger_point_count} trigger points, "
            f"{len(atlas.sided)} sided trigger points"
        )
    if nerves is not None:
        print(nerves.summary())
    return 0
