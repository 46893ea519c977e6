"""The parts a muscle's and a nerve's page in the atlas browser share.

Both pages have a large title over a muted subtitle, a "rule out first"
notice whose link scrolls the description to its rule-out section, and a
drawing (with what goes under it) beside the description in a splitter.
Their descriptions are HTML made of the same pieces: the rule-out box
first, then headed sections, many of them bulleted lists.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QLabel, QSplitter, QTextBrowser, QVBoxLayout, QWidget

from nmt_bodymap.atlas import RuleOut
from nmt_bodymap.ui.theme import warning_colors
from nmt_bodymap.ui.widgets import ElidedLabel

#: The anchor in the description that the notice's link scrolls to.
RULE_OUT_ANCHOR = "rule-out"


def section_html(title: str, body: str, head: str) -> str:
    """A description's section: ``title`` as a heading in the colour ``head``, then ``body``."""
    return f"<h3 style='color:{head}; margin-top:10px; margin-bottom:3px'>{title}</h3>{body}"


def list_html(values: Sequence[str]) -> str:
    """A bulleted list of HTML ``values``."""
    return "<ul style='margin-left:-18px'>" + "".join(f"<li>{v}</li>" for v in values) + "</ul>"


def rule_out_html(items: Sequence[RuleOut], palette: QPalette, note: str = "") -> str:
    """The description's "Rule out first" box (``note`` after its heading): each condition with its signs."""
    back, border, ink = warning_colors(palette)
    rows = "".join(f"<p style='margin:3px 0'><b>{escape(r.condition)}</b>: {escape(r.signs)}</p>" for r in items)
    return (
        f"<a name='{RULE_OUT_ANCHOR}'></a><table width='100%' cellpadding='6' cellspacing='0' "
        f"style='background:{back.name()}; border:1px solid {border.name()}; color:{ink.name()}'>"
        f"<tr><td><b>Rule out first</b>{note}{rows}</td></tr></table>"
    )


def title_label(font: QFont) -> ElidedLabel:
    """A page's title: one line in a font half as large again as ``font``."""
    title = ElidedLabel()
    title_font = QFont(font)
    title_font.setPointSizeF(title_font.pointSizeF() * 1.45)
    title.setFont(title_font)
    return title


def description_browser(accessible_name: str) -> QTextBrowser:
    """The page's text, which never follows links out of the app."""
    text = QTextBrowser()
    text.setOpenExternalLinks(False)
    text.setAccessibleName(accessible_name)
    text.setMinimumWidth(160)
    return text


def figure_beside_text(figure: QWidget, under_figure: QWidget, text: QTextBrowser) -> QSplitter:
    """The drawing (taking the spare height) over ``under_figure``, beside the text: 3 to 2."""
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.addWidget(figure, 1)
    column.addWidget(under_figure)
    body = QSplitter(Qt.Orientation.Horizontal)
    body.addWidget(box)
    body.addWidget(text)
    body.setStretchFactor(0, 3)
    body.setStretchFactor(1, 2)
    body.setSizes([560, 380])
    return body


class RuleOutNotice(QLabel):
    """ "⚠ Rule out first: …" in the warning colours; its link scrolls ``text`` to the rule-out section."""

    def __init__(self, text: QTextBrowser, link_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._link_text = link_text
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setAccessibleName("Rule out first")
        self.linkActivated.connect(lambda _link: text.scrollToAnchor(RULE_OUT_ANCHOR))

    def show_conditions(self, conditions: Sequence[str], palette: QPalette) -> None:
        """Name the conditions to rule out first, or hide the notice when there are none."""
        self.setVisible(bool(conditions))
        if not conditions:
            return
        back, border, ink = warning_colors(palette)
        self.setStyleSheet(
            f"QLabel {{ background: {back.name()}; border: 1px solid {border.name()}; "
            f"color: {ink.name()}; padding: 4px 6px; }}"
        )
        summary = "Rule out first: " + "; ".join(conditions)
        self.setText(
            f"<b>\u26a0 {escape(summary)}</b> &nbsp;"
            f"<a href='#{RULE_OUT_ANCHOR}' style='color:{ink.name()}'>{self._link_text}</a>"
        )


__all__ = [
    "RULE_OUT_ANCHOR",
    "RuleOutNotice",
    "description_browser",
    "figure_beside_text",
    "list_html",
    "rule_out_html",
    "section_html",
    "title_label",
]
