"""Relay r0002: staff accounts (dispatcher, crew, property manager) bound to a site; stored photos."""

import sqlalchemy as sa
from alembic import op

revision = "r0002"
down_revision = "r0001"


def upgrade() -> None:
    op.create_table(
        "staff_accounts",
        sa.Column("account_id", sa.Integer, sa.ForeignKey("accounts.id"), primary_key=True),
        sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id"), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_staff_accounts_site_id", "staff_accounts", ["site_id"])
    op.create_table(
        "photos",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("site_id", sa.Integer, nullable=False),
        sa.Column("household_id", sa.String(64), nullable=False),
        sa.Column("area", sa.String(64), nullable=False),
        sa.Column("field", sa.String(40), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("masked", sa.Integer, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_photos_event_id", "photos", ["event_id"])


def downgrade() -> None:
    op.drop_index("ix_photos_event_id", "photos")
    op.drop_table("photos")
    op.drop_index("ix_staff_accounts_site_id", "staff_accounts")
    op.drop_table("staff_accounts")
