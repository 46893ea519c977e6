"""Complaints: the marks of a drawing grouped the way a client reports them.

A client comes with complaints (a headache, tingling in the hand), not with
marks. Marks are grouped automatically into one complaint when they are of
the same family (pain: aching, sharp, throbbing; paresthesia: numbness,
tingling, burning) and lie close on the body:

* in the same view, within about :data:`CLOSE_MM` of each other;
* on the same body surface at about the same height in another view (a
  region id names the same surface in every view that shows it, and the
  chart has the same heights in every view);
* on the same side of one body segment (head and neck; low back and pelvis;
  forearm and hand; …) within :data:`SEGMENT_GAP_MM` from top to bottom.

So temple, back of the neck and jaw angle on one side are one complaint,
low back and buttock one, a headache and thumb tingling two.

A therapist's own grouping (objects with ``id``, ``label`` and ``marks``,
the mark ids) overrides the automatic one for the marks it names; the rest
are grouped automatically. Every complaint gets a readable label from the
regions it covers ("Right temple, neck and jaw", "Right thumb tingling").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from nmt_bodymap.lookup.body_parts import BODY_PARTS
from nmt_bodymap.lookup.footprint import NEAR_CELL_MM, Footprint
from nmt_bodymap.lookup.result import Complaint
from nmt_bodymap.session import PARESTHESIA, PainMark

#: Marks about this close in one view (mm) belong to one complaint (neighbouring 20 mm cells).
CLOSE_MM = 2 * NEAR_CELL_MM
#: Marks on one side of one body segment this far apart from top to bottom (mm) still belong together.
SEGMENT_GAP_MM = 120.0
#: A region names a complaint when it holds at least this share of the largest region's pain.
LABEL_SHARE = 0.25

PAIN, PARESTHESIA_FAMILY = "pain", "paresthesia"


class DefinedComplaint(Protocol):
    """A complaint the therapist defined (``Session.complaints``)."""

    @property
    def id(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def marks(self) -> Sequence[str]: ...


def family_of(quality: str) -> str:
    return PARESTHESIA_FAMILY if quality in PARESTHESIA else PAIN


@dataclass(frozen=True)
class Grouping:
    complaint: Complaint
    marks: tuple[int, ...]  # indices into the drawing's marks


class Links:
    """Which marks lay close in the last drawing grouped: while a stroke is painted, only it is compared anew."""

    def __init__(self) -> None:
        self._keys: dict[tuple, object] = {}  # mark key -> its geometry (ids are reused once it is gone)
        self._pairs: set[tuple[tuple, tuple]] = set()

    def clear(self) -> None:
        self._keys, self._pairs = {}, set()

    def known(self, keys: Sequence[tuple], geoms: Sequence[object]) -> list[bool]:
        return [self._keys.get(k) is g for k, g in zip(keys, geoms, strict=True)]

    def pairs(self, keys: Sequence[tuple]) -> set[tuple[int, int]]:
        """The linked pairs among the marks (indices into ``keys``) that were all in the last drawing."""
        local = {k: i for i, k in enumerate(keys)}
        return {(local[a], local[b]) for a, b in self._pairs if a in local and b in local}

    def keep(self, keys: Sequence[tuple], geoms: Sequence[object], pairs: Iterable[tuple[int, int]]) -> None:
        self._keys = dict(zip(keys, geoms, strict=True))
        self._pairs = {(keys[a], keys[b]) for a, b in pairs}


def group(
    marks: Sequence[PainMark],
    prints: Sequence[Footprint],
    region_names: Sequence[tuple[str, str]],
    defined: Iterable[DefinedComplaint] | None = None,
    labels: MutableMapping[tuple, str] | None = None,
    links: Links | None = None,
) -> list[Grouping]:
    """The drawing's complaints: the therapist's first, then the automatic ones in drawing order.

    ``labels`` keeps automatic labels between calls (keyed by the marks' geometry, intensity and quality);
    ``links`` which marks lay close in the last call.
    """
    labels = labels if labels is not None else {}

    def named(mine: tuple[int, ...]) -> str:
        key = tuple((id(marks[i].geometry), marks[i].intensity, marks[i].quality) for i in mine)
        found = labels.get(key)
        if found is None:
            found = labels[key] = label_for(marks, prints, region_names, mine)
            if len(labels) > 4096:
                labels.clear()
        return found

    by_id = {m.id: i for i, m in enumerate(marks)}
    taken: set[int] = set()
    out: list[Grouping] = []
    for d in defined or ():
        mine = tuple(i for i in (by_id.get(str(mid)) for mid in d.marks) if i is not None and i not in taken)
        taken.update(mine)
        label = str(d.label).strip() or named(mine)
        complaint = Complaint(str(d.id), label, tuple(marks[i].id for i in mine), _family(marks, mine), False)
        out.append(Grouping(complaint, mine))
    rest = [i for i in range(len(marks)) if i not in taken]
    members: dict[int, list[int]] = {}
    for local, root in enumerate(_components(marks, prints, rest, links)):
        members.setdefault(root, []).append(rest[local])
    seen: Counter[str] = Counter()
    for root in sorted(members):
        mine = tuple(members[root])
        label = named(mine)
        seen[label] += 1
        if seen[label] > 1:
            label = f"{label} ({seen[label]})"
        complaint = Complaint(
            f"auto-{marks[mine[0]].id}", label, tuple(marks[i].id for i in mine), _family(marks, mine), True
        )
        out.append(Grouping(complaint, mine))
    return out


def _components(
    marks: Sequence[PainMark], prints: Sequence[Footprint], idx: list[int], links: Links | None = None
) -> list[int]:
    """For each of the marks ``idx``, the first mark of its complaint (as an index into ``idx``)."""
    parent = list(range(len(idx)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in _linked(marks, prints, idx, links):
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return [root(i) for i in range(len(idx))]


#: At most this many marks new since the last call are compared one by one; more, and all pairs are worked out.
FEW_NEW = 2


def _linked(
    marks: Sequence[PainMark], prints: Sequence[Footprint], idx: list[int], links: Links | None
) -> list[tuple[int, int]]:
    """:func:`_links`, reusing the pairs of marks that were all in the last call (``links``)."""
    if links is None:
        return _links(marks, prints, idx)
    keys = [(marks[i].view, id(marks[i].geometry), family_of(marks[i].quality)) for i in idx]
    geoms = [marks[i].geometry for i in idx]
    known = links.known(keys, geoms)
    new = [k for k, seen in enumerate(known) if not seen]
    if len(new) > FEW_NEW or len(set(keys)) < len(keys):
        found = _links(marks, prints, idx)
    else:
        pairs = links.pairs(keys)
        for k in new:
            pairs.update(_links_of(marks, prints, idx, k))
        found = list(pairs)
    links.keep(keys, geoms, found)
    return found


def _links_of(marks: Sequence[PainMark], prints: Sequence[Footprint], idx: list[int], k: int) -> set[tuple[int, int]]:
    """The pairs (as in :func:`_links`) of mark ``idx[k]`` and each other mark of ``idx``."""
    me = prints[idx[k]]
    family = family_of(marks[idx[k]].quality)
    others = [o for o in range(len(idx)) if o != k and family_of(marks[idx[o]].quality) == family]
    found: set[tuple[int, int]] = set()
    if not others:
        return found
    near = np.concatenate([prints[idx[o]].near for o in others])
    surfaces = np.concatenate([prints[idx[o]].surfaces for o in others])
    near_owner = np.repeat(others, [len(prints[idx[o]].near) for o in others])
    surface_owner = np.repeat(others, [len(prints[idx[o]].surfaces) for o in others])
    close = np.concatenate(
        [near_owner[np.isin(near, me.near_grown)], surface_owner[np.isin(surfaces, me.surfaces_grown)]]
    )
    linked = set(np.unique(close).tolist())
    for o in others:
        if o not in linked and _spans_close(me.spans, prints[idx[o]].spans):
            linked.add(o)
    return {(min(k, o), max(k, o)) for o in linked}


def _spans_close(a: Sequence[tuple[int, float, float]], b: Sequence[tuple[int, float, float]]) -> bool:
    """Two marks of one family on one side of one body segment, close enough from top to bottom."""
    for key_a, top_a, bottom_a in a:
        segment_a, side_a = divmod(key_a, 3)
        for key_b, top_b, bottom_b in b:
            segment_b, side_b = divmod(key_b, 3)
            same_side = side_a == side_b or side_a == 2 or side_b == 2  # the midline belongs to both sides
            if segment_a == segment_b and same_side and max(top_a, top_b) - min(bottom_a, bottom_b) <= SEGMENT_GAP_MM:
                return True
    return False


def _links(marks: Sequence[PainMark], prints: Sequence[Footprint], idx: list[int]) -> list[tuple[int, int]]:
    """Pairs of marks (indices into ``idx``) of one family lying close (see the module docstring)."""
    own_m, own_k, near_m, near_k = [], [], [], []
    spans: dict[tuple[int, int], list[tuple[int, float, float]]] = {}
    for local, i in enumerate(idx):
        family = 0 if family_of(marks[i].quality) == PAIN else 10**11
        fp = prints[i]
        own_k += [fp.near + family, fp.surfaces + (family + 5 * 10**10)]
        near_k += [fp.near_grown + family, fp.surfaces_grown + (family + 5 * 10**10)]
        own_m.append(np.full(len(fp.near) + len(fp.surfaces), local))
        near_m.append(np.full(len(fp.near_grown) + len(fp.surfaces_grown), local))
        for key, top, bottom in fp.spans:
            segment, side = divmod(key, 3)
            for s in (0, 1) if side == 2 else (side,):  # the midline belongs to both sides
                spans.setdefault((family, segment * 2 + s), []).append((local, top, bottom))
    links: set[tuple[int, int]] = set()
    if own_m:
        keys, owners = np.concatenate(own_k), np.concatenate(own_m)
        order = np.argsort(keys, kind="stable")
        keys, owners = keys[order], owners[order]
        same = np.flatnonzero(keys[1:] == keys[:-1])
        grown_k, grown_m = np.concatenate(near_k), np.concatenate(near_m)
        pos = np.minimum(np.searchsorted(keys, grown_k), len(keys) - 1)
        hit = keys[pos] == grown_k
        one = np.concatenate([owners[same], grown_m[hit]])
        other = np.concatenate([owners[same + 1], owners[pos[hit]]])
        n = len(idx)
        pairs = np.unique(np.minimum(one, other) * n + np.maximum(one, other))  # each pair of marks once
        links.update(zip((pairs // n).tolist(), (pairs % n).tolist(), strict=True))
    for entries in spans.values():
        for k, (a, top_a, bottom_a) in enumerate(entries):
            for b, top_b, bottom_b in entries[k + 1 :]:
                if a != b and max(top_a, top_b) - min(bottom_a, bottom_b) <= SEGMENT_GAP_MM:
                    links.add((a, b))
    return [(a, b) for a, b in links if a != b]


def _family(marks: Sequence[PainMark], idx: Sequence[int]) -> str:
    found = {family_of(marks[i].quality) for i in idx}
    return found.pop() if len(found) == 1 else "mixed"


def label_for(
    marks: Sequence[PainMark], prints: Sequence[Footprint], region_names: Sequence[tuple[str, str]], idx: Sequence[int]
) -> str:
    """A complaint's name from the regions its marks cover: "Right temple, neck and jaw", "Right thumb tingling"."""
    if not idx:
        return "No marks"
    parts: Counter[str] = Counter()
    sides: Counter[str] = Counter()
    for i in idx:
        for region, cells in prints[i].parts:
            name, side = region_names[region]
            parts[BODY_PARTS.get(name, name.replace("-", " "))] += cells * (marks[i].intensity + 1)
            sides[side] += cells
    ranked = parts.most_common()
    words = [p for p, n in ranked[:3] if n >= LABEL_SHARE * ranked[0][1]]
    if not words:
        text = "pain"
    elif len(words) == 1:
        text = words[0]
    else:
        text = ", ".join(words[:-1]) + " and " + words[-1]
    total = sum(sides.values())
    lateral = {s for s, n in sides.items() if s in ("left", "right") and n >= 0.15 * total}
    if lateral == {"right"}:
        text = "Right " + text
    elif lateral == {"left"}:
        text = "Left " + text
    elif lateral == {"left", "right"}:
        text = text[:1].upper() + text[1:] + ", both sides"
    else:
        text = text[:1].upper() + text[1:]
    qualities = Counter(marks[i].quality for i in idx if marks[i].quality in PARESTHESIA)
    if qualities:
        text += " " + qualities.most_common(1)[0][0]
    return text
