"""The outbox's exactly-once promise at its edges: late workers, lost answers, permanent errors, a hung platform,
hooks and their leases, and a real interleaving of two workers inside the claim (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import importlib
import threading
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, select, update

from bot.core.context import PlatformError
from bot.core.events import Post
from bot.db import Database
from bot.outbox import FAILED, PENDING, SENT, OutboxItem, deliver_due, delivery, enqueue, on_outcome, remove_hook
from bot.outbox.delivery import _claim, _Outcome, _record, backoff, run_hooks
from bot.outbox.models import SENDING
from tests.entraide_support import make_app
from tests.fakes import T0, Clock, fake_platform

outbox = importlib.import_module("bot.outbox.delivery")  # the module (the package exports a function of that name)
KEY = "digest:general:edge"
TWO_MINUTES = timedelta(seconds=120)  # the documented lease, written out: a changed LEASE must fail here


def _enqueue(app, key: str = KEY, channel: str = "general", **kw: Any) -> bool:
    with app.db.session() as s:
        return enqueue(s, key, channel, kw.pop("message", "Bonjour"), now=app.now(), **kw)


def _row(db: Database, key: str = KEY) -> OutboxItem:
    with db.session() as s:
        row = s.scalar(select(OutboxItem).where(OutboxItem.key == key))
        s.expunge(row)
        return row


@pytest.fixture
def edge_calls() -> Any:
    """Keys whose outcome hook ran, for messages keyed `edge:…` (the hook is removed afterwards)."""
    calls: list[str] = []

    @on_outcome("edge:")
    async def record(app_, d) -> None:
        calls.append(d.key)

    yield calls
    remove_hook("edge:")


def _ms(dt) -> int:
    return int(dt.timestamp() * 1000)


# -- retries find "our" earlier post: by key AND not deleted, since the first attempt minus 5 minutes -----------

@pytest.mark.parametrize("other", [
    pytest.param({"props": {"relais_key": KEY}, "deleted": T0}, id="our key but deleted"),
    pytest.param({"props": {"relais_key": "digest:general:other"}, "deleted": None}, id="live post, another key"),
    pytest.param({"props": {}, "deleted": None}, id="live post, no key"),
])
async def test_a_retry_only_skips_a_live_post_carrying_its_own_key(db: Database, other: dict) -> None:
    clock = Clock()
    platform = fake_platform()
    app = make_app(db, platform, clock)
    platform.fail_next(1)
    platform.extra_posts.append(Post(id="not-ours", channel_id="ch-general", created=clock.now, **other))
    _enqueue(app)
    assert (await deliver_due(app, "w1")).retrying
    clock.advance(seconds=30)
    report = await deliver_due(app, "w1")
    assert [d.post_id for d in report.sent] != ["not-ours"]
    assert len(platform.in_channel("general")) == 1  # really posted this time


async def test_a_retry_finds_its_live_post_by_key(db: Database) -> None:
    """The positive side of the table above, so the table cannot pass by never finding anything."""
    clock = Clock()
    platform = fake_platform()
    app = make_app(db, platform, clock)
    platform.fail_next(1)
    platform.extra_posts.append(Post(id="ours", channel_id="ch-general", created=clock.now,
                                     props={"relais_key": KEY}))
    _enqueue(app)
    await deliver_due(app, "w1")
    clock.advance(seconds=30)
    report = await deliver_due(app, "w1")
    assert [d.post_id for d in report.sent] == ["ours"]
    assert platform.in_channel("general") == []


async def test_lost_answer_is_found_thanks_to_the_five_minute_margin(db: Database) -> None:
    """Mattermost's clock runs 4 min 30 s behind ours: the post whose answer was lost is stamped before our first
    try, and the search, 5 minutes before that try, still finds it."""
    clock = Clock()
    skew = timedelta(minutes=4, seconds=30)
    platform = fake_platform(clock=lambda: clock.now - skew)
    app = make_app(db, platform, clock)
    first = clock.now
    platform.accept_then_fail(1)
    _enqueue(app)
    assert (await deliver_due(app, "w1")).retrying
    clock.advance(minutes=1)
    report = await deliver_due(app, "w1")
    posts = platform.in_channel("general")
    assert len(posts) == 1 and [d.post_id for d in report.sent] == [posts[0].id]
    assert platform.since_calls == [("ch-general", _ms(first - timedelta(minutes=5)))]


async def test_lost_answer_found_long_after_from_the_first_attempts_time(db: Database) -> None:
    """The answer to the first post is lost, the next two searches fail (Mattermost down), and the try 40 minutes
    later still finds the first post: the search starts from the FIRST try, not from the latest."""
    clock = Clock()
    platform = fake_platform()
    app = make_app(db, platform, clock)
    first = clock.now
    platform.accept_then_fail(1)
    _enqueue(app)
    assert (await deliver_due(app, "w1")).retrying
    for _ in range(2):
        clock.advance(minutes=10)
        platform.searches_to_refuse = 1
        assert (await deliver_due(app, "w1")).retrying
    clock.advance(minutes=20)
    report = await deliver_due(app, "w1")
    posts = platform.in_channel("general")
    assert len(posts) == 1 and [d.post_id for d in report.sent] == [posts[0].id]
    assert report.sent[0].attempts == 4 and platform.create_calls == 1
    assert {since for _, since in platform.since_calls} == {_ms(first - timedelta(minutes=5))}
    assert _row(db).first_attempt_at.replace(tzinfo=None) == first.replace(tzinfo=None)


async def test_first_attempt_never_searches_and_the_channel_is_resolved_once(db: Database) -> None:
    platform = fake_platform()
    clock = Clock()
    app = make_app(db, platform, clock)
    platform.fail_next(1)
    _enqueue(app)
    _enqueue(app, "annonce:1:general", team="team1")
    await deliver_due(app, "w1")
    assert platform.since_calls == []  # nothing to find on a first attempt
    assert set(platform.lookups) == {("general", None), ("general", "team1")}
    clock.advance(minutes=5)
    await deliver_due(app, "w1")
    assert len(platform.lookups) == 2  # the channel id found on the first attempt was kept
    assert _row(db).channel_id == "ch-general"


# -- fencing: a worker whose lease expired cannot overwrite the attempt that took over ----------------------------

@pytest.mark.parametrize("change", [
    pytest.param({}, id="still ours: written"),
    pytest.param({"status": PENDING}, id="status changed"),
    pytest.param({"claimed_by": "w2"}, id="claimed by another worker"),
    pytest.param({"attempts": 2}, id="a newer attempt"),
])
@pytest.mark.parametrize("outcome", [_Outcome(post_id="late"), _Outcome(error="503"), _Outcome(error="403",
                                                                                              permanent=True)],
                         ids=["late success", "late failure", "late permanent failure"])
def test_each_fencing_condition_alone_blocks_a_late_write(db: Database, change: dict, outcome: _Outcome) -> None:
    clock = Clock()
    app = make_app(db, clock=clock)
    _enqueue(app)
    [item] = _claim(db, "w1", clock.now, 10)
    if change:
        with db.session() as s:
            s.execute(update(OutboxItem).where(OutboxItem.key == KEY).values(**change))
    before = _row(db)
    written = _record(db, "w1", item, outcome, clock.now + timedelta(seconds=5))
    after = _row(db)
    if not change:
        assert written is not None and after.status != SENDING and after.claimed_by is None
    else:
        assert written is None
        assert (after.status, after.claimed_by, after.attempts, after.post_id, after.last_error) == \
               (before.status, before.claimed_by, before.attempts, before.post_id, before.last_error)


@pytest.mark.parametrize("late_result", ["succeeds", "fails"])
async def test_worker_finishing_after_its_lease_expired_does_not_undo_the_takeover(
        db: Database, late_result: str) -> None:
    clock = Clock()
    platform = fake_platform()
    app = make_app(db, platform, clock)
    _enqueue(app)
    takeover: dict[str, Any] = {}

    async def stall_past_the_lease() -> None:  # w1's post hangs; w1's lease runs out; w2 takes over and posts
        clock.advance(seconds=121)
        takeover["report"] = await deliver_due(app, "w2")
        if late_result == "fails":
            raise PlatformError("create post: 503", status=503)

    platform.on_create = stall_past_the_lease
    report = await deliver_due(app, "w1")
    assert report.lost == [KEY] and not report.sent and not report.retrying and bool(report)
    w2 = takeover["report"]
    assert [d.attempts for d in w2.sent] == [2]
    row = _row(db)
    assert row.status == SENT and row.post_id == w2.sent[0].post_id and row.attempts == 2
    clock.advance(hours=1)
    assert not (await deliver_due(app, "w3")).sent  # nothing re-queued by the late worker


# -- permanent errors, unexpected errors, a hung platform -------------------------------------------------------

async def test_permanent_error_fails_at_once_and_reports_once(db: Database) -> None:
    clock = Clock()
    platform = fake_platform()
    app = make_app(db, platform, clock)
    seen = []

    @on_outcome("edge:")
    async def hook(app_, d) -> None:
        seen.append((d.status, d.error, d.attempts))

    async def forbidden() -> None:
        raise PlatformError("create post: 403 Forbidden", status=403, retryable=False)

    try:
        platform.on_create = forbidden
        _enqueue(app, "edge:1:general")
        report = await deliver_due(app, "w1")
        assert [d.key for d in report.failed] == ["edge:1:general"] and not report.retrying
        assert seen == [(FAILED, "create post: 403 Forbidden", 1)]
        row = _row(db, "edge:1:general")
        assert row.finished_at is not None and row.claimed_by is None and row.lease_until is None
        clock.advance(days=1)
        assert not await deliver_due(app, "w1")
        assert len(seen) == 1
    finally:
        remove_hook("edge:")


async def test_unexpected_error_is_kept_and_retried(db: Database) -> None:
    platform = fake_platform()
    app = make_app(db, platform)

    async def bug() -> None:
        raise RuntimeError("boom")

    platform.on_create = bug
    _enqueue(app)
    report = await deliver_due(app, "w1")
    assert [d.error for d in report.retrying] == ["RuntimeError: boom"]
    assert report.by_key[KEY].status == PENDING


async def test_success_after_failures_clears_the_error(db: Database) -> None:
    clock = Clock()
    app = make_app(db, clock=clock)
    app.platform.fail_next(1)
    _enqueue(app)
    assert (await deliver_due(app, "w1")).retrying[0].error == "create post: 503 Service Unavailable"
    clock.advance(minutes=1)
    report = await deliver_due(app, "w1")
    assert report.sent[0].error is None and report.by_key[KEY].status == SENT
    row = _row(db)
    assert row.finished_at is not None and row.lease_until is None and row.claimed_by is None


class _Asyncio:
    """Stands for `asyncio` inside the outbox: records the timeout asked, then waits 10 ms instead."""

    def __init__(self) -> None:
        self.timeouts: list[float] = []

    async def wait_for(self, aw, timeout: float):
        self.timeouts.append(timeout)
        return await asyncio.wait_for(aw, timeout=0.01)


async def test_hung_platform_is_given_up_well_before_the_lease_ends(db: Database, monkeypatch) -> None:
    platform = fake_platform()
    app = make_app(db, platform)
    never = asyncio.Event()

    async def hang() -> None:
        await never.wait()

    platform.on_create = hang
    shim = _Asyncio()
    monkeypatch.setattr(outbox, "asyncio", shim)
    _enqueue(app)
    report = await deliver_due(app, "w1")
    assert shim.timeouts == [60.0]  # half the 2-minute lease
    assert [d.error for d in report.retrying] == ["Mattermost n’a pas répondu à temps"]
    assert platform.in_channel("general") == []


# -- leases, due times and expiry at their exact boundaries ---------------------------------------------------

async def test_lease_is_two_minutes_and_held_until_its_last_instant(db: Database) -> None:
    clock = Clock()
    app = make_app(db, clock=clock)
    _enqueue(app)
    [item] = _claim(db, "dead", clock.now, 10)
    row = _row(db)
    assert row.lease_until.replace(tzinfo=None) == (clock.now + TWO_MINUTES).replace(tzinfo=None)
    assert row.first_attempt_at.replace(tzinfo=None) == clock.now.replace(tzinfo=None)
    assert item.attempts == 1 and row.claimed_by == "dead" and row.status == SENDING
    clock.advance(seconds=120)
    assert _claim(db, "w2", clock.now, 10) == []  # at the lease's last instant it is still held
    clock.advance(microseconds=1)
    assert [c.attempts for c in _claim(db, "w2", clock.now, 10)] == [2]


async def test_a_message_is_due_exactly_at_its_time_and_claimed_in_order(db: Database) -> None:
    clock = Clock()
    app = make_app(db, clock=clock)
    for key, minutes in (("annonce:3:general", 3), ("annonce:1:general", 1), ("annonce:2:general", 2)):
        _enqueue(app, key, not_before=clock.now + timedelta(minutes=minutes))
    clock.advance(minutes=1, microseconds=-1)
    assert _claim(db, "w1", clock.now, 10) == []
    clock.advance(microseconds=1)
    assert [c.key for c in _claim(db, "w1", clock.now, 10)] == ["annonce:1:general"]
    clock.advance(minutes=2)  # 2 and 3 are due; 1 is still leased
    assert [c.key for c in _claim(db, "w1", clock.now, 1)] == ["annonce:2:general"]  # limit, earliest first
    report = await deliver_due(app, "w2", limit=1)
    assert [d.key for d in report.sent] == ["annonce:3:general"]


@pytest.mark.parametrize(("lifetime", "status"), [(10.0, PENDING), (9.999, FAILED)])
async def test_a_retry_landing_exactly_at_expiry_is_still_made(db: Database, monkeypatch, lifetime: float,
                                                               status: str) -> None:
    clock = Clock()
    app = make_app(db, clock=clock)
    monkeypatch.setattr(outbox, "backoff", lambda attempts, rng=None: 10.0)
    app.platform.fail_next(1)
    _enqueue(app, expires_at=clock.now + timedelta(seconds=lifetime))
    report = await deliver_due(app, "w1")
    assert report.by_key[KEY].status == status


class _Edge:
    """A `random` whose `uniform` returns one end of its range: the jitter's bounds become visible."""

    def __init__(self, end: int) -> None:
        self.end = end

    def uniform(self, a: float, b: float) -> float:
        return (a, b)[self.end]


