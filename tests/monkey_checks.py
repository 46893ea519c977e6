"""What the GUI monkey checks after every event, and how it keeps modal dialogs away.

:class:`Watch` collects exceptions that reach ``sys.excepthook`` (raised in Qt slots and event
handlers) and Qt's messages, of which those about painting are problems. :class:`ModelChecker`
checks the model after an event; :func:`undo_redo_round_trip` undoes and redoes the whole history.
:func:`no_modal_dialogs` makes every message box, file dialog, dialog ``exec`` and menu ``exec``
return at once. Used by :mod:`tests.gui_monkey`.
"""

from __future__ import annotations

import contextlib
import itertools
import sys
import traceback
from collections.abc import Iterator
from types import TracebackType

import shapely
from PySide6.QtCore import QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QDialog, QFileDialog, QMenu, QMessageBox

from nmt_bodymap.chart import VIEWS
from nmt_bodymap.session import PainMark
from nmt_bodymap.ui.main_window import MainWindow

#: Qt messages that mean something went wrong while painting.
PAINT_WORDS = ("qpainter", "paint device", "painter not active", "qpaintdevice", "qpaintengine", "backingstore")
#: Harmless messages of the off-screen platform.
IGNORED_MESSAGES = ("propagateSizeHints", "does not support raise()", "does not support grabbing the keyboard")


class MonkeyFailure(AssertionError):
    """What went wrong, at which event, and the events that led there."""

    def __init__(self, seed: int, step: int, problems: list[str], recent: list[str]) -> None:
        lines = "\n".join(recent)
        found = "\n".join(problems)
        super().__init__(f"monkey (seed {seed}) failed at event {step}:\n{found}\nlast events:\n{lines}")
        self.problems = problems


@contextlib.contextmanager
def no_modal_dialogs() -> Iterator[None]:
    """Every modal dialog returns at once (a message box: Discard; a file dialog: cancelled)."""
    box = QMessageBox.StandardButton
    patches: list[tuple[object, str, object]] = [
        (QMessageBox, "question", staticmethod(lambda *a, **k: box.Discard)),
        (QMessageBox, "information", staticmethod(lambda *a, **k: box.Ok)),
        (QMessageBox, "warning", staticmethod(lambda *a, **k: box.Ok)),
        (QMessageBox, "critical", staticmethod(lambda *a, **k: box.Ok)),
        (QMessageBox, "about", staticmethod(lambda *a, **k: None)),
        (QMessageBox, "exec", lambda self: 0),
        (QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: ("", ""))),
        (QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", ""))),
        (QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: "")),
        (QDialog, "exec", lambda self: 0),
        (QMenu, "exec", lambda self, *a, **k: None),
    ]
    saved = [(owner, name, owner.__dict__[name]) for owner, name, _new in patches if name in owner.__dict__]
    missing = [(owner, name) for owner, name, _new in patches if name not in owner.__dict__]
    for owner, name, new in patches:
        setattr(owner, name, new)
    try:
        yield
    finally:
        for owner, name, old in saved:
            setattr(owner, name, old)
        for owner, name in missing:
            delattr(owner, name)


