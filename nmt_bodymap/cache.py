"""A content-hashed, authenticated cache of compiled geometry in the user's cache folder.

Parsing SVG curves with svgelements costs tens of milliseconds per file; the
app starts in well under a second only because compiled geometry is kept
between runs. Entries are keyed by a hash of the source bytes and of
:data:`FORMAT`, so an edited file or a new version of the compiler is never
served stale data. The cache is an optimisation only: any failure to read or
write it is ignored and the caller compiles from source.

The cache folder is not trusted. Each entry carries an HMAC-SHA256 of its
bucket, key and content, keyed by a secret made once and kept owner-only
(0600) in the app's data folder (:data:`KEY_FILE`); an entry whose HMAC does
not match, or that fails the caller's structural check, is ignored, computed
again and rewritten. When no key can be kept (the data folder cannot be
written) the cache is off: an unkeyed entry is never trusted. Folders are
created owner-only (0700) whatever the umask.

Values are JSON documents; shapely geometry travels as base64 WKB, so nothing
in the cache can execute code when read.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from nmt_bodymap.guarded import BadFile, read_limited
from nmt_bodymap.paths import cache_dir, data_dir, private_dir

#: Bump when the shape of cached values changes.
FORMAT = "nmt-bodymap-cache-5"
#: The secret keying every entry's HMAC, in the app's data folder.
KEY_FILE = "cache.key"
#: Largest entry read back (the biggest, the lookup's coverage tiles, is a few MB).
MAX_ENTRY_BYTES = 64 * 1024 * 1024

_KEY_BYTES = 32
_HEADER = b"hmac-sha256 "
#: The key per data folder, found once per process (keyed by the variables that locate the folder).
_keys: dict[tuple[str | None, ...], bytes | None] = {}
_LOCATING = ("XDG_DATA_HOME", "APPDATA", "HOME", "USERPROFILE")


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256(FORMAT.encode())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def encode_geometry(geom: BaseGeometry) -> str:
    return base64.b64encode(shapely.to_wkb(geom)).decode("ascii")


def decode_geometries(blobs: list[str]) -> list[BaseGeometry]:
    if not blobs:
        return []
    return list(shapely.from_wkb([base64.b64decode(b) for b in blobs]))


# -- the key -------------------------------------------------------------------


def secret() -> bytes | None:
    """The key of every entry's HMAC, made on first use; None when it cannot be kept."""
    where = tuple(os.environ.get(name) for name in _LOCATING)
    if where not in _keys:
        _keys[where] = _load_or_make_key(data_dir() / KEY_FILE)
    return _keys[where]


def _load_or_make_key(path: Path) -> bytes | None:
    replace = False
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    except (OSError, ValueError):
        replace = True  # unreadable, the wrong size or readable by others: make a new one
    try:
        private_dir(path.parent)
        return _write_key(path, replace)
    except (OSError, ValueError):
        return None


def _read_key(path: Path) -> bytes:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError("the cache key is not a regular file")
        if os.name == "posix" and (info.st_uid != os.geteuid() or info.st_mode & 0o077):
            raise ValueError("the cache key is not private")
        data = os.read(fd, _KEY_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) != _KEY_BYTES:
        raise ValueError("the cache key has the wrong size")
    return data


def _write_key(path: Path, replace: bool) -> bytes:
    key = secrets.token_bytes(_KEY_BYTES)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{KEY_FILE}.")  # created 0600
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
        if replace:
            os.replace(tmp, path)
            return key
        try:
            os.link(tmp, path)  # fails if another process made the key first: use theirs
        except FileExistsError:
            return _read_key(path)
        except OSError:
            os.replace(tmp, path)  # no hard links on this file system
        return key
    finally:
        Path(tmp).unlink(missing_ok=True)


def _mac(key: bytes, bucket: str, name: str, payload: bytes) -> str:
    return hmac.new(key, f"{FORMAT}\0{bucket}\0{name}\0".encode() + payload, hashlib.sha256).hexdigest()


# -- entries -------------------------------------------------------------------


def load(bucket: str, key: str) -> Any | None:
    """The entry's value if it is there and its HMAC matches; else None."""
    folder = cache_dir()
    if folder is None:
        return None
    signing_key = secret()
    if signing_key is None:
        return None
    try:
        raw = read_limited(os.path.join(folder, bucket, key + ".json"), MAX_ENTRY_BYTES)
    except BadFile:
        return None
    header, _, payload = raw.partition(b"\n")
    if not header.startswith(_HEADER):
        return None
    mac = header[len(_HEADER) :].decode("ascii", "replace")
    if not hmac.compare_digest(mac, _mac(signing_key, bucket, key, payload)):
        return None
    try:
        return json.loads(payload)
    except (ValueError, RecursionError):
        return None


def store(bucket: str, key: str, value: Any) -> None:
    """Write an entry with its HMAC (atomically, owner-only); failures are ignored."""
    folder = cache_dir()
    signing_key = secret()
    if folder is None or signing_key is None:
        return
    payload = json.dumps(value, separators=(",", ":")).encode()
    target = folder / bucket
    try:
        private_dir(folder)
        private_dir(target)
        fd, tmp = tempfile.mkstemp(dir=target, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(_HEADER + _mac(signing_key, bucket, key, payload).encode() + b"\n" + payload)
            os.replace(tmp, target / f"{key}.json")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass


def cached(bucket: str, key: str, compute: Callable[[], Any], valid: Callable[[Any], bool] | None = None) -> Any:
    """The cached value for ``key``, computing and storing it when absent or not trusted.

    ``valid`` is the caller's structural check of a value read back (its
    shape and its counts against the source); a value it refuses, or that it
    fails on, is recomputed and rewritten.
    """
    value = load(bucket, key)
    if value is not None and (valid is None or _passes(valid, value)):
        return value
    value = compute()
    store(bucket, key, value)
    return value


def _passes(valid: Callable[[Any], bool], value: Any) -> bool:
    try:
        return bool(valid(value))
    except Exception:
        return False
