"""The clinic server in the app, against the session's real PostgreSQL cluster (pytest-qt, no mocks).

The database dialog tests the connection before it saves it (and never
saves the password); two therapists saving one visit meet the conflict
dialog, whose every choice keeps both versions somewhere; a server stopped
in the middle of a save leaves the visit in the outbox, the status bar says
so, and the restarted server receives it; another therapist's change
refreshes the client list.
"""

from __future__ import annotations

import threading
from pathlib import Path

import keyring
import pytest
from clinic_helpers import MemoryKeyring, wait_for_lock_wait
from keyring.backends import fail
from pg_cluster import Cluster, free_port
from records_helpers import closed_at_the_end, connected_window, never_block_on_dialogs, new_window, own_data_folder  # noqa: F401

from nmt_bodymap import session as sessions
from nmt_bodymap.store import Outbox, open_store
from nmt_bodymap.ui.conflict_dialog import KEEP_MINE, TAKE_THEIRS, ConflictDialog
from nmt_bodymap.ui.database_dialog import DatabaseDialog
from nmt_bodymap.ui.records_conflicts import conflicts_dir
from nmt_bodymap.ui.records_sync import State

PASSWORD = "Correct-Horse-7"
HEADACHE = Path(__file__).parent / "fixtures" / "sessions" / "v1-headache.nmt"


@pytest.fixture
def keychain():
    """Set the keychain for a test (``keychain(backend)``); the one before is put back afterwards."""
    previous = keyring.get_keyring()
    yield keyring.set_keyring
    keyring.set_keyring(previous)


@pytest.fixture
def therapist(pg: Cluster, pg_database: str):
    """A login role with a password and the application's rights on a migrated database; its name."""
    with open_store(pg.url(pg_database)):
        pass
    name = "therapist_" + pg_database
    with pg.admin(pg_database) as conn:
        conn.execute(f"CREATE ROLE {name} LOGIN PASSWORD '{PASSWORD}'")
        conn.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {name}")
        conn.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {name}")
    yield name
    with pg.admin(pg_database) as conn:
        conn.execute(f"DROP OWNED BY {name}")
    with pg.admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{pg_database}" WITH (FORCE)')
        conn.execute(f"DROP ROLE {name}")


@pytest.fixture
def server_window(qtbot, tmp_path, pg: Cluster, pg_database: str, monkeypatch):
    """The app on the clinic server (as --db gives it), its server status started, connected."""
    monkeypatch.setenv("NMT_BODYMAP_DB", pg.url(pg_database))
    w = connected_window(qtbot, tmp_path, backoff_s=(0.3, 0.6))  # the retry loop of the app, sped up
    yield w
    closed_at_the_end(w)


@pytest.fixture
def local_window(qtbot, tmp_path, monkeypatch):
    """The app on this computer's default file (the dialog then chooses a server)."""
    monkeypatch.delenv("NMT_BODYMAP_DB", raising=False)
    w = new_window(qtbot, tmp_path)
    yield w
    closed_at_the_end(w)


def drawing(notes: str) -> sessions.Session:
    session = sessions.load(HEADACHE)
    session.notes = notes
    return session


def run_test(qtbot, dialog: DatabaseDialog) -> str:
    dialog.test_button.click()
    assert not dialog.test_button.isEnabled() and dialog.busy.isVisibleTo(dialog)  # busy while it runs
    qtbot.waitUntil(lambda: not dialog.tester.running, timeout=20000)
    assert dialog.test_button.isEnabled() and not dialog.busy.isVisibleTo(dialog)
    line = dialog.outcome.text()
    assert "\n" not in line and "Traceback" not in line
    return line


# -- the database dialog ----------------------------------------------------------------------


