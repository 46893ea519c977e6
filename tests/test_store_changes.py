"""Lists refresh when another therapist changes the records: the store's change watcher.

PostgreSQL: LISTEN/NOTIFY, fired by triggers on commit, naming the client.
SQLite: ``PRAGMA data_version`` says that something changed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pg_cluster import Cluster

from nmt_bodymap import session as sessions
from nmt_bodymap.store import Changes, ServerUnreachable, open_store

HEADACHE = Path(__file__).parent / "fixtures" / "sessions" / "v1-headache.nmt"


def test_another_therapists_changes_are_announced(store_url: str):
    with open_store(store_url, user="jo") as mine, open_store(store_url, user="sam") as theirs:
        alex = mine.add_client("C-1", "Alex")
        with mine.watch_changes() as watcher:
            assert not watcher.poll()  # nothing since it started
            with theirs.transaction():  # a transaction not yet committed is not announced
                pass
            visit = theirs.add_visit(alex.id, sessions.load(HEADACHE))
            changes = watcher.poll(timeout=5)
            assert changes and changes.touches(alex.id)
            if theirs.db.is_server:
                assert alex.id in changes.visits and alex.id in changes.clients and not changes.everything
                sam = theirs.add_client("C-2", "Sam")
                assert watcher.poll(timeout=5) == Changes(clients=frozenset({sam.id}))
                theirs.close_visit(visit.id)
                assert watcher.poll(timeout=5) == Changes(visits=frozenset({alex.id}))
            else:
                assert changes.everything
            assert not watcher.poll()  # each change is reported once


def test_a_watcher_that_lost_the_server_reconnects_and_says_it_may_have_missed_changes(pg: Cluster, pg_database: str):
    with open_store(pg.url(pg_database)) as store:
        alex = store.add_client("C-1")
        watcher = store.watch_changes()
        try:
            assert watcher.fileno() is not None
            pg.stop("immediate")
            with pytest.raises(ServerUnreachable):
                watcher.poll(timeout=1)
            pg.start()
            assert watcher.poll() == Changes(everything=True)
            store.update_client(alex.id, notes="after the restart")
            assert watcher.poll(timeout=5) == Changes(clients=frozenset({alex.id}))
        finally:
            watcher.close()
            if not pg.is_running():
                pg.start()
