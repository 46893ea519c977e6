"""Move a solo practice's records to the clinic server: ``nmt-bodymap migrate --from FILE --to URL``.

* The source SQLite file is never changed: a consistent snapshot of it
  (SQLite's online backup) is taken into the app's private data folder,
  checked, brought to the current schema there, read, and deleted.
* Everything is copied: every client, visit, earlier version (amendment
  history) and bin entry, and the delivered-save ids, with their created
  and updated times, authors (``created_by``/``updated_by``, ``saved_by``,
  ``replaced_by``), versions and bin times as they are.
* Into an empty database the ids are kept too (and the server's id
  sequences moved past them). ``merge=True`` adds the records to a database
  that already holds others (a second therapist joining the clinic): ids
  are then new (mapped), and nothing is copied when a client code is in
  both databases, because two different people may carry one code; each
  such code is reported, to be renamed first. A non-empty target is never
  overwritten or wiped.
* The copy is one transaction on the target, verified before it commits:
  the number of rows of each kind, and a content hash (SHA-256 of every
  column but the ids, and of its earlier versions) of each visit, read back
  from the target. Any difference and nothing is committed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select, text

from nmt_bodymap import paths
from nmt_bodymap.store import backup
from nmt_bodymap.store.api import open_store
from nmt_bodymap.store.clients import aware
from nmt_bodymap.store.errors import StoreError
from nmt_bodymap.store.location import Database, resolve
from nmt_bodymap.store.schema import clients, saves, visit_versions, visits

BATCH = 500
ID_BATCH = 10_000  # ids per IN (...) list: under the 65,535 parameters of one PostgreSQL statement


class TransferRefused(StoreError):
    """The copy was refused before anything was written; ``problems`` has one line per reason."""

    def __init__(self, message: str, problems: list[str]) -> None:
        super().__init__(message)
        self.problems = problems


@dataclass
class TransferReport:
    source: str
    target: str
    merged: bool
    clients: int = 0
    visits: int = 0
    versions: int = 0
    saves: int = 0
    clients_in_bin: int = 0
    visits_in_bin: int = 0
    verified_hashes: int = 0
    client_ids: dict[int, int] = field(default_factory=dict, repr=False)  # source id -> target id
    visit_ids: dict[int, int] = field(default_factory=dict, repr=False)


def copy_practice(
    source: str | Path, target: str | Database, *, merge: bool = False, sslmode: str | None = None
) -> TransferReport:
    """Copy the practice in the SQLite file ``source`` into ``target`` (see the module docstring)."""
    src = resolve(Path(source))
    dst = target if isinstance(target, Database) else resolve(target, sslmode=sslmode)
    assert src.path is not None
    if not src.path.is_file():
        raise StoreError(f"{src.path}: no practice database there")
    if dst.path is not None and dst.path == src.path:
        raise StoreError(f"{src.path}: the source and the target are the same database")
    folder = paths.private_dir(paths.data_dir() / "migrate")
    with backup._scratch(folder, "source") as snapshot:
        backup._copy_live(src.path, snapshot)
        backup._check_copy(snapshot, str(src.path))
        with open_store(snapshot) as source_store, open_store(dst) as target_store:
            report = TransferReport(str(src.path), dst.label, merge)
            with source_store.transaction() as reading, target_store.transaction() as writing:
                _copy(reading, writing, report, dst.label)
    return report


def _rows(conn: Connection, table: Table, order: Any) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in conn.execute(select(table).order_by(order))]


def _stream(conn: Connection, table: Table, order: Any) -> Iterable[list[dict[str, Any]]]:
    """A table's rows in batches (visits carry whole documents: never all of them in memory)."""
    result = conn.execution_options(yield_per=BATCH).execute(select(table).order_by(order))
    for part in result.partitions():
        yield [dict(r._mapping) for r in part]


def _copy(src: Connection, dst: Connection, report: TransferReport, label: str) -> None:
    source_clients = _rows(src, clients, clients.c.id)
    _check_target(dst, source_clients, report, label)
    keep_ids = not report.merged
    report.client_ids = _insert(dst, clients, source_clients, keep_ids, {})
    report.clients = len(source_clients)
    report.clients_in_bin = sum(1 for c in source_clients if c["deleted_at"] is not None)
    for batch in _stream(src, visits, visits.c.id):
        report.visit_ids.update(_insert(dst, visits, batch, keep_ids, {"client_id": report.client_ids}))
        report.visits += len(batch)
        report.visits_in_bin += sum(1 for v in batch if v["deleted_at"] is not None)
    for batch in _stream(src, visit_versions, visit_versions.c.id):
        _insert(dst, visit_versions, batch, keep_ids, {"visit_id": report.visit_ids})
        report.versions += len(batch)
    for batch in _stream(src, saves, saves.c.save_id):
        _insert(dst, saves, batch, True, {"visit_id": report.visit_ids})
        report.saves += len(batch)
    if keep_ids and dst.dialect.name == "postgresql":
        for table in (clients, visits, visit_versions):
            dst.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT max(id) FROM {table.name}), 0) + 1, false)"
                )
            )
    _verify(src, dst, report, label)