def test_the_database_dialog_saves_a_server_only_after_a_successful_test_and_never_its_password(
    qtbot, tmp_path, pg: Cluster, pg_database: str, therapist: str, local_window, keychain, monkeypatch
):
    keychain(fail.Keyring())  # a computer without a system keychain
    w = local_window
    records = w.records.records
    dialog = DatabaseDialog(records, w)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.server.setChecked(True)
    assert dialog.server_page.isVisibleTo(dialog) and not dialog.file_page.isVisibleTo(dialog)
    dialog.host.setText(pg.host)
    dialog.port.setValue(pg.port)
    dialog.database.setText(pg_database)
    dialog.user.setText(therapist)
    assert not dialog.keychain and dialog.pgpass_note.isVisibleTo(dialog)  # no keychain on this machine
    assert not dialog.save_button.isEnabled()  # nothing to save before a test

    dialog.password.setText("Wrong-Guess-99")
    line = run_test(qtbot, dialog)
    assert line.startswith("✖") and f"refused the password of user '{therapist}'" in line
    assert "Wrong-Guess-99" not in line and not dialog.save_button.isEnabled()
    dialog.accept()
    assert "Test the connection first" in dialog.problem.text() and records.database_value()[1] == "default"

    dialog.port.setValue(free_port())  # nobody listens there
    line = run_test(qtbot, dialog)
    assert line.startswith("✖") and "Cannot reach the database server (connection refused" in line

    dialog.port.setValue(pg.port)
    dialog.password.setText(PASSWORD)
    line = run_test(qtbot, dialog)
    assert line.startswith(f"✔ Connected to {pg.host}:{pg.port}/{pg_database}: PostgreSQL 15")
    assert "TLS" in line and "ready" in line and PASSWORD not in line
    assert dialog.save_button.isEnabled()
    dialog.database.setText(pg_database + "_typo")
    assert not dialog.save_button.isEnabled()  # every change of the values asks for a new test
    dialog.database.setText(pg_database)
    assert run_test(qtbot, dialog).startswith("✔")
    dialog.user_name.setText("Robin Lee")
    dialog.accept()
    assert dialog.result() == DatabaseDialog.DialogCode.Accepted, dialog.problem.text()

    saved = w.settings.value("records/database")
    assert saved == f"postgresql://{therapist}@{pg.host}:{pg.port}/{pg_database}"
    w.settings.sync()
    assert PASSWORD not in (tmp_path / "settings.ini").read_text()
    db = records.database()
    assert db.is_server and records.user_name() == "Robin Lee"
    client = records.add_client("C-1", "Alex Example")  # the password typed is used for this run
    with open_store(pg.url(pg_database)) as store:
        assert store.client(client.id).created_by == "Robin Lee"

    monkeypatch.setenv("NMT_BODYMAP_DB", str(tmp_path / "override.sqlite3"))
    override = DatabaseDialog(records, w)
    qtbot.addWidget(override)
    assert override.override.text().startswith("In use now") and override.server.isChecked()
    assert override.host.text() == pg.host and override.password.text() == ""  # the password is not kept


def test_the_dialog_keeps_the_password_in_the_keychain_when_there_is_one(
    qtbot, pg: Cluster, pg_database: str, therapist: str, local_window, keychain
):
    memory = MemoryKeyring()
    keychain(memory)
    w = local_window
    dialog = DatabaseDialog(w.records.records, w)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.server.setChecked(True)
    assert dialog.keychain and dialog.remember.isVisibleTo(dialog) and dialog.remember.isChecked()
    assert not dialog.pgpass_note.isVisibleTo(dialog)
    dialog.host.setText(pg.host)
    dialog.port.setValue(pg.port)
    dialog.database.setText(pg_database)
    dialog.user.setText(therapist)
    dialog.password.setText(PASSWORD)
    assert run_test(qtbot, dialog).startswith("✔")
    dialog.accept()
    assert memory.entries == {("nmt-bodymap", f"{therapist}@{pg.host}:{pg.port}/{pg_database}"): PASSWORD}
    assert w.records.records._passwords == {}  # the keychain has it: not held in memory
    assert w.records.records.store().count_clients() == 0


# -- two therapists, one visit --------------------------------------------------------------------


