"""Pages as pixels, to compare a PDF or SVG export with the PNG of the same page.

A PDF page is rasterized with pypdfium2 and an SVG with QSvgRenderer, at
the resolution of the PNG they are compared with. :func:`agreement` says
which share of the inked pixels of two pictures of one page agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PySide6.QtCore import QByteArray, QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

#: A pixel counts as ink when some channel is this far from white.
INK = 24
#: Two pixels agree when no channel differs by more than this (after a 3 x 3 blur, which
#: forgives the half-pixel shifts of text and edges between two rasterizers).
TOLERANCE = 40


def image_array(image: QImage) -> np.ndarray:
    """An RGB array (height, width, 3) of a QImage."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    w, h, stride = rgb.width(), rgb.height(), rgb.bytesPerLine()
    raw = np.frombuffer(rgb.constBits(), np.uint8, count=stride * h).reshape(h, stride)
    return raw[:, : 3 * w].reshape(h, w, 3).copy()


def pdf_pages(path: Path, dpi: float) -> list[np.ndarray]:
    """Every page of a PDF as an RGB array at ``dpi``."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        pages = []
        for i in range(len(pdf)):
            bgr = pdf[i].render(scale=dpi / 72.0).to_numpy()
            pages.append(np.ascontiguousarray(bgr[:, :, 2::-1]))
        return pages
    finally:
        pdf.close()


def svg_picture(path: Path, width: int, height: int) -> np.ndarray:
    """An SVG drawn back by QSvgRenderer onto a white picture of the given size."""
    renderer = QSvgRenderer(QByteArray(path.read_bytes()))
    assert renderer.isValid(), f"{path} cannot be read back"
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    renderer.render(painter, QRectF(0, 0, width, height))
    painter.end()
    return image_array(image)


def split_pages(stacked: np.ndarray, count: int, page_h: int, gap: int) -> list[np.ndarray]:
    """The pages of a picture that stacks ``count`` pages ``page_h`` tall with ``gap`` between."""
    return [stacked[i * (page_h + gap) : i * (page_h + gap) + page_h] for i in range(count)]


def _blur(a: np.ndarray) -> np.ndarray:
    f = a.astype(np.float32)
    p = np.pad(f, ((1, 1), (1, 1), (0, 0)), mode="edge")
    h, w = a.shape[:2]
    return sum(p[dy : dy + h, dx : dx + w] for dy in range(3) for dx in range(3)) / 9.0  # type: ignore[return-value]


@dataclass
class Agreement:
    inked: int  # pixels inked in either picture
    agreeing: int

    @property
    def share(self) -> float:
        return self.agreeing / self.inked if self.inked else 1.0


def agreement(expected: np.ndarray, actual: np.ndarray, mask: np.ndarray | None = None) -> Agreement:
    """How many inked pixels (in ``mask``, if given) of two same-size pictures agree."""
    h = min(expected.shape[0], actual.shape[0])
    w = min(expected.shape[1], actual.shape[1])
    assert abs(expected.shape[0] - actual.shape[0]) <= 1 and abs(expected.shape[1] - actual.shape[1]) <= 1, (
        f"page sizes differ: {expected.shape[:2]} and {actual.shape[:2]}"
    )
    a, b = _blur(expected[:h, :w]), _blur(actual[:h, :w])
    inked = ((255 - a).max(axis=2) > INK) | ((255 - b).max(axis=2) > INK)
    if mask is not None:
        inked &= mask[:h, :w]
    close = np.abs(a - b).max(axis=2) <= TOLERANCE
    return Agreement(int(inked.sum()), int((inked & close).sum()))


def disagreement_picture(expected: np.ndarray, actual: np.ndarray) -> np.ndarray:
    """The expected page, with the pixels that disagree painted magenta (to look at a failure)."""
    h = min(expected.shape[0], actual.shape[0])
    w = min(expected.shape[1], actual.shape[1])
    out = expected[:h, :w].copy()
    bad = np.abs(_blur(expected[:h, :w]) - _blur(actual[:h, :w])).max(axis=2) > TOLERANCE
    out[bad] = (255, 0, 255)
    return out


BODY_FILL = (0xF5, 0xF0, 0xE9)  # the chart's skin colour (assets/svg, silhouette fill)


def bare_body(page: np.ndarray, margin: int = 2) -> np.ndarray:
    """Pixels of bare skin: the chart's body colour, with ``margin`` pixels of it all around.

    The margin leaves out the edges of outlines, marks and zones, where two
    rasterizers may legitimately differ by part of a pixel.
    """
    skin = np.abs(page.astype(np.int16) - np.array(BODY_FILL, np.int16)).max(axis=2) <= 6
    h, w = skin.shape
    out = skin.copy()
    for dy in range(-margin, margin + 1):
        for dx in range(-margin, margin + 1):
            shifted = np.zeros_like(skin)
            shifted[max(0, dy) : h + min(0, dy), max(0, dx) : w + min(0, dx)] = skin[
                max(0, -dy) : h + min(0, -dy), max(0, -dx) : w + min(0, -dx)
            ]
            out &= shifted
    return out


def body_agreement(expected: np.ndarray, actual: np.ndarray, tolerance: int = 24) -> Agreement:
    """How many bare-skin pixels of ``expected`` are (nearly) the same colour in ``actual``."""
    h = min(expected.shape[0], actual.shape[0])
    w = min(expected.shape[1], actual.shape[1])
    mask = bare_body(expected[:h, :w])
    close = np.abs(expected[:h, :w].astype(np.int16) - actual[:h, :w].astype(np.int16)).max(axis=2) <= tolerance
    return Agreement(int(mask.sum()), int((mask & close).sum()))
