"""The progress page of the report, the handout's progress words and the client export's PDFs, from a real store.

The client C-042 has three visits in a SQLite practice database
(``visit_records.practice_with_history``): the report of the last one ends
with a page of its own holding the progress plot (vector), a line of what
changed since the first visit, and a table of the visits; the handout tells
the client how their pain has changed. Read back from the written PDFs.
"""

from __future__ import annotations

import json
import os
import re
import stat
import unicodedata
from pathlib import Path

import pytest
from cli_helpers import run
from export_sessions import CODE, NAME, PRACTICE
from pdf_text import Pdf
from test_report_content import pages_text, words
from visit_records import EARLIER, THIS_VISIT, client_visits, practice_with_history, recorded_session

from nmt_bodymap.atlas import shipped_atlas
from nmt_bodymap.chart import load_chart
from nmt_bodymap.lookup import LookupEngine
from nmt_bodymap.render.export import write
from nmt_bodymap.report import ProgressPlotSection, plan, searchable_text
from nmt_bodymap.session import save
from nmt_bodymap.store import open_store
from nmt_bodymap.visit_history import VisitPoint

pytestmark = pytest.mark.usefixtures("qapp")


@pytest.fixture(scope="module")
def practice(tmp_path_factory) -> Path:
    return practice_with_history(tmp_path_factory.mktemp("practice"))


def export(kind: str, history, tmp_path: Path, name: str = "out.pdf", **options) -> list[str]:
    session = recorded_session()
    atlas = shipped_atlas()
    result = LookupEngine(atlas, load_chart()).rank(session.marks, session.findings)
    doc = plan(session, atlas, result, kind, practice=PRACTICE, history=history, **options)
    write(doc, tmp_path / name)
    return pages_text(tmp_path / name)


# -- the report's progress page --------------------------------------------------------------


def test_the_progress_page_holds_the_plot_the_change_and_the_visits(practice, tmp_path):
    visits = client_visits(practice)
    assert [v.date.isoformat() for v in visits] == [d for d, *_ in EARLIER] + [THIS_VISIT]
    pages = export("report", visits, tmp_path)
    page = pages[-1]
    body = page[page.index("Neuromuscular therapy") + len("Neuromuscular therapy") :].strip()
    assert body.startswith("Progress over the visits"), "the progress page opens a page of its own"
    assert not any("Progress over the visits" in p for p in pages[:-1])
    first, last = visits[0], visits[-1]
    assert (
        f"Since the first visit ({first.date.isoformat()}): pain extent {first.extent_percent:.2f} % → "
        f"{last.extent_percent:.2f} %" in page
    )
    assert f"pain before treatment {first.pain_before} → {last.pain_before}" in page
    # the plot's own words: it is drawn as text and paths, not a picture
    assert f"3 visits, {first.date.isoformat()} – {last.date.isoformat()}" in page
    assert "Pain extent (share of the body surface)" in page
    table = page[page.index("Visits Pain extent:") :]
    for i, v in enumerate(visits):
        row = unicodedata.normalize(  # as the page text is read: cm² becomes cm2
            "NFKC",
            f"{v.date.isoformat()} {'this visit ' if i == 2 else ''}{v.extent_percent:.1f} % "
            f"{v.weighted_area_mm2 / 100:.1f} cm² {v.max_intensity} {v.mean_intensity:.1f} "
            f"{v.pain_before} → {v.pain_after}",
        )
        assert row in table, row
        overlap = "–" if v.jaccard_previous is None else f"{round(100 * v.jaccard_previous)} %"
        assert table[table.index(row) + len(row) :].lstrip().startswith(overlap)
    assert visits[1].jaccard_previous is not None and visits[2].jaccard_previous is not None


def test_the_progress_plot_is_vector(practice, tmp_path):
    export("report", client_visits(practice), tmp_path)
    pdf = Pdf(tmp_path / "out.pdf")
    assert not re.search(rb"/Subtype\s*/Image", pdf.raw), "a picture in the PDF: the plot must be paths"


