"""Test set-up: Qt off-screen, and private cache and data folders.

Without a display Qt aborts the whole test run unless told to draw
off-screen; the cache and user-data folders are redirected so tests never
touch (or depend on) the developer's own files.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_scratch = tempfile.mkdtemp(prefix="nmt-bodymap-tests-")
os.environ["NMT_BODYMAP_CACHE_DIR"] = os.path.join(_scratch, "cache")
os.environ["XDG_DATA_HOME"] = os.path.join(_scratch, "data")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_scratch, "config")
os.environ["XDG_CACHE_HOME"] = os.path.join(_scratch, "xdg-cache")
os.environ.pop("NMT_BODYMAP_DB", None)  # never the developer's own practice database
os.environ.pop("NMT_BODYMAP_PASSPHRASE", None)

#: Databases the store's tests run on; the clinic-server issue adds "postgresql".
STORE_BACKENDS = ["sqlite"]


@pytest.fixture(params=STORE_BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty practice database's URL, once per backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'practice.sqlite3'}"
    raise NotImplementedError(request.param)  # pragma: no cover
