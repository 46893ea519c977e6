"""Autosave and recovery with an OS lock; private settings; saving from the app (pytest-qt).

A crash is a real kill -9 of a child process that autosaved; recovery must
be offered whatever process now has its PID, and also when the app is
started with a file.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from nmt_bodymap import paths
from nmt_bodymap.session import Session, disc_mark, save
from nmt_bodymap.ui import files as ui_files
from nmt_bodymap.ui.app import make_app, open_main_window
from nmt_bodymap.ui.main_window import MainWindow
from tests.ui_helpers import never_block_on_dialogs

pytestmark = pytest.mark.skipif(os.name != "posix", reason="flock and file modes are POSIX")

FIXTURES = Path(__file__).parent / "fixtures" / "sessions"

__all__ = ["never_block_on_dialogs"]  # a fixture, used by name


@pytest.fixture
def make_window(qtbot, tmp_path):
    make_app()

    def make(**kwargs: object) -> MainWindow:
        kwargs.setdefault("settings", QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
        kwargs.setdefault("autosave_dir", tmp_path / "autosave")
        kwargs.setdefault("check_recovery", False)
        w = MainWindow(**kwargs)  # type: ignore[arg-type]
        qtbot.addWidget(w)
        w.show()
        qtbot.waitExposed(w)
        return w

    return make


CHILD = textwrap.dedent(
    """
    import os, sys, time
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from pathlib import Path
    from nmt_bodymap.ui.app import make_app
    app = make_app()
    from nmt_bodymap.atlas import shipped_atlas
    from nmt_bodymap.chart import load_chart
    from nmt_bodymap.session import disc_mark
    from nmt_bodymap.ui.files import Autosaver
    from nmt_bodymap.ui.model import SessionModel
    model = SessionModel(load_chart(), shipped_atlas())
    saver = Autosaver(model, Path(sys.argv[1]))
    model.add_mark(disc_mark(model.chart, "m1", "posterior", 0, 180, 25, "sharp", 8))
    saver.save_now()
    print("autosaved", flush=True)
    time.sleep(120)
    """
)


def test_recovery_is_offered_after_kill_9_even_when_the_pid_is_alive_again(tmp_path):
    folder = tmp_path / "autosave"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(folder)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert child.stdout is not None and child.stdout.readline() == b"autosaved\n", child.stderr
        assert ui_files.Autosaver.pending(folder) == []  # its window is still open: not offered
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait()
    (meta_file,) = folder.glob("*.json")
    meta = json.loads(meta_file.read_text())
    meta["pid"] = os.getpid()  # the old PID now belongs to a live process (here: this one)
    meta_file.write_text(json.dumps(meta))
    (item,) = ui_files.Autosaver.pending(folder)
    assert item.load().marks[0].quality == "sharp"
    assert ui_files.Autosaver.pending(folder) == []  # held while it is being offered
    item.release()
    (folder / "died-before-saving.lock").write_text("")
    (again,) = ui_files.Autosaver.pending(folder)
    assert not (folder / "died-before-saving.lock").exists()
    again.discard()
    assert list(folder.iterdir()) == []
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_autosave_folder_and_files_are_owner_only_whatever_the_umask(qtbot, make_window, tmp_path):
    old = os.umask(0)
    try:
        w = make_window()
        w.model.add_mark(disc_mark(w.model.chart, "m1", "anterior", -68, 92, 20))
        w.autosaver.save_now()
    finally:
        os.umask(old)
    assert stat.S_IMODE(w.autosaver.folder.stat().st_mode) == 0o700
    for f in (w.autosaver.session_file, w.autosaver.meta_file, w.autosaver.lock_file):
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f


def test_restoring_takes_the_autosave_over(qtbot, make_window, monkeypatch):
    w = make_window()
    w.model.add_mark(disc_mark(w.model.chart, "m1", "posterior", 0, 180, 25))
    qtbot.waitUntil(lambda: w.autosaver.session_file.exists(), timeout=5000)
    w.autosaver.timer.stop()
    w.autosaver._lock.release()  # the process "dies": its lock goes, its files stay
    w.autosaver._lock = None
    again = make_window()
    monkeypatch.setattr(again, "ask_restore", lambda item: "restore")
    again.offer_recovery()
    assert len(again.model.session.marks) == 1 and again.model.dirty
    assert not w.autosaver.session_file.exists()  # the old autosave was taken over
    assert again.autosaver.session_file.exists()


def test_recovery_is_offered_when_the_app_is_started_with_a_file(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "config"))
    try:
        make_app()
        folder = ui_files.autosave_dir()
        paths.private_dir(folder)
        lost = Session(client_code="C-9")
        lost.marks.append(disc_mark(_chart(), "m1", "posterior", 0, 180, 20))
        save(lost, folder / "dead.nmt")
        (folder / "dead.json").write_text(json.dumps({"original_path": "", "saved_at": 1.0, "pid": os.getpid()}))
        (folder / "dead.lock").write_text("")  # left by the killed run; nobody holds it
        asked: list[ui_files.Recovery] = []

        def answer(self: MainWindow, item: ui_files.Recovery) -> str:
            asked.append(item)
            return "restore"

        monkeypatch.setattr(MainWindow, "ask_restore", answer)
        window = open_main_window(str(FIXTURES / "v2-low-back.nmt"))
        qtbot.addWidget(window)
        qtbot.waitUntil(lambda: bool(asked), timeout=5000)
        assert window.model.session.client_code == "C-9" and window.model.dirty
        assert not (folder / "dead.nmt").exists()
        window.autosaver.discard()
    finally:
        QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, os.environ["XDG_CONFIG_HOME"])


def _chart():  # the chart, loaded once per process
    from nmt_bodymap.chart import load_chart

    return load_chart()


def test_settings_folder_and_file_are_owner_only_under_umask_000(qtbot, make_window, tmp_path):
    conf = tmp_path / "config" / "nmt-bodymap" / "nmt-bodymap.conf"
    old = os.umask(0)
    try:
        w = make_window(settings=QSettings(str(conf), QSettings.Format.IniFormat))
        assert stat.S_IMODE(conf.parent.stat().st_mode) == 0o700
        assert stat.S_IMODE(conf.stat().st_mode) == 0o600
        w._add_recent("/home/therapist/clients/Jo Doe 2026-11-24.nmt")
        w.settings.sync()
        assert stat.S_IMODE(conf.stat().st_mode) == 0o600  # Qt kept the mode of the file it rewrote
        assert w.close()
    finally:
        os.umask(old)
    assert "Jo Doe" in conf.read_text()
    assert stat.S_IMODE(conf.stat().st_mode) == 0o600
    assert stat.S_IMODE(conf.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "config").stat().st_mode) == 0o700


def test_the_default_settings_file_is_made_private(qtbot, make_window, tmp_path):
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "xdg"))
    old = os.umask(0o022)
    try:
        w = make_window(settings=None)
        conf = Path(w.settings.fileName())
        assert conf == tmp_path / "xdg" / paths.APP_NAME / f"{paths.APP_NAME}.conf"
        assert w.close()
    finally:
        os.umask(old)
        QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, os.environ["XDG_CONFIG_HOME"])
    assert stat.S_IMODE(conf.stat().st_mode) == 0o600
    assert stat.S_IMODE(conf.parent.stat().st_mode) == 0o700


def test_forget_recent_files(qtbot, make_window, tmp_path):
    w = make_window()
    for name in ("Jo Doe.nmt", "Sam Sample.nmt"):
        w._add_recent(str(tmp_path / name))
    assert w.recent_menu.isEnabled() and len(w.recent_menu.actions()) == 2
    assert w.act_forget_recent.isEnabled()
    file_menu = w.menuBar().actions()[0].menu()
    assert w.act_forget_recent in file_menu.actions()
    w.act_forget_recent.trigger()
    assert w.recent_menu.actions() == [] and not w.recent_menu.isEnabled()
    assert not w.act_forget_recent.isEnabled()
    text = (tmp_path / "settings.ini").read_text()
    assert "Jo Doe" not in text and "Sam Sample" not in text
    assert make_window()._recent() == []


def test_saving_from_the_app_is_atomic_private_and_leaves_no_temporary(qtbot, make_window, tmp_path, monkeypatch):
    w = make_window()
    w.model.add_mark(disc_mark(w.model.chart, "m1", "anterior", -68, 92, 20))
    path = tmp_path / "kept.nmt"
    assert w._write(str(path))
    before = path.read_bytes()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text, *a: shown.append(text))
    monkeypatch.setattr("nmt_bodymap.atomic.os.replace", _disk_full)
    w.model.add_mark(disc_mark(w.model.chart, "m2", "anterior", 68, 92, 20))
    assert not w._write(str(path))
    assert shown and "No space left" in shown[0]
    assert path.read_bytes() == before
    assert {p.name for p in tmp_path.iterdir()} - {"autosave"} == {"kept.nmt", "settings.ini"}


def _disk_full(*_a: object) -> None:
    raise OSError(28, "No space left on device")


def test_a_session_past_the_limits_is_refused_with_a_message_not_written(qtbot, make_window, tmp_path, monkeypatch):
    w = make_window()
    w.model.session.notes = "x" * 200_000
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text, *a: shown.append(text))
    assert not w._write(str(tmp_path / "too-long.nmt"))
    assert shown and "notes: too long" in shown[0]
    assert not (tmp_path / "too-long.nmt").exists()
