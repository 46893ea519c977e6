"""The user's atlas folders: the data folder's ``atlas`` and NMT_BODYMAP_ATLAS, layered over the shipped atlas."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QPlainTextEdit

from nmt_bodymap import paths, resources
from nmt_bodymap.atlas import folders, load_atlas
from nmt_bodymap.atlas import loader as atlas_loader
from nmt_bodymap.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
SHIPPED = resources.atlas_dir()


@pytest.fixture
def user_data(tmp_path, monkeypatch):
    """No NMT_BODYMAP_ATLAS, and the data folder's ``atlas`` removed afterwards.

    The test session's data folder is kept (not a fresh one) because it holds
    the cache key: a new key would make every cached muscle recompile.
    """
    monkeypatch.delenv(resources.ATLAS_ENV, raising=False)
    mine = resources.user_atlas_dir()
    assert not mine.exists()
    atlas_loader.shipped_atlas.cache_clear()
    yield tmp_path
    atlas_loader.shipped_atlas.cache_clear()
    shutil.rmtree(mine, ignore_errors=True)


def copy_muscle(group_and_id: str, to: Path) -> Path:
    to.mkdir(parents=True, exist_ok=True)
    for suffix in (".toml", ".svg"):
        shutil.copy(SHIPPED / f"{group_and_id}{suffix}", to)
    return to


def copy_example(to: Path, svg: Path | None = None) -> Path:
    to.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURES / "atlas_good" / "example.toml", to)
    shutil.copy(svg or FIXTURES / "atlas_good" / "example.svg", to / "example.svg")
    return to


def test_without_user_folders_the_default_is_the_shipped_atlas(user_data):
    assert resources.user_atlas_dirs() == []
    assert [(root, user) for root, user in folders.default_roots()] == [(SHIPPED, False)]


def test_the_data_folder_atlas_adds_and_overrides_muscles(user_data):
    mine = resources.user_atlas_dir()
    assert mine == paths.data_dir() / "atlas"
    copy_example(mine)
    trapezius = copy_muscle("head-neck/trapezius", mine / "head-neck")
    toml = trapezius / "trapezius.toml"
    toml.write_text(toml.read_text().replace('name = "Trapezius"', 'name = "Trapezius (my notes)"'))
    atlas = load_atlas()
    assert atlas.problems == []
    assert len(atlas.muscles) == 117
    assert atlas.muscles["trapezius"].name == "Trapezius (my notes)"
    assert atlas.muscles["trapezius"].toml_path == toml
    assert atlas.user_folders == {"example": mine, "trapezius": mine}
    assert atlas.overrides == {"trapezius": SHIPPED / "head-neck" / "trapezius.toml"}
    assert len(atlas.sided_for("trapezius")) == len(load_atlas([SHIPPED]).sided_for("trapezius"))


def test_env_folders_layer_in_order_after_the_data_folder(user_data, monkeypatch):
    first, second = user_data / "first", user_data / "second"
    for folder, name in ((resources.user_atlas_dir(), "data"), (first, "first"), (second, "second")):
        copy_example(folder)
        text = (folder / "example.toml").read_text().replace("Example muscle", f"Example from {name}")
        (folder / "example.toml").write_text(text)
    monkeypatch.setenv(resources.ATLAS_ENV, os.pathsep.join([str(first), "", str(second)]))
    assert resources.user_atlas_dirs() == [resources.user_atlas_dir(), first, second]
    atlas = load_atlas()
    assert atlas.muscles["example"].name == "Example from second"
    assert atlas.user_folders["example"] == second
    assert atlas.overrides["example"] == first / "example.toml"


def test_a_bad_user_file_is_a_problem_and_the_shipped_muscle_stays(user_data, monkeypatch):
    bad = copy_muscle("head-neck/trapezius", user_data / "mine")
    (bad / "trapezius.svg").write_text((FIXTURES / "atlas_bad" / "viewbox-zero" / "example.svg").read_text())
    monkeypatch.setenv(resources.ATLAS_ENV, f"{bad}{os.pathsep}{user_data / 'missing'}")
    atlas = load_atlas()
    assert atlas.muscles["trapezius"].toml_path == SHIPPED / "head-neck" / "trapezius.toml"
    assert "trapezius" not in atlas.overrides and atlas.user_folders == {}
    messages = [str(p) for p in atlas.problems]
    assert f"{bad / 'trapezius.svg'}: viewBox width and height must be above 0, got '0 0 0 0'" in messages
    assert f"{user_data / 'missing'}: no such file or folder" in messages
    assert str(bad / "trapezius.toml") in atlas.skipped
    assert len(atlas.sided) == len(load_atlas([SHIPPED]).sided)


def test_atlas_check_and_list_name_user_folders(user_data, monkeypatch, capsys):
    mine = copy_example(user_data / "mine")
    copy_muscle("head-neck/temporalis", mine)
    monkeypatch.setenv(resources.ATLAS_ENV, str(mine))
    assert main(["atlas", "check"]) == 0
    out = capsys.readouterr().out
    assert f"note: temporalis: {mine / 'temporalis.toml'} (user atlas: {mine}) replaces" in out
    assert "ok: 117 muscles (2 from user atlas folders)" in out
    assert main(["atlas", "list"]) == 0
    out = capsys.readouterr().out
    example_row = next(line for line in out.splitlines() if line.strip().startswith("example "))
    assert example_row.endswith(f"(user atlas: {mine})")
    assert main(["atlas", "list", "--json"]) == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["example"]["user_atlas"] == str(mine) and rows["trapezius"]["user_atlas"] is None


def test_lookup_uses_the_user_atlas(user_data, monkeypatch, capsys):
    mine = copy_example(user_data / "mine")
    monkeypatch.setenv(resources.ATLAS_ENV, str(mine))
    assert main(["lookup", "--at", "side-of-neck:right@posterior", "--json", "--top", "200"]) == 0
    muscles = {c["muscle"] for c in json.loads(capsys.readouterr().out)["candidates"]}
    assert "example" in muscles


def test_a_huge_user_tree_is_walked_within_bounds(tmp_path, monkeypatch):
    deep = tmp_path / "a" / "b" / "c" / "d" / "e"
    copy_example(deep)
    copy_example(tmp_path / "a" / "b", svg=None)
    layer = folders.scan_root(tmp_path)
    assert [p[0] for p in layer.pairs] == [tmp_path / "a" / "b" / "example.toml"]  # the deep one is too deep
    monkeypatch.setattr(folders, "MAX_ENTRIES", 3)
    for i in range(5):
        (tmp_path / f"junk{i}.txt").write_text("")
    layer = folders.scan_root(tmp_path)
    assert any("holds more than 3 entries" in p.message for p in layer.problems)


def test_the_app_shows_a_notice_of_skipped_files(qtbot, tmp_path, monkeypatch):
    from nmt_bodymap.ui.atlas_notice import SkippedFilesNotice
    from nmt_bodymap.ui.main_window import MainWindow

    bad = FIXTURES / "atlas_bad"
    atlas = load_atlas([FIXTURES / "atlas_good", bad / "viewbox-zero", bad / "use-bomb", bad / "malformed-toml"])
    assert len(atlas.skipped) == 3
    from PySide6.QtCore import QSettings

    window = MainWindow(
        atlas=atlas,
        settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
        autosave_dir=tmp_path / "autosave",
        check_recovery=False,
    )
    qtbot.addWidget(window)
    window.show()
    notice = window.findChild(SkippedFilesNotice)
    assert notice is not None and notice.isVisible()
    assert notice.label.text() == "3 atlas files were skipped: example.toml, example.toml, example.toml"
    qtbot.mouseClick(notice.details_button, qtbot_left())
    dialog = notice.details_dialog
    assert isinstance(dialog, QDialog) and dialog.isVisible() and not dialog.isModal()
    details = dialog.findChild(QPlainTextEdit).toPlainText()
    for problem in atlas.problems:
        assert str(problem) in details
    assert window.isEnabled()  # the app stays usable while the list is open
    dialog.close()


def test_no_notice_when_nothing_was_skipped(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    from nmt_bodymap.ui.atlas_notice import SkippedFilesNotice
    from nmt_bodymap.ui.main_window import MainWindow

    window = MainWindow(
        atlas=load_atlas([FIXTURES / "atlas_good"]),
        settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
        autosave_dir=tmp_path / "autosave",
        check_recovery=False,
    )
    qtbot.addWidget(window)
    window.show()
    notice = window.findChild(SkippedFilesNotice)
    assert notice is not None and not notice.isVisible()


def qtbot_left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_summary_wording():
    from nmt_bodymap.ui.atlas_notice import summary

    assert summary(["/x/a.toml"]) == "1 atlas file was skipped: a.toml"
    assert summary([f"/x/{i}.svg" for i in range(5)]) == "5 atlas files were skipped: 0.svg, 1.svg, 2.svg and 2 more"
