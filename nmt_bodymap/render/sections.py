"""How each kind of report section is painted: sections become blocks that flow over pages.

:func:`blocks_of` looks up the builder registered for a section's type
(:func:`builds`). A section's title keeps with its first row or paragraph;
tables split between rows and repeat their header; paragraphs split between
lines. To print a new kind of content, add a :class:`~nmt_bodymap.document.Section`
subclass in ``document.py`` and register its builder here or in a module of
its own imported by ``render/export.py`` (the visit record's and the
progress page's are in ``render/record_sections.py``). A figure drawn under a
notice shrinks to fill the rest of its page.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import TypeVar

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QTextDocument

from nmt_bodymap.atlas import SidedTriggerPoint
from nmt_bodymap.chart import load_chart
from nmt_bodymap.document import (
    Cell,
    FigureSection,
    Finding,
    HandoutItem,
    HandoutSection,
    NerveDifferentialSection,
    NoticeSection,
    Section,
    TableSection,
    TextSection,
)
from nmt_bodymap.render.chart_svg import draw_backdrop_crop
from nmt_bodymap.render.figure import (
    draw_figure,
    draw_legend,
    draw_on_view,
    draw_zone_swatch,
    figure_height,
    legend_height,
)
from nmt_bodymap.render.flow import Block
from nmt_bodymap.render.page import (
    ALERT,
    BODY_BOTTOM,
    BODY_SIZE,
    BODY_TOP,
    BODY_W,
    MARGIN,
    RULE,
    draw_document,
    height_mm,
    line_bottoms,
    px,
    text_document,
)
from nmt_bodymap.render.sheet import crop_for
from nmt_bodymap.render.zones import pattern_bounds

S = TypeVar("S", bound=Section)
SectionBuilder = Callable[[Section], list[Block]]
_BUILDERS: dict[type, SectionBuilder] = {}

HEADING_SIZE = 4.6
KEEP_WHOLE_ROWS = 6  # tables of up to this many rows are never split
CELL_PAD = 0.9
SWATCH_W = 7.0
STRIPE = QColor("#f4f6f8")
HEADER_FILL = QColor("#e3e9ef")
NOTICE_FILL = QColor("#fdecea")


def builds(kind: type[S]) -> Callable[[Callable[[S], list[Block]]], Callable[[S], list[Block]]]:
    """Register the block builder of a section type."""

    def register(fn: Callable[[S], list[Block]]) -> Callable[[S], list[Block]]:
        _BUILDERS[kind] = fn  # type: ignore[assignment]
        return fn

    return register


def blocks_of(section: Section) -> list[Block]:
    for cls in type(section).__mro__:
        if cls in _BUILDERS:
            return _BUILDERS[cls](section)
    raise TypeError(f"no painter for the report section {type(section).__name__}")


# -- building blocks ---------------------------------------------------------------------


def heading(title: str, color: str = "#2f6690", space_before: float = 4.0) -> Block:
    doc = text_document(f"<b style='color:{color}'>{escape(title)}</b>", BODY_W, HEADING_SIZE)
    h = height_mm(doc) + 1.2

    def paint(painter: QPainter, y: float) -> None:
        draw_document(painter, doc, MARGIN, y)

    return Block(h, paint, keep_with_next=True, space_before=space_before)


def paragraph(
    html: str,
    x: float = MARGIN,
    width: float = BODY_W,
    size: float = BODY_SIZE,
    keep_with_next: bool = False,
    space_before: float = 1.2,
    background: Callable[[QPainter, float, float], None] | None = None,
) -> Block:
    """Rich text that may be cut between lines (at least two lines on either side of a cut)."""
    return _slice(text_document(html, width, size), x, 0.0, -1, keep_with_next, space_before, background)


def _slice(
    doc: QTextDocument,
    x: float,
    top: float,
    bottom: float,
    keep_with_next: bool,
    space_before: float,
    background: Callable[[QPainter, float, float], None] | None,
) -> Block:
    end = doc.size().height() if bottom < 0 else bottom
    h = (end - top) / px(1.0)

    def paint(painter: QPainter, y: float) -> None:
        if background is not None:
            background(painter, y, h)
        draw_document(painter, doc, x, y, top, bottom)

    def split(room: float) -> tuple[Block, Block] | None:
        cuts = [b for b in line_bottoms(doc) if top < b < end]  # between this slice's lines
        fits = sum(1 for b in cuts if b - top <= px(room))
        lines = min(fits, len(cuts) + 1 - 2)  # leave at least two lines for the next page
        if lines < 2:  # and take at least two
            return None
        cut = cuts[lines - 1]
        return (
            _slice(doc, x, top, cut, False, space_before, background),
            _slice(doc, x, cut, bottom, keep_with_next, 0.0, background),
        )

    return Block(h, paint, keep_with_next, space_before, split=split)


# -- the figure ------------------------------------------------------------------------


#: A figure drawn smaller to fill the rest of a page keeps at least this share of its full size.
MIN_FIGURE_SHARE = 0.62


@builds(FigureSection)
def figure_blocks(section: FigureSection) -> list[Block]:
    """The views as large as the page allows, the legend right under them; text may follow.

    Below a notice that opens the page, the views are drawn smaller to fill
    the rest of it (down to :data:`MIN_FIGURE_SHARE` of their full size).
    """
    legend_h = legend_height(section)
    full_h = figure_height(section.figure, BODY_W, BODY_BOTTOM - BODY_TOP - legend_h - 4)

    def block(fig_h: float) -> Block:
        def paint(painter: QPainter, y: float) -> None:
            draw_figure(painter, section.figure, QRectF(MARGIN, y, BODY_W, fig_h))
            draw_legend(painter, section, MARGIN, y + fig_h + 2, BODY_W)

        return Block(fig_h + 2 + legend_h, paint, space_before=3.0, fit=fit)

    def fit(room: float) -> Block | None:
        fig_h = figure_height(section.figure, BODY_W, room - legend_h - 2)
        return block(fig_h) if fig_h >= MIN_FIGURE_SHARE * full_h else None

    return [block(full_h)]


# -- text and notices ----------------------------------------------------------------------


@builds(TextSection)
def text_blocks(section: TextSection) -> list[Block]:
    paragraphs = section.paragraphs or ([section.empty] if section.empty else [])
    blocks = [heading(section.title)] if section.title else []
    for p in paragraphs:
        blocks.append(paragraph(f"<p>{escape(p)}</p>"))
    if blocks and not paragraphs:
        blocks[-1].keep_with_next = False
    return blocks


def _notice_background(painter: QPainter, y: float, h: float) -> None:
    painter.fillRect(QRectF(px(MARGIN), px(y), px(BODY_W), px(h)), NOTICE_FILL)
    painter.fillRect(QRectF(px(MARGIN), px(y), px(1.2), px(h)), ALERT)


def _notice_title(text: str, space_before: float) -> Block:
    doc = text_document(f"<b class='alert'>⚠ {escape(text)}</b>", BODY_W - 6, HEADING_SIZE)
    h = height_mm(doc) + 3.0

    def paint(painter: QPainter, y: float) -> None:
        _notice_background(painter, y, h)
        draw_document(painter, doc, MARGIN + 3.5, y + 2.0)

    return Block(h, paint, keep_with_next=True, space_before=space_before)


@builds(NoticeSection)
def notice_blocks(section: NoticeSection) -> list[Block]:
    """A tinted box with a red bar: title, intro, one paragraph per item; its title repeats on a new page."""
    inner_x, inner_w = MARGIN + 3.5, BODY_W - 6
    blocks = [_notice_title(section.title, 4.0)]
    continued = _notice_title(f"{section.title} (continued)", 0.0)
    if section.intro:
        intro = paragraph(f"<p>{escape(section.intro)}</p>", inner_x, inner_w, keep_with_next=True, space_before=0.0,
                          background=_notice_background)  # fmt: skip
        blocks.append(intro)
    for item in section.items:
        note = f" <span class='muted'>{escape(item.note)}</span>" if item.note else ""
        html = f"<p><b class='alert'>{escape(item.head)}.</b> {escape(item.text)}{note}</p>"
        block = paragraph(html, inner_x, inner_w, space_before=0.0, background=_notice_background)
        block.header = continued
        blocks.append(block)
    # a little tinted room under the last line
    blocks.append(Block(1.5, lambda painter, y: _notice_background(painter, y, 1.5)))
    blocks[-2].keep_with_next = True
    return blocks


# -- tables ------------------------------------------------------------------------------


def cell_html(cell: Cell) -> str:
    parts = []
    if cell.title:
        parts.append(f"<b>{escape(cell.title)}</b>")
    if cell.text:
        parts.append(escape(cell.text))
    if cell.note:
        parts.append(f"<span class='muted'>{escape(cell.note)}</span>")
    if cell.alert:
        parts.append(f"<span class='alert'>{escape(cell.alert)}</span>")
    return "<br>".join(parts)


def table_row(
    cells: list[Cell], widths: list[float], fill: QColor | None = None, bold: bool = False, size: float = 2.9
) -> Block:
    """One row: each cell laid out in its column; the row is as tall as its tallest cell."""
    docs: list[tuple[float, QTextDocument, int | None]] = []
    x = MARGIN
    for cell, w in zip(cells, widths, strict=True):
        swatch = SWATCH_W if cell.swatch is not None else 0.0
        html = cell_html(cell)
        doc = text_document(f"<b>{html}</b>" if bold else html, max(1.0, w - 2 * CELL_PAD - swatch), size)
        docs.append((x + CELL_PAD + swatch, doc, cell.swatch))
        x += w
    h = max(height_mm(d) for _x, d, _s in docs) + 2 * CELL_PAD

    def paint(painter: QPainter, y: float) -> None:
        if fill is not None:
            painter.fillRect(QRectF(px(MARGIN), px(y), px(BODY_W), px(h)), fill)
        for cx, doc, swatch in docs:
            if swatch is not None:
                draw_zone_swatch(painter, swatch, QRectF(cx - SWATCH_W + 0.4, y + CELL_PAD + 0.3, SWATCH_W - 1.6, 3.0))
            draw_document(painter, doc, cx, y + CELL_PAD)
        painter.setPen(QPen(RULE, px(0.15)))
        painter.drawLine(QPointF(px(MARGIN), px(y + h)), QPointF(px(MARGIN + BODY_W), px(y + h)))

    return Block(h, paint)


@builds(TableSection)
def table_blocks(section: TableSection) -> list[Block]:
    blocks = [heading(section.title)] if section.title else []
    if section.intro:
        blocks.append(paragraph(f"<p class='muted'>{escape(section.intro)}</p>", keep_with_next=True, space_before=0))
    if not section.rows:
        blocks.append(paragraph(f"<p>{escape(section.empty)}</p>", space_before=0.5))
        return blocks
    widths = [share * BODY_W for _h, share in section.columns]
    head = table_row([Cell(h) for h, _s in section.columns], widths, HEADER_FILL, bold=True)
    head.keep_with_next = True
    head.space_before = 0.8
    blocks.append(head)
    rows = [table_row(row, widths, STRIPE if i % 2 else None) for i, row in enumerate(section.rows)]
    for i, block in enumerate(rows):
        block.header = head
        # a short table stays whole; a long one keeps two rows under its head and never leaves one alone
        block.keep_with_next = len(rows) <= KEEP_WHOLE_ROWS or i == 0 or i == len(rows) - 2
    rows[-1].keep_with_next = False
    return blocks + rows


# -- the paresthesia differential ----------------------------------------------------------


@builds(NerveDifferentialSection)
def nerve_blocks(section: NerveDifferentialSection) -> list[Block]:
    """Per complaint: its label, the differential sentence, then a table of its nerves and roots.

    A nerve takes one row per entrapment site (its name and fit on the
    first); a dermatome one row with its key point. The table's head repeats
    on a new page, and a nerve's rows stay together.
    """
    blocks = [heading(section.title)]
    if section.intro:
        blocks.append(paragraph(f"<p class='muted'>{escape(section.intro)}</p>", keep_with_next=True, space_before=0))
    widths = [share * BODY_W for _h, share in section.columns]
    for complaint in section.complaints:
        text = f"<p><b>{escape(complaint.label)}</b>"
        text += f"<br>{escape(complaint.differential)}</p>" if complaint.differential else "</p>"
        blocks.append(paragraph(text, keep_with_next=True, space_before=2.0))
        head = table_row([Cell(h) for h, _s in section.columns], widths, HEADER_FILL, bold=True)
        head.keep_with_next = True
        head.space_before = 0.8
        blocks.append(head)
        rows: list[Block] = []
        for i, row in enumerate((*complaint.nerves, *complaint.dermatomes, *complaint.other_sites)):
            sites = row.sites or ((("Key point", row.key_point),) if row.key_point else (("", ""),))
            for k, (where, test) in enumerate(sites):
                cells = [
                    Cell(title=row.name, note=row.levels) if k == 0 else Cell(),
                    Cell(row.fit) if k == 0 else Cell(),
                    Cell(where),
                    Cell(test),
                ]
                block = table_row(cells, widths, STRIPE if i % 2 else None)
                block.header = head
                block.keep_with_next = k < len(sites) - 1  # a nerve's sites stay with it
                rows.append(block)
        if rows:
            rows[0].keep_with_next = True
        blocks += rows
    return blocks


# -- the handout ---------------------------------------------------------------------------

PICTURE_W, PICTURE_H = 56.0, 60.0
HANDOUT_TEXT_X = MARGIN + PICTURE_W + 6
HANDOUT_TEXT_W = BODY_W - PICTURE_W - 6


def handout_html(section: HandoutSection) -> str:
    item = section.item
    assert item is not None
    where = f"<p class='muted'>Where you may feel it: {escape(item.where)}.</p>" if item.where else ""
    care = "".join(f"<p><b>{escape(kind)}.</b> {escape(text)}</p>" for kind, text in item.self_care)
    return f"<h2>{escape(section.title)}</h2>{where}{care}"


@builds(HandoutSection)
def handout_blocks(section: HandoutSection) -> list[Block]:
    """The muscle's picture beside its text, kept on one page."""
    doc = text_document(handout_html(section), HANDOUT_TEXT_W, 3.3)
    h = max(PICTURE_H + 2, height_mm(doc)) + 4

    def paint(painter: QPainter, y: float) -> None:
        assert section.item is not None
        handout_picture(painter, section.item, QRectF(MARGIN, y, PICTURE_W, PICTURE_H))
        draw_document(painter, doc, HANDOUT_TEXT_X, y)

    return [Block(h, paint, space_before=2.0)]


