"""directory refresh: closed places (kept, hidden, reversible) and one row per scheduled source refresh

Revision ID: 0015_directory_refresh
Revises: 0002_directory
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db.base import UTCDateTime

revision = "0015_directory_refresh"
down_revision = "0002_directory"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("directory_places") as batch:
        batch.add_column(sa.Column("closed_at", UTCDateTime, nullable=True))
        batch.add_column(sa.Column("closed_by", sa.String(200), nullable=True))
    op.create_index("ix_directory_places_closed_at", "directory_places", ["closed_at"])
    op.create_table(
        "directory_refresh_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source_name", sa.String(100), nullable=False),
        sa.Column("fire_time", UTCDateTime, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.String(100), nullable=False),
        sa.Column("started_at", UTCDateTime, nullable=False),
        sa.Column("finished_at", UTCDateTime, nullable=True),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("closed", sa.Integer(), nullable=False),
        sa.Column("reopened", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_directory_refresh_runs"),
        sa.UniqueConstraint("source_name", "fire_time", name="uq_directory_refresh_runs_source_name"),
    )


def downgrade() -> None:
    op.drop_table("directory_refresh_runs")
    op.drop_index("ix_directory_places_closed_at", "directory_places")
    with op.batch_alter_table("directory_places") as batch:
        batch.drop_column("closed_by")
        batch.drop_column("closed_at")