def test_backoff_doubles_from_five_seconds_caps_at_ten_minutes_and_jitters_by_a_quarter() -> None:
    assert [backoff(n, _Edge(0)) / 0.75 for n in range(0, 10)] == [5, 5, 10, 20, 40, 80, 160, 320, 600, 600]
    assert backoff(1, _Edge(1)) == 6.25 and backoff(30, _Edge(1)) == 750.0
    assert backoff(1, _Edge(0)) == 3.75


# -- outcome hooks and their leases ---------------------------------------------------------------------------------

async def test_a_running_hook_is_not_run_twice_until_its_lease_expires_and_never_after_it_is_done(
        db: Database) -> None:
    clock = Clock()
    app = make_app(db, clock=clock)
    calls: list[str] = []
    nested: list[int] = []

    @on_outcome("edge:")
    async def slow(app_, d) -> None:
        calls.append(d.key)
        if len(calls) == 1:  # while this first run is on its way, another worker looks
            nested.append(await run_hooks(app, "w2"))
            clock.advance(seconds=121)  # this run outlives its lease: a dead process, as far as others know
            nested.append(await run_hooks(app, "w3"))

    try:
        _enqueue(app, "edge:2:general")
        await deliver_due(app, "w1")
        assert calls == ["edge:2:general", "edge:2:general"]  # at least once: re-run after the lease
        assert nested == [0, 1]
        assert _row(db, "edge:2:general").hook_done
        clock.advance(days=1)
        assert await run_hooks(app, "w4") == 0
        assert len(calls) == 2  # done: never again
    finally:
        remove_hook("edge:")


