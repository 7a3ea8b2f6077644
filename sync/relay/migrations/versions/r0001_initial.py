"""Relay initial schema: sites, households, accounts, pushed events, notifications, resident items.

Creates only the tables of this revision; later schema changes get their own revision with explicit
``op.create_table`` / ``op.add_column`` calls.
"""

from alembic import op

from sync.relay.tables import metadata

revision = "r0001"
down_revision = None

TABLES = ("relay_meta", "sites", "households", "accounts", "pushed_events", "notifications", "resident_items",
          "meter_readings", "points")


def upgrade() -> None:
    metadata.create_all(op.get_bind(), tables=[metadata.tables[n] for n in TABLES])
