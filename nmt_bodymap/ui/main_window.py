"""The main window (grows with the app: drawing, candidates, atlas, sessions)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QShowEvent
from PySide6.QtWidgets import QGraphicsView, QMainWindow, QMessageBox

from nmt_bodymap.chart import load_chart
from nmt_bodymap.ui.chart_scene import ChartScene


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("nmt-bodymap")
        self.scene = ChartScene(load_chart(), self)
        self.scene.set_layout("front-back")
        self.view = QGraphicsView(self.scene)
        self.view.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform)
        self.setCentralWidget(self.view)
        self.resize(1100, 900)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.view.fitInView(self.scene.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def open_session(self, path: str) -> None:
        QMessageBox.information(self, "nmt-bodymap", f"Opening sessions arrives with the session format: {path}")
