"""End to end against the fake Mattermost: slash commands, dialogs, buttons, WebSocket cuts, forgeries, health.

The bot is the real `relais serve` machinery (`Server`) on a loopback port, talking to
`tests.mmserver` through mattermostautodriver; users act through the fake server's player.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from sqlalchemy import func, select

from bot.core.signing import ANYONE, sign
from bot.db import Database
from bot.mattermost.client import MattermostClient
from bot.mattermost.models import ProcessedEvent
from bot.mattermost.render import CONTEXT_KEY
from tests.mmserver.fixtures import World, seeded_world
from tests.transport_support import (
    SECRET,
    Calls,
    demo_registry,
    free_port,
    make_settings,
    prepare_world,
    running_bot,
    setup_commands,
)


@pytest_asyncio.fixture
async def world() -> AsyncIterator[World]:
    async with seeded_world() as w:
        yield w


class Env:
    def __init__(self, world: World, db: Database, db_url: str, tmp_path: Path) -> None:
        self.world = world
        self.server = world.server
        self.db = db
        self.entraide = prepare_world(world)
        self.port = free_port()
        self.settings = make_settings(world, db_url, tmp_path, self.port)
        self.calls = Calls()
        self.registry = demo_registry(self.calls)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def client(self) -> MattermostClient:
        return MattermostClient(self.settings, max_retries=0, request_timeout=2.0)

    def bot(self, **kwargs: Any) -> Any:
        kwargs.setdefault("client", self.client())
        return running_bot(self.settings, self.db, self.registry, **kwargs)


@pytest_asyncio.fixture
async def env(world: World, db: Database, db_url: str, tmp_path: Path) -> Env:
    e = Env(world, db, db_url, tmp_path)
    await setup_commands(e.settings, db, e.registry)
    return e


async def test_slash_command_reaches_its_handler_and_the_reply_appears(env: Env) -> None:
    w = env.world
    async with env.bot():
        result = await env.server.run_command(w.alice["id"], w.town["id"], "/aide")
    assert result.ok, result.error
    assert result.status == 200
    [reply] = result.ephemerals
    assert "/annuaire" in reply["message"] or "/demo" in reply["message"]
    assert "Commandes" in reply["message"]


async def test_in_channel_reply_keeps_the_thread(env: Env) -> None:
    w = env.world
    root = await env.server.post_as(w.alice["id"], w.town["id"], "Question")
    async with env.bot():
        result = await env.server.run_command(w.alice["id"], w.town["id"], "/demo thread", root_id=root["id"])
    assert result.ok, result.error
    [post] = result.posts
    assert post["root_id"] == root["id"]
    assert root["id"] in post["message"]


async def test_dialog_opens_and_its_submission_is_handled(env: Env) -> None:
    w = env.world
    async with env.bot():
        result = await env.server.run_command(w.alice["id"], w.town["id"], "/demo form")
        assert result.ok, result.error
        assert result.ephemerals == [] and result.posts == []
        dialog = await env.server.wait_for_dialog(w.alice["id"])
        assert dialog.callback_id == "demo:create"
        assert dialog.dialog["elements"][0]["name"] == "title"

        short = await env.server.submit_dialog(w.alice["id"], dialog, {"title": "ab"})
        assert short.ok and not short.closed
        assert "3 lettres" in short.errors["title"]
        assert env.calls.dialogs == []

        done = await env.server.submit_dialog(w.alice["id"], dialog, {"title": "Atelier CAF"})
        assert done.ok and done.closed
        post = await env.server.wait_for_post(channel_id=w.town["id"], contains="Atelier CAF")
    assert post["user_id"] == w.bot["id"]
    assert "créée par @alice" in post["message"]
    assert env.calls.dialogs == [({"title": "Atelier CAF"}, {"n": 7})]


async def test_button_click_updates_the_post(env: Env) -> None:
    w = env.world
    async with env.bot():
        result = await env.server.run_command(w.alice["id"], w.town["id"], "/demo")
        assert result.ok, result.error
        [post] = result.posts
        assert post["props"]["attachments"][0]["actions"][0]["name"] == "Valider"
        click = await env.server.click_button(w.bob["id"], post["id"], "Valider")
    assert click.ok, click.error
    assert env.calls.clicks == [("bob", {"n": 1})]
    updated = env.server.get_post(post["id"])
    assert updated["message"] == "Validé par @bob"
    attachment = updated["props"]["attachments"][0]
    assert attachment["text"] == "Validée" and not attachment.get("actions")


async def test_button_can_answer_privately_and_stale_buttons_say_so(env: Env) -> None:
    w = env.world
    async with env.bot():
        result = await env.server.run_command(w.alice["id"], w.town["id"], "/demo")
        [post] = result.posts
        details = await env.server.click_button(w.bob["id"], post["id"], "Détails")
        stale = await env.server.click_button(w.bob["id"], post["id"], "Valider", context={
            CONTEXT_KEY: sign({"command": "demo", "action": "supprimee", "data": {}}, SECRET, user_id=ANYONE)})
    assert details.ok and details.updated_post is None
    # Private cards keep their buttons: they go out as a REST post, here a direct message because the bot
    # lacks `create_post_ephemeral` (system admins only by default), never as flattened `ephemeral_text`.
    dm = env.server.direct_channel(w.bot["id"], w.bob["id"])
    [private] = await env.server.wait_for(lambda: env.server.posts_in(dm["id"]) or None)
    assert private["message"] == "Détails de la fiche"
    assert private["props"]["attachments"][0]["title"] == "Horaires"
    assert stale.ok and "plus disponible" in stale.ephemerals[0]["message"]
    assert env.server.get_post(post["id"])["message"] == "Choisissez"


async def test_private_file_goes_to_a_direct_message(env: Env) -> None:
    w = env.world
    async with env.bot():
        result = await env.server.run_command(w.alice["id"], w.town["id"], "/demo file")
    assert result.ok, result.error
    assert "message privé" in result.ephemerals[0]["message"]
    dm = env.server.direct_channel(w.bot["id"], w.alice["id"])
    [post] = env.server.posts_in(dm["id"])
    assert post["message"] == "Votre export"
    assert env.server.file_bytes(post["file_ids"][0]) == b"a;b\n1;2\n"


async def test_slow_command_answers_at_once_then_through_response_url(env: Env) -> None:
    w = env.world
    async with env.bot(defer_after=0.05):
        result = await env.server.run_command(w.alice["id"], w.town["id"], "/demo slow")
        assert result.ok, result.error
        assert "Je cherche" in result.ephemerals[0]["message"]
        late = await env.server.wait_for_ephemeral(w.alice["id"], contains="Réponse lente prête")
    assert late["channel_id"] == w.town["id"]
    assert env.calls.slow_done == ["alice"]


async def test_forged_slash_commands_are_refused_and_change_nothing(env: Env) -> None:
    w = env.world
    async with env.bot():
        bad = await env.server.run_command(w.alice["id"], w.town["id"], "/demo", token="forgedtoken" * 2)
        form = {"command": "/demo", "user_id": w.alice["id"], "channel_id": w.town["id"], "text": ""}
        missing = await env.server.send_command_form(f"{env.base}/mattermost/commands", form)
        wrong_trigger_token = env.server.command_by_trigger(w.team["id"], "aide")["token"]
        other = await env.server.send_command_form(f"{env.base}/mattermost/commands", {**form, "token": "x"},
                                                   token=wrong_trigger_token)
    assert bad.status == 401 and not bad.ok
    assert missing.status == 401
    assert other.status == 401  # a valid token of /aide does not open /demo
    assert env.calls.commands == []
    assert env.server.posts_in(w.town["id"]) == []


async def test_forged_button_clicks_are_refused_and_change_nothing(env: Env) -> None:
    w = env.world
    async with env.bot():
        result = await env.server.run_command(w.alice["id"], w.town["id"], "/demo")
        [post] = result.posts
        genuine = post["props"]["attachments"][0]["actions"][0]["integration"]["context"][CONTEXT_KEY]
        raw, mac = genuine.split(".")
        tampered = sign({"command": "demo", "action": "validate", "data": {"n": 999}}, "wrong-secret" * 4,
                        user_id=ANYONE)
        forgeries = {
            "bad signature": {CONTEXT_KEY: tampered},
            "tampered body": {CONTEXT_KEY: raw[:-2] + "AA." + mac},
            "expired": {CONTEXT_KEY: sign({"command": "demo", "action": "validate", "data": {}}, SECRET, ttl=-10,
                                          user_id=ANYONE)},
            "unsigned": {"command": "demo", "action": "validate", "data": {"n": 2}},
        }
        statuses = {}
        for name, context in forgeries.items():
            click = await env.server.click_button(w.bob["id"], post["id"], "Valider", context=context)
            statuses[name] = (click.status, click.ok)
        # Dialog submissions with a forged state are refused too.
        await env.server.run_command(w.alice["id"], w.town["id"], "/demo form")
        dialog = await env.server.wait_for_dialog(w.alice["id"])
        forged_dialog = await env.server.submit_dialog(w.alice["id"], dialog, {"title": "Pirate"},
                                                      state=sign({"command": "demo", "callback": "create",
                                                                  "state": {}}, "nope" * 10, user_id=w.alice["id"]))
        unsigned_dialog = await env.server.submit_dialog(w.alice["id"], dialog, {"title": "Pirate"}, state="{}")
    assert statuses == {name: (403, False) for name in forgeries}
    assert forged_dialog.status == 403 and unsigned_dialog.status == 403
    assert env.calls.clicks == [] and env.calls.dialogs == []
    after = env.server.get_post(post["id"])
    assert after["message"] == "Choisissez" and after["edit_at"] == 0


async def test_websocket_cut_thread_reply_is_handled_exactly_once(env: Env) -> None:
    w = env.world
    s = env.server
    channel = env.entraide["id"]
    async with env.bot() as bot:
        await s.wait_for_websockets(1, w.bot["id"])
        await s.wait_for(lambda: bot.listener.connections >= 1)
        root = await s.post_as(w.alice["id"], channel, "Quelqu'un connaît un atelier CAF ?")
        await s.wait_for(lambda: root["id"] in env.calls.posted)

        s.refuse_websockets = True
        assert await s.drop_websockets() == 1
        reply = await s.post_as(w.bob["id"], channel, "Oui, à la médiathèque", root_id=root["id"])
        await s.react_as(w.alice["id"], root["id"], "thumbsup")
        await asyncio.sleep(0.2)  # the bot is knocking on a closed door meanwhile
        assert reply["id"] not in env.calls.posted
        s.refuse_websockets = False

        await s.wait_for(lambda: bot.listener.connections >= 2)
        await bot.listener.settled()
        # A live event for the same post (as if it was also delivered live) is ignored.
        await bot.listener.process({"event": "posted", "data": {"post": reply}, "broadcast": {"channel_id": channel}})
    assert env.calls.posted.count(reply["id"]) == 1
    assert env.calls.posted.count(root["id"]) == 1
    assert env.calls.reactions == [(root["id"], "thumbsup")]

    # A restart neither replays what was handled nor misses what came while it was down.
    later = await s.post_as(w.alice["id"], channel, "Merci !", root_id=root["id"])
    async with env.bot() as bot:
        await s.wait_for(lambda: bot.listener.connections >= 1)
        await bot.listener.settled()
    assert env.calls.posted.count(reply["id"]) == 1
    assert env.calls.posted.count(later["id"]) == 1
    with env.db.session() as session:
        assert session.scalar(select(func.count()).select_from(ProcessedEvent)) == 4


async def test_bot_ignores_its_own_posts_and_frames_without_event(env: Env) -> None:
    w = env.world
    async with env.bot() as bot:
        await env.server.wait_for(lambda: bot.listener.connections >= 1)
        own = await env.server.post_as(w.bot["id"], env.entraide["id"], "Message du bot")
        await bot.listener._on_frame('{"status":"OK","seq_reply":1}')
        await bot.listener._on_frame("not json")
        await env.server.post_as(w.alice["id"], env.entraide["id"], "Bonjour")
        await env.server.wait_for(lambda: len(env.calls.posted) == 1)
        await bot.listener.settled()
    assert own["id"] not in env.calls.posted


async def test_healthz_reports_what_is_down_and_recovers(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.mattermost.http.HEALTH_CACHE", 0.0)  # each probe looks again (cached 5 s in service)
    async with env.bot(), aiohttp.ClientSession() as http:
        async with http.get(f"{env.base}/healthz") as resp:
            assert resp.status == 200
            assert "Server" not in resp.headers  # no "Python/… aiohttp/…" banner
            body = await resp.json()
        assert body["database"] == "ok" and body["mattermost"] == "ok"

        await env.server.go_down()
        async with http.get(f"{env.base}/healthz") as resp:
            assert resp.status == 503
            body = await resp.json()
        assert body["mattermost"] == "down" and body["database"] == "ok"
        assert "mattermost" in body["status"]

        env.server.down = False
        async with http.get(f"{env.base}/healthz") as resp:
            assert resp.status == 200


async def test_healthz_probes_within_a_few_seconds_share_one_upstream_check(env: Env) -> None:
    async with env.bot(), aiohttp.ClientSession() as http:
        async with http.get(f"{env.base}/healthz") as resp:
            assert resp.status == 200
        pings = len(env.server.requests_to("/api/v4/users/me"))
        for _ in range(20):  # within HEALTH_CACHE: the state seen a moment ago, no new API call
            async with http.get(f"{env.base}/healthz") as resp:
                assert resp.status == 200
        assert len(env.server.requests_to("/api/v4/users/me")) == pings


async def test_mattermost_down_at_start_is_not_fatal(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.mattermost.http.HEALTH_CACHE", 0.0)
    w = env.world
    env.server.down = True
    async with env.bot() as bot, aiohttp.ClientSession() as http:
        async with http.get(f"{env.base}/healthz") as resp:
            assert resp.status == 503
            assert (await resp.json())["websocket"] == "reconnecting"
        env.server.down = False
        await env.server.wait_for(lambda: bot.listener.connections >= 1)
        result = await env.server.run_command(w.alice["id"], w.town["id"], "/aide")
        assert result.ok, result.error
        async with http.get(f"{env.base}/healthz") as resp:
            assert resp.status == 200
            assert (await resp.json())["websocket"] == "connected"


async def test_shutdown_waits_for_work_in_flight(env: Env) -> None:
    w = env.world
    env.registry = demo_registry(env.calls, slow_seconds=0.5)
    bot_cm = env.bot()
    bot = await bot_cm.__aenter__()
    command = asyncio.ensure_future(env.server.run_command(w.alice["id"], w.town["id"], "/demo slow"))
    await env.server.wait_for(lambda: env.calls.commands == ["slow"])
    await bot_cm.__aexit__(None, None, None)  # stop while the handler is still running
    result = await command
    assert result.ok, result.error
    assert env.calls.slow_done == ["alice"]
    assert result.ephemerals[0]["message"] == "Réponse lente prête"
    assert env.server.ws_connection_count(w.bot["id"]) == 0
    assert not bot.scheduler.running
    async with aiohttp.ClientSession() as http:
        with pytest.raises(aiohttp.ClientConnectionError):
            await http.get(f"{env.base}/healthz")


SCHEDULED: list[str] = []


def schedule(app: Any, scheduler: Any) -> None:
    """A job installer, as a feature declares it in `bot.features`."""
    scheduler.add_job(_tick, "interval", seconds=3600, id="tick")
    SCHEDULED.append(app.settings.team)


async def _tick() -> None:
    pass


async def test_handler_modules_can_schedule_jobs(env: Env) -> None:
    async with env.bot(jobs=(schedule,)) as bot:
        assert bot.scheduler.running
        assert bot.scheduler.get_job("tick") is not None
        assert bot.scheduler.get_job("relais-purge-processed-events") is not None
    assert SCHEDULED[-1] == "reseau"


async def test_reconnects_whatever_the_handshake_order_and_survives_a_revoked_token(env: Env) -> None:
    w = env.world
    s = env.server
    s.config.ws_hello_first = False  # the auth reply before hello: both orders happen on real servers
    token = w.token(w.bot)
    async with env.bot() as bot, aiohttp.ClientSession() as http:
        await s.wait_for(lambda: bot.listener.connections >= 1)
        s.set_token(w.bot["id"], "revokedtokenxxxxxxxxxxxxxx")
        await s.drop_websockets()
        await asyncio.sleep(0.3)  # several refused attempts; the listener keeps trying
        assert not bot.listener.connected and bot.listener.connections == 1
        async with http.get(f"{env.base}/healthz") as resp:
            assert resp.status == 503
        s.set_token(w.bot["id"], token)
        await s.wait_for(lambda: bot.listener.connections >= 2, timeout=10)
        await s.post_as(w.alice["id"], env.entraide["id"], "Toujours là ?")
        await s.wait_for(lambda: len(env.calls.posted) == 1)
