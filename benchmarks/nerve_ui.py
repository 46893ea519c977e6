"""The nerve parts of the app and the complaint tabs, in the real widgets, off-screen.

* the nerve search, per query as typed in the atlas's Nerves section (target:
  under 20 ms); baseline: the muscle search on the same query, same run;
* the nerve layer: building it the first time it is switched on, and the
  chart's repaint after a zoom step with each layer on (target: under
  40 ms); baseline: the same repaint with no layer;
* painting a stroke with two other complaints drawn: the stroke, the
  ranking and the candidate panel's tabs and list updated, per mouse move;
  baseline: the same with the whole drawing's list only, same run.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from _common import emit, summary, timings

QUERIES = ("carpal tunnel", "L5", "C6", "fibular head", "numb little finger", "burning outer thigh")
REPEAT = 12


def main() -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from nmt_bodymap.atlas.search import AtlasSearch
    from nmt_bodymap.nerves.search import NerveSearch
    from nmt_bodymap.session import disc_mark, stroke_mark
    from nmt_bodymap.ui.app import make_app
    from nmt_bodymap.ui.main_window import MainWindow

    make_app()
    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat)
        w = MainWindow(settings=settings, check_recovery=False)
        w.resize(1440, 900)
        w.show()
        QApplication.processEvents()
        model = w.model

        nerves = NerveSearch(model.nerve_atlas())
        muscles = AtlasSearch(model.atlas, model.chart)
        for query in QUERIES:
            ms = summary(timings(lambda q=query: nerves.search(q), REPEAT))
            base = summary(timings(lambda q=query: muscles.search(q), REPEAT))
            emit(
                "nerve_search_ms",
                ms["median"],
                "ms",
                query=query,
                p95=ms["p95"],
                muscle_search_ratio=ms["median"] / base["median"],
            )

        def zoom_repaint() -> list[float]:
            steps = iter(range(10**6))
            return timings(
                lambda: (w.canvas.zoom_by(1.1 if next(steps) % 2 else 1 / 1.1), w.canvas.viewport().repaint()), REPEAT
            )

        w.set_nerve_layer("none")
        bare = summary(zoom_repaint())
        emit("chart_zoom_repaint_ms", bare["median"], "ms", layer="none", p95=bare["p95"])
        for kind in ("dermatomes", "peripheral"):
            built = timings(lambda k=kind: (w.set_nerve_layer(k), QApplication.processEvents()), 1)[0]
            emit("nerve_layer_first_build_ms", built, "ms", layer=kind)
            ms = summary(zoom_repaint())
            emit(
                "chart_zoom_repaint_ms",
                ms["median"],
                "ms",
                layer=kind,
                p95=ms["p95"],
                no_layer_ratio=ms["median"] / bare["median"],
            )
        w.set_nerve_layer("none")

        chart = model.chart
        ant, post = chart.view("anterior"), chart.view("posterior")
        t = ant.landmark("temple", "right")
        model.add_mark(disc_mark(chart, "m1", "anterior", t.x, t.y, 22, "throbbing", 7))
        th = ant.landmark("thenar", "right")
        model.add_mark(disc_mark(chart, "m2", "anterior", th.x, th.y, 18, "tingling", 6))
        low_back = post.landmark("low-back", "right")
        points = [(low_back.x, low_back.y)]

        def move() -> None:
            points.append((points[-1][0] + 1.5, points[-1][1] + (len(points) % 3)))
            mark = stroke_mark(chart, model.next_mark_id(), "posterior", points, 20, "aching", 5)
            model.preview = mark
            model.rerank(immediately=True)  # ranks, then the panel sets its tabs and shows its list

        ms = summary(timings(move, 60))
        complaints = len(model.complaints())
        whole_only = type(model).result_lists
        model.result_lists = lambda: whole_only(model)[:1]  # type: ignore[method-assign]
        points[1:] = []
        base = summary(timings(move, 60))
        del model.result_lists
        emit(
            "painting_with_complaint_tabs_ms",
            ms["median"],
            "ms",
            p95=ms["p95"],
            complaints=complaints,
            whole_drawing_only_ratio=ms["median"] / base["median"],
        )
        model.preview = None
        model.undo_stack.setClean()
        w.close()


if __name__ == "__main__":
    main()
