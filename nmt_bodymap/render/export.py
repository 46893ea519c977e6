"""Paint an export :class:`~nmt_bodymap.report.Document` to PNG, PDF, SVG or a printer.

Pages are A4, laid out in millimetres and painted in device pixels so text
sizes are right on every device. Charts, marks and zones are vector paths
(the chart backdrop is painted from its SVG with QSvgRenderer, never via a
cached pixmap), so PDF and SVG output stays vector. PNG and SVG show a
multi-page document as pages stacked top to bottom.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextDocument,
    QTransform,
)
from PySide6.QtSvg import QSvgGenerator, QSvgRenderer
from shapely.geometry import box

from nmt_bodymap.chart import VIEW_TITLES, load_chart
from nmt_bodymap.render.atlas_sheet import crop_for, draw_view_crop
from nmt_bodymap.render.chart_picture import view_transform
from nmt_bodymap.render.marks import draw_mark
from nmt_bodymap.render.qt import blank_image, draw_on_paper
from nmt_bodymap.render.zones import draw_essential, draw_spillover, draw_trp_x, pattern_bounds
from nmt_bodymap.report import SIDE, Document, Figure, HandoutItem
from nmt_bodymap.session import PainMark

PAGE_W, PAGE_H = 210.0, 297.0
MARGIN = 14.0
INK = QColor("#1f2328")
MUTED = QColor("#5d636c")
ACCENT = QColor("#2f6690")
FONT = "DejaVu Sans"
PAGE_GAP_MM = 6.0

Page = Callable[[QPainter, float], None]  # paints one page; the float is pixels per mm


class ExportError(ValueError):
    """An export that cannot be written."""


# -- drawing helpers -------------------------------------------------------------------


def _font(px_per_mm: float, size_mm: float, bold: bool = False, italic: bool = False) -> QFont:
    f = QFont(FONT)
    f.setPixelSize(max(1, round(size_mm * px_per_mm)))
    f.setBold(bold)
    f.setItalic(italic)
    return f


def _text(
    painter: QPainter,
    k: float,
    x: float,
    y: float,
    w: float,
    h: float,
    text: str,
    size: float,
    bold: bool = False,
    color: QColor = INK,
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
    italic: bool = False,
) -> None:
    painter.setFont(_font(k, size, bold, italic))
    painter.setPen(color)
    painter.drawText(QRectF(x * k, y * k, w * k, h * k), int(align | Qt.AlignmentFlag.AlignTop), text)


def _html(painter: QPainter, k: float, x: float, y: float, w: float, html: str, size: float = 3.1) -> float:
    """Draw rich text; return its height in mm."""
    doc = _text_document(k, w, html, size)
    painter.save()
    painter.translate(x * k, y * k)
    draw_on_paper(painter, doc)
    painter.restore()
    return doc.size().height() / k


def _text_document(k: float, w: float, html: str, size: float = 3.1) -> QTextDocument:
    doc = QTextDocument()
    doc.setDefaultFont(_font(k, size))
    doc.setDocumentMargin(0)
    doc.setDefaultStyleSheet(
        f"td {{ padding: {round(0.9 * k)}px; vertical-align: top; }} th {{ padding: {round(0.9 * k)}px; "
        f"text-align: left; background: #e8edf2; }} h2 {{ color: #2f6690; }} .muted {{ color: #5d636c; }}"
    )
    doc.setHtml(html)
    doc.setTextWidth(w * k)
    return doc


def _title_block(painter: QPainter, k: float, doc: Document) -> float:
    _text(painter, k, MARGIN, MARGIN, 120, 10, doc.title, 6.2, bold=True)
    _text(painter, k, MARGIN, MARGIN + 9, 120, 6, " · ".join(doc.subtitle), 3.2, color=MUTED)
    _text(
        painter,
        k,
        PAGE_W - MARGIN - 70,
        MARGIN + 1.5,
        70,
        6,
        "nmt-bodymap",
        3.4,
        bold=True,
        color=ACCENT,
        align=Qt.AlignmentFlag.AlignRight,
    )
    _text(
        painter,
        k,
        PAGE_W - MARGIN - 70,
        MARGIN + 7,
        70,
        6,
        "Neuromuscular therapy pain chart",
        2.6,
        color=MUTED,
        align=Qt.AlignmentFlag.AlignRight,
    )
    painter.setPen(QPen(QColor("#cfd6de"), 0.35 * k))
    painter.drawLine(
        round(MARGIN * k), round((MARGIN + 16) * k), round((PAGE_W - MARGIN) * k), round((MARGIN + 16) * k)
    )
    return MARGIN + 20


def _footer(painter: QPainter, k: float, doc: Document, number: int, total: int) -> None:
    y = PAGE_H - MARGIN + 4
    _text(painter, k, MARGIN, y, PAGE_W - 2 * MARGIN - 25, 5, doc.footer, 2.3, color=MUTED)
    _text(
        painter,
        k,
        PAGE_W - MARGIN - 25,
        y,
        25,
        5,
        f"Page {number} of {total}",
        2.3,
        color=MUTED,
        align=Qt.AlignmentFlag.AlignRight,
    )


def draw_figure(painter: QPainter, k: float, figure: Figure, rect: QRectF) -> None:
    """The chosen views side by side, with marks, candidate zones and confirmed trigger points."""
    chart = load_chart()
    n = len(figure.views)
    gap = 4.0
    cell_w = (rect.width() - gap * (n - 1)) / n
    for i, name in enumerate(figure.views):
        view = chart.view(name)
        cell = QRectF(rect.x() + i * (cell_w + gap), rect.y(), cell_w, rect.height())
        _text(
            painter,
            k,
            cell.x(),
            cell.y(),
            cell.width(),
            6,
            VIEW_TITLES[name],
            3.3,
            bold=True,
            color=MUTED,
            align=Qt.AlignmentFlag.AlignHCenter,
        )
        target = QRectF(cell.x() * k, (cell.y() + 6) * k, cell.width() * k, (cell.height() - 6) * k)
        transform = view_transform(view, target)
        vx, vy, vw, vh = view.viewbox
        QSvgRenderer(str(view.svg_path)).render(painter, transform.mapRect(QRectF(vx, vy, vw, vh)))
        _draw_on_view(painter, transform, name, figure.marks, figure.zones, figure.confirmed)


def _draw_on_view(
    painter: QPainter,
    transform: QTransform,
    view: str,
    marks: list[PainMark],
    zones: list,
    confirmed: list,
    numbers: bool = True,
) -> None:
    painter.save()
    painter.setTransform(transform, True)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    for sided in zones:
        if view in sided.spillover:
            draw_spillover(painter, sided.spillover[view])
        if view in sided.essential:
            draw_essential(painter, sided.essential[view], alpha=0.35)
    for mark in marks:
        if mark.view == view:
            draw_mark(painter, mark)
    for i, (sided, finding) in enumerate(confirmed, start=1):
        p = sided.points.get(view)
        if p is not None:
            draw_trp_x(painter, p.x, p.y, size=7, color=QColor("#111111") if finding == "active" else QColor("#555"))
            if not numbers:
                continue
            painter.setFont(QFont(FONT, 1))
            font = painter.font()
            font.setPixelSize(22)
            painter.setFont(font)
            painter.setPen(QColor("#111111"))
            painter.drawText(QRectF(p.x + 7, p.y - 14, 40, 14), int(Qt.AlignmentFlag.AlignLeft), str(i))
    painter.restore()


def _legend(painter: QPainter, k: float, doc: Document, x: float, y: float, w: float) -> float:
    """Qualities drawn, intensity and the X; returns the height used (mm)."""
    _text(painter, k, x, y, w, 5, "Legend", 3.2, bold=True)
    y += 6
    col_w = w / 3
    items = list(doc.legend)
    for i, (q, title) in enumerate(items):
        cx = x + (i % 3) * col_w
        cy = y + (i // 3) * 7
        painter.save()
        painter.translate(cx * k, cy * k)
        painter.scale(k, k)
        draw_mark(painter, PainMark("legend", "anterior", "point", q, 7, box(0, 0, 9, 5)), scale=0.4)
        painter.restore()
        _text(painter, k, cx + 11, cy + 0.3, col_w - 11, 5, title, 2.9)
    rows = (len(items) + 2) // 3
    y += rows * 7 + 1
    _text(painter, k, x, y, w, 5, "Stronger colour means higher intensity (0–10).", 2.7, color=MUTED)
    y += 5
    if doc.figure and doc.figure.confirmed:
        lines = [
            f"{i}. {s.muscle.name}, {s.trp.label} ({SIDE[s.side]}): {f}"
            for i, (s, f) in enumerate(doc.figure.confirmed, start=1)
        ]
        painter.save()
        painter.translate((x + 2) * k, (y + 2) * k)
        painter.scale(k * 0.18, k * 0.18)
        draw_trp_x(painter, 5, 5, size=5)
        painter.restore()
        _text(painter, k, x + 6, y, w - 6, 5, "Trigger points found on palpation:", 2.9)
        y += 5
        for line in lines:
            _text(painter, k, x + 6, y, w - 6, 5, line, 2.7)
            y += 4.3
    if doc.figure and doc.figure.zones:
        _text(
            painter,
            k,
            x,
            y + 1,
            w,
            5,
            "Red: the referral zones of the top candidates (solid: essential; dots: spillover).",
            2.7,
            color=MUTED,
        )
        y += 6
    return y


# -- pages ---------------------------------------------------------------------------


def _chart_page(doc: Document) -> Page:
    def paint(painter: QPainter, k: float) -> None:
        top = _title_block(painter, k, doc)
        figure_h = PAGE_H - top - MARGIN - 44
        assert doc.figure is not None
        draw_figure(painter, k, doc.figure, QRectF(MARGIN, top, PAGE_W - 2 * MARGIN, figure_h))
        _legend(painter, k, doc, MARGIN, top + figure_h + 2, PAGE_W - 2 * MARGIN)

    return paint


def _report_html(doc: Document) -> str:
    rows = "".join(
        f"<tr><td>{i}</td><td><b>{escape(c.muscle_name)}</b><br>{escape(c.trigger_point_label)}</td>"
        f"<td>{SIDE[c.side]}</td><td>{c.score:.0f}</td><td>{escape(c.palpation or '')}</td>"
        f"<td>{escape(c.explanation_text())}</td></tr>"
        for i, c in enumerate(doc.candidates, start=1)
    )
    parts = [
        "<h2>Trigger point candidates</h2>",
        "<p class='muted'>Ranked by how well each referral pattern explains the marked pain. "
        "Decision support for trained therapists, not a diagnosis.</p>",
    ]
    if rows:
        parts.append(
            "<table width='100%' cellspacing='0'><tr><th>#</th><th>Muscle and trigger point</th>"
            "<th>Side</th><th>Score</th><th>Palpation</th><th>Why</th></tr>" + rows + "</table>"
        )
    else:
        parts.append("<p>No pain is marked, or no trigger point in the atlas refers to it.</p>")
    if doc.combination:
        parts.append(f"<p><b>Combination.</b> {escape(doc.combination)}</p>")
    if doc.unexplained:
        parts.append(f"<p>{escape(doc.unexplained)}</p>")
    if doc.entrapments:
        ent = "".join(
            f"<li><b>{escape(e.nerve)}</b> at the {escape(e.muscle_name.lower())} ({SIDE[e.side]}): "
            f"{escape(e.explanation_text())}.</li>"
            for e in doc.entrapments
        )
        parts.append(f"<h2>Nerve entrapment to consider</h2><ul>{ent}</ul>")
    assess = "".join(
        f"<tr><td><b>{escape(c)}</b></td><td>{escape(level)}</td><td>{escape(note)}</td></tr>"
        for c, level, note in doc.assessment
    )
    parts.append(
        "<h2>Assessment: the five causes</h2><table width='100%' cellspacing='0'>"
        f"<tr><th>Cause</th><th>Level</th><th>Finding</th></tr>{assess}</table>"
    )
    notes = "<br>".join(escape(line) for line in doc.notes.splitlines()) or "<span class='muted'>None.</span>"
    parts.append(f"<h2>Notes</h2><p>{notes}</p>")
    return "".join(parts)


def _text_pages(doc: Document, html: str) -> list[Page]:
    """HTML flowed over as many pages as it needs."""
    body_w = PAGE_W - 2 * MARGIN
    top = MARGIN + 20
    body_h = PAGE_H - top - MARGIN - 2

    def count(k: float) -> int:
        td = _text_document(k, body_w, html)
        td.setPageSize(QSizeF(body_w * k, body_h * k))
        return max(1, td.pageCount())

    probe_k = 300 / 25.4
    n = count(probe_k)
    pages: list[Page] = []
    for index in range(n):

        def paint(painter: QPainter, k: float, index: int = index) -> None:
            start = _title_block(painter, k, doc)
            td = _text_document(k, body_w, html)
            td.setPageSize(QSizeF(body_w * k, body_h * k))
            painter.save()
            painter.translate(MARGIN * k, start * k - index * body_h * k)
            painter.setClipRect(QRectF(0, index * body_h * k, body_w * k, body_h * k))
            draw_on_paper(painter, td, QRectF(0, index * body_h * k, body_w * k, body_h * k))
            painter.restore()

        pages.append(paint)
    return pages


HANDOUT_INTRO = (
    "Your therapist found tight, tender spots (trigger points) in the muscles below. A trigger point "
    "can send pain to another place: the pictures show where the spot is (X) and where its pain is "
    "usually felt (red; red dots: sometimes). Do these steps gently, a little every day. Stop and tell "
    "your therapist if pain gets sharper, spreads, or you feel numbness or weakness."
)


def _handout_item_height(item: HandoutItem, k: float) -> float:
    text_h = _text_document(k, PAGE_W - 2 * MARGIN - 62, _handout_html(item)).size().height() / k
    return max(62.0, text_h) + 6


def _handout_html(item: HandoutItem) -> str:
    care = "".join(f"<p><b>{escape(kind)}.</b> {escape(text)}</p>" for kind, text in item.self_care)
    sides = " and ".join(s for s in item.sides if s != "midline")
    side_text = f" ({sides} side)" if sides else ""
    where = (
        f"<p class='muted'>You may feel: {escape(item.where[:1].lower() + item.where[1:])}.</p>" if item.where else ""
    )
    return f"<h2>{escape(item.name)}{side_text}</h2>{where}{care}"


def _handout_pages(doc: Document) -> list[Page]:
    probe_k = 300 / 25.4
    pages: list[list[HandoutItem]] = [[]]
    first_top = MARGIN + 20 + 22
    y = first_top
    for item in doc.handout:
        h = _handout_item_height(item, probe_k)
        if y + h > PAGE_H - MARGIN - 4 and pages[-1]:
            pages.append([])
            y = MARGIN + 20
        pages[-1].append(item)
        y += h
    out: list[Page] = []
    for index, items in enumerate(pages):

        def paint(painter: QPainter, k: float, items: list[HandoutItem] = items, index: int = index) -> None:
            y = _title_block(painter, k, doc)
            if index == 0:
                y += _html(painter, k, MARGIN, y, PAGE_W - 2 * MARGIN, f"<p>{escape(HANDOUT_INTRO)}</p>", 3.2) + 3
                if not doc.handout:
                    _html(
                        painter,
                        k,
                        MARGIN,
                        y,
                        PAGE_W - 2 * MARGIN,
                        "<p>No muscles are chosen yet: mark trigger points active or latent, or tick "
                        "“Include in the handout” in the atlas.</p>",
                    )
            for item in items:
                _handout_picture(painter, k, item, QRectF(MARGIN, y, 56, 60))
                h = _html(painter, k, MARGIN + 62, y, PAGE_W - 2 * MARGIN - 62, _handout_html(item), 3.3)
                y += max(62.0, h) + 6

        out.append(paint)
    return out


def _handout_picture(painter: QPainter, k: float, item: HandoutItem, rect: QRectF) -> None:
    """Where the muscle's trigger points are and where they refer: up to two views, cropped."""
    chart = load_chart()
    views = [
        v
        for v in ("anterior", "posterior", "right-lateral", "left-lateral", "plantar")
        if any(v in s.essential or v in s.points for s in item.patterns)
    ][:2]
    if not views:
        return
    w = rect.width() / len(views)
    for i, name in enumerate(views):
        view = chart.view(name)
        cell = QRectF((rect.x() + i * w) * k, rect.y() * k, (w - 1) * k, rect.height() * k)
        geoms = [g for s in item.patterns for g in (s.essential.get(name), s.spillover.get(name)) if g is not None]
        points = [(s.points[name].x, s.points[name].y) for s in item.patterns if name in s.points]
        crop = crop_for(view, pattern_bounds(geoms, points), cell.width() / cell.height(), pad=40, min_h=300)
        transform = draw_view_crop(painter, view, crop, cell)
        _draw_on_view(
            painter, transform, name, [], item.patterns, [(s, "active") for s in item.patterns], numbers=False
        )
        painter.setPen(QPen(QColor("#cfd6de"), 0.25 * k))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(cell)