class Watch:
    """Collects exceptions that reach ``sys.excepthook`` (Qt slots, event handlers) and Qt's warnings."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.messages: list[str] = []  # every Qt message, for the record
        self._old_hook = sys.excepthook
        self._old_handler: object = None

    def __enter__(self) -> Watch:
        self._old_hook = sys.excepthook
        sys.excepthook = self._hook
        self._old_handler = qInstallMessageHandler(self._message)
        return self

    def __exit__(self, *exc: object) -> None:
        sys.excepthook = self._old_hook
        qInstallMessageHandler(self._old_handler)  # type: ignore[arg-type]

    def _hook(self, kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        self.problems.append("exception: " + "".join(traceback.format_exception(kind, value, tb)))

    def _message(self, kind: QtMsgType, context: object, text: str) -> None:
        if any(ignored in text for ignored in IGNORED_MESSAGES):
            return
        self.messages.append(text)
        if any(word in text.lower() for word in PAINT_WORDS):
            self.problems.append(f"Qt painting message: {text}")
        elif kind in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
            self.problems.append(f"Qt critical message: {text}")

    def take(self) -> list[str]:
        found, self.problems = self.problems, []
        return found


class ModelChecker:
    """The consistency of the window's model; each mark's geometry is checked once."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self._seen: dict[int, PainMark] = {}  # the marks of the last check, by id(), so each is checked once
        self.tools_seen: set[str] = set()  # the tools of every mark drawn so far
        self.changes_seen: set[str] = set()  # the first word of every change made ("Add", "Erase", …)
        self._inside = {v: shapely.buffer(window.model.chart.view(v).silhouette, 0.5) for v in VIEWS}
        for geom in self._inside.values():
            shapely.prepare(geom)

    def problems(self) -> list[str]:
        model, canvas = self.window.model, self.window.canvas
        out: list[str] = []
        marks = model.session.marks
        ids = [m.id for m in marks]
        if len(set(ids)) != len(ids):
            out.append(f"mark ids repeat: {ids}")
        seen, self._seen = self._seen, {id(m): m for m in marks}  # kept alive, so their ids stay unique
        for m in marks:
            if id(m) in seen:
                continue
            self.tools_seen.add(m.tool)
            if m.view not in VIEWS:
                out.append(f"mark {m.id} in an unknown view {m.view!r}")
            elif m.geometry.is_empty or not m.geometry.is_valid:
                out.append(f"mark {m.id} has an empty or invalid geometry")
            elif not self._inside[m.view].covers(m.geometry):
                out.append(f"mark {m.id} ({m.tool}) reaches outside the {m.view} view's body")
            if not 0 <= m.intensity <= 10:
                out.append(f"mark {m.id} has intensity {m.intensity}")
        stack = model.undo_stack
        if stack.index() > 0:
            self.changes_seen.add(stack.text(stack.index() - 1).split(" ")[0])
        if not 0 <= stack.index() <= stack.count():
            out.append(f"undo index {stack.index()} outside 0..{stack.count()}")
        if not -1 <= stack.cleanIndex() <= stack.count():
            out.append(f"clean index {stack.cleanIndex()} outside -1..{stack.count()}")
        scores = [c.score for c in model.result.candidates]
        if any(a < b - 1e-6 for a, b in itertools.pairwise(scores)):
            out.append(f"candidates not sorted by score: {scores[:10]}…")
        if model.preview is not None or canvas._stroke:
            out.append("a stroke was left half-painted after the mouse was released")
        shown = {m.id for m in marks if m.view in canvas._scene.placed}
        if set(canvas._mark_items) != shown:
            out.append(f"chart items {sorted(canvas._mark_items)} differ from the marks shown {sorted(shown)}")
        return out


def marks_signature(marks: list[PainMark]) -> list[tuple[str, str, str, str, int, bytes]]:
    """Marks as comparable values (geometry by its exact WKB)."""
    return [(m.id, m.view, m.tool, m.quality, m.intensity, shapely.to_wkb(m.geometry)) for m in marks]


def undo_redo_round_trip(window: MainWindow) -> tuple[int, list[str]]:
    """Edit → Undo until nothing is left, then Edit → Redo until the end: the undo steps and the problems."""
    model = window.model
    drawn, findings = marks_signature(model.session.marks), dict(model.session.findings)
    problems: list[str] = []
    steps = 0
    while window.act_undo.isEnabled():
        window.act_undo.trigger()
        steps += 1
    if steps != model.undo_stack.count():
        problems.append(f"{steps} undo steps in a history of {model.undo_stack.count()}")
    if model.session.marks:
        problems.append(f"undoing everything left marks {[m.id for m in model.session.marks]}")
    if model.session.findings:
        problems.append(f"undoing everything left findings {model.session.findings}")
    if len(model.result.candidates):
        problems.append("candidates are listed for an empty drawing")
    while window.act_redo.isEnabled():
        window.act_redo.trigger()
    if marks_signature(model.session.marks) != drawn:
        problems.append("redoing everything gave a different drawing")
    if model.session.findings != findings:
        problems.append(f"redoing everything gave findings {model.session.findings}, not {findings}")
    return steps, problems


__all__ = [
    "ModelChecker",
    "MonkeyFailure",
    "Watch",
    "marks_signature",
    "no_modal_dialogs",
    "undo_redo_round_trip",
]
