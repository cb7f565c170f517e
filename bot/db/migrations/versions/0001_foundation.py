"""foundation: key/value state, command tokens, processed events

Revision ID: 0001_foundation
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db.base import JSONType, UTCDateTime

revision = "0001_foundation"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kv_state",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("value", JSONType),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_kv_state"),
    )
    op.create_table(
        "command_tokens",
        sa.Column("trigger", sa.String(128), nullable=False),
        sa.Column("team_id", sa.String(64), nullable=False),
        sa.Column("command_id", sa.String(64), nullable=False),
        sa.Column("token", sa.String(128), nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("trigger", "team_id", name="pk_command_tokens"),
    )
    op.create_table(
        "processed_events",
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("processed_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_processed_events"),
    )


def downgrade() -> None:
    op.drop_table("processed_events")
    op.drop_table("command_tokens")
    op.drop_table("kv_state")
