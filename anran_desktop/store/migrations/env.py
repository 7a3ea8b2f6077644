"""Alembic environment: always run programmatically by anran_desktop.store.db with a live connection."""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
