"""Where a referral pattern is felt, in words a client reads without a glossary.

The handout tells the client where a muscle's trigger point usually sends
its pain. The atlas's own texts are written for therapists, so the handout
builds this line from the pattern's geometry instead: the chart regions its
essential zones cover, largest first, each named in everyday words.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import numpy as np
import shapely

from nmt_bodymap.atlas import SidedTriggerPoint
from nmt_bodymap.chart import Chart, ChartView

#: Every chart region name, in everyday words (with its article, so it reads in a sentence).
REGION_WORDS: dict[str, str] = {
    "achilles": "the back of the heel and ankle",
    "ankle-anterior": "the front of the ankle",
    "ankle-lateral": "the outer ankle",
    "ankle-medial": "the inner ankle",
    "arch": "the arch of the foot",
    "arm-anterior": "the front of the upper arm",
    "arm-lateral": "the outer upper arm",
    "arm-posterior": "the back of the upper arm",
    "back-lateral": "the side of the back",
    "ball-lateral": "the ball of the foot (little-toe side)",
    "ball-medial": "the ball of the foot (big-toe side)",
    "buttock": "the buttock",
    "buttock-upper": "the upper buttock",
    "calf": "the calf",
    "cheek": "the cheek",
    "chest-lateral": "the side of the chest",
    "chest-lower": "the lower chest",
    "chest-upper": "the upper chest",
    "chin": "the chin",
    "coccygeal": "the tailbone",
    "ear": "the ear",
    "elbow-anterior": "the inside bend of the elbow",
    "elbow-lateral": "the outer elbow",
    "elbow-posterior": "the back of the elbow",
    "epigastric": "the upper belly",
    "eye": "the eye",
    "finger-index-dorsal": "the back of the index finger",
    "finger-index-palmar": "the palm side of the index finger",
    "finger-little-dorsal": "the back of the little finger",
    "finger-little-palmar": "the palm side of the little finger",
    "finger-middle-dorsal": "the back of the middle finger",
    "finger-middle-palmar": "the palm side of the middle finger",
    "finger-ring-dorsal": "the back of the ring finger",
    "finger-ring-palmar": "the palm side of the ring finger",
    "flank": "the side of the waist",
    "foot-dorsum": "the top of the foot",
    "foot-lateral": "the outer edge of the foot",
    "forearm-dorsal": "the back of the forearm",
    "forearm-radial": "the thumb side of the forearm",
    "forearm-volar": "the palm side of the forearm",
    "forehead": "the forehead",
    "groin": "the groin",
    "hand-dorsal": "the back of the hand",
    "hand-radial": "the thumb side of the hand",
    "heel": "the heel",
    "hip-lateral": "the outer hip",
    "hypochondrium": "the belly just below the ribs",
    "hypogastric": "the lower belly",
    "hypothenar": "the little-finger side of the palm",
    "iliac-fossa": "the lower side of the belly",
    "infraspinous": "the shoulder blade",
    "interscapular": "between the shoulder blades",
    "jaw": "the jaw",
    "knee-anterior": "the front of the knee",
    "knee-lateral": "the outer knee",
    "knee-posterior": "the back of the knee",
    "leg-lateral": "the outer lower leg",
    "leg-medial": "the inner lower leg",
    "low-back": "the low back",
    "lumbar-lateral": "the side of the low back",
    "mastoid": "behind the ear",
    "mid-back": "the middle of the back",
    "mouth": "the mouth and teeth",
    "neck-back": "the back of the neck",
    "neck-front": "the front of the neck",
    "neck-side": "the side of the neck",
    "nose": "the nose",
    "occiput": "the back of the head",
    "palm": "the palm",
    "pubic": "just above the pubic bone",
    "sacral": "the base of the spine",
    "sacroiliac": "the dimples of the low back",
    "scalp": "the top of the head",
    "shin": "the shin",
    "shoulder-back": "the back of the shoulder",
    "shoulder-front": "the front of the shoulder",
    "shoulder-lateral": "the outer shoulder",
    "shoulder-top": "the top of the shoulder",
    "sole-lateral": "the outer sole",
    "sternum": "the breastbone",
    "suboccipital": "the base of the skull",
    "supraspinous": "the top of the shoulder blade",
    "temple": "the temple",
    "thenar": "the ball of the thumb",
    "thigh-anterior": "the front of the thigh",
    "thigh-lateral": "the outer thigh",
    "thigh-medial": "the inner thigh",
    "thigh-posterior": "the back of the thigh",
    "thoracolumbar": "the back at the bottom of the ribs",
    "thumb": "the thumb",
    "thumb-dorsal": "the back of the thumb",
    "thumb-palmar": "the palm side of the thumb",
    "toe-big": "the big toe",
    "toe-fifth": "the little toe",
    "toe-fourth": "the fourth toe",
    "toe-second": "the second toe",
    "toe-third": "the third toe",
    "toes-lesser": "the smaller toes",
    "umbilical": "around the navel",
    "wrist-dorsal": "the back of the wrist",
    "wrist-radial": "the thumb side of the wrist",
    "wrist-volar": "the palm side of the wrist",
}

#: At most this many places are named; the smallest slivers are left out.
MAX_PLACES = 5
MIN_SHARE = 0.04


def region_words(name: str) -> str:
    """A region in everyday words (its name with spaces when the table has no entry)."""
    return REGION_WORDS.get(name, "the " + name.replace("-", " "))


_TREES: dict[int, tuple[list[str], np.ndarray, shapely.STRtree]] = {}


def _regions(view: ChartView) -> tuple[list[str], np.ndarray, shapely.STRtree]:
    """A view's region names, outlines and a search tree over them (kept per view object)."""
    key = id(view)
    if key not in _TREES:
        regions = list(view.regions.values())
        geoms = np.array([r.geometry for r in regions], dtype=object)
        _TREES[key] = ([r.name for r in regions], geoms, shapely.STRtree(geoms))
    return _TREES[key]


def felt_regions(chart: Chart, patterns: Iterable[SidedTriggerPoint]) -> list[str]:
    """Region names the essential zones cover, largest area first (slivers under 4 % left out)."""
    area: dict[str, float] = defaultdict(float)
    for sided in patterns:
        for view_name, zone in sided.essential.items():
            names, geoms, tree = _regions(chart.view(view_name))
            hits = tree.query(zone, predicate="intersects")
            for i, shared in zip(hits, shapely.area(shapely.intersection(geoms[hits], zone)), strict=True):
                area[names[int(i)]] += float(shared)
    total = sum(area.values())
    if total <= 0:
        return []
    ranked = sorted(area, key=lambda n: -area[n])
    return [n for n in ranked if area[n] / total >= MIN_SHARE][:MAX_PLACES]


def join_words(parts: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def where_felt(chart: Chart, patterns: Iterable[SidedTriggerPoint]) -> str:
    """A sentence fragment: ``the temple, the back of the neck and the jaw``."""
    return join_words([region_words(n) for n in felt_regions(chart, patterns)])
