"""Relay r0004: a refusal's stable reason codes with their parameters, beside its text (crew laptops word
them in their own language)."""

import sqlalchemy as sa
from alembic import op

revision = "r0004"
down_revision = "r0003"


def upgrade() -> None:
    op.add_column("crew_progress", sa.Column("reason_codes", sa.Text))


def downgrade() -> None:
    op.drop_column("crew_progress", "reason_codes")
