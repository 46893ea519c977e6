"""The app's model: the open session, its undo history, and its ranking.

Widgets receive a :class:`SessionModel` and listen to its signals; the model
never knows about widgets. Every change goes through the undo stack, marks
the session dirty and re-ranks the candidates; a brush stroke being painted
is ranked live as a *preview* without touching the history.

The model is split by job: :mod:`.model_base` (signals, history, ranking),
this module (the drawing, palpation findings, the session's details, the
ghost), :mod:`.model_visit` (the visit record) and :mod:`.model_complaints`
(the complaints); :class:`SessionModel` joins them.

For a visit of a client's record the model also holds a *ghost*: the last
visit's drawing, shown faintly under the marks to confirm or redraw. It is
not part of the session; adopting it as today's drawing is an undoable edit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from PySide6.QtCore import QObject

from nmt_bodymap.atlas import Atlas, SidedTriggerPoint
from nmt_bodymap.chart import Chart
from nmt_bodymap.session import QUALITY_TITLES, CauseNote, PainMark, Session
from nmt_bodymap.ui.model_base import Command
from nmt_bodymap.ui.model_complaints import WHOLE_DRAWING, ComplaintEdits, RankedList
from nmt_bodymap.ui.model_visit import COPYABLE_SECTIONS, SOAP_FIELDS, VisitEdits

#: Palpation findings as the app names them (None: no finding recorded).
FINDING_TITLES: dict[str | None, str] = {
    "active": "Active",
    "latent": "Latent",
    "not-tender": "Not tender",
    None: "No finding",
}
SIDE_WORDS = {"right": "right", "left": "left", "midline": "midline"}


def short_trp_label(label: str) -> str:
    """The trigger point's short name: "TrP1" from "TrP1, upper fibres (anterior border)"."""
    head = label.split(",")[0].strip()
    return head if head.lower().startswith("trp") and len(head) <= 8 else label


def trigger_point_title(sided: SidedTriggerPoint) -> str:
    """A sided trigger point as a person reads it: "Trapezius TrP1 (right)"."""
    return f"{sided.muscle.name} {short_trp_label(sided.trp.label)} ({SIDE_WORDS[sided.side]})"


