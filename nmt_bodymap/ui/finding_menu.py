"""The palpation findings of one trigger point, as a menu: the chart, the list and the atlas share it."""

from __future__ import annotations

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QWidget

from nmt_bodymap.ui.model import FINDING_TITLES, SessionModel, trigger_point_title


def fill_finding_menu(menu: QMenu, model: SessionModel, key: str) -> None:
    """Add the findings of trigger point ``key`` to ``menu``, the current one checked."""
    for old in menu.findChildren(QActionGroup):  # left by an earlier filling: QMenu.clear() keeps them
        old.deleteLater()
    group = QActionGroup(menu)
    current = model.session.findings.get(key)
    for value, title in FINDING_TITLES.items():
        act = QAction(title, menu)
        act.setCheckable(True)
        act.setChecked(value == current)
        act.setData(value)
        act.triggered.connect(lambda _c=False, v=value: model.set_finding(key, v))
        group.addAction(act)
        menu.addAction(act)


def finding_menu(model: SessionModel, key: str, parent: QWidget) -> QMenu:
    """A menu titled with the trigger point ("Trapezius TrP1 (right)") offering its findings."""
    menu = QMenu(parent)
    sided = model.sided(key)
    title = trigger_point_title(sided) if sided is not None else key
    menu.setTitle(title)
    heading = menu.addAction(f"Palpation of {title}")
    heading.setEnabled(False)
    menu.addSeparator()
    fill_finding_menu(menu, model, key)
    return menu


def finding_action(menu: QMenu, finding: str | None) -> QAction:
    """The action of ``menu`` that records ``finding`` (for tests and keyboard use)."""
    for act in menu.actions():
        if act.isCheckable() and act.data() == finding:
            return act
    raise KeyError(finding)


__all__ = ["fill_finding_menu", "finding_action", "finding_menu"]
