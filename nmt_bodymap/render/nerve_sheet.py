"""A nerve's or a dermatome's atlas sheet: its skin territory in every view, its entrapment sites, its text.

Laid out like the muscle sheet (:mod:`nmt_bodymap.render.atlas_sheet`; both
use :mod:`nmt_bodymap.render.sheet`): the patient's right side as authored, each view
cropped around the territory and the sites. A peripheral nerve's own skin is
solid, its branches' skin hatched; each entrapment site is numbered on the
drawing and described in the text panel (structure, test, what the client
feels, which branches it spares), followed by the rule-out lines and sources.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QImage, QPainter, QTransform
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from nmt_bodymap.chart import VIEW_TITLES, load_chart
from nmt_bodymap.nerves import NerveAtlas
from nmt_bodymap.nerves.model import Nerve
from nmt_bodymap.render.chart_svg import draw_backdrop_crop
from nmt_bodymap.render.nerve_zones import (
    draw_branch_territory,
    draw_site,
    draw_territory,
    territory_colour,
)
from nmt_bodymap.render.sheet import (
    INK,
    LEGEND_W_PT,
    MAX_COLS,
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
from nmt_bodymap.render.zones import pattern_bounds


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
    h = heading_style(px)
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
            parts.append(f"<h3 style='{h}'>Entrapment sites</h3><ul>{html_items(sites)}</ul>")
        if nerve.supplies:
            parts.append(
                f"<h3 style='{h}'>Muscles it supplies</h3><ul>{html_items([escape(m) for m in nerve.supplies])}</ul>"
            )
    if nerve.rule_out:
        rule = [f"<b>{escape(r.condition)}</b>: {escape(r.signs)}" for r in nerve.rule_out]
        parts.append(f"<h3 style='{h}'>Rule out first</h3><ul>{html_items(rule)}</ul>")
    parts.append(sources_html(nerve.sources, h))
    return "".join(parts)


def render_nerve_sheet(nerves: NerveAtlas, nerve: Nerve, dpi: float = 150.0) -> QImage:
    """The whole sheet as an image, A4 landscape (taller if the text needs it)."""
    page = SheetPage(dpi)
    px, margin, header_h = page.px, page.margin, page.header_h
    doc = page.text_panel(nerve_html(nerves, nerve, px))
    image, painter = page.start(max(page.min_height, round(header_h + doc.size().height() + 2 * margin)))
    _header(painter, nerves, nerve, page.header_rect(), px)
    views = nerve.views
    if views:
        rows = (len(views) + MAX_COLS - 1) // MAX_COLS
        cols = max(2, min(len(views), MAX_COLS))
        area_h = page.min_height - header_h - margin
        cell_w, cell_h = (page.left_w - margin) / cols, area_h / rows
        chart = load_chart()
        for i, name in enumerate(views):
            view = chart.view(name)
            cell = QRectF(margin + (i % MAX_COLS) * cell_w, header_h + (i // MAX_COLS) * cell_h, cell_w, cell_h)
            target = draw_view_cell(painter, cell, VIEW_TITLES[name], px)
            geoms = [g for g in (nerve.territory.get(name),) if g is not None]
            points = [(p.x, p.y) for s in nerve.site_points.values() for v, p in s.items() if v == name]
            # a view showing only sites gets more of the body around them, to see where they are
            min_h = 260.0 if geoms else 480.0
            crop = crop_for(view, pattern_bounds(geoms, points), target.width() / target.height(), 30.0, min_h)
            transform = draw_backdrop_crop(painter, view, crop, target)
            draw_nerve_view(painter, nerves, nerve, name, transform, crop, site_px=9 * px)
    page.finish(painter, doc)
    return image


def _header(painter: QPainter, nerves: NerveAtlas, nerve: Nerve, rect: QRectF, px: float) -> None:
    size = 17.0
    name_font = font(size * px, bold=True)
    while size > 9 and QFontMetricsF(name_font).horizontalAdvance(nerve.name) > rect.width() - 262 * px:
        size -= 0.5  # long names ("Posterior interosseous nerve (...)") shrink to stay clear of the legend
        name_font.setPixelSize(round(size * px))
    painter.setFont(name_font)
    painter.setPen(INK)
    painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, nerve.name)
    what = [nerve.kind_title, nerve.group_title]
    what.append(f"level {nerve.level}" if nerve.kind == "dermatome" else f"roots {levels_text(nerve)}")
    if nerve.parent:
        parent = nerves.nerve(nerve.parent).name
        what.append(f"branch of the {parent[0].lower()}{parent[1:]}")
    draw_subtitle(painter, rect, "  ·  ".join(what), px, right_pad=(LEGEND_W_PT + 10) * px)

    def swatches(painter: QPainter) -> None:
        draw_territory(painter, box(0, 1, 14, 11), territory_colour(nerve.kind))
        if nerve.kind == "peripheral":
            draw_branch_territory(painter, box(84, 1, 98, 11))
            draw_site(painter, 176, 6, 1, radius_px=4.5 * px)

    labels = [(18.0, "dermatome" if nerve.kind == "dermatome" else "its own skin")]
    if nerve.kind == "peripheral":
        labels += [(102, "a branch's skin"), (184, "entrapment site")]
    draw_legend(painter, rect, px, swatches, labels)
