"""Index the audit log by entity, so a ticket's or alarm's audit trail is read without a full scan.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX IF NOT EXISTS ix_audit_log_entity ON audit_log(entity, entity_id, id)")


def downgrade() -> None:
    raise NotImplementedError("AnRan databases only move forward")
