"""Search the atlas the way a therapist asks: by name, symptom, body part or clinical term.

Every word of the query must be found for a muscle to be listed (the words
"pain", "ache", "sore" and the like are ignored when other words remain), and
the list is ordered by relevance: a match in the name comes first, then the
Latin name and synonyms, the symptoms, the referral pattern, and last the
rest of the text (perpetuating factors, self-care, ...).

A word that names a body part ("heel", "temple", "low back") is matched
against where the muscle *sends pain*: its referral zones drawn on the
chart, its symptoms and its referral text, never against the rest of its
text, where "heel" may be the heel of the hand or of a stretch. A few
clinical terms are matched by the body parts they describe as well as by
their words ("sciatica": pain from the buttock down the back or side of the
leg). Words match at the start of a word ("epicondyl" finds "epicondyle";
"heel" does not find "wheel").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

import numpy as np
import shapely

from nmt_bodymap.atlas.loader import Atlas
from nmt_bodymap.atlas.model import CAUSES, Muscle
from nmt_bodymap.atlas.query_words import (  # the word rules, also exported from here
    GENERIC_WORDS,
    STOP_WORDS,
    FieldIndex,
    content_words,
    index_fields,
    score_every_term,
    starts_a_word,
    stem,
    without_generic,
    words,
)
from nmt_bodymap.chart import Chart, ChartView

# field -> weight of one matching word; phrase matches of the whole query weigh more (see PHRASE_WEIGHTS)
WORD_WEIGHTS = {
    "name": 40.0,
    "alias": 28.0,
    "symptoms": 14.0,
    "referral": 9.0,
    "trigger points": 7.0,
    "nerves": 6.0,
    "rule out": 6.0,
    "other": 2.0,
}
PHRASE_WEIGHTS = {"name": 200.0, "alias": 150.0, "symptoms": 40.0, "referral": 25.0}
ZONE_WEIGHTS = {"essential": 16.0, "spillover": 7.0}
#: The fields where a body-part word counts (the rest of the text names body parts for other reasons).
BODY_FIELDS = ("name", "alias", "symptoms", "referral")
GRID_MM = 6.0  # zones are matched to regions by sample points this far apart
MIN_POINTS = 2  # a zone holding fewer of a region's points only touches its edge

#: Body parts a query may name, as the chart regions (names without side) that show them.
_HEAD = ("scalp", "forehead", "temple", "occiput", "eye", "ear", "mastoid", "suboccipital")
_FACE = ("forehead", "temple", "eye", "nose", "cheek", "mouth", "jaw", "chin", "ear")
_HAND = ("palm", "thenar", "hypothenar", "hand-dorsal", "hand-radial", "thumb", "thumb-palmar", "thumb-dorsal")
_FINGERS = tuple(f"finger-{f}-{s}" for f in ("index", "middle", "ring", "little") for s in ("palmar", "dorsal"))
_FOOT = ("foot-dorsum", "foot-lateral", "heel", "arch", "ball-medial", "ball-lateral", "sole-lateral")
_TOES = ("toe-big", "toes-lesser", "toe-second", "toe-third", "toe-fourth", "toe-fifth")
_LOW_BACK = ("low-back", "lumbar-lateral", "thoracolumbar", "sacral", "sacroiliac")
BODY_PARTS: dict[str, tuple[str, ...]] = {
    "head": _HEAD,
    "headache": (*_HEAD, "forehead"),
    "migraine": _HEAD,
    "temple": ("temple",),
    "forehead": ("forehead",),
    "scalp": ("scalp",),
    "face": _FACE,
    "eye": ("eye",),
    "ear": ("ear",),
    "earache": ("ear",),
    "jaw": ("jaw", "chin"),
    "tooth": ("jaw", "mouth", "cheek"),
    "teeth": ("jaw", "mouth", "cheek"),
    "toothache": ("jaw", "mouth", "cheek"),
    "cheek": ("cheek",),
    "neck": ("neck-front", "neck-side", "neck-back", "suboccipital"),
    "throat": ("neck-front",),
    "shoulder": ("shoulder-front", "shoulder-top", "shoulder-back", "shoulder-lateral"),
    "armpit": ("chest-lateral", "arm-posterior"),
    "arm": ("arm-anterior", "arm-posterior", "arm-lateral"),
    "elbow": ("elbow-anterior", "elbow-posterior", "elbow-lateral"),
    "forearm": ("forearm-volar", "forearm-dorsal", "forearm-radial"),
    "wrist": ("wrist-volar", "wrist-dorsal", "wrist-radial"),
    "hand": _HAND + _FINGERS,
    "palm": ("palm", "thenar", "hypothenar"),
    "thumb": ("thumb", "thumb-palmar", "thumb-dorsal", "thenar"),
    "finger": _FINGERS,
    "chest": ("chest-upper", "chest-lower", "chest-lateral", "sternum"),
    "breast": ("chest-upper", "chest-lower"),
    "sternum": ("sternum",),
    "rib": ("chest-lateral", "chest-lower", "flank", "hypochondrium"),
    "abdomen": ("epigastric", "umbilical", "hypogastric", "hypochondrium", "iliac-fossa"),
    "belly": ("epigastric", "umbilical", "hypogastric", "hypochondrium", "iliac-fossa"),
    "stomach": ("epigastric", "umbilical", "hypochondrium"),
    "groin": ("groin", "pubic"),
    "back": (*_LOW_BACK, "mid-back", "interscapular", "back-lateral", "supraspinous", "infraspinous"),
    "spine": ("low-back", "mid-back", "interscapular", "neck-back"),
    "scapula": ("interscapular", "supraspinous", "infraspinous", "shoulder-back"),
    "shoulder blade": ("interscapular", "supraspinous", "infraspinous", "shoulder-back"),
    "low back": _LOW_BACK,
    "lumbago": _LOW_BACK,
    "upper back": ("interscapular", "supraspinous", "infraspinous", "mid-back", "shoulder-back"),
    "mid back": ("mid-back", "interscapular", "back-lateral"),
    "sacrum": ("sacral", "sacroiliac"),
    "tailbone": ("coccygeal", "sacral"),
    "coccyx": ("coccygeal",),
    "hip": ("hip-lateral", "buttock-upper", "groin"),
    "buttock": ("buttock", "buttock-upper"),
    "glute": ("buttock", "buttock-upper"),
    "thigh": ("thigh-anterior", "thigh-lateral", "thigh-medial", "thigh-posterior"),
    "knee": ("knee-anterior", "knee-posterior", "knee-lateral"),
    "kneecap": ("knee-anterior",),
    "leg": ("thigh-anterior", "thigh-lateral", "thigh-medial", "thigh-posterior", "shin", "calf", "leg-lateral"),
    "shin": ("shin", "leg-medial"),
    "calf": ("calf",),
    "ankle": ("ankle-anterior", "ankle-lateral", "ankle-medial"),
    "achilles": ("achilles",),
    "heel": ("heel",),
    "foot": _FOOT + _TOES,
    "feet": _FOOT + _TOES,
    "sole": ("heel", "arch", "ball-medial", "ball-lateral", "sole-lateral"),
    "arch": ("arch",),
    "toe": _TOES,
    "toes": _TOES,
}
#: Clinical terms matched by the body parts they describe: each group of regions must be reached.
CONCEPTS: dict[str, tuple[tuple[str, ...], ...]] = {
    # pain from the buttock down the back or the side of the leg
    "sciatica": (("buttock", "buttock-upper"), ("thigh-posterior", "thigh-lateral", "calf", "leg-lateral")),
    "plantar fasciitis": (("heel", "arch"),),
    "shin splints": (("shin", "leg-medial"),),
    "tennis elbow": (("elbow-lateral",),),
    "frozen shoulder": (("shoulder-front", "shoulder-back", "shoulder-lateral"),),
    "whiplash": (("neck-back", "neck-side", "suboccipital"),),
    "carpal tunnel": (("palm", "thenar", *_FINGERS),),
}


@dataclass(frozen=True)
class Hit:
    """A muscle found, its relevance, and where the query matched (for the tooltip)."""

    muscle: str
    score: float
    matched: tuple[str, ...]


@dataclass
class _Indexed(FieldIndex):
    zones: dict[str, str]  # chart region name -> "essential" or "spillover"


class AtlasSearch:
    """A search index over an atlas and where its patterns lie on the chart."""

    def __init__(self, atlas: Atlas, chart: Chart | None = None) -> None:
        self.atlas = atlas
        self.chart = chart
        self._grids: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]] = {}
        if chart is not None:
            for name, view in chart.views.items():
                self._grids[name] = _region_grid(view)
        self._index = {m.id: self._index_muscle(m) for m in atlas.muscles.values()}

    def _index_muscle(self, m: Muscle) -> _Indexed:
        texts: dict[str, list[str]] = {
            "name": [m.name, m.id.replace("-", " ")],
            "alias": [m.latin, *m.synonyms],
            "symptoms": list(m.symptoms),
            "referral": [m.referral],
            "trigger points": [t.label for t in m.trigger_points],
            "nerves": [f"{e.nerve} {e.symptoms}" for e in m.entrapments],
            "rule out": [r.condition for r in m.rule_out],
            "other": [
                m.group_title,
                m.innervation,
                *m.actions,
                *(t.location for t in m.trigger_points),
                *(f"{CAUSES.get(p.cause, '')} {p.text}" for p in m.perpetuating),
                *(s.text for s in m.self_care),
            ],
        }
        return _Indexed(*index_fields(texts), self._zones(m))

    def _zones(self, m: Muscle) -> dict[str, str]:
        """Chart regions (by name) that the muscle's zones reach, on the side it is authored for."""
        if self.chart is None:
            return {}
        reached: dict[str, str] = {}
        for sided in self.atlas.sided_for(m.id):
            if sided.side == "left":
                continue
            for kind, zones in (("essential", sided.essential), ("spillover", sided.spillover)):
                for view, geom in zones.items():
                    xs, ys, label, names = self._grids[view]
                    minx, miny, maxx, maxy = geom.bounds
                    near = (xs >= minx) & (xs <= maxx) & (ys >= miny) & (ys <= maxy)
                    inside = shapely.contains_xy(geom, xs[near], ys[near])
                    counts = np.bincount(label[near][inside], minlength=len(names))
                    for i in np.flatnonzero(counts >= MIN_POINTS):
                        if reached.get(names[i]) != "essential":
                            reached[names[i]] = kind
        return reached

    def search(self, query: str) -> list[Hit]:
        """Muscles matching every word of ``query``, most relevant first (empty for an empty query)."""
        terms, phrase = _parse(query)
        if not terms:
            return []
        hits = []
        for mid, idx in self._index.items():
            scored = score_every_term(terms, phrase, partial(self._term_score, idx=idx), idx.texts, PHRASE_WEIGHTS)
            if scored is not None:
                hits.append(Hit(mid, *scored))
        names = {mid: m.name.lower() for mid, m in self.atlas.muscles.items()}
        return sorted(hits, key=lambda h: (-h.score, names[h.muscle]))

    def _term_score(self, term: str, idx: _Indexed) -> tuple[float, str]:
        best, where = 0.0, ""
        concept = CONCEPTS.get(term)
        part = BODY_PARTS.get(term)
        fields = BODY_FIELDS if part is not None else tuple(WORD_WEIGHTS)
        for fld in fields:
            if WORD_WEIGHTS[fld] > best and idx.has(term, fld):
                best, where = WORD_WEIGHTS[fld], fld
        if part is not None:
            kinds = [idx.zones[r] for r in part if r in idx.zones]
            if kinds:
                zone = ZONE_WEIGHTS["essential" if "essential" in kinds else "spillover"]
                if zone > best or best < WORD_WEIGHTS["symptoms"]:
                    best, where = best + zone, f"pain zone ({term})"
        if concept is not None and best < WORD_WEIGHTS["alias"]:
            reached = [[idx.zones[r] for r in group if r in idx.zones] for group in concept]
            if all(reached):
                essential = any("essential" in kinds for kinds in reached)
                zone = ZONE_WEIGHTS["essential" if essential else "spillover"] * 0.75
                best, where = best + zone, f"pain zone ({term})"
        return best, where


