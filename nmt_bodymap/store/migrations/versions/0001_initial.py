"""The first practice database: clients, visits, amendment history, the bin.

Revision ID: 0001_initial
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def _stamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False, server_default=""),
        sa.Column("updated_by", sa.String(100), nullable=False, server_default=""),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "clients",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("code_key", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False, server_default=""),
        sa.Column("name_key", sa.String(200), nullable=False, server_default=""),
        sa.Column("search_key", sa.String(300), nullable=False, server_default=""),
        sa.Column("birth_date", sa.Date, nullable=True),
        sa.Column("contact", sa.Text, nullable=False, server_default=""),
        sa.Column("notes", sa.Text, nullable=False, server_default=""),
        sa.Column("visit_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_visit", sa.Date, nullable=True),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name="pk_clients"),
        sa.UniqueConstraint("code_key", name="uq_clients_code_key"),
    )
    op.create_index("ix_clients_name_key", "clients", ["name_key"])
    op.create_index("ix_clients_deleted_at_name_key_code_key", "clients", ["deleted_at", "name_key", "code_key"])
    op.create_table(
        "visits",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("client_id", sa.Integer, nullable=False),
        sa.Column("visit_date", sa.Date, nullable=False),
        sa.Column("therapist", sa.String(200), nullable=False, server_default=""),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(100), nullable=False, server_default=""),
        sa.Column("pain_before", sa.Integer, nullable=True),
        sa.Column("pain_after", sa.Integer, nullable=True),
        sa.Column("extent_percent", sa.Float, nullable=False, server_default="0"),
        sa.Column("extent_by_view", sa.Text, nullable=False, server_default="{}"),
        sa.Column("painted_area_mm2", sa.Float, nullable=False, server_default="0"),
        sa.Column("weighted_area_mm2", sa.Float, nullable=False, server_default="0"),
        sa.Column("max_intensity", sa.Integer, nullable=True),
        sa.Column("mean_intensity", sa.Float, nullable=True),
        sa.Column("regions", sa.Text, nullable=False, server_default="[]"),
        sa.Column("jaccard_previous", sa.Float, nullable=True),
        sa.Column("metrics_version", sa.Integer, nullable=False, server_default="0"),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name="pk_visits"),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name="fk_visits_client_id_clients", ondelete="CASCADE"),
    )
    op.create_index(
        "ix_visits_client_id_deleted_at_visit_date_id", "visits", ["client_id", "deleted_at", "visit_date", "id"]
    )
    op.create_table(
        "visit_versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("visit_id", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("visit_date", sa.Date, nullable=False),
        sa.Column("therapist", sa.String(200), nullable=False, server_default=""),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("saved_by", sa.String(100), nullable=False, server_default=""),
        sa.Column("replaced_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("replaced_by", sa.String(100), nullable=False, server_default=""),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("id", name="pk_visit_versions"),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visits.id"], name="fk_visit_versions_visit_id_visits", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_visit_versions_visit_id_version", "visit_versions", ["visit_id", "version"])


def downgrade() -> None:
    op.drop_table("visit_versions")
    op.drop_table("visits")
    op.drop_table("clients")