async def test_failed_hook_waits_exactly_thirty_seconds(db: Database) -> None:
    clock = Clock()
    app = make_app(db, clock=clock)
    calls = []

    @on_outcome("edge:")
    async def flaky(app_, d) -> None:
        calls.append(clock.now)
        if len(calls) == 1:
            raise RuntimeError("boom")

    try:
        _enqueue(app, "edge:3:general")
        await deliver_due(app, "w1")
        failed_at = clock.now
        clock.advance(seconds=30)
        assert await run_hooks(app, "w1") == 0  # its retry lease still holds at +30 s exactly
        clock.advance(microseconds=1)
        assert await run_hooks(app, "w1") == 1
        assert calls == [failed_at, failed_at + timedelta(seconds=30, microseconds=1)]
    finally:
        remove_hook("edge:")


async def test_hooks_are_run_at_most_limit_at_a_time(db: Database, edge_calls: list[str]) -> None:
    app = make_app(db)
    for i in range(3):
        _enqueue(app, f"edge:{10 + i}:general")
    with db.session() as s:
        s.execute(update(OutboxItem).values(status=SENT, hook_done=False))
    assert await run_hooks(app, "w1", limit=2) == 2
    assert await run_hooks(app, "w1", limit=2) == 1
    assert sorted(edge_calls) == [f"edge:{10 + i}:general" for i in range(3)]


