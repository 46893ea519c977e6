"""The candidate list a therapist works in: compact rows, all candidates, rows that stay put."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QActionGroup, QImage, QPalette
from PySide6.QtWidgets import QApplication

from nmt_bodymap.session import disc_mark
from nmt_bodymap.ui.candidates_panel import PAGE
from nmt_bodymap.ui.finding_menu import finding_action
from nmt_bodymap.ui.model import WHOLE_DRAWING
from tests.ui_helpers import draw_headache, make_window, never_block_on_dialogs, window

__all__ = ["make_window", "never_block_on_dialogs", "window"]  # fixtures, used by name


def rows_in_sight(panel) -> list:
    """Rows wholly inside the visible part of the list."""
    vp = panel.list_scroll.viewport()
    seen = []
    for row in panel.rows_shown():
        top = row.mapTo(vp, QPoint(0, 0)).y()
        if top >= 0 and top + row.height() <= vp.height():
            seen.append(row)
    return seen


def row_y(panel, key: str) -> int:
    """Where a row is in the window (what stays under a still pointer)."""
    row = panel.row_for(key)
    assert row is not None and row.isVisible()
    return row.mapTo(panel.window(), QPoint(0, 0)).y()


def test_at_least_ten_candidates_are_in_sight_at_1440_by_900(qtbot, make_window):
    w = make_window(size=(1440, 900), theme="light")
    draw_headache(qtbot, w)
    assert len(w.model.result.candidates) > 12
    assert len(rows_in_sight(w.candidates)) >= 10
    first = w.candidates.rows_shown()[0]
    assert first.candidate is not None and first.candidate.muscle_name in first.title.text()


def test_every_candidate_can_be_shown(qtbot, window):
    draw_headache(qtbot, window)
    panel = window.candidates
    total = len(window.model.result.candidates)
    assert total > PAGE
    assert len(panel.rows_shown()) == PAGE and panel.more.isVisible()
    qtbot.mouseClick(panel.more, Qt.MouseButton.LeftButton)
    assert len(panel.rows_shown()) == min(total, 2 * PAGE)
    while panel.more.isVisible():
        panel.show_more()
    assert [r.key for r in panel.rows_shown()] == [c.key for c in window.model.result.candidates]


def test_the_row_just_palpated_stays_under_the_pointer(qtbot, window):
    draw_headache(qtbot, window)
    panel = window.candidates
    panel.list_scroll.verticalScrollBar().setValue(120)
    qtbot.wait(10)
    row = rows_in_sight(panel)[3]
    key, y = row.key, row_y(panel, row.key)
    rank_before = [c.key for c in window.model.result.candidates].index(key)
    finding_action(row.palpation_menu(), "not-tender").trigger()
    qtbot.wait(10)
    rank_after = [c.key for c in window.model.result.candidates].index(key)
    assert rank_after > rank_before + 2  # the list re-ranked and the row moved down the ranking...
    assert abs(row_y(panel, key) - y) <= 2  # ...yet it stays where the pointer is
    assert panel.selected == key
    moved = panel.row_for(key)
    assert moved is not None and moved.finding.text() == "Not tender"
    finding_action(moved.palpation_menu(), "active").trigger()  # now it jumps up the ranking
    qtbot.wait(10)
    rank_active = [c.key for c in window.model.result.candidates].index(key)
    assert rank_active < rank_before
    viewport = panel.list_scroll.viewport()
    top_of_list = viewport.mapTo(panel.window(), QPoint(0, 0)).y()
    assert top_of_list <= row_y(panel, key) < top_of_list + viewport.height()  # still in sight
    assert panel.selected == key


def test_undo_names_the_muscle_as_a_person_reads_it(qtbot, window):
    draw_headache(qtbot, window)
    trapezius = next(c for c in window.model.result.candidates if c.key == "trapezius/trp1:right")
    window.model.set_finding(trapezius.key, "not-tender")
    assert window.model.undo_stack.undoText() == "Mark trapezius TrP1 (right) not tender"
    window.model.set_finding(trapezius.key, None)
    assert window.model.undo_stack.undoText() == "Clear the finding of trapezius TrP1 (right)"


def test_double_click_and_context_menu_open_the_atlas_page(qtbot, window):
    draw_headache(qtbot, window)
    row = window.candidates.rows_shown()[2]
    key = row.key
    sided = window.model.sided(key)
    qtbot.mouseDClick(row, Qt.MouseButton.LeftButton)
    assert window.tabs.currentIndex() == 1
    browser = window.atlas_browser
    assert browser.current is not None and browser.current.id == sided.muscle.id
    if len(sided.muscle.trigger_points) > 1:
        assert browser.trps.current_trp() == sided.trp.id
        assert {s.trp.id for s in browser.pattern.patterns()} == {sided.trp.id}
    window.tabs.setCurrentIndex(0)
    menu = window.candidates.rows_shown()[0].context_menu()
    texts = [a.text().replace("&", "") for a in menu.actions()]
    assert "Open in the atlas" in texts and "Active" in texts
    next(a for a in menu.actions() if a.text().replace("&", "") == "Open in the atlas").trigger()
    assert window.tabs.currentIndex() == 1
    assert browser.current.id == window.model.result.candidates[0].muscle


def test_nerve_entrapments_have_their_own_tab(qtbot, window):
    panel = window.candidates
    assert not panel.sections.isTabEnabled(1)
    draw_headache(qtbot, window)
    assert not panel.sections.isTabEnabled(1)  # aching only: no entrapment
    chart = window.model.chart
    thumb = chart.view("anterior").landmark("thenar", "right")
    window.model.add_mark(disc_mark(chart, "m9", "anterior", thumb.x, thumb.y, 20, "tingling", 6))
    assert window.model.result.entrapments
    assert panel.sections.isTabEnabled(1)
    assert f"({len(window.model.result.entrapments)})" in panel.sections.tabText(1)
    panel.sections.setCurrentIndex(1)
    assert window.model.result.entrapments[0].nerve in panel.entrapment_list.text()


def test_the_panel_shows_any_list_of_named_results(qtbot, window, monkeypatch):
    draw_headache(qtbot, window)
    panel = window.candidates
    assert panel.list_tabs.isHidden()  # one list today: no tabs
    whole = window.model.result
    empty = window.model.engine.rank([])
    lists = [(WHOLE_DRAWING, whole), ("Right thumb tingling", empty)]
    monkeypatch.setattr(window.model, "result_lists", lambda: lists)
    panel.set_lists(lists)
    assert not panel.list_tabs.isHidden()
    assert [panel.list_tabs.tabText(i) for i in range(2)] == [WHOLE_DRAWING, "Right thumb tingling"]
    panel.list_tabs.setCurrentIndex(1)
    assert panel.rows_shown() == [] and panel.empty.isVisible()
    window.model.rerank(immediately=True)  # a new ranking keeps the chosen list
    assert panel.list_tabs.currentIndex() == 1
    panel.list_tabs.setCurrentIndex(0)
    assert [r.key for r in panel.rows_shown()][:3] == [c.key for c in whole.candidates[:3]]


def test_the_score_never_sits_on_the_bar(qtbot, window):
    draw_headache(qtbot, window)
    bar = window.candidates.rows_shown()[0].score
    assert bar.share == 1.0  # the best candidate fills its bar
    image = bar.grab().toImage().convertToFormat(QImage.Format.Format_RGBX8888)
    px = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine() // 4, 4)
    px = px[: image.height(), : image.width(), :3].astype(int)
    fill = bar.palette().color(QPalette.ColorRole.Highlight)
    is_fill = np.abs(px - np.array([fill.red(), fill.green(), fill.blue()])).max(axis=2) < 12
    number_w = round(28 * image.width() / bar.width())
    assert is_fill[:, number_w:].sum() > 20  # the bar is drawn...
    assert is_fill[:, :number_w].sum() == 0  # ...and never under the number


def test_a_palpation_menu_opened_again_and_again_does_not_grow(qtbot, window):
    """Found by the monkey's memory figures: every opening of a row's menu left an action group in it."""
    draw_headache(qtbot, window)
    row = window.candidates.rows_shown()[0]
    for _ in range(5):
        menu = row.palpation_menu()  # what opening the menu does
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert len(menu.findChildren(QActionGroup)) == 1
    assert len([a for a in menu.actions() if a.isCheckable()]) == 4
    finding_action(menu, "latent").trigger()
    finding_action(menu, "active").trigger()  # the findings still exclude each other
    assert [a.data() for a in row.palpation_menu().actions() if a.isChecked()] == ["active"]
