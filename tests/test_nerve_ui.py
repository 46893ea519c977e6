"""Nerves in the app: the layer under the chart, the nerve results of a list, and the atlas's Nerves section."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
from PySide6.QtGui import QImage

from nmt_bodymap.lookup import LookupResult
from nmt_bodymap.session import disc_mark
from nmt_bodymap.ui.chart_items import Z_MARKS
from nmt_bodymap.ui.main_window import MainWindow
from nmt_bodymap.ui.nerve_layer import NerveLayerItem, short_name
from nmt_bodymap.ui.nerve_page import NerveFigure
from nmt_bodymap.ui.nerve_results import NerveResults
from tests.ui_helpers import make_window, never_block_on_dialogs, window

__all__ = ["make_window", "never_block_on_dialogs", "window"]  # fixtures, used by name


def pixels(w: MainWindow) -> np.ndarray:
    image = w.canvas.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGBX8888)
    px = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine() // 4, 4)
    return px[: image.height(), : image.width(), :3].astype(int)


def disc_pixels(w: MainWindow, landmark: str, side: str, radius_mm: float) -> tuple[np.ndarray, np.ndarray]:
    """Row and column indices of the viewport pixels within ``radius_mm`` of a landmark (anterior view)."""
    lm = w.model.chart.view("anterior").landmark(landmark, side)
    centre = w.canvas.viewport_point("anterior", lm.x, lm.y)
    edge = w.canvas.viewport_point("anterior", lm.x + radius_mm, lm.y)
    r = edge.x() - centre.x()
    h, wd = w.canvas.viewport().height(), w.canvas.viewport().width()
    yy, xx = np.mgrid[0:h, 0:wd]
    inside = (xx - centre.x()) ** 2 + (yy - centre.y()) ** 2 <= r * r
    return np.nonzero(inside)


def test_the_dermatome_layer_draws_labelled_territories_under_the_marks(qtbot, window):
    chart = window.model.chart
    thigh = chart.view("anterior").landmark("front-of-thigh", "right")
    window.model.add_mark(disc_mark(chart, "m1", "anterior", thigh.x, thigh.y, 30, "aching", 10))
    qtbot.wait(20)
    before = pixels(window)
    window.set_nerve_layer("dermatomes")
    qtbot.wait(20)
    after = pixels(window)
    items = window.nerve_layer.items
    assert {i.view for i in items} == {"anterior", "posterior"}
    assert all(isinstance(i, NerveLayerItem) and i.zValue() < Z_MARKS for i in items)
    labels = {label for i in items for label in i.labels_drawn}
    assert {"C6", "T4", "L3", "S1"} <= labels
    change = np.abs(after - before).sum(axis=2)
    under_mark = change[disc_pixels(window, "front-of-thigh", "right", 18)].mean()
    bare_thigh = change[disc_pixels(window, "front-of-thigh", "left", 18)].mean()
    assert bare_thigh > 8  # the layer shows on the skin...
    assert under_mark < 0.4 * bare_thigh  # ...and the mark stays on top of it
    window.set_nerve_layer("none")
    qtbot.wait(20)
    assert window.nerve_layer.items == []
    assert np.abs(pixels(window) - before).max() <= 2


def test_the_peripheral_layer_names_the_nerves_and_the_status_bar_says_what_is_under_the_pointer(qtbot, window):
    window.set_nerve_layer("peripheral")
    qtbot.wait(20)
    labels = {label for i in window.nerve_layer.items for label in i.labels_drawn}
    assert {"Radial", "Supraclavicular", "Saphenous"} <= labels
    assert "Palmar median" not in labels  # too small to name at this zoom...
    window.canvas.zoom_to_part("hands")
    qtbot.wait(20)
    labels = {label for i in window.nerve_layer.items for label in i.labels_drawn}
    assert {"Median", "Palmar median"} <= labels  # ...named once zoomed in
    window.set_layout("all")  # every view, the soles too
    qtbot.wait(20)
    assert {i.view for i in window.nerve_layer.items} == {
        "anterior",
        "posterior",
        "right-lateral",
        "left-lateral",
        "plantar",
    }
    thumb = window.model.chart.view("anterior").landmark("thenar", "right")
    assert "Palmar cutaneous branch of the median nerve (right)" in window.nerve_layer.describe(
        "anterior", thumb.x, thumb.y
    )
    window.set_nerve_layer("dermatomes")
    assert "C6 dermatome (right)" in window.nerve_layer.describe("anterior", thumb.x, thumb.y)
    nerves = window.model.nerve_atlas()
    assert short_name(nerves.by_key()["lateral-femoral-cutaneous:right"]) == "Lat. femoral cut."


def test_the_nerve_layer_is_remembered(qtbot, make_window):
    first = make_window(theme="light")
    assert first.nerve_layer.kind == "none"
    first.nerve_layer_actions["peripheral"].trigger()
    assert first.nerve_layer.kind == "peripheral"
    first.close()
    second = make_window(theme="light")
    assert second.nerve_layer.kind == "peripheral"
    assert second.nerve_layer_actions["peripheral"].isChecked()
    second.act_next_nerve_layer.trigger()  # N: the next layer
    assert second.nerve_layer.kind == "none"


@dataclass(frozen=True)
class Site:
    name: str


@dataclass(frozen=True)
class NerveScore:
    """A nerve result shaped like the lookup's ``--json`` "nerves" entries."""

    id: str
    name: str
    kind: str
    side: str
    score: float
    explains_fraction: float
    entrapment_sites: tuple[Site, ...] = ()


