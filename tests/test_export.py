"""Exports: the annotated chart, the report and the handout, in PNG, SVG and PDF."""

from __future__ import annotations

import shutil
import struct
import zlib
from pathlib import Path
from xml.etree import ElementTree

import pytest
from pdf_text import Pdf
from PySide6.QtGui import QImage

from nmt_bodymap.atlas import shipped_atlas
from nmt_bodymap.chart import load_chart
from nmt_bodymap.cli import main
from nmt_bodymap.lookup import LookupEngine
from nmt_bodymap.render.chart_svg import visible_svg
from nmt_bodymap.render.marks import QUALITY_COLORS
from nmt_bodymap.report import plan, searchable_text
from nmt_bodymap.session import load

SESSION = Path(__file__).parent / "fixtures" / "sessions" / "v1-headache.nmt"
NAME = "Alex Example"


def export(capsys, tmp_path: Path, name: str, *args: str) -> tuple[int, Path, str]:
    out = tmp_path / name
    try:
        code = main(["export", str(SESSION), "-o", str(out), *args])
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out, capsys.readouterr().err


def png_text_chunks(path: Path) -> bytes:
    data = path.read_bytes()
    out, pos = b"", 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        if kind in (b"tEXt", b"iTXt", b"zTXt"):
            out += data[pos + 8 : pos + 8 + length]
        pos += 12 + length
    return out


@pytest.mark.parametrize("dpi, size", [(300, (2480, 3508)), (150, (1240, 1754)), (72, (595, 842))])
def test_png_size_matches_the_dpi(capsys, tmp_path, dpi, size):
    code, out, err = export(capsys, tmp_path, "chart.png", "--dpi", str(dpi))
    assert code == 0, err
    image = QImage(str(out))
    assert (image.width(), image.height()) == size
    assert round(image.dotsPerMeterX() * 0.0254) == dpi


def test_multi_page_png_stacks_the_pages(capsys, tmp_path):
    code, out, _ = export(capsys, tmp_path, "report.png", "--report", "--dpi", "50")
    assert code == 0
    image = QImage(str(out))
    page_h = round(297 * 50 / 25.4)
    assert image.height() > 2 * page_h


def test_svg_is_vector_with_a_path_for_every_mark(capsys, tmp_path):
    code, out, _ = export(capsys, tmp_path, "chart.svg", "--views", "anterior,posterior,right-lateral")
    assert code == 0
    root = ElementTree.parse(out).getroot()
    ns = "{http://www.w3.org/2000/svg}"
    assert root.find(f".//{ns}image") is None, "the chart must be vector, not a picture"
    paths = root.findall(f".//{ns}path")
    chart = load_chart()
    drawn = sum(
        len(ElementTree.fromstring(visible_svg(chart.view(v))).findall(f".//{ns}path"))
        for v in ("anterior", "posterior", "right-lateral")
    )
    assert len(paths) >= drawn  # every path of the three backdrops, as paths
    region_paths = sum(len(chart.view(v).regions) for v in ("anterior", "posterior", "right-lateral"))
    assert len(paths) < drawn + region_paths, "the invisible region outlines must not be written"
    session = load(SESSION)
    # QSvgGenerator puts the fill on the group around the paths it fills
    filled = {g.get("fill", "").lower() for g in root.iter(f"{ns}g") if g.find(f"{ns}path") is not None}
    for mark in session.marks:
        if mark.view in ("anterior", "posterior", "right-lateral"):
            assert QUALITY_COLORS[mark.quality].lower() in filled, mark.quality
    assert "Alex Example" in out.read_text()


def test_pdf_report_has_its_pages_and_text(capsys, tmp_path):
    code, out, _ = export(capsys, tmp_path, "report.pdf", "--report", "--practice", "Hands On NMT")
    assert code == 0
    pdf = Pdf(out)
    assert 2 <= len(pdf.pages()) <= 5  # chart, candidates, assessment and notes; the count follows the atlas text
    text = pdf.text()
    for words in (
        "Session report",
        "Trigger point candidates",
        "Trapezius",
        "Assessment: the five causes",
        "Forward head posture",
        "Right-sided headache after long drives",
        "Hands On NMT",
        "not a diagnosis",
        NAME,
    ):
        assert words in text, words
    assert b"/Creator" in pdf.raw


