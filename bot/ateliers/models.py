"""Tables of workshop ideas. Votes and feedback are stored per user/post so that replayed WebSocket
events (live, then again in the catch-up after a reconnect) never count twice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, JSONType, UTCDateTime, utcnow


class Idea(Base):
    __tablename__ = "atelier_ideas"
    __table_args__ = {"sqlite_autoincrement": True}  # a deleted idea's number is never given again (links)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    publics: Mapped[list[str]] = mapped_column(JSONType, default=list)
    thematiques: Mapped[list[str]] = mapped_column(JSONType, default=list)
    duration_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    level: Mapped[str | None] = mapped_column(String(20), nullable=True)
    equipment: Mapped[str] = mapped_column(Text, default="")
    outline: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(500), default="")
    author_id: Mapped[str] = mapped_column(String(64), index=True)
    author_name: Mapped[str] = mapped_column(String(100))
    channel_id: Mapped[str] = mapped_column(String(64), default="")
    post_id: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    votes: Mapped[int] = mapped_column(Integer, default=0)  # distinct users who reacted to the post
    feedback_count: Mapped[int] = mapped_column(Integer, default=0)  # thread replies from people
    is_example: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class IdeaReaction(Base):
    __tablename__ = "atelier_reactions"
    __table_args__ = (UniqueConstraint("idea_id", "user_id", "emoji_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("atelier_ideas.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(64))
    emoji_name: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class IdeaFeedback(Base):
    """One thread reply under an idea's post (the reply's text stays in Mattermost)."""

    __tablename__ = "atelier_feedback"

    post_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("atelier_ideas.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class IdeaPin(Base):
    """"Idée du mois": one per calendar month of the network's time zone ("2026-11")."""

    __tablename__ = "atelier_pins"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("atelier_ideas.id", ondelete="CASCADE"), index=True)
    pinned_by: Mapped[str] = mapped_column(String(100))
    pinned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
