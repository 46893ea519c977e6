"""The main window: the chart with live candidates, the atlas, the session.

Every command is an action with a shortcut and a tooltip, reachable from the
menus by keyboard. The window remembers its size, layout, last tool and
recent files (QSettings); unsaved work is autosaved and offered back after a
crash.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSlider,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QToolBar,
)

from nmt_bodymap import __version__
from nmt_bodymap.atlas import Atlas, shipped_atlas
from nmt_bodymap.chart import Chart, load_chart
from nmt_bodymap.lookup import HELP_TEXT as SCORING_HELP
from nmt_bodymap.session import QUALITIES, QUALITY_TITLES, SUFFIX, Session, SessionError, load
from nmt_bodymap.ui import icons
from nmt_bodymap.ui.atlas_browser import AtlasBrowser
from nmt_bodymap.ui.candidates_panel import CandidatesPanel
from nmt_bodymap.ui.chart_canvas import ChartCanvas, Tool
from nmt_bodymap.ui.files import Autosaver, Recovery, save_session
from nmt_bodymap.ui.model import SessionModel
from nmt_bodymap.ui.session_panel import SessionPanel, quality_icon

LAYOUT_TITLES = {
    "front-back": "Front and back",
    "sides": "Left and right sides",
    "soles": "Soles",
    "all": "All four views",
}
TOOL_INFO = {
    Tool.POINT: ("Point", "P", "Click to mark a disc of pain (size with [ and ])"),
    Tool.BRUSH: ("Brush", "B", "Drag to paint pain (size with [ and ])"),
    Tool.REGION: ("Region", "R", "Click to fill the whole anatomical region under the pointer"),
    Tool.ERASER: ("Eraser", "E", "Drag to erase marks"),
}
TOOL_ICONS = {
    Tool.POINT: icons.point_icon,
    Tool.BRUSH: icons.brush_icon,
    Tool.REGION: icons.region_icon,
    Tool.ERASER: icons.eraser_icon,
}
MAX_RECENT = 8
DISCLAIMER = (
    "nmt-bodymap is decision support for trained therapists, not a diagnosis. It points to muscles worth "
    "assessing; palpation, history and clinical judgement decide. Refer to a physician when symptoms "
    "suggest anything other than soft-tissue pain."
)


def _int(value: object, default: int) -> int:
    try:
        return int(str(value))
    except ValueError:
        return default


class MainWindow(QMainWindow):
    def __init__(
        self,
        chart: Chart | None = None,
        atlas: Atlas | None = None,
        settings: QSettings | None = None,
        autosave_dir: Path | None = None,
        check_recovery: bool = True,
    ) -> None:
        super().__init__()
        self.settings = settings or QSettings()
        self.model = SessionModel(chart or load_chart(), atlas or shipped_atlas(), self)
        self.autosaver = Autosaver(self.model, autosave_dir)
        self._check_recovery = check_recovery

        self.canvas = ChartCanvas(self.model)
        self.candidates = CandidatesPanel(self.model)
        self.candidates.patternRequested.connect(self._show_pattern)
        self.candidates.unexplainedToggled.connect(self.canvas.set_show_unexplained)
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.addWidget(self.canvas)
        self.split.addWidget(self.candidates)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 1)
        self.split.setSizes([820, 380])
        self.atlas_browser = AtlasBrowser(self.model)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.split, "&Chart")
        self.tabs.addTab(self.atlas_browser, "&Atlas")
        self.setCentralWidget(self.tabs)

        self.session_panel = SessionPanel(self.model)
        self.session_dock = QDockWidget("Session", self)
        self.session_dock.setObjectName("sessionDock")
        self.session_dock.setWidget(self.session_panel)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.session_dock)

        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self.zoom_label = QLabel()
        self.statusBar().addPermanentWidget(self.zoom_label)
        self.statusBar().showMessage("Mark the client's pain on the chart. " + DISCLAIMER.split(".")[0] + ".")
        self.canvas.zoomChanged.connect(lambda z: self.zoom_label.setText(f"Zoom {z / self._fit_zoom() * 100:.0f} %"))
        self.canvas.statusMessage.connect(lambda m: self.statusBar().showMessage(m, 4000))
        self.model.dirtyChanged.connect(self.setWindowModified)
        self.model.pathChanged.connect(lambda _p: self._update_title())
        self._update_title()
        self._restore_settings()

    # -- building --------------------------------------------------------------

    def _action(
        self,
        text: str,
        slot: Callable[..., object],
        shortcut: str | QKeySequence | QKeySequence.StandardKey | list[QKeySequence] | None = None,
        tip: str = "",
        checkable: bool = False,
    ) -> QAction:
        act = QAction(text, self)
        if shortcut is not None:
            if isinstance(shortcut, list):
                act.setShortcuts(shortcut)
            else:
                act.setShortcut(QKeySequence(shortcut))
        keys = act.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        act.setToolTip(f"{tip or text.replace('&', '').rstrip('.…')}" + (f" ({keys})" if keys else ""))
        act.setStatusTip(tip or text.replace("&", ""))
        act.setCheckable(checkable)
        if checkable:
            act.toggled.connect(slot)
        else:
            act.triggered.connect(slot)
        self.addAction(act)
        return act

    def _build_actions(self) -> None:
        std = QKeySequence.StandardKey
        self.act_new = self._action("&New session", self.new_session, std.New, "Start a new session")
        self.act_open = self._action("&Open…", self.open_dialog, std.Open, "Open a session file")
        self.act_save = self._action("&Save", self.save, std.Save, "Save the session")
        self.act_save_as = self._action("Save &as…", self.save_as, std.SaveAs, "Save the session under a new name")
        self.act_export = self._action(
            "&Export…", self.export_dialog, "Ctrl+E", "Export the chart, the report or the home-care handout"
        )
        self.act_print = self._action("&Print…", self.print_dialog, std.Print, "Print the session report")
        self.act_quit = self._action("&Quit", self.close, std.Quit, "Close nmt-bodymap")
        self.act_undo = self.model.undo_stack.createUndoAction(self, "&Undo")
        self.act_undo.setShortcuts([QKeySequence(std.Undo)])
        self.act_redo = self.model.undo_stack.createRedoAction(self, "&Redo")
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.act_undo.setIcon(icons.arrow_icon(back=True))
        self.act_redo.setIcon(icons.arrow_icon(back=False))
        self.act_undo.setIconText("Undo")  # the toolbar keeps a short label; the menu says what it undoes
        self.act_redo.setIconText("Redo")
        for a in (self.act_undo, self.act_redo):
            a.setToolTip(a.text().replace("&", "") + f" ({a.shortcut().toString()})")
            self.addAction(a)
        self.act_clear = self._action("&Clear drawing", self.model.clear_marks, None, "Remove every pain mark")

        self.tool_group = QActionGroup(self)
        self.tool_actions: dict[Tool, QAction] = {}
        for tool, (name, key, tip) in TOOL_INFO.items():
            act = self._action(f"&{name}", lambda _c=False, t=tool: self.set_tool(t), key, tip, checkable=True)
            act.toggled.disconnect()
            act.toggled.connect(lambda on, t=tool: self.set_tool(t) if on else None)
            act.setIcon(TOOL_ICONS[tool]())
            self.tool_group.addAction(act)
            self.tool_actions[tool] = act
        self.quality_actions: dict[str, QAction] = {}
        for i, q in enumerate(QUALITIES, start=1):
            act = self._action(
                QUALITY_TITLES[q],
                lambda _c=False, q=q: self.set_quality(q),
                str(i),
                f"Mark {QUALITY_TITLES[q].lower()} pain",
            )
            act.setIcon(quality_icon(q))
            self.quality_actions[q] = act
        self.act_int_down = self._action("Less intense", lambda: self.intensity.stepDown(), ",", "Lower the intensity")
        self.act_int_up = self._action("More intense", lambda: self.intensity.stepUp(), ".", "Raise the intensity")
        self.act_size_down = self._action(
            "Smaller brush",
            lambda: self.size_slider.setValue(self.size_slider.value() - 5),
            "[",
            "Make the point or brush smaller",
        )
        self.act_size_up = self._action(
            "Larger brush",
            lambda: self.size_slider.setValue(self.size_slider.value() + 5),
            "]",
            "Make the point or brush larger",
        )

        self.layout_group = QActionGroup(self)
        self.layout_actions: dict[str, QAction] = {}
        for i, (name, title) in enumerate(LAYOUT_TITLES.items(), start=1):
            act = self._action(
                title, lambda _c=False, n=name: None, f"Ctrl+{i}", f"Show {title.lower()}", checkable=True
            )
            act.toggled.disconnect()
            act.toggled.connect(lambda on, n=name: self.set_layout(n) if on else None)
            self.layout_group.addAction(act)
            self.layout_actions[name] = act
        self.act_zoom_in = self._action(
            "Zoom &in", lambda: self.canvas.zoom_by(1.25), [QKeySequence(std.ZoomIn), QKeySequence("Ctrl+=")], "Zoom in"
        )
        self.act_zoom_out = self._action("Zoom &out", lambda: self.canvas.zoom_by(0.8), std.ZoomOut, "Zoom out")
        self.act_fit = self._action("&Fit to window", self._fit, "Ctrl+0", "Show the whole chart")
        self.act_fit.setIcon(icons.fit_icon())
        self.act_shade = self._action(
            "&Shade unexplained pain",
            self.candidates.shade.setChecked,
            "U",
            "Shade the pain no candidate explains",
            checkable=True,
        )
        self.candidates.shade.toggled.connect(self.act_shade.setChecked)
        self.act_chart_tab = self._action("Chart", lambda: self.tabs.setCurrentIndex(0), "F2", "Show the chart")
        self.act_atlas_tab = self._action("Atlas", self._show_atlas, "F3", "Browse and search the atlas")
        self.act_session = self.session_dock.toggleViewAction()
        self.act_session.setShortcut(QKeySequence("F4"))
        self.act_session.setToolTip("Show or hide the session panel (F4)")
        self.act_about = self._action("&About nmt-bodymap", self.about, None, "About this app")
        self.act_scoring = self._action(
            "How the &ranking works", self.explain_scoring, "F1", "How candidates are scored"
        )

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        file.addActions([self.act_new, self.act_open])
        self.recent_menu = file.addMenu("Open &recent")
        file.addActions([self.act_save, self.act_save_as])
        file.addSeparator()
        file.addActions([self.act_export, self.act_print])
        file.addSeparator()
        file.addAction(self.act_quit)
        edit = bar.addMenu("&Edit")
        edit.addActions([self.act_undo, self.act_redo])
        edit.addSeparator()
        edit.addAction(self.act_clear)
        draw = bar.addMenu("&Draw")
        draw.addActions(list(self.tool_actions.values()))
        draw.addSeparator()
        draw.addActions(list(self.quality_actions.values()))
        draw.addSeparator()
        draw.addActions([self.act_int_down, self.act_int_up, self.act_size_down, self.act_size_up])
        view = bar.addMenu("&View")
        view.addActions(list(self.layout_actions.values()))
        view.addSeparator()
        view.addActions([self.act_zoom_in, self.act_zoom_out, self.act_fit])
        view.addSeparator()
        view.addActions([self.act_shade, self.act_chart_tab, self.act_atlas_tab, self.act_session])
        help_ = bar.addMenu("&Help")
        help_.addActions([self.act_scoring, self.act_about])
        self._refresh_recent()

    def _build_toolbar(self) -> None:
        tb = QToolBar("Drawing", self)
        tb.setObjectName("drawingToolbar")
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.addToolBar(tb)
        tb.addActions([self.act_undo, self.act_redo])
        tb.addSeparator()
        tb.addActions(list(self.tool_actions.values()))
        tb.addSeparator()
        self.quality_box = QComboBox()
        for q in QUALITIES:
            self.quality_box.addItem(quality_icon(q), QUALITY_TITLES[q], q)
        self.quality_box.setToolTip("Quality of the pain you mark (keys 1–6)")
        self.quality_box.setAccessibleName("Pain quality")
        self.quality_box.activated.connect(lambda i: self.set_quality(self.quality_box.itemData(i)))
        tb.addWidget(QLabel(" Quality "))
        tb.addWidget(self.quality_box)
        self.intensity = QSpinBox()
        self.intensity.setRange(0, 10)
        self.intensity.setValue(5)
        self.intensity.setToolTip("Intensity 0–10 (keys , and .)")
        self.intensity.setAccessibleName("Pain intensity")
        self.intensity.valueChanged.connect(self.set_intensity)
        tb.addWidget(QLabel(" Intensity "))
        tb.addWidget(self.intensity)
        self.size_slider = QSlider(Qt.Orientation.Horizontal)
        self.size_slider.setRange(5, 80)
        self.size_slider.setValue(30)
        self.size_slider.setFixedWidth(110)
        self.size_slider.setToolTip("Point radius or brush width in mm (keys [ and ])")
        self.size_slider.setAccessibleName("Brush size")
        self.size_slider.valueChanged.connect(self.set_size)
        tb.addWidget(QLabel(" Size "))
        tb.addWidget(self.size_slider)
        tb.addSeparator()
        self.layout_box = QComboBox()
        for name, title in LAYOUT_TITLES.items():
            self.layout_box.addItem(title, name)
        self.layout_box.setToolTip("Which views to show (Ctrl+1 to Ctrl+4)")
        self.layout_box.setAccessibleName("Views")
        self.layout_box.activated.connect(lambda i: self.set_layout(self.layout_box.itemData(i)))
        tb.addWidget(self.layout_box)
        tb.addActions([self.act_fit])

    # -- drawing settings ----------------------------------------------------------

    def set_tool(self, tool: Tool) -> None:
        self.canvas.set_tool(tool)
        self.tool_actions[tool].setChecked(True)
        self.settings.setValue("draw/tool", tool.value)

    def set_quality(self, quality: str) -> None:
        self.canvas.quality = quality
        self.quality_box.setCurrentIndex(QUALITIES.index(quality))
        self.settings.setValue("draw/quality", quality)

    def set_intensity(self, value: int) -> None:
        self.canvas.intensity = value
        self.settings.setValue("draw/intensity", value)

    def set_size(self, value: int) -> None:
        self.canvas.size_mm = float(value)
        self.canvas._update_cursor_item()
        self.settings.setValue("draw/size", value)

    def set_layout(self, name: str) -> None:
        if self.canvas.layout_name != name:
            self.canvas.set_layout(name)
        self.layout_actions[name].setChecked(True)
        self.layout_box.setCurrentIndex(list(LAYOUT_TITLES).index(name))
        self.settings.setValue("view/layout", name)

    def _fit(self) -> None:
        self.canvas._user_zoomed = False
        self.canvas.fit()

    def _fit_zoom(self) -> float:
        rect = self.canvas._scene.sceneRect()
        vp = self.canvas.viewport().rect()
        return max(1e-6, min(vp.width() / max(rect.width(), 1), vp.height() / max(rect.height(), 1)))

    def _show_pattern(self, key: str | None) -> None:
        self.canvas.show_pattern(self.model.atlas.by_key().get(key) if key else None)

    def _show_atlas(self) -> None:
        self.tabs.setCurrentIndex(1)
        self.atlas_browser.search.setFocus()

    # -- files ---------------------------------------------------------------------

    def _update_title(self) -> None:
        name = Path(self.model.path).name if self.model.path else "Untitled session"
        self.setWindowTitle(f"{name}[*] — nmt-bodymap")

    def maybe_save(self) -> bool:
        """Ask about unsaved work; False when the user cancels."""
        if not self.model.dirty:
            return True
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            "The session has unsaved changes. Save them?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def new_session(self) -> None:
        if self.maybe_save():
            self.autosaver.discard()
            self.model.replace_session(Session())

    def open_dialog(self) -> None:
        if not self.maybe_save():
            return
        start = str(Path(self.model.path).parent) if self.model.path else str(Path.home())
        path, _ = QFileDialog.getOpenFileName(self, "Open session", start, f"nmt-bodymap sessions (*{SUFFIX})")
        if path:
            self.open_session(path, ask=False)

    def open_session(self, path: str, ask: bool = True) -> bool:
        """Open a session file; a bad file gets a clear message and is never touched."""
        if ask and not self.maybe_save():
            return False
        try:
            session = load(path)
        except SessionError as exc:
            QMessageBox.critical(self, "Cannot open session", f"{exc}\n\nThe file was not changed.")
            self._forget_recent(path)
            return False
        self.autosaver.discard()
        self.model.replace_session(session, str(Path(path).resolve()))
        self._add_recent(str(Path(path).resolve()))
        self.statusBar().showMessage(f"Opened {path}", 4000)
        return True

    def save(self) -> bool:
        if not self.model.path:
            return self.save_as()
        return self._write(self.model.path)

    def save_as(self) -> bool:
        s = self.model.session
        stem = "-".join(p for p in (s.client_code or "session", s.date) if p)
        start = str(Path(self.model.path).parent if self.model.path else Path.home()) + f"/{stem}{SUFFIX}"
        path, _ = QFileDialog.getSaveFileName(self, "Save session", start, f"nmt-bodymap sessions (*{SUFFIX})")
        if not path:
            return False
        if not path.endswith(SUFFIX):
            path += SUFFIX
        return self._write(path)

    def _write(self, path: str) -> bool:
        try:
            save_session(self.model.session, path)
        except OSError as exc:
            QMessageBox.critical(self, "Cannot save", f"{exc}\n\nYour work is kept in this window and autosaved.")
            return False
        self.model.mark_saved(str(Path(path).resolve()))
        self._add_recent(self.model.path)
        self.statusBar().showMessage(f"Saved {path}", 4000)
        return True

    def _recent(self) -> list[str]:
        value = self.settings.value("files/recent", [])
        return [str(v) for v in (value if isinstance(value, list) else [value] if value else [])]

    def _add_recent(self, path: str) -> None:
        recent = [path] + [p for p in self._recent() if p != path]
        self.settings.setValue("files/recent", recent[:MAX_RECENT])
        self._refresh_recent()

    def _forget_recent(self, path: str) -> None:
        self.settings.setValue("files/recent", [p for p in self._recent() if p != str(Path(path).resolve())])
        self._refresh_recent()

    def _refresh_recent(self) -> None:
        self.recent_menu.clear()
        recent = self._recent()
        for i, path in enumerate(recent, start=1):
            act = self.recent_menu.addAction(f"&{i} {Path(path).name}")
            act.setToolTip(path)
            act.triggered.connect(lambda _c=False, p=path: self.open_session(p))
        self.recent_menu.setEnabled(bool(recent))

    # -- exports (the export dialog lives in export_dialog.py) -------------------

    def export_dialog(self) -> None:
        from nmt_bodymap.ui.export_dialog import ExportDialog

        ExportDialog(self.model, self.settings, self).exec()

    def print_dialog(self) -> None:
        from nmt_bodymap.ui.export_dialog import print_report

        print_report(self.model, self.settings, self)

    # -- help ------------------------------------------------------------------------

    def about(self) -> None:
        a = self.model.atlas
        QMessageBox.about(
            self,
            "About nmt-bodymap",
            f"<b>nmt-bodymap {__version__}</b><p>A body chart, referral atlas and reverse lookup for "
            f"neuromuscular and massage therapists. {len(a.muscles)} muscles, {a.trigger_point_count} "
            f"trigger points.</p><p>{DISCLAIMER}</p><p>Works offline; session files stay on this "
            f"computer and are readable by you only.</p>",
        )

    def explain_scoring(self) -> None:
        QMessageBox.information(self, "How the ranking works", f"{SCORING_HELP}\n\n{DISCLAIMER}")

    # -- settings, recovery, closing ------------------------------------------------

    def _restore_settings(self) -> None:
        s = self.settings
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1360, 860)
        state = s.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        split = s.value("window/split")
        if isinstance(split, QByteArray):
            self.split.restoreState(split)
        tool = str(s.value("draw/tool", "point"))
        self.set_tool(Tool(tool) if tool in {t.value for t in Tool} else Tool.POINT)
        quality = str(s.value("draw/quality", "aching"))
        self.set_quality(quality if quality in QUALITIES else "aching")
        self.intensity.setValue(_int(s.value("draw/intensity"), 5))
        self.size_slider.setValue(_int(s.value("draw/size"), 30))
        layout = str(s.value("view/layout", "front-back"))
        self.set_layout(layout if layout in LAYOUT_TITLES else "front-back")

    def _save_settings(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/split", self.split.saveState())
        s.sync()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._check_recovery:
            self._check_recovery = False
            QTimer.singleShot(0, self.offer_recovery)

    def offer_recovery(self) -> None:
        """After a crash, offer the autosaved work back."""
        for item in Autosaver.pending(self.autosaver.folder):
            if self.restore_or_discard(item):
                break

    def ask_restore(self, item: Recovery) -> str:
        """Ask what to do with autosaved work: "restore", "discard" or "later"."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Restore unsaved work?")
        where = Path(item.original_path).name if item.original_path else "an unsaved session"
        box.setText(f"nmt-bodymap did not close normally. Restore the unsaved work on {where}?")
        restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("Later", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(restore)
        box.exec()
        return "restore" if box.clickedButton() is restore else "discard" if box.clickedButton() is discard else "later"

    def restore_or_discard(self, item: Recovery) -> bool:
        answer = self.ask_restore(item)
        if answer == "restore":
            try:
                session = item.load()
            except SessionError as exc:
                QMessageBox.warning(self, "Cannot restore", str(exc))
                return False
            self.model.replace_session(session, item.original_path, dirty=True)
            self.autosaver.save_now()
            item.discard()
            return True
        if answer == "discard":
            item.discard()
        return False

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.maybe_save():
            event.ignore()
            return
        self._save_settings()
        self.autosaver.discard()
        event.accept()
