"""Painters of the visit record's sections: labelled fields (SOAP, treatment, red flags) and the progress plot.

Registered with :func:`nmt_bodymap.render.sections.builds` on import;
``render/export.py`` imports this module so that every document it paints
finds them.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter

from nmt_bodymap.document import Field, FieldsSection, ProgressPlotSection
from nmt_bodymap.render.flow import Block
from nmt_bodymap.render.page import BODY_BOTTOM, BODY_TOP, BODY_W, MARGIN, K, px
from nmt_bodymap.render.progress_plot import paint_progress
from nmt_bodymap.render.sections import builds, heading, paragraph, table_blocks

FIELD_INDENT = 4.0  # mm: a field's later paragraphs sit under its text, not under its label
#: The progress plot's height on the page (mm): three panels of about 30 mm, down to about 18 mm
#: so that a table of up to about 20 visits fits under it.
PLOT_H = 138.0
PLOT_MIN_H = 100.0
PLOT_SPACE = 1.0


def field_blocks(f: Field) -> list[Block]:
    """``Label:`` in bold leading the first paragraph; every line after it hangs under the text."""
    style = " class='alert'" if f.alert else ""
    indent = round(px(FIELD_INDENT))
    paragraphs = list(f.paragraphs) or [""]
    first = (
        f"<p style='margin-left: {indent}px; text-indent: -{indent}px'>"
        f"<b>{escape(f.label)}:</b> <span{style}>{escape(paragraphs[0])}</span></p>"
    )
    blocks = [paragraph(first, space_before=1.0)]
    for text in paragraphs[1:]:
        html = f"<p style='margin-left: {indent}px'><span{style}>{escape(text)}</span></p>"
        blocks.append(paragraph(html, space_before=0.4))
    return blocks


@builds(FieldsSection)
def fields_blocks(section: FieldsSection) -> list[Block]:
    """The title, an optional intro, then each field: ``Label:`` in bold leading its first paragraph."""
    blocks = [heading(section.title)] if section.title else []
    if section.intro:
        blocks.append(paragraph(f"<p class='muted'>{escape(section.intro)}</p>", keep_with_next=True, space_before=0))
    if not section.fields:
        if section.empty:
            blocks.append(paragraph(f"<p>{escape(section.empty)}</p>", space_before=0.5))
        elif blocks:
            blocks[-1].keep_with_next = False
        return blocks
    for f in section.fields:
        blocks += field_blocks(f)
    return blocks


@builds(ProgressPlotSection)
def progress_plot_blocks(section: ProgressPlotSection) -> list[Block]:
    """A new page: the title, the line of what changed, the plot across the page (vector paths), the visits.

    The plot gives up height (down to :data:`PLOT_MIN_H`) for the table to fit on the page.
    """
    title = heading(section.title, space_before=0.0)
    title.opens_page = section.starts_page
    blocks = [title]
    if section.intro:
        blocks.append(paragraph(f"<p>{escape(section.intro)}</p>", keep_with_next=True, space_before=0.0))
    table = table_blocks(section.table) if section.table is not None else []
    used = sum(b.height + b.space_before for b in blocks + table) - title.space_before
    plot_h = max(PLOT_MIN_H, min(PLOT_H, BODY_BOTTOM - BODY_TOP - used - PLOT_SPACE - 0.5))

    def paint(painter: QPainter, y: float) -> None:
        # the page is laid out in K pixels per mm: the plot takes the same scale
        paint_progress(painter, K, QRectF(px(MARGIN), px(y), px(BODY_W), px(plot_h)), section.points)

    blocks.append(Block(plot_h, paint, space_before=PLOT_SPACE))
    return blocks + table
