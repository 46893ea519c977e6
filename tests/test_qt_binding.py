"""The Qt binding must not leak references to None.

PySide6 6.12.0 returns None from void methods without taking a reference.
On Python 3.11 every call then lowers None's reference count by one, and
after a few thousand painter calls the interpreter aborts ("deallocating
None"). pyproject.toml keeps that release away; this test notices if a
future one brings the bug back.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath


def test_void_calls_keep_none_alive(qapp):
    path = QPainterPath()
    image = QImage(8, 8, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    before = sys.getrefcount(None)
    for _ in range(2000):
        path.lineTo(QPointF(1.0, 2.0))
        painter.save()
        painter.setPen(QColor(1, 2, 3))
        painter.restore()
    after = sys.getrefcount(None)
    painter.end()
    assert after - before > -100, f"None lost {before - after} references in 8000 Qt calls"
