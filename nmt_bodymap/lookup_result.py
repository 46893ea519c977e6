"""What a ranking returns: candidates with their explanations, and the result.

The scoring itself is in :mod:`nmt_bodymap.lookup`; these types carry its
numbers to the app, the command line and the exports, and put them into
words a therapist reads at a glance.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
from shapely.geometry.base import BaseGeometry

if TYPE_CHECKING:
    from nmt_bodymap.lookup import LookupEngine


def pct(share: float) -> str:
    """A share as therapists write it: ``70 %``."""
    return f"{share * 100:.0f} %"


@dataclass(frozen=True)
class Candidate:
    """One sided trigger point and why it ranks where it does."""

    key: str
    muscle: str
    muscle_name: str
    trigger_point: str
    trigger_point_label: str
    side: str
    score: float
    essential_share: float
    spillover_share: float
    zone_painted: float
    pain_over_trp: bool
    palpation: str | None

    def explanation_text(self) -> str:
        parts = [f"its essential zone covers {pct(self.essential_share)} of the marked pain"]
        if self.spillover_share >= 0.005:
            parts.append(f"{pct(self.spillover_share)} more falls in its spillover zone")
        if self.zone_painted < 0.995:
            parts.append(f"{pct(self.zone_painted)} of its essential zone is painted")
        if self.pain_over_trp:
            parts.append("pain also over the trigger point")
        if self.palpation:
            parts.append(
                {"active": "palpated active", "latent": "palpated latent", "not-tender": "palpated not tender"}[
                    self.palpation
                ]
            )
        return "; ".join(parts)

    def explanation(self) -> dict[str, object]:
        return {
            "essential_share": round(self.essential_share, 4),
            "spillover_share": round(self.spillover_share, 4),
            "essential_zone_painted": round(self.zone_painted, 4),
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
            "explanation": self.explanation(),
        }


@dataclass(frozen=True)
class EntrapmentCandidate:
    muscle: str
    muscle_name: str
    nerve: str
    site: str
    symptoms: str
    side: str
    score: float
    share: float  # of the numbness/tingling/burning inside the nerve's regions
    muscle_rank: int | None  # where the muscle's best trigger point ranks, 1-based

    def explanation_text(self) -> str:
        text = f"{pct(self.share)} of the numbness, tingling or burning lies where this nerve is felt"
        if self.muscle_rank:
            text += f"; the {self.muscle_name.lower()} itself ranks #{self.muscle_rank}"
        return text

    def to_json(self) -> dict[str, object]:
        return {
            "muscle": self.muscle,
            "muscle_name": self.muscle_name,
            "nerve": self.nerve,
            "site": self.site,
            "symptoms": self.symptoms,
            "side": self.side,
            "score": round(self.score, 2),
            "explanation": {
                "paresthesia_share": round(self.share, 4),
                "muscle_rank": self.muscle_rank,
                "text": self.explanation_text(),
            },
        }


@dataclass
class Pieces:
    """Disjoint pain pieces of one view, with weights (the engine's working data)."""

    geoms: list[BaseGeometry]
    weights: list[float]
    paresthesia: list[bool]


@dataclass
class Explained:
    """Per view: which pain piece meets which trigger point's zone, and the overlap."""

    piece: np.ndarray
    owner: np.ndarray
    geometry: np.ndarray


class LookupResult:
    """Candidates, best first; the combination and unexplained geometry on demand."""

    def __init__(
        self,
        engine: LookupEngine | None,
        candidates: list[Candidate],
        total_pain: float,
        unexplained_fraction: float,
        entrapments: list[EntrapmentCandidate],
        pieces: dict[str, Pieces],
        explained: dict[str, Explained],
        explained_w: np.ndarray,
    ) -> None:
        self._engine = engine
        self.candidates = candidates
        self.total_pain = total_pain  # weighted mm²
        self.unexplained_fraction = unexplained_fraction
        self.entrapments = entrapments
        self._pieces = pieces
        self._explained = explained
        self._explained_w = explained_w

    @cached_property
    def _combo(self) -> tuple[list[str], float]:
        if self._engine is None or not self.candidates:
            return [], 0.0
        return self._engine._combination(self)

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
        if self._engine is None:
            return {}
        return self._engine._unexplained_geometry(self._pieces)

    def to_json(self) -> dict[str, object]:
        return {
            "candidates": [c.to_json() for c in self.candidates],
            "combination": list(self.combination),
            "combination_fraction": round(self.combination_fraction, 4),
            "unexplained_fraction": round(self.unexplained_fraction, 4),
            "entrapments": [e.to_json() for e in self.entrapments],
        }
