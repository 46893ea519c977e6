"""Run a write transaction again when the server aborted it to let another therapist's go first.

PostgreSQL resolves a deadlock, or a serialization failure, by aborting one
of the transactions involved (SQLSTATE 40P01, 40001); running it again is
the documented remedy, and it is safe because the aborted transaction
changed nothing. The store does that itself, a bounded number of times
with a growing, jittered pause, so a busy clinic's imports never fail for
the user. Anything else (including a lost connection, where the first
attempt may have been committed) is not retried here.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from nmt_bodymap.store.errors import Contention

T = TypeVar("T")

ATTEMPTS = 10
FIRST_PAUSE_S = 0.01
LONGEST_PAUSE_S = 0.5


def pause(attempt: int) -> float:
    """The pause before try ``attempt + 2``: doubling from 10 ms up to 0.5 s, with jitter."""
    return min(LONGEST_PAUSE_S, FIRST_PAUSE_S * 2**attempt) * random.uniform(0.5, 1.0)


def retrying(work: Callable[[], T], *, attempts: int = ATTEMPTS, sleep: Callable[[float], object] = time.sleep) -> T:
    """``work()``, run again after a pause when it raises :class:`Contention`; the last failure is raised."""
    for attempt in range(attempts - 1):
        try:
            return work()
        except Contention:
            sleep(pause(attempt))
    return work()
