"""The records in the app, continued: comparing visits, files in and out, backups, erase, a bad database.

Real widgets (pytest-qt) on real SQLite databases in temporary folders;
every dialog is driven from code (no modal loop).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QColor, QImage
from records_helpers import (
    COURSE,
    course,
    db_path,
    never_block_on_dialogs,
    new_window,
    window,
)

from nmt_bodymap.session import Session, save
from nmt_bodymap.store import backup, open_store, resolve
from nmt_bodymap.store.sealed import is_sealed
from nmt_bodymap.ui.backup_dialog import BackupDialog
from nmt_bodymap.ui.compare_view import CHANGE_STYLES
from nmt_bodymap.ui.database_dialog import DatabaseDialog
from nmt_bodymap.ui.records_startup import RecordsStartup

FIXTURES = Path(__file__).parent / "fixtures" / "sessions"

__all__ = ["course", "db_path", "never_block_on_dialogs", "window"]  # fixtures, used by name


def client_codes(db_path: Path) -> list[str]:
    with open_store(db_path, user="t") as store:
        return [c.code for c in store.clients()]


def colour_pixels(image: QImage, colour: str, below: int, tolerance: int = 40) -> int:
    """Pixels near ``colour`` (any shade of it) above the row ``below``."""
    target = QColor(colour)
    count = 0
    for y in range(0, min(below, image.height()), 2):
        for x in range(0, image.width(), 2):
            c = image.pixelColor(x, y)
            if (
                abs(c.hue() - target.hue()) < 12
                and c.saturation() > tolerance
                and abs(c.value() - target.value()) < 120
            ):
                count += 1
    return count


# -- comparing two visits -----------------------------------------------------------------


def test_the_comparison_shows_resolved_persisting_and_new_pain(qtbot, window, course):
    client_id, ids = course
    dialog = window.records.controller.compare(client_id, (ids[0], ids[-1]))
    assert dialog is not None
    qtbot.addWidget(dialog)
    picture = dialog.picture
    assert picture.labels == (COURSE[0][0], COURSE[-1][0])
    assert picture.areas["resolved"] > 0 and picture.areas["persisting"] > 0 and picture.areas["new"] == 0
    assert [p[0] for p in picture.panels()] == ["posterior", "posterior"]  # then | now
    assert picture.panels()[0][2] == ("resolved", "persisting") and picture.panels()[1][2] == ("persisting", "new")
    assert "Resolved" in picture.describe() and "overlap 0." in picture.describe()
    picture.resize(1000, 700)
    legend_top = picture.height() - 70
    side = picture.grab().toImage()
    half = side.copy(side.width() // 2, 0, side.width() // 2, legend_top)
    assert colour_pixels(side, CHANGE_STYLES["resolved"].color, legend_top) > 50
    assert colour_pixels(half, CHANGE_STYLES["resolved"].color, legend_top) == 0  # "now" shows none resolved

    dialog.set_mode("overlaid")
    assert [p[2] for p in picture.panels()] == [("resolved", "persisting", "new")]
    overlaid = picture.grab().toImage()
    assert overlaid != side

    # the same visit against itself: nothing resolved, nothing new
    dialog.first.setCurrentIndex(len(ids) - 1)
    assert picture.areas["resolved"] == 0 and picture.areas["new"] == 0 and picture.overlap == 1.0
    assert colour_pixels(picture.grab().toImage(), CHANGE_STYLES["resolved"].color, legend_top) == 0

    # picked the wrong way round, the earlier visit is still "then"
    dialog.first.setCurrentIndex(len(ids) - 1)
    dialog.second.setCurrentIndex(0)
    assert picture.labels == (COURSE[0][0], COURSE[-1][0]) and picture.areas["resolved"] > 0


# -- files in and out ------------------------------------------------------------------------


def test_import_session_files_matched_by_code_else_asked(qtbot, window, course, tmp_path):
    client_id, ids = course
    controller = window.records.controller
    mine = Session(client_code="C-017", client_name="Alex Example", date="2026-12-08")
    stranger = Session(client_code="X-1", client_name="Nobody Known", date="2026-12-09")
    save(mine, tmp_path / "a.nmt")
    save(stranger, tmp_path / "b.nmt")
    asked: list[str] = []

    def choose(why: str, search: str, preselect: int | None) -> int | None:
        asked.append(why)
        return client_id

    controller.choose_client = choose
    added = controller.import_files(None, [str(tmp_path / "a.nmt"), str(tmp_path / "b.nmt")])
    assert added == 2
    assert len(asked) == 1 and "b.nmt" in asked[0] and "no client" in asked[0]  # a.nmt matched by its code
    with open_store(window.records.records.database(), user="t") as store:
        assert len(store.visits(client_id)) == len(ids) + 2

    # a damaged file: nothing is imported, and the user is told which file
    (tmp_path / "bad.nmt").write_text("{not json")
    said: list[tuple[str, str]] = []
    controller.tell = lambda title, text: said.append((title, text))
    assert controller.import_files(client_id, [str(tmp_path / "a.nmt"), str(tmp_path / "bad.nmt")]) == 0
    assert said and "bad.nmt" in said[0][1]


def test_export_a_visit_and_a_whole_record(qtbot, window, course, tmp_path):
    client_id, ids = course
    controller = window.records.controller
    controller.save_path = lambda title, start: str(tmp_path / "visit")
    written = controller.export_visit(ids[0])
    assert written == tmp_path / "visit.nmt" and json.loads(written.read_text())["client"]["code"] == "C-017"
    assert controller.export_visit(ids[0]) is None  # never over an existing file

    controller.folder_path = lambda start: str(tmp_path / "record")
    asked: list[str] = []
    controller.ask = lambda title, text, action: asked.append(text) is None
    folder = controller.export_record(client_id)
    assert folder == tmp_path / "record"
    assert "Alex Example" in asked[0] and "5 visits" in asked[0]
    names = sorted(p.name for p in folder.iterdir())
    assert "record.json" in names
    assert len([n for n in names if n.endswith(".pdf")]) == len(ids) == len([n for n in names if n.endswith(".nmt")])
    assert not any("Alex" in n or "Example" in n for n in names)  # no client name in file names
    pdf = next(folder.glob("*.pdf"))
    assert pdf.read_bytes().startswith(b"%PDF") and (pdf.stat().st_mode & 0o077) == 0


def test_erase_a_client_with_their_autosaves_and_recent_files(qtbot, window, course, tmp_path, db_path):
    client_id, _ = course
    with open_store(db_path, user="t") as store:
        other = store.add_client("C-018", "Sam Sample")
    autosave = tmp_path / "autosave"
    autosave.mkdir()
    save(Session(client_code="C-017"), autosave / "theirs.nmt")
    (autosave / "theirs.json").write_text("{}")
    save(Session(client_code="C-018"), autosave / "someone-else.nmt")
    theirs_file = tmp_path / "C-017-2026-11-03.nmt"
    save(Session(client_code="C-017"), theirs_file)
    others_file = tmp_path / "other.nmt"
    save(Session(client_code="C-018"), others_file)
    missing_named = str(tmp_path / "gone" / "C-017-2026-10-01.nmt")  # moved away since, named with their code
    window.settings.setValue("files/recent", [str(theirs_file), str(others_file), missing_named])
    window.records.controller.open_visit(window.records.clients.page.records.store().visits(client_id)[0].id)

    asked: list[str] = []
    controller = window.records.controller
    controller.ask = lambda title, text, action: asked.append(text) is not None  # refuse first
    assert not controller.erase_client(client_id)
    assert "C-017" in client_codes(db_path)
    controller.ask = lambda title, text, action: asked.append(text) is None
    assert controller.erase_client(client_id)
    text = asked[-1]
    assert "Alex Example (C-017)" in text and "5 visits" in text and "1 autosaved session" in text
    assert "2 recent-files entries" in text and "no undo" in text and "closed without saving" in text
    assert client_codes(db_path) == ["C-018"]
    assert not (autosave / "theirs.nmt").exists() and not (autosave / "theirs.json").exists()
    assert (autosave / "someone-else.nmt").exists()
    assert window.settings.value("files/recent") in ([str(others_file)], str(others_file))
    assert theirs_file.exists()  # the user's own file is not touched
    assert window.records.records.binding is None and window.model.session.client_code == ""
    with open_store(db_path, user="t") as store:
        assert store.bin() == [] and store.client(other.id).code == "C-018"


# -- backups -----------------------------------------------------------------------------------


def test_back_up_encrypted_and_restore_from_the_dialog(qtbot, window, course, tmp_path, db_path):
    dialog = BackupDialog(window.records.records, window)
    qtbot.addWidget(dialog)
    assert dialog.encrypt.isChecked()  # encrypted by default
    target = tmp_path / "copy.nmtbackup"
    dialog.target.setText(str(target))
    dialog.passphrase.setText("correct horse")
    dialog.passphrase_again.setText("correct house")
    assert dialog.back_up() is None and not target.exists() and "differ" in dialog.last_message
    dialog.passphrase_again.setText("correct horse")
    assert dialog.back_up() == target and is_sealed(target)
    assert b"Alex Example" not in target.read_bytes()
    assert "encrypted" in dialog.last_message and dialog.passphrase.text() == ""

    with open_store(db_path, user="t") as store:
        store.add_client("C-099", "Added Later")
    window.records.clients.refresh()
    asked: list[str] = []
    dialog.ask = lambda title, text, action: asked.append(text) is not None  # refused
    assert not dialog.restore(target, "correct horse")
    assert "C-099" in client_codes(db_path)
    dialog.ask = lambda title, text, action: asked.append(text + action) is None
    assert not dialog.restore(target, "wrong passphrase")
    assert "C-099" in client_codes(db_path) and "Nothing was restored" in dialog.last_message
    assert dialog.restore(target, "correct horse")
    assert "the backup of" in asked[-1] and "copy.nmtbackup" in asked[-1]
    assert client_codes(db_path) == ["C-017"]
    assert window.records.records.store().count_clients() == 1  # the app reads the restored records
    kept = [p.name for p in backup.backups(resolve(db_path))]
    assert any(name.startswith("pre-restore-") for name in kept)


def test_a_plain_backup_names_its_date_when_restored(qtbot, window, course, tmp_path):
    dialog = BackupDialog(window.records.records, window)
    qtbot.addWidget(dialog)
    dialog.encrypt.setChecked(False)
    assert not dialog.passphrase.isEnabled() and dialog.target.text().endswith(".sqlite3")
    dialog.target.setText(str(tmp_path / "practice-2026-11-20.sqlite3"))
    written = dialog.back_up()
    assert written is not None and not is_sealed(written) and (written.stat().st_mode & 0o077) == 0
    asked: list[str] = []
    dialog.ask = lambda title, text, action: asked.append(action) is None
    assert dialog.restore(written)
    assert asked == ["Restore the backup of 2026-11-20"]


# -- the database at start -------------------------------------------------------------------------


def test_a_damaged_database_at_start_offers_the_latest_backup(qtbot, tmp_path, db_path):
    with open_store(db_path, user="t") as store:
        store.add_client("C-017", "Alex Example")
    made = backup.daily(resolve(db_path))
    assert made is not None
    db_path.write_bytes(b"this is not a database at all" * 200)
    for extra in ("-wal", "-shm"):
        Path(str(db_path) + extra).unlink(missing_ok=True)
    window = new_window(qtbot, tmp_path)
    startup = window.records.startup
    asked: list[str] = []
    startup.ask = lambda title, text, action: asked.append(text) is None
    startup.check_now(wait=True)
    assert asked and "damaged" in asked[0] and made.name in asked[0]
    assert client_codes(db_path) == ["C-017"]
    assert any(p.name.startswith("pre-restore-damaged-") for p in made.parent.iterdir())
    window.records.records.close()


def test_a_damaged_database_without_backup_is_said_not_crashed(qtbot, tmp_path, db_path):
    db_path.write_bytes(b"garbage" * 1000)
    window = new_window(qtbot, tmp_path)
    said: list[str] = []
    window.records.startup.tell = lambda title, text: said.append(text)
    window.records.startup.check_now(wait=True)
    assert said and "No backup" in said[0]
    window.tabs.setCurrentWidget(window.records.clients)  # the view says it too, and the app goes on
    assert "damaged" in window.records.clients.count_label.text()


def test_start_makes_todays_backup_in_the_background(qtbot, window, course, db_path):
    startup: RecordsStartup = window.records.startup
    with qtbot.waitSignal(startup.backupFinished, timeout=10000):
        startup.check_now()
    found = backup.backups(resolve(db_path))
    assert len(found) == 1 and found[0].name.startswith("practice-")


def test_a_database_held_by_another_program_says_it_is_in_use(qtbot, window, course, db_path):
    client_id, _ = course
    window.records.records.busy_timeout = 0.2
    window.records.records.close()
    said: list[tuple[str, str]] = []
    window.records.controller.tell = lambda title, text: said.append((title, text))
    window.records.controller.new_visit(client_id)
    holder = sqlite3.connect(db_path, timeout=0.1, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program is writing
    try:
        assert not window.records.controller.save_visit()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert said and "in use" in said[-1][1]
    assert window.records.controller.save_visit()  # and once it is free, the visit saves


# -- which database ----------------------------------------------------------------------------------


def test_the_database_setting_and_its_override(qtbot, window, tmp_path, monkeypatch):
    records = window.records.records
    monkeypatch.delenv("NMT_BODYMAP_DB")
    chosen = tmp_path / "elsewhere.sqlite3"
    dialog = DatabaseDialog(records, window)
    assert not dialog.override.isVisibleTo(dialog)
    dialog.path.setText(str(chosen))
    dialog.accept()
    assert window.settings.value("records/database") == str(chosen)
    assert records.database().path == chosen
    records.add_client("C-1")
    assert chosen.exists()
    bad = DatabaseDialog(records, window)
    bad.path.setText("mysql://server/practice")
    bad.accept()
    assert "unknown database kind" in bad.problem.text() and records.database().path == chosen
    monkeypatch.setenv("NMT_BODYMAP_DB", str(tmp_path / "from-env.sqlite3"))
    assert records.database().path == tmp_path / "from-env.sqlite3"  # --db / the variable win
    assert DatabaseDialog(records, window).override.text().startswith("In use now")


def test_app_start_does_not_load_the_store(tmp_path):
    code = (
        "import os, sys\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from PySide6.QtCore import QSettings\n"
        "from nmt_bodymap.ui.app import make_app\n"
        "from nmt_bodymap.ui.main_window import MainWindow\n"
        "app = make_app()\n"
        f"w = MainWindow(settings=QSettings({str(tmp_path / 's.ini')!r}, QSettings.Format.IniFormat), "
        f"autosave_dir=__import__('pathlib').Path({str(tmp_path / 'a')!r}), check_recovery=True)\n"
        "w.show(); app.processEvents()\n"
        "print(sorted(m for m in sys.modules if m.startswith(('sqlalchemy', 'nmt_bodymap.store', 'alembic'))))\n"
    )
    env = {**os.environ, "NMT_BODYMAP_DB": str(tmp_path / "p.sqlite3")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_the_app_takes_db_on_its_command_line(monkeypatch, capsys, tmp_path):
    from nmt_bodymap import cli
    from nmt_bodymap.ui import app

    opened: list[str | None] = []
    monkeypatch.setattr(app, "run_app", lambda path=None: opened.append(path) or 0)
    monkeypatch.setenv("NMT_BODYMAP_DB", "restored-after-the-test")
    assert cli.main(["--db", str(tmp_path / "clinic.sqlite3"), "visit.nmt"]) == 0
    assert opened == ["visit.nmt"] and os.environ["NMT_BODYMAP_DB"] == str(tmp_path / "clinic.sqlite3")
    assert cli.main([f"--db={tmp_path / 'other.sqlite3'}"]) == 0
    assert opened[-1] is None and os.environ["NMT_BODYMAP_DB"] == str(tmp_path / "other.sqlite3")
    assert cli.main(["--db"]) == 2
    assert cli.main(["--db", "x.sqlite3", "clients", "list"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "nmt-bodymap: error: --db needs a database path or URL",
        "nmt-bodymap: error: give --db after the command: nmt-bodymap clients ... --db PATH",
    ]
