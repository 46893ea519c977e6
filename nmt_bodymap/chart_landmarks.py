"""The chart's landmark vocabulary: every named surface point, its group and the regions it may lie in.

Where each landmark is drawn is in the chart SVGs (``data-landmark``);
:mod:`nmt_bodymap.chart` reads the places and checks them against this list.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LandmarkInfo:
    """A landmark of the chart vocabulary."""

    id: str
    group: str
    midline: bool
    fits: tuple[str, ...]  # region names (without side) this landmark may lie in

    @property
    def label(self) -> str:
        return self.id.replace("-", " ")


def _vocab() -> dict[str, LandmarkInfo]:
    table: dict[str, tuple[str, ...]] = {}
    groups: dict[str, str] = {}

    def group(name: str, entries: dict[str, tuple[str, ...]]) -> None:
        for lid, fits in entries.items():
            table[lid] = fits
            groups[lid] = name

    wrist = ("wrist-volar", "wrist-dorsal", "wrist-radial", "wrist-ulnar")
    elbow = ("elbow-anterior", "elbow-posterior", "elbow-lateral")
    group(
        "head and neck",
        {
            "vertex": ("scalp",),
            "forehead": ("forehead",),
            "eyebrow": ("forehead", "eye"),
            "eye": ("eye",),
            "temple": ("temple",),
            "cheek": ("cheek",),
            "tmj": ("jaw", "temple"),
            "ear": ("ear",),
            "mastoid": ("mastoid",),
            "upper-teeth": ("mouth", "cheek"),
            "lower-teeth": ("mouth", "chin", "jaw"),
            "jaw-angle": ("jaw",),
            "chin": ("chin",),
            "occiput": ("occiput",),
            "suboccipital": ("suboccipital",),
            "back-of-neck": ("neck-back",),
            "side-of-neck": ("neck-side",),
            "neck-shoulder-angle": ("shoulder-top", "neck-side"),
            "throat": ("neck-front",),
            "c7": ("neck-back", "interscapular"),
            "sternal-notch": ("neck-front", "sternum", "chest-upper"),
        },
    )
    group(
        "shoulder and back",
        {
            "acromion": ("shoulder-top", "shoulder-front", "shoulder-back", "shoulder-lateral"),
            "clavicle": ("chest-upper", "shoulder-top"),
            "coracoid": ("chest-upper", "shoulder-front"),
            "front-of-shoulder": ("shoulder-front",),
            "lateral-deltoid": ("shoulder-front", "shoulder-back", "shoulder-lateral"),
            "back-of-shoulder": ("shoulder-back",),
            "armpit": ("chest-lateral", "back-lateral"),
            "superior-angle-of-scapula": ("supraspinous", "interscapular", "shoulder-top"),
            "scapular-spine": ("supraspinous", "infraspinous"),
            "infraspinous-fossa": ("infraspinous",),
            "inferior-angle-of-scapula": ("infraspinous", "back-lateral", "mid-back"),
            "interscapular": ("interscapular",),
            "mid-back": ("mid-back", "back-lateral"),
            "thoracolumbar": ("thoracolumbar",),
            "low-back": ("low-back", "lumbar-lateral"),
            "iliac-crest": ("low-back", "lumbar-lateral", "buttock-upper", "hip-lateral", "flank", "iliac-fossa"),
            "psis": ("sacroiliac",),
            "sacrum": ("sacral",),
            "coccyx": ("coccygeal",),
            "buttock": ("buttock", "buttock-upper"),
            "ischial-tuberosity": ("buttock",),
        },
    )
    group(
        "chest and abdomen",
        {
            "sternum": ("sternum",),
            "pectoral": ("chest-upper", "chest-lower"),
            "xiphoid": ("sternum", "epigastric"),
            "lateral-chest": ("chest-lateral",),
            "costal-margin": ("hypochondrium", "epigastric", "chest-lower"),
            "epigastric": ("epigastric",),
            "umbilicus": ("umbilical",),
            "lower-abdomen": ("hypogastric", "iliac-fossa"),
            "asis": ("iliac-fossa", "hip-lateral", "groin"),
            "groin": ("groin",),
            "pubic-symphysis": ("pubic",),
        },
    )
    group(
        "arm and hand",
        {
            "front-of-arm": ("arm-anterior",),
            "back-of-arm": ("arm-posterior",),
            "lateral-epicondyle": elbow,
            "medial-epicondyle": elbow,
            "olecranon": ("elbow-posterior",),
            "antecubital": ("elbow-anterior",),
            "dorsal-forearm": ("forearm-dorsal",),
            "volar-forearm": ("forearm-volar",),
            "dorsal-wrist": ("wrist-dorsal",),
            "volar-wrist": ("wrist-volar",),
            "radial-styloid": wrist,
            "ulnar-styloid": wrist,
            "palm": ("palm",),
            "dorsal-hand": ("hand-dorsal",),
            "thenar": ("thenar",),
            "hypothenar": ("hypothenar",),
            "thumb-base": ("thenar", "hand-dorsal", "hand-radial"),
            "thumb-tip": ("thumb-palmar", "thumb-dorsal", "thumb"),
            "index-finger": ("finger-index-palmar", "finger-index-dorsal"),
            "middle-finger": ("finger-middle-palmar", "finger-middle-dorsal"),
            "ring-finger": ("finger-ring-palmar", "finger-ring-dorsal"),
            "little-finger": ("finger-little-palmar", "finger-little-dorsal"),
        },
    )
    group(
        "hip, leg and foot",
        {
            "greater-trochanter": ("hip-lateral",),
            "front-of-thigh": ("thigh-anterior",),
            "lateral-thigh": ("thigh-lateral",),
            "medial-thigh": ("thigh-medial",),
            "back-of-thigh": ("thigh-posterior",),
            "patella": ("knee-anterior",),
            "medial-knee": ("knee-anterior", "knee-posterior", "knee-medial"),
            "lateral-knee": ("knee-anterior", "knee-posterior", "knee-lateral"),
            "back-of-knee": ("knee-posterior",),
            "fibular-head": ("knee-posterior", "knee-lateral", "leg-lateral"),
            "tibial-tuberosity": ("knee-anterior", "shin"),
            "shin": ("shin",),
            "lateral-leg": ("leg-lateral",),
            "calf": ("calf",),
            "achilles": ("achilles",),
            "lateral-malleolus": ("ankle-anterior", "ankle-lateral"),
            "medial-malleolus": ("ankle-anterior", "ankle-medial"),
            "heel": ("heel",),
            "arch": ("arch",),
            "ball-of-foot": ("ball-medial", "ball-lateral"),
            "fifth-metatarsal-head": ("ball-lateral",),
            "top-of-foot": ("foot-dorsum",),
            "big-toe": ("toe-big",),
            "lesser-toes": ("toes-lesser", "toe-second", "toe-third", "toe-fourth", "toe-fifth"),
        },
    )
    midline = {
        "vertex",
        "chin",
        "throat",
        "c7",
        "sternal-notch",
        "sternum",
        "xiphoid",
        "epigastric",
        "umbilicus",
        "pubic-symphysis",
        "sacrum",
        "coccyx",
    }
    return {lid: LandmarkInfo(lid, groups[lid], lid in midline, fits) for lid, fits in table.items()}


#: The landmark vocabulary, in chart order.
LANDMARKS: dict[str, LandmarkInfo] = _vocab()
