"""PDF and SVG exports look like the PNG of the same pages.

Every page of a PDF export is rasterized (pypdfium2) and every SVG drawn
back (QSvgRenderer) at the resolution of a PNG export of the same document,
then compared pixel by pixel:

* **the body**: pixels where the PNG shows bare skin (the chart's body
  colour, 2 px from any other ink) must be the same colour in the PDF/SVG
  (each channel within 24 of 255) for at least 99 % of them. This is the
  class of fault where a vector export draws what the PNG does not, such as
  the chart's invisible region boundaries as black hairlines (before the fix:
  91 % on the chart page, 94 % on the handout);
* **the page**: of all inked pixels (after a 3 × 3 blur that forgives the
  half-pixel differences of two text rasterizers), at least 88 % (PDF) or
  97 % (SVG, drawn by Qt on both sides) agree within 40.

The report is compared with and without a progress page (the client's
three visits from a practice database: the plot is painted as vector paths
and text in the PDF).

A failure writes the page with its disagreeing pixels in magenta next to
the test's temporary files.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from export_sessions import write_busy_session
from page_pixels import (
    agreement,
    body_agreement,
    disagreement_picture,
    image_array,
    pdf_pages,
    split_pages,
    svg_picture,
)
from PySide6.QtGui import QImage
from visit_records import practice_with_history

from nmt_bodymap.cli import main

DPI = 100
SVG_DPI = 96  # the SVG export's own resolution
BODY_SHARE = 0.99
PDF_PAGE_SHARE = 0.88
SVG_PAGE_SHARE = 0.97
MIN_BODY_PIXELS = 5000  # a page with a chart on it shows at least this much bare skin at 100 dpi
pytestmark = pytest.mark.usefixtures("qapp")  # one QApplication for the CLI and the reading back

CASES = [
    ("chart", "anterior,posterior,right-lateral", True),
    ("chart", "left-lateral,plantar", True),
    ("report", "anterior,posterior", True),
    ("handout", "anterior,posterior", True),
    ("report+progress", "anterior,posterior", True),
    ("handout+progress", "anterior,posterior", True),
]


def run_export(session: Path, out: Path, kind: str, views: str, dpi: float | None = None) -> None:
    kind, _, progress = kind.partition("+")
    args = ["export", str(session), "-o", str(out), "--views", views, "--zones", "3"]
    if kind != "chart":
        args.append(f"--{kind}")
    if progress:  # the client's earlier visits, from the practice database beside the session
        args += ["--client", "C-042", "--db", str(session.with_name("practice.sqlite3"))]
    if dpi is not None:
        args += ["--dpi", str(dpi)]
    assert main(args) == 0


def png_pages(path: Path, dpi: float, count: int) -> list[np.ndarray]:
    stacked = image_array(QImage(str(path)))
    page_h = round(297 * dpi / 25.4)
    gap = round(6 * dpi / 25.4) if count > 1 else 0
    assert stacked.shape[0] == count * page_h + (count - 1) * gap, "the PNG and the other export differ in pages"
    return split_pages(stacked, count, page_h, gap)


def save_diff(expected: np.ndarray, actual: np.ndarray, path: Path) -> Path:
    picture = np.ascontiguousarray(disagreement_picture(expected, actual))
    h, w = picture.shape[:2]
    QImage(picture.data, w, h, 3 * w, QImage.Format.Format_RGB888).save(str(path))
    return path


def check_pages(expected: list[np.ndarray], actual: list[np.ndarray], page_share: float, folder: Path, label: str):
    body_pixels = 0
    for number, (png, other) in enumerate(zip(expected, actual, strict=True), start=1):
        body = body_agreement(png, other)
        page = agreement(png, other)
        body_pixels += body.inked
        if body.share < BODY_SHARE or page.share < page_share:
            diff = save_diff(png, other, folder / f"{label}-page{number}-diff.png")
            pytest.fail(
                f"{label} page {number}: {body.share:.2%} of {body.inked} bare-skin pixels and "
                f"{page.share:.2%} of {page.inked} inked pixels agree with the PNG (see {diff})"
            )
    return body_pixels


@pytest.fixture(scope="module")
def session_file(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sessions")
    practice_with_history(folder, this_visit=False)
    return write_busy_session(folder)


@pytest.mark.parametrize("kind, views, has_body", CASES)
def test_pdf_pages_match_the_png(session_file, tmp_path, kind, views, has_body):
    run_export(session_file, tmp_path / "out.pdf", kind, views, DPI)
    run_export(session_file, tmp_path / "out.png", kind, views, DPI)
    pdf = pdf_pages(tmp_path / "out.pdf", DPI)
    png = png_pages(tmp_path / "out.png", DPI, len(pdf))
    body_pixels = check_pages(png, pdf, PDF_PAGE_SHARE, tmp_path, f"{kind}.pdf")
    if has_body:
        assert body_pixels > MIN_BODY_PIXELS, "the comparison saw no body: is the chart drawn?"


@pytest.mark.parametrize("kind, views, has_body", CASES)
def test_svg_matches_the_png(session_file, tmp_path, kind, views, has_body):
    run_export(session_file, tmp_path / "out.svg", kind, views)
    run_export(session_file, tmp_path / "out.png", kind, views, SVG_DPI)
    reference = QImage(str(tmp_path / "out.png"))
    drawn = svg_picture(tmp_path / "out.svg", reference.width(), reference.height())
    page_h = round(297 * SVG_DPI / 25.4)
    gap = round(6 * SVG_DPI / 25.4)
    count = max(1, round((reference.height() + gap) / (page_h + gap)))
    png = png_pages(tmp_path / "out.png", SVG_DPI, count)
    svg = split_pages(drawn, count, page_h, gap if count > 1 else 0)
    body_pixels = check_pages(png, svg, SVG_PAGE_SHARE, tmp_path, f"{kind}.svg")
    if has_body:
        assert body_pixels > MIN_BODY_PIXELS


def test_the_comparison_catches_hairlines_on_the_body(session_file, tmp_path):
    """The check itself: one black hairline across the body of a good page fails it."""
    run_export(session_file, tmp_path / "out.png", "chart", "anterior,posterior", DPI)
    (png,) = png_pages(tmp_path / "out.png", DPI, 1)
    damaged = png.copy()
    skin = np.abs(png.astype(int) - [0xF5, 0xF0, 0xE9]).max(axis=2) <= 6
    rows = np.nonzero(skin.sum(axis=1) > 100)[0]  # rows crossing a lot of skin
    for y in rows[:: max(1, len(rows) // 12)][:12]:
        damaged[y] = (0, 0, 0)
    assert body_agreement(png, png).share == 1.0
    assert body_agreement(png, damaged).share < BODY_SHARE
