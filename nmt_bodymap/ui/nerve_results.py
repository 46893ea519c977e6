"""The nerves that fit the numbness, tingling or burning of one ranked list, with the differential in words.

The lookup scores paresthesia against every peripheral nerve territory and
every dermatome (``result.nerves``, ``result.dermatomes`` and the sentence
``result.differential`` of a :class:`~nmt_bodymap.lookup.LookupResult` or
a complaint's result). This widget reads them *defensively*: whichever of
them the result has is shown, and the whole section hides when it has
none, so it works before and after the lookup offers them. Each nerve is a
row: hovering it asks for its territory and entrapment sites on the chart
(:attr:`NerveResults.nerveHovered`), a double-click for its atlas page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QEnterEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from nmt_bodymap.nerves import Nerve, NerveAtlas, SidedNerve

TOP = 3  # nerves and dermatomes listed per kind
SIDES = ("right", "left")


def _field(item: object, *names: str) -> object:
    for name in names:
        value = getattr(item, name, None)
        if value is None and isinstance(item, dict):
            value = item.get(name)
        if value is not None:
            return value() if callable(value) and not isinstance(value, type) else value
    return None


def nerve_id(item: object) -> str:
    """The atlas id of a nerve result (``median``), whatever shape the result has."""
    found = _field(item, "id", "nerve_id", "nerve")
    if isinstance(found, SidedNerve):
        return found.nerve.id
    if isinstance(found, Nerve):
        return found.id
    return str(found or "").split(":")[0]


def nerve_side(item: object) -> str:
    side = _field(item, "side")
    if side in SIDES:
        return str(side)
    key = str(_field(item, "key") or "")
    return key.rsplit(":", 1)[1] if key.rsplit(":", 1)[-1] in SIDES else ""


def nerve_kind(item: object) -> str:
    kind = _field(item, "kind")
    return str(kind) if kind in ("peripheral", "dermatome") else ""


def sided_nerves(item: object, atlas: NerveAtlas) -> list[SidedNerve]:
    """The sided nerves of the atlas a nerve result names (both sides when it names none)."""
    for name in ("sided", "nerve"):
        found = getattr(item, name, None)
        if isinstance(found, SidedNerve):
            return [found]
    by_key = atlas.by_key()
    nid, side = nerve_id(item), nerve_side(item)
    return [by_key[f"{nid}:{s}"] for s in ((side,) if side else SIDES) if f"{nid}:{s}" in by_key]


def _share(item: object) -> float | None:
    value = _field(item, "explains_fraction", "explains", "share")
    return float(value) if isinstance(value, int | float) else None


def _sites(item: object) -> list[str]:
    sites = _field(item, "entrapment_sites", "sites") or ()
    names = []
    for site in sites if isinstance(sites, Iterable) else ():
        name = _field(site, "name")
        names.append(str(name).split(" (")[0] if name else str(site))
    return names


def _items(value: object) -> list[object]:
    return list(value) if isinstance(value, Iterable) and not isinstance(value, str | bytes) else []


def differential_text(result: object) -> str:
    value = _field(result, "differential")
    if isinstance(value, str):
        return value
    if isinstance(value, Sequence):
        return " ".join(str(v) for v in value)
    return ""


class NerveRow(QFrame):
    """One nerve or dermatome: its name and side, how much of the paresthesia it explains, its sites."""

    hovered = Signal(object)
    unhovered = Signal(object)
    atlasRequested = Signal(str)

    def __init__(self, item: object, atlas: NerveAtlas | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.nerve_id = nerve_id(item)
        self.setAttribute(Qt.WidgetAttribute.WA_Hover)
        self.setFrameShape(QFrame.Shape.NoFrame)
        nerve = atlas.nerves.get(self.nerve_id) if atlas is not None else None
        name = str(_field(item, "name") or (nerve.name if nerve else self.nerve_id))
        side = nerve_side(item)
        share = _share(item)
        sites = _sites(item)
        text = f"<b>{name}</b>" + (f" ({side})" if side else "")
        if share is not None:
            text += f" · explains {share * 100:.0f} %"
        if sites:
            text += f"<br><span>{', '.join(sites)}</span>"
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(self.label)
        self.setToolTip("Hover to see its skin territory and entrapment sites on the chart; double-click for its page")
        self.setAccessibleName(f"{name} {side}".strip())

    def enterEvent(self, event: QEnterEvent) -> None:
        self.hovered.emit(self.item)
        super().enterEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self.unhovered.emit(self.item)
        super().leaveEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if self.nerve_id:
            self.atlasRequested.emit(self.nerve_id)


class NerveResults(QWidget):
    """The nerve section of one ranked list (hidden when the result carries no nerve scores)."""

    nerveHovered = Signal(object)  # a nerve result, or None when the pointer leaves it
    atlasRequested = Signal(str)  # nerve id

    def __init__(self, atlas: Callable[[], NerveAtlas] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.atlas = atlas  # asked only when there are nerves to show
        self.rows: list[NerveRow] = []
        self.available = False
        self._hovered: object = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.differential = QLabel()
        self.differential.setWordWrap(True)
        self.differential.setMargin(6)
        layout.addWidget(self.differential)
        self.body = QVBoxLayout()
        self.body.setSpacing(0)
        layout.addLayout(self.body)
        self.hide()

    def show_result(self, result: object) -> int:
        """Show the nerves of ``result``; the number of nerve rows (0 hides the section)."""
        for row in self.rows:
            row.deleteLater()
        self.rows = []
        while self.body.count():
            taken = self.body.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.deleteLater()
        self.available = any(hasattr(result, name) for name in ("nerves", "dermatomes", "differential"))
        nerves = _items(_field(result, "nerves")) if self.available else []
        dermatomes = _items(_field(result, "dermatomes")) if self.available else []
        if not dermatomes:
            dermatomes = [n for n in nerves if nerve_kind(n) == "dermatome"]
        peripheral = [n for n in nerves if nerve_kind(n) != "dermatome"]
        sentence = differential_text(result) if self.available else ""
        self.differential.setText(sentence)
        self.differential.setVisible(bool(sentence))
        for title, items in (("Peripheral nerves", peripheral), ("Dermatomes (nerve roots)", dermatomes)):
            if not items:
                continue
            heading = QLabel(f"<b>{title}</b>")
            heading.setContentsMargins(6, 4, 6, 0)
            self.body.addWidget(heading)
            for item in items[:TOP]:
                row = NerveRow(item, self.atlas() if self.atlas is not None else None)
                row.hovered.connect(self._hover)
                row.unhovered.connect(self._unhover)
                row.atlasRequested.connect(self.atlasRequested)
                self.body.addWidget(row)
                self.rows.append(row)
        self.setVisible(bool(self.rows or sentence))
        if self._hovered is not None:
            self._hovered = None
            self.nerveHovered.emit(None)
        return len(self.rows)

    def _hover(self, item: object) -> None:
        self._hovered = item
        self.nerveHovered.emit(item)

    def _unhover(self, item: object) -> None:
        if self._hovered is item:
            self._hovered = None
            self.nerveHovered.emit(None)


__all__ = ["NerveResults", "differential_text", "nerve_id", "nerve_side", "sided_nerves"]