class WithNerves:
    nerves = (
        NerveScore("median", "Median nerve", "peripheral", "right", 40.0, 0.9, (Site("Carpal tunnel"),)),
        NerveScore("c6", "C6 dermatome", "dermatome", "right", 20.0, 0.7),
    )
    differential = "Fits the median nerve territory better than the C6 dermatome: the little finger is spared."


def test_the_nerve_section_shows_only_when_the_result_has_nerves(qtbot, window):
    section = NerveResults(window.model.nerve_atlas)
    qtbot.addWidget(section)
    assert section.show_result(object()) == 0 and section.isHidden()
    assert section.show_result(WithNerves()) == 2
    section.show()
    assert "little finger is spared" in section.differential.text()
    assert "Median nerve" in section.rows[0].label.text() and "Carpal tunnel" in section.rows[0].label.text()
    assert "90 %" in section.rows[0].label.text()


def test_hovering_a_nerve_shows_its_territory_and_entrapment_sites(qtbot, window):
    panel = window.candidates
    panel.nerve_results.show_result(WithNerves())
    median = panel.nerve_results.rows[0]
    median.hovered.emit(median.item)
    items = window.canvas.overlays.nerve_items
    assert items and {i.sided.key for i in items} == {"median:right"}
    sites = [name for i in items for _n, name, _p in i.sites]
    assert "Carpal tunnel" in sites and "Pronator teres" in sites
    median.unhovered.emit(median.item)
    assert window.canvas.overlays.nerve_items == []
    opened: list[str] = []
    panel.nerveAtlasRequested.connect(opened.append)
    median.mouseDoubleClickEvent(None)  # type: ignore[arg-type]
    assert opened == ["median"]
    assert window.atlas_browser.nerves.page.nerve is not None
    assert window.atlas_browser.nerves.page.nerve.id == "median"


@pytest.mark.skipif(not hasattr(LookupResult, "nerves"), reason="the lookup does not score nerves yet (helper N5)")
def test_thumb_and_index_tingling_lists_the_median_nerve(qtbot, window):
    chart = window.model.chart
    thumb = chart.view("anterior").landmark("index-finger", "right")
    window.model.add_mark(disc_mark(chart, "m1", "anterior", thumb.x, thumb.y, 15, "tingling", 6))
    qtbot.wait(10)
    section = window.candidates.nerve_results
    assert section.rows and not section.isHidden()
    assert "median" in [r.nerve_id for r in section.rows]


def test_the_atlas_nerves_section_searches_and_shows_a_nerve_sheet(qtbot, window):
    window.open_nerve_in_atlas("median")
    browser = window.atlas_browser
    assert window.tabs.currentIndex() == 1 and browser.section == "nerves"
    page = browser.nerves.page
    assert page.title.text() == "Median nerve"
    assert "roots C6–T1" in page.subtitle.text()
    figure = page.figure
    assert isinstance(figure, NerveFigure) and {"anterior", "posterior"} <= set(figure.views)
    drawn = [i for i in figure.scene().items() if type(i).__name__ == "NerveItem"]
    assert drawn and any(i.sites for i in drawn)
    text = page.text.toPlainText()
    for words in ("Rule out first", "Roots C6, C7, C8, T1", "Carpal tunnel", "Phalen", "Felt", "Muscles it supplies"):
        assert words in text
    assert not page.rule_out.isHidden()
    # the search: by entrapment site and by level
    browser.nerves.search.setText("carpal tunnel")
    assert browser.nerves.shown()[0] == "median"
    browser.nerves.search.setText("L5")
    found = browser.nerves.shown()
    assert found[0] == "l5" and {"common-fibular", "deep-fibular"} <= set(found)
    assert page.title.text() == "L5 dermatome"  # the best match is shown
    assert "Where to test it" in page.text.toPlainText()
    browser.nerves.search.clear()
    assert len(browser.nerves.shown()) == len(window.model.nerve_atlas().nerves)
    # muscles again: the trigger point of a candidate opens the muscle section
    key = next(iter(window.model.atlas.by_key()))
    window.open_in_atlas(key)
    assert browser.section == "muscles"
