"""The nerve atlas: dermatomes and peripheral nerve territories, with their entrapment sites.

One nerve or dermatome per pair of files in ``referral_maps/nerves/``
(``peripheral/`` and ``dermatomes/``): a TOML file for the text and an SVG
file for the skin territory and the entrapment sites, in chart millimetres,
authored for the patient's right side and mirrored to the left on loading.
See ``referral_maps/README.md`` for the format.

Public API: :func:`load_nerves`, :func:`shipped_nerves`, :func:`check_atlases`,
:func:`dermatome_coverage`, and the model classes.
"""

from nmt_bodymap.nerves.crosscheck import check_atlases, dermatome_coverage
from nmt_bodymap.nerves.loader import (
    NerveAtlas,
    discover_nerves,
    in_nerve_atlas,
    iter_text,
    load_nerves,
    shipped_nerves,
)
from nmt_bodymap.nerves.model import (
    DERMATOME_GROUPS,
    KINDS,
    LEVELS,
    NERVE_GROUPS,
    ROOTS,
    SKIN,
    EntrapmentSite,
    Nerve,
    SidedNerve,
    SidedSite,
)

__all__ = [
    "DERMATOME_GROUPS",
    "KINDS",
    "LEVELS",
    "NERVE_GROUPS",
    "ROOTS",
    "SKIN",
    "EntrapmentSite",
    "Nerve",
    "NerveAtlas",
    "SidedNerve",
    "SidedSite",
    "check_atlases",
    "dermatome_coverage",
    "discover_nerves",
    "in_nerve_atlas",
    "iter_text",
    "load_nerves",
    "shipped_nerves",
]
