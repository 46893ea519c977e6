"""A seeded GUI monkey: random clicks, drags, keys, wheel and tab switches on the real main window.

:class:`Monkey` drives a :class:`~nmt_bodymap.ui.main_window.MainWindow` the way an impatient user
would, with events chosen by a seeded :class:`random.Random` (the same seed gives the same run),
and after every event checks that no exception escaped, that Qt printed no warning about painting
and that the model is still consistent (:mod:`tests.monkey_checks`). ``tests/test_monkey.py`` runs
it for 1,000 events; ``benchmarks/monkey.py`` for longer, measuring speed and memory.

Modal dialogs would stop the run: run it inside :func:`~tests.monkey_checks.no_modal_dialogs`
(the monkey never presses the keys that open one; that is the safety net). Menus are never
shown modally either: the monkey fills a menu, triggers one of its actions, as choosing it
would, and closes it.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QAction, QCursor, QEnterEvent, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu, QTabBar, QWidget

from nmt_bodymap.ui.candidate_row import CandidateRow
from nmt_bodymap.ui.chart_canvas import Tool
from nmt_bodymap.ui.main_window import MainWindow
from tests.monkey_checks import ModelChecker, MonkeyFailure, Watch

Key = Qt.Key
Mod = Qt.KeyboardModifier
LEFT = Qt.MouseButton.LeftButton
#: Above this many marks the monkey sometimes clears the drawing, so rankings stay quick.
MARKS_KEPT = 20
#: Zoomed in this far (percent of fit), the wheel mostly zooms out: painting at 4,000 % is slow
#: (each hatch dot a large ellipse), and a user does not stay there for hundreds of events.
ZOOMED_IN = 600
#: Words typed into the atlas search (and some nonsense).
SEARCH_WORDS = ("epicondyle", "headache", "heel pain", "tennis elbow", "sciatica", "trap", "masseter", "zzq", "")

#: Shortcuts of the app the monkey presses (never those that open a dialog, quit or start a new session).
SHORTCUT_KEYS: list[tuple[Key, Mod]] = [
    *[(k, Mod.NoModifier) for k in (Key.Key_P, Key.Key_B, Key.Key_R, Key.Key_E)],  # tools
    *[(k, Mod.NoModifier) for k in (Key.Key_1, Key.Key_2, Key.Key_3, Key.Key_4, Key.Key_5, Key.Key_6)],
    *[(k, Mod.NoModifier) for k in (Key.Key_BracketLeft, Key.Key_BracketRight, Key.Key_Comma, Key.Key_Period)],
    (Key.Key_Z, Mod.ControlModifier),
    (Key.Key_Z, Mod.ControlModifier | Mod.ShiftModifier),
    (Key.Key_Y, Mod.ControlModifier),
    (Key.Key_H, Mod.NoModifier),
    (Key.Key_H, Mod.ShiftModifier),
    (Key.Key_F, Mod.NoModifier),
    (Key.Key_U, Mod.NoModifier),
    (Key.Key_Plus, Mod.ControlModifier),
    (Key.Key_Minus, Mod.ControlModifier),
    (Key.Key_0, Mod.ControlModifier),
    (Key.Key_F2, Mod.NoModifier),
    (Key.Key_F3, Mod.NoModifier),
]
LAYOUT_KEYS = [Key.Key_1, Key.Key_2, Key.Key_3, Key.Key_4, Key.Key_5]  # with Ctrl; Ctrl+5 is not bound
CANVAS_KEYS = [Key.Key_Delete, Key.Key_Backspace, Key.Key_Left, Key.Key_Right, Key.Key_Up, Key.Key_Down]


class Monkey:
    """Random user events on a main window, reproducible from ``seed``."""

    def __init__(self, window: MainWindow, seed: int, marks_kept: int = MARKS_KEPT) -> None:
        self.w = window
        self.marks_kept = marks_kept
        self.seed = seed
        self.rng = random.Random(seed)
        self.recent: deque[str] = deque(maxlen=25)
        self.done = 0  # events sent so far
        self.counts: dict[str, int] = {}
        self.checker = ModelChecker(window)
        self.events: list[tuple[int, Callable[[], str]]] = [
            (18, self.click_chart),
            (12, self.drag_chart),
            (2, self.double_click_chart),
            (3, self.pan_chart),
            (7, self.wheel_chart),
            (16, self.press_shortcut),
            (6, self.press_canvas_key),
            (2, self.switch_layout),
            (2, self.switch_tab),
            (3, self.switch_candidate_tab),
            (5, self.click_candidate),
            (5, self.palpate_candidate),
            (2, self.candidate_context_menu),
            (3, self.hover_candidate),
            (2, self.palpate_on_chart),
            (1, self.show_more_candidates),
            (2, self.search_atlas),
            (1, self.click_atlas_list),
            (1, self.change_theme),
        ]
        self._weights = [w for w, _ in self.events]

    # -- running ---------------------------------------------------------------------

    def run(self, events: int, watch: Watch, stop: bool = True) -> list[MonkeyFailure]:
        """Send ``events`` random events, checking after each.

        The first problem raises :class:`MonkeyFailure`; with ``stop`` false every problem is
        collected and returned, and the run goes on.
        """
        found: list[MonkeyFailure] = []
        for _ in range(events):
            i = self.done
            what = self.step()
            self.done += 1
            self.recent.append(f"{i}: {what}")
            QApplication.processEvents()
            # as the event loop would: processEvents() alone never deletes what deleteLater() was called on
            QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            problems = watch.take() + self.checker.problems()
            if problems:
                failure = MonkeyFailure(self.seed, i, problems, list(self.recent))
                if stop:
                    raise failure
                found.append(failure)
        return found

    def step(self) -> str:
        if len(self.w.model.session.marks) > self.marks_kept and self.rng.random() < 0.25:
            self._chart_tab()
            self.w.act_clear.trigger()  # Edit → Clear drawing
            return self._count("clear drawing")
        (event,) = self.rng.choices([e for _, e in self.events], weights=self._weights)
        what = event()
        self._close_popups()
        return self._count(what)

    def _count(self, what: str) -> str:
        name = what.split(" (")[0].split(":")[0]
        self.counts[name] = self.counts.get(name, 0) + 1
        return what

    def _close_popups(self) -> None:
        """A click elsewhere closes an open menu (and activates the window again)."""
        while (popup := QApplication.activePopupWidget()) is not None:
            popup.close()
            QApplication.processEvents()
        if QApplication.activeWindow() is not self.w:
            # the off-screen platform leaves no window active once a popup has closed, and shortcuts
            # then go nowhere; on a desktop the window manager gives the activation back
            self.w.activateWindow()
            QApplication.processEvents()

    # -- where --------------------------------------------------------------------------

    def _chart_tab(self) -> None:
        if self.w.tabs.currentIndex() != 0:
            self._click_tab(self.w.tabs.tabBar(), 0)

    def _click_tab(self, bar: QTabBar, index: int) -> None:
        QTest.mouseClick(bar, LEFT, Mod.NoModifier, bar.tabRect(index).center())

    def _canvas_pos(self) -> QPoint:
        """A viewport point, mostly over the body of a shown view."""
        canvas = self.w.canvas
        rect = canvas.viewport().rect()
        placed = list(canvas._scene.placed)
        if placed and self.rng.random() < 0.8:
            view = self.rng.choice(placed)
            minx, miny, maxx, maxy = self.w.model.chart.view(view).silhouette.bounds
            at = canvas.viewport_point(view, self.rng.uniform(minx, maxx), self.rng.uniform(miny, maxy)).toPoint()
            if rect.contains(at):
                return at
        return QPoint(self.rng.randrange(rect.width()), self.rng.randrange(rect.height()))

    def _mark_pos(self) -> QPoint | None:
        """A viewport point on a mark shown (where a user aims to erase or delete), if any."""
        canvas = self.w.canvas
        shown = [m for m in self.w.model.session.marks if m.view in canvas._scene.placed]
        if not shown:
            return None
        mark = self.rng.choice(shown)
        inside = mark.geometry.representative_point()
        at = canvas.viewport_point(mark.view, inside.x, inside.y).toPoint()
        return at if canvas.viewport().rect().contains(at) else None

    def _path(self, start: QPoint, steps: int) -> list[QPoint]:
        rect: QRect = self.w.canvas.viewport().rect()
        points = [start]
        for _ in range(steps):
            last = points[-1]
            x = min(max(last.x() + self.rng.randint(-40, 40), 0), rect.width() - 1)
            y = min(max(last.y() + self.rng.randint(-40, 40), 0), rect.height() - 1)
            points.append(QPoint(x, y))
        return points

    # -- the chart ----------------------------------------------------------------------

    def _pick_tool(self) -> Tool:
        if self.rng.random() < 0.3:
            tool = self.rng.choice(list(Tool))
            self.w.tool_actions[tool].trigger()  # the toolbar button
        return self.w.canvas.tool

    def click_chart(self) -> str:
        self._chart_tab()
        tool = self._pick_tool()
        pos = self._canvas_pos()
        QTest.mouseClick(self.w.canvas.viewport(), LEFT, Mod.NoModifier, pos)
        return f"click chart ({tool.value} at {pos.x()},{pos.y()})"

    def drag_chart(self) -> str:
        self._chart_tab()
        tool = self._pick_tool()
        vp = self.w.canvas.viewport()
        aimed = tool == Tool.ERASER and self.rng.random() < 0.7  # erasing starts on a mark
        start = (self._mark_pos() if aimed else None) or self._canvas_pos()
        points = self._path(start, self.rng.randint(1, 12))
        QTest.mousePress(vp, LEFT, Mod.NoModifier, points[0])
        for p in points[1:]:
            QTest.mouseMove(vp, p)
        QTest.mouseRelease(vp, LEFT, Mod.NoModifier, points[-1])
        return f"drag chart ({tool.value}, {len(points)} points from {points[0].x()},{points[0].y()})"

    def double_click_chart(self) -> str:
        self._chart_tab()
        pos = self._canvas_pos()
        vp = self.w.canvas.viewport()
        # what a widget receives: press, release, double-click, release (QTest's mouseDClick sends the third)
        QTest.mouseClick(vp, LEFT, Mod.NoModifier, pos)
        QTest.mouseDClick(vp, LEFT, Mod.NoModifier, pos)
        QTest.mouseRelease(vp, LEFT, Mod.NoModifier, pos)
        return f"double-click chart (at {pos.x()},{pos.y()})"

    def pan_chart(self) -> str:
        self._chart_tab()
        canvas = self.w.canvas
        vp = canvas.viewport()
        points = self._path(self._canvas_pos(), self.rng.randint(1, 6))
        how = self.rng.choice(("right", "middle", "space"))
        button = {"right": Qt.MouseButton.RightButton, "middle": Qt.MouseButton.MiddleButton, "space": LEFT}[how]
        if how == "space":
            canvas.setFocus()
            QTest.keyPress(canvas, Key.Key_Space)
        QTest.mousePress(vp, button, Mod.NoModifier, points[0])
        for p in points[1:]:
            QTest.mouseMove(vp, p)
        QTest.mouseRelease(vp, button, Mod.NoModifier, points[-1])
        if how == "space":
            QTest.keyRelease(canvas, Key.Key_Space)
        return f"pan chart ({how} drag)"

    def wheel_chart(self) -> str:
        self._chart_tab()
        vp = self.w.canvas.viewport()
        pos = QPointF(self._canvas_pos())
        clicks = self.rng.choice((-3, -2, -1, 1, 1, 2, 3))
        if self.w.canvas.zoom_percent() > ZOOMED_IN and self.rng.random() < 0.7:
            clicks = -abs(clicks)  # many events zoom in (double-click, H, F, Ctrl++): come back out too
        mods = Mod.ShiftModifier if self.rng.random() < 0.15 else Mod.NoModifier
        event = QWheelEvent(
            pos,
            QPointF(vp.mapToGlobal(pos.toPoint())),
            QPoint(),
            QPoint(0, 120 * clicks),
            Qt.MouseButton.NoButton,
            mods,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(vp, event)
        return f"wheel ({clicks:+d}{' shift' if mods != Mod.NoModifier else ''})"

    def press_canvas_key(self) -> str:
        """Delete with the pointer over the chart, or an arrow key."""
        self._chart_tab()
        canvas = self.w.canvas
        key = self.rng.choice(CANVAS_KEYS)
        aimed = key in (Key.Key_Delete, Key.Key_Backspace) and self.rng.random() < 0.7
        pos = (self._mark_pos() if aimed else None) or self._canvas_pos()
        QCursor.setPos(canvas.viewport().mapToGlobal(pos))
        canvas.setFocus()
        QTest.keyClick(canvas, key)
        return f"canvas key ({key_name(key)})"

    def palpate_on_chart(self) -> str:
        """Click the X of the pattern shown, and choose a finding from its menu."""
        self._chart_tab()
        canvas = self.w.canvas
        sided = canvas.pattern
        if sided is None:
            return self.click_candidate()
        views = [v for v in sided.points if v in canvas._scene.placed]
        if not views:
            return "palpate on chart skipped (X not in the views shown)"
        view = self.rng.choice(views)
        point = sided.points[view]
        at = canvas.viewport_point(view, point.x, point.y).toPoint()
        if not canvas.viewport().rect().contains(at):  # pan to it, as a user would
            canvas.centerOn(canvas._scene.to_scene(view, point.x, point.y))
            at = canvas.viewport_point(view, point.x, point.y).toPoint()
        if not canvas.viewport().rect().contains(at):
            return "palpate on chart skipped (X out of sight)"
        QTest.mouseClick(canvas.viewport(), LEFT, Mod.NoModifier, at)
        menu = canvas.finding_menu
        if menu is None or QApplication.activePopupWidget() is not menu:
            return "palpate on chart skipped (no menu)"
        return "palpate on chart: " + self._choose(menu)

    # -- keys ---------------------------------------------------------------------------

    def _key_target(self) -> QWidget:
        focus = QApplication.focusWidget()
        return focus if focus is not None and focus.window() is self.w and focus.isVisible() else self.w

    def press_shortcut(self) -> str:
        key, mods = self.rng.choice(SHORTCUT_KEYS)
        target = self._key_target()
        QTest.keyClick(target, key, mods)
        return f"key ({key_name(key, mods)} to {type(target).__name__})"

    def switch_layout(self) -> str:
        key = self.rng.choice(LAYOUT_KEYS)
        QTest.keyClick(self._key_target(), key, Mod.ControlModifier)
        return f"layout (Ctrl+{key_name(key)})"

    # -- tabs, candidates, atlas ----------------------------------------------------------

    def switch_tab(self) -> str:
        index = self.rng.randrange(self.w.tabs.count())
        self._click_tab(self.w.tabs.tabBar(), index)
        return f"tab ({self.w.tabs.tabText(index)})"

    def switch_candidate_tab(self) -> str:
        self._chart_tab()
        bar = self.w.candidates.sections.tabBar()
        index = self.rng.randrange(bar.count())
        self._click_tab(bar, index)
        return f"candidate tab ({bar.tabText(index)})"

    def _row(self) -> CandidateRow | None:
        self._chart_tab()
        panel = self.w.candidates
        if panel.sections.currentIndex() != 0:
            self._click_tab(panel.sections.tabBar(), 0)
        rows = panel.rows_shown()
        return self.rng.choice(rows) if rows else None

    def click_candidate(self) -> str:
        row = self._row()
        if row is None:
            return "click candidate skipped (none listed)"
        if self.rng.random() < 0.15:
            centre = row.rect().center()  # its atlas page
            QTest.mouseClick(row, LEFT, Mod.NoModifier, centre)
            QTest.mouseDClick(row, LEFT, Mod.NoModifier, centre)
            QTest.mouseRelease(row, LEFT, Mod.NoModifier, centre)
            return f"double-click candidate ({row.key})"
        QTest.mouseClick(row, LEFT, Mod.NoModifier, row.rect().center())
        return f"click candidate ({row.key})"

    def palpate_candidate(self) -> str:
        row = self._row()
        if row is None:
            return "palpate candidate skipped (none listed)"
        menu = row.palpation_menu()
        return f"palpate candidate ({row.key}): " + self._choose(menu)

    def candidate_context_menu(self) -> str:
        row = self._row()
        if row is None:
            return "candidate menu skipped (none listed)"
        menu = row.context_menu()
        try:
            return f"candidate menu ({row.key}): " + self._choose(menu)
        finally:
            menu.deleteLater()

    def hover_candidate(self) -> str:
        row = self._row()
        if row is None:
            return "hover candidate skipped (none listed)"
        centre = QPointF(row.rect().center())
        QApplication.sendEvent(row, QEnterEvent(centre, centre, QPointF(row.mapToGlobal(centre.toPoint()))))
        QApplication.processEvents()
        QApplication.sendEvent(row, QEvent(QEvent.Type.Leave))
        return f"hover candidate ({row.key})"

    def show_more_candidates(self) -> str:
        self._chart_tab()
        more = self.w.candidates.more
        if not more.isVisible():
            return "show more skipped (not offered)"
        QTest.mouseClick(more, LEFT)
        return "show more"

    def _choose(self, menu: QMenu) -> str:
        actions = [a for a in menu.actions() if a.isEnabled() and not a.isSeparator() and a.menu() is None]
        if not actions:
            return "(nothing to choose)"
        act: QAction = self.rng.choice(actions)
        act.trigger()
        return act.text().replace("&", "")

    def _atlas_tab(self) -> None:
        if self.w.tabs.currentIndex() != 1:
            self._click_tab(self.w.tabs.tabBar(), 1)

    def search_atlas(self) -> str:
        self._atlas_tab()
        search = self.w.atlas_browser.search
        word = self.rng.choice(SEARCH_WORDS)
        search.setFocus()
        QTest.keyClick(search, Key.Key_A, Mod.ControlModifier)
        QTest.keyClick(search, Key.Key_Backspace)
        typed = self.rng.randint(1, 3)
        QTest.keyClicks(search, word[:typed])  # each letter searches again: type a few, paste the rest
        if word[typed:]:
            QApplication.clipboard().setText(word[typed:])
            QTest.keyClick(search, Key.Key_V, Mod.ControlModifier)
        return f"atlas search ({search.text()!r})"

    def click_atlas_list(self) -> str:
        self._atlas_tab()
        browser = self.w.atlas_browser
        view = browser.lists.currentWidget()
        model = view.model()  # type: ignore[attr-defined]
        rows = model.rowCount()
        if not rows:
            return "atlas list skipped (empty)"
        index = model.index(self.rng.randrange(rows), 0)
        if view is browser.tree and model.rowCount(index):  # a body region: one of its muscles
            index = model.index(self.rng.randrange(model.rowCount(index)), 0, index)
        view.scrollTo(index)  # type: ignore[attr-defined]
        rect = view.visualRect(index)  # type: ignore[attr-defined]
        QTest.mouseClick(view.viewport(), LEFT, Mod.NoModifier, rect.center())  # type: ignore[attr-defined]
        return f"atlas list ({index.data()})"

    def change_theme(self) -> str:
        name = self.rng.choice(list(self.w.theme_actions))
        self.w.theme_actions[name].trigger()  # View → Theme → …
        return f"theme ({name})"


def key_name(key: Key, mods: Mod = Mod.NoModifier) -> str:
    name = key.name.removeprefix("Key_")
    prefix = ("Ctrl+" if mods & Mod.ControlModifier else "") + ("Shift+" if mods & Mod.ShiftModifier else "")
    return prefix + name


__all__ = ["MARKS_KEPT", "Monkey", "key_name"]
