"""The core (chart, atlas, lookup, session) must never import Qt."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import nmt_bodymap

# Every module of the Qt-free core; packages are expanded to their modules.
CORE = [
    "nmt_bodymap",
    "nmt_bodymap.chart",
    "nmt_bodymap.chart_compile",
    "nmt_bodymap.chart_landmarks",
    "nmt_bodymap.svgpath",
    "nmt_bodymap.svgdoc",
    "nmt_bodymap.svgscan",
    "nmt_bodymap.guarded",
    "nmt_bodymap.paths",
    "nmt_bodymap.cache",
    "nmt_bodymap.resources",
    "nmt_bodymap.atomic",
    "nmt_bodymap.atlas",
    "nmt_bodymap.nerves",
    "nmt_bodymap.lookup",
    "nmt_bodymap.session",
    "nmt_bodymap.session_model",
    "nmt_bodymap.session_schema",
    "nmt_bodymap.session_file",
    "nmt_bodymap.session_read",
    "nmt_bodymap.session_write",
    "nmt_bodymap.session_faults",
    "nmt_bodymap.red_flags",
    "nmt_bodymap.report",
    "nmt_bodymap.report_record",
    "nmt_bodymap.report_progress",
    "nmt_bodymap.report_handout",
    "nmt_bodymap.document",
    "nmt_bodymap.plain_words",
    "nmt_bodymap.progress_words",
    "nmt_bodymap.visit_history",
    "nmt_bodymap.progress",
    "nmt_bodymap.compare",
    "nmt_bodymap.store",
]

BLOCKER = """
import importlib.abc, sys
class NoQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split('.')[0] in ('PySide6', 'shiboken6', 'PyQt5', 'PyQt6'):
            raise ImportError('Qt is not allowed in the core: ' + name)
        return None
sys.meta_path.insert(0, NoQt())
import importlib
for name in sys.argv[1:]:
    importlib.import_module(name)
print('ok', len(sys.argv) - 1)
"""


def core_modules() -> list[str]:
    names = []
    for mod in CORE:
        names.append(mod)
        pkg = __import__(mod, fromlist=["_"])
        if hasattr(pkg, "__path__") and mod != "nmt_bodymap":
            names += [f"{mod}.{m.name}" for m in pkgutil.iter_modules(pkg.__path__)]
    return names


def test_core_imports_without_qt():
    modules = core_modules()
    result = subprocess.run([sys.executable, "-c", BLOCKER, *modules], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"ok {len(modules)}"


def test_blocker_really_blocks_qt():
    result = subprocess.run(
        [sys.executable, "-c", BLOCKER, "nmt_bodymap.render.qt"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "Qt is not allowed" in result.stderr


def test_every_package_folder_is_listed_in_pyproject():
    import tomllib
    from pathlib import Path

    root = Path(nmt_bodymap.__file__).resolve().parent.parent
    listed = set(tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {
        "nmt_bodymap." + ".".join(p.parent.relative_to(root / "nmt_bodymap").parts)
        for p in (root / "nmt_bodymap").rglob("__init__.py")
    }
    found = {name.rstrip(".") for name in found}
    assert found | {"nmt_bodymap.assets", "nmt_bodymap.referral_maps"} <= listed | {"nmt_bodymap"}