def other_saves(pg: Cluster, database: str, visit_id: int, notes: str) -> None:
    with open_store(pg.url(database), user="R. Lee") as store:
        visit = store.visit(visit_id)
        changed = visit.session
        changed.notes = notes
        store.update_visit(visit_id, changed, expected_version=visit.version, reason="her correction")


def test_a_conflict_shows_both_versions_and_each_choice_keeps_both(qtbot, server_window, pg, pg_database):
    w = server_window
    with open_store(pg.url(pg_database), user="R. Lee") as store:
        client = store.add_client("C-17", "Alex Example")
        visit_id = store.add_visit(client.id, drawing("first notes")).id
    controller = w.records.controller
    assert controller.open_visit(visit_id)
    chart = w.model.chart

    # keep mine: saved on top of theirs; the visit is open (no history), so theirs goes to a file
    other_saves(pg, pg_database, visit_id, "their notes")
    w.model.set_detail("notes", "my notes")
    t = chart.view("anterior").landmark("temple", "left")
    w.model.add_mark(sessions.disc_mark(chart, "mine-1", "anterior", t.x, t.y, 20, "sharp", 6))
    seen: list[ConflictDialog] = []

    def choose(choice: str | None):
        def answer(dialog: ConflictDialog) -> str | None:
            seen.append(dialog)
            button = {KEEP_MINE: dialog.keep_mine, TAKE_THEIRS: dialog.take_theirs, None: dialog.cancel}[choice]
            button.click()
            return dialog.choice

        return answer

    controller.show_conflict = choose(KEEP_MINE)
    assert w.save()
    dialog = seen[-1]
    assert "R. Lee saved this visit" in dialog.header.text()
    titles = [title for title, _a, _b in dialog.differing]
    assert titles == ["Pain drawing", "Notes"]
    shown = dialog.text.toPlainText()
    assert "their notes" in shown and "my notes" in shown and "R. Lee" in shown
    assert {s.notes for s in dialog.drawings.sessions} == {"their notes", "my notes"}
    assert len(dialog.drawings.sessions[1].marks) == len(dialog.drawings.sessions[0].marks) + 1
    with open_store(pg.url(pg_database)) as store:
        stored = store.visit(visit_id)
        assert stored.session.notes == "my notes" and stored.summary.updated_by == w.records.records.user_name()
    (kept,) = conflicts_dir().glob(f"visit-{visit_id}-*-theirs-*.nmt")
    assert sessions.load(kept).notes == "their notes"
    assert not w.isWindowModified() and w.records.records.binding.version == stored.version

    # take theirs: the chart shows theirs; mine goes to a file
    other_saves(pg, pg_database, visit_id, "their second notes")
    w.model.set_detail("notes", "my second notes")
    controller.show_conflict = choose(TAKE_THEIRS)
    assert not w.save()
    assert w.model.session.notes == "their second notes" and not w.isWindowModified()
    (mine,) = conflicts_dir().glob(f"visit-{visit_id}-*-mine-*.nmt")
    assert sessions.load(mine).notes == "my second notes"
    with open_store(pg.url(pg_database)) as store:
        assert store.visit(visit_id).session.notes == "their second notes"

    # cancel: nothing is saved, my version stays in the window
    other_saves(pg, pg_database, visit_id, "their third notes")
    w.model.set_detail("notes", "my third notes")
    controller.show_conflict = choose(None)
    assert not w.save()
    assert w.model.session.notes == "my third notes" and w.isWindowModified()
    with open_store(pg.url(pg_database)) as store:
        assert store.visit(visit_id).session.notes == "their third notes"

    # a closed visit: keeping mine keeps theirs in the amendment history
    controller.show_conflict = choose(KEEP_MINE)
    controller.ask_reason = lambda: "my addition"
    assert w.save()  # on top of their third notes, after the dialog
    assert controller.records.close_visit(visit_id).closed
    other_saves(pg, pg_database, visit_id, "their closed notes")
    w.model.set_detail("notes", "my closed notes")
    assert w.save()
    with open_store(pg.url(pg_database)) as store:
        assert store.visit(visit_id).session.notes == "my closed notes"
        history = [v.document["notes"] for v in store.visit_history(visit_id)]
    assert history[-1] == "their closed notes"
    assert len(list(conflicts_dir().glob(f"visit-{visit_id}-*-theirs-*.nmt"))) == 2  # none more for the closed one


