"""The durable outbox: dedupe, back-off, crash safety, leases, hooks, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import random
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.core.replies import Button, Card, Field
from bot.db import Database
from bot.outbox import (
    FAILED,
    PENDING,
    SENT,
    OutboxItem,
    backoff,
    cancel,
    deliver_due,
    deliveries,
    delivery,
    enqueue,
    on_outcome,
    remove_hook,
    reschedule,
)
from bot.outbox.delivery import LEASE, _claim
from tests.entraide_support import make_app
from tests.fakes import Clock, fake_platform


def _enqueue(app, key: str, channel: str = "general", message: str = "Bonjour", **kw) -> bool:
    with app.db.session() as s:
        return enqueue(s, key, channel, message, now=app.now(), **kw)


async def test_enqueue_is_deduplicated_and_delivered_once(db: Database) -> None:
    app = make_app(db)
    assert _enqueue(app, "digest:general:2026-11-16T08:00Z") is True
    assert _enqueue(app, "digest:general:2026-11-16T08:00Z", message="autre") is False
    report = await deliver_due(app, "w1")
    assert [d.key for d in report.sent] == ["digest:general:2026-11-16T08:00Z"]
    posts = app.platform.in_channel("general")
    assert [p.message for p in posts] == ["Bonjour"]
    assert posts[0].props["relais_key"] == "digest:general:2026-11-16T08:00Z"
    assert not await deliver_due(app, "w1")  # nothing left
    assert _enqueue(app, "digest:general:2026-11-16T08:00Z") is False  # even after it was sent
    with db.session() as s:
        d = delivery(s, "digest:general:2026-11-16T08:00Z")
    assert d.status == SENT and d.post_id == posts[0].id and d.attempts == 1


async def test_cards_and_props_survive_the_queue(db: Database) -> None:
    app = make_app(db)
    card = Card(title="Annonce", text="Texte", fields=[Field("Quand", "lundi")],
                buttons=[Button("Lu ✅", "ack", {"a": 1}, style="primary")])
    _enqueue(app, "annonce:1:general", cards=[card], props={"relais_annonce": 1}, command="annonce")
    await deliver_due(app, "w1")
    post = app.platform.in_channel("general")[0]
    assert post.cards == [card]
    assert post.props == {"relais_annonce": 1, "relais_key": "annonce:1:general"}


async def test_not_before_is_respected(db: Database) -> None:
    clock = Clock()
    app = make_app(db, clock=clock)
    _enqueue(app, "annonce:2:general", not_before=clock.now + timedelta(hours=2))
    assert not await deliver_due(app, "w1")
    clock.advance(hours=2)
    assert len((await deliver_due(app, "w1")).sent) == 1


async def test_mattermost_down_retries_with_backoff_until_success(db: Database) -> None:
    clock = Clock()
    app = make_app(db, clock=clock)
    app.platform.fail_next(4)
    _enqueue(app, "digest:general:x")
    waits = []
    for _ in range(4):
        report = await deliver_due(app, "w1")
        assert [d.key for d in report.retrying] == ["digest:general:x"]
        wait = report.retrying[0].next_attempt_at - clock.now
        waits.append(wait.total_seconds())
        assert not await deliver_due(app, "w1")  # not due before its back-off
        clock.advance(seconds=wait.total_seconds())
    assert waits == sorted(waits) and waits[-1] > 4 * waits[0]  # grows exponentially
    report = await deliver_due(app, "w1")
    assert len(report.sent) == 1
    assert len(app.platform.in_channel("general")) == 1
    assert report.sent[0].attempts == 5


async def test_post_accepted_but_answer_lost_is_not_posted_again(db: Database) -> None:
    clock = Clock()
    app = make_app(db, clock=clock)
    app.platform.accept_then_fail(1)
    _enqueue(app, "digest:general:y")
    report = await deliver_due(app, "w1")
    assert report.retrying  # we could not know it went through
    clock.advance(minutes=1)
    report = await deliver_due(app, "w1")
    assert len(report.sent) == 1
    posts = app.platform.in_channel("general")
    assert len(posts) == 1 and report.sent[0].post_id == posts[0].id
    assert app.platform.create_calls == 1  # found by its relais_key, not re-posted


@pytest.mark.parametrize("accepted", [True, False])
async def test_crash_during_send_is_taken_over_after_the_lease(db: Database, accepted: bool) -> None:
    clock = Clock()
    app = make_app(db, clock=clock)
    _enqueue(app, "digest:general:z")
    claimed = _claim(db, "dead-worker", clock.now, 10)  # worker claims, then the process dies
    assert [c.key for c in claimed] == ["digest:general:z"]
    if accepted:  # ... after Mattermost accepted the post
        await app.platform.create_post("ch-general", "Bonjour", props={"relais_key": "digest:general:z"})
    assert not await deliver_due(app, "w2")  # still leased
    clock.advance(seconds=LEASE.total_seconds() + 1)
    report = await deliver_due(app, "w2")
    assert len(report.sent) == 1
    assert len(app.platform.in_channel("general")) == 1


async def test_two_workers_taking_turns_share_the_queue_without_loss_or_repeat(db_url: str) -> None:
    """Two asyncio workers on separate connections take turns (they never interleave inside a claim, so this cannot
    catch a racy claim: `test_outbox_edges.test_two_workers_interleaved_inside_the_claim…` does)."""
    platform = fake_platform()
    clock = Clock()
    db1, db2 = Database(db_url), Database(db_url)
    try:
        app1, app2 = make_app(db1, platform, clock), make_app(db2, platform, clock)
        for i in range(30):
            _enqueue(app1, f"annonce:{i}:general", message=f"m{i}")

        async def run(app, worker):
            sent = []
            for _ in range(10):
                sent += [d.key for d in (await deliver_due(app, worker, limit=3)).sent]
                await asyncio.sleep(0)
            return sent

        a, b = await asyncio.gather(run(app1, "w1"), run(app2, "w2"))
        assert not set(a) & set(b)
        assert sorted(a + b) == sorted(f"annonce:{i}:general" for i in range(30))
        messages = [p.message for p in platform.in_channel("general")]
        assert sorted(messages) == sorted(f"m{i}" for i in range(30))
    finally:
        db1.dispose()
        db2.dispose()


async def test_unknown_channel_fails_permanently_and_hooks_run_once(db: Database) -> None:
    app = make_app(db)
    seen = []

    @on_outcome("essai:")
    async def report(app_, d) -> None:
        seen.append((d.key, d.status, d.error))

    try:
        _enqueue(app, "essai:7:nulle-part", channel="nulle-part")
        _enqueue(app, "essai:7:general")
        _enqueue(app, "digest:general:w")
        report1 = await deliver_due(app, "w1")
        assert [d.key for d in report1.failed] == ["essai:7:nulle-part"]
        assert "introuvable" in report1.failed[0].error
        await deliver_due(app, "w1")
        assert sorted(seen) == [("essai:7:general", SENT, None),
                                ("essai:7:nulle-part", FAILED, report1.failed[0].error)]
        with db.session() as s:
            by_key = {d.key: d.status for d in deliveries(s, "essai:7:")}
        assert by_key == {"essai:7:general": SENT, "essai:7:nulle-part": FAILED}
    finally:
        remove_hook("essai:")


async def test_failing_hook_is_retried(db: Database) -> None:
    clock = Clock()
    app = make_app(db, clock=clock)
    calls = []

    @on_outcome("essai:")
    async def flaky(app_, d) -> None:
        calls.append(d.key)
        if len(calls) == 1:
            raise RuntimeError("boom")

    try:
        _enqueue(app, "essai:8:general")
        await deliver_due(app, "w1")
        await deliver_due(app, "w1")
        assert calls == ["essai:8:general"]  # not hammered
        clock.advance(seconds=31)
        await deliver_due(app, "w1")
        await deliver_due(app, "w1")
        assert calls == ["essai:8:general", "essai:8:general"]
    finally:
        remove_hook("essai:")


async def test_expired_message_gives_up(db: Database) -> None:
    clock = Clock()
    app = make_app(db, clock=clock)
    app.platform.fail_next(1000)
    _enqueue(app, "annonce:9:general", expires_at=clock.now + timedelta(minutes=2))
    statuses = []
    for _ in range(10):
        report = await deliver_due(app, "w1")
        statuses += [d.status for d in (*report.retrying, *report.failed)]
        clock.advance(minutes=1)
    assert statuses[-1] == FAILED and statuses.count(FAILED) == 1
    assert app.platform.posts == []


async def test_cancel_and_reschedule_only_before_the_first_attempt(db: Database) -> None:
    clock = Clock()
    app = make_app(db, clock=clock)
    later = clock.now + timedelta(days=1)
    _enqueue(app, "annonce:10:general", not_before=later)
    _enqueue(app, "annonce:11:general", not_before=later)
    with db.session() as s:
        assert reschedule(s, "annonce:11:general", message="Nouveau texte", not_before=clock.now)
        assert cancel(s, "annonce:10:general")
    await deliver_due(app, "w1")
    assert [p.message for p in app.platform.posts] == ["Nouveau texte"]
    with db.session() as s:
        assert not cancel(s, "annonce:11:general")  # already sent
        assert not reschedule(s, "annonce:11:general", message="trop tard")
        assert not cancel(s, "annonce:inconnue")
    clock.advance(days=2)
    assert not await deliver_due(app, "w1")


def test_backoff_grows_with_jitter_and_is_capped() -> None:
    rng = random.Random(1)
    values = [backoff(n, rng) for n in range(1, 12)]
    assert 3.75 <= values[0] <= 6.25
    assert all(v <= 600 * 1.25 for v in values)
    assert values[5] > values[0] * 10
    assert len({round(backoff(3, rng), 3) for _ in range(20)}) > 1  # jittered


async def test_pending_rows_are_left_alone_by_an_unrelated_claim(db: Database) -> None:
    app = make_app(db)
    _enqueue(app, "annonce:12:general", not_before=app.now() + timedelta(hours=1))
    await deliver_due(app, "w1")
    with db.session() as s:
        row = s.scalar(select(OutboxItem).where(OutboxItem.key == "annonce:12:general"))
        assert row.status == PENDING and row.attempts == 0