def _region_grid(view: ChartView) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Sample points over a view's body, each labelled with its region's name (index into the list)."""
    minx, miny, maxx, maxy = view.silhouette.bounds
    gx, gy = np.meshgrid(np.arange(minx, maxx, GRID_MM), np.arange(miny, maxy, GRID_MM))
    xs, ys = gx.ravel(), gy.ravel()
    regions = list(view.regions.values())
    names = sorted({r.name for r in regions})
    tree = shapely.STRtree([r.geometry for r in regions])
    point_i, region_i = tree.query(shapely.points(xs, ys), predicate="intersects")
    label = np.full(len(xs), -1, dtype=np.int64)
    region_label = np.array([names.index(r.name) for r in regions], dtype=np.int64)
    label[point_i[::-1]] = region_label[region_i[::-1]]  # where regions meet, the first one listed wins
    keep = label >= 0
    return xs[keep], ys[keep], label[keep], names


def _parse(query: str) -> tuple[list[str], str]:
    """The query's terms (multi-word body parts and clinical terms kept whole) and its phrase."""
    meaningful = without_generic(content_words(query))
    phrase = " ".join(meaningful)
    terms: list[str] = []
    i = 0
    while i < len(meaningful):
        pair = " ".join(meaningful[i : i + 2])
        if i + 1 < len(meaningful) and (pair in BODY_PARTS or pair in CONCEPTS):
            terms.append(pair)
            i += 2
            continue
        word = meaningful[i]
        terms.append(word if word in BODY_PARTS or word in CONCEPTS else stem(word) if len(word) > 3 else word)
        i += 1
    return terms, phrase


def search(atlas: Atlas, query: str, chart: Chart | None = None) -> list[Hit]:
    """One search (builds the index; keep an :class:`AtlasSearch` to search repeatedly)."""
    return AtlasSearch(atlas, chart).search(query)


def muscle_ids(hits: Iterable[Hit]) -> list[str]:
    return [h.muscle for h in hits]


__all__ = [
    "BODY_PARTS",
    "CONCEPTS",
    "GENERIC_WORDS",
    "STOP_WORDS",
    "AtlasSearch",
    "Hit",
    "muscle_ids",
    "search",
    "starts_a_word",
    "stem",
    "words",
]
