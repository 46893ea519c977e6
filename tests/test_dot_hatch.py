"""The dotted (numbness) hatch on the chart: drawn from tiles in sight, the same pixels as the whole path."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication
from shapely.geometry import Point, box

from nmt_bodymap.render.dot_tiles import DOT_RADIUS_MM, DotTiles, Tiling, dot_centres, visible_tiles
from nmt_bodymap.render.marks import hatch_path
from nmt_bodymap.session import PainMark
from nmt_bodymap.ui.chart_items import MarkItem
from tests.test_chart_canvas import pixels
from tests.ui_helpers import make_window, never_block_on_dialogs, window

__all__ = ["make_window", "never_block_on_dialogs", "window"]  # fixtures, used by name


def _grab(w, cull: bool) -> np.ndarray:
    for item in w.canvas.scene().items():
        if isinstance(item, MarkItem):
            item.cull_hatch = cull
    return pixels(w.canvas.viewport().grab().toImage())


@pytest.mark.parametrize("of_fit", [1.0, 8.0, None])  # None: the maximum zoom
def test_culled_dots_look_like_the_whole_path(qtbot, window, monkeypatch, of_fit):
    """The canvas with the dots culled to the exposed rect against the same canvas drawing every dot.

    Tolerance: one level in one channel on at most 0.01 % of the pixels. The
    whole path of a large mark overflows Qt's rasterizer pool and is
    rasterized in bands, which was seen to round a pixel's coverage by one
    level (2 pixels of 1.1 million at 800 %); a missing or extra dot changes
    dozens of pixels by far more.
    """
    view = "anterior"
    silhouette = window.model.chart.view(view).silhouette
    window.model.add_mark(PainMark("m1", view, "region", "numbness", 6, silhouette))
    canvas = window.canvas
    canvas._user_zoomed = True
    canvas._set_zoom(canvas.MAX_ZOOM if of_fit is None else canvas.fit_zoom() * of_fit)
    torso = silhouette.centroid
    canvas.centerOn(canvas._scene.to_scene(view, torso.x, torso.y))
    QApplication.processEvents()
    whole, culled = _grab(window, False), _grab(window, True)
    monkeypatch.setattr(DotTiles, "draw", lambda self, painter, visible: 0)
    undotted = _grab(window, True)
    assert (np.abs(whole - undotted).max(axis=2) > 8).sum() > 500, "the view shows dots to compare"
    diff = np.abs(whole - culled).max(axis=2)
    assert diff.max() <= 1, diff.max()
    assert (diff > 0).sum() <= diff.size // 10_000


def test_only_tiles_meeting_the_rect_are_drawn():
    """Every dot touching the rect is in a chosen tile; no chosen tile lies off the rect."""
    centres = dot_centres(box(0, 0, 500, 800), 4.5)
    tiling = Tiling.build(centres, 18.0)
    assert tiling.counts.sum() == len(centres)
    rect = (100.3, 210.0, 131.0, 233.7)
    shown = visible_tiles(tiling.bounds, rect)
    drawn = tiling.counts[shown].sum()
    touching = (
        (centres[:, 0] + DOT_RADIUS_MM >= rect[0])
        & (centres[:, 0] - DOT_RADIUS_MM <= rect[2])
        & (centres[:, 1] + DOT_RADIUS_MM >= rect[1])
        & (centres[:, 1] - DOT_RADIUS_MM <= rect[3])
    )
    inner = tiling.bounds[shown] + [DOT_RADIUS_MM, DOT_RADIUS_MM, -DOT_RADIUS_MM, -DOT_RADIUS_MM]  # centres' extent
    in_shown = (
        (centres[:, None, 0] >= inner[None, :, 0])
        & (centres[:, None, 0] <= inner[None, :, 2])
        & (centres[:, None, 1] >= inner[None, :, 1])
        & (centres[:, None, 1] <= inner[None, :, 3])
    ).any(axis=1)
    assert touching.sum() > 0
    assert in_shown[touching].all(), "a dot in sight was left out"
    assert drawn < len(centres) / 100, (drawn, len(centres))
    b = tiling.bounds[shown]
    assert ((b[:, 0] <= rect[2]) & (b[:, 2] >= rect[0]) & (b[:, 1] <= rect[3]) & (b[:, 3] >= rect[1])).all()


def test_draw_counts_the_dots_in_sight_and_exports_keep_every_dot(qtbot):
    """At high zoom a paint fills a few dozen of 19,000 dots; the export path (no visible rect) holds all."""
    disc = Point(300, 400).buffer(350)
    tiles = DotTiles(dot_centres(disc, 4.5), 4.5)
    image = QImage(400, 300, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.scale(40, 40)  # 40 px/mm: the window shows 10 × 7.5 mm
    painter.translate(-295, -395)
    visible = QRectF(295, 395, 10, 7.5)
    drawn = tiles.draw(painter, visible)
    painter.end()
    assert len(tiles.centres) > 15_000
    assert 4 <= drawn <= 30, drawn
    assert hatch_path(disc, "numbness").elementCount() == 13 * len(tiles.centres)  # every dot, 13 elements each
