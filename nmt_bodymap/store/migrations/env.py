"""Alembic environment: migrate the connection the store hands over, in its transaction."""

from __future__ import annotations

from alembic import context

from nmt_bodymap.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,  # SQLite alters tables by copying them; autogenerate writes it that way
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
