"""The clinic server: choosing it, TLS, where the password comes from, and one clear line for each failure.

Against the session's throwaway PostgreSQL cluster (``tests/pg_cluster.py``),
which offers TLS with its own CA, trusts the superuser on loopback and asks
every other role for a SCRAM password.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import keyring
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from clinic_helpers import MemoryKeyring
from pg_cluster import Cluster, free_port

from nmt_bodymap.cli import main
from nmt_bodymap.store import (
    AccessDenied,
    ServerUnreachable,
    StoreError,
    open_store,
    probe,
    resolve,
)
from nmt_bodymap.store.engine import current_revision
from nmt_bodymap.store.schema import HEAD_REVISION, metadata
from nmt_bodymap.store.server import LoosePasswordFile, forget_password, remember_password

PASSWORD = "Correct-Horse-7"


@pytest.fixture
def therapist(pg: Cluster, pg_database: str) -> str:
    """A login role with a password and the rights of the application on a migrated database; its name."""
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


def pgpass(tmp_path: Path, pg: Cluster, user: str, password: str = PASSWORD, mode: int = 0o600) -> Path:
    path = tmp_path / "pgpass"
    path.write_text(f"{pg.host}:{pg.port}:*:{user}:{password}\n")
    os.chmod(path, mode)
    return path


def one_line_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """Run the command line; it must fail with status 2 and exactly one line on stderr."""
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


# -- choosing the server -----------------------------------------------------------


def test_a_server_url_is_resolved_with_tls_preferred_and_no_password_shown():
    db = resolve("postgres://tina:secret@clinic.example:5433/practice")
    assert db.is_server and db.path is None and db.backend == "postgresql"
    assert db.url.drivername == "postgresql+psycopg" and db.url.query["sslmode"] == "prefer"
    assert db.label == "postgresql://tina:***@clinic.example:5433/practice"
    assert db.without_password() == "postgresql://tina@clinic.example:5433/practice"
    required = resolve("postgresql://tina@clinic.example/practice", sslmode="require")
    assert required.url.query["sslmode"] == "require" and "sslmode=require" in required.without_password()
    own = resolve("postgresql://tina@clinic.example/practice?sslmode=verify-full", sslmode="disable")
    assert own.url.query["sslmode"] == "verify-full"  # the URL's own choice wins over the setting
    assert resolve("postgresql:///?service=clinic").url.query["service"] == "clinic"


def test_the_environment_names_the_server(pg: Cluster, pg_database: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("NMT_BODYMAP_DB", pg.url(pg_database))
    with open_store() as store:
        assert store.db.is_server
        store.add_client("C-1")
    with open_store(pg.url(pg_database)) as store:
        assert [c.code for c in store.clients()] == ["C-1"]


def test_migrations_make_exactly_the_declared_schema_on_the_server(pg: Cluster, pg_database: str):
    with open_store(pg.url(pg_database)) as store, store.engine.connect() as conn:
        assert current_revision(conn) == HEAD_REVISION
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
        index = conn.exec_driver_sql(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_clients_search_key_trgm'"
        ).scalar()
        assert "USING gin" in index and "gin_trgm_ops" in index


# -- TLS ---------------------------------------------------------------------------


def test_tls_is_used_when_the_server_offers_it(pg: Cluster, pg_database: str):
    found = probe(pg.url(pg_database))
    assert found.tls is True and found.server_version.startswith(pg.bindir.parent.name)
    assert found.schema is None and found.needs_migration and "empty" in found.message
    with open_store(pg.url(pg_database)):
        pass
    assert probe(pg.url(pg_database)).message.endswith("TLS, ready")
    assert probe(pg.url(pg_database), sslmode="disable").tls is False


def test_verify_full_checks_the_servers_certificate(pg: Cluster, pg_database: str, tmp_path: Path):
    with open_store(pg.url(pg_database)):
        pass
    verified = f"{pg.url(pg_database)}?sslmode=verify-full&sslrootcert={pg.ca_cert}"
    assert probe(verified).tls is True
    stranger = tmp_path / "other-ca.crt"
    from pg_cluster import _write_tls_files

    stranger.write_bytes(_write_tls_files(tmp_path).read_bytes())  # another CA, same names
    with pytest.raises(StoreError, match="TLS with the server failed") as caught:
        open_store(f"{pg.url(pg_database)}?sslmode=verify-full&sslrootcert={stranger}")
    assert not isinstance(caught.value, ServerUnreachable)
    with pytest.raises(StoreError, match="TLS certificate could not be verified"):
        open_store(f"{pg.url(pg_database)}?sslmode=verify-full&sslrootcert={tmp_path / 'missing.crt'}")


# -- passwords ---------------------------------------------------------------------


def test_a_wrong_password_is_one_clear_line_without_the_password(
    pg: Cluster, pg_database: str, therapist: str, capsys: pytest.CaptureFixture[str]
):
    url = pg.url(pg_database, therapist, "Wrong-Guess-99")
    with pytest.raises(AccessDenied, match=f"refused the password of user '{therapist}'") as caught:
        open_store(url)
    assert "Wrong-Guess-99" not in str(caught.value)
    err = one_line_cli(["clients", "list", "--db", url], capsys)
    assert "refused the password" in err and "Wrong-Guess-99" not in err


def test_no_password_anywhere_says_where_to_keep_it(pg: Cluster, pg_database: str, therapist: str):
    with pytest.raises(AccessDenied, match="asks for a password and none was found: keep it in the system keychain"):
        open_store(pg.url(pg_database, therapist))


def test_the_password_comes_from_a_private_pgpass(
    pg: Cluster, pg_database: str, therapist: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("PGPASSFILE", str(pgpass(tmp_path, pg, therapist)))
    with open_store(pg.url(pg_database, therapist)) as store:
        client = store.add_client("C-1", "Alex")
        assert store.client(client.id).created_by == store.user


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_a_pgpass_others_can_read_is_refused(
    pg: Cluster,
    pg_database: str,
    therapist: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
):
    loose = pgpass(tmp_path, pg, therapist, mode=0o644)
    monkeypatch.setenv("PGPASSFILE", str(loose))
    with pytest.raises(LoosePasswordFile, match=r"can be read by others \(mode 0644\).*chmod 600"):
        open_store(pg.url(pg_database, therapist))
    err = one_line_cli(["clients", "list", "--db", pg.url(pg_database, therapist)], capsys)
    assert str(loose) in err and PASSWORD not in err


def test_a_service_file_names_the_server(
    pg: Cluster, pg_database: str, therapist: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    services = tmp_path / "pg_service.conf"
    services.write_text(
        f"[clinic]\nhost={pg.host}\nport={pg.port}\ndbname={pg_database}\nuser={therapist}\npassword={PASSWORD}\n"
    )
    os.chmod(services, 0o600)
    monkeypatch.setenv("PGSERVICEFILE", str(services))
    with open_store("postgresql:///?service=clinic") as store:
        assert store.add_client("C-2").code == "C-2"
    os.chmod(services, 0o640)
    with pytest.raises(LoosePasswordFile, match="service file can be read by others"):
        open_store("postgresql:///?service=clinic")


def test_the_password_comes_from_the_system_keychain(pg: Cluster, pg_database: str, therapist: str):
    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    try:
        db = resolve(pg.url(pg_database, therapist))
        remember_password(db, PASSWORD)
        assert memory.entries == {("nmt-bodymap", f"{therapist}@{pg.host}:{pg.port}/{pg_database}"): PASSWORD}
        with open_store(db) as store:
            assert store.add_client("C-3").code == "C-3"
        forget_password(db)
        assert memory.entries == {}
        with pytest.raises(AccessDenied, match="none was found"):
            open_store(db)
    finally:
        keyring.set_keyring(previous)


# -- unreachable ---------------------------------------------------------------------


def test_an_unreachable_server_is_one_clear_line(capsys: pytest.CaptureFixture[str]):
    url = f"postgresql://tina:Secret-1@127.0.0.1:{free_port()}/practice"
    with pytest.raises(ServerUnreachable, match="cannot reach the database server \\(connection refused"):
        open_store(url)
    err = one_line_cli(["visits", "list", "C-1", "--db", url], capsys)
    assert "cannot reach the database server" in err and "Secret-1" not in err


def test_an_unknown_host_is_one_clear_line(capsys: pytest.CaptureFixture[str]):
    err = one_line_cli(["clients", "list", "--db", "postgresql://tina@no-such-host.invalid/practice"], capsys)
    assert "cannot reach the database server" in err


def test_a_missing_database_is_one_clear_line(pg: Cluster, capsys: pytest.CaptureFixture[str]):
    err = one_line_cli(["clients", "list", "--db", pg.url("no_such_practice")], capsys)
    assert "no such database on the server" in err


def test_the_app_role_cannot_create_the_schema(pg: Cluster, pg_database: str, therapist: str, tmp_path, monkeypatch):
    fresh = pg.new_database()
    try:
        with pg.admin(fresh) as conn:
            conn.execute(f"GRANT USAGE ON SCHEMA public TO {therapist}")
        monkeypatch.setenv("PGPASSFILE", str(pgpass(tmp_path, pg, therapist)))
        with pytest.raises(AccessDenied, match="run once as the migration role: nmt-bodymap migrate --to URL"):
            open_store(pg.url(fresh, therapist))
    finally:
        pg.drop_database(fresh)


# -- the command line on the server ------------------------------------------------------


def test_the_records_commands_work_on_the_server(
    pg: Cluster, pg_database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    url = pg.url(pg_database)
    headache = Path(__file__).parent / "fixtures" / "sessions" / "v1-headache.nmt"
    assert main(["clients", "add", "--code", "C-017", "--name", "Alex Example", "--db", url]) == 0
    assert main(["visits", "import", str(headache), "--db", url]) == 0
    capsys.readouterr()
    assert main(["visits", "list", "C-017", "--json", "--db", url]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["client"]["code"] == "C-017" and [v["date"] for v in listed["visits"]] == ["2026-11-20"]
    assert main(["progress", "C-017", "--json", "--db", url]) == 0
    assert json.loads(capsys.readouterr().out)["visits"][0]["jaccard_previous"] is None
    err = one_line_cli(["backup", "-o", str(tmp_path / "copy.sqlite3"), "--db", url], capsys)
    assert "pg_dump" in err


def test_probing_a_file_changes_nothing(tmp_path: Path):
    path = tmp_path / "new.sqlite3"
    found = probe(path)
    assert found.backend == "sqlite" and found.needs_migration and "a new practice database" in found.message
    assert not path.exists()
    with open_store(path):
        pass
    ready = probe(path)
    assert (ready.schema, ready.needs_migration, ready.tls) == (HEAD_REVISION, False, None)
    with pytest.raises(StoreError, match="does not exist"):
        probe(tmp_path / "nowhere" / "p.sqlite3")
