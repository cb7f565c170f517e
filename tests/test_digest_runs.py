"""Digests: content, empty sections, neutralised mentions, exactly once per channel and period, catch-up."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import func, select

from bot.cli import main
from bot.db import Database
from bot.entraide import questions as qs
from bot.entraide.models import DigestRun
from bot.entraide.runs import ALREADY_DONE, EMPTY, QUEUED, run_digest, run_due_digests
from bot.handlers.entraide import digest_job, schedule
from bot.outbox import OutboxItem, deliver_due
from bot.outbox.delivery import LEASE, _claim
from tests.entraide_support import WEEKLY, make_app
from tests.fakes import T0, Clock, fake_platform
from tests.harness import Harness


def seed(app, *, now=None) -> None:
    """Last week: one unanswered question with hostile text, one resolved with helpers."""
    now = now or app.now()
    with app.db.session() as s:
        q1 = qs.open_question(s, channel_id="ch-entraide", asker_id="u-a", asker_name="alice",
                              text="@channel qui connaît la démarche ANTS ? [cliquez](http://x) @here",
                              now=now - timedelta(days=3), root_post_id="root1")
        q2 = qs.open_question(s, channel_id="ch-entraide", asker_id="u-b", asker_name="bea",
                              text="Comment imprimer depuis un smartphone ?", now=now - timedelta(days=5),
                              root_post_id="root2")
        qs.record_reply(s, root_id="root2", post_id="r1", user_id="u-c", user_name="carl",
                        now=now - timedelta(days=4))
        qs.resolve(s, q2.id, by_user_id="u-b", now=now - timedelta(days=2))
        assert q1 is not None


def _count(db: Database, model) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


async def test_digest_lists_unanswered_and_resolved_without_pinging_anyone(db: Database) -> None:
    app = make_app(db)
    seed(app)
    outcome = run_digest(app, WEEKLY, T0, "w1")
    assert outcome.status == QUEUED and outcome.key == "digest:region-sud:2026-11-16T08:00Z"
    await deliver_due(app, "w1")
    [post] = app.platform.in_channel("region-sud")
    text = post.message
    assert "Une question attend encore une réponse" in text and "depuis 3 jours" in text
    assert "Une question résolue" in text and "merci à @\u200bcarl" in text
    assert app.platform.permalink("root1") in text and app.platform.permalink("root2") in text
    for mention in ("@channel", "@here", "@alice", "@carl", "@bea"):
        assert mention not in text
    assert "[cliquez]" not in text  # user markdown cannot forge links
    assert "idée" not in text.lower()  # empty sections are left out


async def test_nothing_to_say_posts_nothing_and_is_not_retried(db: Database) -> None:
    app = make_app(db)
    assert run_digest(app, WEEKLY, T0, "w1").status == EMPTY
    assert run_digest(app, WEEKLY, T0, "w1").status == ALREADY_DONE
    await deliver_due(app, "w1")
    assert app.platform.posts == [] and _count(db, OutboxItem) == 0


async def test_resolved_before_the_period_is_not_news(db: Database) -> None:
    app = make_app(db)
    seed(app, now=T0 - timedelta(days=14))
    with db.session() as s:  # the old unanswered one got its answer
        qs.record_reply(s, root_id="root1", post_id="r9", user_id="u-z", user_name="zoe", now=T0 - timedelta(days=12))
    assert run_digest(app, WEEKLY, T0, "w1").status == EMPTY


async def test_two_processes_one_digest(db_url: str) -> None:
    platform, clock = fake_platform(), Clock(T0 + timedelta(minutes=1))
    dbs = [Database(db_url) for _ in range(4)]
    try:
        apps = [make_app(d, platform, clock) for d in dbs]
        seed(apps[0])
        results: list = []
        barrier = threading.Barrier(len(apps))

        def tick(app, worker):
            barrier.wait()
            results.extend(run_due_digests(app, worker))

        threads = [threading.Thread(target=tick, args=(a, f"w{i}")) for i, a in enumerate(apps)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(r.status for r in results) == [ALREADY_DONE] * 3 + [QUEUED]
        await asyncio.gather(*(deliver_due(a, f"w{i}") for i, a in enumerate(apps)))
        assert len(platform.in_channel("region-sud")) == 1
        assert _count(dbs[0], DigestRun) == 1
    finally:
        for d in dbs:
            d.dispose()


async def test_mattermost_down_then_exactly_one_digest(db: Database) -> None:
    clock = Clock(T0)
    app = make_app(db, clock=clock)
    seed(app)
    app.platform.fail_next(6)
    for _ in range(20):
        await digest_job(app)  # the scheduler ticks: the run is done once, the outbox retries
        clock.advance(minutes=10)
    assert len(app.platform.in_channel("region-sud")) == 1
    assert app.platform.create_calls == 7
    assert _count(db, DigestRun) == 1


async def test_restart_mid_run_one_digest(db_url: str) -> None:
    """The first process queues the digest, claims it, posts it and dies before recording; the restarted
    process (new worker id, same database) catches up at start and does not post it again."""
    platform, clock = fake_platform(), Clock(T0)
    db1, db2 = Database(db_url), Database(db_url)
    try:
        first = make_app(db1, platform, clock)
        seed(first)
        assert [o.status for o in run_due_digests(first, "old")] == [QUEUED]
        [claimed] = _claim(db1, "old", clock.now, 10)
        await platform.create_post("ch-region-sud", "digest", props={"relais_key": claimed.key})
        db1.dispose()  # process gone
        clock.advance(seconds=30)
        second = make_app(db2, platform, clock)
        scheduler = AsyncIOScheduler(timezone=second.settings.tz)
        schedule(second, scheduler)
        await digest_job(second)  # the catch-up job: the run is already recorded
        clock.advance(seconds=LEASE.total_seconds())
        await digest_job(second)
        assert len(platform.in_channel("region-sud")) == 1
        with db2.session() as s:
            assert s.scalar(select(OutboxItem.status)) == "sent"
    finally:
        db1.dispose()
        db2.dispose()


async def test_missed_run_is_caught_up_within_grace_only(db: Database) -> None:
    clock = Clock(T0 + timedelta(hours=5))
    app = make_app(db, clock=clock, digest_grace_minutes=360)
    seed(app)
    assert [o.period_end for o in run_due_digests(app, "w1")] == [T0]
    other = make_app(db, clock=Clock(T0 + timedelta(days=1)), digest_grace_minutes=360)
    assert run_due_digests(other, "w1") == []  # a day late: skipped, next week's digest covers it


def test_schedule_adds_cron_catch_up_and_outbox_jobs(db: Database) -> None:
    app = make_app(db)
    scheduler = AsyncIOScheduler(timezone=app.settings.tz)
    schedule(app, scheduler)
    jobs = {j.id: j for j in scheduler.get_jobs()}
    assert set(jobs) == {"entraide-digest-0", "entraide-digest-catch-up", "outbox-delivery"}
    assert str(jobs["entraide-digest-0"].trigger).startswith("cron[")
    assert "Europe/Paris" in str(jobs["entraide-digest-0"].trigger.timezone)


async def test_coordinator_preview_is_private_and_posts_nothing(db: Database) -> None:
    app = make_app(db, clock=Clock(T0 + timedelta(days=3)))
    with db.session() as s:
        qs.open_question(s, channel_id="ch-entraide", asker_id="u-a", asker_name="alice",
                         text="Qui a un modèle de fiche d'inscription ?", now=T0 + timedelta(days=1),
                         root_post_id="root5")

    refused = await Harness(app, "u-x", "xavier").command("/entraide digest region-sud")
    assert "réservé aux coordinateurs" in refused.text
    reply = await Harness(app, "u-coord", "coord").command("/entraide digest region-sud")
    assert not reply.in_channel and "Aperçu privé" in reply.text and "fiche d'inscription" in reply.text
    assert app.platform.posts == [] and _count(db, DigestRun) == 0


def test_cli_preview_prints_without_posting(db: Database, tmp_path, monkeypatch, capsys) -> None:
    app = make_app(db)
    with db.session() as s:
        qs.open_question(s, channel_id="ch-entraide", asker_id="u-a", asker_name="alice",
                         text="Où recycler de vieux ordinateurs ?", now=app.now(), root_post_id="root7")
    config = tmp_path / "relais.toml"
    config.write_text('[[digests]]\nchannel = "region-sud"\ncron = "0 9 * * mon"\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RELAIS_DATABASE_URL", db.url)
    monkeypatch.setenv("RELAIS_CONFIG", str(config))
    assert main(["digest", "preview", "--channel", "region-sud"]) == 0
    out = capsys.readouterr().out
    assert "Où recycler de vieux ordinateurs" in out and "non publié" in out
    assert main(["digest", "preview", "--channel", "inconnu"]) == 1
    assert "Aucun récapitulatif n’est programmé" in capsys.readouterr().err
    assert _count(db, OutboxItem) == 0
