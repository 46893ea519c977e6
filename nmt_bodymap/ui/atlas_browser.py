"""The atlas browser: every muscle by body region, searchable, with its pattern.

The search box finds muscles by name, Latin name, synonym, symptom, body
region or trigger point label. The selected muscle's trigger points and
zones are drawn on the chart views where they show, beside its text.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QPainter, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nmt_bodymap.atlas import GROUPS, Muscle, iter_text
from nmt_bodymap.render.atlas_sheet import muscle_html
from nmt_bodymap.ui.chart_canvas import PatternItem
from nmt_bodymap.ui.chart_scene import ChartScene
from nmt_bodymap.ui.model import SessionModel


class PatternView(QGraphicsView):
    """A muscle's referral pattern on the chart views where it shows."""

    def __init__(self, model: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._scene = ChartScene(model.chart, self)
        self.setScene(self._scene)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setAccessibleName("Referral pattern")

    def show_muscle(self, muscle: Muscle | None) -> None:
        if muscle is None:
            self._scene.set_views([])
            return
        views = sorted(
            {v for t in muscle.trigger_points for v in t.views}, key=lambda v: list(self.model.chart.views).index(v)
        )
        self._scene.set_views(views)
        for sided in self.model.atlas.sided_for(muscle.id):
            if sided.side == "left":
                continue
            for view in sided.views:
                if view in self._scene.placed:
                    self._scene.addItem(PatternItem(self._scene, view, sided))
        self.fit()

    def fit(self) -> None:
        if self._scene.placed:
            self.fitInView(self._scene.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.fit()


class AtlasBrowser(QWidget):
    muscleSelected = Signal(str)

    def __init__(self, model: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.current: Muscle | None = None
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search: name, Latin name, synonym, symptom or region")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search the atlas")
        self.search.textChanged.connect(self.filter)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName("Muscles by body region")
        self.tree.currentItemChanged.connect(self._current_changed)
        self.count = QLabel()
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.search)
        lv.addWidget(self.tree, 1)
        lv.addWidget(self.count)
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.handout = QCheckBox("Include in the client's home-care handout")
        self.handout.toggled.connect(self._handout_toggled)
        self.pattern = PatternView(model)
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(False)
        self.text.setAccessibleName("Muscle description")
        right = QSplitter(Qt.Orientation.Horizontal)
        right.addWidget(self.pattern)
        right.addWidget(self.text)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        detail = QWidget()
        dv = QVBoxLayout(detail)
        dv.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.handout)
        dv.addLayout(head)
        dv.addWidget(right, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(detail)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([260, 900])
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        self._items: dict[str, QTreeWidgetItem] = {}
        self._groups: dict[str, QTreeWidgetItem] = {}
        self._search_text = {m.id: " ".join(iter_text(m)).lower() for m in model.atlas.muscles.values()}
        self._populate()
        model.detailsChanged.connect(self._sync_handout)

    def _populate(self) -> None:
        bold = QFont()
        bold.setBold(True)
        for gid, title in GROUPS.items():
            group = QTreeWidgetItem([title])
            group.setFont(0, bold)
            group.setFlags(group.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            self.tree.addTopLevelItem(group)
            self._groups[gid] = group
        for muscle in self.model.atlas.muscles.values():
            item = QTreeWidgetItem([muscle.name])
            item.setData(0, Qt.ItemDataRole.UserRole, muscle.id)
            item.setToolTip(0, f"{muscle.latin} · {len(muscle.trigger_points)} trigger point(s)")
            self._groups[muscle.group].addChild(item)
            self._items[muscle.id] = item
        for group in self._groups.values():
            group.setExpanded(True)
            group.setText(0, f"{group.text(0)} ({group.childCount()})")
        self.filter("")

    def filter(self, text: str) -> list[str]:
        """Show the muscles matching every word of ``text``; return their ids."""
        words = text.lower().split()
        shown = []
        for mid, item in self._items.items():
            ok = all(w in self._search_text[mid] for w in words)
            item.setHidden(not ok)
            if ok:
                shown.append(mid)
        for group in self._groups.values():
            visible = any(not child.isHidden() for i in range(group.childCount()) if (child := group.child(i)))
            group.setHidden(not visible)
            group.setExpanded(True)
        self.count.setText(f"{len(shown)} of {len(self._items)} muscles")
        if words and shown and (self.current is None or self.current.id not in shown):
            self.select(shown[0])
        return shown

    def select(self, muscle_id: str) -> None:
        item = self._items[muscle_id]
        self.tree.setCurrentItem(item)

    def _current_changed(self, item: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        mid = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        if not mid:
            return
        muscle = self.model.atlas.muscle(mid)
        self.current = muscle
        self.title.setText(
            f"<span style='font-size:15pt'><b>{muscle.name}</b></span>"
            f"&nbsp;&nbsp;<i>{muscle.latin}</i> · {muscle.group_title}"
        )
        self.text.setHtml(muscle_html(muscle, 1.0))
        self.pattern.show_muscle(muscle)
        self._sync_handout()
        self.muscleSelected.emit(mid)

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