async def test_messages_without_a_hook_are_done_with_hooks_at_once(db: Database) -> None:
    app = make_app(db)
    app.platform.fail_next(1, channel="ateliers")
    _enqueue(app)
    _enqueue(app, "annonce:9:nulle-part", channel="nulle-part")
    await deliver_due(app, "w1")
    assert _row(db).hook_done and _row(db, "annonce:9:nulle-part").hook_done


# -- two workers really interleaved inside the claim -----------------------------------------------------------

def _pause_after_select(db: Database, when_paused) -> None:
    """Run `when_paused()` right after this database's first SELECT on the outbox, inside the claim."""
    fired = []

    @event.listens_for(db.engine, "after_cursor_execute")
    def pause(conn, cursor, statement, parameters, context, executemany) -> None:
        if not fired and statement.lstrip().upper().startswith("SELECT") and "outbox" in statement:
            fired.append(True)
            when_paused()


def test_two_workers_interleaved_inside_the_claim_never_both_hold_a_message(db_url: str) -> None:
    """w1 has read the due messages but not yet claimed them when w2 runs its whole claim: each message must end
    up claimed by exactly one of them, and w2 must not wait for w1 (PostgreSQL: SKIP LOCKED)."""
    db1, db2 = Database(db_url), Database(db_url)
    try:
        clock = Clock()
        app = make_app(db1, clock=clock)
        for i in range(4):
            _enqueue(app, f"annonce:{i}:general")
        second: dict[str, Any] = {}

        def run_w2() -> None:
            second["claimed"] = [c.key for c in _claim(db2, "w2", clock.now, 10)]

        def let_w2_run() -> None:
            t = threading.Thread(target=run_w2)
            t.start()
            t.join(timeout=30)  # generous for a loaded machine; only a blocked claim waits that long
            second["waited"] = t.is_alive()
            second["thread"] = t

        _pause_after_select(db1, let_w2_run)
        first = [c.key for c in _claim(db1, "w1", clock.now, 10)]
        second["thread"].join(timeout=10)
        assert second["waited"] is False  # w2 went its way while w1 was mid-claim
        assert not set(first) & set(second["claimed"])
        assert sorted(first + second["claimed"]) == [f"annonce:{i}:general" for i in range(4)]
        with db1.session() as s:
            rows = s.scalars(select(OutboxItem)).all()
            owners = {r.key: (r.claimed_by, r.attempts) for r in rows}
        assert owners == {**{k: ("w1", 1) for k in first}, **{k: ("w2", 1) for k in second["claimed"]}}
    finally:
        db1.dispose()
        db2.dispose()


