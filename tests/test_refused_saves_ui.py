"""Saves the clinic server refused, in the app: the status says so, the dialog copies, retries and discards them.

Against the session's real PostgreSQL cluster (no mocks): a visit is saved
while the server is stopped, the client is moved to the bin on the server
before the server status sends it again, so the server refuses it (not a
conflict). The dialog's buttons are clicked for real; only the folder
picker and the question box's answer are given by the test.
"""

from __future__ import annotations

import pytest
from pg_cluster import Cluster
from PySide6.QtWidgets import QMessageBox
from records_helpers import closed_at_the_end, connected_window, never_block_on_dialogs, own_data_folder  # noqa: F401

from nmt_bodymap import session as sessions
from nmt_bodymap.store import Outbox, open_store
from nmt_bodymap.ui.main_window import MainWindow
from nmt_bodymap.ui.records_sync import State
from nmt_bodymap.ui.refused_saves import RefusedSavesDialog

Discard = QMessageBox.StandardButton.Discard
Cancel = QMessageBox.StandardButton.Cancel


@pytest.fixture
def server_window(qtbot, tmp_path, pg: Cluster, pg_database: str, monkeypatch):
    """The app on the clinic server, connected; it retries only when told (the test decides when)."""
    monkeypatch.setenv("NMT_BODYMAP_DB", pg.url(pg_database))
    w = connected_window(qtbot, tmp_path, backoff_s=(3600,))
    yield w
    closed_at_the_end(w)
    if not pg.is_running():
        pg.start()


def refused_visit(qtbot, w: MainWindow, pg: Cluster, database: str) -> tuple[int, str]:
    """A new visit saved while the server is down, its client binned on the server, then sent: refused."""
    sync = w.records.sync
    with open_store(pg.url(database), user="R. Lee") as store:
        client = store.add_client("C-17", "Alex Example")
    assert w.records.controller.new_visit(client.id)
    chart = w.model.chart
    t = chart.view("anterior").landmark("temple", "right")
    w.model.add_mark(sessions.disc_mark(chart, "m1", "anterior", t.x, t.y, 22, "throbbing", 7))
    pg.stop("immediate")
    assert w.save()
    queued = w.records.records.binding.queued
    assert queued is not None and sync.pending == 1 and sync.refused == 0
    pg.start()
    with open_store(pg.url(database), user="R. Lee") as store:
        store.bin_client(client.id)  # another therapist deleted the client meanwhile
    w.records.server_status.retry.click()
    qtbot.waitUntil(lambda: sync.state is State.CONNECTED and sync.refused == 1, timeout=30000)
    return client.id, queued.save_id


def open_dialog(qtbot, w: MainWindow) -> RefusedSavesDialog:
    status = w.records.server_status
    assert status.refused_button.isVisible()
    status.refused_button.click()
    dialog = status.refused_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def test_a_refused_save_is_said_listed_copied_and_sent_again(qtbot, server_window, pg, pg_database, tmp_path):
    w = server_window
    sync, status = w.records.sync, w.records.server_status
    client_id, save_id = refused_visit(qtbot, w, pg, pg_database)
    assert status.label.text() == f"Connected to {pg.host} · 1 save the server refused"
    assert "Show refused…" in status.toolTip() and "in the bin" in status.toolTip()

    dialog = open_dialog(qtbot, w)
    (row,) = dialog.rows
    today = w.records.records.binding.date
    assert row.item.save_id == save_id
    assert "C-17" in row.title.text() and today in row.title.text() and "saved here 20" in row.title.text()
    assert row.reason.text().startswith("The server said:") and "in the bin" in row.reason.text()
    assert "Alex" not in row.title.text() + row.reason.text()
    assert not (row.copy_button.isHidden() or row.retry_button.isHidden() or row.discard_button.isHidden())

    asked: list[str] = []
    dialog.ask = lambda box: (asked.append(box.text()), Cancel)[1]
    row.discard_button.click()  # asks; cancelled: nothing goes
    assert "You have not saved a copy" in asked[0] and "C-17" in asked[0]
    assert len(Outbox.for_database(w.records.records.database())) == 1 and sync.refused == 1

    folder = tmp_path / "copies"
    folder.mkdir()
    dialog.choose_folder = lambda: folder
    row.copy_button.click()
    (copy,) = folder.iterdir()
    assert copy.name == f"{today}-{save_id}.nmt" and dialog.copied[save_id] == copy
    assert str(copy) in dialog.note.text()
    kept = sessions.load(copy)  # a valid session file, read by the app's own reader
    assert [m.id for m in kept.marks] == ["m1"] and kept.client_code == "C-17" and kept.date == today
    row.copy_button.click()  # again: a second file, the first untouched
    assert sorted(p.name for p in folder.iterdir()) == [f"{today}-{save_id}-2.nmt", copy.name]

    with open_store(pg.url(pg_database), user="R. Lee") as store:
        store.restore_client(client_id)  # the cause is fixed on the server
    row.retry_button.click()
    qtbot.waitUntil(lambda: dialog.rows == [] and sync.refused == 0 and sync.pending == 0, timeout=30000)
    assert "Sent: the server took the visit of C-17" in dialog.note.text()
    assert status.label.text() == f"Connected to {pg.host}" and not status.refused_button.isVisible()
    binding = w.records.records.binding
    with open_store(pg.url(pg_database)) as store:
        (visit,) = store.visits(client_id)
    assert binding.queued is None and binding.visit_id == visit.id


def test_discarding_asks_says_where_the_copy_is_and_leaves_the_visit_unsaved(
    qtbot, server_window, pg, pg_database, tmp_path
):
    w = server_window
    sync, status = w.records.sync, w.records.server_status
    client_id, save_id = refused_visit(qtbot, w, pg, pg_database)
    dialog = open_dialog(qtbot, w)
    dialog.choose_folder = lambda: tmp_path
    (row,) = dialog.rows
    row.copy_button.click()
    asked: list[str] = []
    dialog.ask = lambda box: (asked.append(box.text()), Discard)[1]
    row.discard_button.click()
    assert f"A copy is saved in {tmp_path / (w.records.records.binding.date + '-' + save_id)}.nmt" in asked[0]
    assert "You have not saved a copy" not in asked[0]
    assert dialog.rows == [] and sync.refused == 0 and sync.pending == 0
    assert len(Outbox.for_database(w.records.records.database())) == 0
    assert not status.refused_button.isVisible() and "refused" not in status.label.text()
    assert w.records.records.binding.queued is None and w.isWindowModified()  # saved nowhere now but the window

    # a damaged queued file: said to be damaged, with its name; discard only
    outbox = Outbox.for_database(w.records.records.database())
    damaged = outbox.folder / "00000000000000000001-broken.json"
    damaged.write_text("{not json")
    status.retry.click()
    qtbot.waitUntil(lambda: sync.refused == 1 and not sync.checking, timeout=30000)
    qtbot.waitUntil(lambda: len(dialog.rows) == 1, timeout=5000)
    (row,) = dialog.rows
    assert row.item.damaged and damaged.name in row.title.text() and "damaged" in row.title.text()
    assert row.copy_button.isHidden() and row.retry_button.isHidden() and not row.discard_button.isHidden()
    row.discard_button.click()
    assert "is damaged" in asked[-1] and damaged.name in asked[-1]
    assert not damaged.exists() and dialog.rows == [] and sync.refused == 0
    with open_store(pg.url(pg_database)) as store:
        store.restore_client(client_id)
        assert store.visits(client_id) == []  # the discarded visit never reached the server
