"""Writing to the outbox and reading its delivery report; runs inside the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.replies import Card
from bot.db import utcnow
from bot.db.insert import insert_ignore
from bot.outbox.cards import cards_to_json
from bot.outbox.models import CANCELLED, PENDING, OutboxItem

DEFAULT_LIFETIME = timedelta(days=7)


@dataclass(frozen=True)
class Delivery:
    """Where one outbox message stands; what the delivery report and the outcome hooks receive."""

    key: str
    channel: str
    team: str
    status: str  # pending | sending | sent | failed | cancelled
    attempts: int
    post_id: str | None
    error: str | None
    next_attempt_at: datetime
    finished_at: datetime | None
    props: dict[str, Any]

    @classmethod
    def of(cls, item: OutboxItem) -> Delivery:
        return cls(item.key, item.channel, item.team, item.status, item.attempts, item.post_id, item.last_error,
                   item.next_attempt_at, item.finished_at, dict(item.props or {}))


def enqueue(
    session: Session, key: str, channel: str, message: str, cards: list[Card] | None = None,
    props: dict[str, Any] | None = None, not_before: datetime | None = None, *, team: str = "",
    channel_id: str | None = None, root_id: str = "", command: str = "", expires_at: datetime | None = None,
    now: datetime | None = None,
) -> bool:
    """Queue a post; False when `key` is already queued (or was sent): the unique key makes retries harmless.

    Uses INSERT … ON CONFLICT DO NOTHING so two processes racing on the same key never raise.
    """
    now = now or utcnow()
    start = not_before or now
    values = dict(
        key=key, channel=channel.lstrip("~"), team=team, channel_id=channel_id, root_id=root_id, message=message,
        cards=cards_to_json(cards), props=props or None, command=command, status=PENDING, attempts=0,
        next_attempt_at=start, expires_at=expires_at or start + DEFAULT_LIFETIME, hook_done=True, created_at=now,
    )
    return insert_ignore(session, OutboxItem, values) is not None


def delivery(session: Session, key: str) -> Delivery | None:
    item = session.scalar(select(OutboxItem).where(OutboxItem.key == key))
    return Delivery.of(item) if item else None


def deliveries(session: Session, prefix: str) -> list[Delivery]:
    """The per-key delivery report for every key starting with `prefix` (e.g. `annonce:42:`), by key."""
    rows = session.scalars(select(OutboxItem).where(OutboxItem.key.startswith(prefix, autoescape=True))
                           .order_by(OutboxItem.key))
    return [Delivery.of(r) for r in rows]


def _editable(session: Session, key: str) -> OutboxItem | None:
    item = session.scalar(select(OutboxItem).where(OutboxItem.key == key).with_for_update())
    return item if item is not None and item.status == PENDING and item.attempts == 0 else None


def cancel(session: Session, key: str) -> bool:
    """Cancel a message that has not been tried yet; False if it is already out (or being sent)."""
    item = _editable(session, key)
    if item is None:
        return False
    item.status = CANCELLED
    item.finished_at = utcnow()
    return True


def reschedule(
    session: Session, key: str, *, message: str | None = None, cards: list[Card] | None = None,
    props: dict[str, Any] | None = None, not_before: datetime | None = None,
) -> bool:
    """Edit a message that has not been tried yet (scheduled announcements); False if too late."""
    item = _editable(session, key)
    if item is None:
        return False
    if message is not None:
        item.message = message
    if cards is not None:
        item.cards = cards_to_json(cards)
    if props is not None:
        item.props = props
    if not_before is not None:
        item.expires_at = not_before + (item.expires_at - item.next_attempt_at)
        item.next_attempt_at = not_before
    return True
