"""docs/clinic/roles.sql on a real server: the migration role builds the schema, the app role only uses it."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import psycopg
import pytest
from pg_cluster import Cluster

from nmt_bodymap import session as sessions
from nmt_bodymap.cli import main
from nmt_bodymap.store import Outbox, flush_outbox, open_store

ROLES_SQL = Path(__file__).parent.parent / "docs" / "clinic" / "roles.sql"
HEADACHE = Path(__file__).parent / "fixtures" / "sessions" / "v1-headache.nmt"


@pytest.fixture
def clinic(pg: Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The script run as the superuser with names of this test; passwords set, kept in a private .pgpass."""
    tag = uuid.uuid4().hex[:10]  # names of this test on the session's cluster
    names = {"db": f"practice_{tag}", "migrator": f"migrator_{tag}", "app": f"app_{tag}"}
    pg.psql("postgres", ROLES_SQL, **names)
    pg.psql("postgres", ROLES_SQL, **names)  # running it again changes nothing and fails on nothing
    with pg.admin() as conn:
        for role in ("migrator", "app"):
            conn.execute(f"ALTER ROLE {names[role]} PASSWORD 'pw-{role}-{tag}'")
    pgpass = tmp_path / "pgpass"
    pgpass.write_text("".join(f"{pg.host}:{pg.port}:*:{names[r]}:pw-{r}-{tag}\n" for r in ("migrator", "app")))
    os.chmod(pgpass, 0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    urls = {role: pg.url(names["db"], names[role]) for role in ("migrator", "app")}
    yield names, urls
    with pg.admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{names["db"]}" WITH (FORCE)')
        conn.execute(f"DROP ROLE IF EXISTS {names['app']}")
        conn.execute(f"DROP ROLE IF EXISTS {names['migrator']}")


def test_the_migration_role_makes_the_schema_and_the_app_role_uses_it(
    clinic, pg: Cluster, capsys: pytest.CaptureFixture[str], tmp_path: Path
):
    names, urls = clinic
    with pytest.raises(Exception, match="run once as the migration role"):
        open_store(urls["app"])  # the app cannot make the schema
    assert main(["migrate", "--to", urls["migrator"]]) == 0
    assert "schema 0002_clinic, ready" in capsys.readouterr().out
    with pg.admin(names["db"]) as conn:
        owners = {r[0] for r in conn.execute("SELECT tableowner FROM pg_tables WHERE schemaname = 'public'")}
        assert owners == {names["migrator"]}
        roles = conn.execute(
            "SELECT rolname, rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = ANY(%s)",
            ([names["migrator"], names["app"]],),
        ).fetchall()
        assert sorted(r[1:] for r in roles) == [(False, False, False)] * 2

    with open_store(urls["app"], user="jo") as store:  # everything a therapist does, as the app role
        alex = store.add_client("C-1", "Alex")
        visit = store.add_visit(alex.id, sessions.load(HEADACHE))
        store.close_visit(visit.id)
        store.update_visit(visit.id, sessions.load(HEADACHE), expected_version=2, reason="amended")
        assert len(store.visit_history(visit.id)) == 1
        store.import_files([HEADACHE], client_id=alex.id)
        outbox = Outbox(tmp_path / "outbox")
        outbox.add(alex.id, sessions.load(HEADACHE), user="jo")
        assert len(flush_outbox(store, outbox).delivered) == 1
        with store.watch_changes() as watcher:
            store.bin_visit(visit.id)
            assert watcher.poll(timeout=5).touches(alex.id)
        store.restore_visit(visit.id)
        store.update_client(alex.id, notes="prefers mornings")
        sam = store.add_client("C-2", "Sam")
        store.bin_client(sam.id)
        assert store.erase_client(sam.id) == 0
        assert [c.visit_count for c in store.clients()] == [3]

    with psycopg.connect(urls["app"], autocommit=True) as conn:
        for statement in (
            "CREATE TABLE intruder (id integer)",
            "DROP TABLE visits",
            "ALTER TABLE clients ADD COLUMN x integer",
            "TRUNCATE visits",
            "CREATE TEMPORARY TABLE scratch (id integer)",
            "DROP TABLE alembic_version",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
        assert conn.execute("SELECT count(*) FROM visits").fetchone() == (3,)


def test_a_solo_practice_moves_in_as_the_migration_role(clinic, capsys: pytest.CaptureFixture[str]):
    _names, urls = clinic
    v1 = Path(__file__).parent / "fixtures" / "store" / "v1.sqlite3"
    assert main(["migrate", "--from", str(v1), "--to", urls["migrator"]]) == 0
    assert "copied 3 client(s) (1 in the bin), 3 visit(s) (1 in the bin)" in capsys.readouterr().out
    with open_store(urls["app"]) as store:
        assert [c.code for c in store.clients()] == ["C-017", "C-018"]
        new = store.add_client("C-100")  # the id sequences were moved past the copied ids
        assert new.id > max(c.id for c in store.clients() if c.code != "C-100")