async def test_delivery_report_lists_each_key_once(db: Database) -> None:
    app = make_app(db)
    app.platform.fail_next(1, channel="ateliers")
    _enqueue(app, "annonce:1:general")
    _enqueue(app, "annonce:1:ateliers", channel="ateliers")
    _enqueue(app, "annonce:1:nulle-part", channel="nulle-part")
    report = await deliver_due(app, "w1")
    assert {k: d.status for k, d in report.by_key.items()} == {
        "annonce:1:general": SENT, "annonce:1:ateliers": PENDING, "annonce:1:nulle-part": FAILED}
    with db.session() as s:
        assert delivery(s, "annonce:1:general").status == SENT


def test_a_report_is_true_when_anything_happened() -> None:
    from bot.outbox.delivery import DeliveryReport

    assert not DeliveryReport()
    for field in ("sent", "retrying", "failed", "lost"):
        assert DeliveryReport(**{field: ["x"]}), field


@pytest.mark.parametrize("path", ["sent", "found again", "timeout", "bug"])
async def test_the_channel_id_found_is_kept_whatever_the_outcome(db: Database, path: str, monkeypatch) -> None:
    clock = Clock()
    platform = fake_platform()
    app = make_app(db, platform, clock)
    _enqueue(app)
    if path == "found again":
        [item] = _claim(db, "dead", clock.now, 10)  # a first attempt died after posting
        await platform.create_post("ch-general", "Bonjour", props={"relais_key": KEY})
        clock.advance(seconds=121)
    elif path == "timeout":
        never = asyncio.Event()

        async def hang() -> None:
            await never.wait()

        platform.on_create = hang
        monkeypatch.setattr(outbox, "asyncio", _Asyncio())
    elif path == "bug":
        async def bug() -> None:
            raise RuntimeError("boom")

        platform.on_create = bug
    await deliver_due(app, "w1")
    assert _row(db).channel_id == "ch-general"


