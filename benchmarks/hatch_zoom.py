"""Repainting large hatched pain marks on the chart at 100 %, 800 % and the maximum zoom.

A whole-body numbness mark (dots) on the front view and a whole-body burning
mark (crossed lines) on the back, the canvas zoomed and centred on each
view's torso; each figure is the median of viewport repaints. Baseline in the
same run: the same repaint with the marks' hatches drawn whole (every dot and
line, as before the hatch was culled to the exposed rect), so each line
carries ``ratio`` = culled / whole.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from _common import emit, summary, timings

REPEAT = 20
ZOOMS = (("100%", 1.0), ("800%", 8.0), ("max", None))
MARKS = (("numbness", "anterior"), ("burning", "posterior"), ("sharp", "anterior"))


def repaint(canvas: Any, items: list[Any], cull: bool) -> list[float]:
    """Viewport repaints (ms) with the marks' hatches culled to the exposed rect or drawn whole."""
    for item in items:
        item.cull_hatch = cull
    canvas.viewport().repaint()  # warm-up: the tiles for this zoom are built here
    return timings(canvas.viewport().repaint, REPEAT)


def main() -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from nmt_bodymap.session import PainMark
    from nmt_bodymap.ui.app import make_app
    from nmt_bodymap.ui.chart_items import MarkItem
    from nmt_bodymap.ui.main_window import MainWindow

    make_app()
    with tempfile.TemporaryDirectory() as tmp:
        w = MainWindow(settings=QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat), check_recovery=False)
        w.resize(1360, 860)
        w.show()
        QApplication.processEvents()
        canvas, chart = w.canvas, w.model.chart
        for quality, view in MARKS:
            w.model.clear_marks()
            silhouette = chart.view(view).silhouette
            w.model.add_mark(PainMark("m1", view, "region", quality, 6, silhouette))
            QApplication.processEvents()
            items = [i for i in canvas.scene().items() if isinstance(i, MarkItem)]
            torso = silhouette.centroid
            for label, of_fit in ZOOMS:
                canvas.fit()
                canvas._user_zoomed = True  # or the next resize event fits the window again
                canvas._set_zoom(canvas.MAX_ZOOM if of_fit is None else canvas.fit_zoom() * of_fit)
                canvas.centerOn(canvas._scene.to_scene(view, torso.x, torso.y))
                QApplication.processEvents()
                before, after = summary(repaint(canvas, items, False)), summary(repaint(canvas, items, True))
                common = {"quality": quality, "zoom": label, "zoom_px_per_mm": round(canvas.zoom(), 2)}
                emit(
                    "hatch_zoom_repaint_ms",
                    after["median"],
                    "ms",
                    **common,
                    p95=round(after["p95"], 3),
                    before_median=round(before["median"], 3),
                    before_p95=round(before["p95"], 3),
                    ratio=round(after["median"] / before["median"], 3),
                )
        w.model.undo_stack.setClean()
        w.close()


if __name__ == "__main__":
    main()