class SessionModel(ComplaintEdits, VisitEdits):
    """The open session; the single source of truth for every widget (signals in :class:`ModelBase`)."""

    def __init__(self, chart: Chart, atlas: Atlas, parent: QObject | None = None) -> None:
        super().__init__(chart, atlas, parent)
        self._sided = atlas.by_key()
        self.ghost: list[PainMark] = []
        self.record_label = ""  # "Visit 2026-11-20 · C-017" when the session is a visit of the record

    # -- the session -------------------------------------------------------------

    def replace_session(self, session: Session, path: str = "", dirty: bool = False) -> None:
        """Show another session (new, opened or restored); the history starts afresh."""
        self.session = session
        self.undo_stack.clear()
        if dirty:
            # a restored session is unsaved work: leave the clean state behind
            self.undo_stack.resetClean()
        self.set_path(path)
        self.preview = None
        self.sessionReplaced.emit()
        self.set_ghost([])
        self.marksChanged.emit()
        self.findingsChanged.emit()
        self.detailsChanged.emit()
        self.complaintsChanged.emit()
        self.dirtyChanged.emit(self.dirty)
        self.rerank(immediately=True)

    # -- drawing ---------------------------------------------------------------

    def add_mark(self, mark: PainMark) -> None:
        def redo() -> None:
            self.session.marks.append(mark)
            self._marks_changed()

        def undo() -> None:
            self.session.marks = [m for m in self.session.marks if m.id != mark.id]
            self._marks_changed()

        self.set_preview(None)
        self.push(f"Add {QUALITY_TITLES[mark.quality].lower()} pain", redo, undo)

    def delete_marks(self, marks: list[PainMark]) -> None:
        """Delete whole marks (a click with the eraser)."""
        if marks:
            what = QUALITY_TITLES[marks[0].quality].lower() if len(marks) == 1 else f"{len(marks)}"
            self.replace_marks(marks, [], f"Delete {what} pain mark" + ("s" if len(marks) > 1 else ""))

    def withdraw_last(self, index: int) -> bool:
        """Take back the change that left the history at ``index`` (the first click of a double-click).

        Only when nothing happened since; the change leaves no trace in undo or redo.
        """
        stack = self.undo_stack
        if index <= 0 or stack.index() != index or stack.count() != index:
            return False
        command = stack.command(index - 1)
        if not isinstance(command, Command):
            return False
        command.withdrawn = True
        stack.undo()
        return True

    def replace_marks(self, before: list[PainMark], after: list[PainMark], text: str) -> None:
        """Swap a set of marks for another (the eraser; clearing the drawing)."""
        before_ids = {m.id for m in before}
        old = list(self.session.marks)

        def redo() -> None:
            kept = [m for m in old if m.id not in before_ids]
            self.session.marks = kept + after
            self._marks_changed()

        def undo() -> None:
            self.session.marks = list(old)
            self._marks_changed()

        self.push(text, redo, undo)

    def clear_marks(self) -> None:
        if self.session.marks:
            self.replace_marks(list(self.session.marks), [], "Clear the drawing")

    def set_preview(self, mark: PainMark | None) -> None:
        """A stroke being painted: ranked live, not yet in the history."""
        self.preview = mark
        self.previewChanged.emit(mark)
        self.rerank()

    def _marks_changed(self) -> None:
        self.marksChanged.emit()
        self.rerank(immediately=True)

    # -- findings and details ----------------------------------------------------

    def set_finding(self, key: str, finding: str | None) -> None:
        old = self.session.findings.get(key)
        if old == finding:
            return

        def setter(value: str | None) -> Callable[[], None]:
            def run() -> None:
                if value is None:
                    self.session.findings.pop(key, None)
                else:
                    self.session.findings[key] = value
                self.findingSet.emit(key)
                self.findingsChanged.emit()
                self.rerank(immediately=True)

            return run

        self.push(self.finding_text(key, finding), setter(finding), setter(old))

    def sided(self, key: str) -> SidedTriggerPoint | None:
        """A sided trigger point by its key (``muscle/trp:side``)."""
        return self._sided.get(key)

    def finding_text(self, key: str, finding: str | None) -> str:
        """The undo text of a finding: "Mark trapezius TrP1 (right) not tender"."""
        sided = self.sided(key)
        who = trigger_point_title(sided) if sided is not None else key
        who = who[:1].lower() + who[1:] if who[:2] != who[:2].upper() else who
        if finding is None:
            return f"Clear the finding of {who}"
        return f"Mark {who} {FINDING_TITLES[finding].lower()}"

    def set_detail(self, field: str, value: object) -> None:
        """Client name or code, date, notes; typing merges into one undo step."""
        old = getattr(self.session, field)
        if old == value:
            return

        def setter(v: object) -> Callable[[], None]:
            def run() -> None:
                setattr(self.session, field, v)
                self.detailsChanged.emit()

            return run

        self.push(f"Edit {field.replace('_', ' ')}", setter(value), setter(old), field)

    def set_cause(self, cause: str, level: int | None = None, note: str | None = None) -> None:
        old = self.session.assessment[cause]
        new = CauseNote(old.level if level is None else level, old.note if note is None else note)
        if new == old:
            return

        def setter(v: CauseNote) -> Callable[[], None]:
            def run() -> None:
                self.session.assessment[cause] = v
                self.detailsChanged.emit()

            return run

        self.push(f"Assess {cause}", setter(new), setter(old), f"cause:{cause}")

    def toggle_handout(self, muscle_id: str, on: bool) -> None:
        old = list(self.session.handout)
        new = [m for m in old if m != muscle_id] + ([muscle_id] if on else [])
        if new == old:
            return

        def setter(v: list[str]) -> Callable[[], None]:
            def run() -> None:
                self.session.handout = list(v)
                self.detailsChanged.emit()

            return run

        self.push("Choose handout muscles", setter(new), setter(old))

    # -- the ghost of the last visit's drawing -------------------------------------

    def set_ghost(self, marks: Sequence[PainMark]) -> None:
        """Show ``marks`` faintly under the drawing (not part of the session, not undoable)."""
        if not marks and not self.ghost:
            return
        self.ghost = list(marks)
        self.ghostChanged.emit()

    def adopt_ghost(self) -> None:
        """Take the ghost drawing as this session's drawing (one undo step; undo shows the ghost again)."""
        ghost, old = list(self.ghost), list(self.session.marks)
        if not ghost:
            return
        adopted = Session(marks=list(old))
        for mark in ghost:  # fresh ids: the ghost's may be taken by marks drawn meanwhile
            adopted.marks.append(replace(mark, id=adopted.next_mark_id()))
        new = adopted.marks

        def redo() -> None:
            self.session.marks = list(new)
            self.ghost = []
            self.ghostChanged.emit()
            self._marks_changed()

        def undo() -> None:
            self.session.marks = list(old)
            self.ghost = list(ghost)
            self.ghostChanged.emit()
            self._marks_changed()

        self.push("Use the last visit's drawing", redo, undo)

    def set_record_label(self, label: str) -> None:
        """What the window calls a session of the record (it has no file path)."""
        self.record_label = label
        self.pathChanged.emit(self.path)


__all__ = [
    "COPYABLE_SECTIONS",
    "FINDING_TITLES",
    "SOAP_FIELDS",
    "WHOLE_DRAWING",
    "RankedList",
    "SessionModel",
    "short_trp_label",
    "trigger_point_title",
]
