"""A content-hashed cache of compiled geometry in the user's cache folder.

Parsing SVG curves with svgelements costs tens of milliseconds per file; the
app starts in well under a second only because compiled geometry is kept
between runs. Entries are keyed by a hash of the source bytes and of
:data:`FORMAT`, so an edited file or a new version of the compiler is never
served stale data. The cache is an optimisation only: any failure to read or
write it is ignored and the caller compiles from source.

Values are JSON documents; shapely geometry travels as base64 WKB, so nothing
in the cache can execute code when read.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from nmt_bodymap.paths import cache_dir, private_dir

#: Bump when the shape of cached values changes.
FORMAT = "nmt-bodymap-cache-4"


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


def load(bucket: str, key: str) -> Any | None:
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with open(folder / bucket / f"{key}.json", encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return None


def store(bucket: str, key: str, value: Any) -> None:
    folder = cache_dir()
    if folder is None:
        return
    target = folder / bucket
    try:
        private_dir(target)
        fd, tmp = tempfile.mkstemp(dir=target, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(value, fh, separators=(",", ":"))
            os.replace(tmp, target / f"{key}.json")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass


def cached(bucket: str, key: str, compute: Callable[[], Any]) -> Any:
    """The cached value for ``key``, computing and storing it when absent."""
    value = load(bucket, key)
    if value is None:
        value = compute()
        store(bucket, key, value)
    return value
