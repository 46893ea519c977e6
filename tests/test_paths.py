"""The app's own folders: the same place as Qt's, and owner-only whatever the umask."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from nmt_bodymap import paths


def test_data_dir_matches_qt(qapp):
    from PySide6.QtCore import QStandardPaths

    from nmt_bodymap.ui.app import make_app

    make_app()
    qt = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    assert Path(qt) == paths.data_dir()


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
@pytest.mark.parametrize("umask", [0o000, 0o022, 0o077])
def test_private_dir_is_owner_only_whatever_the_umask(tmp_path, umask):
    old = os.umask(umask)
    try:
        made = paths.private_dir(tmp_path / "a" / "b" / "c")
    finally:
        os.umask(old)
    for folder in (tmp_path / "a", tmp_path / "a" / "b", made):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_private_dir_tightens_a_loose_existing_folder(tmp_path):
    loose = tmp_path / "loose"
    loose.mkdir()
    loose.chmod(0o777)
    paths.private_dir(loose)
    assert stat.S_IMODE(loose.stat().st_mode) == 0o700


def test_private_dir_refuses_a_file(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(OSError):
        paths.private_dir(tmp_path / "f")
