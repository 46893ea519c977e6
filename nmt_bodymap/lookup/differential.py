"""The paresthesia differential in words: the best peripheral nerve against the best dermatome.

A therapist tells a caught peripheral nerve from a nerve root by the skin:
the median nerve's tingling reaches the middle finger, which the C6
dermatome does not; a C6 root spares the middle finger but numbs the back
of the thumb. The sentence compares the best peripheral nerve with the best
dermatome and names the body part, in the chart's regions' plain anatomical
words (:data:`.body_parts.ANATOMY`), that tells them apart:

* when one explains clearly more of the paresthesia (by
  :data:`EXPLAINS_MARGIN` or more), it fits better, and the body part is
  where the most of the paresthesia lies inside its skin and outside the
  other's, among the body parts mostly outside the other's (**reaches**): "the tingling reaches the palm side of the middle
  finger, beyond that dermatome";
* when both explain about as much, the higher territory score fits better
  (its skin is the tighter fit), and the body part is one lying mostly in
  the other's skin and hardly in its own, left unmarked, the nearest such to
  the marks within :data:`SPARED_NEAR_MM` (**spared**): "the back of the
  thumb is spared"; with no such part, nothing drawn tells them apart
  (**alike**).

When only one kind fits, it says so (**alone**); when the better fit fits
the other side of the body as well, the sentence adds it.
"""

from __future__ import annotations

import numpy as np
import shapely

from nmt_bodymap.lookup.body_parts import anatomy_words
from nmt_bodymap.lookup.index import AtlasIndex
from nmt_bodymap.lookup.nerve_index import FAMILY
from nmt_bodymap.lookup.nerve_result import Differential, NerveCandidate, NerveFindings
from nmt_bodymap.lookup.words import pct

#: One explaining at least this much more of the paresthesia than the other fits better.
EXPLAINS_MARGIN = 0.10
#: A body part named as reached holds at least this share of the paresthesia...
REACH_SHARE = 0.05
#: ...and lies less than this share in the other's skin.
RIVAL_COVER_MAX = 0.25
#: A spared body part lies at least this share in the other territory...
SPARED_COVER = 0.5
#: ...at most this share in the better fit...
SPARED_WINNER_MAX = 0.1
#: ...and this close to the marks (mm, in the same view).
SPARED_NEAR_MM = 60.0
#: The same nerve or dermatome on the other side scoring at least this share of the better fit: "both sides".
BOTH_SIDES = 0.7
#: Sites named beside a peripheral nerve in the sentence.
SITES_NAMED = 2

KIND_NOUN = {"peripheral": "peripheral nerve's territory", "dermatome": "dermatome"}


def differential(
    ix: AtlasIndex, found: NerveFindings, labels: np.ndarray, weights: np.ndarray, word: str
) -> Differential | None:
    """The sentence for one group: its findings, its painted labels and their weights, its paresthesia word."""
    nerve = found.nerves[0] if found.nerves else None
    dermatome = found.dermatomes[0] if found.dermatomes else None
    if nerve is None and dermatome is None:
        return None
    if nerve is None or dermatome is None:
        alone = nerve or dermatome
        assert alone is not None
        missing = "dermatome" if dermatome is None else "peripheral nerve's territory"
        text = f"Fits {_named(alone)}; no {missing} explains it.{_both_sides(found, alone)}"
        return Differential(text, alone, None, "alone")
    if abs(nerve.explains_fraction - dermatome.explains_fraction) >= EXPLAINS_MARGIN:
        winner, rival = sorted((nerve, dermatome), key=lambda n: -n.explains_fraction)
    else:
        winner, rival = sorted((nerve, dermatome), key=lambda n: (-round(n.score, 6), -n.explains_fraction, n.kind))
    head = f"Fits {_named(winner)}"
    tail = _both_sides(found, winner)
    tw, tr = ix.nerves.territory_of[winner.key], ix.nerves.territory_of[rival.key]
    if winner.explains_fraction - rival.explains_fraction >= EXPLAINS_MARGIN:
        inside_w, inside_r, region = _membership(ix, labels, tw, tr)
        part = _reaches(ix, weights, inside_w & ~inside_r, region, float(weights.sum()), tr)
        if part:
            other = "that dermatome" if rival.kind == "dermatome" else "that nerve's skin"
            text = f"{head} better than {rival.title}: the {word} reaches the {part}, beyond {other}.{tail}"
            return Differential(text, winner, rival, "reaches", part)
        text = (
            f"{head} better than {rival.title}: {pct(winner.explains_fraction)} of the {word} lies in its skin, "
            f"{pct(rival.explains_fraction)} in the {KIND_NOUN[rival.kind]}.{tail}"
        )
        return Differential(text, winner, rival, "explains")
    region = ix.surfaces.label_region[labels]
    part = _spared(ix, weights, region, tw, tr)
    if part:
        verb = "are" if part.endswith("toes") else "is"
        text = f"{head} better than {rival.title}: the {part} {verb} spared.{tail}"
        return Differential(text, winner, rival, "spared", part)
    text = f"{head} and {rival.title} about equally: nothing drawn tells them apart.{tail}"
    return Differential(text, winner, rival, "alike")


