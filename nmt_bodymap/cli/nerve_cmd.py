"""The nerve atlas on the command line: ``atlas nerves``, and the nerve side of ``atlas show`` and ``atlas check``.

``atlas_cmd`` owns the ``atlas`` command; it calls in here for nerve ids and
nerve files, so muscles and nerves share ``show`` and ``check``.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from nmt_bodymap.atlas import Atlas, Problem, shipped_atlas
from nmt_bodymap.cli._common import show_atlas_entry
from nmt_bodymap.nerves import (
    NerveAtlas,
    check_atlases,
    dermatome_coverage,
    discover_nerves,
    load_nerves,
    shipped_nerves,
)
from nmt_bodymap.nerves.model import Nerve

if TYPE_CHECKING:
    from PySide6.QtGui import QImage


def register(atlas_sub: argparse._SubParsersAction) -> None:
    """Add ``atlas nerves``."""
    nerves = atlas_sub.add_parser("nerves", help="every nerve and dermatome with its roots or level and sites")
    nerves.add_argument("--json", action="store_true", help="print JSON instead of a table")
    nerves.set_defaults(run=run_nerves)


def _levels(nerve: Nerve) -> str:
    levels = nerve.levels
    return levels[0] if len(levels) == 1 else f"{levels[0]}-{levels[-1]}" if levels else ""


def nerve_row(nerve: Nerve) -> dict[str, object]:
    """One nerve as ``atlas nerves --json`` lists it."""
    row: dict[str, object] = {"id": nerve.id, "name": nerve.name, "kind": nerve.kind, "group": nerve.group}
    if nerve.kind == "dermatome":
        row["level"] = nerve.level
    else:
        row |= {
            "roots": list(nerve.roots),
            "parent": nerve.parent or None,
            "sites": [
                {"id": s.id, "name": s.name, "muscle": s.muscle or None, "landmark": s.landmark} for s in nerve.sites
            ],
        }
    row["views"] = nerve.views
    return row


def _report_skipped(nerves: NerveAtlas) -> None:
    if nerves.skipped:
        print(
            f"note: {len(nerves.skipped)} nerve atlas file(s) skipped; run 'nmt-bodymap atlas check' for details",
            file=sys.stderr,
        )


def run_nerves(args: argparse.Namespace) -> int:
    nerves = shipped_nerves()
    _report_skipped(nerves)
    if args.json:
        print(json.dumps([nerve_row(n) for n in nerves.nerves.values()], indent=1, ensure_ascii=False))
        return 0
    group = None
    for n in tree_order(nerves):
        if n.group != group:
            group = n.group
            print(f"\n{n.group_title}")
        sites = ", ".join(s.name.split(" (")[0] for s in n.sites)
        indent = "  " * (1 + len(nerves.ancestors(n.id))) if n.kind == "peripheral" else "  "
        print(f"{indent}{n.id:{36 - len(indent)}} {_levels(n):7} {n.name[:44]:44} {sites}".rstrip())
    peripheral, dermatomes = len(nerves.peripheral), len(nerves.dermatomes)
    print(f"\n{peripheral} peripheral nerves with {len(nerves.sites())} entrapment sites, {dermatomes} dermatomes")
    return 0


def tree_order(nerves: NerveAtlas) -> list[Nerve]:
    """Every nerve in its group's order, each branch listed right under its parent (depth first).

    A branch whose parent belongs to another group (the intercostobrachial under the
    intercostal nerves) is listed under its parent too: the tree comes before the groups.
    """
    listed: list[Nerve] = []

    def visit(nerve: Nerve) -> None:
        listed.append(nerve)
        branches = [nerves.nerves[c] for c in nerve.children if c in nerves.nerves]
        for branch in sorted(branches, key=lambda b: b.name.lower()):
            visit(branch)

    for n in nerves.nerves.values():
        parent = nerves.nerves.get(n.parent) if n.kind == "peripheral" and n.parent else None
        if parent is None:
            visit(n)
    return listed


def find_nerve(nerve_id: str) -> tuple[NerveAtlas, Nerve] | None:
    """The shipped nerve atlas and the nerve with this id, or None when no nerve has it."""
    nerves = shipped_nerves()
    nerve = nerves.nerves.get(nerve_id)
    return None if nerve is None else (nerves, nerve)


def close_nerve_ids(text: str) -> list[str]:
    """Nerve ids that contain ``text`` or whose name does (for 'did you mean')."""
    nerves = shipped_nerves().nerves
    low = text.lower()
    return [nid for nid, n in nerves.items() if low in nid or low in n.name.lower()]


def nerve_text(nerves: NerveAtlas, n: Nerve) -> str:
    """A nerve's whole text, for ``atlas show NERVE``."""
    wrap = textwrap.TextWrapper(width=88, initial_indent="  ", subsequent_indent="    ")
    para = textwrap.TextWrapper(width=88, initial_indent="  ", subsequent_indent="  ")
    head = f"level {n.level}" if n.kind == "dermatome" else f"roots {', '.join(n.roots)}"
    lines = [n.name, f"{n.kind_title} · {n.group_title} · {head}", "", "Skin territory", *para.wrap(n.territory_text)]
    if n.kind == "dermatome":
        lines += ["", "Where to test it", *para.wrap(n.key_point)]
    else:
        family = []
        if n.parent:
            family.append(f"branch of: {nerves.nerve(n.parent).name} ({n.parent})")
        if n.children:
            family.append("branches: " + ", ".join(n.children))
        if family:
            lines += ["", "Family", *[line for f in family for line in wrap.wrap(f)]]
        if n.sites:
            lines += ["", "Entrapment sites"]
            for i, s in enumerate(n.sites, start=1):
                muscle = f"; muscle: {s.muscle}" if s.muscle else ""
                lines += wrap.wrap(f"{i}. {s.name} [{s.id}; near {s.landmark}{muscle}]: {s.structure}")
                lines += wrap.wrap(f"   Test: {s.test}")
                lines += wrap.wrap(f"   Felt: {s.felt}")
                if s.spares:
                    lines += wrap.wrap(f"   Spares: {', '.join(s.spares)}")
        if n.supplies:
            lines += ["", "Muscles it supplies", *[line for m in n.supplies for line in wrap.wrap(f"- {m}")]]
    if n.rule_out:
        lines += ["", "Rule out first", *[line for r in n.rule_out for line in wrap.wrap(f"{r.condition}: {r.signs}")]]
    lines += ["", "Sources", *[line for s in n.sources for line in wrap.wrap(s.citation)]]
    return "\n".join(lines)


