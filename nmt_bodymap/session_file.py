"""Session files: reading (:mod:`nmt_bodymap.session_read`) and writing (:mod:`nmt_bodymap.session_write`).

Kept so that ``nmt_bodymap.session_file`` still names the file functions;
:mod:`nmt_bodymap.session` is the public face of the session modules.
"""

from __future__ import annotations

from nmt_bodymap.session_read import from_dict, is_session_file, load, loads, read_limited
from nmt_bodymap.session_schema import SUFFIX
from nmt_bodymap.session_write import dumps, save, to_dict

__all__ = ["SUFFIX", "dumps", "from_dict", "is_session_file", "load", "loads", "read_limited", "save", "to_dict"]
