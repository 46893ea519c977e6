"""A muscle's atlas sheet: its referral pattern in every view, with its text.

The views are cropped around the pattern (hand patterns are small), the
right side is shown as authored, and the text panel carries, first and in a
tinted box, the serious conditions the pattern mimics ("rule out first"),
then the referral description, trigger point locations with how common each
is, symptoms, perpetuating factors by the five neuromuscular causes,
entrapments, self-care and sources.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QTransform
from shapely.geometry import box

from nmt_bodymap.atlas import CAUSES, PREVALENCE, SELF_CARE_KINDS, Muscle, TriggerPoint
from nmt_bodymap.chart import VIEW_TITLES, load_chart
from nmt_bodymap.render.chart_svg import draw_backdrop_crop
from nmt_bodymap.render.sheet import (
    ACCENT,
    INK,
    MAX_COLS,
    MUTED,
    PAGE_H_MM,
    PAGE_W_MM,
    SheetPage,
    crop_for,
    draw_legend,
    draw_subtitle,
    draw_view_cell,
    font,
    heading_style,
    html_items,
    sources_html,
)
from nmt_bodymap.render.zones import draw_essential, draw_spillover, draw_trp_x, pattern_bounds

ROW_H_MM = 62.0  # height of one trigger point's row of views


def draw_trp_pattern(painter: QPainter, trp: TriggerPoint, view: str, transform: QTransform) -> None:
    """One trigger point's pattern (as authored) in ``view``: spillover, essential, X."""
    painter.save()
    painter.setTransform(transform, True)
    if view in trp.spillover:
        draw_spillover(painter, trp.spillover[view])
    if view in trp.essential:
        draw_essential(painter, trp.essential[view])
    if view in trp.points:
        draw_trp_x(painter, trp.points[view].x, trp.points[view].y)
    painter.restore()


def muscle_html(muscle: Muscle, px: float) -> str:
    """The sheet's text as HTML, sized for ``px`` pixels per point."""
    h = heading_style(px)
    parts = [rule_out_html(muscle, px)] if muscle.rule_out else []
    parts.append(f"<h3 style='{h}'>Referral pattern</h3><p>{escape(muscle.referral)}</p>")
    trps = [
        f"<b>{escape(t.label)}</b>: {escape(t.location)}"
        + (f" <i style='color:#2f6690'>({prevalence_words(t)})</i>" if t.prevalence else "")
        for t in muscle.trigger_points
    ]
    parts.append(f"<h3 style='{h}'>Trigger points</h3><ul>{html_items(trps)}</ul>")
    parts.append(f"<h3 style='{h}'>Symptoms</h3><ul>{html_items([escape(s) for s in muscle.symptoms])}</ul>")
    causes = [
        f"<b>{CAUSES[p.cause]}</b>: {escape(p.text)}" for c in CAUSES for p in muscle.perpetuating if p.cause == c
    ]
    parts.append(f"<h3 style='{h}'>Perpetuating factors</h3><ul>{html_items(causes)}</ul>")
    if muscle.entrapments:
        ent = [f"<b>{escape(e.nerve)}</b> ({escape(e.site)}): {escape(e.symptoms)}" for e in muscle.entrapments]
        parts.append(f"<h3 style='{h}'>Nerve entrapment</h3><ul>{html_items(ent)}</ul>")
    care = [
        f"<b>{SELF_CARE_KINDS[s.kind]}</b>: {escape(s.text)}"
        for k in SELF_CARE_KINDS
        for s in muscle.self_care
        if s.kind == k
    ]
    parts.append(f"<h3 style='{h}'>Self-care</h3><ul>{html_items(care)}</ul>")
    parts.append(
        f"<h3 style='{h}'>Innervation and actions</h3><p>{escape(muscle.innervation)}.</p>"
        f"<ul>{html_items([escape(a) for a in muscle.actions])}</ul>"
    )
    parts.append(sources_html(muscle.sources, h))
    return "".join(parts)


def prevalence_words(trp: TriggerPoint) -> str:
    """How often the literature finds this trigger point, in words ("a very common trigger point")."""
    return PREVALENCE.get(trp.prevalence, "")