# -- the server lost during a save -------------------------------------------------------------------


def test_a_server_stopped_during_a_save_keeps_the_visit_and_delivers_it_after_the_restart(
    qtbot, server_window, pg: Cluster, pg_database: str
):
    w = server_window
    sync, status = w.records.sync, w.records.server_status
    assert status.isVisible() and status.label.text() == f"Connected to {pg.host}" and not status.retry.isVisible()
    with open_store(pg.url(pg_database), user="R. Lee") as store:
        client = store.add_client("C-17", "Alex Example")
    assert w.records.controller.new_visit(client.id)
    chart = w.model.chart
    t = chart.view("anterior").landmark("temple", "right")
    w.model.add_mark(sessions.disc_mark(chart, "m1", "anterior", t.x, t.y, 22, "throbbing", 7))

    blocker = pg.admin(pg_database)
    blocker.autocommit = False
    blocker.execute("SELECT 1 FROM clients WHERE id = %s FOR UPDATE", (client.id,))  # another save holds the client
    stopper = threading.Thread(target=lambda: (wait_for_lock_wait(pg, pg_database), pg.stop("immediate")))
    stopper.start()
    try:
        assert w.save()  # waits on the lock inside its transaction; the server stops under it
    finally:
        stopper.join(60)
        blocker.close()
    binding = w.records.records.binding
    assert binding.queued is not None and binding.visit_id is None and not w.isWindowModified()
    assert sync.state is State.UNREACHABLE and sync.pending == 1
    assert status.label.text() == f"Cannot reach {pg.host} · 1 save waiting here" and status.retry.isVisible()
    assert "cannot be reached" in status.toolTip() and "next try in" in status.toolTip()

    # the therapist keeps working: another change, saved too, waits behind the first
    m = chart.view("posterior").landmark("mastoid", "right")
    w.model.add_mark(sessions.disc_mark(chart, "m2", "posterior", m.x, m.y, 15, "aching", 5))
    w.model.set_detail("notes", "while the server was down")
    assert w.save()
    assert sync.pending == 2 and "2 saves waiting" in status.label.text()
    assert len(Outbox.for_database(w.records.records.database())) == 2

    pg.start()
    status.retry.click()
    qtbot.waitUntil(lambda: sync.state is State.CONNECTED and sync.pending == 0, timeout=30000)
    assert status.label.text() == f"Connected to {pg.host}" and not status.retry.isVisible()
    binding = w.records.records.binding
    assert binding.queued is None and binding.visit_id is not None
    with open_store(pg.url(pg_database)) as store:
        (visit,) = store.visits(client.id)
        stored = store.visit(visit.id)
    assert visit.id == binding.visit_id and visit.version == binding.version
    assert [m.id for m in stored.session.marks] == ["m1", "m2"] and stored.session.notes == "while the server was down"


def test_the_retry_loop_reconnects_by_itself(qtbot, server_window, pg: Cluster, pg_database: str):
    sync = server_window.records.sync
    pg.stop("immediate")
    qtbot.waitUntil(lambda: sync.state is State.UNREACHABLE, timeout=20000)  # the watcher noticed
    assert sync.retry_timer.isActive()
    pg.start()
    qtbot.waitUntil(lambda: sync.state is State.CONNECTED and sync.watcher is not None, timeout=30000)


# -- other therapists' changes --------------------------------------------------------------------------


