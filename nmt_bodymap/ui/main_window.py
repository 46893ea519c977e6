"""The main window: the chart with live candidates, the atlas, the session.

The window assembles the widgets (each listens to the one
:class:`SessionModel`), holds the drawing settings, the theme and the nerve
layer, routes the complaint menus (:mod:`.complaint_menus`) and the hover
of a candidate, a nerve or a complaint to the chart, and remembers its
size, layout, last tool and recent files (QSettings, in an owner-only folder
and file, because recent file names often carry a client's name; File →
Forget recent files clears them); unsaved work is autosaved and offered back
after a crash. Its commands, menus and
toolbar are in :mod:`.window_actions`, its file handling in
:mod:`.window_files`.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QGuiApplication, QShowEvent
from PySide6.QtWidgets import QApplication, QDockWidget, QLabel, QSplitter, QTabWidget

from nmt_bodymap import paths
from nmt_bodymap.atlas import Atlas, shipped_atlas
from nmt_bodymap.chart import Chart, load_chart
from nmt_bodymap.session import QUALITIES
from nmt_bodymap.ui.atlas_browser import AtlasBrowser
from nmt_bodymap.ui.atlas_notice import SkippedFilesNotice
from nmt_bodymap.ui.candidates_panel import CandidatesPanel
from nmt_bodymap.ui.chart_canvas import ChartCanvas, Tool
from nmt_bodymap.ui.complaint_menus import ComplaintMenus
from nmt_bodymap.ui.files import Autosaver
from nmt_bodymap.ui.model import SessionModel
from nmt_bodymap.ui.nerve_layer import LAYERS, NerveLayer
from nmt_bodymap.ui.nerve_results import sided_nerves
from nmt_bodymap.ui.records_hook import install_records
from nmt_bodymap.ui.session_panel import SessionPanel
from nmt_bodymap.ui.theme import THEMES, apply_theme
from nmt_bodymap.ui.window_actions import DISCLAIMER, LAYOUT_TITLES, WindowActions
from nmt_bodymap.ui.window_files import WrittenNotice

#: When set (milliseconds), the app closes itself that long after its window is shown, printing one
#: line that says what it showed: the smoke test of the installed app under a real X server (.ci/run).
SMOKE_EXIT_ENV = "NMT_BODYMAP_SMOKE_EXIT_MS"
#: When the lookup's raster is read if the window has not been painted by then (ms after it is shown).
WARM_UP_FALLBACK_MS = 3000


def _int(value: object, default: int) -> int:
    try:
        return int(str(value))
    except ValueError:
        return default


class MainWindow(WindowActions):
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
        self._secure_settings()
        self.theme = str(self.settings.value("view/theme", "system"))
        self.theme = self.theme if self.theme in THEMES else "system"
        apply_theme(self.theme)
        self.model = SessionModel(chart or load_chart(), atlas or shipped_atlas(), self)
        self.autosaver = Autosaver(self.model, autosave_dir)
        self._check_recovery = check_recovery
        self._shown_once = False

        self.canvas = ChartCanvas(self.model)
        self.candidates = CandidatesPanel(self.model)
        self.candidates.patternRequested.connect(self._show_pattern)
        self.candidates.unexplainedToggled.connect(self.canvas.set_show_unexplained)
        self.candidates.atlasRequested.connect(self.open_in_atlas)
        self.candidates.nerveHovered.connect(self._show_nerve)
        self.candidates.nerveAtlasRequested.connect(self.open_nerve_in_atlas)
        self.complaint_menus = ComplaintMenus(self.model, self.canvas, self)
        tabs = self.candidates.list_tabs
        tabs.hovered.connect(self.canvas.highlight_marks)
        tabs.menuRequested.connect(self.complaint_menus.show_tab_menu)
        tabs.renameRequested.connect(self.complaint_menus.rename)
        self.canvas.markMenuRequested.connect(self.complaint_menus.show_mark_menu)
        self.nerve_layer = NerveLayer(self.canvas, self.model.nerve_atlas)
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.addWidget(self.canvas)
        self.split.addWidget(self.candidates)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)
        self.split.setCollapsible(0, False)
        self.split.setSizes([680, 470])
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
        self.written_notice = WrittenNotice()
        self.statusBar().addPermanentWidget(self.written_notice)
        self.statusBar().addPermanentWidget(self.zoom_label)
        self.statusBar().addPermanentWidget(SkippedFilesNotice(self.model))
        self.statusBar().showMessage("Mark the client's pain on the chart. " + DISCLAIMER.split(".")[0] + ".")
        self.canvas.zoomChanged.connect(lambda _z: self.zoom_label.setText(f"Zoom {self.canvas.zoom_percent():.0f} %"))
        self.canvas.statusMessage.connect(lambda m: self.statusBar().showMessage(m, 4000))
        self.model.dirtyChanged.connect(self.setWindowModified)
        self.model.pathChanged.connect(lambda _p: self._update_title())
        self._update_title()
        self.records = install_records(self, startup=check_recovery)  # client records (records_hook.py)
        self._restore_settings()
        self.theme_actions[self.theme].setChecked(True)
        self._refresh_theme()
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_scheme_changed)

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
        self.canvas.reset_fit()

    def _show_pattern(self, key: str | None) -> None:
        self.canvas.show_pattern(self.model.sided(key) if key else None)

    def _show_nerve(self, item: object) -> None:
        """Show a nerve result's territory and entrapment sites on the chart (None clears)."""
        self.canvas.show_nerves(sided_nerves(item, self.model.nerve_atlas()) if item is not None else [])

    def set_nerve_layer(self, kind: str) -> None:
        """None, the dermatomes or the peripheral nerve territories under the drawing (remembered)."""
        kind = kind if kind in LAYERS else "none"
        self.nerve_layer.set_kind(kind)
        self.nerve_layer_actions[kind].setChecked(True)
        self.settings.setValue("view/nerve_layer", kind)

    def _next_nerve_layer(self) -> None:
        kinds = list(LAYERS)
        self.set_nerve_layer(kinds[(kinds.index(self.nerve_layer.kind) + 1) % len(kinds)])

    def _show_atlas(self) -> None:
        self.tabs.setCurrentIndex(1)
        self.atlas_browser.focus_search()

    def open_nerve_in_atlas(self, nerve_id: str) -> None:
        """Show a nerve's page in the atlas browser's Nerves section."""
        self.tabs.setCurrentIndex(1)
        self.atlas_browser.show_nerve(nerve_id)

    def open_in_atlas(self, key: str) -> None:
        """Show a candidate's muscle in the atlas, its trigger point alone."""
        self.tabs.setCurrentIndex(1)
        self.atlas_browser.show_trigger_point(key)

    # -- theme -----------------------------------------------------------------------

    def set_theme(self, name: str) -> None:
        """Light, dark or the system's choice (remembered)."""
        self.theme = name
        self.settings.setValue("view/theme", name)
        apply_theme(name)
        self._refresh_theme()

    def _system_scheme_changed(self, _scheme: object) -> None:
        if self.theme == "system":
            self.set_theme("system")

    def _refresh_theme(self) -> None:
        """Redraw what paints its own colours from the palette."""
        self.set_icons()
        self.canvas.refresh_theme()
        self.candidates.refresh_theme()
        self.atlas_browser.refresh_theme()

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
        else:
            width = max(270, self.session_panel.minimumWidth())
            self.resizeDocks([self.session_dock], [width], Qt.Orientation.Horizontal)
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
        self.set_nerve_layer(str(s.value("view/nerve_layer", "none")))

    def _save_settings(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/split", self.split.saveState())
        self._sync_settings()

    def _settings_file(self) -> Path | None:
        name = self.settings.fileName()
        if os.name != "posix" or not name or not os.path.isabs(name):
            return None  # the Windows registry, or settings kept in memory
        return Path(name)

    def _secure_settings(self) -> None:
        """Make the settings' folder (if it is the app's own) and file owner-only before Qt writes them."""
        path = self._settings_file()
        if path is None:
            return
        with contextlib.suppress(OSError):
            if path.parent.name == paths.APP_NAME:
                paths.private_dir(path.parent)
            elif not path.parent.is_dir():
                return
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600))
            os.chmod(path, 0o600)

    def _sync_settings(self) -> None:
        self.settings.sync()
        path = self._settings_file()
        if path is not None:
            with contextlib.suppress(OSError):
                os.chmod(path, 0o600)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._check_recovery:
            self._check_recovery = False
            QTimer.singleShot(0, self.offer_recovery)
        if not self._shown_once:
            self._shown_once = True
            self._warm_up_after_first_paint()
            smoke_ms = _int(os.environ.get(SMOKE_EXIT_ENV, ""), -1)
            if smoke_ms >= 0:
                QTimer.singleShot(smoke_ms, self._smoke_exit)

    def _warm_up_after_first_paint(self) -> None:
        """Read the lookup's raster once the window is on screen, so that the window shows about 0.1 s
        sooner; if no paint comes (a window never exposed), a while later anyway."""
        handle = self.windowHandle()
        if handle is not None:
            handle.installEventFilter(self)
        QTimer.singleShot(WARM_UP_FALLBACK_MS, self.model.warm_up)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.windowHandle() and event.type() == QEvent.Type.Expose:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.model.warm_up)  # after this expose's paint
        return super().eventFilter(watched, event)

    def _smoke_exit(self) -> None:
        """Close as a user would and say what was shown (see SMOKE_EXIT_ENV)."""
        modal = QApplication.activeModalWidget()
        if modal is not None:
            print(f"nmt-bodymap smoke: a dialog was open: {modal.windowTitle()}", file=sys.stderr)
            modal.close()
        name = Path(self.model.path).name if self.model.path else "no session file"
        marks, cands = len(self.model.session.marks), len(self.model.result.candidates)
        closed = self.close()
        print(
            f"nmt-bodymap smoke: main window shown ({self.width()}x{self.height()}), {name} open with {marks} marks "
            f"and {cands} candidates; {'closed cleanly' if closed else 'did NOT close'}",
            flush=True,
        )
        code = 0 if closed else 1
        QApplication.exit(code)
        QTimer.singleShot(
            0, lambda: QApplication.exit(code)
        )  # also the main loop, if a dialog's loop was the one running

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.maybe_save():
            event.ignore()
            return
        self._save_settings()
        self.autosaver.discard()
        self.records.close()  # the server watcher and the store let go
        event.accept()
