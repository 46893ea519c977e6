"""An export page: A4 in millimetres, its fonts, text that never breaks inside a word, header and footer.

Every page is laid out at one fixed resolution, :data:`K` layout pixels per
millimetre, whatever the output: the device painter is scaled to it
(:func:`begin_page`). So line breaks and page breaks are the same in the
preview, the PNG, the PDF, the SVG and on paper.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QTextDocument, QTextOption

from nmt_bodymap.document import Document
from nmt_bodymap.render.qt import draw_on_paper

PAGE_W, PAGE_H = 210.0, 297.0
MARGIN = 14.0
BODY_W = PAGE_W - 2 * MARGIN
HEADER_H = 20.0  # title block, below the top margin
BODY_TOP = MARGIN + HEADER_H
BODY_BOTTOM = PAGE_H - MARGIN - 2.0
K = 300 / 25.4  # layout pixels per millimetre
INK = QColor("#1f2328")
MUTED = QColor("#5d636c")
ACCENT = QColor("#2f6690")
ALERT = QColor("#a3161b")
RULE = QColor("#cfd6de")
FONT = "DejaVu Sans"
BODY_SIZE = 3.1  # mm
#: A text may shrink to this share of its size to fit a word in its width.
MIN_SHRINK = 0.5

PagePainter = Callable[[QPainter], None]  # paints one page in layout pixels


def px(v: float) -> float:
    """Millimetres to layout pixels."""
    return v * K


def font(size_mm: float, bold: bool = False, italic: bool = False) -> QFont:
    f = QFont(FONT)
    f.setPixelSize(max(1, round(size_mm * K)))
    f.setBold(bold)
    f.setItalic(italic)
    f.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return f


def begin_page(painter: QPainter, device_px_per_mm: float) -> None:
    """Scale ``painter`` so that it takes layout pixels, and set smooth drawing."""
    painter.scale(device_px_per_mm / K, device_px_per_mm / K)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)


def text(
    painter: QPainter,
    x: float,
    y: float,
    w: float,
    h: float,
    line: str,
    size: float,
    bold: bool = False,
    color: QColor = INK,
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
    italic: bool = False,
) -> None:
    """One line of text in the box (x, y, w, h) mm, shrunk if it is wider than ``w``."""
    f = font(size, bold, italic)
    painter.setFont(f)
    wide = painter.fontMetrics().horizontalAdvance(line)
    if wide > px(w) > 0:
        f.setPixelSize(max(1, int(f.pixelSize() * px(w) / wide)))
        painter.setFont(f)
    painter.setPen(color)
    painter.drawText(QRectF(px(x), px(y), px(w), px(h)), int(align | Qt.AlignmentFlag.AlignTop), line)


STYLE = (
    "h2 {{ color: #2f6690; margin-top: 0px; margin-bottom: {h2b}px; }} p {{ margin-top: 0px; margin-bottom: {pb}px; }}"
    " .muted {{ color: #5d636c; }} .alert {{ color: #a3161b; font-weight: bold; }}"
)


def _document(html: str, width: float, size: float, anywhere: bool) -> QTextDocument:
    doc = QTextDocument()
    doc.setDefaultFont(font(size))
    doc.setDocumentMargin(0)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere if anywhere else QTextOption.WrapMode.WordWrap)
    doc.setDefaultTextOption(option)
    doc.setDefaultStyleSheet(STYLE.format(h2b=round(px(1.2)), pb=round(px(1.0))))
    doc.setHtml(html)
    doc.setTextWidth(px(width))
    return doc


def text_document(html: str, width: float, size: float = BODY_SIZE) -> QTextDocument:
    """Rich text ``width`` mm wide that breaks lines only at spaces and hyphens.

    A word wider than the column shrinks the whole text (down to
    :data:`MIN_SHRINK` of its size); only a word that still does not fit, such
    as a long web address, may then break where it must.
    """
    s = size
    while True:
        doc = _document(html, width, s, anywhere=False)
        if doc.idealWidth() <= px(width) + 0.5:
            return doc
        if s <= size * MIN_SHRINK:
            return _document(html, width, s, anywhere=True)
        s = max(size * MIN_SHRINK, s * 0.93)


def height_mm(doc: QTextDocument) -> float:
    return doc.size().height() / K


def draw_document(
    painter: QPainter, doc: QTextDocument, x: float, y: float, top: float = 0.0, bottom: float = -1
) -> None:
    """Draw ``doc`` at (x, y) mm; with ``top``/``bottom`` (px of the document) only that slice, at y.

    A whole document is drawn without a clip (a clip becomes a mask in SVG output).
    """
    painter.save()
    painter.translate(px(x), px(y) - top)
    if top <= 0 and bottom < 0:
        draw_on_paper(painter, doc)
    else:
        end = doc.size().height() if bottom < 0 else bottom
        draw_on_paper(painter, doc, QRectF(0, top, doc.textWidth() + px(1), end - top))
    painter.restore()


def line_bottoms(doc: QTextDocument) -> list[float]:
    """The bottom of every laid-out line of ``doc``, in layout pixels: where it may be cut between pages."""
    out: list[float] = []
    block = doc.begin()
    while block.isValid():
        layout = block.layout()
        y0 = layout.position().y()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            out.append(y0 + line.y() + line.height())
        block = block.next()
    return out


def header(painter: QPainter, doc: Document) -> None:
    """The title block: the document's title, date and client on the left, the practice on the right."""
    text(painter, MARGIN, MARGIN, 118, 10, doc.title, 6.2, bold=True)
    text(painter, MARGIN, MARGIN + 9, 118, 6, " · ".join(doc.subtitle), 3.2, color=MUTED)
    right = PAGE_W - MARGIN - 62
    text(
        painter,
        right,
        MARGIN + 1.5,
        62,
        6,
        doc.practice or "nmt-bodymap",
        3.6,
        True,
        ACCENT,
        Qt.AlignmentFlag.AlignRight,
    )
    text(
        painter,
        right,
        MARGIN + 7.5,
        62,
        6,
        "Neuromuscular therapy",
        2.6,
        color=MUTED,
        align=Qt.AlignmentFlag.AlignRight,
    )
    painter.setPen(QPen(RULE, px(0.35)))
    y = px(MARGIN + 16)
    painter.drawLine(QPointF(px(MARGIN), y), QPointF(px(PAGE_W - MARGIN), y))


def footer(painter: QPainter, doc: Document, number: int, total: int) -> None:
    y = PAGE_H - MARGIN + 4
    text(painter, MARGIN, y, BODY_W - 25, 5, doc.footer, 2.3, color=MUTED)
    text(painter, PAGE_W - MARGIN - 25, y, 25, 5, f"Page {number} of {total}", 2.3, color=MUTED,
         align=Qt.AlignmentFlag.AlignRight)  # fmt: skip
