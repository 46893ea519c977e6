"""The core of the app's model: the open session, its undo history, and its ranking.

:class:`ModelBase` holds what every kind of edit needs: the signals the
widgets listen to, the session, the undo stack (every change is a
:class:`Command` on it), the saved/unsaved state, and the ranking that
follows every change (a stroke being painted is ranked live as a
*preview*, at most every :attr:`ModelBase.PREVIEW_RANK_MS`). The edits
themselves are in the modules that extend it: :mod:`.model` (drawing,
findings, details), :mod:`.model_visit` (the visit record) and
:mod:`.model_complaints` (the complaints); :class:`~.model.SessionModel`
joins them.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from nmt_bodymap.atlas import Atlas
from nmt_bodymap.chart import Chart
from nmt_bodymap.lookup import LookupEngine, LookupResult
from nmt_bodymap.nerves import NerveAtlas, shipped_nerves
from nmt_bodymap.session import PainMark, Session


class Command(QUndoCommand):
    """An undoable change described by two callables; commands with one ``merge_id`` and ``merge_key`` merge."""

    def __init__(
        self, text: str, redo: Callable[[], None], undo: Callable[[], None], merge_id: int = -1, merge_key: str = ""
    ) -> None:
        super().__init__(text)
        self._redo, self._undo = redo, undo
        self._merge_id, self.merge_key = merge_id, merge_key
        #: Undone for good: the stack drops it (see :meth:`SessionModel.withdraw_last`).
        self.withdrawn = False

    def redo(self) -> None:
        self._redo()

    def undo(self) -> None:
        self._undo()
        if self.withdrawn:
            # QUndoStack drops a command that is obsolete once undone; one made obsolete
            # before undo() is dropped without being undone, so the flag is set here.
            self.setObsolete(True)

    def id(self) -> int:
        return self._merge_id

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, Command) or other.id() != self.id() or other.merge_key != self.merge_key:
            return False
        self._redo = other._redo
        return True


class ModelBase(QObject):
    """The session, its history and its ranking; the single source of truth for every widget."""

    marksChanged = Signal()
    findingsChanged = Signal()
    findingSet = Signal(str)  # the key of the trigger point whose finding changed (set, undone or redone)
    detailsChanged = Signal()
    complaintsChanged = Signal()  # the therapist's grouping of the marks changed (set, undone or redone)
    resultChanged = Signal(object)  # LookupResult
    previewChanged = Signal(object)  # PainMark or None
    dirtyChanged = Signal(bool)
    pathChanged = Signal(str)
    changed = Signal()  # any change that should be autosaved
    sessionReplaced = Signal()  # another session is shown (new, opened, restored, a visit)
    ghostChanged = Signal()  # the last visit's drawing shown faintly (see SessionModel.set_ghost)

    MERGE_TEXT = 1
    PREVIEW_RANK_MS = 40

    def __init__(self, chart: Chart, atlas: Atlas, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.chart = chart
        self.atlas = atlas
        # the lookup's raster and index take about 0.1 s to read: built when first needed (the window
        # warms it up just after it is shown, see warm_up), so the window shows before it
        self._engine: LookupEngine | None = None
        self.session = Session()
        self.path = ""
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        self.undo_stack.indexChanged.connect(self._index_changed)
        self.preview: PainMark | None = None
        self._nerves: NerveAtlas | None = None
        self.result: LookupResult = LookupResult.empty()
        # while a stroke is painted the list re-ranks at most every PREVIEW_RANK_MS; the stroke
        # itself is drawn at every mouse move, so painting never waits for the ranking
        self._rank_timer = QTimer(self)
        self._rank_timer.setSingleShot(True)
        self._rank_timer.setInterval(self.PREVIEW_RANK_MS)
        self._rank_timer.timeout.connect(self._rank_now)

    @property
    def engine(self) -> LookupEngine:
        """The lookup engine for this model's atlas and chart (built when first used)."""
        if self._engine is None:
            self._engine = LookupEngine(self.atlas, self.chart)
        return self._engine

    def warm_up(self) -> None:
        """Build the lookup engine now, ahead of the first ranking (the window calls it once it is shown)."""
        _ = self.engine

    def nerve_atlas(self) -> NerveAtlas:
        """The nerve atlas: the lookup engine's when it has one, else the shipped one (loaded when first asked)."""
        found = getattr(self._engine, "nerves", None)
        if isinstance(found, NerveAtlas):
            return found
        if self._nerves is None:
            self._nerves = shipped_nerves()
        return self._nerves

    # -- saved or not --------------------------------------------------------------

    def _clean_changed(self, clean: bool) -> None:
        self.dirtyChanged.emit(not clean)

    def _index_changed(self, _index: int) -> None:
        self.changed.emit()

    @property
    def dirty(self) -> bool:
        return not self.undo_stack.isClean()

    def set_path(self, path: str) -> None:
        self.path = path
        self.pathChanged.emit(path)

    def mark_saved(self, path: str) -> None:
        self.set_path(path)
        self.undo_stack.setClean()

    # -- edits ---------------------------------------------------------------------

    def push(self, text: str, redo: Callable[[], None], undo: Callable[[], None], merge_key: str = "") -> None:
        """Do a change as one undo step; ``merge_key`` merges a burst of typing into one step."""
        merge = self.MERGE_TEXT if merge_key else -1
        self.undo_stack.push(Command(text, redo, undo, merge, merge_key))

    def _set_field(self, field: str, value: object, text: str, merge_key: str = "") -> None:
        """Replace a session field as one undo step (``merge_key``: see :meth:`push`)."""
        old = getattr(self.session, field)
        if old == value:
            return

        def setter(v: object) -> Callable[[], None]:
            def run() -> None:
                setattr(self.session, field, v)
                self.detailsChanged.emit()
                if field == "findings":
                    self.findingsChanged.emit()
                    self.rerank(immediately=True)

            return run

        self.push(text, setter(value), setter(old), merge_key)

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
        # the therapist's own complaints override the automatic grouping for the marks they name
        self.result = self.engine.rank(marks, self.session.findings, self.session.complaints)
        self.resultChanged.emit(self.result)


__all__ = ["Command", "ModelBase"]
