"""Tickets keep the title parts of the alarm they were made from, so a window (or a crew laptop that only
has the relay's copy) in another language can word the title.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

One new nullable column; tickets made from an alarm whose stored detail has ``title_parts`` get them copied
from it. Every 0004 row stays as it was.
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE tickets ADD COLUMN title_parts TEXT")
    op.execute("""UPDATE tickets SET title_parts = (
                      SELECT json_extract(a.detail, '$.title_parts') FROM alarms a WHERE a.id = tickets.alarm_id
                      AND json_valid(a.detail) AND json_type(a.detail, '$.title_parts') = 'object')
                  WHERE alarm_id IS NOT NULL""")


def downgrade() -> None:
    raise NotImplementedError("AnRan databases only move forward")
