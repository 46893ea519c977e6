"""Paint an export :class:`~nmt_bodymap.report.Document` to PNG, PDF, SVG or a printer.

The document's sections become blocks (``render/sections.py``) that flow
over A4 pages (``render/flow.py``) under a title block and a footer
(``render/page.py``). Pages are laid out once, at a fixed resolution, and
each device's painter is scaled to it, so the PNG, the PDF, the SVG, the
preview and the printout break lines and pages alike. Charts, marks and
zones are vector paths (the chart backdrop comes from its SVG without the
data layers, ``render/chart_svg.py``), so PDF and SVG output stays vector.
PNG and SVG show a multi-page document as pages stacked top to bottom.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QRectF, QSize
from PySide6.QtGui import QColor, QImage, QPagedPaintDevice, QPainter
from PySide6.QtSvg import QSvgGenerator

from nmt_bodymap.document import Document
from nmt_bodymap.render import record_sections  # noqa: F401  (registers the visit record's painters)
from nmt_bodymap.render.flow import Block, Placed, paginate, paint_placed
from nmt_bodymap.render.page import BODY_BOTTOM, BODY_TOP, PAGE_H, PAGE_W, begin_page, footer, header
from nmt_bodymap.render.qt import a4_pdf_writer, blank_image
from nmt_bodymap.render.sections import blocks_of
from nmt_bodymap.render.svg_clips import clips_to_masks

PAGE_GAP_MM = 6.0

Page = Callable[[QPainter, float], None]  # paints one page; the float is device pixels per mm


class ExportError(ValueError):
    """An export that cannot be written."""


def layout(doc: Document) -> list[list[Placed]]:
    """The document's blocks, placed on pages (layout millimetres from the top of each page)."""
    blocks: list[Block] = []
    for section in doc.sections:
        blocks += blocks_of(section)
    return paginate(blocks, BODY_TOP, BODY_TOP, BODY_BOTTOM)


def pages_of(doc: Document) -> list[Page]:
    """One painter per page: header, the page's blocks, footer."""
    placed = layout(doc)
    total = len(placed)

    def page(content: list[Placed], number: int) -> Page:
        def paint(painter: QPainter, k: float) -> None:
            painter.save()
            begin_page(painter, k)
            header(painter, doc)
            paint_placed(painter, content)
            footer(painter, doc, number, total)
            painter.restore()

        return paint

    return [page(content, i) for i, content in enumerate(placed, start=1)]


# -- outputs ---------------------------------------------------------------------------


def _stacked(pages: list[Page], k: float) -> tuple[int, int, int]:
    """Page width, page height and gap (px) when pages are stacked in one picture."""
    gap = round(PAGE_GAP_MM * k) if len(pages) > 1 else 0
    return round(PAGE_W * k), round(PAGE_H * k), gap


def _paint_stacked(painter: QPainter, pages: list[Page], k: float) -> None:
    page_w, page_h, gap = _stacked(pages, k)
    for i, page in enumerate(pages):
        painter.save()
        painter.translate(0, i * (page_h + gap))
        painter.fillRect(0, 0, page_w, page_h, QColor("#ffffff"))
        page(painter, k)
        painter.restore()


def render_png(doc: Document, dpi: float = 300.0) -> QImage:
    pages = pages_of(doc)
    k = dpi / 25.4
    page_w, page_h, gap = _stacked(pages, k)
    height = page_h * len(pages) + gap * (len(pages) - 1)
    image = blank_image(page_w, height, dpi, "#d9dde2" if gap else "#ffffff", QImage.Format.Format_RGB32)
    painter = QPainter(image)
    try:
        _paint_stacked(painter, pages, k)
    finally:
        painter.end()
    return image


def _paint_paged(device: QPagedPaintDevice, doc: Document, dpi: float) -> None:
    pages = pages_of(doc)
    painter = QPainter()
    if not painter.begin(device):
        raise ExportError("cannot start drawing on the output (is the path writable?)")
    k = dpi / 25.4
    try:
        for i, page in enumerate(pages):
            if i:
                device.newPage()
            page(painter, k)
    finally:
        painter.end()  # a painter left open on a device that goes away crashes the process


def write_pdf(doc: Document, path: Path, dpi: float = 300.0) -> None:
    _paint_paged(a4_pdf_writer(path, dpi, doc.metadata_title), doc, dpi)


def write_svg(doc: Document, path: Path, dpi: float = 96.0) -> None:
    pages = pages_of(doc)
    k = dpi / 25.4
    page_w, page_h, gap = _stacked(pages, k)
    height = page_h * len(pages) + gap * (len(pages) - 1)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    gen = QSvgGenerator(QSvgGenerator.SvgVersion.Svg11)  # SVG Tiny has no clipping: crops would spill over
    gen.setOutputDevice(buffer)
    gen.setSize(QSize(page_w, height))
    gen.setViewBox(QRectF(0, 0, page_w, height))
    gen.setResolution(round(dpi))
    gen.setTitle(doc.metadata_title)
    gen.setDescription("Exported by nmt-bodymap. " + doc.footer)
    painter = QPainter()
    if not painter.begin(gen):
        raise ExportError("cannot start drawing the SVG")
    try:
        _paint_stacked(painter, pages, k)
    finally:
        painter.end()
    try:
        path.write_bytes(clips_to_masks(bytes(buffer.data().data())))
    except OSError as exc:
        raise ExportError(f"cannot write {path} ({exc.strerror or exc})") from None


def print_to(device: QPagedPaintDevice, doc: Document) -> None:
    """Paint onto a printer (or any paged device) set up for A4, from the paper's edge."""
    full_page = getattr(device, "setFullPage", None)  # a QPrinter: paint from the paper's corner, not the margin
    if full_page is not None:
        full_page(True)
    dpi = float(device.logicalDpiX()) or 300.0
    _paint_paged(device, doc, dpi)


def write(doc: Document, path: Path, dpi: float = 300.0) -> None:
    """Write ``doc`` in the format its suffix names; raises :class:`ExportError`."""
    fmt = path.suffix.lower().lstrip(".")
    if fmt == "png":
        image = render_png(doc, dpi)
        if not image.save(str(path), "PNG"):  # type: ignore[call-overload]  # the stubs say bytes; PySide6 wants str
            raise ExportError(f"cannot write {path}")
    elif fmt == "pdf":
        write_pdf(doc, path, dpi)
    elif fmt == "svg":
        write_svg(doc, path)
    else:
        raise ExportError(f"unknown format '.{fmt}' (use .png, .pdf or .svg)")
    if not path.exists() or path.stat().st_size == 0:
        raise ExportError(f"nothing was written to {path}")