def test_another_therapists_change_refreshes_the_client_list_and_page(qtbot, server_window, pg, pg_database):
    w = server_window
    view = w.records.clients
    with open_store(pg.url(pg_database), user="R. Lee") as store:
        alex = store.add_client("C-1", "Alex Example")
    w.records.controller.show_clients()
    qtbot.waitUntil(lambda: [c.code for c in view.list_model.rows] == ["C-1"], timeout=5000)
    view.select_client(alex.id)
    with open_store(pg.url(pg_database), user="R. Lee") as store:
        store.add_client("C-2", "Blake Example")
        store.add_visit(alex.id, drawing("seen by R. Lee"))
    qtbot.waitUntil(lambda: len(view.list_model.rows) == 2 and len(view.page.visits) == 1, timeout=5000)
    row = view.list_model.row_of(alex.id)
    assert view.list_model.index(row, 4).data() == "R. Lee"  # who changed the client's visits last
    timeline = view.page.timeline
    assert timeline.topLevelItem(0).text(6) == "R. Lee"  # recorded by, changed by nobody since

    visit_id = view.page.visits[0].id
    assert w.records.controller.open_visit(visit_id)
    other_saves(pg, pg_database, visit_id, "her correction")  # while it is open here
    qtbot.waitUntil(
        lambda: "R. Lee saved the visit open here meanwhile" in w.statusBar().currentMessage(), timeout=5000
    )
    assert timeline.topLevelItem(0).text(6) == "R. Lee / R. Lee"


def test_a_waiting_save_that_meets_another_change_asks_and_keeps_mine_on_top(
    qtbot, server_window, pg: Cluster, pg_database: str
):
    w = server_window
    sync = w.records.sync
    with open_store(pg.url(pg_database), user="R. Lee") as store:
        client = store.add_client("C-17", "Alex Example")
        visit_id = store.add_visit(client.id, drawing("first notes")).id
    assert w.records.controller.open_visit(visit_id)
    pg.stop("immediate")
    w.model.set_detail("notes", "my notes, written while the server was down")
    assert w.save() and sync.pending == 1
    pg.start()
    other_saves(pg, pg_database, visit_id, "their notes")
    seen: list[ConflictDialog] = []

    def keep_mine(dialog: ConflictDialog) -> str | None:
        seen.append(dialog)
        dialog.keep_mine.click()
        return dialog.choice

    w.records.controller.show_conflict = keep_mine
    w.records.server_status.retry.click()
    qtbot.waitUntil(lambda: bool(seen) and sync.pending == 0, timeout=30000)
    assert "sent from this computer while the server was out of reach" in seen[0].header.text()
    assert [title for title, _a, _b in seen[0].differing] == ["Notes"]
    with open_store(pg.url(pg_database)) as store:
        stored = store.visit(visit_id)
    assert stored.session.notes == "my notes, written while the server was down"
    binding = w.records.records.binding
    assert binding.queued is None and binding.visit_id == visit_id and binding.version == stored.version
    (kept,) = conflicts_dir().glob(f"visit-{visit_id}-*-theirs-*.nmt")  # an open visit: theirs kept as a file
    assert sessions.load(kept).notes == "their notes"


def test_on_this_computer_the_status_stays_hidden_and_other_windows_changes_show(qtbot, tmp_path, monkeypatch):
    path = tmp_path / "practice.sqlite3"
    monkeypatch.setenv("NMT_BODYMAP_DB", str(path))
    w = new_window(qtbot, tmp_path)
    try:
        sync, view = w.records.sync, w.records.clients
        sync.feed.poll_timer.setInterval(50)
        w.records.controller.show_clients()
        assert sync.state is State.LOCAL and not w.records.server_status.isVisible()
        assert sync.watcher is not None and sync.feed.poll_timer.isActive()  # the file's own watcher
        with open_store(path, user="R. Lee") as store:
            alex = store.add_client("C-1", "Alex Example")
            store.add_visit(alex.id, drawing("seen by R. Lee"))
        qtbot.waitUntil(lambda: [c.code for c in view.list_model.rows] == ["C-1"], timeout=5000)
        assert view.list_model.index(0, 4).data() == "R. Lee"
        assert not w.records.server_status.isVisible()
    finally:
        closed_at_the_end(w)
