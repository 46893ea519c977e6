"""What a ranking returns: candidates with their explanations, complaints, and the result.

These types carry the engine's numbers to the app, the command line and
the exports, and put them into words a therapist reads at a glance. They
know nothing of how the numbers are computed: the parts worked out only on
demand (the combination, the unexplained pain's outline) arrive as
functions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import overload

from shapely.geometry.base import BaseGeometry

from nmt_bodymap.atlas.model import PREVALENCE, RuleOut
from nmt_bodymap.lookup.nerve_result import (
    Differential,
    EntrapmentCandidate,
    NerveCandidate,
    NerveFindings,
)
from nmt_bodymap.lookup.words import pct

__all__ = [
    "Candidate",
    "CandidateList",
    "Complaint",
    "ComplaintResult",
    "Differential",
    "EntrapmentCandidate",
    "LookupResult",
    "NerveCandidate",
    "NerveFindings",
    "pct",
]

_PALPATION_WORDS = {"active": "palpated active", "latent": "palpated latent", "not-tender": "palpated not tender"}


@dataclass(frozen=True)
class Candidate:
    """One sided trigger point and why it ranks where it does (the terms are in :mod:`.scoring`)."""

    key: str
    muscle: str
    muscle_name: str
    trigger_point: str
    trigger_point_label: str
    side: str
    score: float
    essential_share: float  # share of the pain inside the essential zone
    spillover_share: float  # share of the pain inside the spillover zone
    zone_painted: float  # share of the essential zone painted
    pattern_factor: float  # 1/2 .. 1: how much of the pattern is drawn (a quarter counts as all)
    muscle_share: float  # the pain the muscle's trigger points on this side explain together
    prevalence: str  # a key of PREVALENCE
    prevalence_factor: float
    pain_over_trp: bool
    palpation: str | None
    rule_out: tuple[RuleOut, ...] = ()

    @property
    def explained_share(self) -> float:
        """The pain the pattern explains: essential share plus half the spillover share."""
        return self.essential_share + self.spillover_share / 2

    def explanation_text(self) -> str:
        parts = [
            PREVALENCE.get(self.prevalence, PREVALENCE["common"]),
            f"its essential zone covers {pct(self.essential_share)} of the marked pain",
        ]
        if self.spillover_share >= 0.005:
            parts.append(f"{pct(self.spillover_share)} more falls in its spillover zone")
        if self.muscle_share >= self.explained_share + 0.005:
            parts.append(
                f"with {self.muscle_name.lower()}'s other trigger points, {pct(self.muscle_share)} of the pain"
            )
        if self.pattern_factor < 0.995:
            parts.append(f"only {pct(self.zone_painted)} of its essential zone is painted")
        if self.pain_over_trp:
            parts.append("pain is also drawn over the trigger point itself")
        if self.palpation:
            parts.append(_PALPATION_WORDS[self.palpation])
        if self.rule_out:
            parts.append("rule out first: " + ", ".join(r.condition for r in self.rule_out))
        return "; ".join(parts)

    def explanation(self) -> dict[str, object]:
        return {
            "prevalence": self.prevalence,
            "prevalence_factor": self.prevalence_factor,
            "essential_share": round(self.essential_share, 4),
            "spillover_share": round(self.spillover_share, 4),
            "explained_share": round(self.explained_share, 4),
            "muscle_share": round(self.muscle_share, 4),
            "essential_zone_painted": round(self.zone_painted, 4),
            "pattern_factor": round(self.pattern_factor, 4),
            "pain_over_trigger_point": self.pain_over_trp,
            "palpation": self.palpation,
            "text": self.explanation_text(),
        }

    def to_json(self) -> dict[str, object]:
        return {
            "muscle": self.muscle,
            "muscle_name": self.muscle_name,
            "trigger_point": self.trigger_point,
            "trigger_point_label": self.trigger_point_label,
            "side": self.side,
            "score": round(self.score, 2),
            "rule_out": [{"condition": r.condition, "signs": r.signs} for r in self.rule_out],
            "explanation": self.explanation(),
        }


class CandidateList(Sequence[Candidate]):
    """Candidates best first, each put together only when it is read.

    A ranking scores every trigger point at once; while a stroke is painted
    the app reads only the first rows of one list, so the rest are never built.
    """

    def __init__(self, count: int, make: Callable[[int], Candidate]) -> None:
        self._count = count
        self._make = make
        self._built: dict[int, Candidate] = {}

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> Candidate: ...
    @overload
    def __getitem__(self, index: slice) -> list[Candidate]: ...
    def __getitem__(self, index: int | slice) -> Candidate | list[Candidate]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._count))]
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError("candidate index out of range")
        found = self._built.get(index)
        if found is None:
            found = self._built[index] = self._make(index)
        return found

    def __iter__(self) -> Iterator[Candidate]:
        return (self[i] for i in range(self._count))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def __repr__(self) -> str:
        return f"CandidateList({self._count} candidates)"


@dataclass(frozen=True)
class Complaint:
    """Marks that belong together: one complaint of the client (a headache, tingling in the hand)."""

    id: str
    label: str
    marks: tuple[str, ...]  # mark ids
    family: str  # "pain", "paresthesia" or "mixed"
    automatic: bool  # grouped by the app, not by the therapist


def _no_candidate(index: int) -> Candidate:
    raise IndexError("candidate index out of range")


class LookupResult:
    """Candidates, best first; the combination, the unexplained geometry and the nerve findings on demand.

    Where numbness, tingling or burning is drawn: :attr:`nerves` (peripheral
    nerves) and :attr:`dermatomes`, each best first, :attr:`entrapments` (the
    entrapment sites ranked from the nerves that fit) and :attr:`differential`
    (the sentence); all empty otherwise.
    """

    def __init__(
        self,
        candidates: CandidateList,
        total_pain: float,
        unexplained_fraction: float,
        nerve_findings: NerveFindings | Callable[[], NerveFindings] = NerveFindings,
        combination: Callable[[], tuple[list[str], float]] | None = None,
        unexplained: Callable[[], dict[str, BaseGeometry]] | None = None,
        complaints: Sequence[ComplaintResult] | Callable[[], list[ComplaintResult]] = (),
    ) -> None:
        self.candidates = candidates
        self.total_pain = total_pain  # weighted mm²
        self.unexplained_fraction = unexplained_fraction
        self._complaints = complaints
        self._nerve_findings = nerve_findings
        self._combine = combination
        self._find_unexplained = unexplained

    @classmethod
    def empty(cls) -> LookupResult:
        """The result of a drawing with no marks (what :meth:`LookupEngine.rank` gives for one)."""
        return cls(CandidateList(0, _no_candidate), 0.0, 0.0)

    @cached_property
    def complaints(self) -> list[ComplaintResult]:
        """The drawing's complaints, each with its own ranking (grouped and ranked when first read)."""
        return self._complaints() if callable(self._complaints) else list(self._complaints)

    @cached_property
    def nerve_findings(self) -> NerveFindings:
        """Nerves, dermatomes, entrapment sites and the differential for the numbness, tingling and burning."""
        found = self._nerve_findings
        return found() if callable(found) else found

    @property
    def nerves(self) -> Sequence[NerveCandidate]:
        """Peripheral nerves whose skin explains the numbness, tingling or burning; best first."""
        return self.nerve_findings.nerves

    @property
    def dermatomes(self) -> Sequence[NerveCandidate]:
        """Dermatomes (nerve roots) whose skin explains the numbness, tingling or burning; best first."""
        return self.nerve_findings.dermatomes

    @property
    def entrapments(self) -> list[EntrapmentCandidate]:
        """The likeliest places a nerve that fits is caught (a muscle, a tunnel, a ligament); best first."""
        return self.nerve_findings.entrapments

    @property
    def differential_detail(self) -> Differential | None:
        return self.nerve_findings.differential

    @property
    def differential(self) -> str:
        """The differential in words ("Fits the territory of the median nerve ... better than the C6
        dermatome: ..."); empty when no numbness, tingling or burning is drawn."""
        found = self.nerve_findings.differential
        return found.text if found is not None else ""

    def with_complaints(
        self, complaints: Sequence[ComplaintResult] | Callable[[], list[ComplaintResult]]
    ) -> LookupResult:
        """The same ranking, carrying the complaints' own rankings."""
        return LookupResult(
            self.candidates,
            self.total_pain,
            self.unexplained_fraction,
            lambda: self.nerve_findings,
            lambda: self._combo,
            lambda: self.unexplained,
            complaints,
        )

    @cached_property
    def _combo(self) -> tuple[list[str], float]:
        if self._combine is None or not self.candidates:
            return [], 0.0
        return self._combine()

    @property
    def combination(self) -> list[str]:
        """Candidate keys that together explain at least 90 % of the pain (greedy set cover)."""
        return self._combo[0]

    @property
    def combination_fraction(self) -> float:
        return self._combo[1]

    @cached_property
    def unexplained(self) -> dict[str, BaseGeometry]:
        """Per view, the pain that no candidate's zones cover."""
        return self._find_unexplained() if self._find_unexplained is not None else {}

    def complaint(self, complaint_id: str) -> ComplaintResult:
        for c in self.complaints:
            if c.id == complaint_id:
                return c
        raise KeyError(f"no complaint '{complaint_id}'")

    def nerves_json(self) -> dict[str, object]:
        """``nerves`` (peripheral nerves and dermatomes together, best first) and ``differential``."""
        found = self.nerve_findings
        return {
            "nerves": [n.to_json() for n in found.ranked()],
            "differential": self.differential,
        }

    def to_json(self, top: int | None = None) -> dict[str, object]:
        return {
            "candidates": [c.to_json() for c in self.candidates[:top]],
            "combination": list(self.combination),
            "combination_fraction": round(self.combination_fraction, 4),
            "unexplained_fraction": round(self.unexplained_fraction, 4),
            "entrapments": [e.to_json() for e in self.entrapments],
            **self.nerves_json(),
            "complaints": [c.to_json(top) for c in self.complaints],
        }


