"""counsellor territory: the commune each counsellor works in (/annuaire ma-commune)

Revision ID: 0020_counsellor_territory
Revises: 0015_directory_refresh
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db.base import UTCDateTime

revision = "0020_counsellor_territory"
down_revision = "0015_directory_refresh"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "counsellor_territories",
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("insee", sa.String(5), nullable=True),
        sa.Column("label", sa.String(200), nullable=True),
        sa.Column("prompted_at", UTCDateTime, nullable=True),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("user_id", name="pk_counsellor_territories"),
    )


def downgrade() -> None:
    op.drop_table("counsellor_territories")
