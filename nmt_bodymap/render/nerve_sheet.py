"""A nerve's or a dermatome's atlas sheet: its skin territory in every view, its entrapment sites, its text.

Like the muscle sheet (:mod:`nmt_bodymap.render.atlas_sheet`, whose cropping
and chart drawing it reuses): the patient's right side as authored, each view
cropped around the territory and the sites. A peripheral nerve's own skin is
solid, its branches' skin hatched; each entrapment site is numbered on the
drawing and described in the text panel (structure, test, what the client
feels, which branches it spares), followed by the rule-out lines and sources.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPen, QTextDocument, QTransform
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from nmt_bodymap.chart import VIEW_TITLES, load_chart
from nmt_bodymap.nerves import NerveAtlas
from nmt_bodymap.nerves.model import Nerve
from nmt_bodymap.render.atlas_sheet import INK, MUTED, PAGE_H_MM, PAGE_W_MM, crop_for, draw_view_crop
from nmt_bodymap.render.nerve_zones import (
    draw_branch_territory,
    draw_site,
    draw_territory,
    territory_colour,
)
from nmt_bodymap.render.qt import blank_image, draw_on_paper, smooth_painter
from nmt_bodymap.render.zones import pattern_bounds

MAX_COLS = 4


def levels_text(nerve: Nerve) -> str:
    """``C6–T1`` for a nerve's roots, ``C6`` for a dermatome."""
    levels = nerve.levels
    if not levels:
        return ""
    return levels[0] if len(levels) == 1 else f"{levels[0]}–{levels[-1]}"


def branch_geometry(nerves: NerveAtlas, nerve: Nerve, view: str) -> BaseGeometry | None:
    """The skin its branches add in ``view`` (the territory less its own), or None."""
    whole, own = nerve.territory.get(view), nerve.own.get(view)
    if whole is None:
        return None
    extra = whole if own is None else whole.difference(own)
    return None if extra.is_empty or extra.area < 1.0 else extra


def draw_nerve_view(
    painter: QPainter,
    nerves: NerveAtlas,
    nerve: Nerve,
    view: str,
    transform: QTransform,
    crop: QRectF | None = None,
    site_px: float = 9.0,
) -> None:
    """A nerve's territory (own solid, branches hatched) and numbered, named sites in one view, as authored.

    Site discs are ``site_px`` pixels across whatever the zoom; a name goes on
    the side of its disc with more room inside ``crop`` (chart mm).
    """
    painter.save()
    painter.setTransform(transform, True)
    extra = branch_geometry(nerves, nerve, view)
    if extra is not None:
        draw_branch_territory(painter, extra)
    if view in nerve.own:
        draw_territory(painter, nerve.own[view], territory_colour(nerve.kind))
    for number, site in enumerate(nerve.sites, start=1):
        point = nerve.site_points.get(site.id, {}).get(view)
        if point is not None:
            left = crop is not None and point.x > crop.center().x()
            draw_site(painter, point.x, point.y, number, _short(site.name), site_px / 2, label_left=left)
    painter.restore()


def _short(name: str) -> str:
    return name.split(" (")[0]


def nerve_html(nerves: NerveAtlas, nerve: Nerve, px: float) -> str:
    """The sheet's text as HTML, sized for ``px`` pixels per point."""

    def items(values: list[str]) -> str:
        return "".join(f"<li>{v}</li>" for v in values)

    h = f"font-size:{10.5 * px:.0f}px; color:#2f6690; margin-top:{7 * px:.0f}px; margin-bottom:{2 * px:.0f}px"
    parts = [f"<h3 style='{h}'>Skin territory</h3><p>{escape(nerve.territory_text)}</p>"]
    if nerve.kind == "dermatome":
        parts.append(f"<h3 style='{h}'>Where to test it</h3><p>{escape(nerve.key_point)}</p>")
    else:
        family = []
        if nerve.parent:
            family.append(f"A branch of the <b>{escape(nerves.nerve(nerve.parent).name)}</b>.")
        if nerve.children:
            names = ", ".join(escape(nerves.nerve(c).name) for c in nerve.children)
            family.append(f"Its branches (hatched on the drawing): {names}.")
        roots = f"Roots {', '.join(nerve.roots)}."
        parts.append(f"<h3 style='{h}'>Roots and branches</h3><p>{roots} {' '.join(family)}</p>")
        if nerve.sites:
            sites = []
            for number, s in enumerate(nerve.sites, start=1):
                spared = ""
                if s.spares:
                    spared = " <i>Spares: " + ", ".join(escape(nerves.nerve(b).name) for b in s.spares) + ".</i>"
                sites.append(
                    f"<b>{number}. {escape(s.name)}</b>: {escape(s.structure)}.<br/>"
                    f"<b>Test</b>: {escape(s.test)}.<br/><b>Felt</b>: {escape(s.felt)}.{spared}"
                )
            parts.append(f"<h3 style='{h}'>Entrapment sites</h3><ul>{items(sites)}</ul>")
        if nerve.supplies:
            parts.append(
                f"<h3 style='{h}'>Muscles it supplies</h3><ul>{items([escape(m) for m in nerve.supplies])}</ul>"
            )
    if nerve.rule_out:
        rule = [f"<b>{escape(r.condition)}</b>: {escape(r.signs)}" for r in nerve.rule_out]
        parts.append(f"<h3 style='{h}'>Rule out first</h3><ul>{items(rule)}</ul>")
    src = [escape(s.citation) + (f" &lt;{escape(s.url)}&gt;" if s.url else "") for s in nerve.sources]
    parts.append(f"<h3 style='{h}'>Sources</h3><ul style='color:#5d636c'>{items(src)}</ul>")
    return "".join(parts)


