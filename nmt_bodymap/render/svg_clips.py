"""Make the clipping in a QSvgGenerator file visible to every SVG reader.

QSvgGenerator (SVG 1.1 mode) writes a painter's clip as ``<clipPath>``.
Browsers and Inkscape honour it, but Qt's own QSvgRenderer ignores
``clipPath`` while it does support ``<mask>`` (Qt >= 6.7). A crop of the
chart in a handout, or a paragraph split over two pages, then spills over
its box. :func:`clips_to_masks` turns each clip path into the equivalent
mask (white inside the clip shape), which every one of them draws alike.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree

SVG_NS = "http://www.w3.org/2000/svg"
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")

ElementTree.register_namespace("", SVG_NS)
ElementTree.register_namespace("xlink", "http://www.w3.org/1999/xlink")


def _q(tag: str) -> str:
    return f"{{{SVG_NS}}}{tag}"


def _bounds(shapes: list[ElementTree.Element]) -> tuple[float, float, float, float] | None:
    """The box around the coordinates of clip shapes (QSvgGenerator writes them as absolute paths)."""
    xs: list[float] = []
    ys: list[float] = []
    for shape in shapes:
        numbers = [float(n) for n in _NUMBER.findall(shape.get("d", ""))]
        xs += numbers[0::2]
        ys += numbers[1::2]
    if not xs or not ys:
        return None
    return min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)


_DRAWN = {"path", "text", "rect", "circle", "ellipse", "line", "polyline", "polygon", "image", "use"}


def _drop_empty_masked_groups(root: ElementTree.Element) -> None:
    """QSvgGenerator writes a group for every state change, often empty; masked empty groups make
    QSvgRenderer complain ("mask size is too big") and draw nothing anyway."""
    for parent in list(root.iter()):
        for child in list(parent):
            if child.get("mask") is None or child.tag != _q("g"):
                continue
            if not any(e.tag.rsplit("}", 1)[-1] in _DRAWN for e in child.iter()):
                parent.remove(child)


def clips_to_masks(data: bytes) -> bytes:
    """``data`` (an SVG from QSvgGenerator) with every ``clipPath`` turned into a ``mask``."""
    if b"<clipPath" not in data:
        return data
    root = ElementTree.fromstring(data)
    masks: set[str] = set()
    for clip in root.iter(_q("clipPath")):
        shapes = list(clip)
        box = _bounds(shapes)
        clip_id = clip.get("id", "")
        if box is None or not clip_id:
            continue
        x, y, w, h = box
        clip.tag = _q("mask")
        clip.attrib.update(
            {"maskUnits": "userSpaceOnUse", "x": f"{x:g}", "y": f"{y:g}", "width": f"{w:g}", "height": f"{h:g}"}
        )
        for shape in shapes:
            shape.set("fill", "#ffffff")
            shape.set("stroke", "none")
        masks.add(clip_id)
    for element in root.iter():
        ref = element.get("clip-path", "")
        if ref.startswith("url(#") and ref[5:-1] in masks:
            del element.attrib["clip-path"]
            element.set("mask", ref)
    _drop_empty_masked_groups(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