def handout_picture(painter: QPainter, item: HandoutItem, rect: QRectF) -> None:
    """Where the muscle's trigger points are (X) and where they refer: up to two views, cropped."""
    chart = load_chart()
    views = [v for v in chart.views if any(v in s.essential or v in s.points for s in item.patterns)][:2]
    if not views:
        return
    zones: list[tuple[SidedTriggerPoint, int | None]] = [(s, None) for s in item.patterns]
    spots = [Finding("", s, "active") for s in item.patterns]
    w = rect.width() / len(views)
    for i, name in enumerate(views):
        view = chart.view(name)
        cell = QRectF(px(rect.x() + i * w), px(rect.y()), px(w - 1), px(rect.height()))
        geoms = [g for s in item.patterns for g in (s.essential.get(name), s.spillover.get(name)) if g is not None]
        points = [(s.points[name].x, s.points[name].y) for s in item.patterns if name in s.points]
        crop = crop_for(view, pattern_bounds(geoms, points), cell.width() / cell.height(), pad=40, min_h=300)
        transform = draw_backdrop_crop(painter, view, crop, cell)
        painter.save()
        painter.setClipRect(cell)
        draw_on_view(painter, transform, name, [], zones, spots, letters=False, x_scale=1.5)
        painter.restore()
        painter.setPen(QPen(RULE, px(0.25)))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(cell)