def pages_of(doc: Document) -> list[Page]:
    if doc.kind == "chart":
        pages = [_chart_page(doc)]
    elif doc.kind == "report":
        pages = [_chart_page(doc), *_text_pages(doc, _report_html(doc))]
    else:
        pages = _handout_pages(doc)
    total = len(pages)

    def with_footer(page: Page, number: int) -> Page:
        def paint(painter: QPainter, k: float) -> None:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            page(painter, k)
            _footer(painter, k, doc, number, total)

        return paint

    return [with_footer(p, i) for i, p in enumerate(pages, start=1)]


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
    _paint_stacked(painter, pages, k)
    painter.end()
    return image


def _paint_paged(device: QPagedPaintDevice, doc: Document, dpi: float) -> None:
    pages = pages_of(doc)
    painter = QPainter()
    if not painter.begin(device):
        raise ExportError("cannot start drawing on the output (is the path writable?)")
    k = dpi / 25.4
    for i, page in enumerate(pages):
        if i:
            device.newPage()
        page(painter, k)
    painter.end()


def write_pdf(doc: Document, path: Path, dpi: float = 300.0) -> None:
    writer = QPdfWriter(str(path))
    writer.setResolution(round(dpi))
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setTitle(doc.metadata_title)
    writer.setCreator("nmt-bodymap")
    _paint_paged(writer, doc, dpi)


def write_svg(doc: Document, path: Path, dpi: float = 96.0) -> None:
    pages = pages_of(doc)
    k = dpi / 25.4
    page_w, page_h, gap = _stacked(pages, k)
    height = page_h * len(pages) + gap * (len(pages) - 1)
    gen = QSvgGenerator()
    gen.setFileName(str(path))
    gen.setSize(QSize(page_w, height))
    gen.setViewBox(QRectF(0, 0, page_w, height))
    gen.setResolution(round(dpi))
    gen.setTitle(doc.metadata_title)
    gen.setDescription("Exported by nmt-bodymap. " + doc.footer)
    painter = QPainter()
    if not painter.begin(gen):
        raise ExportError("cannot start drawing the SVG")
    _paint_stacked(painter, pages, k)
    painter.end()


def print_to(device: QPagedPaintDevice, doc: Document) -> None:
    """Paint onto a printer (or any paged device) set up for A4."""
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
