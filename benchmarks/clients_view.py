"""The Clients view at practice scale: 10,000 clients with 100,000 visits, in the real widgets.

Generates the practice of ``store.py``, then, with the app's own widgets
off-screen:

* opening the Clients view (the first page of the list read, the count
  shown, the table laid out and painted): target under 100 ms;
* a search as typed (the list re-read for the text and repainted), by
  name and by code: target under 100 ms; baseline: the same query straight
  from the store, same run;
* scrolling to the end of the first page (the next page read);
* a client page with 100 visits (timeline and progress plot painted):
  target under 300 ms.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from _common import emit, summary, timings
from store import BIG_CLIENT_VISITS, CLIENTS, VISITS, generate

REPEAT = 15


def main() -> None:
    import os

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from nmt_bodymap.chart import load_chart
    from nmt_bodymap.ui.app import make_app
    from nmt_bodymap.ui.clients_view import ClientsView
    from nmt_bodymap.ui.model import SessionModel
    from nmt_bodymap.ui.records_model import RecordsModel

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "practice.sqlite3"
        big, seconds = generate(path)
        emit("clients_view_generate_s", seconds, "s", clients=CLIENTS, visits=VISITS)
        os.environ["NMT_BODYMAP_DB"] = str(path)
        app = make_app()
        from nmt_bodymap.atlas import shipped_atlas

        model = SessionModel(load_chart(), shipped_atlas())
        records = RecordsModel(model, QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat))
        store = records.store()
        store.clients(limit=100)  # warm the page cache, as the app's start-up check does

        def open_view() -> ClientsView:
            view = ClientsView(records)
            view.resize(1300, 800)
            view.show()
            QApplication.processEvents()
            view.repaint()
            return view

        views: list[ClientsView] = []
        s = summary(timings(lambda: views.append(open_view()), REPEAT))
        emit("clients_view_open_ms", s["median"], "ms", p95=round(s["p95"], 2), target_ms=100)
        for v in views[:-1]:
            v.close()
            v.deleteLater()
        view = views[-1]

        for name, text, query in (("name", "okafor", "okafor"), ("code", "C-04217", "C-04217")):

            def search(text: str = text) -> None:
                view.search.setText(text)
                view.run_search()
                view.table.viewport().repaint()

            def reset() -> None:
                view.search.setText("")
                view.run_search()

            runs = []
            for _ in range(REPEAT):
                reset()
                runs += timings(search, 1)
            base = summary(timings(lambda q=query: store.clients(q, limit=201), REPEAT))
            s = summary(runs)
            emit(
                f"clients_view_search_{name}_ms",
                s["median"],
                "ms",
                p95=round(s["p95"], 2),
                rows=len(view.list_model.rows),
                baseline_store_ms=round(base["median"], 2),
                ratio=round(s["median"] / max(base["median"], 1e-6), 2),
                target_ms=100,
            )

        view.search.setText("")
        view.run_search()

        def next_page() -> None:
            view.list_model.reload("")
            view.table.scrollToBottom()
            QApplication.processEvents()

        s = summary(timings(next_page, REPEAT))
        emit("clients_view_scroll_next_page_ms", s["median"], "ms", p95=round(s["p95"], 2))

        def client_page() -> None:
            view.page.show_client(big)
            view.page.repaint()

        client_page()
        assert len(view.page.visits) == BIG_CLIENT_VISITS
        s = summary(timings(client_page, REPEAT))
        emit("clients_view_client_page_100_visits_ms", s["median"], "ms", p95=round(s["p95"], 2), target_ms=300)
        records.close()
        del app


if __name__ == "__main__":
    main()
