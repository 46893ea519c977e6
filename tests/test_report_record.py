"""The visit record in the session report, read back from the PDF: refer notice, red flags, SOAP, treatment.

Also the page flow that the notice needs: a figure under a notice is drawn
smaller to fill the rest of the first page, and a section may open a page.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from export_sessions import PRACTICE
from test_report_content import pages_text
from visit_records import SOAP, THERAPIST, TREATMENT, recorded_session

from nmt_bodymap.atlas import shipped_atlas
from nmt_bodymap.chart import load_chart
from nmt_bodymap.lookup import LookupEngine
from nmt_bodymap.red_flags import RED_FLAGS
from nmt_bodymap.render.export import layout, write
from nmt_bodymap.render.flow import Block, paginate
from nmt_bodymap.report import Document, FigureSection, NoticeSection, plan
from nmt_bodymap.session import Session, SoapNotes, Treatment

pytestmark = pytest.mark.usefixtures("qapp")


def report_pages(session: Session, tmp_path: Path, name: str = "report.pdf", **options) -> tuple[Document, list[str]]:
    atlas = shipped_atlas()
    result = LookupEngine(atlas, load_chart()).rank(session.marks, session.findings)
    doc = plan(session, atlas, result, "report", practice=PRACTICE, **options)
    write(doc, tmp_path / name)
    return doc, pages_text(tmp_path / name)


def between(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


# -- refer before treating ---------------------------------------------------------------


def test_a_red_flag_puts_refer_before_treating_at_the_top_of_the_first_page(tmp_path):
    session = recorded_session(flags=("chest-pain", "calf-swelling"))
    doc, pages = report_pages(session, tmp_path)
    first = pages[0]
    assert "⚠ Refer before treating" in first
    notice = between(first, "⚠ Refer before treating", "Anterior")  # before the chart's first view
    assert "reported 2 signs" in notice
    for flag in ("chest-pain", "calf-swelling"):
        assert RED_FLAGS[flag].title in notice
        assert RED_FLAGS[flag].why[:50] in notice
    assert "Asked twice; pain on climbing stairs." in notice
    # the notice opens the document, and the chart still fits under it on the first page
    assert isinstance(doc.sections[0], NoticeSection) and isinstance(doc.sections[1], FigureSection)
    assert "Legend" in first
    assert sum("Refer before treating" in p for p in pages) == 1


@pytest.mark.parametrize("screened", [True, False])
def test_no_red_flag_no_refer_notice(tmp_path, screened):
    _doc, pages = report_pages(recorded_session(flags=(), screened=screened), tmp_path)
    assert "Refer before treating" not in " ".join(pages)


def test_the_red_flag_screen_lists_the_signs_asked_and_those_present(tmp_path):
    _doc, pages = report_pages(recorded_session(flags=("saddle-numbness",)), tmp_path)
    text = " ".join(pages)
    screen = between(text, "Red-flag screen", "Rule out first" if "Rule out first" in text else "SOAP notes")
    assert "Present: Saddle numbness." in screen
    asked = screen[screen.index("Asked:") :].lower()
    for flag in RED_FLAGS.values():
        assert flag.title.lower() in asked
    assert "Note: Asked twice; pain on climbing stairs." in screen


def test_a_screen_with_nothing_present_says_so_and_one_not_asked_says_not_recorded(tmp_path):
    _doc, pages = report_pages(recorded_session(flags=()), tmp_path, "asked.pdf")
    assert "Present: None of the signs asked." in " ".join(pages)
    _doc, pages = report_pages(recorded_session(flags=(), screened=False), tmp_path, "not-asked.pdf")
    text = " ".join(pages)
    assert "Red-flag screen Not recorded for this visit." in text


# -- SOAP and treatment --------------------------------------------------------------------


def test_soap_notes_print_only_the_parts_written(tmp_path):
    _doc, pages = report_pages(recorded_session(), tmp_path)
    text = " ".join(pages)
    soap = between(text, "SOAP notes", "Treatment")
    assert soap.index("Subjective:") < soap.index("Objective:") < soap.index("Plan:")
    assert "Assessment:" not in soap  # not written
    for part in (SOAP.subjective, SOAP.objective, SOAP.plan):
        for line in part.splitlines():
            assert line in soap


def test_no_soap_notes_no_section(tmp_path):
    session = recorded_session()
    session.soap = SoapNotes()
    _doc, pages = report_pages(session, tmp_path)
    assert "SOAP notes" not in " ".join(pages)


def test_the_treatment_names_trigger_points_technique_and_pain(tmp_path):
    session = recorded_session()
    session.treatment = dataclasses.replace(TREATMENT, trigger_points=(*TREATMENT.trigger_points, "unknown/trp9:left"))
    _doc, pages = report_pages(session, tmp_path)
    text = " ".join(pages)
    treatment = between(text, "Treatment", "Trigger point candidates")
    by_key = shipped_atlas().by_key()
    for key in TREATMENT.trigger_points:
        sided = by_key[key]
        assert f"{sided.muscle.name} {sided.trp.label}, {sided.side}" in treatment
    assert "unknown/trp9:left" in treatment  # a key the atlas does not know is shown as it is
    assert f"Technique: {TREATMENT.technique}" in treatment
    assert "Pain (client's rating): 4 before, 2 after treatment (0–10)." in treatment


@pytest.mark.parametrize(
    "before, after, said",
    [
        (6, None, "6 before treatment (0–10); not rated after."),
        (None, 3, "3 after treatment (0–10); not rated before."),
    ],
)
def test_a_single_pain_rating_says_which(tmp_path, before, after, said):
    session = recorded_session()
    session.treatment = Treatment(pain_before=before, pain_after=after)
    _doc, pages = report_pages(session, tmp_path)
    treatment = between(" ".join(pages), "Treatment", "Trigger point candidates")
    assert said in treatment and "Technique" not in treatment


def test_nothing_treated_no_section_and_the_therapist_heads_every_page(tmp_path):
    session = recorded_session()
    session.treatment = Treatment()
    _doc, pages = report_pages(session, tmp_path)
    assert "Treatment Trigger points treated" not in " ".join(pages)
    assert all(f"Therapist: {THERAPIST}" in page for page in pages)


# -- the page flow the notice needs --------------------------------------------------------


def _named(height: float, name: str, **kw) -> Block:
    b = Block(height, lambda _p, _y: None, **kw)
    b.name = name  # type: ignore[attr-defined]
    return b


def test_a_block_that_fits_is_drawn_smaller_to_fill_the_page():
    def fit(room: float) -> Block | None:
        return _named(room, "small figure") if room >= 60 else None

    pages = paginate([_named(30, "notice"), _named(90, "figure", fit=fit)], 0, 0, 100)
    assert [[p.block.name for p in page] for page in pages] == [["notice", "small figure"]]
    pages = paginate([_named(50, "notice"), _named(90, "figure", fit=fit)], 0, 0, 100)
    assert [[p.block.name for p in page] for page in pages] == [["notice"], ["figure"]]


def test_a_block_that_opens_a_page_never_shares_one_with_what_comes_before():
    pages = paginate([_named(10, "a"), _named(10, "b", opens_page=True), _named(10, "c")], 0, 0, 100)
    assert [[p.block.name for p in page] for page in pages] == [["a"], ["b", "c"]]
    pages = paginate([_named(10, "b", opens_page=True)], 0, 0, 100)
    assert len(pages) == 1


def test_the_figure_under_a_notice_stays_large(tmp_path):
    with_flags = recorded_session(flags=tuple(RED_FLAGS)[:4])
    atlas = shipped_atlas()
    result = LookupEngine(atlas, load_chart()).rank(with_flags.marks, with_flags.findings)
    doc = plan(with_flags, atlas, result, "report")
    plain = plan(recorded_session(flags=()), atlas, result, "report")
    first = layout(doc)[0]
    heights = [p.block.height for p in first]
    full = layout(plain)[0][0].block.height  # the figure alone on the first page
    assert len(first) > 2 and max(heights) < full  # notice blocks, then the figure, smaller
    assert max(heights) > 0.6 * full
