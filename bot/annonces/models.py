"""Announcements and their read receipts. Per-channel delivery lives in the outbox (key `annonce:<id>:<channel id>`),
so exactly-once posting, retries and the delivery report come from one place."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, JSONType, UTCDateTime, utcnow

SCHEDULED = "scheduled"  # queued in the outbox, not (entirely) delivered yet
DONE = "done"  # every channel delivered or given up; report sent to the author
CANCELLED = "cancelled"


class Announcement(Base):
    __tablename__ = "annonces"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    author_id: Mapped[str] = mapped_column(String(64), index=True)
    author_name: Mapped[str] = mapped_column(String(100))
    origin_channel_id: Mapped[str] = mapped_column(String(64), default="")  # where /annonce was typed
    message: Mapped[str] = mapped_column(Text)
    # [{"channel_id", "name", "team", "display", "key"}]: resolved when the announcement is saved.
    targets: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    send_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ack_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default=SCHEDULED, index=True)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Acknowledgement(Base):
    """One "Lu ✅" click; a second click by the same person changes nothing."""

    __tablename__ = "annonce_acks"

    announcement_id: Mapped[int] = mapped_column(ForeignKey("annonces.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_name: Mapped[str] = mapped_column(String(100))
    channel_id: Mapped[str] = mapped_column(String(64), default="")
    acked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