def rule_out_html(muscle: Muscle, px: float) -> str:
    """A tinted box, first on the sheet: the serious conditions this pattern mimics, and their signs."""
    items = "".join(f"<li><b>{escape(r.condition)}</b>: {escape(r.signs)}</li>" for r in muscle.rule_out)
    title = f"font-size:{10.5 * px:.0f}px; color:#a3161b; margin-top:0px; margin-bottom:{2 * px:.0f}px"
    return (
        f"<table width='100%' cellspacing='0' cellpadding='{5 * px:.0f}' bgcolor='#fdecea' border='1' "
        f"style='border-color:#a3161b; border-style:solid'><tr><td>"
        f"<h3 style='{title}'>⚠ Rule out first</h3>"
        f"<p style='color:#a3161b'>This pattern can mimic serious disease: ask, and refer before treating.</p>"
        f"<ul>{items}</ul></td></tr></table>"
    )


def render_sheet(muscle: Muscle, dpi: float = 150.0) -> QImage:
    """The whole sheet as an image, A4 landscape (taller if the text needs it)."""
    page = SheetPage(dpi)
    px_per_mm, px, margin, left_w, header_h = page.px_per_mm, page.px, page.margin, page.left_w, page.header_h
    doc = page.text_panel(muscle_html(muscle, px))
    rows = sum((len(t.views) + MAX_COLS - 1) // MAX_COLS or 1 for t in muscle.trigger_points)
    rows_h = rows * (ROW_H_MM * px_per_mm + 4 * px) + len(muscle.trigger_points) * 15 * px
    image, painter = page.start(max(page.min_height, round(header_h + max(doc.size().height(), rows_h) + 2 * margin)))
    _header(painter, muscle, page.header_rect(), px)

    chart = load_chart()
    label_font = font(8.5 * px, bold=True)
    prevalence_font = font(7.5 * px, italic=True)
    y = header_h + 2 * px
    for trp in muscle.trigger_points:
        views = trp.views
        cols = max(2, min(len(views), MAX_COLS))
        cell_w = (left_w - margin) / cols
        painter.setFont(label_font)
        painter.setPen(INK)
        painter.drawText(QRectF(margin, y, left_w - margin, 14 * px), Qt.AlignmentFlag.AlignLeft, trp.label)
        if trp.prevalence:
            shown = painter.fontMetrics().horizontalAdvance(trp.label + "  ")
            painter.setFont(prevalence_font)
            painter.setPen(ACCENT)
            painter.drawText(
                QRectF(margin + shown, y + 1 * px, left_w - margin - shown, 14 * px),
                Qt.AlignmentFlag.AlignLeft,
                f"· {prevalence_words(trp)}",
            )
        y += 15 * px
        for i, name in enumerate(views):
            view = chart.view(name)
            if i and i % MAX_COLS == 0:
                y += ROW_H_MM * px_per_mm + 4 * px
            cell = QRectF(margin + (i % MAX_COLS) * cell_w, y, cell_w, ROW_H_MM * px_per_mm)
            target = draw_view_cell(painter, cell, VIEW_TITLES[name], px)
            geoms = [g for g in (trp.essential.get(name), trp.spillover.get(name)) if g is not None]
            points = [(trp.points[name].x, trp.points[name].y)] if name in trp.points else []
            crop = crop_for(view, pattern_bounds(geoms, points), target.width() / target.height())
            transform = draw_backdrop_crop(painter, view, crop, target)
            draw_trp_pattern(painter, trp, name, transform)
        y += ROW_H_MM * px_per_mm + 4 * px
    page.finish(painter, doc)
    return image


def _header(painter: QPainter, muscle: Muscle, rect: QRectF, px: float) -> None:
    painter.setFont(font(17 * px, bold=True))
    painter.setPen(INK)
    painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, muscle.name)
    draw_subtitle(painter, rect, f"{muscle.latin}  ·  {muscle.group_title}", px)

    def swatches(painter: QPainter) -> None:
        draw_trp_x(painter, 6, 6, size=4.5)
        draw_essential(painter, box(84, 1, 98, 11))
        draw_spillover(painter, box(176, 1, 190, 11))

    draw_legend(painter, rect, px, swatches, ((16, "trigger point"), (102, "essential zone"), (194, "spillover")))


__all__ = [
    "ACCENT",
    "INK",
    "MUTED",
    "PAGE_H_MM",
    "PAGE_W_MM",
    "ROW_H_MM",
    "crop_for",
    "draw_trp_pattern",
    "muscle_html",
    "prevalence_words",
    "render_sheet",
    "rule_out_html",
]
