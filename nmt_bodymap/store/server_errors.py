"""What a PostgreSQL server's failures mean for the therapist, in one sentence each.

Imported only when a server is in use. The server's SQLSTATE decides where
it has one; failures to connect have none (libpq says them in words), so
those are recognised by libpq's own phrases. Every message names the
database by its label, never with a password.

:func:`classify` answers with the kind of failure (a name of a class of
:mod:`nmt_bodymap.store.errors`, which raises it) and the sentence.
"""

from __future__ import annotations

import re

AccessDenied = "AccessDenied"
Contention = "Contention"
DuplicateCode = "DuplicateCode"
RecordInUse = "RecordInUse"
ServerUnreachable = "ServerUnreachable"
StoreError = "StoreError"

#: SQLSTATEs the store retries itself: serialization_failure, deadlock_detected.
RETRYABLE = {"40001", "40P01"}
_LOST = {"57P01", "57P02", "57P03", "08000", "08003", "08006", "08001", "08004", "08P01"}
_UNREACHABLE_WORDS = {
    "connection refused": "connection refused: is the server running, and are the address and port right?",
    "could not translate host name": "unknown host name",
    "name or service not known": "unknown host name",
    "timeout expired": "no answer in time: check the address, the network or the firewall",
    "no route to host": "no route to the host: check the network",
    "network is unreachable": "the network is unreachable",
    "server closed the connection unexpectedly": "the connection was lost",
    "terminating connection": "the server closed the connection",
    "the connection is closed": "the connection was lost",
    "the connection is lost": "the connection was lost",
    "connection is bad": "the connection was lost",
    "ssl syscall error": "the connection was lost",
    "ssl connection has been closed unexpectedly": "the connection was lost",
    "consuming input failed": "the connection was lost",
    "unexpected eof": "the connection was lost",
    "sending query failed": "the connection was lost",
    "connection reset": "the connection was reset",
    "no such file or directory": "no server on that socket: is it running?",
    "the database system is starting up": "the server is starting up; try again in a moment",
    "the database system is shutting down": "the server is shutting down",
    "the database system is in recovery mode": "the server is recovering; try again in a moment",
}


def classify(where: str, error: BaseException, text: str, invalidated: bool = False) -> tuple[str, str]:
    """The kind of failure and its sentence for a psycopg exception (``text``: its message, without a password)."""
    state = getattr(error, "sqlstate", None) or ""
    low = text.lower()
    if state in RETRYABLE:
        return Contention, f"{where}: the server is busy with other therapists' changes; try again in a moment"
    if state == "23505" and "code" in low:
        return DuplicateCode, f"{where}: another client already has this code"
    if state in ("55P03", "57014"):
        return RecordInUse, f"{where}: the record is in use by another therapist; try again in a moment"
    if state == "28P01" or "password authentication failed" in low:
        return AccessDenied, f"{where}: the server refused the password of {_quoted_user(text)}"
    if "no password supplied" in low or "password is required" in low:
        return AccessDenied, (
            f"{where}: the server asks for a password and none was found: keep it in the system keychain, "
            "in ~/.pgpass (mode 0600) or in a service file"
        )
    if "no pg_hba.conf entry" in low:
        tls = " without TLS" if "no encryption" in low else ""
        return AccessDenied, f"{where}: the server does not accept this computer, user or database{tls} (pg_hba.conf)"
    if state == "28000" or re.search(r'role ".*" does not exist', low):
        return AccessDenied, f"{where}: the server does not know that user ({_first_sentence(text)})"
    if state == "3D000" or re.search(r'database ".*" does not exist', low):
        return StoreError, f"{where}: no such database on the server; create it first (docs/clinic/roles.sql)"
    if state == "42501" or "permission denied" in low or "must be owner" in low:
        return AccessDenied, (
            f"{where}: this database user may not do that ({_first_sentence(text)}); schema changes are made "
            "by the migration role (nmt-bodymap migrate --to URL)"
        )
    if "server does not support ssl" in low:
        return StoreError, f"{where}: the server does not offer TLS, but the connection requires it (sslmode)"
    if "certificate" in low and ("verify" in low or "does not match" in low or "root certificate" in low):
        return StoreError, f"{where}: the server's TLS certificate could not be verified ({_first_sentence(text)})"
    if state == "53300" or "too many clients" in low or "remaining connection slots" in low:
        return ServerUnreachable, f"{where}: the server has no free connections; try again in a moment"
    if state in _LOST or state.startswith("08") or invalidated:
        return ServerUnreachable, f"{where}: cannot reach the database server ({_lost_reason(low)})"
    for words, reason in _UNREACHABLE_WORDS.items():
        if words in low:
            return ServerUnreachable, f"{where}: cannot reach the database server ({reason})"
    if "ssl error" in low and "syscall" not in low:
        return StoreError, (
            f"{where}: TLS with the server failed; its certificate may not be the one expected "
            f"({_first_sentence(text)})"
        )
    if type(error).__name__ == "OperationalError" and "connection" in low and "failed" in low:
        return ServerUnreachable, f"{where}: cannot reach the database server ({_first_sentence(text)})"
    return StoreError, f"{where}: database error ({_first_sentence(text)})"


def _lost_reason(low: str) -> str:
    for words, reason in _UNREACHABLE_WORDS.items():
        if words in low:
            return reason
    return "the connection was lost"


def _quoted_user(text: str) -> str:
    found = re.search(r'for user "([^"]*)"', text)
    return f"user '{found.group(1)}'" if found else "that user"


def _first_sentence(text: str) -> str:
    """The server's own words, without libpq's 'connection to server at ... failed:' preamble."""
    text = re.sub(r"^connection failed:\s*", "", text)
    text = re.sub(r'connection to server (at|on socket) "[^"]*"(, port \d+)? failed:\s*', "", text)
    text = re.sub(r"^(FATAL|ERROR):\s*", "", text.strip())
    return text[:300]