def _check_target(dst: Connection, source_clients: list[dict[str, Any]], report: TransferReport, label: str) -> None:
    held = int(dst.execute(select(func.count()).select_from(clients)).scalar_one())
    if not report.merged:
        if held:
            raise TransferRefused(
                f"{label}: already holds {held} client(s); nothing was copied",
                [
                    f"{label}: already holds {held} client(s); nothing was copied (add --merge to add these "
                    "records to them)"
                ],
            )
        return
    codes = {c["code_key"]: c["code"] for c in source_clients}
    taken = set(dst.execute(select(clients.c.code_key).where(clients.c.code_key.in_(list(codes)))).scalars())
    if taken:
        problems = [
            f"client code '{codes[key]}' is in both databases: give one of them another code first"
            for key in sorted(taken)
        ]
        raise TransferRefused(f"{label}: {len(taken)} client code(s) in both databases; nothing was copied", problems)


def _insert(
    dst: Connection,
    table: Table,
    rows: list[dict[str, Any]],
    keep_ids: bool,
    maps: dict[str, dict[int, int]],
) -> dict[int, int]:
    """Insert ``rows`` (foreign keys mapped); returns source id -> target id."""
    mapping: dict[int, int] = {}
    prepared = []
    for row in rows:
        values = {k: _portable(v) for k, v in row.items()}
        for column, id_map in maps.items():
            values[column] = id_map[values[column]]
        prepared.append(values)
    if "id" not in table.c or keep_ids:
        for batch in _batches(prepared):
            dst.execute(insert(table), batch)
        return {r["id"]: r["id"] for r in rows} if "id" in table.c else {}
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    for batch in _batches(prepared):
        old_ids = [values.pop("id") for values in batch]
        new_ids = dst.execute(statement, batch).scalars().all()
        mapping.update(zip(old_ids, (int(i) for i in new_ids), strict=True))
    return mapping


def _batches(items: list[Any], size: int = BATCH) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _portable(value: Any) -> Any:
    """SQLite hands datetimes back without a zone; they are UTC."""
    return aware(value) if isinstance(value, dt.datetime) else value


# -- verification --------------------------------------------------------------------


def _canonical(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return aware(value).isoformat(timespec="milliseconds")  # type: ignore[union-attr]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return value


def visit_hashes(conn: Connection, visit_ids: Iterable[int] | None = None) -> dict[int, str]:
    """A content hash per visit: every column but the ids, its client's code, and its earlier versions."""
    if visit_ids is None:
        return _hashes(conn, None)
    out: dict[int, str] = {}
    for batch in _batches(sorted(visit_ids), ID_BATCH):
        out.update(_hashes(conn, batch))
    return out


def _hashes(conn: Connection, wanted: list[int] | None) -> dict[int, str]:
    query = select(visits, clients.c.code).join(clients, clients.c.id == visits.c.client_id)
    history_query = select(visit_versions)
    if wanted is not None:
        query = query.where(visits.c.id.in_(wanted))
        history_query = history_query.where(visit_versions.c.visit_id.in_(wanted))
    history: dict[int, list[dict[str, Any]]] = {}
    for row in conn.execute(history_query.order_by(visit_versions.c.visit_id, visit_versions.c.version)):
        m = row._mapping
        history.setdefault(m["visit_id"], []).append(
            {k: _canonical(v) for k, v in m.items() if k not in ("id", "visit_id")}
        )
    out: dict[int, str] = {}
    for row in conn.execute(query):
        m = row._mapping
        content = {k: _canonical(v) for k, v in m.items() if k not in ("id", "client_id")}
        content["earlier_versions"] = history.get(m["id"], [])
        out[m["id"]] = hashlib.sha256(json.dumps(content, sort_keys=True).encode("utf-8")).hexdigest()
    return out


def _verify(src: Connection, dst: Connection, report: TransferReport, label: str) -> None:
    problems: list[str] = []
    expected = {table: n for table, n in _source_counts(src).items()}
    counted = _target_counts(dst, report)
    for table, n in expected.items():
        if counted[table] != n:
            problems.append(f"{label}: {counted[table]} {table} arrived of {n}")
    verified = 0
    for batch in _batches(sorted(report.visit_ids), ID_BATCH):
        before = _hashes(src, batch)
        after = _hashes(dst, [report.visit_ids[v] for v in batch])
        for old_id in batch:
            if old_id not in before or after.get(report.visit_ids[old_id]) != before[old_id]:
                problems.append(f"{label}: visit #{old_id} did not arrive intact (content hash differs)")
        verified += len(before)
    if problems:
        raise TransferRefused(f"{label}: the copy did not verify; nothing was committed", problems)
    report.verified_hashes = verified


def _source_counts(conn: Connection) -> dict[str, int]:
    return {t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one()) for t in _TABLES}


def _target_counts(conn: Connection, report: TransferReport) -> dict[str, int]:
    """Rows of the copied records in the target (all of them, when it was empty)."""
    if not report.merged:
        return _source_counts(conn)
    client_ids, visit_ids = sorted(report.client_ids.values()), sorted(report.visit_ids.values())
    where: dict[str, tuple[Any, list[int]]] = {
        "clients": (clients.c.id, client_ids),
        "visits": (visits.c.id, visit_ids),
        "visit_versions": (visit_versions.c.visit_id, visit_ids),
        "saves": (saves.c.visit_id, visit_ids),
    }
    counts = {}
    for table in _TABLES:
        column, ids = where[table.name]
        counts[table.name] = sum(
            int(conn.execute(select(func.count()).select_from(table).where(column.in_(batch))).scalar_one())
            for batch in _batches(ids, ID_BATCH)
        )
    return counts


_TABLES = (clients, visits, visit_versions, saves)
