"""Exactly one digest, proven against the test Mattermost server through the real transport:
two processes, Mattermost refusing posts for a while, and a restart in the middle of a run."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest_asyncio
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import select

from bot.app import build_app
from bot.core.context import App
from bot.db import Database
from bot.entraide import questions as qs
from bot.entraide.runs import run_due_digests
from bot.handlers.entraide import digest_job, schedule
from bot.mattermost.client import MattermostClient
from bot.outbox import OutboxItem
from bot.outbox.delivery import LEASE, _claim
from tests.digest_process import settings_for
from tests.fakes import Clock
from tests.mmserver.fixtures import World, seeded_world

REPO = __import__("pathlib").Path(__file__).resolve().parents[1]


@pytest_asyncio.fixture
async def world() -> AsyncIterator[World]:
    async with seeded_world() as w:
        channel = w.server.add_channel(w.team["id"], "region-sud", "Région Sud")
        for user in (w.bot, w.alice, w.bob):
            w.server.add_channel_member(channel["id"], user["id"])
        w.region = channel  # type: ignore[attr-defined]
        yield w


def fire_time() -> datetime:
    """An hourly digest fired a minute ago (real time, so the server's post times line up)."""
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    return now.replace(minute=0) if now.minute else now - timedelta(hours=1)


def seed(db: Database, now: datetime) -> None:
    with db.session() as s:
        qs.open_question(s, channel_id="x", asker_id="u-a", asker_name="alice", text="Qui a un scanner @all ?",
                         now=now - timedelta(minutes=30), root_post_id="root1")


def make(world: World, db: Database, clock: Clock) -> tuple[App, MattermostClient]:
    settings = settings_for(db.url, world.server.url, world.token(world.bot))
    client = MattermostClient(settings, max_retries=0)
    return build_app(settings, db, client, clock=clock), client


def digests(world: World) -> list[dict]:
    return [p for p in world.server.posts_in(world.region["id"]) if "Le point du réseau" in p["message"]]


async def test_two_os_processes_post_one_digest(world: World, db_url: str) -> None:
    fired = fire_time()
    db = Database(db_url)
    try:
        seed(db, fired)
    finally:
        db.dispose()
    now = (fired + timedelta(minutes=1)).isoformat()
    procs = [await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.digest_process", db_url, world.server.url, world.token(world.bot), now,
        cwd=str(REPO)) for _ in range(2)]
    codes = await asyncio.gather(*(p.wait() for p in procs))
    assert codes == [0, 0]
    [post] = digests(world)
    assert "Qui a un scanner" in post["message"] and "@all" not in post["message"]
    assert post["props"]["relais_key"].startswith("digest:region-sud:")


async def test_mattermost_refusing_posts_then_one_digest(world: World, db: Database) -> None:
    clock = Clock(fire_time() + timedelta(minutes=1))
    app, client = make(world, db, clock)
    try:
        seed(db, clock.now)
        rule = world.server.fail_requests("/api/v4/posts", status=503, count=4, method="POST")
        for _ in range(12):
            await digest_job(app)
            clock.advance(minutes=2)
        assert rule.hits == 4
        assert len(digests(world)) == 1
        with db.session() as s:
            assert s.scalar(select(OutboxItem.attempts)) == 5
    finally:
        await client.close()


async def test_full_outage_then_one_digest(world: World, db: Database) -> None:
    clock = Clock(fire_time() + timedelta(minutes=1))
    app, client = make(world, db, clock)
    try:
        seed(db, clock.now)
        world.server.down = True
        for _ in range(3):
            await digest_job(app)
            clock.advance(minutes=5)
        assert digests(world) == []
        world.server.down = False
        for _ in range(3):
            await digest_job(app)
            clock.advance(minutes=10)
        assert len(digests(world)) == 1
    finally:
        await client.close()


async def test_restart_mid_run_posts_one_digest(world: World, db_url: str) -> None:
    clock = Clock(fire_time() + timedelta(minutes=1))
    db1, db2 = Database(db_url), Database(db_url)
    first, client1 = make(world, db1, clock)
    second, client2 = make(world, db2, clock)
    try:
        seed(db1, clock.now)
        run_due_digests(first, "old-process")
        [item] = _claim(db1, "old-process", clock.now, 10)
        # Mattermost accepts the post, then the process is killed before it records "sent".
        await client1.create_post(world.region["id"], item.message, props={**item.props, "relais_key": item.key})
        await client1.close()
        db1.dispose()
        # Restart: schedule() installs the catch-up run; the outbox waits for the dead worker's lease.
        scheduler = AsyncIOScheduler(timezone=second.settings.tz)
        schedule(second, scheduler)
        assert scheduler.get_job("entraide-digest-catch-up") is not None
        await digest_job(second)
        clock.advance(seconds=LEASE.total_seconds() + 1)
        await digest_job(second)
        assert len(digests(world)) == 1
        with db2.session() as s:
            row = s.scalar(select(OutboxItem))
            assert row.status == "sent" and row.post_id == digests(world)[0]["id"]
    finally:
        await client2.close()
        db2.dispose()