def render_nerve_sheet(nerves: NerveAtlas, nerve: Nerve, dpi: float = 150.0) -> QImage:
    """The whole sheet as an image, A4 landscape (taller if the text needs it)."""
    px_per_mm = dpi / 25.4
    px = dpi / 72.0
    margin = 10 * px_per_mm
    width = round(PAGE_W_MM * px_per_mm)
    left_w = width * 0.56
    text_w = width - left_w - 2 * margin
    doc = QTextDocument()
    font = QFont("DejaVu Sans")
    font.setPixelSize(round(8.2 * px))
    doc.setDefaultFont(font)
    doc.setDefaultStyleSheet(f"li {{ margin-bottom: {1.5 * px:.0f}px; }} ul {{ margin-left: 0px; }}")
    doc.setHtml(nerve_html(nerves, nerve, px))
    doc.setTextWidth(text_w)
    header_h = 24 * px_per_mm
    height = max(round(PAGE_H_MM * px_per_mm), round(header_h + doc.size().height() + 2 * margin))

    image = blank_image(width, height, dpi)
    painter = smooth_painter(image)
    _header(painter, nerves, nerve, QRectF(margin, margin, width - 2 * margin, header_h - margin), px)
    views = nerve.views
    if views:
        rows = (len(views) + MAX_COLS - 1) // MAX_COLS
        cols = max(2, min(len(views), MAX_COLS))
        area_h = round(PAGE_H_MM * px_per_mm) - header_h - margin
        cell_w, cell_h = (left_w - margin) / cols, area_h / rows
        chart = load_chart()
        view_font = QFont("DejaVu Sans")
        view_font.setPixelSize(round(7 * px))
        for i, name in enumerate(views):
            view = chart.view(name)
            cell = QRectF(margin + (i % MAX_COLS) * cell_w, header_h + (i // MAX_COLS) * cell_h, cell_w, cell_h)
            painter.setFont(view_font)
            painter.setPen(MUTED)
            painter.drawText(
                QRectF(cell.x(), cell.y(), cell.width(), 10 * px), Qt.AlignmentFlag.AlignHCenter, VIEW_TITLES[name]
            )
            target = cell.adjusted(3 * px, 11 * px, -3 * px, -2 * px)
            geoms = [g for g in (nerve.territory.get(name),) if g is not None]
            points = [(p.x, p.y) for s in nerve.site_points.values() for v, p in s.items() if v == name]
            # a view showing only sites gets more of the body around them, to see where they are
            min_h = 260.0 if geoms else 480.0
            crop = crop_for(view, pattern_bounds(geoms, points), target.width() / target.height(), 30.0, min_h)
            transform = draw_view_crop(painter, view, crop, target)
            draw_nerve_view(painter, nerves, nerve, name, transform, crop, site_px=9 * px)
    painter.translate(left_w + margin, header_h)
    draw_on_paper(painter, doc)
    painter.end()
    return image


def _header(painter: QPainter, nerves: NerveAtlas, nerve: Nerve, rect: QRectF, px: float) -> None:
    name_font = QFont("DejaVu Sans")
    name_font.setBold(True)
    size = 17.0
    name_font.setPixelSize(round(size * px))
    while size > 9 and QFontMetricsF(name_font).horizontalAdvance(nerve.name) > rect.width() - 262 * px:
        size -= 0.5  # long names ("Posterior interosseous nerve (...)") shrink to stay clear of the legend
        name_font.setPixelSize(round(size * px))
    painter.setFont(name_font)
    painter.setPen(INK)
    painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, nerve.name)
    sub_font = QFont("DejaVu Sans")
    sub_font.setPixelSize(round(8.5 * px))
    sub_font.setItalic(True)
    painter.setFont(sub_font)
    painter.setPen(MUTED)
    what = [nerve.kind_title, nerve.group_title]
    what.append(f"level {nerve.level}" if nerve.kind == "dermatome" else f"roots {levels_text(nerve)}")
    if nerve.parent:
        parent = nerves.nerve(nerve.parent).name
        what.append(f"branch of the {parent[0].lower()}{parent[1:]}")
    painter.drawText(
        rect.adjusted(0, 24 * px, -260 * px, 0),
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
        "  ·  ".join(what),
    )
    legend_font = QFont("DejaVu Sans")
    legend_font.setPixelSize(round(7.5 * px))
    painter.setFont(legend_font)
    x0, y0 = rect.right() - 250 * px, rect.top() + 4 * px
    painter.save()
    painter.translate(x0, y0)
    painter.scale(px, px)
    draw_territory(painter, box(0, 1, 14, 11), territory_colour(nerve.kind))
    entries = [(18, "dermatome" if nerve.kind == "dermatome" else "its own skin")]
    if nerve.kind == "peripheral":
        draw_branch_territory(painter, box(84, 1, 98, 11))
        draw_site(painter, 176, 6, 1, radius_px=4.5 * px)
        entries += [(102, "a branch's skin"), (184, "entrapment site")]
    painter.restore()
    painter.setPen(INK)
    for dx, text in entries:
        painter.drawText(QPointF(x0 + dx * px, y0 + 10 * px), text)
    painter.setPen(MUTED)
    painter.drawText(
        QRectF(x0, y0 + 16 * px, 250 * px, 14 * px),
        Qt.AlignmentFlag.AlignLeft,
        "Patient's right side shown; the left mirrors it.",
    )
    painter.setPen(QPen(QColor("#d8dce1"), px))
    painter.drawLine(QPointF(rect.left(), rect.bottom() + 4 * px), QPointF(rect.right(), rect.bottom() + 4 * px))
