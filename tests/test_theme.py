"""Themes: every text readable (WCAG AA) in light and dark, the choice remembered, nothing clipped."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QToolBar

from nmt_bodymap.ui.atlas_text import muscle_html
from nmt_bodymap.ui.theme import (
    WCAG_AA,
    contrast,
    heading_color,
    make_palette,
    muted_color,
    selection_background,
    warning_colors,
)
from tests.ui_helpers import make_window, never_block_on_dialogs, window

__all__ = ["make_window", "never_block_on_dialogs", "window"]  # fixtures, used by name

R = QPalette.ColorRole


def test_contrast_is_computed_as_wcag_defines_it():
    assert contrast(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)
    assert contrast(QColor("#777777"), QColor("#ffffff")) == pytest.approx(4.48, abs=0.01)
    assert contrast(QColor("#2f6690"), QColor("#1f2124")) < 3  # the old atlas headings on a dark page


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_every_text_the_app_draws_reaches_aa(dark):
    pal = make_palette(dark)
    pairs = {
        "window text": (pal.color(R.WindowText), pal.color(R.Window)),
        "text": (pal.color(R.Text), pal.color(R.Base)),
        "buttons": (pal.color(R.ButtonText), pal.color(R.Button)),
        "selected text": (pal.color(R.HighlightedText), pal.color(R.Highlight)),
        "placeholders": (pal.color(R.PlaceholderText), pal.color(R.Base)),
        "tooltips": (pal.color(R.ToolTipText), pal.color(R.ToolTipBase)),
        "links": (pal.color(R.Link), pal.color(R.Base)),
        "headings": (heading_color(pal), pal.color(R.Base)),
        "muted on base": (muted_color(pal), pal.color(R.Base)),
        "muted on window": (muted_color(pal), pal.color(R.Window)),
        "muted on the selected row": (muted_color(pal), selection_background(pal)),
        "text on the selected row": (pal.color(R.WindowText), selection_background(pal)),
        "rule-out notice": (warning_colors(pal)[2], warning_colors(pal)[0]),
    }
    low = {name: round(contrast(*pair), 2) for name, pair in pairs.items() if contrast(*pair) < WCAG_AA}
    assert not low, low


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_atlas_headings_read_on_the_page(qtbot, make_window, theme):
    w = make_window(theme=theme)
    pal = QApplication.palette()
    assert (pal.color(R.Base).lightness() < 128) == (theme == "dark")
    html = muscle_html(w.model.atlas.muscle("trapezius"), pal)
    colors = set(re.findall(r"<h3 style='color:(#[0-9a-f]{6})", html))
    assert colors and all(contrast(QColor(c), pal.color(R.Base)) >= WCAG_AA for c in colors), colors


def test_the_theme_is_chosen_in_the_view_menu_and_remembered(qtbot, make_window):
    w = make_window(theme="light")
    assert QApplication.palette().color(R.Base).lightness() > 128
    w.theme_actions["dark"].trigger()
    assert QApplication.palette().color(R.Base).lightness() < 128
    assert w.close()
    again = make_window()
    assert again.theme == "dark" and again.theme_actions["dark"].isChecked()
    again.theme_actions["light"].trigger()
    assert QApplication.palette().color(R.Base).lightness() > 128


def test_system_follows_the_platform(qtbot, make_window, monkeypatch):
    from nmt_bodymap.ui import theme

    monkeypatch.setattr(theme, "system_prefers_dark", lambda: True)
    assert theme.resolve("system") == "dark"
    monkeypatch.setattr(theme, "system_prefers_dark", lambda: False)
    assert theme.resolve("system") == "light"


def _rgb(image: QImage, x: int, y: int) -> np.ndarray:
    c = image.pixelColor(x, y)
    return np.array([c.red(), c.green(), c.blue()])


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_legend_swatches_look_like_the_marks(qtbot, make_window, theme):
    from nmt_bodymap.session import disc_mark

    w = make_window(theme=theme)
    chart = w.model.chart
    lm = chart.view("anterior").landmark("umbilicus", None)
    w.model.add_mark(disc_mark(chart, "m1", "anterior", lm.x, lm.y + 60, 40, "aching", 7))
    qtbot.wait(10)
    centre = w.canvas.viewport_point("anterior", lm.x, lm.y + 60).toPoint()
    on_chart = _rgb(w.canvas.viewport().grab().toImage(), centre.x(), centre.y())
    swatch = w.session_panel.swatches["aching"].pixmap().toImage()
    in_legend = _rgb(swatch, swatch.width() // 2, swatch.height() // 2)
    assert np.abs(on_chart - in_legend).max() <= 6, (on_chart, in_legend)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_at_the_default_size_nothing_is_clipped(qtbot, make_window, theme):
    w = make_window(size=None, theme=theme)  # the window's own default size
    qtbot.wait(20)
    panel = w.session_panel
    assert not panel.horizontalScrollBar().isVisible()
    body = panel.widget()
    assert body.width() <= panel.viewport().width()
    # and at its narrowest, with the vertical scroll bar shown, the fields still fit
    room = panel.minimumWidth() - panel.verticalScrollBar().sizeHint().width() - 2 * panel.frameWidth()
    assert body.minimumSizeHint().width() <= room
    legend = panel.legend
    assert legend.mapTo(body, QPoint(legend.width(), 0)).x() <= panel.viewport().width()
    for edit in (panel.name, panel.code):
        room = edit.contentsRect().width() - 8
        assert edit.fontMetrics().horizontalAdvance(edit.placeholderText()) <= room, edit.placeholderText()
    for note in panel.cause_notes.values():
        assert note.lineWrapMode() != note.LineWrapMode.NoWrap
    toolbar = w.findChild(QToolBar, "drawingToolbar")
    for act in toolbar.actions():
        if act.isSeparator():
            continue
        widget = toolbar.widgetForAction(act)
        assert widget is not None and widget.isVisible(), act.text()
        assert toolbar.rect().contains(widget.geometry()), act.text()
    assert w.zoom_label.isVisible()  # the status bar keeps its zoom read-out


def test_exports_and_atlas_sheets_do_not_follow_the_screen_theme(qtbot, make_window):
    """Paper is white: a dark theme must not turn the exported text light grey."""
    from nmt_bodymap.render.atlas_sheet import render_sheet
    from nmt_bodymap.render.export import render_png
    from nmt_bodymap.report import plan
    from tests.ui_helpers import draw_headache

    w = make_window(theme="light")
    draw_headache(qtbot, w)
    muscle = w.model.atlas.muscle("trapezius")

    def pages() -> tuple[QImage, QImage]:
        report = plan(w.model.session, w.model.atlas, w.model.result, "report", practice="Test")
        return render_png(report, dpi=40), render_sheet(muscle, dpi=40)

    light = pages()
    w.theme_actions["dark"].trigger()
    assert QApplication.palette().color(R.Base).lightness() < 128
    dark = pages()
    for a, b in zip(light, dark, strict=True):
        assert a == b