async def test_thread_and_command_reach_the_platform(db: Database) -> None:
    app = make_app(db)
    _enqueue(app, root_id="root1", command="annonce")
    await deliver_due(app, "w1")
    [post] = app.platform.in_channel("general")
    assert (post.root_id, post.command) == ("root1", "annonce")


async def test_delivery_and_its_hooks_respect_the_limit(db: Database) -> None:
    app = make_app(db)
    owners = []

    @on_outcome("edge:")
    async def hook(app_, d) -> None:
        owners.append(_row(db, d.key).claimed_by)

    try:
        for i in range(3):
            _enqueue(app, f"edge:{20 + i}:general")
        report = await deliver_due(app, "w1", limit=2)
        assert len(report.sent) == 2 and len(owners) == 2
        assert owners == ["w1", "w1"]  # a running hook is leased to its worker
        await deliver_due(app, "w1", limit=2)
        assert len(owners) == 3
    finally:
        remove_hook("edge:")


async def test_a_sent_message_whose_hook_failed_is_never_posted_again(db: Database) -> None:
    clock = Clock()
    app = make_app(db, clock=clock)

    @on_outcome("edge:")
    async def failing(app_, d) -> None:
        raise RuntimeError("boom")

    try:
        _enqueue(app, "edge:30:general")
        await deliver_due(app, "w1")
        for _ in range(3):  # the hook's retry lease runs out again and again; the message stays sent
            clock.advance(seconds=31)
            await deliver_due(app, "w1")
        assert len(app.platform.in_channel("general")) == 1
        assert _row(db, "edge:30:general").attempts == 1
    finally:
        remove_hook("edge:")


