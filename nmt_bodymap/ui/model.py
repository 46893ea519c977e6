"""The app's model: the open session, its undo history, and its ranking.

Widgets receive a :class:`SessionModel` and listen to its signals; the model
never knows about widgets. Every change goes through the undo stack, marks
the session dirty and re-ranks the candidates; a brush stroke being painted
is ranked live as a *preview* without touching the history.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from nmt_bodymap.atlas import Atlas
from nmt_bodymap.chart import Chart
from nmt_bodymap.lookup import LookupEngine, LookupResult
from nmt_bodymap.session import CauseNote, PainMark, Session


class _Command(QUndoCommand):
    """An undoable change described by two callables."""

    def __init__(
        self, text: str, redo: Callable[[], None], undo: Callable[[], None], merge_id: int = -1, merge_key: str = ""
    ) -> None:
        super().__init__(text)
        self._redo, self._undo = redo, undo
        self._merge_id, self.merge_key = merge_id, merge_key

    def redo(self) -> None:
        self._redo()

    def undo(self) -> None:
        self._undo()

    def id(self) -> int:
        return self._merge_id

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, _Command) or other.id() != self.id() or other.merge_key != self.merge_key:
            return False
        self._redo = other._redo
        return True


class SessionModel(QObject):
    """The open session; the single source of truth for every widget."""

    marksChanged = Signal()
    findingsChanged = Signal()
    detailsChanged = Signal()
    resultChanged = Signal(object)  # LookupResult
    previewChanged = Signal(object)  # PainMark or None
    dirtyChanged = Signal(bool)
    pathChanged = Signal(str)
    changed = Signal()  # any change that should be autosaved

    MERGE_TEXT = 1
    PREVIEW_RANK_MS = 40

    def __init__(self, chart: Chart, atlas: Atlas, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.chart = chart
        self.atlas = atlas
        self.engine = LookupEngine(atlas, chart)
        self.session = Session()
        self.path = ""
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        self.undo_stack.indexChanged.connect(self._index_changed)
        self.preview: PainMark | None = None
        self.result: LookupResult = self.engine.rank([])
        # while a stroke is painted the list re-ranks at most every PREVIEW_RANK_MS; the stroke
        # itself is drawn at every mouse move, so painting never waits for the ranking
        self._rank_timer = QTimer(self)
        self._rank_timer.setSingleShot(True)
        self._rank_timer.setInterval(self.PREVIEW_RANK_MS)
        self._rank_timer.timeout.connect(self._rank_now)

    # -- state ---------------------------------------------------------------

    def _clean_changed(self, clean: bool) -> None:
        self.dirtyChanged.emit(not clean)

    def _index_changed(self, _index: int) -> None:
        self.changed.emit()

    @property
    def dirty(self) -> bool:
        return not self.undo_stack.isClean()

    def replace_session(self, session: Session, path: str = "", dirty: bool = False) -> None:
        """Show another session (new, opened or restored); the history starts afresh."""
        self.session = session
        self.undo_stack.clear()
        if dirty:
            # a restored session is unsaved work: leave the clean state behind
            self.undo_stack.resetClean()
        self.set_path(path)
        self.preview = None
        self.marksChanged.emit()
        self.findingsChanged.emit()
        self.detailsChanged.emit()
        self.dirtyChanged.emit(self.dirty)
        self.rerank(immediately=True)

    def set_path(self, path: str) -> None:
        self.path = path
        self.pathChanged.emit(path)

    def mark_saved(self, path: str) -> None:
        self.set_path(path)
        self.undo_stack.setClean()

    # -- drawing ---------------------------------------------------------------

    def next_mark_id(self) -> str:
        return self.session.next_mark_id()

    def add_mark(self, mark: PainMark) -> None:
        def redo() -> None:
            self.session.marks.append(mark)
            self._marks_changed()

        def undo() -> None:
            self.session.marks = [m for m in self.session.marks if m.id != mark.id]
            self._marks_changed()

        self.set_preview(None)
        self.undo_stack.push(_Command(f"Add {mark.quality} pain", redo, undo))

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

        self.undo_stack.push(_Command(text, redo, undo))

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
                self.findingsChanged.emit()
                self.rerank(immediately=True)

            return run

        label = {"active": "active", "latent": "latent", "not-tender": "not tender", None: "unmarked"}[finding]
        self.undo_stack.push(_Command(f"Mark {key} {label}", setter(finding), setter(old)))

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

        self.undo_stack.push(
            _Command(f"Edit {field.replace('_', ' ')}", setter(value), setter(old), self.MERGE_TEXT, field)
        )

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

        self.undo_stack.push(_Command(f"Assess {cause}", setter(new), setter(old), self.MERGE_TEXT, f"cause:{cause}"))

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

        self.undo_stack.push(_Command("Choose handout muscles", setter(new), setter(old)))

    # -- ranking -----------------------------------------------------------------

    def rerank(self, immediately: bool = False) -> None:
        """Re-rank now, or within PREVIEW_RANK_MS (a burst of changes gives one ranking)."""
        if immediately:
            self._rank_now()
        elif not self._rank_timer.isActive():
            self._rank_timer.start()

    def _rank_now(self) -> None:
        self._rank_timer.stop()
        marks = list(self.session.marks) + ([self.preview] if self.preview is not None else [])
        # the therapist's own complaints (session format 2) override the automatic grouping
        self.result = self.engine.rank(marks, self.session.findings, getattr(self.session, "complaints", None))
        self.resultChanged.emit(self.result)
