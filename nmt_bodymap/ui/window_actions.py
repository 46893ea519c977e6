"""The main window's commands: actions with keys and tooltips, the menus, the toolbar, the help.

Every command is an action with a shortcut or a mnemonic, so the keyboard
alone reaches everything. :class:`WindowActions` is mixed into
:class:`~nmt_bodymap.ui.main_window.MainWindow`, which owns the widgets and
slots the actions call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QComboBox, QLabel, QMessageBox, QSlider, QSpinBox, QToolBar

from nmt_bodymap import __version__
from nmt_bodymap.lookup import HELP_TEXT as SCORING_HELP
from nmt_bodymap.session import QUALITIES, QUALITY_TITLES
from nmt_bodymap.ui import icons
from nmt_bodymap.ui.chart_canvas import Tool
from nmt_bodymap.ui.chart_scene import BODY_PART_TITLES
from nmt_bodymap.ui.nerve_layer import LAYERS
from nmt_bodymap.ui.session_panel import quality_icon
from nmt_bodymap.ui.theme import THEMES
from nmt_bodymap.ui.window_files import FileCommands

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDockWidget, QMenu, QTabWidget

    from nmt_bodymap.ui.candidates_panel import CandidatesPanel
    from nmt_bodymap.ui.chart_canvas import ChartCanvas
    from nmt_bodymap.ui.model import SessionModel

LAYOUT_TITLES = {
    "front-back": "Front and back",
    "sides": "Left and right sides",
    "soles": "Soles",
    "all": "All five views",
}
TOOL_INFO = {
    Tool.POINT: ("Point", "P", "Click to mark a disc of pain (size with [ and ])"),
    Tool.BRUSH: ("Brush", "B", "Drag to paint pain (size with [ and ])"),
    Tool.REGION: ("Region", "R", "Click to fill the whole anatomical region under the pointer"),
    Tool.ERASER: ("Eraser", "E", "Drag to erase part of a mark; click a mark to delete it"),
}
TOOL_ICONS = {
    Tool.POINT: icons.point_icon,
    Tool.BRUSH: icons.brush_icon,
    Tool.REGION: icons.region_icon,
    Tool.ERASER: icons.eraser_icon,
}
PART_KEYS = {"head": "H", "hands": "Shift+H", "feet": "F"}
DISCLAIMER = (
    "nmt-bodymap is decision support for trained therapists, not a diagnosis. It points to muscles worth "
    "assessing; palpation, history and clinical judgement decide. Refer to a physician when symptoms "
    "suggest anything other than soft-tissue pain."
)
ShortcutSpec = str | QKeySequence | QKeySequence.StandardKey | list[QKeySequence] | None


class WindowActions(FileCommands):
    """Builds the actions, menus and toolbar of the main window."""

    model: SessionModel
    canvas: ChartCanvas
    candidates: CandidatesPanel
    tabs: QTabWidget
    session_dock: QDockWidget
    recent_menu: QMenu
    intensity: QSpinBox
    size_slider: QSlider

    # slots the window provides
    set_tool: Callable[[Tool], None]
    set_quality: Callable[[str], None]
    set_intensity: Callable[[int], None]
    set_size: Callable[[int], None]
    set_layout: Callable[[str], None]
    set_theme: Callable[[str], None]
    set_nerve_layer: Callable[[str], None]
    _next_nerve_layer: Callable[[], None]
    _fit: Callable[[], None]
    _show_atlas: Callable[[], None]

    def _action(
        self,
        text: str,
        slot: Callable[..., object],
        shortcut: ShortcutSpec = None,
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
        self.act_print = self._action(
            "&Print…", self.print_dialog, std.Print, "Preview and print the chart, the report or the handout"
        )
        self.act_forget_recent = self._action(
            "&Forget recent files", self.forget_recent_files, None, "Clear the list of recently opened sessions"
        )
        self.act_quit = self._action("&Quit", self.close, std.Quit, "Close nmt-bodymap")
        self.act_undo = self.model.undo_stack.createUndoAction(self, "&Undo")
        self.act_undo.setShortcuts([QKeySequence(std.Undo)])
        self.act_redo = self.model.undo_stack.createRedoAction(self, "&Redo")
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
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
            "Smaller brush", lambda: self.size_slider.setValue(self.size_slider.value() - 5), "[", "Make it smaller"
        )
        self.act_size_up = self._action(
            "Larger brush", lambda: self.size_slider.setValue(self.size_slider.value() + 5), "]", "Make it larger"
        )
        self._build_view_actions()
        self.act_about = self._action("&About nmt-bodymap", self.about, None, "About this app")
        self.act_scoring = self._action(
            "How the &ranking works", self.explain_scoring, "F1", "How candidates are scored"
        )
        self.set_icons()

    def _build_view_actions(self) -> None:
        std = QKeySequence.StandardKey
        self.layout_group = QActionGroup(self)
        self.layout_actions: dict[str, QAction] = {}
        for i, (name, title) in enumerate(LAYOUT_TITLES.items(), start=1):
            act = self._action(title, lambda _c=False: None, f"Ctrl+{i}", f"Show {title.lower()}", checkable=True)
            act.toggled.disconnect()
            act.toggled.connect(lambda on, n=name: self.set_layout(n) if on else None)
            self.layout_group.addAction(act)
            self.layout_actions[name] = act
        self.act_zoom_in = self._action(
            "Zoom &in", lambda: self.canvas.zoom_by(1.25), [QKeySequence(std.ZoomIn), QKeySequence("Ctrl+=")], "Zoom in"
        )
        self.act_zoom_out = self._action("Zoom &out", lambda: self.canvas.zoom_by(0.8), std.ZoomOut, "Zoom out")
        self.act_fit = self._action("&Fit to window", self._fit, "Ctrl+0", "Show the whole chart")
        self.part_actions = {
            part: self._action(
                f"Zoom to the {title.lower()}",
                lambda _c=False, p=part: self.canvas.zoom_to_part(p),
                PART_KEYS[part],
                f"Zoom to the {title.lower()}; press again for the next view"
                + (" or the other hand" if part == "hands" else ""),
            )
            for part, title in BODY_PART_TITLES.items()
        }
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
        self.nerve_layer_group = QActionGroup(self)
        self.nerve_layer_actions: dict[str, QAction] = {}
        for name, title in LAYERS.items():
            tip = "No nerve layer" if name == "none" else f"Show the {title.replace('&', '').lower()} under the drawing"
            act = self._action(title, lambda _c=False: None, None, tip, checkable=True)
            act.toggled.disconnect()
            act.toggled.connect(lambda on, n=name: self.set_nerve_layer(n) if on else None)
            self.nerve_layer_group.addAction(act)
            self.nerve_layer_actions[name] = act
        self.act_next_nerve_layer = self._action(
            "Next nerve layer", self._next_nerve_layer, "N", "Switch between no nerve layer, dermatomes and nerves"
        )
        self.theme_group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for name, title in THEMES.items():
            act = self._action(title, lambda _c=False: None, None, f"{title.replace('&', '')} colours", checkable=True)
            act.toggled.disconnect()
            act.toggled.connect(lambda on, n=name: self.set_theme(n) if on else None)
            self.theme_group.addAction(act)
            self.theme_actions[name] = act

    def set_icons(self) -> None:
        """(Re)draw the icons in the current palette's ink."""
        for tool, act in self.tool_actions.items():
            act.setIcon(TOOL_ICONS[tool]())
        self.act_undo.setIcon(icons.arrow_icon(back=True))
        self.act_redo.setIcon(icons.arrow_icon(back=False))
        self.act_fit.setIcon(icons.fit_icon())

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        file.addActions([self.act_new, self.act_open])
        self.recent_menu = file.addMenu("Open &recent")
        file.addAction(self.act_forget_recent)
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
        view.addActions(list(self.part_actions.values()))
        view.addSeparator()
        view.addActions([self.act_shade, self.act_chart_tab, self.act_atlas_tab, self.act_session])
        view.addSeparator()
        nerves = view.addMenu("&Nerve layer")
        nerves.addActions(list(self.nerve_layer_actions.values()))
        nerves.addSeparator()
        nerves.addAction(self.act_next_nerve_layer)
        theme = view.addMenu("&Theme")
        theme.addActions(list(self.theme_actions.values()))
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
        self.size_slider.setFixedWidth(96)
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


__all__ = ["DISCLAIMER", "LAYOUT_TITLES", "TOOL_INFO", "WindowActions"]
