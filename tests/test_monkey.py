"""A seeded GUI monkey on the real main window: 1,000 random events, nothing may break.

Clicks and drags on the chart with every tool, quality and intensity, wheel zoom, the app's
shortcuts, tab switches, candidate rows and their palpation menus, atlas searches, layouts and
themes (see :mod:`tests.gui_monkey`). After every event: no exception escaped, Qt printed no
warning about painting, and the model is consistent (marks inside their view's body, the undo
index in range, candidates sorted by score, the chart's items matching the marks). At the end
undoing everything gives an empty drawing and redoing everything gives the same drawing back.

Modal dialogs are made to return at once (``no_modal_dialogs``: message boxes, file dialogs,
``QDialog.exec`` and ``QMenu.exec``); the monkey does not press the keys that open them.
A failure names the seed, the event and the events before it: rerun them with
``python benchmarks/monkey.py --seed SEED --warmup 0 --events N`` (the same run).
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QPainter

from tests.gui_monkey import Monkey
from tests.monkey_checks import Watch, no_modal_dialogs, undo_redo_round_trip
from tests.ui_helpers import make_window, never_block_on_dialogs, window

__all__ = ["make_window", "never_block_on_dialogs", "window"]  # fixtures, used by name

SEED = 5
EVENTS = 1000


def test_a_thousand_random_events_break_nothing_and_undo_all_the_way(qtbot, window):
    monkey = Monkey(window, SEED)
    with no_modal_dialogs(), Watch() as watch:
        monkey.run(EVENTS, watch)

        # the run did what it is for: every kind of event, marks of every tool, erasing, palpation
        assert set(monkey.counts) >= {
            "click chart",
            "drag chart",
            "double-click chart",
            "pan chart",
            "wheel",
            "key",
            "canvas key",
            "layout",
            "tab",
            "candidate tab",
            "click candidate",
            "palpate candidate",
            "candidate menu",
            "palpate on chart",
            "atlas search",
            "atlas list",
            "theme",
        }, monkey.counts
        assert monkey.checker.tools_seen == {"point", "brush", "region"}
        assert {"Add", "Erase", "Delete", "Mark", "Clear"} <= monkey.checker.changes_seen, monkey.checker.changes_seen

        steps, problems = undo_redo_round_trip(window)
        assert problems == []
        assert steps > 50
        assert watch.take() == [] and monkey.checker.problems() == []
    assert watch.messages == [], "Qt warned during the run"


def test_the_watch_sees_exceptions_in_slots_and_painting_warnings(qtbot):
    """The monkey's detectors themselves: an exception raised in a slot and a painter misused."""
    with Watch() as watch:
        QTimer.singleShot(0, lambda: 1 / 0)
        qtbot.wait(20)
        QPainter().end()  # Qt warns: the painter is not active
        problems = watch.take()
    assert any("ZeroDivisionError" in p for p in problems), problems
    assert any("Painter not active" in p for p in problems), problems
    assert watch.take() == []
