"""The atlas browser: muscles and nerves, each listed, searched by relevance, and the chosen one shown.

A switch at the top chooses the section. **Muscles**: without a query the
muscles are listed by body region; with one, the matching muscles are
listed best first (:mod:`nmt_bodymap.atlas.search`). The selected muscle
shows its "rule out first" notice, its pattern (all its trigger points, or
one alone), its trigger points with how common each is and their palpation
findings, and its text. **Nerves**: the peripheral nerves and dermatomes,
searched by nerve, level, symptom or entrapment site, each with its sheet
(:mod:`.nerve_browser`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QSplitter,
    QStackedWidget,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from nmt_bodymap.atlas import GROUPS, Muscle
from nmt_bodymap.atlas.search import AtlasSearch
from nmt_bodymap.ui.atlas_pattern import PatternView
from nmt_bodymap.ui.atlas_text import muscle_html
from nmt_bodymap.ui.atlas_trps import ALL, TriggerPointTable
from nmt_bodymap.ui.model import SessionModel
from nmt_bodymap.ui.nerve_browser import NerveBrowser
from nmt_bodymap.ui.page_parts import RuleOutNotice, description_browser, figure_beside_text, title_label
from nmt_bodymap.ui.search_list import Found, SearchList, SearchTexts
from nmt_bodymap.ui.theme import app_palette
from nmt_bodymap.ui.widgets import ElidedLabel

#: The browser's sections, as the switch names them.
SECTIONS = {"muscles": "&Muscles", "nerves": "&Nerves"}


class AtlasBrowser(QWidget):
    muscleSelected = Signal(str)

    def __init__(self, model: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.current: Muscle | None = None
        self._search: AtlasSearch | None = None  # built on the first query
        self.search_list = SearchList(
            SearchTexts(
                placeholder="Search: name, symptom, body part…",
                tooltip="Search by name, Latin name, synonym, symptom, body part or clinical term "
                "(\u201ctennis elbow\u201d, \u201csciatica\u201d, \u201cheel pain\u201d); best matches first",
                search_name="Search the atlas",
                tree_name="Muscles by body region",
                results_name="Muscles found, best match first",
            ),
            self._find,
            self._count_text,
        )
        self.search_list.chosen.connect(self._show)
        # the list's parts, as tests and the window reach them
        self.search = self.search_list.search
        self.tree = self.search_list.tree
        self.lists = self.search_list.lists

        self.title = title_label(self.font())
        self.subtitle = ElidedLabel(muted=True)
        self.handout = QCheckBox("In the client's handout")
        self.handout.setToolTip("Include this muscle's self-care in the client's home-care handout")
        self.handout.toggled.connect(self._handout_toggled)
        self.pattern = PatternView(model)
        self.pattern.setMinimumSize(160, 160)
        self.trps = TriggerPointTable(model)
        self.trps.trpChosen.connect(self._trp_chosen)
        self.text = description_browser("Muscle description")
        self.rule_out = RuleOutNotice(self.text, "signs and referral…")
        body = figure_beside_text(self.pattern, self.trps, self.text)
        detail = QWidget()
        dv = QVBoxLayout(detail)
        dv.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        names = QVBoxLayout()
        names.setSpacing(0)
        names.addWidget(self.title)
        names.addWidget(self.subtitle)
        head.addLayout(names, 1)
        head.addWidget(self.handout, 0, Qt.AlignmentFlag.AlignTop)
        dv.addLayout(head)
        dv.addWidget(self.rule_out)
        dv.addWidget(body, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.search_list)
        self.splitter.addWidget(detail)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([230, 930])
        self.splitter.setCollapsible(1, False)
        self.nerves = NerveBrowser(model)
        self.section_tabs = QTabBar()
        self.section_tabs.setDocumentMode(True)
        self.section_tabs.setExpanding(False)
        self.section_tabs.setAccessibleName("Atlas section")
        for title in SECTIONS.values():
            self.section_tabs.addTab(title)
        self.section_tabs.setTabToolTip(0, "The muscles' trigger points and referral patterns")
        self.section_tabs.setTabToolTip(1, "Peripheral nerves with their entrapment sites, and the dermatomes")
        self.sections = QStackedWidget()
        self.sections.addWidget(self.splitter)
        self.sections.addWidget(self.nerves)
        self.section_tabs.currentChanged.connect(self._section_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.section_tabs)
        layout.addWidget(self.sections, 1)
        self._populate()
        model.detailsChanged.connect(self._sync_handout)

    # -- the sections -------------------------------------------------------------------

    @property
    def section(self) -> str:
        return list(SECTIONS)[self.section_tabs.currentIndex()]

    def set_section(self, name: str) -> None:
        """Show the muscles or the nerves."""
        self.section_tabs.setCurrentIndex(list(SECTIONS).index(name))

    def _section_changed(self, index: int) -> None:
        self.sections.setCurrentIndex(index)
        if index == 1:
            self.nerves.ensure_loaded()

    def focus_search(self) -> None:
        """Put the cursor in the search box of the section shown."""
        (self.nerves.search if self.section == "nerves" else self.search).setFocus()

    def show_nerve(self, nerve_id: str) -> None:
        """Show a nerve's or a dermatome's page in the Nerves section."""
        self.set_section("nerves")
        self.nerves.select(nerve_id)

    # -- the list ---------------------------------------------------------------------

    def _populate(self) -> None:
        groups = {gid: self.search_list.add_group(title) for gid, title in GROUPS.items()}
        for muscle in self.model.atlas.muscles.values():
            tooltip = f"{muscle.name}: {muscle.latin} · {len(muscle.trigger_points)} trigger point(s)"
            self.search_list.add_item(muscle.id, muscle.name, tooltip, groups[muscle.group])
        for group in groups.values():
            group.setExpanded(True)
            group.setText(0, f"{group.text(0)} ({group.childCount()})")
            group.setHidden(group.childCount() == 0)
        self.filter("")

    def searcher(self) -> AtlasSearch:
        if self._search is None:
            self._search = AtlasSearch(self.model.atlas, self.model.chart)
        return self._search

    def _find(self, text: str) -> list[Found]:
        found = []
        for hit in self.searcher().search(text):
            muscle = self.model.atlas.muscle(hit.muscle)
            tooltip = f"{muscle.name} ({muscle.group_title}): found in {', '.join(hit.matched)}"
            found.append(Found(hit.muscle, muscle.name, tooltip))
        return found

    def _count_text(self, found: int | None) -> str:
        total = len(self.search_list.items)
        if found is None:
            return f"{total} muscles"
        return f"{found} of {total} muscles, best match first" if found else "No muscle matches"

    def filter(self, text: str) -> list[str]:
        """List the muscles matching ``text``, best first (all, by region, when empty); return their ids."""
        return self.search_list.filter(text)

    def shown(self) -> list[str]:
        """The muscle ids listed now, in their order."""
        return self.search_list.shown()

    def select(self, muscle_id: str) -> None:
        """Show a muscle (selecting it in whichever list is shown)."""
        self.search_list.select(muscle_id)

    def show_trigger_point(self, key: str) -> None:
        """Show the muscle of a sided trigger point (``muscle/trp:side``) with that point alone."""
        sided = self.model.sided(key)
        if sided is None:
            return
        self.set_section("muscles")
        self.select(sided.muscle.id)
        self.trps.select_trp(sided.trp.id)

    # -- the muscle -------------------------------------------------------------------

    def _show(self, muscle_id: str) -> None:
        muscle = self.model.atlas.muscle(muscle_id)
        self.current = muscle
        self.title.set_text("", lead=muscle.name)
        self.subtitle.set_text(f"{muscle.latin} · {muscle.group_title}")
        self._show_rule_out(muscle)
        self.text.setHtml(muscle_html(muscle, app_palette()))
        self.trps.show_muscle(muscle)
        self.pattern.show_muscle(muscle)
        self._sync_handout()
        self.muscleSelected.emit(muscle_id)

    def _show_rule_out(self, muscle: Muscle) -> None:
        self.rule_out.show_conditions([r.condition for r in muscle.rule_out], app_palette())

    def _trp_chosen(self, trp_id: str) -> None:
        if self.current is not None:
            self.pattern.show_muscle(self.current, None if trp_id == ALL else trp_id)

    def refresh_theme(self) -> None:
        self.nerves.refresh_theme()
        if self.current is not None:
            self.text.setHtml(muscle_html(self.current, app_palette()))
            self._show_rule_out(self.current)
            self.pattern.refresh_theme()

    def _sync_handout(self) -> None:
        if self.current is None:
            self.handout.setEnabled(False)
            return
        self.handout.setEnabled(True)
        self.handout.blockSignals(True)
        self.handout.setChecked(self.current.id in self.model.session.handout)
        self.handout.blockSignals(False)

    def _handout_toggled(self, on: bool) -> None:
        if self.current is not None:
            self.model.toggle_handout(self.current.id, on)


__all__ = ["AtlasBrowser"]
