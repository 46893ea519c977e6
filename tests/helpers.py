"""Shared test helpers: small synthetic atlases written to a temporary folder."""

from __future__ import annotations

from pathlib import Path

from nmt_bodymap.atlas.authoring import Marker, Zone, muscle_svg

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE_TOML = (FIXTURES / "atlas_good" / "example.toml").read_text()


def rect(x0: float, y0: float, x1: float, y1: float) -> str:
    """Path data of an exact rectangle (no smoothing)."""
    return f"M{x0},{y0} L{x1},{y0} L{x1},{y1} L{x0},{y1} Z"


def make_muscle(
    folder: Path,
    items: list,
    muscle_id: str = "example",
    midline: bool = False,
    near: str = "superior-angle-of-scapula",
    name: str = "Example muscle",
    entrapment_regions: str = '["neck-side"]',
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    toml = EXAMPLE_TOML.replace('id = "example"', f'id = "{muscle_id}"')
    toml = toml.replace('near = "superior-angle-of-scapula"', f'near = "{near}"')
    toml = toml.replace('name = "Example muscle"', f'name = "{name}"')
    toml = toml.replace('regions = ["neck-side"]', f"regions = {entrapment_regions}")
    if midline:
        toml = toml.replace("symptoms = [", "midline = true\nsymptoms = [", 1)
    (folder / f"{muscle_id}.toml").write_text(toml)
    (folder / f"{muscle_id}.svg").write_text(muscle_svg(muscle_id, items))
    return folder


__all__ = ["FIXTURES", "Marker", "Zone", "make_muscle", "rect"]
