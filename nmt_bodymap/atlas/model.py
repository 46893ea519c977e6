"""What the atlas holds: muscles, their trigger points and referral zones.

A muscle is authored once, for the patient's right side; :class:`SidedTriggerPoint`
is one trigger point on one side of the body with the geometry of its
referral pattern in every view, ready for the lookup and for drawing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

#: Body groups, in the order the atlas browser shows them.
GROUPS: dict[str, str] = {
    "head-neck": "Head and neck",
    "shoulder-chest": "Shoulder girdle and chest",
    "arm-hand": "Upper arm, forearm and hand",
    "trunk": "Back and abdomen",
    "pelvis-hip": "Pelvis and hip",
    "leg-foot": "Thigh, leg and foot",
}

#: The five causes neuromuscular therapy assesses.
CAUSES: dict[str, str] = {
    "biomechanical": "Biomechanical disturbance",
    "ischemia": "Ischemia",
    "trigger-points": "Trigger points",
    "nerve-compression": "Nerve compression or entrapment",
    "postural": "Postural distortion",
}

SELF_CARE_KINDS: dict[str, str] = {"stretch": "Stretch", "self-massage": "Self-massage", "habit": "Habits"}

#: How often the literature finds a trigger point, most often first, with the words the app uses for it.
PREVALENCE: dict[str, str] = {
    "very-common": "a very common trigger point",
    "common": "a common trigger point",
    "less-common": "a less common trigger point",
    "rare": "a rarely found trigger point",
}

ZONE_KINDS = ("essential", "spillover")
#: Where a zone lies relative to its trigger point.
ZONE_SIDES = ("same", "opposite", "both", "midline")

#: Each view's offset in an atlas SVG, so all views sit side by side (see referral_maps/README.md).
VIEW_OFFSETS: dict[str, tuple[float, float]] = {
    "anterior": (420.0, 60.0),
    "posterior": (1320.0, 60.0),
    "right-lateral": (2220.0, 60.0),
    "left-lateral": (3120.0, 60.0),
    "plantar": (3920.0, 60.0),
}
SHEET_VIEWBOX = (0.0, 0.0, 4140.0, 1860.0)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an atlas file."""

    file: str
    element: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.element}: {self.message}" if self.element else f"{self.file}: {self.message}"


@dataclass(frozen=True)
class Perpetuating:
    cause: str  # a key of CAUSES
    text: str


@dataclass(frozen=True)
class Entrapment:
    nerve: str
    site: str
    symptoms: str
    regions: tuple[str, ...]  # chart region names (no side) where the symptoms are felt
    nerve_id: str = ""  # the nerve atlas's id of this nerve (referral_maps/nerves), when it has one
    site_id: str = ""  # the id of the nerve's [[entrapment_site]] this entry is


@dataclass(frozen=True)
class RuleOut:
    """A serious condition whose pain mimics this muscle's pattern: rule it out before treating."""

    condition: str
    signs: str  # what points to it, and what to do (refer, how urgently)


@dataclass(frozen=True)
class SelfCare:
    kind: str  # a key of SELF_CARE_KINDS
    text: str


@dataclass(frozen=True)
class Source:
    citation: str
    url: str = ""


@dataclass
class TriggerPoint:
    """A trigger point as authored (patient's right side, or the midline)."""

    id: str
    label: str
    location: str  # where to find it, in words
    near: str  # the chart landmark nearest to it
    prevalence: str = ""  # a key of PREVALENCE
    prevalence_basis: str = ""  # what the literature says of how often it is found, and where
    only_side: str = ""  # "right" or "left" when the literature finds it on that side only (no mirror instance)
    points: dict[str, Point] = field(default_factory=dict)  # view -> location
    essential: dict[str, BaseGeometry] = field(default_factory=dict)  # view -> zone (clipped to the body)
    spillover: dict[str, BaseGeometry] = field(default_factory=dict)  # view -> zone beyond the essential one

    @property
    def views(self) -> list[str]:
        from nmt_bodymap.chart import VIEWS

        seen = set(self.points) | set(self.essential) | set(self.spillover)
        return [v for v in VIEWS if v in seen]


@dataclass
class MuscleFacts:
    """What a muscle's text file says about it, apart from its trigger points."""

    id: str
    name: str
    latin: str
    group: str
    synonyms: tuple[str, ...]
    innervation: str
    actions: tuple[str, ...]
    midline: bool
    referral: str
    symptoms: tuple[str, ...]
    perpetuating: tuple[Perpetuating, ...]
    entrapments: tuple[Entrapment, ...]
    self_care: tuple[SelfCare, ...]
    sources: tuple[Source, ...]
    rule_out: tuple[RuleOut, ...]


@dataclass
class Muscle(MuscleFacts):
    """A muscle of the atlas: its facts, and its trigger points with their geometry."""

    trigger_points: list[TriggerPoint]
    toml_path: Path
    svg_path: Path

    @property
    def group_title(self) -> str:
        return GROUPS[self.group]

    def to_json(self) -> dict[str, object]:
        """The muscle's whole record as plain data (``atlas show MUSCLE --json``)."""
        return {
            "id": self.id,
            "name": self.name,
            "latin": self.latin,
            "group": self.group,
            "synonyms": list(self.synonyms),
            "innervation": self.innervation,
            "actions": list(self.actions),
            "midline": self.midline,
            "referral": self.referral,
            "symptoms": list(self.symptoms),
            "trigger_points": [
                {
                    "id": t.id,
                    "label": t.label,
                    "location": t.location,
                    "near": t.near,
                    "prevalence": t.prevalence or None,
                    "prevalence_basis": t.prevalence_basis or None,
                    "side": t.only_side or None,
                    "views": t.views,
                }
                for t in self.trigger_points
            ],
            "rule_out": [{"condition": r.condition, "signs": r.signs} for r in self.rule_out],
            "perpetuating": [{"cause": p.cause, "text": p.text} for p in self.perpetuating],
            "entrapments": [
                {
                    "nerve": e.nerve,
                    "site": e.site,
                    "symptoms": e.symptoms,
                    "regions": list(e.regions),
                    "nerve_id": e.nerve_id or None,
                    "site_id": e.site_id or None,
                }
                for e in self.entrapments
            ],
            "self_care": [{"kind": c.kind, "text": c.text} for c in self.self_care],
            "sources": [{"citation": src.citation, "url": src.url or None} for src in self.sources],
        }

    def trigger_point(self, trp_id: str) -> TriggerPoint:
        for trp in self.trigger_points:
            if trp.id == trp_id:
                return trp
        raise KeyError(f"{self.id} has no trigger point '{trp_id}'")


@dataclass(frozen=True)
class SidedTriggerPoint:
    """One trigger point on one side of the body, with its pattern per view."""

    muscle: Muscle
    trp: TriggerPoint
    side: str  # "right", "left" or "midline"
    points: dict[str, Point]
    essential: dict[str, BaseGeometry]
    spillover: dict[str, BaseGeometry]
    #: Area of the essential zone in mm², each body surface counted once even
    #: when the zone is drawn in several views (see :func:`surface_area`).
    essential_area: float = 0.0

    @property
    def key(self) -> str:
        """Stable id: ``muscle/trp:side`` (``muscle/trp`` on the midline)."""
        base = f"{self.muscle.id}/{self.trp.id}"
        return base if self.side == "midline" else f"{base}:{self.side}"

    @property
    def views(self) -> list[str]:
        from nmt_bodymap.chart import VIEWS

        seen = set(self.points) | set(self.essential) | set(self.spillover)
        return [v for v in VIEWS if v in seen]
