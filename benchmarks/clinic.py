"""The clinic server on loopback: several therapists saving at once, search over 100,000 clients, a client page.

Against a PostgreSQL cluster of its own (``tests/pg_cluster.py``, fsync on,
TLS on as ``sslmode=prefer`` negotiates it), or the server given with
``--db postgresql://...`` (an empty database: the benchmark fills it).

* ``clinic_save_20_writers_p95_ms``: 20 processes (20 therapists' apps),
  each saving visits of its own client, all at once: a new visit, then an
  edit of it, 15 times each (metrics, overlap with the previous visit, row
  locks and triggers included), each writer about once every 0.8 s, so the
  server takes some 25 saves a second, far more than a clinic makes.
  Target: p95 under 50 ms. The same saves by one writer alone are the
  same-run baseline; ``db_p95_ms`` is the part spent in the database
  (statements, round trips, commit).
* ``clinic_save_20_writers_burst_p95_ms``: the same saves back to back,
  without pauses. Here 20 app processes share the benchmark machine's
  cores, so most of the time is the apps waiting for a CPU (their own
  Python work), which 20 computers in a clinic would not share; the
  database part is shown beside it.
* ``clinic_save_20_writers_one_client_p95_ms``: paced, all on one client's
  record: the writes take turns on the client's lock (no target).
* ``clinic_search_*``: the client search (``Store.clients(text)``) over
  100,000 clients, with the trigram index of migration 0002 and, as the
  same-run baseline, without it. Target: under 50 ms.
* ``clinic_client_page_100_visits_ms``: a client with 100 visits and the
  progress series (``Store.client_page``). Target: under 300 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing as mp
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

from _common import emit, summary, timings
from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from nmt_bodymap import session as sessions
from nmt_bodymap.store import open_store
from nmt_bodymap.store.clients import fold
from nmt_bodymap.store.schema import clients

HEADACHE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "sessions" / "v1-headache.nmt"
WRITERS = 20
SAVES_PER_WRITER = 15  # each a new visit and an edit of it: 30 timed saves per writer
CLIENTS = 100_000
PAGE_VISITS = 100
REPEAT = 15
FIRST = ["Alex", "Sam", "Jo", "Maria", "Chen", "Priya", "Noah", "Zoë", "Lars", "Amara", "Ines", "Tom", "Ana", "Kofi"]
SYLLABLES = ["ka", "mo", "ri", "sen", "dal", "vik", "ter", "lun", "bra", "os", "mil", "zan", "gre", "tho", "pel"]


def writer(url: str, index: int, client_id: int, paced: bool, start: Any, out: Any) -> None:
    """One therapist's app: timed saves (total, and the part in the database) after a shared start."""
    drawing = sessions.load(HEADACHE)
    rng = random.Random(index)
    totals: list[float] = []
    in_db: list[float] = []
    with open_store(url, user=f"therapist-{index}") as store:
        spent = [0.0]

        @event.listens_for(store.engine, "before_cursor_execute")
        def _before(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
            conn.info["nmt_t"] = time.perf_counter()

        @event.listens_for(store.engine, "after_cursor_execute")
        def _after(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
            spent[0] += time.perf_counter() - conn.info.pop("nmt_t")

        dialect = store.engine.dialect
        real_commit = dialect.do_commit

        def timed_commit(dbapi_connection: Any) -> None:
            t = time.perf_counter()
            real_commit(dbapi_connection)
            spent[0] += time.perf_counter() - t

        dialect.do_commit = timed_commit  # type: ignore[method-assign]

        warm = store.add_visit(client_id, drawing, date="2025-12-31")  # caches and connection warm
        store.bin_visit(warm.id)
        start.wait()

        def timed(save: Any) -> Any:
            spent[0] = 0.0
            t = time.perf_counter()
            result = save()
            totals.append((time.perf_counter() - t) * 1000)
            in_db.append(spent[0] * 1000)
            return result

        for n in range(SAVES_PER_WRITER):
            if paced:
                time.sleep(rng.uniform(0.3, 1.3))
            day = dt.date(2026, 1, 1) + dt.timedelta(days=n)
            made = timed(lambda d=day: store.add_visit(client_id, drawing, date=d))
            drawing.notes = f"edited {n}"
            if paced:
                time.sleep(rng.uniform(0.3, 1.3))
            timed(lambda m=made: store.update_visit(m.id, drawing, expected_version=m.version))
    out.put((totals, in_db))


def concurrent_saves(url: str, client_ids: list[int], paced: bool) -> tuple[list[float], list[float]]:
    context = mp.get_context("fork")
    start = context.Barrier(len(client_ids))
    out = context.Queue()
    procs = [context.Process(target=writer, args=(url, i, cid, paced, start, out)) for i, cid in enumerate(client_ids)]
    for p in procs:
        p.start()
    results = [out.get(timeout=900) for _ in procs]
    for p in procs:
        p.join()
    return [t for r in results for t in r[0]], [t for r in results for t in r[1]]


def surname(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def fill_clients(url: str) -> tuple[str, str]:
    """100,000 clients in bulk; returns a surname and a code that exist."""
    rng = random.Random(11)
    now = dt.datetime.now(dt.UTC)
    known = ("", "")
    with open_store(url, user="bench") as store, store.transaction() as conn:
        batch = []
        for i in range(CLIENTS):
            name, code = f"{rng.choice(FIRST)} {surname(rng)}", f"K-{i + 1:06d}"
            batch.append(
                {
                    "code": code,
                    "code_key": fold(code),
                    "name": name,
                    "name_key": fold(name),
                    "search_key": f"{fold(name)} {fold(code)}",
                    "created_at": now,
                    "updated_at": now,
                }
            )
            if i == CLIENTS // 2:
                known = (name.split()[1], code)
            if len(batch) == 5000:
                conn.execute(clients.insert(), batch)
                batch = []
        if batch:
            conn.execute(clients.insert(), batch)
    return known


def search_figures(url: str, admin_url: str, known_surname: str, known_code: str, suffix: str) -> dict[str, float]:
    queries = {
        "surname": (known_surname.lower(), None),
        "full_name": (f"{FIRST[0]} {known_surname}".lower(), None),
        "code": (known_code, None),
        "two_letters_first_screen": ("ka", 100),
    }
    medians = {}
    with open_store(url) as store:
        for name, (text, limit) in queries.items():
            store.clients(text, limit=limit)
            s = summary(timings(lambda t=text, n=limit: store.clients(t, limit=n), REPEAT))
            rows = len(store.clients(text, limit=limit))
            medians[name] = s["median"]
            emit(
                f"clinic_search_{name}{suffix}_ms",
                s["median"],
                "ms",
                p95=round(s["p95"], 2),
                rows=rows,
                clients=CLIENTS,
            )
    return medians


def uses_trigram_index(admin_url: str, text: str) -> bool:
    import psycopg

    with psycopg.connect(admin_url) as conn:
        plan = conn.execute(
            "EXPLAIN SELECT id FROM clients WHERE deleted_at IS NULL AND search_key LIKE %s ESCAPE '\\'",
            (f"%{text}%",),
        ).fetchall()
    return any("ix_clients_search_key_trgm" in row[0] for row in plan)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="an empty PostgreSQL database (default: a throwaway cluster)")
    args = parser.parse_args()
    cluster = None
    if args.db:
        url = admin = args.db
    else:
        import pg_cluster

        cluster = pg_cluster.start_cluster(durable=True)
        url = cluster.url(cluster.new_database())
        admin = url
    try:
        run(url, admin)
    finally:
        if cluster is not None:
            cluster.destroy()


def run(url: str, admin: str) -> None:
    with open_store(url, user="bench") as store:
        own = [store.add_client(f"W-{i:02d}", f"Writer {i}").id for i in range(WRITERS)]
        shared = store.add_client("S-1", "Shared Client").id
    alone, alone_db = (summary(t) for t in concurrent_saves(url, own[:1], paced=True))
    many, many_db = (summary(t) for t in concurrent_saves(url, own, paced=True))
    emit(
        "clinic_save_20_writers_p95_ms",
        many["p95"],
        "ms",
        median=round(many["median"], 2),
        max=round(many["max"], 2),
        db_p95_ms=round(many_db["p95"], 2),
        baseline_one_writer_p95_ms=round(alone["p95"], 2),
        baseline_db_p95_ms=round(alone_db["p95"], 2),
        ratio=round(many["p95"] / alone["p95"], 2),
        writers=WRITERS,
        saves=WRITERS * SAVES_PER_WRITER * 2,
        load_average=round(os.getloadavg()[0], 1),  # the machine's other work: these figures are CPU-bound
        target_ms=50,
    )
    burst, burst_db = (summary(t) for t in concurrent_saves(url, own, paced=False))
    emit(
        "clinic_save_20_writers_burst_p95_ms",
        burst["p95"],
        "ms",
        median=round(burst["median"], 2),
        db_p95_ms=round(burst_db["p95"], 2),
        note="back to back: 20 app processes share this machine's CPUs",
    )
    one, one_db = (summary(t) for t in concurrent_saves(url, [shared] * WRITERS, paced=True))
    emit(
        "clinic_save_20_writers_one_client_p95_ms",
        one["p95"],
        "ms",
        median=round(one["median"], 2),
        db_p95_ms=round(one_db["p95"], 2),
        note="all on one client's record: the writes take turns",
    )

    with open_store(url, user="bench") as store:
        page_client = store.add_client("P-1", "Page Client").id
        drawing = sessions.load(HEADACHE)
        for n in range(PAGE_VISITS):
            store.add_visit(page_client, drawing, date=dt.date(2024, 1, 1) + dt.timedelta(days=7 * n))

        def page() -> list[dict]:
            _client, series = store.client_page(page_client)
            return [v.progress_dict() for v in series]

        assert len(page()) == PAGE_VISITS
        s = summary(timings(page, REPEAT))
        emit("clinic_client_page_100_visits_ms", s["median"], "ms", p95=round(s["p95"], 2), target_ms=300)
        latest = store.visits(page_client)[-1].id
        s = summary(timings(lambda: store.visit(latest), REPEAT))
        emit("clinic_open_visit_ms", s["median"], "ms", p95=round(s["p95"], 2))

    started = time.perf_counter()
    known_surname, known_code = fill_clients(url)
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("ANALYZE clients")
    emit("clinic_fill_clients_s", time.perf_counter() - started, "s", clients=CLIENTS)
    emit("clinic_search_plan_uses_trigram_index", float(uses_trigram_index(admin, known_surname.lower())), "bool")
    indexed = search_figures(url, admin, known_surname, known_code, "")
    with psycopg.connect(admin, autocommit=True) as conn:
        definition = conn.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_clients_search_key_trgm'"
        ).fetchone()[0]
        conn.execute("DROP INDEX ix_clients_search_key_trgm")
    try:
        plain = search_figures(url, admin, known_surname, known_code, "_without_index")
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(definition)
    for name, ms in indexed.items():
        emit(f"clinic_search_{name}_ratio", ms / plain[name], "ratio", baseline="the same search without the index")


if __name__ == "__main__":
    main()
