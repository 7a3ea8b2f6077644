"""Crew tickets through the relay: what was published for whom, and the crew's progress records.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

Only new tables: every 0003 row stays as it was.
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

DDL = [
    # Dispatch desktop: the version of each ticket last published to the relay (and the digest of what was
    # sent, so a change bumps the version). Crew laptop: the version of each ticket pulled from the relay.
    # state: published | rejected (error says why) | pulled.
    """CREATE TABLE relay_tickets (ticket_id TEXT PRIMARY KEY REFERENCES tickets(id), version INTEGER NOT NULL,
        digest TEXT, state TEXT NOT NULL, error TEXT, time TEXT NOT NULL)""",
    # Progress records of crew tickets. direction 'out' (crew laptop: captured from its own audit rows and
    # queued until the relay has them) or 'in' (dispatch desktop: pulled and applied or refused).
    # state: out pending → sent → applied | refused; in applied | refused (reported_at once the relay knows).
    """CREATE TABLE crew_progress (progress_id TEXT PRIMARY KEY, direction TEXT NOT NULL,
        ticket_id TEXT NOT NULL, actor TEXT NOT NULL, kind TEXT NOT NULL, payload TEXT NOT NULL,
        photo_path TEXT, created_at TEXT NOT NULL, state TEXT NOT NULL, reason TEXT, audit_id INTEGER,
        attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, updated_at TEXT NOT NULL, reported_at TEXT)""",
    "CREATE INDEX ix_crew_progress_state ON crew_progress(direction, state)",
    "CREATE INDEX ix_crew_progress_ticket ON crew_progress(ticket_id, created_at)",
]


def upgrade() -> None:
    for statement in DDL:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("AnRan databases only move forward")
