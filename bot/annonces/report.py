"""The delivery report: once every channel of an announcement is settled, its author gets one message,
channel by channel (sent when, after how many tries, or why it failed).

Runs as the outbox outcome hook for `annonce:` keys; the report itself goes through the outbox too
(key `annonce-rapport:<id>`), so it is written once even if two processes settle the last channels together.
"""

from __future__ import annotations

import logging
from datetime import tzinfo

from bot.annonces.models import Announcement
from bot.annonces.service import COMMAND, announcement_id_of, deliveries_of, mark_done
from bot.annonces.when import format_local
from bot.core.context import App
from bot.outbox import CANCELLED, FAILED, SENT, Delivery, enqueue

log = logging.getLogger(__name__)

REPORT_PREFIX = "annonce-rapport:"


def channel_line(target: dict, d: Delivery | None, tz: tzinfo) -> str:
    where = f"~{target['name']}" + (f" ({target['team']})" if target.get("team") else "")
    if d is None:
        return f"- ❔ {where} : pas dans la file d’envoi"
    if d.status == SENT:
        at = format_local(d.finished_at, tz) if d.finished_at else ""
        tries = f", après {d.attempts} essais" if d.attempts > 1 else ""
        return f"- ✅ {where} : publiée {at}{tries}".rstrip()
    if d.status == FAILED:
        return f"- ❌ {where} : échec après {d.attempts} essai{'s' if d.attempts > 1 else ''} ({d.error or 'erreur'})"
    if d.status == CANCELLED:
        return f"- ⏹️ {where} : annulée"
    retry = f", nouvel essai {format_local(d.next_attempt_at, tz)}" if d.attempts else ""
    error = f" ({d.error})" if d.error else ""
    return f"- ⏳ {where} : en attente{retry}{error}"


def report_text(ann: Announcement, states: list[tuple[dict, Delivery | None]], tz: tzinfo) -> str:
    sent = sum(1 for _, d in states if d is not None and d.status == SENT)
    head = f"Compte rendu de l’annonce n° {ann.id} : publiée dans {sent} {'canaux' if sent > 1 else 'canal'} " \
           f"sur {len(states)}."
    lines = [channel_line(t, d, tz) for t, d in states]
    tail = f"\nSuivi des lectures : `/annonce suivi {ann.id}`" if ann.ack_requested and sent else ""
    return "\n".join([head, *lines]) + tail


async def _report_channel(app: App, ann: Announcement) -> str:
    """The author's direct messages (every platform has them)."""
    return await app.platform.direct_channel(ann.author_id)


async def announcement_delivered(app: App, d: Delivery) -> None:
    """Outbox hook for "annonce:" keys (declared in `bot.features`): when the last channel is settled, queue the
    report (idempotent: a fixed outbox key)."""
    ann_id = announcement_id_of(d.key)
    if ann_id is None:
        return
    with app.db.session() as s:
        ann = s.get(Announcement, ann_id)
        if ann is None:
            return
        states = deliveries_of(s, ann)
        if not all(x is not None and x.status in (SENT, FAILED, CANCELLED) for _, x in states):
            return
    channel_id = await _report_channel(app, ann)
    now = app.now()
    with app.db.session() as s:
        ann = s.get_one(Announcement, ann_id)
        mark_done(s, ann, now)
        states = deliveries_of(s, ann)
        enqueue(s, f"{REPORT_PREFIX}{ann_id}", "", report_text(ann, states, app.settings.tz), channel_id=channel_id,
                command=COMMAND, now=now)
