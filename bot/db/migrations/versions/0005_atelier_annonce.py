"""atelier + annonce: workshop ideas (votes, feedback, idea of the month), announcements and read receipts

Revision ID: 0005_atelier_annonce
Revises: 0001_foundation
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db.base import JSONType, UTCDateTime

revision = "0005_atelier_annonce"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "atelier_ideas",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("publics", JSONType, nullable=False),
        sa.Column("thematiques", JSONType, nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=True),
        sa.Column("level", sa.String(20), nullable=True),
        sa.Column("equipment", sa.Text(), nullable=False),
        sa.Column("outline", sa.Text(), nullable=False),
        sa.Column("link", sa.String(500), nullable=False),
        sa.Column("author_id", sa.String(64), nullable=False),
        sa.Column("author_name", sa.String(100), nullable=False),
        sa.Column("channel_id", sa.String(64), nullable=False),
        sa.Column("post_id", sa.String(64), nullable=True),
        sa.Column("votes", sa.Integer(), nullable=False),
        sa.Column("feedback_count", sa.Integer(), nullable=False),
        sa.Column("is_example", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_atelier_ideas"),
        sa.UniqueConstraint("post_id", name="uq_atelier_ideas_post_id"),
    )
    op.create_index("ix_atelier_ideas_author_id", "atelier_ideas", ["author_id"])
    op.create_index("ix_atelier_ideas_created_at", "atelier_ideas", ["created_at"])

    op.create_table(
        "atelier_reactions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("emoji_name", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.ForeignKeyConstraint(["idea_id"], ["atelier_ideas.id"], ondelete="CASCADE",
                                name="fk_atelier_reactions_idea_id_atelier_ideas"),
        sa.PrimaryKeyConstraint("id", name="pk_atelier_reactions"),
        sa.UniqueConstraint("idea_id", "user_id", "emoji_name", name="uq_atelier_reactions_idea_id"),
    )

    op.create_table(
        "atelier_feedback",
        sa.Column("post_id", sa.String(64), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.ForeignKeyConstraint(["idea_id"], ["atelier_ideas.id"], ondelete="CASCADE",
                                name="fk_atelier_feedback_idea_id_atelier_ideas"),
        sa.PrimaryKeyConstraint("post_id", name="pk_atelier_feedback"),
    )
    op.create_index("ix_atelier_feedback_idea_id", "atelier_feedback", ["idea_id"])

    op.create_table(
        "atelier_pins",
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("pinned_by", sa.String(100), nullable=False),
        sa.Column("pinned_at", UTCDateTime, nullable=False),
        sa.ForeignKeyConstraint(["idea_id"], ["atelier_ideas.id"], ondelete="CASCADE",
                                name="fk_atelier_pins_idea_id_atelier_ideas"),
        sa.PrimaryKeyConstraint("month", name="pk_atelier_pins"),
    )
    op.create_index("ix_atelier_pins_idea_id", "atelier_pins", ["idea_id"])

    op.create_table(
        "annonces",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("author_id", sa.String(64), nullable=False),
        sa.Column("author_name", sa.String(100), nullable=False),
        sa.Column("origin_channel_id", sa.String(64), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("targets", JSONType, nullable=False),
        sa.Column("send_at", UTCDateTime, nullable=False),
        sa.Column("ack_requested", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.Column("finished_at", UTCDateTime, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_annonces"),
    )
    op.create_index("ix_annonces_author_id", "annonces", ["author_id"])
    op.create_index("ix_annonces_send_at", "annonces", ["send_at"])
    op.create_index("ix_annonces_status", "annonces", ["status"])

    op.create_table(
        "annonce_acks",
        sa.Column("announcement_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("user_name", sa.String(100), nullable=False),
        sa.Column("channel_id", sa.String(64), nullable=False),
        sa.Column("acked_at", UTCDateTime, nullable=False),
        sa.ForeignKeyConstraint(["announcement_id"], ["annonces.id"], ondelete="CASCADE",
                                name="fk_annonce_acks_announcement_id_annonces"),
        sa.PrimaryKeyConstraint("announcement_id", "user_id", name="pk_annonce_acks"),
    )


def downgrade() -> None:
    op.drop_table("annonce_acks")
    op.drop_index("ix_annonces_status", table_name="annonces")
    op.drop_index("ix_annonces_send_at", table_name="annonces")
    op.drop_index("ix_annonces_author_id", table_name="annonces")
    op.drop_table("annonces")
    op.drop_index("ix_atelier_pins_idea_id", table_name="atelier_pins")
    op.drop_table("atelier_pins")
    op.drop_index("ix_atelier_feedback_idea_id", table_name="atelier_feedback")
    op.drop_table("atelier_feedback")
    op.drop_table("atelier_reactions")
    op.drop_index("ix_atelier_ideas_created_at", table_name="atelier_ideas")
    op.drop_index("ix_atelier_ideas_author_id", table_name="atelier_ideas")
    op.drop_table("atelier_ideas")
