"""The atlas browser: results by relevance, findings for any trigger point, one trigger point alone."""

from __future__ import annotations

from PySide6.QtCore import Qt

from nmt_bodymap.atlas.search import AtlasSearch
from nmt_bodymap.ui.finding_menu import finding_action
from tests.ui_helpers import make_window, never_block_on_dialogs, window

__all__ = ["make_window", "never_block_on_dialogs", "window"]  # fixtures, used by name


def test_results_are_listed_by_relevance_not_by_region(qtbot, window):
    browser = window.atlas_browser
    window.tabs.setCurrentIndex(1)
    qtbot.keyClicks(browser.search, "heel pain")
    shown = browser.shown()
    expected = [h.muscle for h in AtlasSearch(window.model.atlas, window.model.chart).search("heel pain")]
    assert shown == expected and shown
    atlas = window.model.atlas
    assert all(atlas.muscle(m).group != "arm-hand" for m in shown)
    assert browser.current is not None and browser.current.id == shown[0]
    browser.search.clear()
    qtbot.keyClicks(browser.search, "temple")
    shown = browser.shown()
    assert shown[0] == "temporalis" and shown.index("trapezius") < shown.index("masseter")
    names = [atlas.muscle(m).name for m in shown]
    assert names != sorted(names)  # by relevance, not alphabetically
    browser.search.clear()
    assert browser.shown() == list(atlas.muscles)  # no query: every muscle, by region


def test_a_finding_for_a_trigger_point_that_is_not_a_candidate(qtbot, window):
    assert window.model.result.candidates == []  # nothing drawn: no candidates at all
    browser = window.atlas_browser
    window.tabs.setCurrentIndex(1)
    browser.select("soleus")
    key = "soleus/trp1:left"
    assert key in browser.trps.buttons
    finding_action(browser.trps.palpation_menu(key), "active").trigger()
    assert window.model.session.findings == {key: "active"}
    assert window.model.undo_stack.undoText() == "Mark soleus TrP1 (left) active"
    assert browser.trps.buttons[key].text() == "Active"
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.model.session.findings == {}
    assert browser.trps.buttons[key].text() == "Palpate…"


def test_each_trigger_point_can_be_shown_alone(qtbot, window):
    browser = window.atlas_browser
    window.tabs.setCurrentIndex(1)
    browser.select("temporalis")
    assert {s.trp.id for s in browser.pattern.patterns()} == {"trp1", "trp2", "trp3", "trp4"}
    items = browser.pattern.scene().items()
    browser.trps.select_trp("trp2")
    assert {s.trp.id for s in browser.pattern.patterns()} == {"trp2"}
    assert len(browser.pattern.scene().items()) < len(items)
    browser.trps.select_trp("")
    assert len(browser.pattern.patterns()) == 4


def test_rule_out_first_and_prevalence_are_shown(qtbot, window):
    browser = window.atlas_browser
    window.tabs.setCurrentIndex(1)
    browser.select("pectoralis-major")
    muscle = window.model.atlas.muscle("pectoralis-major")
    assert muscle.rule_out and browser.rule_out.isVisible()
    assert muscle.rule_out[0].condition in browser.rule_out.text()
    text = browser.text.toPlainText()
    assert text.index("Rule out first") < text.index("Referral pattern")
    assert muscle.rule_out[0].signs[:40] in text
    browser.select("supinator")
    assert not browser.rule_out.isVisible()
    browser.select("trapezius")
    row = next(
        browser.trps.topLevelItem(i)
        for i in range(browser.trps.topLevelItemCount())
        if browser.trps.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole) == "trp1"
    )
    assert row.text(1) == "very common"
    assert "A very common trigger point" in browser.text.toPlainText()


def test_long_names_are_elided_and_never_squeeze_the_panels(qtbot, make_window):
    w = make_window(size=(1440, 900), theme="light")
    w.tabs.setCurrentIndex(1)
    browser = w.atlas_browser
    browser.select("supinator")
    qtbot.wait(10)
    dock_w, min_w = w.session_dock.width(), browser.minimumSizeHint().width()
    longest = max(w.model.atlas.muscles.values(), key=lambda m: len(m.name))
    browser.select(longest.id)
    qtbot.wait(10)
    assert (w.session_dock.width(), browser.minimumSizeHint().width()) == (dock_w, min_w)
    assert browser.title.minimumSizeHint().width() < 100
    assert browser.title.text() == longest.name and browser.title.toolTip() == longest.name
