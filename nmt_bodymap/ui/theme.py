"""Light, dark or the system's choice: the app's palettes and the colours its own text uses.

Both palettes are explicit (on the Fusion style, which honours them on every
platform), so their contrast can be checked: every pair of text and
background the app uses reaches WCAG AA (4.5:1). Colours the app adds on top
of the palette (atlas headings, muted text, the selected candidate) are
derived here from the palette in use, never hard-coded in a widget.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

THEMES: dict[str, str] = {"system": "&System", "light": "&Light", "dark": "&Dark"}
WCAG_AA = 4.5

_LIGHT = {
    "window": "#f2f3f5",
    "text": "#1d2126",
    "base": "#ffffff",
    "alternate": "#f5f6f8",
    "button": "#e6e8eb",
    "highlight": "#2f6690",
    "highlighted_text": "#ffffff",
    "placeholder": "#5c636d",
    "link": "#1f5f99",
    "tooltip": "#fdfbe6",
    "disabled": "#8b9097",
}
_DARK = {
    "window": "#26282c",
    "text": "#e8eaed",
    "base": "#1c1e21",
    "alternate": "#24272b",
    "button": "#33363b",
    "highlight": "#35699e",
    "highlighted_text": "#ffffff",
    "placeholder": "#a6acb4",
    "link": "#8cc0ea",
    "tooltip": "#33363b",
    "disabled": "#777c84",
}


def luminance(color: QColor) -> float:
    """WCAG relative luminance of an opaque colour."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF())


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def _readable(color: QColor, background: QColor, minimum: float = WCAG_AA) -> QColor:
    """``color``, lightened or darkened just enough to reach ``minimum`` contrast on ``background``."""
    out = QColor(color)
    lighten = luminance(background) < 0.18
    for _ in range(40):
        if contrast(out, background) >= minimum:
            return out
        hue, sat, val = out.hsvHueF(), out.hsvSaturationF(), out.valueF()
        val = min(1.0, val + 0.04) if lighten else max(0.0, val - 0.04)
        sat = max(0.0, sat - 0.02) if lighten else sat
        out = QColor.fromHsvF(max(hue, 0.0), sat, val, out.alphaF())
    return QColor("#ffffff") if lighten else QColor("#000000")


def heading_color(palette: QPalette | None = None) -> QColor:
    """Section headings (atlas text, panel titles): the app's blue, readable on the palette's base."""
    pal = palette or app_palette()
    base = pal.color(QPalette.ColorRole.Base)
    return _readable(QColor("#8cc0ea") if is_dark(pal) else QColor("#2f6690"), base)


def muted_color(palette: QPalette | None = None) -> QColor:
    """Secondary text (explanations, sources): the placeholder colour, kept readable on base and window."""
    pal = palette or app_palette()
    color = pal.color(QPalette.ColorRole.PlaceholderText)
    for role in (QPalette.ColorRole.Base, QPalette.ColorRole.Window):
        color = _readable(color, pal.color(role))
    return color


def warning_colors(palette: QPalette | None = None) -> tuple[QColor, QColor, QColor]:
    """Background, border and text of a "rule out first" notice."""
    pal = palette or app_palette()
    if is_dark(pal):
        back, border = QColor("#3a2a1c"), QColor("#c9842b")
    else:
        back, border = QColor("#fff4e0"), QColor("#c77700")
    return back, border, _readable(pal.color(QPalette.ColorRole.Text), back)


def selection_background(palette: QPalette | None = None) -> QColor:
    """Background of the selected candidate row: a quiet tint of the highlight colour."""
    pal = palette or app_palette()
    return QColor("#20364a") if is_dark(pal) else QColor("#dce8f3")


def app_palette() -> QPalette:
    """The application's palette (a widget's own palette is only resolved once it is shown)."""
    app = QGuiApplication.instance()
    return app.palette() if isinstance(app, QGuiApplication) else QPalette()


def make_palette(dark: bool) -> QPalette:
    c = _DARK if dark else _LIGHT
    pal = QPalette(QColor(c["button"]), QColor(c["window"]))  # derives the bevel shades
    roles = {
        QPalette.ColorRole.Window: c["window"],
        QPalette.ColorRole.WindowText: c["text"],
        QPalette.ColorRole.Base: c["base"],
        QPalette.ColorRole.AlternateBase: c["alternate"],
        QPalette.ColorRole.Text: c["text"],
        QPalette.ColorRole.Button: c["button"],
        QPalette.ColorRole.ButtonText: c["text"],
        QPalette.ColorRole.BrightText: "#ffffff",
        QPalette.ColorRole.Highlight: c["highlight"],
        QPalette.ColorRole.HighlightedText: c["highlighted_text"],
        QPalette.ColorRole.PlaceholderText: c["placeholder"],
        QPalette.ColorRole.Link: c["link"],
        QPalette.ColorRole.LinkVisited: c["link"],
        QPalette.ColorRole.ToolTipBase: c["tooltip"],
        QPalette.ColorRole.ToolTipText: c["text"],
    }
    for role, value in roles.items():
        pal.setColor(QPalette.ColorGroup.All, role, QColor(value))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor(c["disabled"]))
    return pal


def system_prefers_dark() -> bool:
    app = QGuiApplication.instance()
    if not isinstance(app, QGuiApplication):
        return False
    return app.styleHints().colorScheme() == Qt.ColorScheme.Dark


def resolve(choice: str) -> str:
    """ "light" or "dark" for a choice of :data:`THEMES`."""
    if choice == "system":
        return "dark" if system_prefers_dark() else "light"
    return "dark" if choice == "dark" else "light"


def apply_theme(choice: str) -> str:
    """Give the application the palette of ``choice``; return "light" or "dark"."""
    app = QApplication.instance()
    mode = resolve(choice)
    if isinstance(app, QApplication):
        style = QStyleFactory.create("Fusion")
        if style is not None and app.style().name().lower() != "fusion":
            app.setStyle(style)
        app.setPalette(make_palette(mode == "dark"))
    return mode


__all__ = [
    "THEMES",
    "WCAG_AA",
    "app_palette",
    "apply_theme",
    "contrast",
    "heading_color",
    "is_dark",
    "make_palette",
    "muted_color",
    "resolve",
    "selection_background",
    "warning_colors",
]
