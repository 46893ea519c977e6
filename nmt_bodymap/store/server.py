"""The clinic server: connecting to PostgreSQL through psycopg 3, and where its password comes from.

Imported only when a ``postgresql://`` database is used, so a solo
therapist's app never loads psycopg.

**TLS.** libpq's ``sslmode``: ``prefer`` by default (TLS whenever the server
offers it), ``require`` (TLS or no connection) or ``verify-full`` (TLS, and
the server's certificate must be signed by the CA in ``sslrootcert`` and
name the host) chosen in the URL (``?sslmode=verify-full&sslrootcert=PATH``)
or by the caller (:func:`nmt_bodymap.store.location.resolve`).

**Passwords** never go into the settings or a log. A URL without one (the
way to use the app) leaves the password to, in order:

1. the system keychain through the optional ``keyring`` package
   (``pip install 'nmt-bodymap[keychain]'``), under the service
   ``nmt-bodymap`` and the account ``USER@HOST:PORT/DB``
   (:func:`remember_password` puts it there, for the app's database dialog);
   a keychain that is missing or locked is skipped;
2. libpq's password file, ``~/.pgpass`` (or ``PGPASSFILE``): refused here
   when others can read it (libpq would silently ignore it, and it exposes
   the password);
3. a libpq service file (``postgresql:///?service=NAME``, from
   ``~/.pg_service.conf`` or ``PGSERVICEFILE``), also refused when it holds
   a password others can read.

A password written in the URL itself works (for scripts) but is never shown:
messages use the database's label, and the password is blotted out of
anything the server says.

Connections give up after ``connect_timeout`` seconds (5 unless the URL
says), send TCP keep-alives so a dead network is noticed, and are checked
before reuse (a restarted server costs one reconnect, not an error).
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import URL

from nmt_bodymap.store.errors import StoreError
from nmt_bodymap.store.location import Database

KEYRING_SERVICE = "nmt-bodymap"
CONNECT_TIMEOUT_S = 5
_DEFAULT_PORT = 5432
_CONNECTION_DEFAULTS = {
    "application_name": "nmt-bodymap",
    "keepalives": "1",
    "keepalives_idle": "30",
    "keepalives_interval": "10",
    "keepalives_count": "3",
}


class LoosePasswordFile(StoreError):
    """A password file that others can read: refused (libpq would ignore it, and it leaks the password)."""


def keychain_account(url: URL) -> str | None:
    """The keychain entry's account for a server URL: ``USER@HOST:PORT/DB``; None without user and host."""
    if not url.username or not url.host:
        return None
    return f"{url.username}@{url.host}:{url.port or _DEFAULT_PORT}/{url.database or url.username}"


def _keyring() -> Any | None:
    try:
        import keyring
    except ImportError:
        return None
    return keyring


def keychain_password(url: URL) -> str | None:
    """The password kept in the system keychain for this server, or None (no keyring, no entry, locked)."""
    account = keychain_account(url)
    keyring = _keyring()
    if account is None or keyring is None:
        return None
    try:
        found = keyring.get_password(KEYRING_SERVICE, account)
    except Exception:  # no backend, a locked or broken keychain: fall back to libpq's own files
        return None
    return found or None


def remember_password(db: Database, password: str) -> None:
    """Keep a server's password in the system keychain (for the app's database dialog)."""
    account = keychain_account(db.url)
    if account is None:
        raise StoreError(f"{db.label}: name the user and host to keep a password for them")
    keyring = _keyring()
    if keyring is None:
        raise StoreError("no system keychain here (install nmt-bodymap[keychain]); use ~/.pgpass (mode 0600)")
    try:
        keyring.set_password(KEYRING_SERVICE, account, password)
    except Exception as exc:
        raise StoreError(f"the system keychain refused the password ({type(exc).__name__})") from None


def forget_password(db: Database) -> None:
    account = keychain_account(db.url)
    keyring = _keyring()
    if account is None or keyring is None:
        return
    with contextlib.suppress(Exception):
        keyring.delete_password(KEYRING_SERVICE, account)


def password_file() -> Path:
    """Where libpq looks for passwords."""
    if os.environ.get("PGPASSFILE"):
        return Path(os.environ["PGPASSFILE"]).expanduser()
    if os.name == "nt":  # pragma: no cover - Windows
        return Path(os.environ.get("APPDATA", "~")).expanduser() / "postgresql" / "pgpass.conf"
    return Path.home() / ".pgpass"


def service_file() -> Path:
    if os.environ.get("PGSERVICEFILE"):
        return Path(os.environ["PGSERVICEFILE"]).expanduser()
    return Path.home() / ".pg_service.conf"


def check_password_files(url: URL) -> None:
    """Refuse password files others can read (POSIX); see the module docstring."""
    if os.name != "posix":  # pragma: no cover - Windows keeps them in the user's profile
        return
    _check_private(password_file(), "password file", always=True)
    if url.query.get("service"):
        _check_private(service_file(), "service file", always=False)


def _check_private(path: Path, what: str, always: bool) -> None:
    try:
        st = path.stat()
    except OSError:
        return
    if not stat.S_ISREG(st.st_mode) or not st.st_mode & 0o077:
        return
    if not always:
        try:
            holds_password = "password" in path.read_text(errors="replace").lower()
        except OSError:
            return
        if not holds_password:
            return
    raise LoosePasswordFile(
        f"{path}: this {what} can be read by others (mode {stat.S_IMODE(st.st_mode):04o}), so it is refused; "
        f"make it private: chmod 600 {path}"
    )


def connect_args(db: Database) -> tuple[dict[str, Any], str | None]:
    """libpq parameters for the engine beyond the URL's, and the password the store holds (or None)."""
    url = db.url
    args: dict[str, Any] = {k: v for k, v in _CONNECTION_DEFAULTS.items() if k not in url.query}
    if "connect_timeout" not in url.query:
        args["connect_timeout"] = str(CONNECT_TIMEOUT_S)
    password = url.password
    if password is None:
        password = keychain_password(url)
        if password is None:
            check_password_files(url)
        else:
            args["password"] = password
    return args, str(password) if password is not None else None


def make_server_engine(db: Database) -> tuple[Engine, str | None]:
    """The engine for a server database, and the password it holds (to blot out of messages)."""
    args, password = connect_args(db)
    engine = create_engine(
        db.url,
        connect_args=args,
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=5,
        pool_recycle=3600,
    )
    return engine, password
