"""What the lookup says about numbness, tingling and burning: nerves, dermatomes, entrapment sites, the differential.

:class:`NerveFindings` is one group's answer (the whole drawing, or one
complaint): the peripheral nerves and the dermatomes whose skin explains the
paresthesia, each best first, the entrapment sites ranked from the nerves
that fit (:class:`EntrapmentCandidate`), and the differential in words
(:class:`Differential`). The terms are in :mod:`.scoring`
(:func:`~.scoring.territory_score`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Generic, TypeVar, overload

from nmt_bodymap.lookup.words import pct, short_site_name

T = TypeVar("T")


class LazyList(Sequence[T], Generic[T]):
    """Items best first, each put together only when it is read (the app reads the first few)."""

    def __init__(self, count: int, make: Callable[[int], T]) -> None:
        self._count = count
        self._make = make
        self._built: dict[int, T] = {}

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...
    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._count))]
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError("index out of range")
        found = self._built.get(index)
        if found is None:
            found = self._built[index] = self._make(index)
        return found

    def __iter__(self) -> Iterator[T]:
        return (self[i] for i in range(self._count))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def __repr__(self) -> str:
        return f"LazyList({self._count} items)"


@dataclass(frozen=True)
class EntrapmentCandidate:
    """A place where a nerve may be caught, ranked for the numbness, tingling or burning drawn.

    Sites of the nerve atlas are scored by the skin a compression there
    affects (the nerve's territory less the branches the site spares); a
    muscle's entrapment outside the nerve atlas, or on a nerve with no skin,
    by the chart regions its muscle file names.
    """

    muscle: str  # the atlas muscle that compresses the nerve there; "" when a tunnel or a ligament does
    muscle_name: str  # that muscle's name; the site's name where no muscle compresses it
    nerve: str  # the nerve's name
    site: str  # the site's name
    symptoms: str  # what the client feels
    side: str
    score: float
    share: float  # of the numbness/tingling/burning inside the skin a compression here affects
    muscle_rank: int | None  # where the muscle's best trigger point ranks, 1-based
    nerve_id: str = ""  # the nerve atlas's nerve ("" for a muscle's entrapment outside the nerve atlas)
    site_id: str = ""
    landmark: str = ""  # the chart landmark nearest the site
    test: str = ""  # a provocation test a therapist can do
    structure: str = ""  # what compresses the nerve there
    territory_painted: float = 0.0  # share of the affected skin marked
    by_regions: bool = False  # scored by the muscle file's regions, not by a territory

    @property
    def key(self) -> str:
        """``median/carpal-tunnel:right``; ``muscle:nerve:side`` for an entrapment outside the nerve atlas."""
        if self.nerve_id and self.site_id:
            return f"{self.nerve_id}/{self.site_id}:{self.side}"
        return f"{self.muscle}:{self.nerve}:{self.side}"

    @property
    def short_name(self) -> str:
        return short_site_name(self.site)

    @property
    def place(self) -> str:
        """Where, in a few words: ``carpal tunnel``, ``scalene triangle (scalene muscles)``."""
        name = self.short_name
        if not self.muscle or self.muscle_name.lower() in name.lower():
            return name
        return f"{name} ({self.muscle_name.lower()})"

    def explanation_text(self) -> str:
        where = "where this nerve is felt" if self.by_regions else "in the skin a compression here numbs"
        text = f"{pct(self.share)} of the numbness, tingling or burning lies {where}"
        if not self.by_regions:
            text += f" ({pct(self.territory_painted)} of that skin is marked)"
        if self.muscle_rank:
            text += f"; the {self.muscle_name.lower()} itself ranks #{self.muscle_rank}"
        return text

    def site_json(self) -> dict[str, object]:
        """The site as ``lookup --json`` lists it under a nerve."""
        return {
            "id": self.site_id or None,
            "name": self.site,
            "nerve_id": self.nerve_id or None,
            "muscle": self.muscle or None,
            "muscle_name": self.muscle_name if self.muscle else None,
            "landmark": self.landmark or None,
            "test": self.test or None,
            "score": round(self.score, 2),
            "explains_fraction": round(self.share, 4),
        }

    def to_json(self) -> dict[str, object]:
        return {
            "muscle": self.muscle,
            "muscle_name": self.muscle_name,
            "nerve": self.nerve,
            "nerve_id": self.nerve_id or None,
            "site": self.site,
            "site_id": self.site_id or None,
            "structure": self.structure or None,
            "landmark": self.landmark or None,
            "test": self.test or None,
            "symptoms": self.symptoms,
            "side": self.side,
            "score": round(self.score, 2),
            "explanation": {
                "paresthesia_share": round(self.share, 4),
                "territory_painted": None if self.by_regions else round(self.territory_painted, 4),
                "muscle_rank": self.muscle_rank,
                "text": self.explanation_text(),
            },
        }


@dataclass(frozen=True)
class NerveCandidate:
    """A peripheral nerve's or a dermatome's skin on one side, and how well it explains the paresthesia."""

    id: str  # the nerve atlas id ("median", "c6")
    name: str
    kind: str  # "peripheral" or "dermatome"
    side: str
    score: float
    explains_fraction: float  # share of the paresthesia inside its skin
    territory_painted: float  # share of its skin marked
    levels: tuple[str, ...]  # root levels (a peripheral nerve) or its level (a dermatome)
    sites: Sequence[EntrapmentCandidate] = ()  # sites on it or above it whose skin fits, best first
    key_point: str = ""  # a dermatome's place to test

    @property
    def key(self) -> str:
        return f"{self.id}:{self.side}"

    @property
    def outside_fraction(self) -> float:
        """Share of the paresthesia outside its skin."""
        return max(0.0, 1.0 - self.explains_fraction)

    @property
    def title(self) -> str:
        """Its name inside a sentence: ``the median nerve territory``, ``the C6 dermatome``."""
        if self.kind == "dermatome":
            return f"the {self.name}"
        name = self.name if self.name[1:2].isupper() else self.name[:1].lower() + self.name[1:]
        return f"the territory of the {name}"

    def explanation_text(self) -> str:
        text = f"{pct(self.explains_fraction)} of the numbness, tingling or burning lies in its skin"
        return text + f"; {pct(self.territory_painted)} of its skin is marked"

    def to_json(self) -> dict[str, object]:
        record: dict[str, object] = {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "side": self.side,
            "score": round(self.score, 2),
            "explains_fraction": round(self.explains_fraction, 4),
            "outside_fraction": round(self.outside_fraction, 4),
            "territory_painted": round(self.territory_painted, 4),
            "levels": list(self.levels),
            "entrapment_sites": [s.site_json() for s in self.sites],
        }
        if self.kind == "dermatome":
            record["key_point"] = self.key_point
        return record


@dataclass(frozen=True)
class Differential:
    """The paresthesia differential in words, and what it rests on.

    ``winner`` and ``rival`` are the best peripheral nerve and the best
    dermatome (either may be missing), the better fit first; ``reason`` is
    ``reaches`` (the paresthesia reaches a body part ``part`` inside the
    winner and outside the rival), ``spared`` (the rival's skin at ``part``,
    next to the drawing, is left unmarked), ``alike`` (nothing drawn tells
    them apart) or ``alone`` (only one kind fits).
    """

    text: str
    winner: NerveCandidate
    rival: NerveCandidate | None
    reason: str
    part: str = ""

    def to_json(self) -> dict[str, object]:
        return {
            "text": self.text,
            "winner": self.winner.key,
            "rival": self.rival.key if self.rival else None,
            "reason": self.reason,
            "part": self.part or None,
        }


class NerveFindings:
    """One group's nerves, dermatomes, entrapment sites and differential, each put together when read."""

    def __init__(
        self,
        nerves: Sequence[NerveCandidate] = (),
        dermatomes: Sequence[NerveCandidate] = (),
        entrapments: list[EntrapmentCandidate] | Callable[[], list[EntrapmentCandidate]] | None = None,
        differential: Callable[[], Differential | None] | None = None,
    ) -> None:
        self.nerves = nerves  # peripheral nerves, best first
        self.dermatomes = dermatomes  # best first
        self._entrapments = entrapments
        self.find_differential = differential

    @cached_property
    def entrapments(self) -> list[EntrapmentCandidate]:
        """The likeliest entrapment sites, best first."""
        found = self._entrapments
        return list(found() if callable(found) else found or [])

    @cached_property
    def differential(self) -> Differential | None:
        return self.find_differential() if self.find_differential is not None else None

    def ranked(self) -> list[NerveCandidate]:
        """Nerves and dermatomes together, best first (as ``lookup --json`` lists them)."""
        both = [*self.nerves, *self.dermatomes]
        return sorted(both, key=lambda n: (-round(n.score, 9), n.kind != "peripheral", n.key))
