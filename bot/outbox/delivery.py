"""Delivering the outbox: claim due messages, post them, record the outcome, retry with back-off.

Exactly once, with several `relais serve` processes on one database:
- a message is claimed with a lease before posting (`FOR UPDATE SKIP LOCKED` on PostgreSQL, a conditional
  UPDATE on SQLite), so two workers never hold it at the same time;
- every outcome is written with a fencing condition (same worker, same attempt number), so a worker whose
  lease expired cannot overwrite a newer attempt;
- each post carries its key in `props.relais_key`; before any retry the channel's recent posts are searched
  for that key, so a post Mattermost accepted just before a crash (or a timeout) is found, not repeated.
"""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, func, or_, select, update

from bot.core.context import PlatformError
from bot.db.insert import rows_changed
from bot.outbox.cards import cards_from_json
from bot.outbox.hooks import hook_for
from bot.outbox.models import FAILED, PENDING, SENDING, SENT, OutboxItem
from bot.outbox.queue import Delivery

if TYPE_CHECKING:
    from bot.core.context import App
    from bot.db import Database

log = logging.getLogger(__name__)

KEY_PROP = "relais_key"
LEASE = timedelta(seconds=120)
BACKOFF_BASE = 5.0  # seconds before the first retry
BACKOFF_CAP = 600.0  # never wait more than 10 minutes between tries
HOOK_RETRY = timedelta(seconds=30)
LOOKBACK_MARGIN = timedelta(minutes=5)  # clock skew between us and Mattermost when searching for our post


def backoff(attempts: int, rng: random.Random | None = None) -> float:
    """Exponential back-off with jitter, in seconds: ~5 s, 10 s, 20 s … capped at 10 min, randomised by ±25 %."""
    base = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** max(0, attempts - 1))
    return base * (rng or random).uniform(0.75, 1.25)


@dataclass
class DeliveryReport:
    """What one `deliver_due` call did, per key."""

    sent: list[Delivery] = field(default_factory=list)
    retrying: list[Delivery] = field(default_factory=list)
    failed: list[Delivery] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)  # keys whose lease expired mid-attempt (another worker took over)

    @property
    def by_key(self) -> dict[str, Delivery]:
        return {d.key: d for d in (*self.sent, *self.retrying, *self.failed)}

    def __bool__(self) -> bool:
        return bool(self.sent or self.retrying or self.failed or self.lost)


@dataclass(frozen=True)
class _Claimed:
    id: int
    key: str
    channel: str
    team: str
    channel_id: str | None
    root_id: str
    message: str
    cards: Any
    props: dict[str, Any]
    command: str
    attempts: int
    first_attempt_at: datetime
    expires_at: datetime


def _due(now: datetime) -> Any:
    return or_(
        and_(OutboxItem.status == PENDING, OutboxItem.next_attempt_at <= now),
        and_(OutboxItem.status == SENDING, OutboxItem.lease_until < now),
    )


def _claim(db: Database, worker_id: str, now: datetime, limit: int) -> list[_Claimed]:
    claim_values = dict(
        status=SENDING, claimed_by=worker_id, lease_until=now + LEASE, attempts=OutboxItem.attempts + 1,
        first_attempt_at=func.coalesce(OutboxItem.first_attempt_at, now),
    )
    with db.session() as s:
        candidates = select(OutboxItem.id).where(_due(now)).order_by(OutboxItem.next_attempt_at).limit(limit)
        if db.is_sqlite:
            ids = []
            for item_id in s.scalars(candidates).all():
                # Conditional claim: only one worker's UPDATE still finds the row due.
                res = s.execute(update(OutboxItem).where(OutboxItem.id == item_id, _due(now)).values(**claim_values))
                if rows_changed(res) == 1:
                    ids.append(item_id)
        else:
            ids = list(s.scalars(candidates.with_for_update(skip_locked=True)).all())
            if ids:
                s.execute(update(OutboxItem).where(OutboxItem.id.in_(ids)).values(**claim_values))
        if not ids:
            return []
        rows = s.scalars(select(OutboxItem).where(OutboxItem.id.in_(ids)).order_by(OutboxItem.next_attempt_at))
        return [
            _Claimed(r.id, r.key, r.channel, r.team, r.channel_id, r.root_id, r.message, r.cards, dict(r.props or {}),
                     r.command, r.attempts, r.first_attempt_at or now, r.expires_at)
            for r in rows
        ]


class _Outcome:
    def __init__(self, post_id: str | None = None, error: str | None = None, permanent: bool = False,
                 channel_id: str | None = None) -> None:
        self.post_id, self.error, self.permanent, self.channel_id = post_id, error, permanent, channel_id


async def _find_existing(app: App, channel_id: str, key: str, since: datetime) -> str | None:
    """Our post from an earlier attempt, found by its `relais_key` among the channel's posts since then."""
    posts = await app.platform.posts_since(channel_id, int((since - LOOKBACK_MARGIN).timestamp() * 1000))
    for post in posts:
        if post.props.get(KEY_PROP) == key and post.deleted is None:
            return post.id
    return None


