"""Privacy: no network anywhere in the app, and client files readable by the owner only."""

from __future__ import annotations

import ast
import socket
import stat
from pathlib import Path

import pytest

import nmt_bodymap
from nmt_bodymap.cli import main

PACKAGE = Path(nmt_bodymap.__file__).parent
SESSION = Path(__file__).parent / "fixtures" / "sessions" / "v1-headache.nmt"
NETWORK_MODULES = {
    "socket",
    "ssl",
    "http",
    "urllib",
    "ftplib",
    "smtplib",
    "requests",
    "httpx",
    "aiohttp",
    "websocket",
    "PySide6.QtNetwork",
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
}


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def is_network(name: str) -> bool:
    return any(name == m or name.startswith(m + ".") for m in NETWORK_MODULES)


def test_no_module_of_the_app_imports_networking():
    sources = sorted(PACKAGE.rglob("*.py"))
    assert len(sources) > 30  # the whole package, not an empty glob
    offenders = {str(p.relative_to(PACKAGE)): sorted(n for n in imported_modules(p) if is_network(n)) for p in sources}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_scan_recognises_a_network_import(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("import urllib.request\nfrom PySide6 import QtNetwork\nfrom PySide6.QtGui import QImage\n")
    found = sorted(n for n in imported_modules(probe) if is_network(n))
    assert found == ["PySide6.QtNetwork", "urllib.request"]


class _NoSockets(socket.socket):
    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the app opened a network socket")


def test_lookup_and_export_work_with_sockets_forbidden(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(socket, "socket", _NoSockets)
    monkeypatch.setattr(socket, "create_connection", _NoSockets)
    saved = tmp_path / "drawn.nmt"
    assert main(["lookup", "--at", "temple:right", "--json", "--save-session", str(saved)]) == 0
    assert main(["export", str(SESSION), "-o", str(tmp_path / "report.pdf"), "--report", "--dpi", "50"]) == 0
    assert "candidates" in capsys.readouterr().out


@pytest.mark.parametrize("name, kind", [("chart.png", []), ("report.pdf", ["--report"]), ("chart.svg", [])])
def test_exports_are_owner_only(tmp_path, name, kind):
    out = tmp_path / name
    assert main(["export", str(SESSION), "-o", str(out), "--dpi", "50", *kind]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_sessions_saved_from_the_command_line_are_owner_only(tmp_path, capsys):
    saved = tmp_path / "drawn.nmt"
    assert main(["lookup", "--at", "temple:right", "--save-session", str(saved)]) == 0
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
