"""Shared helpers of the records UI tests: a window on a fresh practice, and a course of treatment.

Import the fixtures into a test module (``from records_helpers import db_path, window, ...``);
pytest finds them there. ``never_block_on_dialogs`` is autouse: import it too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from nmt_bodymap import session as sessions
from nmt_bodymap.chart import Chart, load_chart
from nmt_bodymap.session import SoapNotes, Treatment
from nmt_bodymap.store import open_store
from nmt_bodymap.ui.app import make_app
from nmt_bodymap.ui.main_window import MainWindow

#: (date, disc radius mm at the low back, buttock radius or 0, intensity, pain before, after) per visit
COURSE = [
    ("2026-11-03", 45.0, 30.0, 7, 7, 5),
    ("2026-11-10", 40.0, 22.0, 6, 6, 4),
    ("2026-11-17", 32.0, 12.0, 5, 5, 3),
    ("2026-11-24", 26.0, 0.0, 4, 4, 2),
    ("2026-12-01", 20.0, 0.0, 3, 3, 1),
]


def low_back_visit(
    chart: Chart, date: str, radius: float, buttock: float, intensity: int, before: int, after: int
) -> sessions.Session:
    """A low-back (and buttock) pain drawing with its notes and treatment."""
    view = chart.view("posterior")
    s = sessions.Session(date=date, therapist="R. Lee")
    lm = view.landmark("low-back", "right")
    s.marks.append(sessions.disc_mark(chart, "m1", "posterior", lm.x, lm.y, radius, "aching", intensity))
    if buttock:
        b = view.landmark("buttock", "right")
        s.marks.append(sessions.disc_mark(chart, "m2", "posterior", b.x, b.y, buttock, "sharp", intensity))
    s.soap = SoapNotes(
        subjective=f"Low back pain, worse after sitting ({date}).",
        objective="Tender right quadratus lumborum; flexion limited.",
        assessment="Quadratus lumborum trigger points, improving.",
        plan="Weekly treatment; stretch at home.",
    )
    s.treatment = Treatment(("quadratus-lumborum/sup-upper:right",), "ischemic compression", before, after)
    s.findings = {"quadratus-lumborum/sup-upper:right": "active"}
    s.notes = "Sits at a desk all day."
    return s


def add_course(store: object, client_id: int, visits: int = len(COURSE), close: bool = True) -> list[int]:
    """Record the first ``visits`` visits of :data:`COURSE` for a client (closed, like finished visits)."""
    chart = load_chart()
    ids = []
    for date, radius, buttock, intensity, before, after in COURSE[:visits]:
        summary = store.add_visit(client_id, low_back_visit(chart, date, radius, buttock, intensity, before, after))  # type: ignore[attr-defined]
        if close:
            summary = store.close_visit(summary.id)  # type: ignore[attr-defined]
        ids.append(summary.id)
    return ids


def today_plus(days: int) -> str:
    return (dt.date.today() + dt.timedelta(days=days)).isoformat()


__all__ = ["COURSE", "add_course", "low_back_visit", "replace", "today_plus"]


@pytest.fixture(autouse=True)
def never_block_on_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A modal box would hang an off-screen test: every box answers "no" unless a test says otherwise."""
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Ok)


@pytest.fixture(autouse=True)
def own_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The test's own app data folder (outbox, kept conflict versions), never the user's."""
    folder = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(folder))
    return folder


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A new practice database's path, the one the app opens ($NMT_BODYMAP_DB)."""
    path = tmp_path / "practice.sqlite3"
    monkeypatch.setenv("NMT_BODYMAP_DB", str(path))
    return path


def new_window(qtbot: object, tmp_path: Path) -> MainWindow:
    """A main window shown with private settings and autosave folder."""
    make_app()
    w = MainWindow(
        settings=QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat),
        autosave_dir=tmp_path / "autosave",
        check_recovery=False,
    )
    qtbot.addWidget(w)  # type: ignore[attr-defined]
    w.resize(1300, 850)
    w.show()
    qtbot.waitExposed(w)  # type: ignore[attr-defined]
    return w


def connected_window(qtbot: object, tmp_path: Path, backoff_s: tuple[float, ...]) -> MainWindow:
    """A main window on the clinic server $NMT_BODYMAP_DB names, its server status started and connected;
    its retry loop pauses ``backoff_s``. Close it with :func:`closed_at_the_end`."""
    from nmt_bodymap.ui.records_sync import State

    w = new_window(qtbot, tmp_path)
    sync = w.records.sync
    sync.backoff_s = backoff_s
    sync.start()
    qtbot.waitUntil(  # type: ignore[attr-defined]
        lambda: sync.state is State.CONNECTED and sync.watcher is not None, timeout=20000
    )
    return w


def closed_at_the_end(w: MainWindow) -> None:
    """Stop the window's server status and close its records."""
    w.records.sync.close(wait_s=10)
    w.records.close()


@pytest.fixture
def window(qtbot: object, tmp_path: Path, db_path: Path) -> Iterator[MainWindow]:
    """A main window on the practice at :func:`db_path`, its records closed at the end."""
    w = new_window(qtbot, tmp_path)
    yield w
    w.records.records.close()


@pytest.fixture
def course(db_path: Path) -> tuple[int, list[int]]:
    """A client with a course of five closed visits."""
    with open_store(db_path, user="tester") as store:
        client = store.add_client("C-017", "Alex Example")
        return client.id, add_course(store, client.id)
