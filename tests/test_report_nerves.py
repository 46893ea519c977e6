"""The session report's paresthesia differential: per complaint, the sentence, the nerves and roots, the tests."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from pdf_text import Pdf

from nmt_bodymap.atlas import shipped_atlas
from nmt_bodymap.chart import load_chart
from nmt_bodymap.cli.lookup_cmd import parse_at, place
from nmt_bodymap.lookup import LookupEngine
from nmt_bodymap.render.export import write
from nmt_bodymap.report import NerveDifferentialSection, TableSection, plan
from nmt_bodymap.session import Session

pytestmark = pytest.mark.usefixtures("qapp")  # painting text needs a Qt application

HAND = [
    "thumb-tip:right@anterior/tingling",
    "index-finger:right@anterior/tingling",
    "middle-finger:right@anterior/tingling",
]
THIGH = ["lateral-thigh:left/burning"]


def session_of(ats: list[str]) -> Session:
    session = place(load_chart(), [parse_at(a) for a in ats], 14, "aching", 6)
    session.date = "2026-05-01"
    return session


@pytest.fixture(scope="module")
def engine() -> LookupEngine:
    return LookupEngine(shipped_atlas(), load_chart())


def report(engine: LookupEngine, session: Session):
    result = engine.rank(session.marks, session.findings)
    return plan(session, engine.atlas, result, "report"), result


def test_each_complaint_with_paresthesia_gets_its_differential(engine):
    doc, result = report(engine, session_of([*HAND, "back-of-neck:right", *THIGH]))
    (section,) = [s for s in doc.sections if isinstance(s, NerveDifferentialSection)]
    labels = [c.label for c in section.complaints]
    assert len(labels) == 2 and all(("tingling" in x) or ("burning" in x) for x in labels)  # not the neck pain
    hand = next(c for c in section.complaints if "tingling" in c.label)
    expected = next(c for c in result.complaints if c.label == hand.label)
    assert hand.differential == expected.differential and hand.differential.startswith(
        "Fits the territory of the median"
    )
    median = hand.nerves[0]
    assert median.name == "Median nerve (right)" and median.levels == "C6, C7, C8, T1"
    assert median.sites[0][0] == "Carpal tunnel" and "Phalen" in median.sites[0][1]
    assert [d.name for d in hand.dermatomes] == ["C6 dermatome (right)", "C7 dermatome (right)"]
    assert hand.dermatomes[0].key_point.startswith("The back of the thumb")
    thigh = next(c for c in section.complaints if "burning" in c.label)
    assert thigh.nerves[0].name == "Lateral femoral cutaneous nerve (left)"
    # the old table of entrapments is folded into this section
    assert not any(isinstance(s, TableSection) and s.title == "Nerve entrapment to consider" for s in doc.sections)


def test_no_paresthesia_no_section(engine):
    doc, _ = report(engine, session_of(["back-of-neck:right", "temple:right"]))
    assert not any(isinstance(s, NerveDifferentialSection) for s in doc.sections)


def test_the_pdf_prints_the_differential_and_the_tests(engine, tmp_path: Path):
    doc, _ = report(engine, session_of([*HAND, *THIGH]))
    out = tmp_path / "report.pdf"
    write(doc, out)
    pdf = Pdf(out)
    text = " ".join(unicodedata.normalize("NFKC", pdf.page_text(p)) for p in pdf.pages())
    section = next(s for s in doc.sections if isinstance(s, NerveDifferentialSection))
    assert section.title in text
    assert "Where it may be caught" in text and "Key point" in text
    for complaint in section.complaints:
        assert complaint.label in text
        assert " ".join(complaint.differential.split()[:8]) in text
    assert "Phalen's test" in text and "Pelvic compression test" in text
    assert "Median nerve (right)" in text and "C6 dermatome (right)" in text
