"""Several therapists at once: concurrent imports, two editors of one visit, deadlocks retried.

Real processes and threads against real databases (SQLite and the
throwaway PostgreSQL cluster); nothing is mocked.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from pg_cluster import Cluster

from nmt_bodymap import session as sessions
from nmt_bodymap.store import Conflict, Store, open_store
from nmt_bodymap.store import retry as retries

HEADACHE = Path(__file__).parent / "fixtures" / "sessions" / "v1-headache.nmt"
WRITERS, IMPORTS = 8, 25

IMPORTER = """
import sys
from nmt_bodymap.store import DuplicateCode, open_store
url, writer, imports, session_file = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
with open_store(url, user=f"therapist-{writer}") as store:    # all open a new database at once
    try:
        store.add_client("C-1", "Shared Client")
    except DuplicateCode:
        pass
    client = store.find_client("C-1")
    for n in range(imports):
        day = 1 + (writer * imports + n) * 7 % 28               # dates interleave between the writers
        store.import_files([session_file], client_id=client.id, date=f"2026-{1 + n % 12:02d}-{day:02d}")
print("done", flush=True)
"""


def test_eight_writers_importing_into_one_client_store_every_visit(pg: Cluster, pg_database: str):
    url = pg.url(pg_database)
    children = [
        subprocess.Popen(
            [sys.executable, "-c", IMPORTER, url, str(w), str(IMPORTS), str(HEADACHE)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(WRITERS)
    ]
    outcomes = [c.communicate(timeout=300) for c in children]
    assert [(c.returncode, err) for c, (_out, err) in zip(children, outcomes, strict=True)] == [(0, "")] * WRITERS
    with open_store(url) as store:
        client = store.find_client("C-1")
        visits = store.visits(client.id)
        assert len(visits) == client.visit_count == WRITERS * IMPORTS
        assert client.last_visit == max(v.date for v in visits)
        assert {v.created_by for v in visits} == {f"therapist-{w}" for w in range(WRITERS)}
        # Every visit is the same drawing: each overlaps its predecessor completely, whatever order
        # the writers inserted them in, if every write saw the timeline of the writes before it.
        assert visits[0].jaccard_previous is None
        assert {v.jaccard_previous for v in visits[1:]} == {1.0}
        assert len(store.clients()) == 1


def test_two_editors_of_one_visit_get_exactly_one_conflict_and_lose_no_text(store_url: str):
    with open_store(store_url, user="jo") as setup:
        client = setup.add_client("C-1")
        visit = setup.add_visit(client.id, sessions.load(HEADACHE))
    stores = [open_store(store_url, user=name) for name in ("jo", "sam")]
    edits = {}
    for store in stores:
        drawing = store.visit(visit.id).session  # both read version 1
        drawing.notes = f"{store.user}'s findings: left upper trapezius taut band"
        edits[store.user] = drawing
    start = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def save(store: Store) -> None:
        start.wait()
        try:
            outcomes[store.user] = store.update_visit(visit.id, edits[store.user], expected_version=1)
        except Conflict as conflict:
            outcomes[store.user] = conflict

    threads = [threading.Thread(target=save, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    for store in stores:
        store.close()
    conflicts = {user: o for user, o in outcomes.items() if isinstance(o, Conflict)}
    assert len(outcomes) == 2 and len(conflicts) == 1
    (loser, conflict), (winner,) = next(iter(conflicts.items())), set(outcomes) - set(conflicts)
    assert (conflict.expected_version, conflict.current_version, conflict.changed_by) == (1, 2, winner)
    assert conflict.mine["notes"] == edits[loser].notes  # the refused text comes back to its author
    assert conflict.theirs["notes"] == edits[winner].notes  # with what is stored now
    with open_store(store_url) as store:
        stored = store.visit(visit.id)
        assert stored.version == 2 and stored.session.notes == edits[winner].notes
        assert stored.summary.updated_by == winner and stored.summary.created_by == "jo"


def test_a_deadlock_is_retried_and_the_import_succeeds(
    pg: Cluster, pg_database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    url = pg.url(pg_database)
    with open_store(url) as store:
        a, b = store.add_client("A-1"), store.add_client("B-1")
    files = []
    for code in ("B-1", "A-1"):  # the import locks B's record, then A's
        drawing = sessions.load(HEADACHE)
        drawing.client_code, drawing.client_name = code, ""
        files.append(tmp_path / f"{code}.nmt")
        sessions.save(drawing, files[-1])
    with pg.admin(pg_database) as conn:  # the store's side looks for the deadlock first, once both wait
        conn.execute(f"ALTER DATABASE \"{pg_database}\" SET deadlock_timeout = '1s'")
    pauses: list[float] = []
    real_pause = retries.pause
    monkeypatch.setattr(retries, "pause", lambda attempt: pauses.append(real_pause(attempt)) or pauses[-1])
    other = pg.admin(pg_database)
    other.autocommit = False
    other.execute("SET deadlock_timeout = '10s'")
    other.execute("UPDATE clients SET notes = 'held' WHERE id = %s", (a.id,))  # another therapist holds A
    result: list[object] = []
    with open_store(url) as store:
        worker = threading.Thread(target=lambda: result.append(store.import_files(files)))
        worker.start()
        wait_for_lock_wait(pg, pg_database)  # the import holds B and waits for A

        def take_b_then_commit() -> None:  # the other now waits for B: a deadlock; the server aborts the import
            other.execute("SELECT 1 FROM clients WHERE id = %s FOR UPDATE", (b.id,))
            other.commit()

        releaser = threading.Thread(target=take_b_then_commit)
        releaser.start()
        worker.join(timeout=60)
        releaser.join(timeout=60)
        other.close()
        assert len(result) == 1 and len(result[0]) == 2  # type: ignore[arg-type]
        assert len(pauses) >= 1  # it was aborted at least once, and run again
        assert [c.visit_count for c in sorted(store.clients(), key=lambda c: c.code)] == [1, 1]
        assert store.client(a.id).notes == "held"


def wait_for_lock_wait(pg: Cluster, database: str) -> None:
    import time

    deadline = time.monotonic() + 30
    with pg.admin(database) as conn:
        while time.monotonic() < deadline:
            waiting = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'", (database,)
            ).fetchone()[0]
            if waiting:
                return
            time.sleep(0.02)
    raise AssertionError("the import never waited for the lock")


def test_serialization_failures_are_retried(pg: Cluster, pg_database: str, monkeypatch: pytest.MonkeyPatch):
    """A server whose administrator made every transaction SERIALIZABLE aborts concurrent writers; none fails."""
    url = pg.url(pg_database)
    with open_store(url) as store:
        client = store.add_client("C-1")
    with pg.admin(pg_database) as conn:
        conn.execute(f"ALTER DATABASE \"{pg_database}\" SET default_transaction_isolation = 'serializable'")
    pauses: list[float] = []
    real_pause = retries.pause
    monkeypatch.setattr(retries, "pause", lambda attempt: pauses.append(real_pause(attempt)) or pauses[-1])
    drawing = sessions.load(HEADACHE)
    failures: list[BaseException] = []
    start = threading.Barrier(4)

    def therapist(n: int) -> None:
        with open_store(url, user=f"t{n}") as store:
            store.client(client.id)
            start.wait()
            for k in range(3):
                try:
                    store.add_visit(client.id, drawing, date=f"2026-0{1 + n}-{10 + k}")
                except BaseException as exc:
                    failures.append(exc)

    threads = [threading.Thread(target=therapist, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert failures == []
    assert pauses, "no serialization failure happened: the test did not test the retry"
    with open_store(url) as store:
        assert store.client(client.id).visit_count == len(store.visits(client.id)) == 12
