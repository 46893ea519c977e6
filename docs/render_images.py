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


def main() -> int:
    ensure_gui_app()
    print(chart_views(["anterior", "posterior"], "chart-anterior-posterior.png"))
    print(chart_views(["right-lateral", "left-lateral", "plantar"], "chart-lateral-plantar.png", height=700))
    return 0


if __name__ == "__main__":
    sys.exit(main())
