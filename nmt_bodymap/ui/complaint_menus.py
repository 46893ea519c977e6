"""The complaint commands: the menu of a complaint's tab, the menu of marks on the chart, naming a complaint.

A complaint's tab (right-click) offers: name it, merge it with another,
move the marks selected on the chart into it, split them out of it into a
new complaint, let the app group it again, or group every mark
automatically again. A right-click on a mark (or on one of the marks
selected with Ctrl+click) offers: move to another complaint or to a new
one, name its complaint, delete. Every command goes through the model, as
one undo step.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMenu, QWidget

from nmt_bodymap.ui.chart_canvas import ChartCanvas
from nmt_bodymap.ui.model import SessionModel
from nmt_bodymap.ui.model_complaints import RankedList

SELECT_HINT = "Ctrl+click marks on the chart to choose them"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


class ComplaintMenus(QObject):
    """Builds and runs the complaint menus for one window."""

    def __init__(self, model: SessionModel, canvas: ChartCanvas, parent: QWidget) -> None:
        super().__init__(parent)
        self.model = model
        self.canvas = canvas
        self.window = parent
        #: The menu last shown (kept for tests and accessibility).
        self.menu: QMenu | None = None

    # -- naming ------------------------------------------------------------------------

    def rename(self, complaint_id: str) -> bool:
        """Ask for a complaint's name; True when one was given."""
        shown = self.model.complaint(complaint_id)
        if shown is None:
            return False
        label, ok = QInputDialog.getText(
            self.window,
            "Name the complaint",
            "What the client calls it (empty: named from where its marks are):",
            QLineEdit.EchoMode.Normal,
            shown.label,
        )
        if ok:
            self.model.rename_complaint(complaint_id, label)
        return bool(ok)

    # -- a tab's menu ----------------------------------------------------------------------

    def tab_menu(self, ranked: RankedList) -> QMenu:
        """The menu of a list's tab: the whole drawing's, or a complaint's."""
        menu = QMenu(self.window)
        model = self.model
        if ranked.complaint:
            cid = ranked.complaint
            menu.addAction("&Name this complaint…", lambda: self.rename(cid))
            merge = menu.addMenu("&Merge with")
            others = [c for c in model.complaints() if c.id != cid]
            for other in others:
                merge.addAction(other.label, partial(model.merge_complaints, cid, other.id))
            merge.setEnabled(bool(others))
            selected = self.canvas.selected_marks
            here = [m for m in selected if m in ranked.marks]
            move = menu.addAction(
                f"M&ove the {_plural(len(selected), 'selected mark')} here"
                if selected
                else "M&ove the selected marks here",
                lambda: model.move_marks(selected, cid),
            )
            move.setEnabled(bool(selected) and len(here) < len(selected))
            split = menu.addAction(
                f"&Split the {_plural(len(here), 'selected mark')} into a new complaint"
                if here
                else "&Split the selected marks into a new complaint",
                lambda: model.split_complaint(cid, here),
            )
            split.setEnabled(0 < len(here) < len(ranked.marks))
            if not selected:
                hint = menu.addAction(SELECT_HINT)
                hint.setEnabled(False)
            menu.addSeparator()
            again = menu.addAction("&Group automatically again", lambda: model.ungroup_complaint(cid))
            again.setEnabled(model.is_explicit(cid))
        else:
            hint = menu.addAction("Right-click a complaint's tab to name, merge or split it")
            hint.setEnabled(False)
        reset = menu.addAction("Group &all marks automatically", model.reset_complaints)
        reset.setEnabled(bool(model.session.complaints))
        return menu

    # -- a mark's menu ---------------------------------------------------------------------

    def mark_menu(self, mark_ids: Sequence[str]) -> QMenu:
        """The menu of marks on the chart (one mark, or the selection the clicked mark is in)."""
        menu = QMenu(self.window)
        model = self.model
        ids = [m for m in mark_ids if any(x.id == m for x in model.session.marks)]
        owners = {c.id: c for m in ids if (c := model.complaint_of(m)) is not None}
        what = _plural(len(ids), "mark") if len(ids) != 1 else "This mark"
        if len(owners) == 1:
            owner = next(iter(owners.values()))
            heading = menu.addAction(f"{what} · {owner.label}")
        else:
            heading = menu.addAction(f"{what} · {len(owners)} complaints")
        heading.setEnabled(False)
        menu.addSeparator()
        move = menu.addMenu("&Move to complaint")
        for c in model.complaints():
            if not set(ids) <= set(c.marks):
                move.addAction(c.label, partial(model.move_marks, ids, c.id))
        move.addSeparator()
        move.addAction("&New complaint", lambda: model.move_marks(ids, None))
        if len(owners) == 1:
            owner_id = next(iter(owners))
            menu.addAction("&Name its complaint…", lambda: self.rename(owner_id))
            again = menu.addAction("&Group automatically again", lambda: model.ungroup_complaint(owner_id))
            again.setEnabled(model.is_explicit(owner_id))
        menu.addSeparator()
        marks = [m for m in model.session.marks if m.id in ids]
        menu.addAction(
            f"&Delete {'the mark' if len(ids) == 1 else _plural(len(ids), 'mark')}", lambda: model.delete_marks(marks)
        )
        if self.canvas.selected_marks:
            menu.addAction("&Clear the selection", lambda: self.canvas.select_marks(()))
        return menu

    def popup(self, menu: QMenu, where: QPoint) -> QMenu:
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.menu = menu
        menu.popup(where)
        return menu

    def show_tab_menu(self, ranked: RankedList, where: QPoint) -> QMenu:
        return self.popup(self.tab_menu(ranked), where)

    def show_mark_menu(self, mark_ids: Sequence[str], where: QPoint) -> QMenu:
        return self.popup(self.mark_menu(mark_ids), where)


__all__ = ["ComplaintMenus"]
