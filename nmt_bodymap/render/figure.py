"""The chart figure of an export: views with marks, findings and candidate zones, and its legend.

Sizes of lines, dots and labels are given in millimetres of the page (not
of the chart), so a figure of one view and one of four read alike, and no
line is so thin that a PDF viewer and a PNG draw it differently. Each
candidate whose zones are drawn gets its own colour and hatch
(:data:`ZONE_STYLES`) and a line in the key with its rank in the list.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QTransform
from shapely.geometry import box

from nmt_bodymap.atlas import SidedTriggerPoint
from nmt_bodymap.chart import VIEW_TITLES, load_chart
from nmt_bodymap.document import FINDING_WORDS, Figure, FigureSection, Finding
from nmt_bodymap.render.chart_picture import view_transform
from nmt_bodymap.render.chart_svg import draw_backdrop_mapped
from nmt_bodymap.render.marks import draw_mark, hatch_lines
from nmt_bodymap.render.page import MUTED, font, px, text
from nmt_bodymap.render.zones import ZONE_RED, draw_essential, draw_spillover, draw_trp_x
from nmt_bodymap.session import PainMark

#: Zone drawing styles, one per candidate drawn: (colour, hatch angle in degrees, hatch kind).
#: The colours stay clear of the mark palette (Okabe-Ito); the hatches tell them apart in grey.
ZONE_STYLES: list[tuple[str, float, str]] = [
    ("#c62828", 45.0, "lines"),
    ("#5e35b1", 135.0, "lines"),
    ("#00695c", 0.0, "lines"),
    ("#6d4c41", 90.0, "lines"),
    ("#283593", 45.0, "cross"),
    ("#ad1457", 0.0, "cross"),
    ("#827717", 60.0, "lines"),
    ("#37474f", 120.0, "lines"),
    ("#bf360c", 30.0, "cross"),
    ("#1b5e20", 150.0, "lines"),
]
ESSENTIAL_ALPHA = 0.2
LEGEND_LINE = 4.4  # mm
LEGEND_TITLE = 6.0


def zone_color(style: int | None) -> QColor:
    return QColor(ZONE_STYLES[style % len(ZONE_STYLES)][0]) if style is not None else QColor(ZONE_RED)


def draw_zone(painter: QPainter, sided: SidedTriggerPoint, view: str, style: int | None, unit: float) -> None:
    """One trigger point's zones in ``view``; ``unit`` is chart mm per page mm. No style: the classic red."""
    color = zone_color(style)
    if view in sided.spillover:
        draw_spillover(painter, sided.spillover[view], color, 0.18 * unit, 1.5 * unit, 0.3 * unit)
    if view in sided.essential:
        geom = sided.essential[view]
        hatch = None
        if style is not None:
            _c, angle, kind = ZONE_STYLES[style % len(ZONE_STYLES)]
            hatch = hatch_lines(geom, angle, 1.0 * unit, kind)
        alpha = ESSENTIAL_ALPHA if style is not None else 0.6
        draw_essential(painter, geom, color, alpha, 0.3 * unit, hatch, 0.15 * unit)


def draw_on_view(
    painter: QPainter,
    transform: QTransform,
    view: str,
    marks: list[PainMark],
    zones: list[tuple[SidedTriggerPoint, int | None]],
    findings: list[Finding],
    letters: bool = True,
    x_scale: float = 1.0,
) -> None:
    """Zones, marks and findings over a view already drawn with ``transform`` (chart mm to layout px).

    ``zones`` holds (trigger point, style): no style draws the classic red.
    """
    unit = px(1.0) / transform.m11()  # chart mm per page mm
    painter.save()
    painter.setTransform(transform, True)
    for mark in marks:
        if mark.view == view:
            draw_mark(painter, mark, scale=0.25 * unit)
    # zones over the marks: a light fill, so the marks show through the zone's hatch and outline
    for sided, style in zones:
        draw_zone(painter, sided, view, style, unit)
    for f in findings:
        p = f.sided.points.get(view)
        if p is None:
            continue
        if f.finding == "not-tender":
            painter.setPen(QPen(QColor("#555b63"), 0.25 * unit))
            painter.setBrush(QColor(255, 255, 255, 200))
            painter.drawEllipse(QPointF(p.x, p.y), 0.8 * unit * x_scale, 0.8 * unit * x_scale)
        else:
            color = QColor("#111111") if f.finding == "active" else QColor("#5d636c")
            draw_trp_x(painter, p.x, p.y, size=0.9 * unit * x_scale, color=color, width=0.3 * unit * x_scale)
    painter.restore()
    # letters in page units, after the chart transform
    if letters:
        for f in findings:
            p = f.sided.points.get(view)
            if p is not None:
                at = transform.map(QPointF(p.x, p.y))
                painter.setFont(font(2.4, bold=True))
                painter.setPen(QColor("#111111"))
                painter.drawText(QPointF(at.x() + px(1.1), at.y() - px(0.6)), f.letter)


VIEW_GAP = 4.0
VIEW_TITLE_H = 6.0


def figure_height(figure: Figure, width: float, room: float) -> float:
    """The height (mm) the views need at the largest size that fits ``width`` and ``room``."""
    chart = load_chart()
    n = len(figure.views)
    cell_w = (width - VIEW_GAP * (n - 1)) / n
    needed = 0.0
    for name in figure.views:
        _x, _y, vw, vh = chart.view(name).viewbox
        needed = max(needed, vh * min(cell_w / vw, (room - VIEW_TITLE_H) / vh))
    return needed + VIEW_TITLE_H


