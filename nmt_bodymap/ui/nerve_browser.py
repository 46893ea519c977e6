"""The atlas browser's Nerves section: every nerve and dermatome, a search, and the selected one's page.

Without a query the peripheral nerves are listed by body region, each
branch under its parent, then the dermatomes from C2 to S4-5; with one, the
matches are listed best first (:mod:`nmt_bodymap.nerves.search`: by
name, root level such as "C6" or "L5", symptom words, or entrapment site
such as "carpal tunnel" or "fibular head"). The selected nerve's sheet
(:class:`~nmt_bodymap.ui.nerve_page.NervePage`) fills the pane. The nerve
atlas is loaded when the section is first shown.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nmt_bodymap.nerves import DERMATOME_GROUPS, NERVE_GROUPS, Nerve, NerveAtlas
from nmt_bodymap.nerves.search import NerveSearch
from nmt_bodymap.render.nerve_sheet import levels_text
from nmt_bodymap.ui.model import SessionModel
from nmt_bodymap.ui.nerve_page import NervePage


def _tooltip(nerve: Nerve) -> str:
    what = f"level {nerve.level}" if nerve.kind == "dermatome" else f"roots {levels_text(nerve)}"
    sites = ", ".join(s.name.split(" (")[0] for s in nerve.sites)
    return f"{nerve.name}: {what}" + (f" · entrapment: {sites}" if sites else "")


class NerveBrowser(QWidget):
    """Nerves and dermatomes listed and searched, the chosen one's page beside them."""

    nerveSelected = Signal(str)

    def __init__(self, model: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.current: Nerve | None = None
        self._search: NerveSearch | None = None
        self._items: dict[str, QTreeWidgetItem] = {}
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search: nerve, level (C6, L5), symptom, entrapment site…")
        self.search.setToolTip(
            "Search by nerve name, root level (\u201cC6\u201d, \u201cL5\u201d), symptom words or entrapment site "
            "(\u201ccarpal tunnel\u201d, \u201cfibular head\u201d); best matches first"
        )
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search the nerves")
        self.search.textChanged.connect(self.filter)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName("Nerves by body region, then dermatomes")
        self.tree.currentItemChanged.connect(
            lambda item, _p: self._chosen(item.data(0, Qt.ItemDataRole.UserRole) if item else None)
        )
        self.results = QListWidget()
        self.results.setAccessibleName("Nerves found, best match first")
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # long names elide
        self.results.currentItemChanged.connect(
            lambda item, _p: self._chosen(item.data(Qt.ItemDataRole.UserRole) if item else None)
        )
        self.lists = QStackedWidget()
        self.lists.addWidget(self.tree)
        self.lists.addWidget(self.results)
        self.count = QLabel()
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.search)
        lv.addWidget(self.lists, 1)
        lv.addWidget(self.count)
        left.setMinimumWidth(140)
        self.page = NervePage(model)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.page)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([230, 930])
        self.splitter.setCollapsible(1, False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

    def atlas(self) -> NerveAtlas:
        return self.model.nerve_atlas()

    def ensure_loaded(self) -> None:
        """List the nerve atlas (the first time the section is shown) and show its first nerve."""
        if self._items:
            return
        self._populate()
        if self.current is None and self._items:
            self.select(next(iter(self._items)))

    # -- the list --------------------------------------------------------------------------

    def _populate(self) -> None:
        atlas = self.atlas()
        bold = QFont()
        bold.setBold(True)
        groups: dict[str, QTreeWidgetItem] = {}
        for gid, title in {**NERVE_GROUPS, **DERMATOME_GROUPS}.items():
            group = QTreeWidgetItem([title])
            group.setFont(0, bold)
            group.setFlags(group.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            self.tree.addTopLevelItem(group)
            groups[gid] = group

        def add(nerve: Nerve, under: QTreeWidgetItem) -> None:
            item = QTreeWidgetItem([nerve.name])
            item.setData(0, Qt.ItemDataRole.UserRole, nerve.id)
            item.setToolTip(0, _tooltip(nerve))
            under.addChild(item)
            self._items[nerve.id] = item
            for child in sorted((atlas.nerves[c] for c in nerve.children if c in atlas.nerves), key=lambda n: n.name):
                add(child, item)

        for nerve in atlas.nerves.values():
            if nerve.kind == "dermatome" or not nerve.parent or nerve.parent not in atlas.nerves:
                add(nerve, groups[nerve.group])
        for group in groups.values():
            group.setExpanded(True)
            group.setHidden(group.childCount() == 0)
        self.tree.expandAll()
        self.filter(self.search.text())

    def searcher(self) -> NerveSearch:
        if self._search is None:
            self._search = NerveSearch(self.atlas())
        return self._search

    def filter(self, text: str) -> list[str]:
        """List the nerves matching ``text``, best first (all, by region, when empty); return their ids."""
        self.ensure_loaded()
        atlas = self.atlas()
        total = len(atlas.nerves)
        if not text.strip():
            self.lists.setCurrentWidget(self.tree)
            self.count.setText(f"{len(atlas.peripheral)} nerves, {len(atlas.dermatomes)} dermatomes")
            return list(self._items)
        hits = self.searcher().search(text)
        self.results.blockSignals(True)
        self.results.clear()
        for hit in hits:
            nerve = atlas.nerves[hit.nerve]
            item = QListWidgetItem(nerve.name)
            item.setData(Qt.ItemDataRole.UserRole, hit.nerve)
            item.setToolTip(f"{_tooltip(nerve)}; found in {', '.join(hit.matched)}")
            self.results.addItem(item)
        self.results.blockSignals(False)
        self.lists.setCurrentWidget(self.results)
        ids = [h.nerve for h in hits]
        self.count.setText(f"{len(ids)} of {total}, best match first" if ids else "No nerve matches")
        if ids:
            self.select(ids[0] if self.current is None or self.current.id not in ids else self.current.id)
        return ids

    def shown(self) -> list[str]:
        """The nerve ids listed now, in their order."""
        if self.lists.currentWidget() is self.results:
            return [
                str(item.data(Qt.ItemDataRole.UserRole))
                for i in range(self.results.count())
                if (item := self.results.item(i)) is not None
            ]
        return list(self._items)

    def select(self, nerve_id: str) -> None:
        """Show a nerve (selecting it in whichever list is shown)."""
        if not self._items:
            self._populate()
        if self.lists.currentWidget() is self.results:
            for i in range(self.results.count()):
                item = self.results.item(i)
                if item is not None and item.data(Qt.ItemDataRole.UserRole) == nerve_id:
                    self.results.setCurrentItem(item)
                    return
            self.search.clear()
        self.tree.setCurrentItem(self._items[nerve_id])
        if self.current is None or self.current.id != nerve_id:
            self._chosen(nerve_id)

    def _chosen(self, nerve_id: object) -> None:
        if nerve_id:
            self.current = self.atlas().nerve(str(nerve_id))
            self.page.show_nerve(str(nerve_id))
            self.nerveSelected.emit(str(nerve_id))

    def refresh_theme(self) -> None:
        if self.current is not None:
            self.page.refresh_theme()


__all__ = ["NerveBrowser"]
