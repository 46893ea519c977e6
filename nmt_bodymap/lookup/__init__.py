"""Reverse lookup: which trigger points explain a pain drawing, and why.

:class:`LookupEngine` indexes the atlas once; :meth:`LookupEngine.rank`
scores every sided trigger point against a drawing, and against each of
its complaints, in a few milliseconds. The formula and its words are in
:mod:`nmt_bodymap.lookup.scoring` (``HELP_TEXT``); how areas are measured
in :mod:`nmt_bodymap.lookup.raster`.

Numbness, tingling and burning are also scored against the nerve atlas:
every peripheral nerve's and dermatome's skin, and the skin each entrapment
site affects (``LookupResult.nerves``, ``.dermatomes``, ``.entrapments``,
``.differential``).

Modules, each with one job: ``scanline`` (polygons as row intervals),
``raster`` (the atlas's zones labelled on the rows), ``drawing`` (marks
merged into weighted pieces), ``measure`` (painted area per zone, one
surface counted once), ``footprint`` and ``body_parts`` (where marks lie,
in plain words), ``complaints`` (marks grouped as the client reports
them), ``index`` (the atlas laid on the raster), ``nerve_index`` (the nerve
atlas laid on it), ``ranking`` (one pass over the groups of a drawing),
``nerve_ranking`` (the nerve terms of that pass), ``scoring`` (the
formulas), ``differential`` (the paresthesia differential in words),
``result`` and ``nerve_result`` (what a ranking returns), ``words`` and
``engine`` (all of it together).
"""

from nmt_bodymap.lookup.engine import LookupEngine
from nmt_bodymap.lookup.result import (
    Candidate,
    CandidateList,
    Complaint,
    ComplaintResult,
    Differential,
    EntrapmentCandidate,
    LookupResult,
    NerveCandidate,
    NerveFindings,
    pct,
)
from nmt_bodymap.lookup.scoring import HELP_TEXT

__all__ = [
    "HELP_TEXT",
    "Candidate",
    "CandidateList",
    "Complaint",
    "ComplaintResult",
    "Differential",
    "EntrapmentCandidate",
    "LookupEngine",
    "LookupResult",
    "NerveCandidate",
    "NerveFindings",
    "pct",
]