def draw_figure(painter: QPainter, figure: Figure, rect: QRectF) -> None:
    """The chosen views side by side in ``rect`` (mm), each with its title."""
    chart = load_chart()
    n = len(figure.views)
    gap = VIEW_GAP
    cell_w = (rect.width() - gap * (n - 1)) / n
    zones: list[tuple[SidedTriggerPoint, int | None]] = [(z.sided, z.style) for z in figure.zones]
    for i, name in enumerate(figure.views):
        view = chart.view(name)
        x = rect.x() + i * (cell_w + gap)
        text(painter, x, rect.y(), cell_w, 6, VIEW_TITLES[name], 3.3, True, MUTED, Qt.AlignmentFlag.AlignHCenter)
        target = QRectF(px(x), px(rect.y() + VIEW_TITLE_H), px(cell_w), px(rect.height() - VIEW_TITLE_H))
        transform = view_transform(view, target)
        draw_backdrop_mapped(painter, view, transform)
        draw_on_view(painter, transform, name, figure.marks, zones, figure.findings)


# -- legend ------------------------------------------------------------------------------


def legend_height(section: FigureSection) -> float:
    f = section.figure
    h = LEGEND_TITLE + ((len(section.legend) + 2) // 3) * 7 + 1 + 5
    if f.findings:
        h += 5 + _rows(len(f.findings)) * LEGEND_LINE
    if f.zones:
        h += 6 + _rows(len(f.zones)) * LEGEND_LINE
    return h


ONE_COLUMN = 8  # legend entries listed in one column; more go in two


def _rows(n: int) -> int:
    """Lines of a list of ``n`` legend entries."""
    return n if n <= ONE_COLUMN else (n + 1) // 2


def draw_legend(painter: QPainter, section: FigureSection, x: float, y: float, w: float) -> None:
    """Qualities drawn, intensity, palpation findings and the candidate zones' key."""
    f = section.figure
    text(painter, x, y, w, 5, "Legend", 3.2, bold=True)
    y += LEGEND_TITLE
    col_w = w / 3
    for i, (q, title) in enumerate(section.legend):
        cx, cy = x + (i % 3) * col_w, y + (i // 3) * 7
        painter.save()
        painter.translate(px(cx), px(cy))
        painter.scale(px(1), px(1))
        draw_mark(painter, PainMark("legend", "anterior", "point", q, 7, box(0, 0, 9, 5)), scale=0.3)
        painter.restore()
        text(painter, cx + 11, cy + 0.3, col_w - 11, 5, title, 2.9)
    y += ((len(section.legend) + 2) // 3) * 7 + 1
    text(painter, x, y, w, 5, "Stronger colour means higher intensity (0–10).", 2.7, color=MUTED)
    y += 5
    if f.findings:
        text(painter, x, y, w, 5, "Palpation: X active (black) or latent (grey), ring not tender.", 2.9)
        y += 5
        for i, finding in enumerate(f.findings):
            cx, cy = _cell(x, y, w, i, len(f.findings))
            _finding_symbol(painter, finding, cx + 2, cy + 1.8)
            line = f"{finding.letter}. {finding.label}: {FINDING_WORDS[finding.finding]}"
            text(painter, cx + 5, cy, _col_w(w, len(f.findings)) - 6, 5, line, 2.7)
        y += _rows(len(f.findings)) * LEGEND_LINE
    if f.zones:
        text(painter, x, y + 1, w, 5, "Referral zones of the top candidates (solid: essential; dots: spillover):", 2.9)
        y += 6
        for i, z in enumerate(f.zones):
            cx, cy = _cell(x, y, w, i, len(f.zones))
            draw_zone_swatch(painter, z.style, QRectF(cx, cy + 0.2, 8, 3.4))
            text(painter, cx + 10, cy, _col_w(w, len(f.zones)) - 11, 5, f"#{z.rank} {z.label}", 2.7)


def _col_w(w: float, n: int) -> float:
    return w if n <= ONE_COLUMN else w / 2


def _cell(x: float, y: float, w: float, i: int, n: int) -> tuple[float, float]:
    rows = _rows(n)
    return x + (i // rows) * _col_w(w, n), y + (i % rows) * LEGEND_LINE


def _finding_symbol(painter: QPainter, finding: Finding, cx: float, cy: float) -> None:
    painter.save()
    painter.translate(px(cx), px(cy))
    painter.scale(px(1), px(1))
    if finding.finding == "not-tender":
        painter.setPen(QPen(QColor("#555b63"), 0.25))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(QPointF(0, 0), 0.9, 0.9)
    else:
        color = QColor("#111111") if finding.finding == "active" else QColor("#5d636c")
        draw_trp_x(painter, 0, 0, size=1.0, color=color, width=0.3)
    painter.restore()


def draw_zone_swatch(painter: QPainter, style: int | None, rect: QRectF) -> None:
    """A sample of a zone style in ``rect`` (mm): the same colour, fill and hatch as on the chart."""
    painter.save()
    painter.translate(px(rect.x()), px(rect.y()))
    painter.scale(px(1), px(1))
    geom = box(0, 0, rect.width(), rect.height())
    color = zone_color(style)
    hatch = None
    if style is not None:
        _c, angle, kind = ZONE_STYLES[style % len(ZONE_STYLES)]
        hatch = hatch_lines(geom, angle, 1.0, kind)
    draw_essential(painter, geom, color, ESSENTIAL_ALPHA, 0.3, hatch, 0.15)
    painter.restore()
