"""A nerve's or a dermatome's page in the atlas browser: its sheet, filling the pane, in the app's theme.

The same content as the printed sheet (:mod:`nmt_bodymap.render.nerve_sheet`):
the skin territory in every view where it shows (a nerve's own skin solid,
its branches' hatched), each entrapment site numbered and named on the
drawing; beside it the text: what to rule out first, the skin territory in
words, the roots and branches (or, for a dermatome, where to test it), each
entrapment site with what compresses the nerve there, the test and what the
client feels, the muscles supplied, and the sources. The patient's right
side is shown; the left mirrors it.
"""

from __future__ import annotations

from functools import partial
from html import escape

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QGraphicsRectItem, QLabel, QVBoxLayout, QWidget

from nmt_bodymap.nerves import Nerve, NerveAtlas, SidedNerve
from nmt_bodymap.render.nerve_sheet import levels_text
from nmt_bodymap.render.nerve_zones import BRANCH_BLUE, SITE_YELLOW, territory_colour
from nmt_bodymap.render.zones import pattern_bounds
from nmt_bodymap.ui.atlas_pattern import CropGrid
from nmt_bodymap.ui.chart_overlays import NerveItem
from nmt_bodymap.ui.model import SessionModel
from nmt_bodymap.ui.page_parts import (
    RuleOutNotice,
    description_browser,
    figure_beside_text,
    list_html,
    rule_out_html,
    section_html,
    title_label,
)
from nmt_bodymap.ui.theme import app_palette, heading_color, muted_color
from nmt_bodymap.ui.widgets import ElidedLabel


def nerve_subtitle(nerves: NerveAtlas, nerve: Nerve) -> str:
    """ "Peripheral nerve · Upper limb · roots C6–T1 · branch of the radial nerve"."""
    what = [nerve.kind_title, nerve.group_title]
    what.append(f"level {nerve.level}" if nerve.kind == "dermatome" else f"roots {levels_text(nerve)}")
    if nerve.parent and nerve.parent in nerves.nerves:
        parent = nerves.nerves[nerve.parent].name
        what.append(f"branch of the {parent[:1].lower()}{parent[1:]}")
    return " · ".join(w for w in what if w)


def nerve_page_html(nerves: NerveAtlas, nerve: Nerve, palette: QPalette) -> str:
    """Everything the nerve atlas says about ``nerve``, in the palette's colours; rule-out lines first."""
    head = heading_color(palette).name()
    muted = muted_color(palette).name()
    section = partial(section_html, head=head)
    items = list_html

    parts = [rule_out_html(nerve.rule_out, palette)] if nerve.rule_out else []
    parts.append(section("Skin territory", f"<p>{escape(nerve.territory_text)}</p>"))
    if nerve.kind == "dermatome":
        parts.append(section("Where to test it", f"<p>{escape(nerve.key_point)}</p>"))
    else:
        family = [f"Roots {', '.join(nerve.roots)}."]
        if nerve.parent and nerve.parent in nerves.nerves:
            family.append(f"A branch of the <b>{escape(nerves.nerves[nerve.parent].name)}</b>.")
        if nerve.children:
            names = ", ".join(escape(nerves.nerves[c].name) for c in nerve.children if c in nerves.nerves)
            family.append(f"Its branches (hatched on the drawing): {names}.")
        parts.append(section("Roots and branches", f"<p>{' '.join(family)}</p>"))
        if nerve.sites:
            sites = []
            for number, s in enumerate(nerve.sites, start=1):
                spared = ""
                if s.spares:
                    kept = ", ".join(escape(nerves.nerves[b].name) for b in s.spares if b in nerves.nerves)
                    spared = f"<br><i>Spares: {kept}.</i>"
                sites.append(
                    f"<b>{number}. {escape(s.name)}</b>: {escape(s.structure)}."
                    f"<br><b>Test</b>: {escape(s.test)}.<br><b>Felt</b>: {escape(s.felt)}.{spared}"
                )
            parts.append(section("Entrapment sites", items(sites)))
        if nerve.supplies:
            parts.append(section("Muscles it supplies", items([escape(m) for m in nerve.supplies])))
    src = [escape(s.citation) + (f" &lt;{escape(s.url)}&gt;" if s.url else "") for s in nerve.sources]
    parts.append(section("Sources", f"<div style='color:{muted}'>{items(src)}</div>"))
    return "".join(parts)


