"""Doing what the therapist chose in the conflict dialog, so that no version of a visit is ever lost.

A mixin of :class:`~nmt_bodymap.ui.records_actions.RecordsController`. Two
ways to meet a conflict:

* saving the visit open in the chart (File → Save) after another therapist
  saved it (:meth:`ConflictFlows.resolve_conflict`);
* a save that waited in the outbox while the server was out of reach, and
  met another's change when it was delivered
  (:meth:`ConflictFlows.resolve_queued_conflict`; the queued save and the
  edits queued after it are resolved together, the last of them being
  "mine").

"Keep mine" saves mine on top of theirs (with ``over_version``); theirs then
stays in the amendment history of a closed visit, and of an open visit (no
history) it is written to a file first. "Take theirs" writes mine to a file
first, then shows theirs. The files go to ``conflicts/`` in the app's data
folder (owner-only), named by the visit's number, whose version and the
time, never by the client.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QMainWindow

from nmt_bodymap import paths
from nmt_bodymap import session as sessions
from nmt_bodymap.session import SUFFIX, Session, SessionError
from nmt_bodymap.ui.conflict_dialog import KEEP_MINE, TAKE_THEIRS, ConflictDialog, when
from nmt_bodymap.ui.model import SessionModel
from nmt_bodymap.ui.records_model import RecordsModel
from nmt_bodymap.ui.treatment_editor import trigger_point_name

if TYPE_CHECKING:
    from nmt_bodymap.store import Conflict, QueuedSave, Store, VisitSummary
    from nmt_bodymap.ui.records_sync import RecordsSync

MAX_ATTEMPTS = 3  # a third therapist saving in between each time: ask again, but not for ever


def conflicts_dir() -> Path:
    return paths.data_dir() / "conflicts"


def keep_copy(session: Session, visit_id: int, version: int | None, whose: str) -> Path:
    """Write one version of a visit to a new owner-only ``.nmt`` file in :func:`conflicts_dir`; its path."""
    folder = paths.private_dir(conflicts_dir())
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    base = f"visit-{visit_id}-v{version if version is not None else 'new'}-{whose}-{stamp}"
    path = folder / f"{base}{SUFFIX}"
    n = 1
    while path.exists():  # never over an earlier copy
        n += 1
        path = folder / f"{base}-{n}{SUFFIX}"
    sessions.save(session, path)
    return path


class ConflictFlows:
    """See the module docstring."""

    window: QMainWindow
    records: RecordsModel
    model: SessionModel
    tell: Callable[[str, str], None]
    sync: RecordsSync | None
    #: Shows the dialog and returns the choice (KEEP_MINE, TAKE_THEIRS or None). Tests replace it.
    show_conflict: Callable[[ConflictDialog], str | None]

    def _show_conflict(self, dialog: ConflictDialog) -> str | None:
        dialog.exec()
        return dialog.choice

    def _dialog(self, conflict: Conflict, mine: Session, closed: bool, queued: bool) -> ConflictDialog:
        theirs = sessions.from_dict(conflict.theirs or {}, "the stored version")
        sided = self.model.atlas.by_key()
        return ConflictDialog(
            conflict,
            mine,
            theirs,
            self.model.chart,
            closed=closed,
            queued=queued,
            name_of=lambda key: trigger_point_name(sided.get(key), key),
            parent=self.window,
        )

    def _is_closed(self, store: Store, visit_id: int) -> bool:
        from nmt_bodymap.store import StoreError

        try:
            return store.visit(visit_id).summary.closed
        except StoreError:
            return False

    def _said(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 10000)

    # -- the open visit -------------------------------------------------------------------------

    def resolve_conflict(self, conflict: Conflict, reason: str, close: bool) -> bool:
        """The open visit's save was refused: ask, then do what was chosen. True when the visit was saved."""
        from nmt_bodymap.store import Conflict as StoreConflict
        from nmt_bodymap.store import QueuedSave, StoreError

        for _attempt in range(MAX_ATTEMPTS):
            store = self.records.store()
            visit_id = conflict.record_id
            if visit_id is None:
                break
            closed = self._is_closed(store, visit_id)
            try:
                dialog = self._dialog(conflict, self.model.session, closed, queued=False)
            except SessionError as exc:
                self.tell("The visit was changed meanwhile", f"{conflict}\n\nTheir version cannot be shown: {exc}")
                return False
            choice = self.show_conflict(dialog)
            try:
                if choice == KEEP_MINE:
                    kept = None
                    if not closed:
                        kept = keep_copy(their_session(conflict), visit_id, conflict.current_version, "theirs")
                    why = reason or over_reason(conflict)
                    saved = self.records.save_visit(why, close=close, over_version=conflict.current_version)
                    where = f"; theirs is kept in {kept}" if kept else "; theirs is in the amendment history"
                    waiting = (
                        " (kept on this computer until the server answers)" if isinstance(saved, QueuedSave) else ""
                    )
                    self._said(f"Saved your version over theirs{waiting}{where}")
                    return True
                if choice == TAKE_THEIRS:
                    path = keep_copy(self.model.session, visit_id, conflict.expected_version, "mine")
                    self.records.open_visit(visit_id)
                    self._said(f"Showing their version; yours is kept in {path}")
                    return False
            except StoreConflict as again:  # yet another change came in between: show the newest
                conflict = again
                continue
            except (StoreError, OSError) as exc:
                self.tell("Nothing was lost, but the choice could not be carried out", str(exc))
                return False
            return False
        self.tell(
            "The visit keeps changing", f"{conflict}\n\nYour version stays in this window; try again in a moment."
        )
        return False

    # -- a queued save --------------------------------------------------------------------------

    def resolve_queued_conflict(self, chain: list[QueuedSave], conflict: Conflict) -> str | None:
        """A queued save met another's change when it was delivered: ask, and resolve the whole chain."""
        from nmt_bodymap.store import Outbox, StoreError, save_visit

        store = self.records.current_store
        visit_id = conflict.record_id
        if store is None or visit_id is None or not chain:
            return None
        mine_entry = chain[-1]
        try:
            mine = mine_entry.session()
            dialog = self._dialog(conflict, mine, self._is_closed(store, visit_id), queued=True)
        except SessionError as exc:
            self.tell("A waiting save cannot be shown", f"{conflict}\n\n{exc}")
            return None
        choice = self.show_conflict(dialog)
        outbox = Outbox.for_database(store.db)
        ids = {entry.save_id for entry in chain}
        b = self.records.binding
        bound = b is not None and b.queued is not None and b.queued.save_id in ids
        try:
            if choice == KEEP_MINE:
                if not self._is_closed(store, visit_id):
                    keep_copy(their_session(conflict), visit_id, conflict.current_version, "theirs")
                why = mine_entry.reason or over_reason(conflict)
                saved: Any = save_visit(
                    store, mine, visit_id=visit_id, expected_version=conflict.current_version, reason=why
                )
                for entry in chain:
                    outbox.discard(entry.save_id)
                if bound:
                    self._bind_result(saved)
                self.records.changed()
                self._said("Saved your waiting version over theirs")
            elif choice == TAKE_THEIRS:
                path = keep_copy(mine, visit_id, conflict.expected_version, "mine")
                for entry in chain:
                    outbox.discard(entry.save_id)
                if bound and not self.model.dirty:
                    self.records.open_visit(visit_id)
                elif bound:  # edited further since: the next save meets their version again, and asks
                    self.records.rebind(visit_id=visit_id, version=conflict.expected_version, queued=None)
                self._said(f"Kept their version; yours is kept in {path}")
            elif self.sync is not None:
                self.sync.forget_conflict(chain[0].save_id)
        except (StoreError, OSError) as exc:
            self.tell("Nothing was lost, but the choice could not be carried out", str(exc))
        if self.sync is not None:
            self.sync.refresh_pending()
        return choice

    def _bind_result(self, saved: VisitSummary | QueuedSave) -> None:
        from nmt_bodymap.store import QueuedSave

        if isinstance(saved, QueuedSave):
            self.records.rebind(queued=saved)
        else:
            self.records.rebind(
                visit_id=saved.id, version=saved.version, closed=saved.closed, date=saved.date.isoformat(), queued=None
            )


def over_reason(conflict: Conflict) -> str:
    """The amendment's reason when mine is kept over theirs and no reason was given."""
    who = conflict.changed_by or "another therapist"
    return f"saved over the version {who} saved at {when(conflict.changed_at)}"


def their_session(conflict: Conflict) -> Session:
    """Their version as a session (for the file that keeps it)."""
    return sessions.from_dict(conflict.theirs or {}, "the stored version")


__all__ = ["ConflictFlows", "conflicts_dir", "keep_copy"]
