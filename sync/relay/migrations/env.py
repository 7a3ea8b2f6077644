"""Alembic environment for the relay (connection passed in by sync.relay.migrate)."""

from alembic import context

from sync.relay.tables import metadata

conn = context.config.attributes["connection"]
context.configure(connection=conn, target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()
