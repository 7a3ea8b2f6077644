"""Ticket evidence, SOP checklist state, the ticket's interval history and crew positions.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

Only new tables: every 0002 row stays as it was.
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

DDL = [
    # Evidence attached to a ticket (meter/gauge/retest readings, photos, notes, valve tests); ``stage`` is
    # the status it was taken in; ``reading_id`` links a stored meter reading, ``photo_path`` an image
    # relative to the evidence folder.
    """CREATE TABLE ticket_evidence (id INTEGER PRIMARY KEY, ticket_id TEXT NOT NULL REFERENCES tickets(id),
        time TEXT NOT NULL, actor TEXT NOT NULL, kind TEXT NOT NULL, stage TEXT NOT NULL, value REAL,
        unit TEXT, note TEXT, node_id TEXT, reading_id INTEGER REFERENCES meter_readings(id), photo_path TEXT,
        detail TEXT)""",
    "CREATE INDEX ix_ticket_evidence_ticket ON ticket_evidence(ticket_id, id)",
    # SOP checklist state: one row per ticket and item (done 0/1, who/when last changed it).
    """CREATE TABLE ticket_checklist (ticket_id TEXT NOT NULL REFERENCES tickets(id), item_id TEXT NOT NULL,
        stage TEXT NOT NULL, done INTEGER NOT NULL DEFAULT 0, actor TEXT NOT NULL, time TEXT NOT NULL,
        PRIMARY KEY (ticket_id, item_id))""",
    # Every interval a ticket had: the engine's first one and each one evidence narrowed it to.
    """CREATE TABLE ticket_intervals (id INTEGER PRIMARY KEY, ticket_id TEXT NOT NULL REFERENCES tickets(id),
        time TEXT NOT NULL, actor TEXT NOT NULL, source TEXT NOT NULL, pipes TEXT NOT NULL, length_m REAL,
        confidence REAL, note TEXT)""",
    "CREATE INDEX ix_ticket_intervals_ticket ON ticket_intervals(ticket_id, id)",
    # Last known position of each crew member (set on arrival at a ticket or from crew mode).
    """CREATE TABLE crew_positions (username TEXT PRIMARY KEY, lon REAL NOT NULL, lat REAL NOT NULL,
        time TEXT NOT NULL, source TEXT NOT NULL)""",
]


def upgrade() -> None:
    for statement in DDL:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("AnRan databases only move forward")
