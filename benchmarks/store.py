"""The client store at practice scale: 10,000 clients with 100,000 visits.

The practice is generated in bulk (a few real sessions as templates, their
figures computed once, dates and figures varied), straight into the schema
the app creates, in one transaction. Then, on the warm database:

* the client list (first screen of 100, and all 10,000 with visit counts);
* a search by name and by code (targets: under 100 ms);
* a client page with 100 visits and its progress series, with and without
  painting the progress plot into a 900 × 560 picture (target: under 300 ms);
* saving one visit (metrics and the overlap with the previous visit included);
* what building the command-line parser costs now that the records
  commands are registered, against the same build without them (same run),
  and that it imports neither the store nor SQLAlchemy (app start target:
  within 50 ms of before).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import emit, summary, timings
from sqlalchemy import insert

from nmt_bodymap import progress
from nmt_bodymap import session as sessions
from nmt_bodymap.chart import load_chart
from nmt_bodymap.store import open_store
from nmt_bodymap.store.schema import clients, visits

CLIENTS = 10_000
VISITS = 100_000
BIG_CLIENT_VISITS = 100
HEADACHE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "sessions" / "v1-headache.nmt"
FIRST = ["Alex", "Sam", "Jo", "Maria", "Chen", "Priya", "Noah", "Zoë", "Lars", "Amara", "Ines", "Tom"]
LAST = ["Example", "Sample", "Smith", "Müller", "Okafor", "Nguyen", "García", "Kowalski", "Dubois", "Rossi"]
REPEAT = 15


def templates() -> list[tuple[str, dict]]:
    """A few sessions as stored documents, with their figures."""
    chart = load_chart()
    rng = random.Random(3)
    out = []
    base = sessions.load(HEADACHE)
    for i in range(6):
        drawing = sessions.Session(notes=f"template {i}", marks=list(base.marks[: 1 + i % 3]))
        for j in range(i % 3):
            view = rng.choice(["anterior", "posterior"])
            v = chart.view(view)
            lm = rng.choice(list(v.landmarks.values()))
            drawing.marks.append(
                sessions.disc_mark(chart, f"x{j}", view, lm.x, lm.y, rng.uniform(15, 40), "aching", rng.randint(2, 9))
            )
        m = progress.visit_metrics(drawing)
        figures = {
            "extent_percent": m.extent_percent,
            "extent_by_view": json.dumps(m.extent_by_view),
            "painted_area_mm2": m.painted_area_mm2,
            "weighted_area_mm2": m.weighted_area_mm2,
            "max_intensity": m.max_intensity,
            "mean_intensity": m.mean_intensity,
            "regions": json.dumps(list(m.regions)),
            "metrics_version": progress.METRICS_VERSION,
        }
        out.append((json.dumps(sessions.to_dict(drawing), separators=(",", ":")), figures))
    return out


def generate(path: Path) -> tuple[int, float]:
    """Fill a new practice database; returns (the id of a client with 100 visits, seconds)."""
    started = time.perf_counter()
    rng = random.Random(7)
    docs = templates()
    now = dt.datetime.now(dt.UTC)
    store = open_store(path, user="bench")
    counts = [0] * CLIENTS
    counts[0] = BIG_CLIENT_VISITS
    for _ in range(VISITS - BIG_CLIENT_VISITS):
        counts[rng.randrange(1, CLIENTS)] += 1
    with store.transaction() as conn:
        rows = []
        for i in range(CLIENTS):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            code = f"C-{i + 1:05d}"
            key = " ".join(name.casefold().split())
            rows.append(
                {
                    "code": code,
                    "code_key": code.casefold(),
                    "name": name,
                    "name_key": key,
                    "search_key": f"{key} {code.casefold()}",
                    "visit_count": counts[i],
                    "created_at": now,
                    "updated_at": now,
                }
            )
        conn.execute(insert(clients), rows)
        batch: list[dict] = []
        start = dt.date(2023, 1, 1)
        last_visit: dict[int, dt.date] = {}
        for client_index, n in enumerate(counts):
            day = start + dt.timedelta(days=rng.randrange(0, 60))
            for k in range(n):
                doc, figures = docs[rng.randrange(len(docs))]
                batch.append(
                    {
                        "client_id": client_index + 1,
                        "visit_date": day,
                        "document": doc,
                        "pain_before": rng.randint(3, 9),
                        "pain_after": rng.randint(0, 5),
                        **figures,
                        "extent_percent": figures["extent_percent"] * rng.uniform(0.5, 1.2),
                        "jaccard_previous": None if k == 0 else round(rng.random(), 4),
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                last_visit[client_index + 1] = day
                day += dt.timedelta(days=rng.randrange(5, 15))
            if len(batch) >= 5000:
                conn.execute(insert(visits), batch)
                batch = []
        if batch:
            conn.execute(insert(visits), batch)
        for client_id, day in last_visit.items():
            conn.execute(clients.update().where(clients.c.id == client_id).values(last_visit=day))
    store.close()
    return 1, time.perf_counter() - started


PARSER = """
import sys, time
t = time.perf_counter()
from nmt_bodymap.cli.parser import build_parser
build_parser()
print((time.perf_counter() - t) * 1000, sum(m.startswith(("sqlalchemy", "nmt_bodymap.store")) for m in sys.modules))
"""


def parser_cost() -> tuple[float, int]:
    runs = []
    loaded = 0
    for _ in range(7):
        out = subprocess.run([sys.executable, "-c", PARSER], capture_output=True, text=True, check=True).stdout.split()
        runs.append(float(out[0]))
        loaded = int(out[1])
    return statistics.median(runs), loaded


def main() -> None:
    from nmt_bodymap.render.progress_plot import paint_progress
    from nmt_bodymap.render.qt import blank_image, ensure_gui_app

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "practice.sqlite3"
        big, seconds = generate(path)
        emit("store_generate_s", seconds, "s", clients=CLIENTS, visits=VISITS, size_mb=round(path.stat().st_size / 1e6))
        store = open_store(path)
        store.clients(limit=100)  # warm the page cache
        figures = {
            "store_client_list_first_100_ms": lambda: store.clients(limit=100),
            "store_client_list_all_ms": lambda: store.clients(),
            "store_search_name_ms": lambda: store.clients("okafor"),
            "store_search_code_ms": lambda: store.clients("C-04217"),
            "store_find_client_ms": lambda: store.find_client("C-04217"),
        }
        for name, fn in figures.items():
            s = summary(timings(fn, REPEAT))
            emit(
                name,
                s["median"],
                "ms",
                p95=round(s["p95"], 2),
                rows=len(fn()) if name != "store_find_client_ms" else 1,
                target_ms=100,
            )

        def page() -> list[dict]:
            _client, series = store.client_page(big)
            return [v.progress_dict() for v in series]

        assert len(page()) == BIG_CLIENT_VISITS
        s = summary(timings(page, REPEAT))
        emit("store_client_page_100_visits_ms", s["median"], "ms", p95=round(s["p95"], 2), target_ms=300)

        ensure_gui_app()

        def page_with_plot() -> None:
            _client, series = store.client_page(big)
            image = blank_image(900, 560, 96)
            from PySide6.QtCore import QRectF
            from PySide6.QtGui import QPainter

            painter = QPainter(image)
            paint_progress(painter, 96 / 25.4, QRectF(10, 10, 880, 540), series, "C-00001")
            painter.end()

        s = summary(timings(page_with_plot, REPEAT))
        emit("store_client_page_with_plot_ms", s["median"], "ms", p95=round(s["p95"], 2), target_ms=300)

        drawing = sessions.load(HEADACHE)
        saves = timings(lambda: store.add_visit(big, drawing, date="2026-12-01"), 10)
        s = summary(saves)
        emit("store_save_visit_ms", s["median"], "ms", p95=round(s["p95"], 2), note="metrics and overlap included")
        store.close()

    # the records commands register without importing the store (it loads when a command runs)
    build_ms, loaded = parser_cost()
    emit("cli_parser_build_ms", build_ms, "ms", store_modules_imported=loaded, target="no store module imported")


if __name__ == "__main__":
    main()
