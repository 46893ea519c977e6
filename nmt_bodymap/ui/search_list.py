"""A searchable list: a search box over a tree of everything by group and a best-first results list.

The atlas browser's Muscles and Nerves sections list their entries the same
way: without a query, every entry in a tree under bold group headings; with
one, the matches in a flat list, best first, with a count beneath. The
owner fills the tree (:meth:`SearchList.add_group`, :meth:`SearchList.add_item`),
says how to search (``find``) and how to word the count (``count_text``),
and listens to :attr:`SearchList.chosen` to show the entry picked.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)


@dataclass(frozen=True, slots=True)
class Found:
    """One search match as the results list shows it."""

    id: str
    label: str
    tooltip: str


@dataclass(frozen=True, slots=True)
class SearchTexts:
    """The words of the search box and the lists (their accessible names are what screen readers say)."""

    placeholder: str
    tooltip: str
    search_name: str
    tree_name: str
    results_name: str


class SearchList(QWidget):
    """Search box, tree of all entries, results list and count; emits :attr:`chosen` with an entry's id."""

    chosen = Signal(str)

    def __init__(
        self,
        texts: SearchTexts,
        find: Callable[[str], Sequence[Found]],
        count_text: Callable[[int | None], str],
        *,
        before_filter: Callable[[], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``count_text(None)`` words the count of everything, ``count_text(n)`` that of ``n`` matches."""
        super().__init__(parent)
        self._find = find
        self._count_text = count_text
        self._before_filter = before_filter
        self.current: str | None = None
        self.items: dict[str, QTreeWidgetItem] = {}
        self.search = QLineEdit()
        self.search.setPlaceholderText(texts.placeholder)
        self.search.setToolTip(texts.tooltip)
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(texts.search_name)
        self.search.textChanged.connect(self.filter)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName(texts.tree_name)
        self.tree.currentItemChanged.connect(
            lambda item, _p: self._choose(item.data(0, Qt.ItemDataRole.UserRole) if item else None)
        )
        self.results = QListWidget()
        self.results.setAccessibleName(texts.results_name)
        self.results.currentItemChanged.connect(
            lambda item, _p: self._choose(item.data(Qt.ItemDataRole.UserRole) if item else None)
        )
        self.lists = QStackedWidget()
        self.lists.addWidget(self.tree)
        self.lists.addWidget(self.results)
        self.count = QLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.lists, 1)
        layout.addWidget(self.count)
        self.setMinimumWidth(140)

    # -- filling the tree ----------------------------------------------------------------

    def add_group(self, title: str) -> QTreeWidgetItem:
        """A bold, unselectable heading at the tree's top level."""
        bold = QFont()
        bold.setBold(True)
        group = QTreeWidgetItem([title])
        group.setFont(0, bold)
        group.setFlags(group.flags() & ~Qt.ItemFlag.ItemIsSelectable)
        self.tree.addTopLevelItem(group)
        return group

    def add_item(self, entry_id: str, label: str, tooltip: str, under: QTreeWidgetItem) -> QTreeWidgetItem:
        """An entry under a group (or under another entry), listed in :meth:`shown` in the order added."""
        item = QTreeWidgetItem([label])
        item.setData(0, Qt.ItemDataRole.UserRole, entry_id)
        item.setToolTip(0, tooltip)
        under.addChild(item)
        self.items[entry_id] = item
        return item

    # -- searching and choosing ----------------------------------------------------------

    def filter(self, text: str) -> list[str]:
        """List the entries matching ``text``, best first (all, in the tree, when empty); return their ids."""
        if self._before_filter is not None:
            self._before_filter()
        if not text.strip():
            self.lists.setCurrentWidget(self.tree)
            self.count.setText(self._count_text(None))
            return list(self.items)
        found = self._find(text)
        self.results.blockSignals(True)
        self.results.clear()
        for hit in found:
            item = QListWidgetItem(hit.label)
            item.setData(Qt.ItemDataRole.UserRole, hit.id)
            item.setToolTip(hit.tooltip)
            self.results.addItem(item)
        self.results.blockSignals(False)
        self.lists.setCurrentWidget(self.results)
        ids = [hit.id for hit in found]
        self.count.setText(self._count_text(len(ids)))
        if ids:
            self.select(ids[0] if self.current not in ids else self.current)
        return ids

    def shown(self) -> list[str]:
        """The entry ids listed now, in their order."""
        if self.lists.currentWidget() is self.results:
            return [
                str(item.data(Qt.ItemDataRole.UserRole))
                for i in range(self.results.count())
                if (item := self.results.item(i)) is not None
            ]
        return list(self.items)

    def select(self, entry_id: str) -> None:
        """Choose an entry, selecting it in whichever list is shown (clearing a search it is not in)."""
        if self.lists.currentWidget() is self.results:
            for i in range(self.results.count()):
                item = self.results.item(i)
                if item is not None and item.data(Qt.ItemDataRole.UserRole) == entry_id:
                    self.results.setCurrentItem(item)
                    return
            self.search.clear()
        self.tree.setCurrentItem(self.items[entry_id])
        if self.current != entry_id:
            self._choose(entry_id)

    def _choose(self, entry_id: object) -> None:
        if entry_id:
            self.current = str(entry_id)
            self.chosen.emit(self.current)


__all__ = ["Found", "SearchList", "SearchTexts"]
