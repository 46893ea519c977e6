"""A muscle's referral pattern in the atlas browser: the views where it shows, filling the pane.

Each view is cropped around the pattern; the crops share one scale and are
laid out in the grid of columns that makes them largest in the pane's
current shape (side by side in a wide pane, stacked in a tall one). The
pattern of the whole muscle, or of one trigger point alone.
:class:`CropGrid` is that layout for anything drawn on the chart's views
(the nerve pages use it too); :class:`PatternView` fills it with a pattern.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QResizeEvent, QShowEvent
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtSvgWidgets import QGraphicsSvgItem
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QWidget,
)

from nmt_bodymap.atlas import Muscle, SidedTriggerPoint
from nmt_bodymap.chart import VIEW_TITLES
from nmt_bodymap.render.sheet import crop_for
from nmt_bodymap.render.zones import pattern_bounds
from nmt_bodymap.ui.chart_items import PatternItem
from nmt_bodymap.ui.chart_scene import ChartScene
from nmt_bodymap.ui.model import SessionModel

GAP_SHARE = 0.03  # gaps between the panes, as a share of a pane's height
TITLE_SHARE = 0.055  # room for a pane's title above it, as a share of its height
MIN_CROP_MM = 260.0  # enough of the body around a small pattern to know where it is


class CropGrid(QGraphicsView):
    """Views of the chart, each cropped around what it shows, at one scale, in the grid that fills the pane.

    Subclasses say which views (:meth:`content_views`), what to frame in each
    (:meth:`content_bounds`) and what to draw over the chart there (:meth:`add_content`).
    """

    MIN_CROP_MM = MIN_CROP_MM

    def __init__(self, model: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._scene = QGraphicsScene(self)  # keep a reference: the view does not own it
        self.setScene(self._scene)
        self._renderers: dict[str, QSvgRenderer] = {}
        self.views: list[str] = []
        self.columns = 1
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def content_views(self) -> list[str]:
        raise NotImplementedError

    def content_bounds(self, view: str) -> QRectF | None:
        raise NotImplementedError

    def add_content(self, pane: QGraphicsRectItem, view: str, crop: QRectF) -> None:
        raise NotImplementedError

    def _layout(self) -> None:
        self._scene.clear()
        self.views = []
        chart = self.model.chart
        order = list(chart.views)
        self.views = sorted(self.content_views(), key=order.index)
        if not self.views:
            return
        bounds = {name: self.content_bounds(name) for name in self.views}
        cols, aspect = self._grid(len(self.views))
        self.columns = cols
        min_h = self.MIN_CROP_MM
        height = max(crop_for(chart.view(n), b, aspect, pad=40, min_h=min_h).height() for n, b in bounds.items())
        width = height * aspect
        gap, title_h = height * GAP_SHARE, height * TITLE_SHARE
        title_font = QFont()
        title_font.setPointSizeF(9)
        title_font.setBold(True)
        for i, name in enumerate(self.views):
            view = chart.view(name)
            crop = crop_for(view, bounds[name], aspect, pad=40, min_h=height)
            x = (i % cols) * (width + gap)
            y = (i // cols) * (height + gap + title_h) + title_h
            pane = QGraphicsRectItem(0, 0, crop.width(), crop.height())
            pane.setPen(QPen(QColor("#cfd6de"), 0))
            pane.setFlag(QGraphicsItem.GraphicsItemFlag.ItemClipsChildrenToShape)
            pane.setPos(x, y)
            pane.setScale(height / crop.height())  # the soles are small: shown larger, as on the chart
            self._scene.addItem(pane)
            svg = QGraphicsSvgItem(pane)
            if name not in self._renderers:
                self._renderers[name] = QSvgRenderer(str(view.svg_path), self)
            svg.setSharedRenderer(self._renderers[name])
            vx, vy, _w, _h = view.viewbox
            svg.setPos(vx - crop.x(), vy - crop.y())
            self.add_content(pane, name, crop)
            title = QGraphicsSimpleTextItem(VIEW_TITLES[name])
            title.setFont(title_font)
            title.setBrush(ChartScene.title_color())
            box = title.boundingRect()
            title.setScale(min(title_h * 0.7 / max(box.height(), 1), width / max(box.width(), 1)))
            title.setPos(x, y - title_h * 0.9)
            self._scene.addItem(title)
        rows = math.ceil(len(self.views) / cols)
        full = QRectF(0, 0, cols * width + (cols - 1) * gap, rows * (height + title_h) + (rows - 1) * gap)
        self._scene.setSceneRect(full.adjusted(-4, -4, 4, 4))
        self.fit()

    def _grid(self, n: int) -> tuple[int, float]:
        """Columns and pane aspect (width/height) that make ``n`` panes largest in this widget."""
        w, h = max(self.viewport().width(), 50), max(self.viewport().height(), 50)
        best = (0.0, 1, 0.62)
        for cols in range(1, n + 1):
            rows = math.ceil(n / cols)
            aspect = min(1.6, max(0.3, (w / cols) / (h / rows / (1 + TITLE_SHARE + GAP_SHARE))))
            # scale if each pane were 1 mm tall: limited by the width or the height of the widget
            scale = min(w / (cols * aspect + (cols - 1) * GAP_SHARE), h / (rows * (1 + TITLE_SHARE + GAP_SHARE)))
            if scale > best[0]:
                best = (scale, cols, aspect)
        return best[1], best[2]

    def fit(self) -> None:
        if self.views:
            self.fitInView(self._scene.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.views:
            self._layout()  # the grid and the crops follow the pane's shape

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._layout()

    def refresh_theme(self) -> None:
        self._layout()


class PatternView(CropGrid):
    """The pattern of a muscle (or of one of its trigger points), right side as authored."""

    def __init__(self, model: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(model, parent)
        self.muscle: Muscle | None = None
        self.trp_id: str | None = None
        self.setAccessibleName("Referral pattern")

    def patterns(self) -> list[SidedTriggerPoint]:
        if self.muscle is None:
            return []
        found = [s for s in self.model.atlas.sided_for(self.muscle.id) if s.side in ("right", "midline")]
        if not found:  # a trigger point found on the left only
            found = self.model.atlas.sided_for(self.muscle.id)
        return [s for s in found if self.trp_id is None or s.trp.id == self.trp_id]

    def show_muscle(self, muscle: Muscle | None, trp_id: str | None = None) -> None:
        """Show the pattern of ``muscle``, or only of its trigger point ``trp_id``."""
        self.muscle, self.trp_id = muscle, trp_id
        self._layout()

    def content_views(self) -> list[str]:
        return sorted({v for s in self.patterns() for v in s.views})

    def content_bounds(self, view: str) -> QRectF | None:
        patterns = self.patterns()
        geoms = [g for s in patterns for g in (s.essential.get(view), s.spillover.get(view)) if g is not None]
        points = [(s.points[view].x, s.points[view].y) for s in patterns if view in s.points]
        return pattern_bounds(geoms, points)

    def add_content(self, pane: QGraphicsRectItem, view: str, crop: QRectF) -> None:
        for sided in self.patterns():
            if view in sided.views:
                item = PatternItem(None, view, sided)
                item.setParentItem(pane)
                item.setPos(-crop.x(), -crop.y())


__all__ = ["CropGrid", "PatternView"]
