"""/annonce against the test Mattermost server through the real transport (`relais serve` machinery, driver,
HTTP endpoints): the refusal, a scheduled broadcast to three channels with one failing for a while, and the
acknowledgement count."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.annonces.models import Acknowledgement, Announcement
from bot.app import build_app
from bot.mattermost.client import MattermostClient
from bot.outbox import OutboxItem, deliver_due
from tests import atelier_annonce_mmserver
from tests.atelier_annonce_mmserver import Env
from tests.fakes import Clock

env = atelier_annonce_mmserver.env  # the shared fixture


async def test_a_counsellor_is_refused_and_nothing_is_sent(env: Env) -> None:
    bob, town = env.world.bob, env.world.town
    async with env.bot() as bot:
        result = await env.server.run_command(bob["id"], town["id"], "/annonce")
        assert result.ok, result.error
        assert "Seuls les coordinateurs" in result.ephemerals[0]["message"]
        follow = await env.server.run_command(bob["id"], town["id"], "/annonce suivi")
        assert "réservé aux coordinateurs" in follow.ephemerals[0]["message"]
        assert [d for d in env.server.state.dialogs if d.user_id == bob["id"]] == []
        await deliver_due(bot.app, "w")
    with env.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Announcement)) == 0
        assert s.scalar(select(func.count()).select_from(OutboxItem)) == 0
    for name in ("ville-a", "ville-b", "ville-c"):
        assert env.server.posts_in(env.channels[name]["id"]) == []


async def test_scheduled_broadcast_to_three_channels_with_one_failing_for_a_while(env: Env) -> None:
    async with env.bot():
        await env.open_and_submit(quand="demain 9h", accuse=False)
        # Ephemeral posts need a permission bots lack by default: the confirmation comes as a direct message.
        dm = env.server.direct_channel(env.world.bot["id"], env.world.admin["id"])
        await env.server.wait_for_post(channel_id=dm["id"], contains="programmée pour")
    with env.db.session() as s:
        ann = s.scalars(select(Announcement)).one()
        send_at, ann_id = ann.send_at, ann.id
        assert [t["name"] for t in ann.targets] == ["ville-a", "ville-b", "ville-c"]
        assert send_at.astimezone(env.settings.tz).hour == 9
    clock = Clock(send_at - timedelta(minutes=5))
    client = MattermostClient(env.settings, max_retries=0, request_timeout=2.0)
    worker = build_app(env.settings, env.db, client, clock=clock)
    try:
        await deliver_due(worker, "w")
        assert all(env.announcements_in(n) == [] for n in ("ville-a", "ville-b", "ville-c"))  # not before 9:00
        clock.advance(minutes=5)
        first = env.server.fail_requests("/api/v4/posts", status=503, count=1, method="POST")
        await deliver_due(worker, "w")
        assert first.hits == 1
        with env.db.session() as s:
            [failing] = s.scalars(select(OutboxItem).where(OutboxItem.status == "pending")).all()
            failing_channel = failing.channel
        assert sorted(len(env.announcements_in(n)) for n in ("ville-a", "ville-b", "ville-c")) == [0, 1, 1]
        assert env.report() == []  # not before every channel is settled
        more = env.server.fail_requests("/api/v4/posts", status=503, count=3, method="POST")
        for _ in range(12):
            clock.advance(minutes=11)
            await deliver_due(worker, "w")
        assert more.hits == 3
    finally:
        await client.close()
    for name in ("ville-a", "ville-b", "ville-c"):
        [post] = env.announcements_in(name)  # exactly once each
        assert post["user_id"] == env.world.bot["id"]
        assert post["props"]["relais_key"].startswith(f"annonce:{ann_id}:")
    [report] = env.report()
    assert "3 canaux sur 3" in report["message"]
    line = next(x for x in report["message"].splitlines() if f"~{failing_channel} " in x)
    assert "après 5 essais" in line


async def test_acknowledgement_count_and_who_has_not_read(env: Env) -> None:
    w = env.world
    async with env.bot() as bot:
        await env.open_and_submit(quand="maintenant", accuse=True)
        await deliver_due(bot.app, "w")
        posts = {n: env.announcements_in(n)[0] for n in ("ville-a", "ville-b", "ville-c")}
        for post in posts.values():
            assert post["props"]["attachments"][0]["actions"][0]["name"] == "Lu ✅"
        clicks = [(w.alice, "ville-a"), (w.bob, "ville-b"), (w.alice, "ville-c")]  # alice clicks twice
        for user, name in clicks:
            result = await env.server.click_button(user["id"], posts[name]["id"], "Lu ✅")
            assert result.ok, result.error
        with env.db.session() as s:
            assert s.scalar(select(func.count()).select_from(Acknowledgement)) == 2
            ann_id = s.scalars(select(Announcement.id)).one()
        follow = await env.server.run_command(w.admin["id"], w.town["id"], f"/annonce suivi {ann_id}")
        assert follow.ok, follow.error
        text = follow.ephemerals[0]["message"]
        assert "lue par 2 personnes : @alice, @bob" in text
        line_c = next(x for x in text.splitlines() if "~ville-c" in x)
        assert "2/3" in line_c and "@carla" in line_c and "@relais" not in text
        line_a = next(x for x in text.splitlines() if "~ville-a" in x)
        assert "2/2" in line_a
        # The reminder reaches carla in the thread of ~ville-c's announcement.
        attachments = follow.ephemerals[0]["props"]["attachments"]
        assert attachments[0]["actions"][0]["name"] == "Relancer cette personne"
        remind = await env.server.click_button(w.admin["id"], follow.ephemerals[0]["id"], "Relancer cette personne")
        assert remind.ok, remind.error
        await deliver_due(bot.app, "w")
        reminder = await env.server.wait_for_post(root_id=posts["ville-c"]["id"], contains="Rappel")
        assert "@carla" in reminder["message"] and "@alice" not in reminder["message"]