def test_no_earlier_visit_no_progress_page(practice, tmp_path):
    visits = client_visits(practice)
    assert "Progress over the visits" not in " ".join(export("report", None, tmp_path, "none.pdf"))
    assert "Progress over the visits" not in " ".join(export("report", visits[-1:], tmp_path, "one.pdf"))


def test_visits_after_the_report_are_left_out(practice, tmp_path):
    visits = client_visits(practice)
    later = VisitPoint.of(visits[-1])
    later = VisitPoint(later.date.replace(year=later.date.year + 1), 50.0, 1.0, 9, 9.0, 9, 9, 0.1)
    page = export("report", [*visits, later], tmp_path)[-1]
    assert "3 visits" in page and str(later.date) not in page


# -- the handout's words ---------------------------------------------------------------------


def test_the_handout_tells_the_client_how_the_pain_has_changed(practice, tmp_path):
    visits = client_visits(practice)
    ratio = visits[-1].extent_percent / visits[0].extent_percent
    assert 0.42 <= ratio < 0.58  # the fixture's later drawing is about half the first
    text = " ".join(export("handout", visits, tmp_path))
    assert "How your pain has changed" in text
    assert "The area of your pain is about half what it was on 3 November." in text
    assert "Before treatment you rated your pain 7 out of 10 on 3 November, and 4 out of 10 at this visit." in text
    assert text.index("How your pain has changed") < text.index("What to do at home")
    plain = " ".join(export("handout", None, tmp_path, "plain.pdf"))
    assert "How your pain has changed" not in plain and "What to do at home" not in plain


# -- the command line ------------------------------------------------------------------------


def test_export_with_the_client_adds_the_progress(practice, tmp_path, capsys):
    session = tmp_path / "visit.nmt"
    save(recorded_session(), session)
    status, out, _ = run(capsys, "export", str(session), "-o", str(tmp_path / "r.pdf"), "--report",
                         "--client", CODE, "--db", str(practice))  # fmt: skip
    assert status == 0 and "3 visits" in out
    assert "Progress over the visits" in pages_text(tmp_path / "r.pdf")[-1]
    status, _, _ = run(capsys, "export", str(session), "-o", str(tmp_path / "h.pdf"), "--handout",
                       "--client", NAME, "--db", str(practice))  # fmt: skip
    assert status == 0 and "about half what it was" in " ".join(pages_text(tmp_path / "h.pdf"))
    # without --client the database is not read: no progress page
    os.environ["NMT_BODYMAP_DB"] = str(practice)
    try:
        assert run(capsys, "export", str(session), "-o", str(tmp_path / "n.pdf"), "--report")[0] == 0
    finally:
        del os.environ["NMT_BODYMAP_DB"]
    assert "Progress over the visits" not in " ".join(pages_text(tmp_path / "n.pdf"))


@pytest.mark.parametrize(
    "extra, fault",
    [
        (["--client", CODE], "--report or --handout"),  # the chart has no progress
        (["--report", "--db", "x.sqlite3"], "--db is read only with --client"),
        (["--report", "--client", "C-999"], "no client"),
        (["--report", "--client", "C-100"], "the session is for client C-042, not C-100"),
    ],
)
def test_export_client_errors_are_one_line(practice, tmp_path, capsys, extra, fault):
    with open_store(practice) as store:
        if store.client_by_code("C-100") is None:
            store.add_client("C-100", "Another Client")
    session = tmp_path / "visit.nmt"
    save(recorded_session(), session)
    argv = ["export", str(session), "-o", str(tmp_path / "r.pdf"), *extra]
    if "--db" not in extra:
        argv += ["--db", str(practice)]
    status, _out, err = run(capsys, *argv)
    assert status == 2 and len(err.strip().splitlines()) == 1 and fault in err, err
    assert not (tmp_path / "r.pdf").exists()