class NerveFigure(CropGrid):
    """A nerve's territory and entrapment sites in every view where they show (the patient's right side)."""

    def __init__(self, model: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(model, parent)
        self.sided: SidedNerve | None = None
        self.setAccessibleName("Nerve territory and entrapment sites")

    def show_nerve(self, sided: SidedNerve | None) -> None:
        self.sided = sided
        # a view showing only sites gets more of the body around them, to see where they are
        self.MIN_CROP_MM = 260.0 if sided is not None and sided.territory else 480.0
        self._layout()

    def content_views(self) -> list[str]:
        if self.sided is None:
            return []
        return list(set(self.sided.territory) | {v for s in self.sided.sites for v in s.points})

    def content_bounds(self, view: str) -> QRectF | None:
        assert self.sided is not None
        geoms = [g for g in (self.sided.territory.get(view),) if g is not None]
        points = [(s.points[view].x, s.points[view].y) for s in self.sided.sites if view in s.points]
        return pattern_bounds(geoms, points)

    def add_content(self, pane: QGraphicsRectItem, view: str, crop: QRectF) -> None:
        assert self.sided is not None
        item = NerveItem(None, view, self.sided, site_px=8.0, crop=crop)
        item.setParentItem(pane)
        item.setPos(-crop.x(), -crop.y())


class NervePage(QWidget):
    """The selected nerve: name, what it is, rule-out notice, its drawing with a key, and its text."""

    def __init__(self, model: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.nerve: Nerve | None = None
        self.title = title_label(self.font())
        self.subtitle = ElidedLabel(muted=True)
        self.figure = NerveFigure(model)
        self.figure.setMinimumSize(160, 160)
        self.key = QLabel()
        self.key.setWordWrap(True)
        self.key.setTextFormat(Qt.TextFormat.RichText)
        self.text = description_browser("Nerve description")
        self.rule_out = RuleOutNotice(self.text, "signs…")
        body = figure_beside_text(self.figure, self.key, self.text)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.rule_out)
        layout.addWidget(body, 1)

    def show_nerve(self, nerve_id: str) -> None:
        nerves = self.model.nerve_atlas()
        nerve = nerves.nerve(nerve_id)
        self.nerve = nerve
        self.title.set_text("", lead=nerve.name)
        self.subtitle.set_text(nerve_subtitle(nerves, nerve))
        sided = nerves.by_key().get(f"{nerve.id}:right")
        self.figure.show_nerve(sided)
        self._show_theme_parts()

    def _show_theme_parts(self) -> None:
        nerve = self.nerve
        if nerve is None:
            return
        palette = app_palette()
        self.text.setHtml(nerve_page_html(self.model.nerve_atlas(), nerve, palette))
        own = territory_colour(nerve.kind).name()
        swatch = "<span style='color:{c}'>\u25a0</span>"
        key = [f"{swatch.format(c=own)} {'the dermatome' if nerve.kind == 'dermatome' else 'its own skin'}"]
        if nerve.kind == "peripheral":
            key.append(f"{swatch.format(c=BRANCH_BLUE.name())} a branch's skin (hatched)")
            if nerve.sites:
                key.append(f"<span style='color:{SITE_YELLOW.darker(150).name()}'>\u25cf</span> entrapment site")
        muted = muted_color(palette).name()
        self.key.setText(
            " &nbsp; ".join(key)
            + f" &nbsp; <span style='color:{muted}'>Patient's right side; the left mirrors it.</span>"
        )
        self.rule_out.show_conditions([r.condition for r in nerve.rule_out], palette)

    def refresh_theme(self) -> None:
        self._show_theme_parts()
        self.figure.refresh_theme()


__all__ = ["NerveFigure", "NervePage", "nerve_page_html", "nerve_subtitle"]
