"""The wheel's package list (pyproject.toml) must name every package folder and ship every data file."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def folder_of(package: str) -> Path:
    """Where a package's files are, following package-dir."""
    mapping: dict[str, str] = CONFIG["package-dir"]
    for prefix in sorted(mapping, key=len, reverse=True):
        if package == prefix or package.startswith(prefix + "."):
            rest = package[len(prefix) :].lstrip(".").replace(".", "/")
            return ROOT / mapping[prefix] / rest
    return ROOT / package.replace(".", "/")


def test_every_python_package_folder_is_listed():
    code = {p.parent for p in (ROOT / "nmt_bodymap").rglob("*.py")}
    listed = {folder_of(p).resolve() for p in CONFIG["packages"]}
    assert {str(c.relative_to(ROOT)) for c in code if c.resolve() not in listed} == set()


def test_every_listed_package_exists():
    assert [p for p in CONFIG["packages"] if not folder_of(p).is_dir()] == []


def test_package_data_covers_the_chart_and_the_atlas():
    data: dict[str, list[str]] = CONFIG["package-data"]
    shipped = {
        f.resolve() for package, globs in data.items() for pattern in globs for f in folder_of(package).glob(pattern)
    }
    wanted = [*(ROOT / "assets" / "svg").glob("*.svg"), *(ROOT / "referral_maps").glob("*/*.toml")]
    wanted += [*(ROOT / "referral_maps").glob("*/*.svg"), ROOT / "referral_maps" / "README.md"]
    nerves = [
        *(ROOT / "referral_maps" / "nerves").glob("**/*.toml"),
        *(ROOT / "referral_maps" / "nerves").glob("**/*.svg"),
    ]
    assert len(nerves) >= 26  # the nerve atlas: at least the upper-limb examples
    wanted += nerves
    assert len(wanted) > 230
    assert [str(f.relative_to(ROOT)) for f in wanted if f.resolve() not in shipped] == []
