"""Complaints as the therapist groups them: name, merge, split, move marks, and back to automatic grouping.

The lookup groups the marks into complaints by itself (marks of one family
lying close together; see :mod:`nmt_bodymap.lookup.complaints`). A complaint
the therapist touches becomes *explicit*: it is kept in
``Session.complaints`` (an id, a label, its marks) and saved with the
session; the engine keeps grouping the other marks automatically. An
explicit complaint with an empty label is named by the engine from the
regions its marks cover. Every edit is one undo step.

:meth:`ComplaintEdits.result_lists` gives the candidate panel its lists:
the whole drawing first, then each complaint with its own ranking, when
there is more than one complaint or the therapist has grouped any.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import NamedTuple

from nmt_bodymap.lookup import ComplaintResult, LookupResult
from nmt_bodymap.session import Complaint
from nmt_bodymap.ui.model_base import ModelBase

WHOLE_DRAWING = "Whole drawing"


class RankedList(NamedTuple):
    """One list the candidate panel offers: the whole drawing (``complaint`` "") or one complaint."""

    label: str
    result: LookupResult
    complaint: str = ""  # the complaint's id
    marks: tuple[str, ...] = ()
    automatic: bool = True


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


class ComplaintEdits(ModelBase):
    """The complaints of the drawing and the therapist's edits of them."""

    # -- reading -------------------------------------------------------------------

    def complaints(self) -> list[ComplaintResult]:
        """The drawing's complaints as ranked now (explicit first, then automatic), each with marks."""
        return [c for c in self.result.complaints if c.marks]

    def complaint(self, complaint_id: str) -> ComplaintResult | None:
        return next((c for c in self.complaints() if c.id == complaint_id), None)

    def complaint_of(self, mark_id: str) -> ComplaintResult | None:
        """The complaint a mark belongs to now."""
        return next((c for c in self.complaints() if mark_id in c.marks), None)

    def is_explicit(self, complaint_id: str) -> bool:
        return any(c.id == complaint_id for c in self.session.complaints)

    def result_lists(self) -> list[RankedList]:
        """The ranked lists the candidates panel offers: the whole drawing first, then each complaint.

        Only the whole drawing while the marks make one complaint the therapist has not touched.
        """
        lists = [RankedList(WHOLE_DRAWING, self.result)]
        complaints = self.complaints()
        if len(complaints) > 1 or any(not c.complaint.automatic for c in complaints):
            lists += [RankedList(c.label, c.result, c.id, c.marks, c.complaint.automatic) for c in complaints]
        return lists

    # -- editing -------------------------------------------------------------------

    def rename_complaint(self, complaint_id: str, label: str) -> None:
        """Name a complaint ("Headache"); an empty name lets the app name it from where its marks are."""
        label = " ".join(label.split())
        current = self.complaint(complaint_id)
        if current is None or (label == current.label and self.is_explicit(complaint_id)):
            return
        defined = self._defined(complaint_id)
        if defined is None:
            return
        named = replace(defined, label=label)
        text = f"Name the complaint “{label}”" if label else f"Name “{current.label}” automatically"
        self._set_complaints(self._with(named), text)

    def merge_complaints(self, target_id: str, other_id: str) -> None:
        """Join ``other_id`` into ``target_id`` (the target keeps its name, or takes the other's)."""
        target, other = self.complaint(target_id), self.complaint(other_id)
        if target is None or other is None or target_id == other_id:
            return
        defined = self._defined(target_id)
        assert defined is not None
        other_label = next((c.label for c in self.session.complaints if c.id == other_id), "")
        merged = replace(
            defined,
            label=defined.label or other_label,
            marks=tuple(dict.fromkeys([*defined.marks, *other.marks])),
        )
        rest = [c for c in self._with(merged) if c.id != other_id]
        self._set_complaints(rest, f"Merge “{other.label}” into “{target.label}”")

    def move_marks(self, mark_ids: Iterable[str], target_id: str | None, label: str = "") -> None:
        """Move marks to another complaint, or (``target_id`` None) split them out into a new one."""
        existing = {m.id for m in self.session.marks}
        moving = tuple(dict.fromkeys(m for m in mark_ids if m in existing))
        if not moving:
            return
        if target_id is None:
            target = Complaint(self._new_id(), " ".join(label.split()), moving)
            text = f"Split {_plural(len(moving), 'mark')} into a new complaint"
        else:
            shown = self.complaint(target_id)
            defined = self._defined(target_id)
            if shown is None or defined is None or set(moving) <= set(shown.marks):
                return
            kept = tuple(m for m in defined.marks if m not in moving)
            target = replace(defined, marks=kept + moving)
            text = f"Move {_plural(len(moving), 'mark')} to “{shown.label}”"
        others = []
        for c in self.session.complaints:
            if c.id == target.id:
                others.append(target)
            else:
                marks = tuple(m for m in c.marks if m not in moving)
                if marks:  # a complaint left without marks is gone
                    others.append(replace(c, marks=marks))
        if target.id not in {c.id for c in others}:
            others.append(target)
        self._set_complaints(others, text)

    def split_complaint(self, complaint_id: str, mark_ids: Iterable[str], label: str = "") -> None:
        """Take some of a complaint's marks out into a new complaint."""
        shown = self.complaint(complaint_id)
        if shown is None:
            return
        moving = [m for m in mark_ids if m in shown.marks]
        if moving and len(moving) < len(shown.marks):
            self.move_marks(moving, None, label)

    def ungroup_complaint(self, complaint_id: str) -> None:
        """Let the app group this complaint's marks again (the therapist's grouping of it is dropped)."""
        shown = self.complaint(complaint_id)
        if shown is None or not self.is_explicit(complaint_id):
            return
        rest = [c for c in self.session.complaints if c.id != complaint_id]
        self._set_complaints(rest, f"Group “{shown.label}” automatically")

    def reset_complaints(self) -> None:
        """Drop every grouping the therapist made: all marks are grouped automatically again."""
        if self.session.complaints:
            self._set_complaints([], "Group all complaints automatically")

    def next_mark_id(self) -> str:
        """A mark id used by no mark and named by no complaint (so a new mark never joins one by chance)."""
        named = {m for c in self.session.complaints for m in c.marks}
        used = {m.id for m in self.session.marks} | named
        n = len(self.session.marks) + 1
        while f"m{n}" in used:
            n += 1
        return f"m{n}"

    # -- helpers ---------------------------------------------------------------------

    def _defined(self, complaint_id: str) -> Complaint | None:
        """The therapist's definition of a shown complaint; an automatic one becomes explicit (a new id)."""
        for c in self.session.complaints:
            if c.id == complaint_id:
                return c
        shown = self.complaint(complaint_id)
        return None if shown is None else Complaint(self._new_id(), "", tuple(shown.marks))

    def _with(self, defined: Complaint) -> list[Complaint]:
        """The explicit complaints with ``defined`` replacing its old self (or added at the end)."""
        out = [defined if c.id == defined.id else c for c in self.session.complaints]
        return out if any(c.id == defined.id for c in out) else [*out, defined]

    def _new_id(self) -> str:
        used = {c.id for c in self.session.complaints}
        n = len(used) + 1
        while f"c{n}" in used:
            n += 1
        return f"c{n}"

    def _set_complaints(self, complaints: Sequence[Complaint], text: str) -> None:
        old, new = list(self.session.complaints), list(complaints)
        if old == new:
            return

        def setter(value: list[Complaint]) -> None:
            self.session.complaints = list(value)
            self.complaintsChanged.emit()
            self.rerank(immediately=True)

        self.push(text, lambda: setter(new), lambda: setter(old))


__all__ = ["WHOLE_DRAWING", "ComplaintEdits", "RankedList"]
