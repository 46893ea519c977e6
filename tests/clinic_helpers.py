"""Helpers of the clinic server's tests: a keychain in memory, and waiting for a save blocked on a lock."""

from __future__ import annotations

import time

from keyring.backend import KeyringBackend
from pg_cluster import Cluster


class MemoryKeyring(KeyringBackend):
    """A keychain in memory: the keyring package's real lookup path, without a desktop keychain."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.entries.pop((service, username), None)


def wait_for_lock_wait(pg: Cluster, database: str) -> None:
    """Wait (30 s at most) until a session of ``database`` waits for a lock: a save has reached the server."""
    deadline = time.monotonic() + 30
    with pg.admin(database) as conn:
        while time.monotonic() < deadline:
            row = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'", (database,)
            ).fetchone()
            if row and row[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the save never reached the server")
