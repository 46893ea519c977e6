"""The amendment history of a visit: every earlier version, who replaced it, when and why.

A closed visit is a record; saving it again keeps the version it replaces
(:meth:`Store.update_visit`). This dialog lists the current version and
the earlier ones, newest first, and shows what a selected version said.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from nmt_bodymap.session import Session, SessionError, from_dict

if TYPE_CHECKING:
    from nmt_bodymap.store import Visit, VisitVersion


def _when(value: dt.datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value is not None else "–"


def session_summary(session: Session, name_of: Callable[[str], str] = str) -> str:
    """What a version of a visit said, as a short HTML page (``name_of`` names a trigger point key)."""
    t, s = session.treatment, session.soap
    rows = [
        ("Date", session.date),
        ("Therapist", session.therapist or "–"),
        ("Pain marks", str(len(session.marks))),
        ("Pain before → after", f"{_n(t.pain_before)} → {_n(t.pain_after)}"),
        ("Trigger points treated", ", ".join(name_of(k) for k in t.trigger_points) or "–"),
        ("Technique", t.technique or "–"),
        ("Red flags", ", ".join(session.red_flags.present) or ("none" if session.red_flags.screened else "not asked")),
    ]
    html = "<table cellspacing='2'>" + "".join(
        f"<tr><td><b>{escape(k)}</b>&nbsp;</td><td>{escape(v)}</td></tr>" for k, v in rows
    )
    html += "</table>"
    for title, text in (
        ("Subjective", s.subjective),
        ("Objective", s.objective),
        ("Assessment", s.assessment),
        ("Plan", s.plan),
        ("Notes", session.notes),
    ):
        if text:
            html += f"<p><b>{title}</b><br>{escape(text).replace(chr(10), '<br>')}</p>"
    return html


def _n(value: int | None) -> str:
    return "–" if value is None else str(value)


class HistoryDialog(QDialog):
    """The current version of a visit and its earlier versions."""

    def __init__(
        self,
        visit: Visit,
        history: list[VisitVersion],
        parent: QWidget | None = None,
        name_of: Callable[[str], str] = str,
    ) -> None:
        super().__init__(parent)
        self._name_of = name_of
        self.setWindowTitle(f"Amendment history: visit of {visit.summary.date.isoformat()}")
        layout = QVBoxLayout(self)
        n = len(history)
        intro = QLabel(
            f"This visit was amended {n} time{'s' if n != 1 else ''} after it was closed; every earlier version "
            "is kept."
            if n
            else "This visit has no earlier versions: it was not changed after it was closed."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.versions = QListWidget()
        self.versions.setAccessibleName("Versions")
        self.detail = QTextBrowser()
        split.addWidget(self.versions)
        split.addWidget(self.detail)
        split.setSizes([300, 420])
        layout.addWidget(split, 1)
        s = visit.summary
        current = QListWidgetItem(f"Current, version {s.version}\nsaved {_when(s.updated_at)} by {s.updated_by or '–'}")
        current.setData(Qt.ItemDataRole.UserRole, visit.document)
        self.versions.addItem(current)
        for v in reversed(history):
            reason = f"\nwhy: {v.reason}" if v.reason else "\nno reason given"
            item = QListWidgetItem(
                f"Version {v.version}, saved {_when(v.saved_at)} by {v.saved_by or '–'}\n"
                f"replaced {_when(v.replaced_at)} by {v.replaced_by or '–'}{reason}"
            )
            item.setData(Qt.ItemDataRole.UserRole, v.document)
            self.versions.addItem(item)
        self.versions.currentItemChanged.connect(self._show)
        self.versions.setCurrentRow(0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, 480)

    def _show(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        document: Any = item.data(Qt.ItemDataRole.UserRole)
        try:
            self.detail.setHtml(session_summary(from_dict(document, "visit version"), self._name_of))
        except (SessionError, TypeError, ValueError) as exc:
            self.detail.setPlainText(f"This version cannot be read: {exc}")

    def version_texts(self) -> list[str]:
        return [self.versions.item(i).text() for i in range(self.versions.count())]


__all__ = ["HistoryDialog", "session_summary"]
