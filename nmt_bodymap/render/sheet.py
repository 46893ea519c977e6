"""What the muscle and nerve atlas sheets share: the page, the text panel, titled view cells, the legend.

A sheet is A4 landscape (taller when its text needs it): a header across
the top (name, a line of facts, a legend at the right), the chart views on
the left, cropped by :func:`crop_for` around what they show, and the text
on the right, an HTML :class:`QTextDocument` built with the helpers here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from html import escape

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen, QTextDocument

from nmt_bodymap.atlas.model import Source
from nmt_bodymap.chart import ChartView
from nmt_bodymap.render.qt import blank_image, draw_on_paper, smooth_painter

PAGE_W_MM, PAGE_H_MM = 297.0, 210.0
INK = QColor("#23272e")
MUTED = QColor("#5d636c")
ACCENT = QColor("#2f6690")
#: Views side by side in a row.
MAX_COLS = 4
#: The legend's width at the header's top right, in points.
LEGEND_W_PT = 250


class SheetPage:
    """The page's measures in pixels at ``dpi``: the views' column on the left, the text on the right."""

    def __init__(self, dpi: float) -> None:
        self.dpi = dpi
        self.px_per_mm = dpi / 25.4
        self.px = dpi / 72.0  # pixels per point
        self.margin = 10 * self.px_per_mm
        self.width = round(PAGE_W_MM * self.px_per_mm)
        self.min_height = round(PAGE_H_MM * self.px_per_mm)
        self.left_w = self.width * 0.56
        self.header_h = 24 * self.px_per_mm

    def header_rect(self) -> QRectF:
        return QRectF(self.margin, self.margin, self.width - 2 * self.margin, self.header_h - self.margin)

    def text_panel(self, html: str) -> QTextDocument:
        """The sheet's text, laid out to the width of the right-hand column."""
        doc = QTextDocument()
        doc.setDefaultFont(font(8.2 * self.px))
        doc.setDefaultStyleSheet(f"li {{ margin-bottom: {1.5 * self.px:.0f}px; }} ul {{ margin-left: 0px; }}")
        doc.setHtml(html)
        doc.setTextWidth(self.width - self.left_w - 2 * self.margin)
        return doc

    def start(self, height: int) -> tuple[QImage, QPainter]:
        image = blank_image(self.width, height, self.dpi)
        return image, smooth_painter(image)

    def finish(self, painter: QPainter, doc: QTextDocument) -> None:
        """Draw the text panel at the right, under the header, and end painting."""
        painter.translate(self.left_w + self.margin, self.header_h)
        draw_on_paper(painter, doc)
        painter.end()


def font(pixels: float, *, bold: bool = False, italic: bool = False) -> QFont:
    f = QFont("DejaVu Sans")
    f.setPixelSize(round(pixels))
    f.setBold(bold)
    f.setItalic(italic)
    return f


def crop_for(view: ChartView, bounds: QRectF | None, aspect: float, pad: float = 45.0, min_h: float = 260.0) -> QRectF:
    """A crop of ``view`` around ``bounds`` with the given width/height aspect.

    The whole pattern always fits: a crop wider than the view gets blank
    margins rather than cutting the pattern off.
    """
    vx, vy, vw, vh = view.viewbox
    if bounds is None:
        return QRectF(vx, vy, vw, vh)
    rect = bounds.adjusted(-pad, -pad, pad, pad)
    h = min(vh, max(rect.height(), min_h, rect.width() / aspect))
    w = h * aspect
    cx, cy = rect.center().x(), rect.center().y()
    x = min(max(cx - w / 2, vx), vx + vw - w) if w <= vw else vx + (vw - w) / 2
    y = min(max(cy - h / 2, vy), vy + vh - h)
    return QRectF(x, y, w, h)


def draw_view_cell(painter: QPainter, cell: QRectF, title: str, px: float) -> QRectF:
    """The view's title at the top of ``cell``; the rectangle left for its drawing."""
    painter.setFont(font(7 * px))
    painter.setPen(MUTED)
    painter.drawText(QRectF(cell.x(), cell.y(), cell.width(), 10 * px), Qt.AlignmentFlag.AlignHCenter, title)
    return cell.adjusted(3 * px, 11 * px, -3 * px, -2 * px)


def draw_subtitle(painter: QPainter, rect: QRectF, text: str, px: float, right_pad: float = 0.0) -> None:
    """The line of facts under the sheet's name."""
    painter.setFont(font(8.5 * px, italic=True))
    painter.setPen(MUTED)
    painter.drawText(
        rect.adjusted(0, 24 * px, -right_pad, 0), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, text
    )


def draw_legend(
    painter: QPainter,
    rect: QRectF,
    px: float,
    swatches: Callable[[QPainter], None],
    labels: Iterable[tuple[float, str]],
) -> None:
    """The legend at the header's top right, the side note under it, and the rule under the header.

    ``swatches`` draws in points from the legend's corner; each label is
    written ``dx`` points from that corner.
    """
    painter.setFont(font(7.5 * px))
    x0, y0 = rect.right() - LEGEND_W_PT * px, rect.top() + 4 * px
    painter.save()
    painter.translate(x0, y0)
    painter.scale(px, px)
    swatches(painter)
    painter.restore()
    painter.setPen(INK)
    for dx, text in labels:
        painter.drawText(QPointF(x0 + dx * px, y0 + 10 * px), text)
    painter.setPen(MUTED)
    painter.drawText(
        QRectF(x0, y0 + 16 * px, LEGEND_W_PT * px, 14 * px),
        Qt.AlignmentFlag.AlignLeft,
        "Patient's right side shown; the left mirrors it.",
    )
    painter.setPen(QPen(QColor("#d8dce1"), px))
    painter.drawLine(QPointF(rect.left(), rect.bottom() + 4 * px), QPointF(rect.right(), rect.bottom() + 4 * px))


def heading_style(px: float) -> str:
    """The CSS of a section heading in the text panel."""
    return f"font-size:{10.5 * px:.0f}px; color:#2f6690; margin-top:{7 * px:.0f}px; margin-bottom:{2 * px:.0f}px"


def html_items(values: Iterable[str]) -> str:
    """List items of HTML already escaped."""
    return "".join(f"<li>{v}</li>" for v in values)


def sources_html(sources: Iterable[Source], heading: str) -> str:
    """The closing "Sources" section."""
    src = [escape(s.citation) + (f" &lt;{escape(s.url)}&gt;" if s.url else "") for s in sources]
    return f"<h3 style='{heading}'>Sources</h3><ul style='color:#5d636c'>{html_items(src)}</ul>"
