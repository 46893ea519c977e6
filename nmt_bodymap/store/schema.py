"""The practice database's tables, in portable SQLAlchemy Core types.

The same schema runs on SQLite (the default, one file) and PostgreSQL (the
clinic server of issue 16): no backend-specific types or SQL. Alembic
migrations in ``migrations/versions`` create and change it; a test checks
that the migrations produce exactly these tables.

* ``clients``: one row per client. ``code_key`` (the code, case-folded) is
  unique; ``name_key``/``search_key`` are normalised for exact-name lookups
  and substring search. ``visit_count``/``last_visit`` are kept current by
  every visit write so the client list never aggregates the visits.
* ``visits``: one row per visit. ``document`` is the visit's session as
  ``.nmt`` JSON (the drawing, findings, notes, treatment: new session
  fields arrive without a schema change); the columns beside it are
  denormalised from it at save time for the lists and the progress series.
  ``version`` is bumped by every change (optimistic concurrency).
* ``visit_versions``: the earlier versions of closed visits (amendment
  history), with when, by whom and why each was replaced.
* ``saves``: client-generated ids of saves already applied (the outbox's
  exactly-once delivery), with the visit and the version each produced.
* Rows with ``deleted_at`` set are in the bin.

On PostgreSQL the search key has a trigram index (``pg_trgm``) and triggers
announce changes (see ``migrations/versions/0002_clinic.py``); the tables
and columns are the same on both.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

#: The newest migration this version knows; a database at another revision it does not know is refused.
HEAD_REVISION = "0002_clinic"

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

clients = Table(
    "clients",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("code", String(64), nullable=False),
    Column("code_key", String(64), nullable=False, unique=True),
    Column("name", String(200), nullable=False, server_default=""),
    Column("name_key", String(200), nullable=False, server_default=""),
    Column("search_key", String(300), nullable=False, server_default=""),
    Column("birth_date", Date, nullable=True),
    Column("contact", Text, nullable=False, server_default=""),
    Column("notes", Text, nullable=False, server_default=""),
    Column("visit_count", Integer, nullable=False, server_default="0"),
    Column("last_visit", Date, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(100), nullable=False, server_default=""),
    Column("updated_by", String(100), nullable=False, server_default=""),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("deleted_at", DateTime(timezone=True), nullable=True),
    Index(None, "name_key"),
    Index(None, "deleted_at", "name_key", "code_key"),
    # a trigram GIN index on PostgreSQL (the search's LIKE '%word%'); a plain one on SQLite
    Index(
        "ix_clients_search_key_trgm",
        "search_key",
        postgresql_using="gin",
        postgresql_ops={"search_key": "gin_trgm_ops"},
    ),
)

visits = Table(
    "visits",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("client_id", Integer, ForeignKey("clients.id", ondelete="CASCADE"), nullable=False),
    Column("visit_date", Date, nullable=False),
    Column("therapist", String(200), nullable=False, server_default=""),
    Column("document", Text, nullable=False),
    Column("closed_at", DateTime(timezone=True), nullable=True),
    Column("closed_by", String(100), nullable=False, server_default=""),
    # denormalised from the document at save time (see nmt_bodymap.progress)
    Column("pain_before", Integer, nullable=True),
    Column("pain_after", Integer, nullable=True),
    Column("extent_percent", Float, nullable=False, server_default="0"),
    Column("extent_by_view", Text, nullable=False, server_default="{}"),  # JSON {view: percent}
    Column("painted_area_mm2", Float, nullable=False, server_default="0"),
    Column("weighted_area_mm2", Float, nullable=False, server_default="0"),
    Column("max_intensity", Integer, nullable=True),
    Column("mean_intensity", Float, nullable=True),
    Column("regions", Text, nullable=False, server_default="[]"),  # JSON list of region ids
    Column("jaccard_previous", Float, nullable=True),
    Column("metrics_version", Integer, nullable=False, server_default="0"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(100), nullable=False, server_default=""),
    Column("updated_by", String(100), nullable=False, server_default=""),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("deleted_at", DateTime(timezone=True), nullable=True),
    Index(None, "client_id", "deleted_at", "visit_date", "id"),
)

visit_versions = Table(
    "visit_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("visit_id", Integer, ForeignKey("visits.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("visit_date", Date, nullable=False),
    Column("therapist", String(200), nullable=False, server_default=""),
    Column("document", Text, nullable=False),
    Column("saved_at", DateTime(timezone=True), nullable=False),
    Column("saved_by", String(100), nullable=False, server_default=""),
    Column("replaced_at", DateTime(timezone=True), nullable=False),
    Column("replaced_by", String(100), nullable=False, server_default=""),
    Column("reason", Text, nullable=False, server_default=""),
    Index(None, "visit_id", "version"),
)

saves = Table(
    "saves",
    metadata,
    Column("save_id", String(36), primary_key=True),
    Column("visit_id", Integer, ForeignKey("visits.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("saved_at", DateTime(timezone=True), nullable=False),
    Column("saved_by", String(100), nullable=False, server_default=""),
    Index(None, "visit_id"),
)
