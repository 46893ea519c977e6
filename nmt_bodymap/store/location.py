"""Which database to use, and its file made private before SQLite opens it.

The database is chosen by, in order: ``--db PATH_OR_URL`` (the caller passes
it), the ``NMT_BODYMAP_DB`` environment variable, then the default file
``practice.sqlite3`` in the app's data folder. A plain path and a
``sqlite:///PATH`` URL both name a SQLite file; ``postgresql://USER@HOST:PORT/DB``
(or ``postgres://``, or ``postgresql:///?service=NAME`` for a libpq service
file) names a clinic server, reached through psycopg 3
(:mod:`nmt_bodymap.store.server` has the connection's details: TLS, where
the password comes from).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from nmt_bodymap import paths
from nmt_bodymap.store.errors import StoreError

ENV_VAR = "NMT_BODYMAP_DB"
DEFAULT_NAME = "practice.sqlite3"
SERVER_SCHEMES = ("postgresql", "postgres")
SERVER_DRIVER = "postgresql+psycopg"
#: libpq's TLS modes; ``prefer`` (TLS when the server offers it) unless the URL or the caller says otherwise.
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
DEFAULT_SSLMODE = "prefer"


@dataclass(frozen=True)
class Database:
    """A resolved database: its SQLAlchemy URL, and its file when it is SQLite."""

    url: URL
    path: Path | None  # the SQLite file; None for a server
    is_default: bool = False

    @property
    def label(self) -> str:
        """How to name the database in messages (never a password)."""
        if self.path is not None:
            return str(self.path)
        return _shown(self.url).render_as_string(hide_password=True)

    @property
    def backend(self) -> str:
        return self.url.get_backend_name()

    @property
    def is_server(self) -> bool:
        return self.path is None

    def without_password(self) -> str:
        """The URL to keep in the settings: everything but a password (which never goes there)."""
        if self.path is not None:
            return str(self.path)
        return _shown(self.url._replace(password=None)).render_as_string(hide_password=False)


def _shown(url: URL) -> URL:
    """A server URL as the user writes it: ``postgresql://``, without the default ``sslmode=prefer``."""
    query = {k: v for k, v in url.query.items() if not (k == "sslmode" and v == DEFAULT_SSLMODE)}
    return url.set(drivername="postgresql", query=query)


def default_path() -> Path:
    return paths.data_dir() / DEFAULT_NAME


def resolve(value: str | os.PathLike[str] | None = None, *, sslmode: str | None = None) -> Database:
    """The database named by ``value``, else ``NMT_BODYMAP_DB``, else the default file.

    ``sslmode`` (a setting of the app) applies to a server URL that does not
    name its own ``sslmode``; without either it is ``prefer``.
    """
    if value is None or str(value) == "":
        value = os.environ.get(ENV_VAR) or None
    if value is None:
        path = default_path()
        return Database(_sqlite_url(path), path, is_default=True)
    text = os.fspath(value)
    if "://" not in text:
        path = Path(text).expanduser().absolute()
        return Database(_sqlite_url(path), path, is_default=path == default_path().absolute())
    try:
        url = make_url(text)
    except ArgumentError:
        raise StoreError(f"'{_hide(text)}' is not a database path or URL") from None
    backend = url.get_backend_name()
    if backend == "sqlite":
        if not url.database or url.database == ":memory:":
            raise StoreError("a SQLite URL must name a file (sqlite:///PATH)")
        path = Path(url.database).expanduser().absolute()
        return Database(_sqlite_url(path), path, is_default=path == default_path().absolute())
    if backend in SERVER_SCHEMES:
        return Database(_server_url(url, sslmode), None)
    raise StoreError(
        f"'{_hide(text)}': unknown database kind '{backend}' (give a file path, sqlite:///PATH or postgresql://USER@HOST/DB)"
    )


def _hide(text: str) -> str:
    try:
        return make_url(text).render_as_string(hide_password=True)
    except ArgumentError:
        return text.split("@")[-1]


def _server_url(url: URL, sslmode: str | None) -> URL:
    shown = url.render_as_string(hide_password=True)
    if "+" in url.drivername and url.drivername != SERVER_DRIVER:
        raise StoreError(f"{shown}: only the psycopg driver is supported (write postgresql://...)")
    query = dict(url.query)
    mode = query.get("sslmode") or sslmode or DEFAULT_SSLMODE
    if not isinstance(mode, str) or mode not in SSL_MODES:
        raise StoreError(f"{shown}: unknown sslmode '{mode}' (use one of {', '.join(SSL_MODES)})")
    query["sslmode"] = mode
    if not (url.host or url.database or query.get("service") or query.get("host")):
        raise StoreError(f"{shown}: give the server and database (postgresql://USER@HOST:PORT/DB)")
    return url.set(drivername=SERVER_DRIVER, query=query)


def _sqlite_url(path: Path) -> URL:
    return URL.create("sqlite+pysqlite", database=str(path))


def prepare_file(db: Database, create: bool) -> None:
    """Make sure a SQLite file exists owner-only (0600) before SQLite opens it.

    The default folder is created 0700; for a file elsewhere the folder must
    exist (the app never changes the permissions of a folder it did not make).
    """
    if db.path is None:
        return
    path = db.path
    if path.exists():
        if not path.is_file():
            raise StoreError(f"{path}: not a database file")
        _tighten(path)
        return
    if not create:
        raise StoreError(f"{path}: no practice database there (add a client first, or check --db)")
    if db.is_default:
        paths.private_dir(path.parent)
    elif not path.parent.is_dir():
        raise StoreError(f"{path}: folder '{path.parent}' does not exist")
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        raise StoreError(f"{path}: cannot create the database ({exc.strerror})") from None
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o600)  # whatever the umask
    finally:
        os.close(fd)


def _tighten(path: Path) -> None:
    if os.name != "posix":
        return
    try:
        st = path.stat()
        if st.st_uid == os.getuid() and st.st_mode & 0o077:
            os.chmod(path, 0o600)
    except OSError:
        pass


def backups_dir(db: Database) -> Path:
    """Where the automatic backups of ``db`` go: ``data_dir()/backups`` (owner-only).

    A database other than the default gets its own subfolder, named by a hash
    of its path (never by anything a client wrote).
    """
    base = paths.data_dir() / "backups"
    if db.is_default or db.path is None:
        return base
    return base / hashlib.sha256(str(db.path).encode("utf-8")).hexdigest()[:16]
