"""The clinic server: delivered saves, a search index, change notifications.

Revision ID: 0002_clinic
Revises: 0001_initial

* ``saves``: the client-generated id of every save delivered from the
  outbox (or given by the app), with the visit and version it produced, so
  a save retried after a lost acknowledgement is recognised and not applied
  twice.
* ``ix_clients_search_key_trgm``: on PostgreSQL a trigram index (pg_trgm,
  GIN) that answers the client search's ``LIKE '%word%'``; on SQLite, which
  cannot use an index for that, a plain index of the same name on the same
  column.
* On PostgreSQL, triggers that announce every change of a client or a visit
  on the channels ``clients_changed`` and ``visits_changed`` (payload: the
  client's id), delivered when the transaction commits, so other
  therapists' lists refresh (``Store.watch_changes``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_clinic"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

_NOTIFY = {
    "clients": ("clients_changed", "id"),
    "visits": ("visits_changed", "client_id"),
}


def upgrade() -> None:
    op.create_table(
        "saves",
        sa.Column("save_id", sa.String(36), nullable=False),
        sa.Column("visit_id", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("saved_by", sa.String(100), nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("save_id", name="pk_saves"),
        sa.ForeignKeyConstraint(["visit_id"], ["visits.id"], name="fk_saves_visit_id_visits", ondelete="CASCADE"),
    )
    op.create_index("ix_saves_visit_id", "saves", ["visit_id"])
    if op.get_bind().dialect.name != "postgresql":
        op.create_index("ix_clients_search_key_trgm", "clients", ["search_key"])
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_index(
        "ix_clients_search_key_trgm",
        "clients",
        ["search_key"],
        postgresql_using="gin",
        postgresql_ops={"search_key": "gin_trgm_ops"},
    )
    for table, (channel, column) in _NOTIFY.items():
        op.execute(
            f"""
            CREATE FUNCTION nmt_notify_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('{channel}', (CASE WHEN TG_OP = 'DELETE' THEN OLD.{column}
                                                     ELSE NEW.{column} END)::text);
                RETURN NULL;
            END $$
            """
        )
        op.execute(
            f"CREATE TRIGGER trg_{table}_notify AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION nmt_notify_{table}()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in _NOTIFY:
            op.execute(f"DROP TRIGGER IF EXISTS trg_{table}_notify ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS nmt_notify_{table}()")
    op.drop_index("ix_clients_search_key_trgm", "clients")
    op.drop_table("saves")
