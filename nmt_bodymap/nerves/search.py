"""Search the nerve atlas the way a therapist asks: by nerve, root level, symptom or entrapment site.

Like the muscle search (:mod:`nmt_bodymap.atlas.search`, whose word rules it
shares), every word of the query must be found for a nerve or dermatome to
be listed, best match first: a match in the name, then the synonyms and the
entrapment sites (their names, the landmark beside them), what the client
feels and the skin supplied, the tests and compressing structures, the
muscles supplied, the rule-out lines, and last the rest.

A root level ("C6", "L5", "S4-5") is matched as a level: the dermatome of
that level first, then the peripheral nerves whose fibres come from that
root, those whose skin lies most inside that dermatome first (so "L5" lists
the L5 dermatome, then the fibular nerves of the top of the foot, the
picture a root lesion is confused with). "carpal tunnel" finds the median
nerve first, "fibular head" the common fibular nerve.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial

import shapely
from shapely.geometry.base import BaseGeometry

from nmt_bodymap.atlas.query_words import FieldIndex, content_words, index_fields, score_every_term, without_generic
from nmt_bodymap.nerves import Nerve, NerveAtlas

#: field -> weight of one matching word
WORD_WEIGHTS = {
    "name": 40.0,
    "alias": 28.0,
    "sites": 30.0,
    "symptoms": 12.0,
    "tests": 8.0,
    "supplies": 8.0,
    "rule out": 6.0,
    "other": 2.0,
}
#: field -> weight of the whole query found there as a phrase
PHRASE_WEIGHTS = {"name": 200.0, "alias": 150.0, "sites": 150.0, "symptoms": 30.0}
DERMATOME_LEVEL = 100.0  # the query names this dermatome's level
ROOT_LEVEL = 20.0  # the query names one of this nerve's roots...
ROOT_OVERLAP = 20.0  # ...plus this much times the share of its skin inside that level's dermatome
_LEVEL = re.compile(r"^[ctls]\d{1,2}$")


@dataclass(frozen=True)
class NerveHit:
    """A nerve or dermatome found, its relevance, and where the query matched (for the tooltip)."""

    nerve: str
    score: float
    matched: tuple[str, ...]


@dataclass
class _Indexed(FieldIndex):
    levels: frozenset[str]  # "c6", or a nerve's roots


def level_tokens(level: str) -> frozenset[str]:
    """``{"s4", "s5"}`` for the dermatome "S4-5", ``{"c6"}`` for "C6"."""
    low = level.lower()
    match = re.fullmatch(r"([ctls])(\d{1,2})-(\d{1,2})", low)
    if match:
        letter, first, last = match.groups()
        return frozenset(f"{letter}{n}" for n in range(int(first), int(last) + 1))
    return frozenset({low})


class NerveSearch:
    """A search index over the nerve atlas."""

    def __init__(self, atlas: NerveAtlas) -> None:
        self.atlas = atlas
        self._index = {n.id: self._index_nerve(n) for n in atlas.nerves.values()}
        self._overlaps: dict[tuple[str, str], float] = {}
        self._dermatomes: dict[str, dict[str, BaseGeometry]] = {}

    def _index_nerve(self, n: Nerve) -> _Indexed:
        parent = self.atlas.nerves.get(n.parent) if n.parent else None
        texts: dict[str, list[str]] = {
            "name": [n.name, n.id.replace("-", " ")],
            "alias": list(n.synonyms),
            "sites": [f"{s.name} {s.landmark.replace('-', ' ')}" for s in n.sites],
            "symptoms": [n.territory_text, *(s.felt for s in n.sites)],
            "tests": [f"{s.structure} {s.test}" for s in n.sites],
            "supplies": [*n.supplies, *(m.replace("-", " ") for m in n.atlas_muscles)],
            "rule out": [f"{r.condition} {r.signs}" for r in n.rule_out],
            "other": [n.kind_title, n.group_title, n.key_point, parent.name if parent else ""],
        }
        levels = frozenset(t for level in n.levels for t in level_tokens(level))
        return _Indexed(*index_fields(texts), levels)

    def search(self, query: str) -> list[NerveHit]:
        """Nerves and dermatomes matching every word of ``query``, most relevant first (empty for no query)."""
        terms, phrase = parse(query)
        if not terms:
            return []
        hits = []
        for nid, idx in self._index.items():
            scored = score_every_term(
                terms, phrase, partial(self._term_score, nid=nid, idx=idx), idx.texts, PHRASE_WEIGHTS
            )
            if scored is not None:
                hits.append(NerveHit(nid, *scored))
        names = {nid: n.name.lower() for nid, n in self.atlas.nerves.items()}
        return sorted(hits, key=lambda h: (-h.score, names[h.nerve]))

    def _term_score(self, term: str, nid: str, idx: _Indexed) -> tuple[float, str]:
        best, where = 0.0, ""
        for fld, weight in WORD_WEIGHTS.items():
            if weight > best and idx.has(term, fld):
                best, where = weight, fld
        if _LEVEL.match(term) and term in idx.levels:
            nerve = self.atlas.nerves[nid]
            if nerve.kind == "dermatome":
                best, where = DERMATOME_LEVEL, "level"
            else:
                score = ROOT_LEVEL + ROOT_OVERLAP * self.skin_in_dermatome(nid, term)
                if score > best:
                    best, where = score, "roots"
        return best, where

    def skin_in_dermatome(self, nerve_id: str, level: str) -> float:
        """The share of a nerve's skin (its whole territory, right side) inside the dermatome of ``level``."""
        key = (nerve_id, level)
        if key not in self._overlaps:
            skin = self.atlas.nerves[nerve_id].territory
            total = sum(g.area for g in skin.values())
            dermatome = self._dermatome_skin(level)
            inside = sum(shapely.intersection(g, dermatome[v]).area for v, g in skin.items() if v in dermatome)
            self._overlaps[key] = min(1.0, inside / total) if total > 0 else 0.0
        return self._overlaps[key]

    def _dermatome_skin(self, level: str) -> dict[str, BaseGeometry]:
        if level not in self._dermatomes:
            by_view: dict[str, list[BaseGeometry]] = {}
            for dermatome in self.atlas.dermatomes:
                if level in level_tokens(dermatome.level):
                    for view, geom in dermatome.own.items():
                        by_view.setdefault(view, []).append(geom)
            self._dermatomes[level] = {view: shapely.union_all(parts) for view, parts in by_view.items()}
        return self._dermatomes[level]


def parse(query: str) -> tuple[list[str], str]:
    """The query's terms and its phrase; "S4-5" gives the levels ``s4`` and ``s5``."""
    raw = content_words(query)
    merged: list[str] = []
    for w in raw:
        previous = merged[-1] if merged else ""
        if w.isdigit() and _LEVEL.match(previous):
            # "s4-5", "c5-6": a range of levels
            merged.extend(f"{previous[0]}{n}" for n in range(int(previous[1:]) + 1, int(w) + 1))
            continue
        merged.append(w)
    meaningful = without_generic(merged)
    return meaningful, " ".join(meaningful)


def search_nerves(atlas: NerveAtlas, query: str) -> list[NerveHit]:
    """One search (builds the index; keep a :class:`NerveSearch` to search repeatedly)."""
    return NerveSearch(atlas).search(query)


__all__ = ["NerveHit", "NerveSearch", "level_tokens", "parse", "search_nerves"]
