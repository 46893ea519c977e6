"""Replace a file only when its new content is complete (Qt-free).

Exports and pictures are written to a temporary file in the target's folder
and renamed over the target at the end: a failure leaves no half-written
file, and an existing file untouched. The new file is owner-only, because
exports of a session carry health information.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def replace_with(path: Path, write: Callable[[Path], None]) -> None:
    """Let ``write`` fill a temporary file beside ``path``, then move it in place.

    Raises OSError (or whatever ``write`` raises); the temporary file is
    always removed.
    """
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=path.suffix)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        if not tmp.exists() or tmp.stat().st_size == 0:
            raise OSError(f"nothing was written to {path}")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
