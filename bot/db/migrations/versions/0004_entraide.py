"""entraide: tracked questions, replies, reactions, digest runs, and the durable outbox

Revision ID: 0004_entraide
Revises: 0001_foundation
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db.base import JSONType, UTCDateTime

revision = "0004_entraide"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("channel", sa.String(200), nullable=False),
        sa.Column("team", sa.String(100), nullable=False),
        sa.Column("channel_id", sa.String(64), nullable=True),
        sa.Column("root_id", sa.String(64), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("cards", JSONType, nullable=True),
        sa.Column("props", JSONType, nullable=True),
        sa.Column("command", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", UTCDateTime, nullable=False),
        sa.Column("expires_at", UTCDateTime, nullable=False),
        sa.Column("claimed_by", sa.String(100), nullable=True),
        sa.Column("lease_until", UTCDateTime, nullable=True),
        sa.Column("post_id", sa.String(64), nullable=True),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("hook_done", sa.Boolean, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("first_attempt_at", UTCDateTime, nullable=True),
        sa.Column("finished_at", UTCDateTime, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        sa.UniqueConstraint("key", name="uq_outbox_key"),
    )
    op.create_index("ix_outbox_status_next_attempt_at", "outbox", ["status", "next_attempt_at"])

    op.create_table(
        "entraide_questions",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("channel_id", sa.String(64), nullable=False),
        sa.Column("root_post_id", sa.String(64), nullable=True),
        sa.Column("card_post_id", sa.String(64), nullable=True),
        sa.Column("asker_id", sa.String(64), nullable=False),
        sa.Column("asker_name", sa.String(100), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("claimed_by_id", sa.String(64), nullable=True),
        sa.Column("claimed_by_name", sa.String(100), nullable=True),
        sa.Column("claimed_at", UTCDateTime, nullable=True),
        sa.Column("resolved_at", UTCDateTime, nullable=True),
        sa.Column("resolved_by_id", sa.String(64), nullable=True),
        sa.Column("resolver_id", sa.String(64), nullable=True),
        sa.Column("resolver_name", sa.String(100), nullable=True),
        sa.Column("reply_count", sa.Integer, nullable=False),
        sa.Column("first_reply_at", UTCDateTime, nullable=True),
        sa.Column("last_reply_at", UTCDateTime, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_entraide_questions"),
        sa.UniqueConstraint("root_post_id", name="uq_entraide_questions_root_post_id"),
    )
    op.create_index("ix_entraide_questions_status_created_at", "entraide_questions", ["status", "created_at"])
    op.create_index("ix_entraide_questions_resolved_at", "entraide_questions", ["resolved_at"])

    op.create_table(
        "entraide_replies",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("question_id", sa.Integer, nullable=False),
        sa.Column("post_id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("user_name", sa.String(100), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.ForeignKeyConstraint(["question_id"], ["entraide_questions.id"], ondelete="CASCADE",
                                name="fk_entraide_replies_question_id_entraide_questions"),
        sa.PrimaryKeyConstraint("id", name="pk_entraide_replies"),
        sa.UniqueConstraint("post_id", name="uq_entraide_replies_post_id"),
    )
    op.create_index("ix_entraide_replies_question_id_user_id", "entraide_replies", ["question_id", "user_id"])

    op.create_table(
        "entraide_reactions",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("question_id", sa.Integer, nullable=False),
        sa.Column("post_id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("emoji", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.ForeignKeyConstraint(["question_id"], ["entraide_questions.id"], ondelete="CASCADE",
                                name="fk_entraide_reactions_question_id_entraide_questions"),
        sa.PrimaryKeyConstraint("id", name="pk_entraide_reactions"),
        sa.UniqueConstraint("post_id", "user_id", "emoji", name="uq_entraide_reactions_post_user_emoji"),
    )
    op.create_index("ix_entraide_reactions_question_id", "entraide_reactions", ["question_id"])

    op.create_table(
        "digest_runs",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("channel", sa.String(200), nullable=False),
        sa.Column("period_start", UTCDateTime, nullable=False),
        sa.Column("period_end", UTCDateTime, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("outbox_key", sa.String(200), nullable=True),
        sa.Column("worker_id", sa.String(100), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_digest_runs"),
        sa.UniqueConstraint("channel", "period_end", name="uq_digest_runs_channel_period_end"),
    )


def downgrade() -> None:
    op.drop_table("digest_runs")
    op.drop_index("ix_entraide_reactions_question_id", table_name="entraide_reactions")
    op.drop_table("entraide_reactions")
    op.drop_index("ix_entraide_replies_question_id_user_id", table_name="entraide_replies")
    op.drop_table("entraide_replies")
    op.drop_index("ix_entraide_questions_resolved_at", table_name="entraide_questions")
    op.drop_index("ix_entraide_questions_status_created_at", table_name="entraide_questions")
    op.drop_table("entraide_questions")
    op.drop_index("ix_outbox_status_next_attempt_at", table_name="outbox")
    op.drop_table("outbox")
