"""Compare two visits' pain drawings, view by view, without Qt.

For each view shown in either drawing, the painted surface splits into:

* **resolved**: painted at the earlier visit, not at the later one;
* **persisting**: painted at both;
* **new**: painted at the later visit only.

Intensities are ignored here (the progress figures weigh them); the pieces
are exact polygons in the view's chart millimetres, ready to be drawn each
in its own colour and hatch.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from nmt_bodymap.chart import VIEWS
from nmt_bodymap.progress import painted_by_view
from nmt_bodymap.session import PainMark

#: The three kinds of change, in drawing and legend order.
CHANGES: tuple[str, ...] = ("resolved", "persisting", "new")
CHANGE_TITLES = {
    "resolved": "Resolved (painted then, not now)",
    "persisting": "Persisting",
    "new": "New",
}
_MIN_AREA_MM2 = 0.5  # slivers left by coordinates rounded to 0.01 mm in the files


@dataclass(frozen=True)
class ViewComparison:
    view: str
    resolved: BaseGeometry
    persisting: BaseGeometry
    new: BaseGeometry

    def geometry(self, change: str) -> BaseGeometry:
        if change not in CHANGES:
            raise ValueError(f"unknown change '{change}' (changes: {', '.join(CHANGES)})")
        geometry: BaseGeometry = getattr(self, change)
        return geometry

    def areas(self) -> dict[str, float]:
        """Area of each change in mm²."""
        return {c: round(float(self.geometry(c).area), 1) for c in CHANGES}


def _clean(geom: BaseGeometry) -> BaseGeometry:
    """Polygonal parts only, without slivers."""
    parts = [g for g in shapely.get_parts(geom) if g.geom_type == "Polygon" and g.area >= _MIN_AREA_MM2]
    if not parts:
        return Polygon()
    return parts[0] if len(parts) == 1 else shapely.multipolygons(parts)


def compare(before: Iterable[PainMark], after: Iterable[PainMark]) -> dict[str, ViewComparison]:
    """Resolved, persisting and new pain per view (views in chart order, only those with pain)."""
    then, now = painted_by_view(before), painted_by_view(after)
    out: dict[str, ViewComparison] = {}
    for view in VIEWS:
        a, b = then.get(view), now.get(view)
        if a is None and b is None:
            continue
        a = a if a is not None else Polygon()
        b = b if b is not None else Polygon()
        out[view] = ViewComparison(
            view,
            resolved=_clean(shapely.difference(a, b)),
            persisting=_clean(shapely.intersection(a, b)),
            new=_clean(shapely.difference(b, a)),
        )
    return out


def total_areas(comparison: dict[str, ViewComparison]) -> dict[str, float]:
    """Each change's area summed over the views, in mm² (as drawn; shared surfaces not merged)."""
    totals = dict.fromkeys(CHANGES, 0.0)
    for view_comparison in comparison.values():
        for change, area in view_comparison.areas().items():
            totals[change] += area
    return {c: round(a, 1) for c, a in totals.items()}
