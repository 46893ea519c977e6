"""What the session report and the chart say, read back from the PDF a therapist hands over.

Text is read from the written PDF (``pdf_text.py``): headings never stand
alone at the foot of a page, no word is broken inside, the client's code
stands beside the name, the practice heads every page, candidate zones have
a key and colours of their own, not-tender findings are listed, and "rule out
first" lines appear where their muscle does.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from xml.etree import ElementTree

import pytest
from export_sessions import CODE, NAME, PRACTICE, busy_session, rule_out_muscle, write_busy_session
from pdf_text import Pdf
from PySide6.QtCore import QSettings

from nmt_bodymap.atlas import shipped_atlas
from nmt_bodymap.chart import load_chart
from nmt_bodymap.cli import main
from nmt_bodymap.lookup import LookupEngine
from nmt_bodymap.paths import APP_NAME
from nmt_bodymap.render.export import write
from nmt_bodymap.render.figure import ZONE_STYLES
from nmt_bodymap.render.qt import PRACTICE_KEY
from nmt_bodymap.report import Document, FigureSection, NoticeSection, TableSection, plan, searchable_text
from nmt_bodymap.session import Session, load

FIXTURE = Path(__file__).parent / "fixtures" / "sessions" / "v1-headache.nmt"
pytestmark = pytest.mark.usefixtures("qapp")  # painting text needs a Qt application


def pages_text(path: Path) -> list[str]:
    pdf = Pdf(path)
    return [unicodedata.normalize("NFKC", pdf.page_text(p)) for p in sorted(pdf.pages())]


def report_of(session: Session, tmp_path: Path, name: str = "report.pdf", **options) -> tuple[Document, list[str]]:
    atlas = shipped_atlas()
    result = LookupEngine(atlas, load_chart()).rank(session.marks, session.findings)
    options.setdefault("practice", PRACTICE)
    doc = plan(session, atlas, result, "report", **options)
    out = tmp_path / name
    write(doc, out)
    return doc, pages_text(out)


def body_of(page: str, doc: Document) -> str:
    """A page's text without its title block and footer."""
    start = page.index("Neuromuscular therapy") + len("Neuromuscular therapy")
    end = page.rindex(doc.footer[:30])
    return page[start:end].strip()


def leads(doc: Document) -> list[str]:
    """Texts that introduce what follows: section titles, intros, table heads."""
    out = []
    for s in doc.sections:
        if isinstance(s, FigureSection):
            continue
        if s.title:
            out.append(s.title)
        if isinstance(s, TableSection):
            if s.intro:
                out.append(s.intro)
            if s.rows:
                out.append(" ".join(h for h, _ in s.columns if h))
        if isinstance(s, NoticeSection) and s.intro:
            out.append(s.intro)
    return out


def words(text: str) -> set[str]:
    """Words as a reader sees them: a line broken after a hyphen joins up again."""
    joined = re.sub(r"-\s+", "-", unicodedata.normalize("NFKC", text))
    return {w.strip(".,;:()“”\"'!?·") for w in joined.split()} - {""}


@pytest.mark.parametrize("extra", range(0, 15, 3))
def test_no_heading_is_left_at_the_foot_of_a_page(tmp_path, extra):
    # more not-tender findings push every later section down, past each page break in turn
    doc, pages = report_of(busy_session(extra_not_tender=extra), tmp_path)
    assert len(pages) >= 2
    for number, page in enumerate(pages[:-1], start=1):
        body = body_of(page, doc)
        for lead in leads(doc):
            assert not body.endswith(lead), f"page {number} ends with “{lead}”, its content is on the next page"


def test_the_five_causes_heading_stays_with_its_table(tmp_path):
    _doc, pages = report_of(load(FIXTURE), tmp_path)
    (page,) = [p for p in pages if "Assessment: the five causes" in p]
    for cause in ("Biomechanical disturbance", "Postural distortion", "Forward head posture"):
        assert cause in page


@pytest.mark.parametrize("kind", ["report", "chart", "handout"])
def test_no_word_is_broken_inside(tmp_path, kind):
    session = busy_session()
    atlas = shipped_atlas()
    result = LookupEngine(atlas, load_chart()).rank(session.marks, session.findings)
    doc = plan(session, atlas, result, kind, ["anterior", "posterior"], practice=PRACTICE, show_zones=3)
    write(doc, tmp_path / "out.pdf")
    printed = words(" ".join(pages_text(tmp_path / "out.pdf")))
    expected = {w for w in words(searchable_text(doc)) if len(w) > 1}
    assert "Sternocleidomastoid" in expected  # the long name is in the document...
    missing = sorted(expected - printed)
    assert not missing, f"words broken or lost in the PDF: {missing[:10]}"


