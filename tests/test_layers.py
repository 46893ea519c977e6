"""The layering contracts in pyproject.toml ([tool.importlinter]) hold; CI runs this with pytest."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def lint_imports(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("lint-imports")
    command = str(exe) if exe.exists() else shutil.which("lint-imports")
    if command is None:
        pytest.fail("lint-imports is missing: install the test extra (pip install -e '.[test]')")
    # --no-cache: import-linter would otherwise write a cache folder into the repository
    return subprocess.run(
        [command, "--no-cache", *args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )


def test_import_contracts_are_kept():
    result = lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_broken_contract_fails(tmp_path):
    """The check really inspects the package: a contract the code breaks makes it fail."""
    config = tmp_path / "contracts.toml"
    config.write_text(
        '[tool.importlinter]\nroot_package = "nmt_bodymap"\n\n'
        "[[tool.importlinter.contracts]]\n"
        'name = "the widgets never use the atlas (false on purpose)"\ntype = "forbidden"\n'
        'source_modules = ["nmt_bodymap.ui"]\nforbidden_modules = ["nmt_bodymap.atlas"]\n'
    )
    result = lint_imports("--config", str(config))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "BROKEN" in result.stdout


def test_every_core_module_is_under_the_qt_free_contract():
    """A new module of the core must be listed in the contract, or it would escape the check."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"][0]
    listed = set(config["source_modules"])
    package = ROOT / "nmt_bodymap"
    above_the_core = {"ui", "render", "cli", "__main__", "__init__"}
    core = {
        f"nmt_bodymap.{p.stem if p.is_file() else p.name}"
        for p in package.iterdir()
        if (p.suffix == ".py" or (p.is_dir() and (p / "__init__.py").exists()))
        and (p.stem if p.is_file() else p.name) not in above_the_core
    }
    assert core - listed == set(), "add these core modules to the first import-linter contract"
