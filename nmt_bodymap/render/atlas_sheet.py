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

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen, QTextDocument, QTransform

from nmt_bodymap.atlas import CAUSES, PREVALENCE, SELF_CARE_KINDS, Muscle, TriggerPoint
from nmt_bodymap.chart import VIEW_TITLES, ChartView, load_chart
from nmt_bodymap.render.chart_svg import draw_backdrop_crop
from nmt_bodymap.render.qt import blank_image, draw_on_paper, smooth_painter
from nmt_bodymap.render.zones import draw_essential, draw_spillover, draw_trp_x, pattern_bounds

PAGE_W_MM, PAGE_H_MM = 297.0, 210.0
ROW_H_MM = 62.0  # height of one trigger point's row of views
MAX_COLS = 4
INK = QColor("#23272e")
MUTED = QColor("#5d636c")
ACCENT = QColor("#2f6690")


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


def draw_view_crop(painter: QPainter, view: ChartView, crop: QRectF, target: QRectF) -> QTransform:
    """Draw the chart backdrop of ``crop`` (mm) into ``target``; return the mm→target transform."""
    return draw_backdrop_crop(painter, view, crop, target)


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

    def items(values: list[str]) -> str:
        return "".join(f"<li>{v}</li>" for v in values)

    h = f"font-size:{10.5 * px:.0f}px; color:#2f6690; margin-top:{7 * px:.0f}px; margin-bottom:{2 * px:.0f}px"
    parts = [rule_out_html(muscle, px)] if muscle.rule_out else []
    parts.append(f"<h3 style='{h}'>Referral pattern</h3><p>{escape(muscle.referral)}</p>")
    trps = [
        f"<b>{escape(t.label)}</b>: {escape(t.location)}"
        + (f" <i style='color:#2f6690'>({prevalence_words(t)})</i>" if t.prevalence else "")
        for t in muscle.trigger_points
    ]
    parts.append(f"<h3 style='{h}'>Trigger points</h3><ul>{items(trps)}</ul>")
    parts.append(f"<h3 style='{h}'>Symptoms</h3><ul>{items([escape(s) for s in muscle.symptoms])}</ul>")
    causes = [
        f"<b>{CAUSES[p.cause]}</b>: {escape(p.text)}" for c in CAUSES for p in muscle.perpetuating if p.cause == c
    ]
    parts.append(f"<h3 style='{h}'>Perpetuating factors</h3><ul>{items(causes)}</ul>")
    if muscle.entrapments:
        ent = [f"<b>{escape(e.nerve)}</b> ({escape(e.site)}): {escape(e.symptoms)}" for e in muscle.entrapments]
        parts.append(f"<h3 style='{h}'>Nerve entrapment</h3><ul>{items(ent)}</ul>")
    care = [
        f"<b>{SELF_CARE_KINDS[s.kind]}</b>: {escape(s.text)}"
        for k in SELF_CARE_KINDS
        for s in muscle.self_care
        if s.kind == k
    ]
    parts.append(f"<h3 style='{h}'>Self-care</h3><ul>{items(care)}</ul>")
    parts.append(
        f"<h3 style='{h}'>Innervation and actions</h3><p>{escape(muscle.innervation)}.</p>"
        f"<ul>{items([escape(a) for a in muscle.actions])}</ul>"
    )
    src = [escape(s.citation) + (f" &lt;{escape(s.url)}&gt;" if s.url else "") for s in muscle.sources]
    parts.append(f"<h3 style='{h}'>Sources</h3><ul style='color:#5d636c'>{items(src)}</ul>")
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
    px_per_mm = dpi / 25.4
    px = dpi / 72.0  # pixels per point
    margin = 10 * px_per_mm
    width = round(PAGE_W_MM * px_per_mm)
    left_w = width * 0.56
    text_w = width - left_w - 2 * margin
    doc = QTextDocument()
    font = QFont("DejaVu Sans")
    font.setPixelSize(round(8.2 * px))
    doc.setDefaultFont(font)
    doc.setDefaultStyleSheet(f"li {{ margin-bottom: {1.5 * px:.0f}px; }} ul {{ margin-left: 0px; }}")
    doc.setHtml(muscle_html(muscle, px))
    doc.setTextWidth(text_w)
    header_h = 24 * px_per_mm
    rows = sum((len(t.views) + MAX_COLS - 1) // MAX_COLS or 1 for t in muscle.trigger_points)
    rows_h = rows * (ROW_H_MM * px_per_mm + 4 * px) + len(muscle.trigger_points) * 15 * px
    height = max(round(PAGE_H_MM * px_per_mm), round(header_h + max(doc.size().height(), rows_h) + 2 * margin))

    image = blank_image(width, height, dpi)
    painter = smooth_painter(image)
    _header(painter, muscle, QRectF(margin, margin, width - 2 * margin, header_h - margin), px)

    chart = load_chart()
    label_font = QFont("DejaVu Sans")
    label_font.setPixelSize(round(8.5 * px))
    label_font.setBold(True)
    prevalence_font = QFont("DejaVu Sans")
    prevalence_font.setPixelSize(round(7.5 * px))
    prevalence_font.setItalic(True)
    view_font = QFont("DejaVu Sans")
    view_font.setPixelSize(round(7 * px))
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
            painter.setFont(view_font)
            painter.setPen(MUTED)
            painter.drawText(
                QRectF(cell.x(), cell.y(), cell.width(), 10 * px), Qt.AlignmentFlag.AlignHCenter, VIEW_TITLES[name]
            )
            target = cell.adjusted(3 * px, 11 * px, -3 * px, -2 * px)
            geoms = [g for g in (trp.essential.get(name), trp.spillover.get(name)) if g is not None]
            points = [(trp.points[name].x, trp.points[name].y)] if name in trp.points else []
            crop = crop_for(view, pattern_bounds(geoms, points), target.width() / target.height())
            transform = draw_view_crop(painter, view, crop, target)
            draw_trp_pattern(painter, trp, name, transform)
        y += ROW_H_MM * px_per_mm + 4 * px
    painter.translate(left_w + margin, header_h)
    draw_on_paper(painter, doc)
    painter.end()
    return image


def _header(painter: QPainter, muscle: Muscle, rect: QRectF, px: float) -> None:
    name_font = QFont("DejaVu Sans")
    name_font.setPixelSize(round(17 * px))
    name_font.setBold(True)
    painter.setFont(name_font)
    painter.setPen(INK)
    painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, muscle.name)
    sub_font = QFont("DejaVu Sans")
    sub_font.setPixelSize(round(8.5 * px))
    sub_font.setItalic(True)
    painter.setFont(sub_font)
    painter.setPen(MUTED)
    painter.drawText(
        rect.adjusted(0, 24 * px, 0, 0),
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
        f"{muscle.latin}  ·  {muscle.group_title}",
    )
    # legend, top right
    legend_font = QFont("DejaVu Sans")
    legend_font.setPixelSize(round(7.5 * px))
    painter.setFont(legend_font)
    x0 = rect.right() - 250 * px
    y0 = rect.top() + 4 * px
    painter.save()
    painter.translate(x0, y0)
    painter.scale(px, px)
    draw_trp_x(painter, 6, 6, size=4.5)
    from shapely.geometry import box

    draw_essential(painter, box(84, 1, 98, 11))
    draw_spillover(painter, box(176, 1, 190, 11))
    painter.restore()
    painter.setPen(INK)
    for dx, text in ((16, "trigger point"), (102, "essential zone"), (194, "spillover")):
        painter.drawText(QPointF(x0 + dx * px, y0 + 10 * px), text)
    painter.setPen(MUTED)
    painter.drawText(
        QRectF(x0, y0 + 16 * px, 250 * px, 14 * px),
        Qt.AlignmentFlag.AlignLeft,
        "Patient's right side shown; the left mirrors it.",
    )
    painter.setPen(QPen(QColor("#d8dce1"), px))
    painter.drawLine(QPointF(rect.left(), rect.bottom() + 4 * px), QPointF(rect.right(), rect.bottom() + 4 * px))