def test_client_code_beside_the_name_and_the_practice_on_every_page(tmp_path):
    _doc, pages = report_of(busy_session(), tmp_path)
    for page in pages:
        assert f"{NAME} ({CODE})" in page
        assert PRACTICE in page


def test_anonymized_report_keeps_the_code_alone(tmp_path):
    _doc, pages = report_of(busy_session(), tmp_path, anonymize=True)
    for page in pages:
        assert f"Client: {CODE}" in page and NAME not in page


def test_practice_comes_from_the_settings(tmp_path, capsys):
    settings = QSettings(APP_NAME, APP_NAME)
    settings.setValue(PRACTICE_KEY, "Harbour Street Bodywork")
    settings.sync()
    try:
        session = write_busy_session(tmp_path)
        assert main(["export", str(session), "-o", str(tmp_path / "r.pdf"), "--report"]) == 0
        assert all("Harbour Street Bodywork" in p for p in pages_text(tmp_path / "r.pdf"))
        assert main(["export", str(session), "-o", str(tmp_path / "p.pdf"), "--practice", "Other Place"]) == 0
        assert "Other Place" in pages_text(tmp_path / "p.pdf")[0]
    finally:
        settings.remove(PRACTICE_KEY)
        settings.sync()
    capsys.readouterr()


def test_each_drawn_zone_has_its_colour_and_a_key(tmp_path):
    session = write_busy_session(tmp_path)
    for fmt in ("pdf", "svg"):
        assert main(["export", str(session), "-o", str(tmp_path / f"z.{fmt}"), "--zones", "3"]) == 0
    atlas = shipped_atlas()
    s = load(session)
    result = LookupEngine(atlas, load_chart()).rank(s.marks, s.findings)
    figure = plan(s, atlas, result, "chart", show_zones=3).figure
    assert figure is not None and len(figure.zones) == 3
    text = pages_text(tmp_path / "z.pdf")[0]
    for zone in figure.zones:
        assert f"#{zone.rank} {zone.label}" in text
    root = ElementTree.parse(tmp_path / "z.svg").getroot()
    fills = {e.get("fill", "").lower() for e in root.iter() if e.get("fill")}
    colours = [ZONE_STYLES[z.style][0].lower() for z in figure.zones]
    assert len(set(colours)) == 3
    for colour in colours:
        assert colour in fills, f"zone colour {colour} is not drawn"


def test_not_tender_findings_are_listed(tmp_path):
    session = busy_session()
    _doc, pages = report_of(session, tmp_path)
    text = " ".join(pages)
    atlas = shipped_atlas()
    by_key = atlas.by_key()
    negative = [k for k, f in session.findings.items() if f == "not-tender"]
    assert negative
    (page,) = [p for p in pages if "Palpation findings" in p]
    section = page[page.index("Palpation findings") :]
    for key in negative:
        sided = by_key[key]
        assert f"{sided.muscle.name} {sided.trp.label}" in section
    assert section.count("not tender") >= len(negative) + 1  # the intro says it, each row says it
    # and the chart's legend lists them with their letter
    for key in negative:
        assert f"{by_key[key].muscle.name}, {by_key[key].trp.label} (right): not tender" in text


def test_rule_out_lines_are_shown_where_the_muscle_appears(tmp_path):
    atlas = shipped_atlas()
    warn = atlas.muscle(rule_out_muscle(atlas))
    doc, pages = report_of(busy_session(), tmp_path)
    text = " ".join(pages)
    # a boxed section before the candidates, naming each condition and the muscle
    start = text.index("⚠ Rule out first")
    assert start < text.index("Trigger point candidates")
    box = text[start : text.index("Trigger point candidates")]
    for rule in warn.rule_out:
        assert rule.condition in box
        assert rule.signs.split(":")[0][:60] in re.sub(r"\s+", " ", box)
    assert warn.name in box
    # and in the row of every candidate whose muscle has them
    candidates = next(s for s in doc.sections if s.title == "Trigger point candidates")
    assert isinstance(candidates, TableSection)
    for row in candidates.rows:
        name = row[1].title
        muscle = next(m for m in atlas.muscles.values() if m.name == name)
        if muscle.rule_out:
            assert row[-1].alert.startswith("Rule out first: " + muscle.rule_out[0].condition)
            assert row[-1].alert in text


def test_a_report_without_rule_out_muscles_has_no_box(tmp_path):
    session = load(FIXTURE)
    atlas = shipped_atlas()
    result = LookupEngine(atlas, load_chart()).rank(session.marks, session.findings)
    shown = {c.muscle for c in result.candidates[:12]} | {k.split("/")[0] for k in session.findings}
    _doc, pages = report_of(session, tmp_path)
    has_box = any(atlas.muscle(m).rule_out for m in shown if m in atlas.muscles)
    assert ("⚠ Rule out first" in " ".join(pages)) == has_box