async def test_each_hook_keeps_its_own_retry_time(db: Database) -> None:
    """A fails at t0, B fails at t0+20 s, B's neighbour C succeeds: A is retried at t0+31 s, neither marked done
    by another row's outcome."""
    clock = Clock()
    app = make_app(db, clock=clock)
    calls: list[str] = []

    @on_outcome("edge:")
    async def hook(app_, d) -> None:
        calls.append(d.key)
        if d.key != "edge:42:general" and calls.count(d.key) == 1:
            raise RuntimeError("boom")

    try:
        _enqueue(app, "edge:40:general")
        await deliver_due(app, "w1")
        clock.advance(seconds=20)
        _enqueue(app, "edge:41:general")
        _enqueue(app, "edge:42:general")
        await deliver_due(app, "w1")
        assert sorted(calls) == ["edge:40:general", "edge:41:general", "edge:42:general"]
        clock.advance(seconds=11)
        assert await run_hooks(app, "w1") == 1
        assert calls[-1] == "edge:40:general"
        clock.advance(seconds=20)
        assert await run_hooks(app, "w1") == 1
        assert calls[-1] == "edge:41:general"
    finally:
        remove_hook("edge:")


async def test_a_running_hook_does_not_hold_up_the_others(db: Database, edge_calls: list[str]) -> None:
    clock = Clock()
    app = make_app(db, clock=clock)
    for i in (50, 51):
        _enqueue(app, f"edge:{i}:general")
    with db.session() as s:
        s.execute(update(OutboxItem).values(status=SENT, hook_done=False))
        s.execute(update(OutboxItem).where(OutboxItem.key == "edge:50:general")
                  .values(claimed_by="w2", lease_until=clock.now + timedelta(seconds=60)))
    assert await run_hooks(app, "w1", limit=1) == 1
    assert edge_calls == ["edge:51:general"]


@pytest.mark.parametrize("w2_state", ["still running its hook", "done with it"])
def test_two_workers_interleaved_inside_run_hooks_run_each_hook_once(db_url: str, w2_state: str) -> None:
    """w1 has listed the hooks to run but not yet claimed any when w2 claims the first and runs it (and is still at
    it, or has finished): w1 must skip that one and still run the other."""
    db1, db2 = Database(db_url), Database(db_url)
    clock = Clock()
    app1, app2 = make_app(db1, clock=clock), make_app(db2, clock=clock)
    calls: list[tuple[str, str]] = []
    started, release = threading.Event(), threading.Event()

    @on_outcome("edge:")
    async def hook(app_, d) -> None:
        worker = "w2" if app_ is app2 else "w1"
        calls.append((worker, d.key))
        if worker == "w2" and w2_state == "still running its hook":
            started.set()
            release.wait(timeout=10)

    try:
        for i in (60, 61):
            _enqueue(app1, f"edge:{i}:general")
        with db1.session() as s:
            s.execute(update(OutboxItem).values(status=SENT, hook_done=False))
        w2 = threading.Thread(target=lambda: asyncio.run(run_hooks(app2, "w2", limit=1)))

        def let_w2_in() -> None:
            w2.start()
            if w2_state == "still running its hook":
                assert started.wait(timeout=10)
            else:
                w2.join(timeout=10)

        fired: list[bool] = []

        @event.listens_for(db1.engine, "after_cursor_execute")
        def pause(conn, cursor, statement, parameters, context, executemany) -> None:
            if not fired and statement.lstrip().upper().startswith("SELECT") and "hook_done" in statement:
                fired.append(True)
                let_w2_in()

        asyncio.run(run_hooks(app1, "w1"))
        release.set()
        w2.join(timeout=10)
        assert fired and sorted(calls) == [("w1", "edge:61:general"), ("w2", "edge:60:general")]
    finally:
        release.set()
        remove_hook("edge:")
        db1.dispose()
        db2.dispose()


