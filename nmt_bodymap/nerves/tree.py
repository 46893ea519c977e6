"""The nerve tree: parents and branches checked, territories gathered up the tree, sides built.

A branch's skin belongs to its parent too, so a nerve's territory is its own
plus all its descendants'. An entrapment site affects the territory of the
nerve it sits on, less the branches it ``spares``. A nerve whose parent is
missing, whose parents form a loop, or which says its skin is its branches'
but has none, is not loaded (nor are its branches); the problem names it.
"""

from __future__ import annotations

from collections import defaultdict

import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from nmt_bodymap.atlas.model import Problem
from nmt_bodymap.chart import MIRROR_VIEW
from nmt_bodymap.nerves.model import Nerve, SidedNerve, SidedSite

#: own territory per side: ``{nerve id: {side: {view: geometry}}}``
SidedOwn = dict[str, dict[str, dict[str, BaseGeometry]]]


def check_tree(nerves: dict[str, Nerve], not_loaded: set[str]) -> tuple[dict[str, Nerve], list[Problem]]:
    """The nerves whose place in the tree is sound, and the problems of the others.

    ``not_loaded`` are ids of nerves whose files exist but did not load, so a
    branch can say why its parent is missing.
    """
    problems: list[Problem] = []
    valid = dict(nerves)

    def drop(nerve: Nerve, element: str | None, message: str) -> None:
        problems.append(Problem(str(nerve.toml_path), element, message))
        valid.pop(nerve.id, None)

    for nerve in nerves.values():
        if nerve.kind != "peripheral" or not nerve.parent:
            continue
        parent = nerves.get(nerve.parent)
        if parent is None:
            why = "its file did not load" if nerve.parent in not_loaded else "no such nerve in the nerve atlas"
            drop(nerve, None, f"parent '{nerve.parent}': {why}")
        elif parent.kind != "peripheral":
            drop(nerve, None, f"parent '{nerve.parent}' is a dermatome, not a peripheral nerve")
    for nerve in list(valid.values()):
        seen = [nerve.id]
        at = nerve
        while at.parent and at.parent in nerves:
            if at.parent in seen:
                drop(nerve, None, f"parents form a loop: {' -> '.join([*seen, at.parent])}")
                break
            seen.append(at.parent)
            at = nerves[at.parent]
    # a branch of a nerve that is not loaded is not loaded either; repeat until nothing changes
    changed = True
    while changed:
        changed = False
        children = _children(valid)
        for nerve in list(valid.values()):
            if nerve.parent and nerve.parent not in valid:
                drop(nerve, None, f"parent '{nerve.parent}' was not loaded (see its problems)")
                changed = True
            elif nerve.skin == "branches" and not children.get(nerve.id):
                drop(nerve, None, 'says skin = "branches" but no loaded nerve names it as parent')
                changed = True
    descendants = {nid: _descendants(nid, _children(valid)) for nid in valid}
    for nerve in list(valid.values()):
        for site in nerve.sites:
            for branch in site.spares:
                if branch not in descendants[nerve.id]:
                    drop(
                        nerve,
                        f"entrapment site '{site.id}'",
                        f"spares '{branch}', which is not a branch of '{nerve.id}'",
                    )
    return valid, problems


def _children(nerves: dict[str, Nerve]) -> dict[str, list[str]]:
    children: dict[str, list[str]] = defaultdict(list)
    for nerve in sorted(nerves.values(), key=lambda n: n.name.lower()):
        if nerve.parent:
            children[nerve.parent].append(nerve.id)
    return children


def _descendants(nerve_id: str, children: dict[str, list[str]]) -> list[str]:
    found: list[str] = []
    stack = list(children.get(nerve_id, []))
    while stack:
        nid = stack.pop(0)
        found.append(nid)
        stack.extend(children.get(nid, []))
    return found


def _union(parts: list[BaseGeometry]) -> BaseGeometry:
    return shapely.union_all(parts) if len(parts) > 1 else parts[0]


def _gather(ids: list[str], own: SidedOwn, side: str) -> dict[str, BaseGeometry]:
    by_view: dict[str, list[BaseGeometry]] = defaultdict(list)
    for nid in ids:
        for view, geom in own.get(nid, {}).get(side, {}).items():
            by_view[view].append(geom)
    return {view: _union(parts) for view, parts in by_view.items()}


def build_sides(nerves: dict[str, Nerve], own: SidedOwn) -> list[SidedNerve]:
    """Fill each nerve's branches and whole territory, and build its sided instances."""
    children = _children(nerves)
    sided: list[SidedNerve] = []
    for nerve in nerves.values():
        nerve.children = list(children.get(nerve.id, []))
        lineage = [nerve.id, *_descendants(nerve.id, children)]
        for side in ("right", "left"):
            territory = _gather(lineage, own, side)
            if side == "right":
                nerve.territory = territory
            sites = []
            for site in nerve.sites:
                points = nerve.site_points.get(site.id, {})
                if side == "left":
                    points = {MIRROR_VIEW[v]: Point(-p.x, p.y) for v, p in points.items()}
                spared = [b for s in site.spares for b in [s, *_descendants(s, children)]]
                affected = territory
                if spared:
                    lost = _gather(spared, own, side)
                    affected = {v: g if v not in lost else shapely.difference(g, lost[v]) for v, g in territory.items()}
                    affected = {v: g for v, g in affected.items() if not g.is_empty}
                sites.append(SidedSite(nerve, site, side, points, affected))
            area = sum(nerves[nid].own_area for nid in lineage)  # mirrored skin has the same area
            sided.append(
                SidedNerve(nerve, side, own.get(nerve.id, {}).get(side, {}), territory, round(area, 2), tuple(sites))
            )
    return sided