async def _attempt(app: App, item: _Claimed) -> _Outcome:
    platform = app.platform
    channel_id = item.channel_id
    try:
        if not channel_id:
            ref = await platform.channel_by_name(item.channel, item.team or None)
            if ref is None:
                return _Outcome(error=f"canal « {item.channel} » introuvable ou Relais n’y est pas membre",
                                permanent=True)
            channel_id = ref.id
        if item.attempts > 1:
            existing = await _find_existing(app, channel_id, item.key, item.first_attempt_at)
            if existing:
                return _Outcome(post_id=existing, channel_id=channel_id)
        props = {**item.props, KEY_PROP: item.key}
        post = platform.create_post(channel_id, item.message, root_id=item.root_id, cards=cards_from_json(item.cards),
                                    props=props, command=item.command)
        # Give up well before the lease ends, so no other worker can start while this post may still land.
        post_id = await asyncio.wait_for(post, timeout=LEASE.total_seconds() / 2)
        return _Outcome(post_id=post_id, channel_id=channel_id)
    except PlatformError as exc:
        return _Outcome(error=str(exc) or exc.__class__.__name__, permanent=not exc.retryable, channel_id=channel_id)
    except TimeoutError:
        return _Outcome(error="Mattermost n’a pas répondu à temps", channel_id=channel_id)
    except Exception as exc:  # a bug or a network error: keep the message and retry later
        log.exception("outbox: posting %s failed", item.key)
        return _Outcome(error=f"{exc.__class__.__name__}: {exc}", channel_id=channel_id)


def _record(db: Database, worker_id: str, item: _Claimed, outcome: _Outcome, now: datetime) -> Delivery | None:
    """Write the outcome if we still own the attempt; None when another worker has taken over."""
    if outcome.post_id:
        values: dict[str, Any] = dict(status=SENT, post_id=outcome.post_id, finished_at=now, last_error=None,
                                      hook_done=hook_for(item.key) is None)
    else:
        retry_at = now + timedelta(seconds=backoff(item.attempts))
        if outcome.permanent or retry_at > item.expires_at:
            values = dict(status=FAILED, finished_at=now, last_error=outcome.error,
                          hook_done=hook_for(item.key) is None)
        else:
            values = dict(status=PENDING, next_attempt_at=retry_at, last_error=outcome.error)
    values.update(claimed_by=None, lease_until=None)
    if outcome.channel_id:
        values["channel_id"] = outcome.channel_id
    with db.session() as s:
        res = s.execute(update(OutboxItem).where(
            OutboxItem.id == item.id, OutboxItem.status == SENDING, OutboxItem.claimed_by == worker_id,
            OutboxItem.attempts == item.attempts,
        ).values(**values))
        if rows_changed(res) != 1:
            return None
        return Delivery.of(s.get_one(OutboxItem, item.id))


async def run_hooks(app: App, worker_id: str, limit: int = 20) -> int:
    """Call outcome hooks not yet run (at least once each, even if a process died mid-hook)."""
    now = app.now()
    done = 0
    with app.db.session() as s:
        ids = s.scalars(select(OutboxItem.id).where(
            OutboxItem.status.in_((SENT, FAILED)), OutboxItem.hook_done.is_(False),
            or_(OutboxItem.lease_until.is_(None), OutboxItem.lease_until < now),
        ).limit(limit)).all()
    for item_id in ids:
        with app.db.session() as s:
            res = s.execute(update(OutboxItem).where(
                OutboxItem.id == item_id, OutboxItem.hook_done.is_(False),
                or_(OutboxItem.lease_until.is_(None), OutboxItem.lease_until < now),
            ).values(claimed_by=worker_id, lease_until=now + LEASE))
            if rows_changed(res) != 1:
                continue
            delivery = Delivery.of(s.get_one(OutboxItem, item_id))
        hook = hook_for(delivery.key)
        try:
            if hook is not None:
                await hook(app, delivery)
        except Exception:
            log.exception("outbox: outcome hook for %s failed; it will be retried", delivery.key)
            with app.db.session() as s:
                s.execute(update(OutboxItem).where(OutboxItem.id == item_id, OutboxItem.claimed_by == worker_id)
                          .values(lease_until=now + HOOK_RETRY))
            continue
        with app.db.session() as s:
            s.execute(update(OutboxItem).where(OutboxItem.id == item_id, OutboxItem.claimed_by == worker_id)
                      .values(hook_done=True, claimed_by=None, lease_until=None))
        done += 1
    return done


async def deliver_due(app: App, worker_id: str, limit: int = 20) -> DeliveryReport:
    """Post every message that is due (at most `limit`), then run pending outcome hooks."""
    report = DeliveryReport()
    for item in _claim(app.db, worker_id, app.now(), limit):
        outcome = await _attempt(app, item)
        delivery = _record(app.db, worker_id, item, outcome, app.now())
        if delivery is None:
            log.warning("outbox: lease on %s expired during the attempt; another worker owns it now", item.key)
            report.lost.append(item.key)
        elif delivery.status == SENT:
            report.sent.append(delivery)
        elif delivery.status == FAILED:
            log.error("outbox: giving up on %s: %s", item.key, delivery.error)
            report.failed.append(delivery)
        else:
            log.info("outbox: %s will be retried at %s (%s)", item.key, delivery.next_attempt_at, delivery.error)
            report.retrying.append(delivery)
    await run_hooks(app, worker_id, limit)
    return report
