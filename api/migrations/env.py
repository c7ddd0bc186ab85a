"""Alembic environment: migrations run on the connection `api.migrate` hands in."""

from __future__ import annotations

from alembic import context

from content.tables import metadata

config = context.config
connection = config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