def test_pdf_handout_names_the_muscle_and_its_self_care(capsys, tmp_path):
    code, out, _ = export(capsys, tmp_path, "handout.pdf", "--handout")
    assert code == 0
    text = Pdf(out).text()
    assert "Your home-care plan" in text and "Trapezius" in text and "Stretch." in text
    assert "tennis ball" in text  # the atlas' self-care, in the client's words


@pytest.mark.parametrize("fmt", ["pdf", "svg", "png"])
@pytest.mark.parametrize("kind", [[], ["--report"], ["--handout"]])
def test_anonymized_output_has_no_client_name_anywhere(capsys, tmp_path, fmt, kind):
    code, out, _ = export(capsys, tmp_path, f"anon.{fmt}", "--anonymize", "--dpi", "60", *kind)
    assert code == 0
    raw = out.read_bytes()
    assert NAME.encode() not in raw and NAME.encode("utf-16-be") not in raw
    if fmt == "pdf":
        pdf = Pdf(out)
        assert NAME not in pdf.text()
        streams = pdf.all_streams()
        assert any(b"BT" in s for s in streams)  # the page content streams were read
        assert all(NAME.encode() not in s for s in streams)
        assert "C-017" in pdf.text()  # the client code stays
    elif fmt == "svg":
        assert NAME not in out.read_text()
    else:
        assert NAME.encode() not in png_text_chunks(out)


def test_anonymized_plan_has_no_client_name():
    session = load(SESSION)
    atlas = shipped_atlas()
    result = LookupEngine(atlas, load_chart()).rank(session.marks, session.findings)
    for kind in ("chart", "report", "handout"):
        doc = plan(session, atlas, result, kind, anonymize=True)
        assert NAME not in searchable_text(doc)
        assert NAME not in doc.metadata_title
        named = plan(session, atlas, result, kind)
        assert NAME in searchable_text(named)
        assert NAME not in named.metadata_title  # never in metadata


@pytest.mark.parametrize(
    "args, words",
    [
        (["-o", "{tmp}/x.docx"], "unknown format"),
        (["-o", "{tmp}/missing/x.pdf"], "does not exist"),
        (["-o", "{tmp}/x.pdf", "--views", "anterior,dorsal"], "unknown view 'dorsal'"),
        (["-o", "{tmp}/x.pdf", "--report", "--handout"], "not allowed with"),
        (["-o", "{tmp}/x.png", "--dpi", "0"], "positive"),
    ],
)
def test_bad_export_arguments(capsys, tmp_path, args, words):
    try:
        code = main(["export", str(SESSION), *[a.replace("{tmp}", str(tmp_path)) for a in args]])
    except SystemExit as exc:
        code = int(exc.code or 0)
    err = capsys.readouterr().err
    assert code == 2 and words in err and len(err.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_a_damaged_session_is_refused(capsys, tmp_path):
    broken = tmp_path / "broken.nmt"
    broken.write_text("{")
    code = main(["export", str(broken), "-o", str(tmp_path / "x.pdf")])
    err = capsys.readouterr().err
    assert code == 2 and "damaged or truncated" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.nmt"]


def test_unwritable_folder_leaves_nothing(capsys, tmp_path, monkeypatch):
    from nmt_bodymap.render import export as export_module

    out = tmp_path / "keep.pdf"
    out.write_bytes(b"%PDF old")

    def fail(*_a, **_k):
        raise export_module.ExportError("cannot start drawing on the output (is the path writable?)")

    monkeypatch.setattr(export_module, "write_pdf", fail)
    code = main(["export", str(SESSION), "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and "cannot start drawing" in err
    assert out.read_bytes() == b"%PDF old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.pdf"]


def test_the_output_never_overwrites_the_session(capsys, tmp_path):
    session = tmp_path / "visit.nmt"
    shutil.copy(SESSION, session)
    before = session.read_bytes()
    code = main(["export", str(session), "-o", str(tmp_path / "visit.nmt")])
    assert code == 2
    assert session.read_bytes() == before
    assert zlib is not None
