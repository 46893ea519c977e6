"""The referral atlas: muscles, trigger points and their referral zones.

One muscle per pair of files in ``referral_maps/`` (a TOML file for the
text, an SVG file for the geometry, in chart millimetres), authored for the
patient's right side and mirrored to the left on loading. See
``referral_maps/README.md`` for the format.

Public API: :func:`load_atlas`, :func:`shipped_atlas`, and the model classes.
"""

from nmt_bodymap.atlas.loader import Atlas, discover, iter_text, load_atlas, shipped_atlas
from nmt_bodymap.atlas.model import (
    CAUSES,
    GROUPS,
    PREVALENCE,
    SELF_CARE_KINDS,
    VIEW_OFFSETS,
    Entrapment,
    Muscle,
    Perpetuating,
    Problem,
    RuleOut,
    SelfCare,
    SidedTriggerPoint,
    Source,
    TriggerPoint,
)

__all__ = [
    "CAUSES",
    "GROUPS",
    "PREVALENCE",
    "SELF_CARE_KINDS",
    "VIEW_OFFSETS",
    "Atlas",
    "Entrapment",
    "Muscle",
    "Perpetuating",
    "Problem",
    "RuleOut",
    "SelfCare",
    "SidedTriggerPoint",
    "Source",
    "TriggerPoint",
    "discover",
    "iter_text",
    "load_atlas",
    "shipped_atlas",
]
