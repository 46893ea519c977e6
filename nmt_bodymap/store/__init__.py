"""Client records: clients, their visits, amendment history and the bin, in one database.

Qt-free, and imported only when records are used (never at app start). The
public API is this module's names; everything else in the package is
private::

    from nmt_bodymap.store import open_store

    with open_store() as store:                      # --db / NMT_BODYMAP_DB / the default file
        client = store.add_client("C-017", "Alex Example")
        store.add_visit(client.id, session)          # a nmt_bodymap.session.Session
        for visit in store.visits(client.id):        # oldest first, with the progress figures
            print(visit.date, visit.extent_percent, visit.jaccard_previous)

The database is SQLite by default (``practice.sqlite3`` in the app's data
folder, owner-only, WAL, foreign keys, every write one transaction); the
same schema and migrations run on a clinic's PostgreSQL server
(``postgresql://USER@HOST:PORT/DB``, :mod:`nmt_bodymap.store.server`), where
several therapists work at once::

    try:
        store.update_visit(visit.id, edited, expected_version=visit.version)
    except Conflict as conflict:                     # someone saved it first: nothing was overwritten
        show(conflict.mine, conflict.theirs)         # both documents
    result = save_visit(store, session, client_id=client.id)   # queued locally if the server is gone
    flush_outbox(store)                              # later: delivers the queue, exactly once
    with store.watch_changes() as watcher:           # other therapists' changes
        changes = watcher.poll(timeout=1.0)

Backups: :mod:`nmt_bodymap.store.backup` (a server is backed up with ``pg_dump``).
"""

from nmt_bodymap.store.api import Store, default_user, open_store
from nmt_bodymap.store.changes import Changes, ChangeWatcher
from nmt_bodymap.store.delivery import FlushReport, flush_outbox, save_visit
from nmt_bodymap.store.errors import (
    AccessDenied,
    Conflict,
    DatabaseDamaged,
    DuplicateCode,
    ImportRefused,
    NotAStore,
    NotFound,
    RecordInUse,
    SchemaTooNew,
    ServerUnreachable,
    StoreError,
)
from nmt_bodymap.store.exchange import read_session_file, visit_file_name
from nmt_bodymap.store.location import ENV_VAR, SSL_MODES, Database, default_path, resolve
from nmt_bodymap.store.outbox import Outbox, QueuedSave
from nmt_bodymap.store.probe import Probe, probe
from nmt_bodymap.store.records import BinEntry, Client, ClientSummary, Visit, VisitSummary, VisitVersion

__all__ = [
    "ENV_VAR",
    "SSL_MODES",
    "AccessDenied",
    "BinEntry",
    "ChangeWatcher",
    "Changes",
    "Client",
    "ClientSummary",
    "Conflict",
    "Database",
    "DatabaseDamaged",
    "DuplicateCode",
    "FlushReport",
    "ImportRefused",
    "NotAStore",
    "NotFound",
    "Outbox",
    "Probe",
    "QueuedSave",
    "RecordInUse",
    "SchemaTooNew",
    "ServerUnreachable",
    "Store",
    "StoreError",
    "Visit",
    "VisitSummary",
    "VisitVersion",
    "default_path",
    "default_user",
    "flush_outbox",
    "open_store",
    "probe",
    "read_session_file",
    "resolve",
    "save_visit",
    "visit_file_name",
]
