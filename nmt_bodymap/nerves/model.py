"""What the nerve atlas holds: peripheral nerves and dermatomes, their skin territories and entrapment sites.

A nerve is authored once, for the patient's right side. Peripheral nerves form
a tree (a branch names its ``parent``): a nerve's *own* territory is the skin
its file draws, its *territory* is its own plus all its branches', which is
what a compression of the nerve above them all affects. An entrapment site
sits on the nerve it compresses; the skin a compression there affects is that
nerve's territory less the branches the site ``spares`` (they leave the nerve
above the site). :class:`SidedNerve` and :class:`SidedSite` carry the
geometry per side and view, ready for the lookup and for drawing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from nmt_bodymap.atlas.model import RuleOut, Source

#: The two kinds of nerve atlas entry, with their titles.
KINDS: dict[str, str] = {"peripheral": "Peripheral nerve", "dermatome": "Dermatome"}

#: Body groups of peripheral nerves, in the order the browser shows them.
NERVE_GROUPS: dict[str, str] = {
    "head-neck": "Head and neck",
    "upper-limb": "Upper limb",
    "trunk": "Trunk",
    "lower-limb": "Lower limb",
}
#: Groups of dermatomes, from their level's letter.
DERMATOME_GROUPS: dict[str, str] = {
    "cervical": "Cervical dermatomes",
    "thoracic": "Thoracic dermatomes",
    "lumbar": "Lumbar dermatomes",
    "sacral": "Sacral dermatomes",
}

#: What a peripheral nerve's drawing holds: its own skin, only its branches' skin, or none (a motor nerve).
SKIN: dict[str, str] = {
    "own": "its own skin territory (drawn in its file)",
    "branches": "no skin of its own: its territory is its branches'",
    "none": "no skin territory (a motor nerve)",
}

#: Dermatome levels, head to tail, as Lee et al. 2008 map them (S4 and S5 together).
LEVELS: tuple[str, ...] = (
    *(f"C{i}" for i in range(2, 9)),
    *(f"T{i}" for i in range(1, 13)),
    *(f"L{i}" for i in range(1, 6)),
    "S1",
    "S2",
    "S3",
    "S4-5",
)
#: Spinal nerve roots a peripheral nerve's fibres come from, head to tail.
ROOTS: tuple[str, ...] = (
    *(f"C{i}" for i in range(1, 9)),
    *(f"T{i}" for i in range(1, 13)),
    *(f"L{i}" for i in range(1, 6)),
    *(f"S{i}" for i in range(1, 6)),
    "Co1",
)


def dermatome_group(level: str) -> str:
    """The browser group of a dermatome level (``C6`` -> ``cervical``)."""
    return {"C": "cervical", "T": "thoracic", "L": "lumbar", "S": "sacral"}[level[0]]


@dataclass(frozen=True)
class EntrapmentSite:
    """A place where the nerve is caught: by a muscle, a tunnel or a ligament."""

    id: str
    name: str
    structure: str  # what compresses it there, in words
    landmark: str  # the chart landmark nearest the site
    test: str  # a provocation test a therapist can do
    felt: str  # what the client feels
    muscle: str = ""  # the atlas muscle id when a muscle compresses it
    spares: tuple[str, ...] = ()  # branches (nerve ids) that leave above the site and keep their feeling


@dataclass
class NerveFacts:
    """What a nerve's text file says."""

    id: str
    kind: str  # a key of KINDS
    name: str
    group: str  # a key of NERVE_GROUPS (peripheral) or DERMATOME_GROUPS (dermatomes, from the level)
    territory_text: str  # the skin it supplies, in words
    synonyms: tuple[str, ...]
    rule_out: tuple[RuleOut, ...]
    sources: tuple[Source, ...]
    # peripheral nerves
    parent: str = ""
    roots: tuple[str, ...] = ()
    supplies: tuple[str, ...] = ()  # the muscles it supplies itself, as anatomy names them
    atlas_muscles: tuple[str, ...] = ()  # those of them in the muscle atlas (ids)
    skin: str = "own"  # a key of SKIN
    sites: tuple[EntrapmentSite, ...] = ()
    # dermatomes
    level: str = ""  # a member of LEVELS
    key_point: str = ""  # the place to test it (the ASIA key sensory point)


