"""Running digests exactly once: one `digest_runs` row per (channel, period end), then the outbox.

The row, the digest text and the outbox message are written in ONE transaction: a process that dies
before commit leaves nothing (the next run redoes it); two processes racing on the same period both
try the insert and only one gets the row (the other waits for its commit and then does nothing).
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from bot.config import DigestSchedule, Settings
from bot.core.context import App
from bot.db import Database
from bot.db.insert import insert_ignore
from bot.digest import Digest, DigestPeriod, Permalink, SectionProvider, build_digest
from bot.entraide.models import DigestRun
from bot.entraide.periods import DEFAULT_PERIOD, last_fire, period_ending
from bot.outbox import enqueue

log = logging.getLogger(__name__)

QUEUED = "queued"
EMPTY = "empty"
ALREADY_DONE = "already_done"


def new_worker_id() -> str:
    """Unique per process start: host, pid and a random suffix (pids are reused across restarts)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def digest_key(channel: str, period_end: datetime) -> str:
    return f"digest:{channel}:{period_end.astimezone(UTC).strftime('%Y-%m-%dT%H:%MZ')}"


@dataclass(frozen=True)
class DigestOutcome:
    channel: str
    period_start: datetime
    period_end: datetime
    status: str  # queued | empty | already_done
    key: str


def run_digest(app: App, schedule: DigestSchedule, fire_time: datetime, worker_id: str) -> DigestOutcome:
    """Build and queue the digest of `schedule` for the run that fires at `fire_time` (at most once ever)."""
    tz = app.settings.tz
    start, end = period_ending(schedule.cron, tz, fire_time)
    key = digest_key(schedule.channel, end)
    with app.db.session() as s:
        run_id = insert_ignore(s, DigestRun, dict(
            channel=schedule.channel, period_start=start, period_end=end, status="building", outbox_key=None,
            worker_id=worker_id, created_at=app.now()))
        if run_id is None:
            return DigestOutcome(schedule.channel, start, end, ALREADY_DONE, key)
        digest = build_digest(s, DigestPeriod(start, end, tz, app.platform.permalink), title=schedule.title,
                              providers=app.registry.digest_sections)
        if digest.is_empty:
            status = EMPTY
        else:
            status = QUEUED
            enqueue(s, key, schedule.channel, digest.render(), props={"relais_digest": schedule.channel},
                    now=app.now())
        s.execute(update(DigestRun).where(DigestRun.id == run_id).values(
            status=status, outbox_key=key if status == QUEUED else None))
    log.info("digest %s: %s", key, status)
    return DigestOutcome(schedule.channel, start, end, status, key)


def run_due_digests(app: App, worker_id: str, *, grace: timedelta | None = None) -> list[DigestOutcome]:
    """Every configured digest whose latest run is due and not older than the grace period (catch-up at start)."""
    now = app.now()
    grace = grace if grace is not None else timedelta(minutes=app.settings.digest_grace_minutes)
    outcomes = []
    for schedule in app.settings.digests:
        fire = last_fire(schedule.cron, app.settings.tz, now)
        if fire is None or now - fire > grace:
            continue
        outcomes.append(run_digest(app, schedule, fire, worker_id))
    return outcomes


def preview_digest(app: App, channel: str | None = None) -> tuple[Digest, DigestSchedule | None]:
    """What the next digest of `channel` would say if it ran now (period: since its last run)."""
    return build_preview(app.settings, app.db, app.platform.permalink, app.now(), channel,
                         providers=app.registry.digest_sections)


def build_preview(settings: Settings, db: Database, permalink: Permalink, now: datetime,
                  channel: str | None = None, *, providers: list[SectionProvider]
                  ) -> tuple[Digest, DigestSchedule | None]:
    """`channel` None: the first configured schedule (a week back when none is configured)."""
    if channel:
        sched = next((d for d in settings.digests if d.channel == channel.lstrip("~")), None)
    else:
        sched = settings.digests[0] if settings.digests else None
    start = (last_fire(sched.cron, settings.tz, now) if sched else None) or now - DEFAULT_PERIOD
    title = sched.title if sched else DigestSchedule.title
    with db.session() as s:
        digest = build_digest(s, DigestPeriod(start, now, settings.tz, permalink), title=title, providers=providers)
    return digest, sched
