"""``nmt-bodymap migrate``: a solo practice's SQLite file moved to the clinic server, nothing lost."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import asdict
from pathlib import Path

import pytest
from pg_cluster import Cluster, free_port
from sqlalchemy import select

from nmt_bodymap.cli import main
from nmt_bodymap.store import Store, open_store
from nmt_bodymap.store import transfer as transfers
from nmt_bodymap.store.exchange import ClientRecord, client_record
from nmt_bodymap.store.schema import clients

STORE_FIXTURES = Path(__file__).parent / "fixtures" / "store"
V1, RICH = STORE_FIXTURES / "v1.sqlite3", STORE_FIXTURES / "rich.sqlite3"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def record(store: Store) -> dict[str, ClientRecord]:
    """Everything the store holds about each client (by code): the client, visits, sessions, history, bin."""
    with store._read() as conn:
        ids = conn.execute(select(clients.c.id)).scalars().all()
        return {r.client.code: r for r in (client_record(conn, i) for i in ids)}


def without_ids(records: dict[str, ClientRecord]) -> dict[str, object]:
    """The same, with the ids (which a merge renumbers) left out."""

    def strip(item: object) -> dict[str, object]:
        return {k: v for k, v in asdict(item).items() if k not in ("id", "client_id", "visit_id")}  # type: ignore[call-overload]

    return {
        code: (
            strip(r.client),
            [(strip(v.summary), v.document, [strip(h) for h in r.histories[v.id]]) for v in r.visits],
        )
        for code, r in records.items()
    }


@pytest.mark.parametrize("fixture, n_clients, n_visits", [(V1, 3, 3), (RICH, 4, 9)], ids=["v1", "rich"])
def test_migrate_copies_every_record_and_verifies_it(
    fixture: Path,
    n_clients: int,
    n_visits: int,
    pg: Cluster,
    pg_database: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
):
    source = tmp_path / "practice.sqlite3"
    shutil.copyfile(fixture, source)
    before = digest(source)
    target = pg.url(pg_database)
    assert main(["migrate", "--from", str(source), "--to", target]) == 0
    out = capsys.readouterr().out
    assert out.startswith("copied ") and "verified: counts, and a content hash for each of the" in out
    assert digest(source) == before  # the source (even one of an older schema) is left exactly as it was
    expected_copy = tmp_path / "expected.sqlite3"
    shutil.copyfile(fixture, expected_copy)
    with open_store(expected_copy) as solo, open_store(target) as clinic:
        everything = record(solo)
        assert len(everything) == n_clients and sum(len(r.visits) for r in everything.values()) == n_visits
        assert record(clinic) == everything  # ids, times, authors, versions, documents, history, bin
        assert [(e.kind, e.id, e.label) for e in clinic.bin()] == [(e.kind, e.id, e.label) for e in solo.bin()]
        with solo.engine.connect() as a, clinic.engine.connect() as b:
            assert transfers.visit_hashes(a) == transfers.visit_hashes(b)
        code = sorted(record(solo))[0]
        fresh = clinic.add_client("NEW-1")  # the server's ids go on after the copied ones
        assert fresh.id > max(r.client.id for r in record(solo).values())
        assert code in record(clinic)


def test_a_target_with_records_is_refused_unless_merging(
    pg: Cluster, pg_database: str, capsys: pytest.CaptureFixture[str]
):
    target = pg.url(pg_database)
    assert main(["migrate", "--from", str(RICH), "--to", target]) == 0
    capsys.readouterr()
    with open_store(target) as clinic:
        rich_before = record(clinic)

    assert main(["migrate", "--from", str(V1), "--to", target]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "already holds 4 client(s); nothing was copied (add --merge" in err

    assert main(["migrate", "--from", str(V1), "--to", target, "--merge"]) == 0
    assert "(merged; new ids)" in capsys.readouterr().out
    with open_store(target) as clinic, open_store(_copy(V1, pg)) as solo:
        merged = record(clinic)
        assert {code: merged[code] for code in rich_before} == rich_before  # untouched
        assert without_ids({c: merged[c] for c in ("C-017", "C-018", "C-019")}) == without_ids(record(solo))

    assert main(["migrate", "--from", str(V1), "--to", target, "--merge"]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        f"nmt-bodymap: error: client code '{code}' is in both databases: give one of them another code first"
        for code in ("C-017", "C-018", "C-019")
    ]
    with open_store(target) as clinic:
        assert record(clinic) == merged  # nothing copied


def _copy(fixture: Path, pg: Cluster) -> Path:
    target = pg.root.parent / f"{pg.root.name}-{fixture.name}"
    shutil.copyfile(fixture, target)
    return target


def test_a_copy_that_does_not_verify_commits_nothing(
    pg: Cluster, pg_database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    real = transfers._portable

    def altered(value: object) -> object:  # a fault in the copy: one document changes on the way
        if isinstance(value, str) and "worse on Mondays" in value:
            return value.replace("Mondays", "Fridays")
        return real(value)

    monkeypatch.setattr(transfers, "_portable", altered)
    target = pg.url(pg_database)
    assert main(["migrate", "--from", str(V1), "--to", target]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "did not arrive intact (content hash differs)" in err
    with open_store(target) as clinic:
        assert clinic.clients() == [] and clinic.bin() == []


@pytest.mark.parametrize(
    "args, message",
    [
        (["--from", "/no/such/practice.sqlite3"], "no practice database there"),
        (["--merge"], "--merge goes with --from"),
    ],
)
def test_bad_arguments_are_one_line(
    args: list[str], message: str, pg: Cluster, pg_database: str, capsys: pytest.CaptureFixture[str]
):
    assert main(["migrate", *args, "--to", pg.url(pg_database)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


def test_a_damaged_source_or_an_unreachable_target_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database " * 300)
    unreachable = f"postgresql://nmt_migrator@127.0.0.1:{free_port()}/practice"
    assert main(["migrate", "--from", str(junk), "--to", unreachable]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "damaged" in err and str(junk) in err
    assert main(["migrate", "--from", str(V1), "--to", unreachable]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot reach the database server" in err