def _both_sides(found: NerveFindings, winner: NerveCandidate) -> str:
    """ " It fits the other side as well." when the mirror image fits nearly as well."""
    same = found.nerves if winner.kind == "peripheral" else found.dermatomes
    for other in same:  # best first: only those scoring near the winner are read
        if other.score < BOTH_SIDES * winner.score:
            break
        if other.id == winner.id and other.side != winner.side:
            return f" It fits the {other.side} side as well."
    return ""


def _named(n: NerveCandidate) -> str:
    """``the territory of the median nerve (carpal tunnel, pronator teres)``."""
    names: list[str] = []
    for site in n.sites:
        if site.short_name not in names:
            names.append(site.short_name)
    return n.title + (f" ({', '.join(names[:SITES_NAMED])})" if names else "")


def _membership(ix: AtlasIndex, labels: np.ndarray, tw: int, tr: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per painted label: inside the winner's skin, inside the rival's, and its region item (-1 for none)."""
    where, items = ix.raster.members[FAMILY].expand(labels)
    owner = ix.nerves.item_territory[items]
    inside_w = np.zeros(len(labels), dtype=bool)
    inside_r = np.zeros(len(labels), dtype=bool)
    inside_w[where[owner == tw]] = True
    inside_r[where[owner == tr]] = True
    return inside_w, inside_r, ix.surfaces.label_region[labels]


def _overlap(ix: AtlasIndex) -> np.ndarray:
    return ix.nerves.region_overlap(ix.nerve_families[FAMILY], ix.surfaces.label_region, len(ix.region_names))


def _reaches(
    ix: AtlasIndex, weights: np.ndarray, chosen: np.ndarray, region: np.ndarray, total: float, rival: int
) -> str:
    """The body part mostly outside the rival's skin holding the most of the chosen paresthesia (enough of it)."""
    keep = chosen & (region >= 0)
    by_region = np.bincount(region[keep], weights=weights[keep], minlength=len(ix.region_names))
    area = ix.surfaces.area
    # the rival covering most of a body part, naming it would not tell them apart
    candidates = np.flatnonzero((by_region > 0) & (_overlap(ix)[rival] < RIVAL_COVER_MAX * area))
    by_part: dict[str, float] = {}
    for r in candidates.tolist():
        words = anatomy_words(ix.region_names[r][0])
        by_part[words] = by_part.get(words, 0.0) + float(by_region[r])
    if not by_part or total <= 0:
        return ""
    part, weight = max(sorted(by_part.items()), key=lambda kv: kv[1])
    return part if weight >= REACH_SHARE * total else ""


def _spared(ix: AtlasIndex, weights: np.ndarray, region: np.ndarray, tw: int, tr: int) -> str:
    """The unmarked body part of the rival's skin nearest the marks (see the module docstring)."""
    painted = np.unique(region[(region >= 0) & (weights > 0)])
    if not len(painted):
        return ""
    overlap, area = _overlap(ix), ix.surfaces.area
    surface, view = ix.cells.surface_of_region, ix.surfaces.item_view
    marked = np.isin(surface, surface[painted])
    near = np.isin(view, view[painted])
    candidates = np.flatnonzero(
        (area > 0) & (overlap[tr] >= SPARED_COVER * area) & (overlap[tw] <= SPARED_WINNER_MAX * area) & ~marked & near
    )
    if not len(candidates):
        return ""
    # pairs of a candidate and a painted region in one view whose bounding boxes lie close; then exact gaps
    bounds = shapely.bounds(ix.region_geoms_array)
    a, b = bounds[candidates][:, None, :], bounds[painted][None, :, :]
    box_gap = np.maximum(
        np.maximum(a[..., 0] - b[..., 2], b[..., 0] - a[..., 2]),
        np.maximum(a[..., 1] - b[..., 3], b[..., 1] - a[..., 3]),
    )
    ci, pi = np.nonzero((box_gap <= SPARED_NEAR_MM) & (view[candidates][:, None] == view[painted][None, :]))
    if not len(ci):
        return ""
    geoms = ix.region_geoms_array
    gaps = shapely.distance(geoms[candidates[ci]], geoms[painted[pi]])
    best = int(np.argmin(gaps))
    return anatomy_words(ix.region_names[int(candidates[ci[best]])][0]) if gaps[best] <= SPARED_NEAR_MM else ""
