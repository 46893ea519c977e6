"""Test set-up: Qt off-screen, and private cache and data folders.

Without a display Qt aborts the whole test run unless told to draw
off-screen; the cache and user-data folders are redirected so tests never
touch (or depend on) the developer's own files.
"""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_scratch = tempfile.mkdtemp(prefix="nmt-bodymap-tests-")
os.environ["NMT_BODYMAP_CACHE_DIR"] = os.path.join(_scratch, "cache")
os.environ["XDG_DATA_HOME"] = os.path.join(_scratch, "data")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_scratch, "config")
os.environ["XDG_CACHE_HOME"] = os.path.join(_scratch, "xdg-cache")
