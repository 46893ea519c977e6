"""Reverse lookup: which trigger points explain a pain drawing, and why.

:class:`LookupEngine` indexes the atlas once; :meth:`LookupEngine.rank`
scores every sided trigger point against a drawing, and against each of
its complaints, in a few milliseconds. The formula and its words are in
:mod:`nmt_bodymap.lookup.scoring` (``HELP_TEXT``); how areas are measured
in :mod:`nmt_bodymap.lookup.raster`.

Modules, each with one job: ``scanline`` (polygons as row intervals),
``raster`` (the atlas's zones labelled on the rows), ``drawing`` (marks
merged into weighted pieces), ``measure`` (painted area per zone, one
surface counted once), ``footprint`` and ``body_parts`` (where marks lie,
in plain words), ``complaints`` (marks grouped as the client reports
them), ``index`` (the atlas laid on the raster), ``ranking`` (one pass
over the groups of a drawing), ``scoring`` (the formula), ``result`` (what
a ranking returns) and ``engine`` (all of it together).
"""

from nmt_bodymap.lookup.engine import LookupEngine
from nmt_bodymap.lookup.result import (
    Candidate,
    CandidateList,
    Complaint,
    ComplaintResult,
    EntrapmentCandidate,
    LookupResult,
    pct,
)
from nmt_bodymap.lookup.scoring import HELP_TEXT

__all__ = [
    "HELP_TEXT",
    "Candidate",
    "CandidateList",
    "Complaint",
    "ComplaintResult",
    "EntrapmentCandidate",
    "LookupEngine",
    "LookupResult",
    "pct",
]
