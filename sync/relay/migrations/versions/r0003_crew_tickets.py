"""Relay r0003: tickets published for crew accounts and the crew's progress records."""

import sqlalchemy as sa
from alembic import op

revision = "r0003"
down_revision = "r0002"


def upgrade() -> None:
    op.create_table(
        "crew_tickets",
        sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id"), primary_key=True),
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("assignee", sa.String(64), nullable=False),
        sa.Column("area", sa.String(64), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_crew_tickets_assignee", "crew_tickets", ["assignee"])
    op.create_table(
        "crew_progress",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("progress_id", sa.String(64), nullable=False, unique=True),
        sa.Column("site_id", sa.Integer, nullable=False),
        sa.Column("ticket_id", sa.String(64), nullable=False),
        sa.Column("account_id", sa.Integer, nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("received_at", sa.String(32), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("resolved_at", sa.String(32)),
    )
    op.create_index("ix_crew_progress_site_id", "crew_progress", ["site_id"])


def downgrade() -> None:
    op.drop_index("ix_crew_progress_site_id", "crew_progress")
    op.drop_table("crew_progress")
    op.drop_index("ix_crew_tickets_assignee", "crew_tickets")
    op.drop_table("crew_tickets")
