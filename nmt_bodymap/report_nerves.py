"""The report's paresthesia differential, decided without Qt.

For each complaint with numbness, tingling or burning (or the whole drawing
when the complaints are not told apart): the differential sentence, the
peripheral nerves and the dermatomes whose skin fits best, each nerve's
likeliest entrapment sites with the test a therapist can do there, each
dermatome's key point, and the muscles' entrapments outside the nerve atlas
(:class:`~nmt_bodymap.document.NerveDifferentialSection`).
"""

from __future__ import annotations

from nmt_bodymap.document import SIDE, ComplaintNerves, NerveDifferentialSection, NerveRow
from nmt_bodymap.lookup import EntrapmentCandidate, LookupResult, NerveCandidate, pct

#: Peripheral nerves, and dermatomes, listed per complaint.
REPORT_NERVES = 2
#: Entrapment sites listed under a nerve.
REPORT_SITES = 2
#: Muscles' entrapments outside the nerve atlas listed per complaint.
REPORT_OTHER = 3
INTRO = (
    "Where numbness, tingling or burning is marked, the peripheral nerves and the dermatomes (nerve roots) "
    "whose skin holds it, best first, with where each nerve may be caught and the test there."
)


def _fit(share: float, painted: float) -> str:
    return f"{pct(share)} of the marks lie in its skin; {pct(painted)} of the skin is marked"


def _nerve_row(n: NerveCandidate) -> NerveRow:
    sites = tuple((s.place[:1].upper() + s.place[1:], s.test) for s in n.sites[:REPORT_SITES])
    return NerveRow(
        f"{n.name} ({SIDE[n.side]})",
        ", ".join(n.levels),
        _fit(n.explains_fraction, n.territory_painted),
        sites,
        n.key_point,
    )


def _other_row(e: EntrapmentCandidate) -> NerveRow:
    return NerveRow(
        f"{e.nerve} ({SIDE[e.side]})", "", e.explanation_text(), ((e.place[:1].upper() + e.place[1:], e.test),)
    )


def complaint_nerves(label: str, result: LookupResult) -> ComplaintNerves:
    other = [e for e in result.entrapments if e.by_regions][:REPORT_OTHER]
    return ComplaintNerves(
        label,
        result.differential,
        tuple(_nerve_row(n) for n in result.nerves[:REPORT_NERVES]),
        tuple(_nerve_row(n) for n in result.dermatomes[:REPORT_NERVES]),
        tuple(_other_row(e) for e in other),
    )


def nerve_section(result: LookupResult) -> NerveDifferentialSection | None:
    """The paresthesia differential of each complaint that has one; None when no paresthesia is marked."""
    found = [(c.label, c.result) for c in result.complaints if c.nerves or c.dermatomes or c.entrapments]
    if not found and (result.nerves or result.dermatomes or result.entrapments):
        found = [("The whole drawing", result)]
    if not found:
        return None
    return NerveDifferentialSection(
        "Numbness, tingling or burning: nerves and roots", INTRO, [complaint_nerves(label, r) for label, r in found]
    )