async def test_one_call_delivers_and_reports_at_most_twenty_by_default(db: Database, edge_calls: list[str]) -> None:
    app = make_app(db)
    for i in range(21):
        _enqueue(app, f"edge:{100 + i}:general")
    assert len((await deliver_due(app, "w1")).sent) == 20 and len(edge_calls) == 20
    with db.session() as s:  # 21 outcomes waiting for their hook
        s.execute(update(OutboxItem).values(hook_done=False))
    assert await run_hooks(app, "w1") == 20


def test_a_hook_failing_after_its_lease_leaves_the_new_holders_lease_alone(db_url: str) -> None:
    """w1's hook outlives its lease; w3 takes the hook over and is still running it when w1's run fails: w1 must
    not shorten w3's lease, or a fourth worker would run the hook a third time alongside w3."""
    db1, db3 = Database(db_url), Database(db_url)
    clock = Clock()
    app1, app3 = make_app(db1, clock=clock), make_app(db3, clock=clock)
    calls: list[int] = []
    started3, release3 = threading.Event(), threading.Event()
    threads: list[threading.Thread] = []

    @on_outcome("edge:")
    async def hook(app_, d) -> None:
        calls.append(len(calls) + 1)
        if len(calls) == 1:
            clock.advance(seconds=121)
            threads.append(threading.Thread(target=lambda: asyncio.run(run_hooks(app3, "w3"))))
            threads[0].start()
            assert started3.wait(timeout=10)
            raise RuntimeError("late failure")
        if len(calls) == 2:
            started3.set()
            release3.wait(timeout=10)

    async def scenario() -> int:
        await deliver_due(app1, "w1")
        return await run_hooks(app1, "w4")

    try:
        _enqueue(app1, "edge:70:general")
        assert asyncio.run(scenario()) == 0  # w3 still holds it
        release3.set()
        threads[0].join(timeout=10)
        assert calls == [1, 2]
    finally:
        release3.set()
        remove_hook("edge:")
        db1.dispose()
        db3.dispose()


async def test_hooks_waiting_are_run_at_most_limit_per_delivery_and_twenty_by_default(
        db: Database, edge_calls: list[str]) -> None:
    app = make_app(db)
    for i in range(21):
        _enqueue(app, f"edge:{200 + i}:general")
    await deliver_due(app, "w1", limit=50)  # all sent
    with db.session() as s:  # 21 outcomes waiting for their hook again
        s.execute(update(OutboxItem).values(hook_done=False))
    edge_calls.clear()
    await deliver_due(app, "w1", limit=3)  # nothing to post; at most 3 hooks
    assert len(edge_calls) == 3
    with db.session() as s:
        s.execute(update(OutboxItem).values(hook_done=False))
    assert await run_hooks(app, "w1") == 20  # 21 waiting, 20 by default


async def test_claimed_messages_come_back_in_due_order(db: Database) -> None:
    clock = Clock()
    app = make_app(db, clock=clock)
    for key, minutes in (("annonce:3:general", 3), ("annonce:1:general", 1), ("annonce:2:general", 2)):
        _enqueue(app, key, not_before=clock.now + timedelta(minutes=minutes))
    clock.advance(minutes=5)
    assert [c.key for c in _claim(db, "w1", clock.now, 10)] == [
        "annonce:1:general", "annonce:2:general", "annonce:3:general"]
