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
from PySide6.QtWidgets import (
    QSplitter,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nmt_bodymap.nerves import DERMATOME_GROUPS, NERVE_GROUPS, Nerve, NerveAtlas
from nmt_bodymap.nerves.search import NerveSearch
from nmt_bodymap.render.nerve_sheet import levels_text
from nmt_bodymap.ui.model import SessionModel
from nmt_bodymap.ui.nerve_page import NervePage
from nmt_bodymap.ui.search_list import Found, SearchList, SearchTexts


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
        self.search_list = SearchList(
            SearchTexts(
                placeholder="Search: nerve, level (C6, L5), symptom, entrapment site…",
                tooltip="Search by nerve name, root level (\u201cC6\u201d, \u201cL5\u201d), symptom words or entrapment "
                "site (\u201ccarpal tunnel\u201d, \u201cfibular head\u201d); best matches first",
                search_name="Search the nerves",
                tree_name="Nerves by body region, then dermatomes",
                results_name="Nerves found, best match first",
            ),
            self._find,
            self._count_text,
            before_filter=self.ensure_loaded,
        )
        self.search_list.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # long names elide
        self.search_list.chosen.connect(self._chosen)
        self.search = self.search_list.search  # as tests and the window reach it
        self.page = NervePage(model)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.search_list)
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
        if self.search_list.items:
            return
        self._populate()
        if self.current is None and self.search_list.items:
            self.select(next(iter(self.search_list.items)))

    # -- the list --------------------------------------------------------------------------

    def _populate(self) -> None:
        atlas = self.atlas()
        groups = {gid: self.search_list.add_group(title) for gid, title in {**NERVE_GROUPS, **DERMATOME_GROUPS}.items()}

        def add(nerve: Nerve, under: QTreeWidgetItem) -> None:
            item = self.search_list.add_item(nerve.id, nerve.name, _tooltip(nerve), under)
            for child in sorted((atlas.nerves[c] for c in nerve.children if c in atlas.nerves), key=lambda n: n.name):
                add(child, item)

        for nerve in atlas.nerves.values():
            if nerve.kind == "dermatome" or not nerve.parent or nerve.parent not in atlas.nerves:
                add(nerve, groups[nerve.group])
        for group in groups.values():
            group.setExpanded(True)
            group.setHidden(group.childCount() == 0)
        self.search_list.tree.expandAll()
        self.filter(self.search.text())

    def searcher(self) -> NerveSearch:
        if self._search is None:
            self._search = NerveSearch(self.atlas())
        return self._search

    def _find(self, text: str) -> list[Found]:
        atlas = self.atlas()
        found = []
        for hit in self.searcher().search(text):
            nerve = atlas.nerves[hit.nerve]
            found.append(Found(hit.nerve, nerve.name, f"{_tooltip(nerve)}; found in {', '.join(hit.matched)}"))
        return found

    def _count_text(self, found: int | None) -> str:
        atlas = self.atlas()
        if found is None:
            return f"{len(atlas.peripheral)} nerves, {len(atlas.dermatomes)} dermatomes"
        return f"{found} of {len(atlas.nerves)}, best match first" if found else "No nerve matches"

    def filter(self, text: str) -> list[str]:
        """List the nerves matching ``text``, best first (all, by region, when empty); return their ids."""
        return self.search_list.filter(text)

    def shown(self) -> list[str]:
        """The nerve ids listed now, in their order."""
        return self.search_list.shown()

    def select(self, nerve_id: str) -> None:
        """Show a nerve (selecting it in whichever list is shown)."""
        if not self.search_list.items:
            self._populate()
        self.search_list.select(nerve_id)

    def _chosen(self, nerve_id: str) -> None:
        self.current = self.atlas().nerve(nerve_id)
        self.page.show_nerve(nerve_id)
        self.nerveSelected.emit(nerve_id)

    def refresh_theme(self) -> None:
        if self.current is not None:
            self.page.refresh_theme()


__all__ = ["NerveBrowser"]
