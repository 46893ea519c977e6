"""The row of tabs above the candidate list: the whole drawing, then each complaint.

Each tab is one ranked list (:class:`~nmt_bodymap.ui.model_complaints.RankedList`).
Hovering a complaint's tab asks for its marks to be highlighted on the
chart; a right-click asks for the complaint's menu (name, merge, split,
group automatically) and a double-click asks to name it. The tab bar only
says what was asked: the window's :class:`~nmt_bodymap.ui.complaint_menus.ComplaintMenus`
does it through the model.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QContextMenuEvent, QMouseEvent
from PySide6.QtWidgets import QTabBar, QWidget

from nmt_bodymap.lookup import LookupResult
from nmt_bodymap.ui.model_complaints import RankedList


def as_ranked(item: RankedList | tuple[str, LookupResult]) -> RankedList:
    """A list as the panel keeps it (a plain ``(label, result)`` pair is a list of the whole drawing)."""
    return item if isinstance(item, RankedList) else RankedList(item[0], item[1])


class ComplaintTabs(QTabBar):
    """Tabs of ranked lists; remembers the chosen one across re-rankings, by complaint."""

    hovered = Signal(object)  # the hovered complaint's mark ids, or None
    menuRequested = Signal(object, QPoint)  # RankedList, global position
    renameRequested = Signal(str)  # complaint id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lists: list[RankedList] = []
        self._hovered = -1
        self.setExpanding(False)
        self.setDocumentMode(True)
        self.setElideMode(Qt.TextElideMode.ElideRight)
        self.setUsesScrollButtons(True)
        self.setMouseTracking(True)
        self.setAccessibleName("Ranked lists: the whole drawing and each complaint")

    def set_lists(self, lists: Sequence[RankedList | tuple[str, LookupResult]]) -> None:
        """Offer these lists; the one shown stays (same complaint, else same name, else the whole drawing)."""
        before = self.current_list()
        self.lists = [as_ranked(item) for item in lists]
        wanted = 0
        if before is not None:
            by_id = [i for i, r in enumerate(self.lists) if before.complaint and r.complaint == before.complaint]
            by_label = [i for i, r in enumerate(self.lists) if r.label == before.label]
            wanted = (by_id or by_label or [0])[0]
        self.blockSignals(True)
        labels = [r.label for r in self.lists]
        if labels != [self.tabText(i) for i in range(self.count())]:
            while self.count():
                self.removeTab(0)
            for label in labels:
                self.addTab(label)
        for i, ranked in enumerate(self.lists):
            self.setTabToolTip(i, self._tooltip(ranked))
        self.setCurrentIndex(min(wanted, max(self.count() - 1, 0)))
        self.blockSignals(False)
        self.setVisible(len(self.lists) > 1)

    def current_list(self) -> RankedList | None:
        i = self.currentIndex()
        return self.lists[i] if 0 <= i < len(self.lists) else None

    def index_of(self, complaint_id: str) -> int:
        return next((i for i, r in enumerate(self.lists) if r.complaint == complaint_id), -1)

    @staticmethod
    def _tooltip(ranked: RankedList) -> str:
        if not ranked.complaint:
            return "All the marks together. Right-click for the complaints' grouping."
        n = len(ranked.marks)
        how = "grouped by the app" if ranked.automatic else "grouped by you"
        return (
            f"<b>{ranked.label}</b>: {n} mark{'s' if n != 1 else ''}, {how}; ranked on its own.<br>"
            "Hover to see its marks; double-click to name it; right-click to merge, split or regroup."
        )

    def minimumTabSizeHint(self, index: int) -> QSize:
        """The whole drawing's tab keeps its name; complaints' names are cut short first (the tooltip has them)."""
        if index == 0:
            return self.tabSizeHint(0)
        return super().minimumTabSizeHint(index)

    # -- the pointer -----------------------------------------------------------------

    def _hover_index(self, index: int) -> None:
        if index == self._hovered:
            return
        self._hovered = index
        ranked = self.lists[index] if 0 <= index < len(self.lists) else None
        self.hovered.emit(ranked.marks if ranked is not None and ranked.complaint else None)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._hover_index(self.tabAt(event.position().toPoint()))
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self._hover_index(-1)
        super().leaveEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        index = self.tabAt(event.pos())
        if 0 <= index < len(self.lists):
            self.menuRequested.emit(self.lists[index], event.globalPos())

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        index = self.tabAt(event.position().toPoint())
        if 0 <= index < len(self.lists) and self.lists[index].complaint:
            self.renameRequested.emit(self.lists[index].complaint)
            return
        super().mouseDoubleClickEvent(event)


__all__ = ["ComplaintTabs", "as_ranked"]
