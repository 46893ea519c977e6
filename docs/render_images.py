"""Render the pictures the README shows, from the real code, off-screen.

    python docs/render_images.py

Writes PNGs to docs/images/. Look at every one before committing it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter

from nmt_bodymap.chart import VIEW_TITLES, load_view
from nmt_bodymap.render.chart_picture import draw_backdrop
from nmt_bodymap.render.qt import ensure_gui_app

OUT = Path(__file__).resolve().parent / "images"


def chart_views(views: list[str], name: str, height: int = 900) -> Path:
    """The given views side by side with their titles."""
    loaded = [load_view(v) for v in views]
    widths = [round(height * v.viewbox[2] / v.viewbox[3]) for v in loaded]
    title_h = 46
    image = QImage(sum(widths), height + title_h, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont("DejaVu Sans")
    font.setPixelSize(22)
    font.setBold(True)
    painter.setFont(font)
    x = 0
    for view, w in zip(loaded, widths, strict=True):
        painter.setPen(QColor("#4b5159"))
        painter.drawText(QRectF(x, 8, w, title_h), Qt.AlignmentFlag.AlignHCenter, VIEW_TITLES[view.name])
        draw_backdrop(painter, view, QRectF(x, title_h, w, height))
        x += w
    painter.end()
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    image.save(str(path))
    return path


def _window(settings_file: str, theme: str = "light"):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from nmt_bodymap.ui.main_window import MainWindow

    settings = QSettings(settings_file, QSettings.Format.IniFormat)
    settings.setValue("view/theme", theme)
    w = MainWindow(settings=settings, check_recovery=False)
    w.resize(1440, 900)
    w.show()
    QApplication.processEvents()
    return w


def _draw_example(w) -> None:  # type: ignore[no-untyped-def]
    """A right-sided tension headache with shoulder pain, as a therapist would draw it."""
    from nmt_bodymap.session import disc_mark, stroke_mark

    chart = w.model.chart
    ant, post = chart.view("anterior"), chart.view("posterior")
    t = ant.landmark("temple", "right")
    w.model.add_mark(disc_mark(chart, "m1", "anterior", t.x, t.y, 22, "throbbing", 7))
    m = post.landmark("mastoid", "right")
    n = post.landmark("neck-shoulder-angle", "right")
    w.model.add_mark(
        stroke_mark(chart, "m2", "posterior", [(m.x, m.y), (n.x - 10, (m.y + n.y) / 2), (n.x, n.y)], 26, "aching", 5)
    )
    a = post.landmark("acromion", "right")
    w.model.add_mark(
        stroke_mark(chart, "m3", "posterior", [(n.x, n.y), ((n.x + a.x) / 2, n.y + 18), (a.x, a.y)], 24, "aching", 4)
    )
    w.session_panel.code.setText("C-017")
    w.session_panel.code.editingFinished.emit()


def _draw_and_show(w, row: int, select: bool) -> None:  # type: ignore[no-untyped-def]
    """Draw the example, then hover (or select) the candidate in ``row`` so its pattern shows."""
    from PySide6.QtWidgets import QApplication

    _draw_example(w)
    QApplication.processEvents()
    rows = w.candidates.rows_shown()
    if len(rows) > row:
        (w.candidates._select if select else w.candidates._hover)(rows[row].key)
    QApplication.processEvents()


def window_images(out: Path = OUT, extra: bool = False) -> None:
    """The window at 1440 x 900: empty, with a drawing, the atlas, and the dark theme.

    With ``extra``, also the atlas in the dark theme and the chart zoomed in (for looking, not the README).
    """
    import tempfile

    from PySide6.QtWidgets import QApplication

    w = _window(tempfile.mktemp(suffix=".ini"))
    w.grab().save(str(out / "app-empty.png"))
    _draw_and_show(w, 0, select=True)
    w.grab().save(str(out / "app-drawing.png"))
    if out == OUT:
        export_images(w)
    w.tabs.setCurrentIndex(1)
    w.atlas_browser.search.setText("tennis elbow")
    QApplication.processEvents()
    w.grab().save(str(out / "app-atlas.png"))
    w.model.undo_stack.setClean()
    w.close()
    dark = _window(tempfile.mktemp(suffix=".ini"), theme="dark")
    _draw_and_show(dark, 1, select=True)
    dark.grab().save(str(out / "app-dark.png"))
    if extra:
        dark.tabs.setCurrentIndex(1)
        dark.atlas_browser.search.setText("temple")
        QApplication.processEvents()
        dark.grab().save(str(out / "extra-atlas-dark.png"))
        dark.tabs.setCurrentIndex(0)
        dark.canvas.zoom_to_part("head")
        QApplication.processEvents()
        dark.grab().save(str(out / "extra-zoom-head.png"))
    dark.model.undo_stack.setClean()
    dark.close()


def _draw_two_complaints(w) -> None:  # type: ignore[no-untyped-def]
    """A right-sided headache (temple, neck) and tingling at the base of the right thumb: two complaints."""
    from nmt_bodymap.session import disc_mark, stroke_mark

    chart = w.model.chart
    ant, post = chart.view("anterior"), chart.view("posterior")
    t = ant.landmark("temple", "right")
    w.model.add_mark(disc_mark(chart, "m1", "anterior", t.x, t.y, 22, "throbbing", 7))
    m, n = post.landmark("mastoid", "right"), post.landmark("neck-shoulder-angle", "right")
    w.model.add_mark(stroke_mark(chart, "m2", "posterior", [(m.x, m.y), (n.x, n.y)], 26, "aching", 5))
    thumb = ant.landmark("thenar", "right")
    w.model.add_mark(disc_mark(chart, "m3", "anterior", thumb.x, thumb.y, 18, "tingling", 6))


def complaint_and_nerve_images(out: Path = OUT, themes: tuple[str, ...] = ("light",)) -> list[Path]:
    """The complaint tabs (the thumb's own list, its marks outlined), each nerve layer, the atlas's Nerves page.

    With more ``themes`` (for looking, not the README), the same in each, named with the theme.
    """
    import tempfile

    from PySide6.QtWidgets import QApplication

    written: list[Path] = []

    def save(w, name: str, theme: str) -> None:  # type: ignore[no-untyped-def]
        QApplication.processEvents()
        path = out / (f"{name}.png" if theme == "light" else f"extra-{name}-{theme}.png")
        w.grab().save(str(path))
        written.append(path)

    for theme in themes:
        w = _window(tempfile.mktemp(suffix=".ini"), theme=theme)
        _draw_two_complaints(w)
        QApplication.processEvents()
        thumb = next(r for r in w.candidates.lists if r.marks == ("m3",))
        w.candidates.show_complaint(thumb.complaint)
        w.canvas.highlight_marks(thumb.marks)
        save(w, "app-complaints", theme)
        w.canvas.highlight_marks(None)
        w.candidates.show_complaint(next(r for r in w.candidates.lists if "m1" in r.marks).complaint)
        w.set_nerve_layer("dermatomes")
        save(w, "app-dermatomes", theme)
        w.set_nerve_layer("peripheral")
        save(w, "app-nerve-territories", theme)
        w.set_nerve_layer("none")
        w.tabs.setCurrentIndex(1)
        w.atlas_browser.set_section("nerves")
        w.atlas_browser.nerves.search.setText("carpal tunnel")
        save(w, "app-atlas-nerves", theme)
        w.model.undo_stack.setClean()
        w.close()
    return written


def export_images(w) -> None:  # type: ignore[no-untyped-def]
    """The first page of the session report (two candidates' zones drawn) and of the home-care handout."""
    from nmt_bodymap.render.export import render_png
    from nmt_bodymap.report import plan

    model = w.model
    top, second = model.result.candidates[0].key, model.result.candidates[1].key
    model.set_finding(top, "active")
    model.set_finding(second, "not-tender")
    dpi = 72
    for kind, name in (("report", "export-report.png"), ("handout", "export-handout.png")):
        doc = plan(model.session, model.atlas, model.result, kind, practice="Example Bodywork", show_zones=2)
        image = render_png(doc, dpi=dpi)
        page_h = round(297 * dpi / 25.4)
        image.copy(0, 0, image.width(), page_h).save(str(OUT / name))
    model.set_finding(second, None)
    model.set_finding(top, None)


def main() -> int:
    from nmt_bodymap.ui.app import make_app

    make_app()
    ensure_gui_app()
    print(chart_views(["anterior", "posterior"], "chart-anterior-posterior.png"))
    print(chart_views(["right-lateral", "left-lateral", "plantar"], "chart-lateral-plantar.png", height=700))
    window_images()
    complaint_and_nerve_images()
    print("window screenshots:", ", ".join(p.name for p in sorted(OUT.glob("app-*.png"))))
    print("export pages:", ", ".join(p.name for p in sorted(OUT.glob("export-*.png"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
