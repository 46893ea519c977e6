"""Test set-up: Qt off-screen, private cache and data folders, and the store's database backends.

Without a display Qt aborts the whole test run unless told to draw
off-screen; the cache and user-data folders are redirected so tests never
touch (or depend on) the developer's own files.

The store's tests take ``store_url`` and run once per backend: a fresh
SQLite file, and a fresh database on a throwaway PostgreSQL cluster that
the session starts itself (``tests/pg_cluster.py``) the first time a test
needs it. Those tests are skipped, with the reason, only when no
PostgreSQL binaries are installed (``.ci/run`` installs them).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pg_cluster
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_scratch = tempfile.mkdtemp(prefix="nmt-bodymap-tests-")
os.environ["NMT_BODYMAP_CACHE_DIR"] = os.path.join(_scratch, "cache")
os.environ["XDG_DATA_HOME"] = os.path.join(_scratch, "data")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_scratch, "config")
os.environ["XDG_CACHE_HOME"] = os.path.join(_scratch, "xdg-cache")
os.environ.pop("NMT_BODYMAP_DB", None)  # never the developer's own practice database
os.environ.pop("NMT_BODYMAP_PASSPHRASE", None)
for _libpq in ("PGPASSFILE", "PGSERVICEFILE", "PGPASSWORD", "PGSSLMODE", "PGHOST", "PGUSER", "PGDATABASE"):
    os.environ.pop(_libpq, None)  # never the developer's own server settings or passwords
os.environ["PGPASSFILE"] = os.path.join(_scratch, "no-pgpass")  # tests that need one set their own

#: Databases the store's tests run on.
STORE_BACKENDS = ["sqlite", "postgresql"]
NO_POSTGRESQL = "no PostgreSQL binaries (/usr/lib/postgresql/*/bin): install the Debian package 'postgresql'"


@pytest.fixture(scope="session")
def pg() -> Iterator[pg_cluster.Cluster]:
    """The session's throwaway PostgreSQL cluster (started on first use)."""
    if pg_cluster.binaries() is None:
        pytest.skip(NO_POSTGRESQL)
    cluster = pg_cluster.start_cluster()
    try:
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture
def pg_database(pg: pg_cluster.Cluster) -> Iterator[str]:
    """A fresh, empty database on the cluster (its name), dropped afterwards."""
    if not pg.is_running():  # a fault test that stopped the server failed before restarting it
        pg.start()
    name = pg.new_database()
    try:
        yield name
    finally:
        if not pg.is_running():
            pg.start()
        pg.drop_database(name)


@pytest.fixture(params=STORE_BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty practice database's URL, once per backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'practice.sqlite3'}"
    cluster: pg_cluster.Cluster = request.getfixturevalue("pg")
    return cluster.url(request.getfixturevalue("pg_database"))
