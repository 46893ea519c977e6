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
schema is portable so that the clinic server (PostgreSQL) can use it
unchanged. Backups: :mod:`nmt_bodymap.store.backup`.
"""

from nmt_bodymap.store.api import Store, default_user, open_store
from nmt_bodymap.store.errors import (
    Conflict,
    DatabaseDamaged,
    DuplicateCode,
    ImportRefused,
    NotAStore,
    NotFound,
    RecordInUse,
    SchemaTooNew,
    StoreError,
)
from nmt_bodymap.store.exchange import read_session_file, visit_file_name
from nmt_bodymap.store.location import ENV_VAR, Database, default_path, resolve
from nmt_bodymap.store.records import BinEntry, Client, ClientSummary, Visit, VisitSummary, VisitVersion

__all__ = [
    "ENV_VAR",
    "BinEntry",
    "Client",
    "ClientSummary",
    "Conflict",
    "Database",
    "DatabaseDamaged",
    "DuplicateCode",
    "ImportRefused",
    "NotAStore",
    "NotFound",
    "RecordInUse",
    "SchemaTooNew",
    "Store",
    "StoreError",
    "Visit",
    "VisitSummary",
    "VisitVersion",
    "default_path",
    "default_user",
    "open_store",
    "read_session_file",
    "resolve",
    "visit_file_name",
]
