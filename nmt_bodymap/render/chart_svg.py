"""The chart backdrop as it is drawn: each view's SVG without its invisible data layers.

A chart SVG carries two data layers, the regions and the landmarks, as
paths in a group marked ``fill="none" stroke="none"``. Painted into a
QImage they draw nothing, but QSvgRenderer painting into a QPdfWriter or a
QSvgGenerator draws them as black hairlines, cutting the body into boxes on
paper (see the NOTES section "Exports: PDF is not PNG"). So every picture of
the chart, on any device, is painted from the SVG with those elements
removed: :func:`visible_svg` prepares the bytes once per file and
:func:`backdrop_renderer` keeps one renderer per view.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from xml.etree import ElementTree

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QPainter, QTransform
from PySide6.QtSvg import QSvgRenderer

from nmt_bodymap.chart import ChartView

SVG_NS = "http://www.w3.org/2000/svg"
#: Attributes that mark an element as data for the program, not ink for the reader.
DATA_ATTRIBUTES = ("data-region", "data-landmark")

ElementTree.register_namespace("", SVG_NS)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def strip_data_layers(data: bytes) -> bytes:
    """The SVG ``data`` without region and landmark elements (and the groups they leave empty)."""
    root = ElementTree.fromstring(data)

    def prune(parent: ElementTree.Element) -> None:
        for child in list(parent):
            if any(a in child.attrib for a in DATA_ATTRIBUTES):
                parent.remove(child)
                continue
            had_children = len(child) > 0
            prune(child)
            if had_children and len(child) == 0 and _local(child.tag) == "g":
                parent.remove(child)

    prune(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


@lru_cache(maxsize=32)
def _visible(path: str, mtime_ns: int, size: int) -> bytes:
    return strip_data_layers(Path(path).read_bytes())


def visible_svg(view: ChartView) -> bytes:
    """The bytes of ``view``'s SVG as a reader sees it (cached while the file is unchanged)."""
    st = view.svg_path.stat()
    return _visible(str(view.svg_path), st.st_mtime_ns, st.st_size)


_renderers: dict[tuple[str, bytes], QSvgRenderer] = {}


def backdrop_renderer(view: ChartView) -> QSvgRenderer:
    """A renderer of ``view`` without its data layers, shared by every picture of it.

    Callers must not change its view box: :func:`draw_backdrop_crop` maps a crop by
    transform and clip instead.
    """
    data = visible_svg(view)
    key = (str(view.svg_path), data)
    renderer = _renderers.get(key)
    if renderer is None:
        renderer = QSvgRenderer(QByteArray(data))
        if not renderer.isValid():
            raise ValueError(f"{view.svg_path}: the chart view cannot be drawn")
        for old in [k for k in _renderers if k[0] == key[0]]:
            del _renderers[old]
        _renderers[key] = renderer
    return renderer


def draw_backdrop_mapped(painter: QPainter, view: ChartView, transform: QTransform) -> None:
    """Paint the whole view with chart millimetres mapped by ``transform``."""
    x, y, w, h = view.viewbox
    backdrop_renderer(view).render(painter, transform.mapRect(QRectF(x, y, w, h)))


def draw_backdrop_crop(painter: QPainter, view: ChartView, crop: QRectF, target: QRectF) -> QTransform:
    """Paint the part ``crop`` (mm) of ``view`` centred in ``target``; return the mm→device transform."""
    scale = min(target.width() / crop.width(), target.height() / crop.height())
    w, h = crop.width() * scale, crop.height() * scale
    sub = QRectF(target.x() + (target.width() - w) / 2, target.y() + (target.height() - h) / 2, w, h)
    transform = QTransform(scale, 0, 0, scale, sub.x() - crop.x() * scale, sub.y() - crop.y() * scale)
    painter.save()
    clip = Qt.ClipOperation.IntersectClip if painter.hasClipping() else Qt.ClipOperation.ReplaceClip
    painter.setClipRect(sub, clip)
    draw_backdrop_mapped(painter, view, transform)
    painter.restore()
    return transform
