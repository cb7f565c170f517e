"""Durable outbox shared by digests and announcements: every queued message is posted exactly once.

Public API:
- `enqueue(session, key, channel, message, cards=None, props=None, not_before=None, *, team, channel_id,
  root_id, command, expires_at) -> bool` (False if the key already exists), inside the caller's transaction;
- `await deliver_due(app, worker_id, limit) -> DeliveryReport` (claim, post, retry with back-off + jitter);
- `delivery(session, key)`, `deliveries(session, prefix)` — the per-key delivery report;
- `cancel(session, key)`, `reschedule(session, key, …)` — before the first attempt only;
- `@on_outcome("prefix:")` — `async fn(app, delivery)` once a message is sent or permanently failed.
"""

from bot.outbox.delivery import KEY_PROP, DeliveryReport, backoff, deliver_due, run_hooks
from bot.outbox.hooks import on_outcome, remove_hook
from bot.outbox.models import CANCELLED, FAILED, PENDING, SENDING, SENT, OutboxItem
from bot.outbox.queue import Delivery, cancel, deliveries, delivery, enqueue, reschedule

__all__ = [
    "CANCELLED", "FAILED", "KEY_PROP", "PENDING", "SENDING", "SENT", "Delivery", "DeliveryReport", "OutboxItem",
    "backoff", "cancel", "deliver_due", "deliveries", "delivery", "enqueue", "on_outcome", "remove_hook",
    "reschedule", "run_hooks",
]
