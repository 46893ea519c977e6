"""The records' file flows: ``.nmt`` files in and out, a whole record out, a client erased.

A mixin of :class:`~nmt_bodymap.ui.records_actions.RecordsController`: it
uses the controller's records, hooks (:attr:`tell`, :attr:`ask`,
:attr:`choose_client`, :attr:`open_files`, :attr:`save_path`,
:attr:`folder_path`) and window.

* Import: every file read and checked first (one damaged file: nothing is
  imported); each goes to the client given, else to the client its code,
  then its exact name, matches; when that is unsure (no match, or code and
  name disagree) the user chooses.
* Export a visit as ``.nmt`` (never over an existing file); export a whole
  record with each visit's report PDF (:mod:`.client_privacy`).
* Erase a client, their autosaves and recent-files entries, after a
  confirmation that says all of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QMainWindow, QTabWidget

from nmt_bodymap.session import SUFFIX, Session
from nmt_bodymap.ui.client_privacy import erase_traces, fold, plan_erase, report_writer, session_of
from nmt_bodymap.ui.clients_view import ClientsView
from nmt_bodymap.ui.model import SessionModel
from nmt_bodymap.ui.records_model import RecordsModel

if TYPE_CHECKING:
    from nmt_bodymap.store import Client, Store


class RecordsHost(Protocol):
    """What the records need of the main window (kept small so the hook ports to any window)."""

    model: SessionModel
    settings: QSettings
    tabs: QTabWidget
    autosaver: Any  # has .folder (Path) and .discard()

    def maybe_save(self) -> bool: ...


class FileFlows:
    """Import, export and erase (see the module docstring)."""

    window: QMainWindow
    host: RecordsHost
    records: RecordsModel
    model: SessionModel
    clients: ClientsView
    ask: Callable[[str, str, str], bool]
    tell: Callable[[str, str], None]
    choose_client: Callable[[str, str, int | None], int | None]
    open_files: Callable[[], list[str]]
    save_path: Callable[[str, str], str]
    folder_path: Callable[[str], str]

    def _store(self) -> Store | None:
        raise NotImplementedError

    def _run(self, title: str, call: Callable[[], object]) -> bool:
        raise NotImplementedError

    # -- files in and out ---------------------------------------------------------------------

    def import_files(self, client_id: int | None, paths: list[str] | None = None) -> int:
        """Import ``.nmt`` files (asked for when not given); returns the number of visits added."""
        from nmt_bodymap.store import StoreError, read_session_file

        store = self._store()
        if store is None:
            return 0
        paths = paths if paths is not None else self.open_files()
        if not paths:
            return 0
        try:
            sessions = [(Path(p), read_session_file(Path(p))) for p in paths]
        except StoreError as exc:
            self.tell("Nothing was imported", str(exc))
            return 0
        groups: dict[int, list[Path]] = {}
        for path, session in sessions:
            target = self._client_for(store, session, path, client_id)
            if target is None:
                self.tell("Nothing was imported", f"No client was chosen for {path.name}.")
                return 0
            groups.setdefault(target, []).append(path)
        added = 0
        for target, files in groups.items():
            try:
                added += len(store.import_files(files, client_id=target))
            except StoreError as exc:
                self.tell("Import stopped", f"{exc}\n\n{added} visit(s) were imported before it.")
                break
            self.records.changed(target)
        self.window.statusBar().showMessage(f"Imported {added} visit{'s' if added != 1 else ''}", 4000)
        return added

    def _client_for(self, store: Store, session: Session, path: Path, given: int | None) -> int | None:
        """The client a file goes to; asks when the match is unsure (no match, or code and name disagree)."""
        by_code = store.client_by_code(session.client_code) if session.client_code else None
        if given is not None:
            if by_code is None or by_code.id == given:
                return given
            why = (
                f"{path.name} is about client {session.client_code}, who is another client in the records. "
                "Which client's visit is it?"
            )
            return self.choose_client(why, session.client_code, by_code.id)
        matched = store.match_client(session)
        if matched is not None and _names_agree(session, matched):
            return matched.id
        who = session.client_label or "no client"
        why = (
            f"{path.name} is about {who}, which matches {matched.label} ({matched.code}) by code but not by name."
            if matched is not None
            else f"{path.name} is about {who}: no client in the records matches it by code or name."
        )
        return self.choose_client(
            why + " Which client's visit is it?",
            session.client_code or session.client_name,
            matched.id if matched else None,
        )

    def export_bound_visit(self) -> None:
        b = self.records.binding
        if b is not None and b.visit_id is not None:
            self.export_visit(b.visit_id)

    def export_visit(self, visit_id: int) -> Path | None:
        from nmt_bodymap.store import StoreError, visit_file_name

        store = self._store()
        if store is None:
            return None
        try:
            summary = store.visit(visit_id).summary
        except StoreError as exc:
            self.tell("Cannot export the visit", str(exc))
            return None
        chosen = self.save_path("Export visit", str(Path.home() / visit_file_name(summary)))
        if not chosen:
            return None
        target = Path(chosen if chosen.endswith(SUFFIX) else chosen + SUFFIX)
        if not self._run("Cannot export the visit", lambda: store.export_visit(visit_id, target)):
            return None
        self.window.statusBar().showMessage(f"Exported the visit to {target}", 4000)
        return target

    def export_record(self, client_id: int) -> Path | None:
        """Everything about a client in a new folder: record.json, each visit's .nmt and report PDF."""
        from nmt_bodymap.render.export import ExportError
        from nmt_bodymap.render.qt import practice_name
        from nmt_bodymap.store import StoreError

        store = self._store()
        if store is None:
            return None
        try:
            client = store.client(client_id, include_bin=True)
        except StoreError as exc:
            self.tell("Cannot export the record", str(exc))
            return None
        default = Path.home() / f"client-record-{client.id}-{dt.date.today().isoformat()}"
        chosen = self.folder_path(str(default))
        if not chosen:
            return None
        folder = Path(chosen)
        n = client.visit_count
        if not self.ask(
            "Export the client's record?",
            f"Write everything about {client.label} ({client.code}) into the new folder {folder}: the record "
            f"(record.json) and their {n} visit{'s' if n != 1 else ''}, each as a session file and a report PDF.\n\n"
            "The folder holds health information: keep it private and hand it only to the client.",
            "Export the record",
        ):
            return None
        hook = report_writer(self.model.chart, self.model.atlas, practice_name(self.host.settings))
        try:
            written = store.export_client(client_id, folder, visit_hook=hook)
        except (StoreError, ExportError) as exc:
            self.tell("Nothing was exported", str(exc))
            return None
        self.window.statusBar().showMessage(f"Exported the record to {written}", 6000)
        return written

    def erase_client(self, client_id: int) -> bool:
        store = self._store()
        if store is None:
            return False
        from nmt_bodymap.store import StoreError

        try:
            client = store.client(client_id, include_bin=True)
        except StoreError as exc:
            self.tell("Cannot erase", str(exc))
            return False
        plan = plan_erase(client, Path(self.host.autosaver.folder), self.host.settings)
        b = self.records.binding
        open_here = (b is not None and b.client_id == client_id) or session_of(self.model.session, client)
        text = plan.describe()
        if open_here:
            text += "\n\nThe session open in the chart is theirs: it is closed without saving."
        if not self.ask("Erase the client?", text, f"Erase {client.code} for good"):
            return False
        if open_here:  # the open session is theirs: it goes too, without a "save?" question
            self.host.autosaver.discard()
            self.model.replace_session(Session())
        if not self._run("Cannot erase", lambda: self.records.erase_client(client_id)):
            return False
        erase_traces(plan, self.host.settings)
        refresh_recent = getattr(self.window, "_refresh_recent", None)
        if callable(refresh_recent):
            refresh_recent()
        self.clients.page.show_client(None)
        self.window.statusBar().showMessage(f"Erased client {client.code}", 6000)
        return True

    def _open_files(self) -> list[str]:
        paths, _ = QFileDialog.getOpenFileNames(
            self.window, "Import session files", str(Path.home()), f"nmt-bodymap sessions (*{SUFFIX})"
        )
        return list(paths)

    def _save_path(self, title: str, start: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self.window, title, start, f"nmt-bodymap sessions (*{SUFFIX})")
        return path

    def _folder_path(self, start: str) -> str:
        path, _ = QFileDialog.getSaveFileName(
            self.window,
            "Export the record into a new folder",
            start,
            "Folders (*)",
            options=QFileDialog.Option.ShowDirsOnly,
        )
        return path


def _names_agree(session: Session, client: Client) -> bool:
    return not session.client_name or not client.name or fold(session.client_name) == fold(client.name)


__all__ = ["FileFlows", "RecordsHost"]
