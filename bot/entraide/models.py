"""Tracked questions of the help channel, their replies and reactions, and the digest runs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UTCDateTime, utcnow

OPEN = "open"
CLAIMED = "claimed"
RESOLVED = "resolved"


class Question(Base):
    __tablename__ = "entraide_questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel_id: Mapped[str] = mapped_column(String(64))
    root_post_id: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    card_post_id: Mapped[str | None] = mapped_column(String(64), nullable=True)  # post carrying the buttons
    asker_id: Mapped[str] = mapped_column(String(64))
    asker_name: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default=OPEN)
    claimed_by_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    claimed_by_name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    resolved_by_id: Mapped[str | None] = mapped_column(String(64), nullable=True)  # who closed it
    resolver_id: Mapped[str | None] = mapped_column(String(64), nullable=True)  # whose answer solved it, if known
    resolver_name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    reply_count: Mapped[int] = mapped_column(Integer, default=0)  # replies by people other than the asker
    first_reply_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_reply_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    __table_args__ = (
        Index("ix_entraide_questions_status_created_at", "status", "created_at"),
        Index("ix_entraide_questions_resolved_at", "resolved_at"),
    )


class Reply(Base):
    __tablename__ = "entraide_replies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("entraide_questions.id", ondelete="CASCADE"))
    post_id: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[str] = mapped_column(String(64))
    user_name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_entraide_replies_question_id_user_id", "question_id", "user_id"),)


class Reaction(Base):
    __tablename__ = "entraide_reactions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("entraide_questions.id", ondelete="CASCADE"), index=True)
    post_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(String(64))
    emoji: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("post_id", "user_id", "emoji", name="uq_entraide_reactions_post_user_emoji"),)


class DigestRun(Base):
    """One row per channel and period: the unique constraint is what makes a digest happen once."""

    __tablename__ = "digest_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(200))
    period_start: Mapped[datetime] = mapped_column(UTCDateTime)
    period_end: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16))  # queued | empty
    outbox_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    worker_id: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("channel", "period_end", name="uq_digest_runs_channel_period_end"),)