class ComplaintResult:
    """One complaint's own ranking: its candidates, nerves and entrapments, as if drawn alone (ranked when first read)."""

    def __init__(self, complaint: Complaint, result: LookupResult | Callable[[], LookupResult]) -> None:
        self.complaint = complaint
        self._result = result

    @cached_property
    def result(self) -> LookupResult:
        return self._result() if callable(self._result) else self._result

    @property
    def id(self) -> str:
        return self.complaint.id

    @property
    def label(self) -> str:
        return self.complaint.label

    @property
    def marks(self) -> tuple[str, ...]:
        return self.complaint.marks

    @property
    def candidates(self) -> CandidateList:
        return self.result.candidates

    @property
    def entrapments(self) -> list[EntrapmentCandidate]:
        return self.result.entrapments

    @property
    def nerves(self) -> Sequence[NerveCandidate]:
        return self.result.nerves

    @property
    def dermatomes(self) -> Sequence[NerveCandidate]:
        return self.result.dermatomes

    @property
    def differential(self) -> str:
        return self.result.differential

    def to_json(self, top: int | None = None) -> dict[str, object]:
        c = self.complaint
        return {
            "id": c.id,
            "label": c.label,
            "marks": list(c.marks),
            "family": c.family,
            "automatic": c.automatic,
            "candidates": [x.to_json() for x in self.result.candidates[:top]],
            "entrapments": [e.to_json() for e in self.result.entrapments],
            **self.result.nerves_json(),
            "unexplained_fraction": round(self.result.unexplained_fraction, 4),
        }
