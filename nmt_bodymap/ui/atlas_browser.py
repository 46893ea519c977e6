"""The atlas browser: every muscle by body region, searchable, with its pattern.

The search box finds muscles by name, Latin name, synonym, symptom, body
region or trigger point label. The selected muscle's trigger points and
zones are drawn on the chart views where they show, beside its text.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QResizeEvent, QShowEvent
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtSvgWidgets import QGraphicsSvgItem
from PySide6.QtWidgets import (
    QCheckBox,
    QGraphicsItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
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
from nmt_bodymap.chart import VIEW_TITLES
from nmt_bodymap.render.atlas_sheet import crop_for, muscle_html
from nmt_bodymap.render.zones import pattern_bounds
from nmt_bodymap.ui.chart_canvas import PatternItem
from nmt_bodymap.ui.chart_scene import ChartScene
from nmt_bodymap.ui.model import SessionModel


class PatternView(QGraphicsView):
    """A muscle's referral pattern: each view where it shows, cropped around it."""

    PANE_ASPECT = 0.62
    GAP_MM = 12.0

    def __init__(self, model: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._scene = QGraphicsScene(self)  # keep a reference: the view does not own it
        self.setScene(self._scene)
        self._renderers: dict[str, QSvgRenderer] = {}
        self.views: list[str] = []
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setAccessibleName("Referral pattern")

    def show_muscle(self, muscle: Muscle | None) -> None:
        self._scene.clear()
        self.views = []
        if muscle is None:
            return
        chart = self.model.chart
        patterns = [s for s in self.model.atlas.sided_for(muscle.id) if s.side in ("right", "midline")]
        order = list(chart.views)
        self.views = sorted({v for s in patterns for v in s.views}, key=order.index)
        title_font = QFont()
        title_font.setPointSizeF(9)
        title_font.setBold(True)
        bounds = {}
        for name in self.views:
            geoms = [g for s in patterns for g in (s.essential.get(name), s.spillover.get(name)) if g is not None]
            points = [(s.points[name].x, s.points[name].y) for s in patterns if name in s.points]
            bounds[name] = pattern_bounds(geoms, points)
        # one height for every pane, so the views keep the same scale side by side
        height = max(
            crop_for(chart.view(n), b, self.PANE_ASPECT, pad=50, min_h=300).height() for n, b in bounds.items()
        )
        x = 0.0
        shown = QRectF()
        for name in self.views:
            view = chart.view(name)
            crop = crop_for(view, bounds[name], self.PANE_ASPECT, pad=50, min_h=height)
            pane = QGraphicsRectItem(0, 0, crop.width(), crop.height())
            pane.setPen(QPen(QColor("#cfd6de"), 0))
            pane.setFlag(QGraphicsItem.GraphicsItemFlag.ItemClipsChildrenToShape)
            pane.setPos(x, 0)
            self._scene.addItem(pane)
            svg = QGraphicsSvgItem(pane)
            if name not in self._renderers:
                self._renderers[name] = QSvgRenderer(str(view.svg_path), self)
            svg.setSharedRenderer(self._renderers[name])
            vx, vy, _w, _h = view.viewbox
            svg.setPos(vx - crop.x(), vy - crop.y())
            for sided in patterns:
                if name in sided.views:
                    item = PatternItem(None, name, sided)
                    item.setParentItem(pane)
                    item.setPos(-crop.x(), -crop.y())
            title = QGraphicsSimpleTextItem(VIEW_TITLES[name])
            title.setFont(title_font)
            title.setBrush(ChartScene.title_color())
            title.setScale(crop.height() / 330)
            title.setPos(x, -title.boundingRect().height() * title.scale() - 4)
            self._scene.addItem(title)
            # the panes clip their charts, so the visible area is the panes and titles only
            shown = shown.united(pane.sceneBoundingRect()).united(title.sceneBoundingRect())
            x += crop.width() + self.GAP_MM
        self._scene.setSceneRect(shown.adjusted(-6, -6, 6, 6))
        self.fit()

    def fit(self) -> None:
        if self.views:
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
        right.setStretchFactor(0, 1)
        right.setStretchFactor(1, 1)
        right.setSizes([520, 480])
        self.pattern.setMinimumWidth(280)
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
        """Show the muscles matching every word of ``text``; return their ids, best match first.

        A match in the name, Latin name or synonyms ranks above one in the text.
        """
        words = text.lower().split()
        shown = []
        for mid, item in self._items.items():
            ok = all(w in self._search_text[mid] for w in words)
            item.setHidden(not ok)
            if ok:
                shown.append(mid)
        query = " ".join(words)
        atlas = self.model.atlas

        def relevance(mid: str) -> tuple[int, int]:
            m = atlas.muscle(mid)
            if query in (m.name.lower(), m.id, m.latin.lower()):
                rank = 0
            elif all(w in m.name.lower() for w in words):
                rank = 1
            elif all(w in " ".join([m.latin, *m.synonyms]).lower() for w in words):
                rank = 2
            else:
                rank = 3
            return rank, list(self._items).index(mid)

        shown.sort(key=relevance)
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
