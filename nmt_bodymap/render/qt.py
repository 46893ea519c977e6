"""Qt set-up shared by the app and the command line: the application, its settings, pictures and PDF pages."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSettings, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPalette,
    QPdfWriter,
    QTextDocument,
)

from nmt_bodymap.paths import APP_NAME

PRACTICE_KEY = "export/practice"


def ensure_gui_app() -> QGuiApplication:
    """The running QGuiApplication, created off-screen when there is none.

    Headless commands draw with QPainter, which needs an application for
    fonts; without a display Qt would abort, so pick the offscreen platform.
    """
    app = QGuiApplication.instance()
    if app is not None:
        return app  # type: ignore[return-value]
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY") and sys.platform.startswith("linux"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return QGuiApplication(sys.argv[:1])


def practice_name(settings: QSettings | None = None) -> str:
    """The practice name for exports' title blocks, as saved in the app's settings."""
    settings = settings if settings is not None else QSettings(APP_NAME, APP_NAME)
    return str(settings.value(PRACTICE_KEY, "") or "")


def blank_image(
    width: int,
    height: int,
    dpi: float,
    fill: str = "#ffffff",
    fmt: QImage.Format = QImage.Format.Format_ARGB32_Premultiplied,
) -> QImage:
    """A filled picture that records its resolution (PNG viewers and printers read it)."""
    image = QImage(width, height, fmt)
    image.setDotsPerMeterX(round(dpi / 0.0254))
    image.setDotsPerMeterY(round(dpi / 0.0254))
    image.fill(QColor(fill))
    return image


def a4_pdf_writer(path: Path, dpi: float, title: str, landscape: bool = False) -> QPdfWriter:
    """A PDF of A4 pages painted from the paper's edge (no margins) at ``dpi``."""
    writer = QPdfWriter(str(path))
    writer.setResolution(round(dpi))
    orientation = QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    writer.setPageLayout(
        QPageLayout(QPageSize(QPageSize.PageSizeId.A4), orientation, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
    )
    writer.setTitle(title)
    writer.setCreator("nmt-bodymap")
    return writer


def smooth_painter(image: QImage) -> QPainter:
    """A painter on ``image`` with antialiased lines and text."""
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    return painter


def draw_on_paper(painter: QPainter, doc: QTextDocument, clip: QRectF | None = None) -> None:
    """Draw a text document in dark ink whatever the app's theme.

    ``QTextDocument.drawContents`` takes its text colour from the application
    palette: in a dark theme, exported pages would get light grey text on white paper.
    """
    context = QAbstractTextDocumentLayout.PaintContext()
    palette = QPalette(context.palette)
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText):
        palette.setColor(role, QColor("#1d2126"))
    context.palette = palette
    if clip is not None:
        painter.setClipRect(clip, Qt.ClipOperation.IntersectClip)
        context.clip = clip
    doc.documentLayout().draw(painter, context)
