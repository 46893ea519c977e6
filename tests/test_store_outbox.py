"""A lost connection never loses the visit: the outbox keeps it and delivers it exactly once.

The fault is real: the throwaway server is stopped (``pg_ctl stop -m
immediate``) while a save waits inside its transaction, then started again.
"""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

import pytest
from clinic_helpers import wait_for_lock_wait
from pg_cluster import Cluster

from nmt_bodymap import session as sessions
from nmt_bodymap.store import (
    Conflict,
    Outbox,
    QueuedSave,
    ServerUnreachable,
    flush_outbox,
    open_store,
    save_visit,
)
from nmt_bodymap.store.outbox import outbox_dir

HEADACHE = Path(__file__).parent / "fixtures" / "sessions" / "v1-headache.nmt"


def drawing(notes: str, date: str = "2026-11-20") -> sessions.Session:
    session = sessions.load(HEADACHE)
    session.notes, session.date = notes, date
    return session


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_save_cut_off_by_a_server_stop_is_queued_and_delivered_after_the_restart(
    pg: Cluster, pg_database: str, tmp_path: Path
):
    url = pg.url(pg_database)
    old_umask = os.umask(0)
    try:
        with open_store(url, user="jo") as store:
            client = store.add_client("C-17", "Alex Example")
            outbox = Outbox.for_database(store.db)
            blocker = pg.admin(pg_database)
            blocker.autocommit = False
            blocker.execute("SELECT 1 FROM clients WHERE id = %s FOR UPDATE", (client.id,))  # another save in progress
            result: list[object] = []
            saving = threading.Thread(
                target=lambda: result.append(save_visit(store, drawing("first visit"), client_id=client.id))
            )
            saving.start()
            wait_for_lock_wait(pg, pg_database)  # the save is inside its transaction on the server
            pg.stop("immediate")
            saving.join(timeout=60)
            (queued,) = result
            assert isinstance(queued, QueuedSave) and queued.kind == "add" and queued.user == "jo"
            with pytest.raises(ServerUnreachable, match="cannot reach the database server"):
                store.visits(client.id)
            second = save_visit(store, drawing("second visit"), client_id=client.id)  # the server is still down
            assert isinstance(second, QueuedSave)
            report = flush_outbox(store)
            assert report.unreachable is not None and report.delivered == [] and report.pending == 2

            folder = outbox_dir(store.db)
            files = sorted(folder.glob("*.json"))
            assert [f.name.split("-", 1)[1] for f in files] == [f"{queued.save_id}.json", f"{second.save_id}.json"]
            assert mode(folder) == 0o700 and {mode(f) for f in files} == {0o600}
            assert json.loads(files[0].read_text())["document"]["notes"] == "first visit"

            pg.start()
            report = flush_outbox(store)
            assert report.unreachable is None and report.pending == 0 and len(outbox) == 0
            assert [entry.save_id for entry, _summary in report.delivered] == [queued.save_id, second.save_id]
            visits = store.visits(client.id)
            assert [store.visit(v.id).session.notes for v in visits] == ["first visit", "second visit"]
            assert {v.created_by for v in visits} == {"jo"}
            assert flush_outbox(store).delivered == []
    finally:
        os.umask(old_umask)
        if not pg.is_running():
            pg.start()


def test_a_save_whose_acknowledgement_was_lost_is_not_applied_twice(store_url: str, tmp_path: Path):
    outbox = Outbox(tmp_path / "outbox")
    with open_store(store_url) as store:
        client = store.add_client("C-1")
        queued = outbox.add(client.id, drawing("sent once"), user="jo")
        first = store.add_visit(client.id, drawing("sent once"), save_id=queued.save_id)  # it did arrive
        report = flush_outbox(store, outbox)
        ((entry, delivered),) = report.delivered
        assert entry.save_id == queued.save_id and delivered.id == first.id
        assert len(store.visits(client.id)) == 1 and len(outbox) == 0
        again = store.add_visit(client.id, drawing("sent once"), save_id=queued.save_id)
        assert again.id == first.id and len(store.visits(client.id)) == 1


def test_edits_of_a_queued_visit_follow_it(store_url: str, tmp_path: Path):
    outbox = Outbox(tmp_path / "outbox")
    with open_store(store_url, user="sam") as store:
        client = store.add_client("C-1")
        made = outbox.add(client.id, drawing("draft"), user="sam", date="2026-12-01")
        edited = outbox.update(made, drawing("draft, with findings", "2026-12-01"), user="sam")
        last = outbox.update(edited, drawing("final notes", "2026-12-02"), user="sam", reason="")
        report = flush_outbox(store, outbox)
        assert len(report.delivered) == 3 and report.pending == 0
        (visit,) = store.visits(client.id)
        stored = store.visit(visit.id)
        assert stored.version == 3 and stored.session.notes == "final notes"
        assert visit.date.isoformat() == "2026-12-02"  # an edit's session carries the visit's date
        later = save_visit(store, drawing("after the queue"), visit_id=last, outbox=outbox)  # the latest queued save
        assert not isinstance(later, QueuedSave) and later.version == 4
        with pytest.raises(Conflict, match="version 4, you edited version 1"):
            save_visit(store, drawing("from a stale window"), visit_id=made, outbox=outbox)


def test_a_queued_edit_of_a_visit_changed_meanwhile_is_reported_not_forced(store_url: str, tmp_path: Path):
    outbox = Outbox(tmp_path / "outbox")
    with open_store(store_url, user="jo") as store:
        client = store.add_client("C-1")
        visit = store.add_visit(client.id, drawing("first"))
        mine = outbox.update(visit.id, drawing("jo's offline edit"), user="jo", expected_version=1)
        follow = outbox.update(mine, drawing("jo's second offline edit"), user="jo")
    with open_store(store_url, user="sam") as other:
        other.update_visit(visit.id, drawing("sam's edit"), expected_version=1)
    with open_store(store_url, user="jo") as store:
        report = flush_outbox(store, outbox)
        ((entry, conflict),) = report.conflicts
        assert entry.save_id == mine.save_id and report.delivered == [] and report.pending == 2
        assert conflict.mine["notes"] == "jo's offline edit" and conflict.theirs["notes"] == "sam's edit"
        assert conflict.changed_by == "sam"
        assert store.visit(visit.id).session.notes == "sam's edit"  # nothing forced
        outbox.discard(mine.save_id)
        outbox.discard(follow.save_id)
        assert len(outbox) == 0


def test_a_damaged_queue_file_is_reported_and_kept(store_url: str, tmp_path: Path):
    outbox = Outbox(tmp_path / "outbox")
    with open_store(store_url) as store:
        client = store.add_client("C-1")
        good = outbox.add(client.id, drawing("fine"), user="jo")
        damaged = outbox.folder / "00000000000000000001-broken.json"
        damaged.write_text("{not json")
        report = flush_outbox(store, outbox)
        assert [e.save_id for e, _ in report.delivered] == [good.save_id]
        ((_entry, error),) = report.failed
        assert str(damaged) in str(error) and "cannot be read" in str(error)
        assert damaged.exists() and report.pending == 1