def test_client_export_holds_each_visits_report(practice, tmp_path, capsys):
    folder = tmp_path / "record"
    status, _out, err = run(capsys, "clients", "export", CODE, "-o", str(folder), "--yes", "--db", str(practice))
    assert status == 0, err
    record = json.loads((folder / "record.json").read_text())
    sessions = sorted(folder.glob("*.nmt"))
    reports = sorted(folder.glob("*.pdf"))
    assert len(sessions) == len(reports) == len(record["visits"]) == 3
    for entry in record["visits"]:
        assert (folder / entry["file"].replace(".nmt", "-report.pdf")).is_file()
    name_parts = {p.lower() for p in re.split(r"[\s-]+", NAME)}
    for path in folder.iterdir():
        assert not name_parts & set(re.split(r"[-.]", path.name.lower())), path.name
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    texts = [" ".join(pages_text(p)) for p in reports]  # oldest first: names start with the date
    assert "Progress over the visits" not in texts[0]
    assert "2 visits" in texts[1] and "3 visits" in texts[2]
    assert all(f"{NAME} ({CODE})" in t for t in texts)  # the client's own record names them inside


def test_a_binned_visit_gets_its_report_without_progress(practice, tmp_path, capsys):
    copy = tmp_path / "practice.sqlite3"
    copy.write_bytes(practice.read_bytes())
    with open_store(copy) as store:
        middle = client_visits(copy)[1]
        store.bin_visit(middle.id)
    folder = tmp_path / "record"
    assert run(capsys, "clients", "export", CODE, "-o", str(folder), "--yes", "--db", str(copy))[0] == 0
    reports = sorted(folder.glob("*.pdf"))
    assert len(reports) == 3
    texts = {p.name: " ".join(pages_text(p)) for p in reports}
    binned = next(t for n, t in texts.items() if n.endswith(f"-{middle.id}-report.pdf"))
    assert "Progress over the visits" not in binned
    latest = texts[max(texts)]
    assert "2 visits" in latest  # the binned visit is left out of the others' progress


def test_the_progress_section_holds_plain_data(practice):
    visits = client_visits(practice)
    session = recorded_session()
    atlas = shipped_atlas()
    result = LookupEngine(atlas, load_chart()).rank(session.marks, session.findings)
    doc = plan(session, atlas, result, "report", history=visits)
    (section,) = [s for s in doc.sections if isinstance(s, ProgressPlotSection)]
    assert section.points == [VisitPoint.of(v) for v in visits]
    assert section.table is not None and [row[0].text for row in section.table.rows] == [
        v.date.isoformat() for v in visits
    ]


def test_no_word_of_the_record_or_the_progress_is_broken_or_lost(practice, tmp_path):
    session = recorded_session()
    atlas = shipped_atlas()
    result = LookupEngine(atlas, load_chart()).rank(session.marks, session.findings)
    doc = plan(session, atlas, result, "report", practice=PRACTICE, history=client_visits(practice))
    write(doc, tmp_path / "r.pdf")
    printed = words(" ".join(pages_text(tmp_path / "r.pdf")))
    expected = {w for w in words(searchable_text(doc)) if len(w) > 1}
    assert {"Subjective", "Technique", "Jaccard", "Refer"} <= expected
    assert not sorted(expected - printed)


def test_a_session_without_a_date_takes_every_visit_given(practice):
    visits = client_visits(practice)
    session = recorded_session()
    session.date = ""
    atlas = shipped_atlas()
    result = LookupEngine(atlas, load_chart()).rank(session.marks, session.findings)
    doc = plan(session, atlas, result, "report", history=list(reversed(visits)))
    (section,) = [s for s in doc.sections if isinstance(s, ProgressPlotSection)]
    assert [p.date for p in section.points] == [v.date for v in visits]  # oldest first
