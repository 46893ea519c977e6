"""What the chart shows on top of the drawing for a moment: patterns, shading, a nerve, highlighted marks.

* a trigger point's pattern (hovering or selecting a candidate);
* the pain no candidate explains, shaded;
* a nerve's skin territory and its numbered entrapment sites (hovering a
  nerve in the results), drawn like the nerve sheets;
* marks highlighted: those of a complaint whose tab is hovered, and those
  the therapist selected (Ctrl+click) to move to another complaint.

:class:`ChartOverlays` keeps these items in the canvas's scene whatever the
layout; the canvas calls it and rebuilds it when the layout changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget
from shapely.geometry.base import BaseGeometry

from nmt_bodymap.atlas import SidedTriggerPoint
from nmt_bodymap.nerves import SidedNerve
from nmt_bodymap.render.nerve_zones import draw_branch_territory, draw_site, draw_territory, territory_colour
from nmt_bodymap.render.paths import geometry_path
from nmt_bodymap.session import PainMark
from nmt_bodymap.ui.chart_items import Z_PATTERN, GeometryItem, PatternItem, ShadeItem, geometry_bounds
from nmt_bodymap.ui.chart_scene import ChartScene

Z_HIGHLIGHT = 13  # above the marks (10) and the unexplained shading (12), below patterns (20)
Z_NERVE = Z_PATTERN
HIGHLIGHT_INK = QColor("#0b3d91")
SELECTED_INK = QColor("#b00020")

Item = TypeVar("Item", bound=QGraphicsItem)


class NerveItem(GeometryItem):
    """A nerve's skin in one view (own solid, its branches' hatched) and its sites, numbered and named.

    Placed over that view of a :class:`ChartScene`, or (``scene`` None) where the caller puts it.
    """

    def __init__(
        self, scene: ChartScene | None, view: str, sided: SidedNerve, site_px: float = 7.0, crop: QRectF | None = None
    ) -> None:
        whole, own = sided.territory.get(view), sided.own.get(view)
        self.sites = [
            (n, s.site.name.split(" (")[0], s.points[view])
            for n, s in enumerate(sided.sites, start=1)
            if view in s.points
        ]
        geoms = [g for g in (whole,) if g is not None]
        super().__init__(scene, view, geometry_bounds(geoms, [(p.x, p.y) for _n, _name, p in self.sites]))
        self.sided, self.view = sided, view
        self.site_px = site_px
        # a site's name goes toward the body's midline, or (in a cropped pane) to the side with room, cut short if need be
        self.crop = crop
        self.own = own
        branches = None if whole is None else (whole if own is None else whole.difference(own))
        self.branches = None if branches is None or branches.is_empty or branches.area < 1.0 else branches
        self._bounds = self._bounds.adjusted(-60, -10, 60, 10)  # the site names, drawn in pixels beside the discs
        self.setZValue(Z_NERVE)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.branches is not None:
            draw_branch_territory(painter, self.branches)
        if self.own is not None:
            draw_territory(painter, self.own, territory_colour(self.sided.nerve.kind), alpha=0.5)
        scale = max(abs(painter.worldTransform().m11()), 1e-6)
        font = QFont("DejaVu Sans")
        font.setPixelSize(max(6, round(self.site_px * 1.35)))
        metrics = QFontMetricsF(font)
        for number, name, p in self.sites:
            left, text = p.x > 0, name
            if self.crop is not None:
                rooms = [(p.x - self.crop.left()) * scale, (self.crop.right() - p.x) * scale]
                rooms = [max(0.0, r - self.site_px * 1.5 - 4) for r in rooms]
                width = metrics.horizontalAdvance(name)
                left = rooms[0] > rooms[1] if width > min(rooms) else p.x > self.crop.center().x()
                text = metrics.elidedText(name, Qt.TextElideMode.ElideRight, rooms[0 if left else 1])
            draw_site(painter, p.x, p.y, number, text, radius_px=self.site_px, label_left=left)


class HighlightItem(GeometryItem):
    """A mark's outline drawn thick over it: a complaint's marks (hovered tab) or a selected mark (dashed)."""

    def __init__(self, scene: ChartScene, mark: PainMark, selected: bool) -> None:
        super().__init__(scene, mark.view, geometry_bounds([mark.geometry]))
        self.mark_id = mark.id
        self.selected = selected
        self.path = geometry_path(mark.geometry)
        self.setZValue(Z_HIGHLIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        halo = QPen(QColor(255, 255, 255, 230), 5.5)
        halo.setCosmetic(True)
        painter.setPen(halo)
        painter.drawPath(self.path)
        ink = QPen(SELECTED_INK if self.selected else HIGHLIGHT_INK, 2.6)
        ink.setCosmetic(True)
        if self.selected:
            ink.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(ink)
        painter.drawPath(self.path)


class ChartOverlays:
    """The passing overlays of one canvas's scene (see the module docstring)."""

    def __init__(self, scene: ChartScene) -> None:
        self.scene = scene
        self.pattern: SidedTriggerPoint | None = None
        self.pattern_items: list[PatternItem] = []
        self.shade_items: list[ShadeItem] = []
        self.nerves: list[SidedNerve] = []
        self.nerve_items: list[NerveItem] = []
        self.highlighted: tuple[str, ...] = ()  # mark ids of the hovered complaint
        self.selected: tuple[str, ...] = ()  # mark ids the therapist selected
        self.highlight_items: list[HighlightItem] = []

    def rebuilt(self, marks: list[PainMark], unexplained: dict[str, BaseGeometry] | None) -> None:
        """The scene was cleared for another layout: add every overlay again."""
        self.pattern_items, self.shade_items, self.nerve_items, self.highlight_items = [], [], [], []
        self.show_pattern(self.pattern)
        self.show_nerves(self.nerves)
        self.show_shading(unexplained)
        self.sync_highlights(marks)

    def _clear(self, items: list[Item]) -> None:
        for item in items:
            if item.scene() is self.scene:
                self.scene.removeItem(item)
        items.clear()

    # -- a trigger point's pattern -------------------------------------------------

    def show_pattern(self, sided: SidedTriggerPoint | None) -> None:
        """Draw a trigger point's X and zones in every shown view (None clears)."""
        self._clear(self.pattern_items)
        self.pattern = sided
        if sided is None:
            return
        for view in sided.views:
            if view in self.scene.placed:
                item = PatternItem(self.scene, view, sided)
                self.scene.addItem(item)
                self.pattern_items.append(item)

    # -- the pain no candidate explains -----------------------------------------------

    def show_shading(self, unexplained: dict[str, BaseGeometry] | None) -> None:
        """Shade the unexplained pain per view (None clears)."""
        self._clear(self.shade_items)
        for view, geom in (unexplained or {}).items():
            if view in self.scene.placed and not geom.is_empty:
                item = ShadeItem(self.scene, view, geom)
                self.scene.addItem(item)
                self.shade_items.append(item)

    # -- a nerve -------------------------------------------------------------------------

    def show_nerves(self, nerves: Iterable[SidedNerve]) -> None:
        """Draw these nerves' territories and entrapment sites in every shown view (empty clears)."""
        self._clear(self.nerve_items)
        self.nerves = list(nerves)
        for sided in self.nerves:
            views = set(sided.territory) | {v for s in sided.sites for v in s.points}
            for view in views:
                if view in self.scene.placed:
                    item = NerveItem(self.scene, view, sided)
                    self.scene.addItem(item)
                    self.nerve_items.append(item)

    # -- highlighted and selected marks ---------------------------------------------------

    def set_highlighted(self, mark_ids: Iterable[str], marks: list[PainMark]) -> None:
        self.highlighted = tuple(mark_ids)
        self.sync_highlights(marks)

    def set_selected(self, mark_ids: Iterable[str], marks: list[PainMark]) -> None:
        self.selected = tuple(mark_ids)
        self.sync_highlights(marks)

    def sync_highlights(self, marks: list[PainMark]) -> None:
        """Outline the highlighted and selected marks that are shown (forgetting marks that are gone)."""
        self._clear(self.highlight_items)
        present = {m.id for m in marks}
        self.selected = tuple(m for m in self.selected if m in present)
        for mark in marks:
            if mark.view not in self.scene.placed or mark.geometry.is_empty:
                continue
            for selected in (False, True):
                if mark.id in (self.selected if selected else self.highlighted):
                    item = HighlightItem(self.scene, mark, selected)
                    self.scene.addItem(item)
                    self.highlight_items.append(item)


__all__ = ["ChartOverlays", "HighlightItem", "NerveItem"]
