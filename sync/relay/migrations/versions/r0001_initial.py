"""Relay initial schema: sites, households, accounts, pushed events, notifications, resident items."""

from alembic import op

from sync.relay.tables import metadata

revision = "r0001"
down_revision = None


def upgrade() -> None:
    metadata.create_all(op.get_bind())
