"""A layer of items over the chart that keeps itself in the canvas's scene, whatever the layout.

The ghost of the last visit's drawing and the nerve layer each add their own
items to the chart scene. When the canvas changes layout it clears and
rebuilds the scene, taking the items with it; a :class:`SceneLayer` then
forgets them and adds them again. A subclass says which items to show
(:meth:`SceneLayer.make_items`) and calls :meth:`SceneLayer.sync` when that
changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Generic, TypeVar

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QGraphicsItem

from nmt_bodymap.ui.chart_canvas import ChartCanvas
from nmt_bodymap.ui.chart_scene import ChartScene

ItemT = TypeVar("ItemT", bound=QGraphicsItem)


class SceneLayer(QObject, Generic[ItemT]):
    """Keeps the items :meth:`make_items` gives in the canvas's scene (:attr:`items`)."""

    def __init__(self, canvas: ChartCanvas) -> None:
        super().__init__(canvas)
        self.canvas = canvas
        self.items: list[ItemT] = []
        canvas.layoutChanged.connect(lambda _name: self._rebuilt())

    def make_items(self, scene: ChartScene) -> Iterable[ItemT]:
        """The items to show in ``scene`` now (not yet added to it)."""
        raise NotImplementedError

    def _scene(self) -> ChartScene:
        scene = self.canvas.scene()
        assert isinstance(scene, ChartScene)
        return scene

    def _rebuilt(self) -> None:
        self.items = []  # the scene was cleared with its items
        self.sync()

    def sync(self) -> None:
        """Replace the layer's items in the scene by those :meth:`make_items` gives now."""
        scene = self._scene()
        for item in self.items:
            if item.scene() is scene:
                scene.removeItem(item)
        self.items = []
        for item in self.make_items(scene):
            scene.addItem(item)
            self.items.append(item)


__all__ = ["SceneLayer"]