@dataclass
class Nerve(NerveFacts):
    """A nerve of the atlas: its facts and its geometry as authored (the patient's right side)."""

    toml_path: Path = field(default_factory=Path)
    svg_path: Path = field(default_factory=Path)
    own: dict[str, BaseGeometry] = field(default_factory=dict)  # view -> own territory
    own_area: float = 0.0  # mm², each body surface counted once (atlas.zones.surface_area)
    territory: dict[str, BaseGeometry] = field(default_factory=dict)  # view -> own + every branch's
    site_points: dict[str, dict[str, Point]] = field(default_factory=dict)  # site id -> view -> place
    children: list[str] = field(default_factory=list)  # ids of its direct branches

    @property
    def kind_title(self) -> str:
        return KINDS[self.kind]

    @property
    def group_title(self) -> str:
        return NERVE_GROUPS.get(self.group) or DERMATOME_GROUPS[self.group]

    @property
    def levels(self) -> tuple[str, ...]:
        """Its root levels (a peripheral nerve) or its level (a dermatome)."""
        return (self.level,) if self.kind == "dermatome" else self.roots

    @property
    def views(self) -> list[str]:
        """Views where its territory or one of its sites shows."""
        from nmt_bodymap.chart import VIEWS

        seen = set(self.territory) | {v for points in self.site_points.values() for v in points}
        return [v for v in VIEWS if v in seen]

    def site(self, site_id: str) -> EntrapmentSite:
        for site in self.sites:
            if site.id == site_id:
                return site
        raise KeyError(f"nerve '{self.id}' has no entrapment site '{site_id}'")

    def to_json(self) -> dict[str, object]:
        """The nerve's whole record as plain data (``atlas show NERVE --json``)."""
        views = self.views
        record: dict[str, object] = {
            "id": self.id,
            "kind": self.kind,
            "name": self.name,
            "group": self.group,
            "synonyms": list(self.synonyms),
            "territory": self.territory_text,
            "views": views,
        }
        if self.kind == "dermatome":
            record |= {"level": self.level, "key_point": self.key_point}
        else:
            record |= {
                "parent": self.parent or None,
                "branches": list(self.children),
                "roots": list(self.roots),
                "skin": self.skin,
                "supplies": list(self.supplies),
                "atlas_muscles": list(self.atlas_muscles),
                "entrapment_sites": [
                    {
                        "id": s.id,
                        "name": s.name,
                        "structure": s.structure,
                        "muscle": s.muscle or None,
                        "landmark": s.landmark,
                        "test": s.test,
                        "felt": s.felt,
                        "spares": list(s.spares),
                        "views": [v for v in views if v in self.site_points.get(s.id, {})],
                    }
                    for s in self.sites
                ],
            }
        record["rule_out"] = [{"condition": r.condition, "signs": r.signs} for r in self.rule_out]
        record["sources"] = [{"citation": s.citation, "url": s.url or None} for s in self.sources]
        return record


@dataclass(frozen=True)
class SidedSite:
    """One entrapment site on one side, with the skin a compression there affects."""

    nerve: Nerve
    site: EntrapmentSite
    side: str  # "right" or "left"
    points: dict[str, Point]  # view -> place
    territory: dict[str, BaseGeometry]  # view -> the nerve's territory less the spared branches'

    @property
    def key(self) -> str:
        """Stable id: ``nerve/site:side``."""
        return f"{self.nerve.id}/{self.site.id}:{self.side}"


@dataclass(frozen=True)
class SidedNerve:
    """A nerve or dermatome on one side of the body, with its skin per view."""

    nerve: Nerve
    side: str  # "right" or "left"
    own: dict[str, BaseGeometry]  # view -> the skin its own file draws
    territory: dict[str, BaseGeometry]  # view -> own + every branch's: what it explains
    #: Area of the territory in mm²: its own and its branches' areas, each body surface counted once
    #: within a file (see atlas.zones.surface_area); a nerve's and its branches' skin do not overlap.
    area: float = 0.0
    sites: tuple[SidedSite, ...] = ()

    @property
    def key(self) -> str:
        """Stable id: ``nerve:side``."""
        return f"{self.nerve.id}:{self.side}"

    @property
    def views(self) -> list[str]:
        from nmt_bodymap.chart import VIEWS

        return [v for v in VIEWS if v in self.territory]
