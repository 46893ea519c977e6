"""The progress plot: vector PDF, PNG, and the edge cases (no visit, one visit, missing figures)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
from pdf_text import Pdf
from PySide6.QtGui import QColor, QImage

from nmt_bodymap.render.progress_plot import AFTER, EXTENT, MAXIMUM, nice_top, write_progress_plot


@dataclass(frozen=True)
class Point:
    date: dt.date
    extent_percent: float
    max_intensity: int | None
    mean_intensity: float | None
    pain_before: int | None
    pain_after: int | None


COURSE = [
    Point(dt.date(2026, 9, 1), 4.2, 8, 6.5, 7, 4),
    Point(dt.date(2026, 9, 8), 3.1, 7, 5.0, 6, 3),
    Point(dt.date(2026, 9, 22), 1.5, 5, 3.2, None, None),  # no rating recorded
    Point(dt.date(2026, 10, 20), 0.0, None, None, 2, 0),  # no pain drawn
]


def colour_count(image: QImage, colour: QColor, tolerance: int = 12) -> int:
    """Pixels close to ``colour`` (sampled every 2 px)."""
    n = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            c = image.pixelColor(x, y)
            if (
                abs(c.red() - colour.red()) <= tolerance
                and abs(c.green() - colour.green()) <= tolerance
                and abs(c.blue() - colour.blue()) <= tolerance
            ):
                n += 1
    return n


def test_png_draws_every_series(tmp_path: Path):
    out = tmp_path / "progress.png"
    write_progress_plot(out, COURSE, "C-017", dpi=60)
    image = QImage(str(out))
    assert (image.width(), image.height()) == (round(297 * 60 / 25.4), round(210 * 60 / 25.4))
    for colour in (EXTENT, MAXIMUM, AFTER):
        assert colour_count(image, colour) > 20, colour.name()


def test_pdf_is_vector_with_its_text(tmp_path: Path):
    out = tmp_path / "progress.pdf"
    write_progress_plot(out, COURSE, "Alex Example (C-017)")
    raw = out.read_bytes()
    assert b"/Subtype /Image" not in raw and b"/Subtype/Image" not in raw
    text = Pdf(out).text()
    for words in ("Progress: Alex Example (C-017)", "Pain extent", "before", "after", "2026-09-01", "2026-10-20"):
        assert words in text


@pytest.mark.parametrize("visits", [[], COURSE[:1]])
def test_no_visit_or_one_visit(tmp_path: Path, visits: list[Point]):
    out = tmp_path / "progress.png"
    write_progress_plot(out, visits, "C-1", dpi=40)
    image = QImage(str(out))
    assert not image.isNull()
    assert (colour_count(image, EXTENT) > 0) == bool(visits)


def test_unknown_format(tmp_path: Path):
    with pytest.raises(ValueError, match="unknown format"):
        write_progress_plot(tmp_path / "p.svg", COURSE)


@pytest.mark.parametrize("value, top", [(0.0, 1.0), (0.3, 0.5), (1.14, 2.0), (2.2, 2.5), (7, 10.0), (12, 20.0)])
def test_axis_tops_are_round(value: float, top: float):
    assert nice_top(value) == pytest.approx(top)