def run_show(args: argparse.Namespace, nerves: NerveAtlas, nerve: Nerve) -> int:
    """``atlas show NERVE``: its text, its whole record (``--json``) or its sheet (``-o FILE.png``)."""

    def draw(dpi: float) -> QImage:
        from nmt_bodymap.render.nerve_sheet import render_nerve_sheet

        return render_nerve_sheet(nerves, nerve, dpi=dpi)

    return show_atlas_entry(args, nerve.to_json, lambda: nerve_text(nerves, nerve), draw)


@dataclass
class NerveCheck:
    """What ``atlas check`` found in the nerve files it was given."""

    checked: list[Nerve]  # the nerves of the files given that loaded
    nerves: NerveAtlas  # the nerve atlas they were loaded in
    problems: list[Problem]  # of the files given, cross-atlas ones included

    @property
    def valid(self) -> int:
        """How many of the nerves checked have no problem at all."""
        bad = {Path(p.file).with_suffix("") for p in self.problems}
        return sum(1 for n in self.checked if n.toml_path.with_suffix("") not in bad)

    def summary(self) -> str:
        """The ``atlas check`` line when all is well."""
        from nmt_bodymap.chart import load_chart

        peripheral = [n for n in self.checked if n.kind == "peripheral"]
        dermatomes = len(self.checked) - len(peripheral)
        sites = sum(len(n.sites) for n in peripheral)
        line = f"ok: {len(peripheral)} peripheral nerves with {sites} entrapment sites, {dermatomes} dermatomes"
        if dermatomes:
            share = dermatome_coverage(self.nerves, load_chart())["all"]
            line += f"; the nerve atlas's dermatomes cover {share:.0%} of the body surface outside the face"
        return line


def check(paths: Sequence[str], muscles: Atlas) -> NerveCheck | None:
    """Load and check the nerve files under ``paths`` (the shipped nerve atlas when none), across both atlases.

    None when the paths hold no nerve file. Files given by path are loaded
    together with the rest of the shipped nerve atlas (a branch needs its
    parent, a site's spared branch must exist) and cross-checked against the
    shipped muscles for whatever the paths do not hold; only problems of the
    files given (nerves, or the muscles ``muscles`` holds) are reported.
    """
    if not paths:
        nerves = load_nerves()
        return NerveCheck(list(nerves.nerves.values()), nerves, nerves.problems + check_atlases(muscles, nerves))
    found, trouble = discover_nerves(paths)
    mine = {toml.with_suffix("") for toml, _ in found} | {Path(p.file).with_suffix("") for p in trouble}
    given = {stem.name for stem in mine}
    context = [str(toml) for toml, _ in discover_nerves()[0] if toml.stem not in given]
    nerves = load_nerves([*paths, *context])
    all_muscles = {**shipped_atlas().muscles, **muscles.muscles}
    reported = mine | {m.toml_path.with_suffix("") for m in muscles.muscles.values()}
    problems = nerves.problems + check_atlases(all_muscles, nerves)
    problems = [p for p in problems if Path(p.file).with_suffix("") in reported]
    if not mine and not problems:
        return None
    checked = [n for n in nerves.nerves.values() if n.toml_path.with_suffix("") in mine]
    return NerveCheck(checked, nerves, problems)
