"""The word rules both atlas searches (muscles, nerves) share, and their scoring of a query.

A query and the text it is matched against are cut into lower-case words
the same way (:func:`words`); a query word is found where it begins a word
of the text (:func:`starts_a_word`, after :func:`stem` drops a plural). An
entry is listed only if every term of the query is found
(:func:`score_every_term`): its score is the sum of each term's best field
weight, plus a bonus for each field that holds the whole query as a phrase.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

#: Words that carry no meaning in a query (dropped, unless nothing else is left).
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "and",
        "or",
        "my",
        "his",
        "her",
        "their",
        "with",
        "to",
        "from",
        "for",
        "by",
        "into",
        "is",
        "are",
        "it",
        "its",
        "this",
        "that",
        "musculus",
        "muscle",
        "muscles",
        "m",
    ]
)
GENERIC_WORDS = frozenset(
    [
        "pain",
        "pains",
        "painful",
        "ache",
        "aches",
        "aching",
        "achy",
        "hurt",
        "hurts",
        "hurting",
        "sore",
        "soreness",
        "discomfort",
        "problem",
        "problems",
    ]
)

#: Phrases whose body-part word means something else.
_REWRITES = (
    ("heel of the hand", "base of the palm"),
    ("heel of your hand", "base of your palm"),
    ("lower back", "low back"),
)
_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    """Lower-case words of ``text`` (apostrophes dropped, hyphens split)."""
    text = text.lower().replace("'", "").replace("\u2019", "")
    for old, new in _REWRITES:
        text = text.replace(old, new)
    return _WORD.findall(text)


def stem(word: str) -> str:
    """A query word without its plural ending ("tunnels" -> "tunnel", "patches" -> "patch")."""
    if len(word) > 4 and word.endswith("es") and word[:-2].endswith(("ch", "sh", "x")):
        return word[:-2]
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def starts_a_word(term: str, field_words: set[str]) -> bool:
    """Does a query word (stemmed) begin a word of the field?"""
    if len(term) < 3:
        return term in field_words
    return any(w.startswith(term) for w in field_words)


def content_words(query: str) -> list[str]:
    """The query's words without those that carry no meaning (:data:`STOP_WORDS`)."""
    return [w for w in words(query) if w not in STOP_WORDS]


def without_generic(query_words: list[str]) -> list[str]:
    """The words without "pain", "ache" and the like, unless nothing else is left."""
    return [w for w in query_words if w not in GENERIC_WORDS] or query_words


@dataclass
class FieldIndex:
    """An entry's searchable texts by field: the set of their words, and one string of words (for phrases)."""

    fields: dict[str, set[str]]
    texts: dict[str, str]

    def has(self, term: str, field: str) -> bool:
        """A one-word term begins a word of the field; a phrase ("tennis elbow") appears as a phrase."""
        if " " not in term:
            return starts_a_word(stem(term), self.fields[field])
        return f" {term}" in f" {self.texts[field]}"


def index_fields(texts: Mapping[str, Sequence[str]]) -> tuple[dict[str, set[str]], dict[str, str]]:
    """The arguments of a :class:`FieldIndex` of an entry's texts by field."""
    joined = {k: " ".join(w for t in v for w in words(t)) for k, v in texts.items()}
    return {k: set(v.split()) for k, v in joined.items()}, joined


def score_every_term(
    terms: Sequence[str],
    phrase: str,
    term_score: Callable[[str], tuple[float, str]],
    texts: Mapping[str, str],
    phrase_weights: Mapping[str, float],
) -> tuple[float, tuple[str, ...]] | None:
    """An entry's score and where its terms matched, or None when a term is not found.

    ``term_score`` gives a term's best weight and the field it was found in;
    a field of ``texts`` holding the whole ``phrase`` adds its phrase weight.
    """
    total, matched = 0.0, []
    for term in terms:
        best, where = term_score(term)
        if best <= 0:
            return None
        total += best
        matched.append(where)
    for fld, weight in phrase_weights.items():
        if phrase and f" {phrase} " in f" {texts[fld]} ":
            total += weight
    return total, tuple(dict.fromkeys(matched))


__all__ = [
    "GENERIC_WORDS",
    "STOP_WORDS",
    "FieldIndex",
    "content_words",
    "index_fields",
    "score_every_term",
    "starts_a_word",
    "stem",
    "without_generic",
    "words",
]
