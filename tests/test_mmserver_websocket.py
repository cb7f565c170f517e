"""The fake server's WebSocket: authentication, hello/seq, double-encoded events, channel scoping, and
the drop/refuse controls, exercised with mattermostautodriver's Websocket and raw aiohttp clients."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
import pytest_asyncio

from tests.mmserver.fixtures import World, seeded_world

# mattermostautodriver's Websocket passes ssl=None to aiohttp for ws:// URLs (library-side deprecation).
pytestmark = pytest.mark.filterwarnings("ignore:ssl=None is deprecated:DeprecationWarning")


@pytest_asyncio.fixture
async def world() -> AsyncIterator[World]:
    async with seeded_world() as w:
        yield w


class Listener:
    """Runs a driver's websocket loop in a task and keeps every raw frame it hands to the handler."""

    def __init__(self, world: World, user: dict[str, Any], **options: Any) -> None:
        self.driver = world.driver(user, **options)
        self.frames: list[dict[str, Any]] = []
        self.task: asyncio.Task[None] | None = None

    async def handler(self, raw: str) -> None:
        self.frames.append(json.loads(raw))

    async def start(self) -> Listener:
        await self.driver.login()
        self.task = asyncio.create_task(self.driver.init_websocket(self.handler))
        return self

    async def stop(self) -> None:
        self.driver.disconnect()
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self.task
        await self.driver.client.close()

    def events(self, name: str) -> list[dict[str, Any]]:
        return [f for f in self.frames if f.get("event") == name]

    async def next_event(self, name: str, count: int = 1, timeout: float = 3.0) -> dict[str, Any]:
        async def wait() -> dict[str, Any]:
            while len(self.events(name)) < count:
                await asyncio.sleep(0.01)
            return self.events(name)[count - 1]

        return await asyncio.wait_for(wait(), timeout)


async def raw_socket(world: World, session: aiohttp.ClientSession, **kwargs: Any) -> aiohttp.ClientWebSocketResponse:
    return await session.ws_connect(world.server.url.replace("http", "ws") + "/api/v4/websocket", **kwargs)


async def next_json(ws: aiohttp.ClientWebSocketResponse) -> dict[str, Any]:
    return json.loads(await asyncio.wait_for(ws.receive_str(), 3.0))


@pytest.mark.asyncio
async def test_challenge_hello_and_double_encoded_posted_event(world: World) -> None:
    bot = await Listener(world, world.bot).start()
    bob = await Listener(world, world.bob).start()
    try:
        await world.server.wait_for_websockets(2)
        hello, reply = bot.frames[0], bot.frames[1]
        assert hello["event"] == "hello" and hello["seq"] == 0
        assert hello["broadcast"]["user_id"] == world.bot["id"] and hello["data"]["server_version"]
        assert reply == {"status": "OK", "seq_reply": 1}

        await world.server.post_as(world.alice["id"], world.town["id"], "Bonjour @relais !")
        posted = await bot.next_event("posted")
        data = posted["data"]
        assert isinstance(data["post"], str)  # nested objects are JSON strings
        post = json.loads(data["post"])
        assert post["message"] == "Bonjour @relais !" and post["user_id"] == world.alice["id"]
        assert json.loads(data["mentions"]) == [world.bot["id"]]
        assert data["sender_name"] == "@alice" and data["channel_type"] == "O" and data["set_online"] is True
        assert (data["channel_name"], data["channel_display_name"]) == ("town-square", "Town Square")
        assert data["team_id"] == world.team["id"] and posted["broadcast"]["channel_id"] == world.town["id"]
        bob_posted = await bob.next_event("posted")
        assert "mentions" not in bob_posted["data"]  # only the mentioned receiver gets the key

        await world.server.post_as(world.alice["id"], world.private["id"], "entre nous")
        await bot.next_event("posted", count=2)
        await asyncio.sleep(0.05)
        assert len(bob.events("posted")) == 1  # bob is not a member of the private channel
        seqs = [f["seq"] for f in bot.frames if "seq" in f and "event" in f]
        assert seqs == list(range(len(seqs)))
    finally:
        await bot.stop()
        await bob.stop()


@pytest.mark.asyncio
async def test_header_auth_bad_tokens_and_auth_timeout(world: World) -> None:
    world.server.config.ws_auth_timeout = 0.2
    headers = {"Authorization": "Bearer " + world.token(world.alice)}
    async with aiohttp.ClientSession() as session:
        ws = await raw_socket(world, session, headers=headers)
        hello = await next_json(ws)
        assert hello["event"] == "hello" and hello["broadcast"]["user_id"] == world.alice["id"]
        await ws.send_str(json.dumps({"seq": 1, "action": "authentication_challenge", "data": {"token": "x"}}))
        await ws.send_str(json.dumps({"seq": 2, "action": "user_typing", "data": {"channel_id": world.town["id"]}}))
        frames = [await next_json(ws), await next_json(ws)]
        assert {"status": "OK", "seq_reply": 2, "data": {}} in frames  # the second challenge is ignored
        await ws.close()

        with pytest.raises(aiohttp.WSServerHandshakeError) as err:
            await raw_socket(world, session, headers={"Authorization": "Bearer nope"})
        assert err.value.status == 401

        ws = await raw_socket(world, session)
        await ws.send_str(json.dumps({"seq": 1, "action": "authentication_challenge", "data": {"token": "nope"}}))
        msg = await asyncio.wait_for(ws.receive(), 3.0)
        assert msg.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.ERROR)

        ws = await raw_socket(world, session)  # never authenticates
        msg = await asyncio.wait_for(ws.receive(), 3.0)
        assert msg.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.ERROR)
    assert world.server.ws_connection_count() == 0


@pytest.mark.asyncio
async def test_edit_delete_reaction_ephemeral_and_dialog_events(world: World) -> None:
    world.server.config.ws_hello_first = False
    async with aiohttp.ClientSession() as session:
        ws = await raw_socket(world, session)
        token = world.token(world.bot)
        await ws.send_str(json.dumps({"seq": 1, "action": "authentication_challenge", "data": {"token": token}}))
        assert await next_json(ws) == {"status": "OK", "seq_reply": 1}  # the other order happens too
        assert (await next_json(ws))["event"] == "hello"
        assert (await next_json(ws))["event"] == "status_change"

        server = world.server
        post = await server.post_as(world.alice["id"], world.town["id"], "v1")
        await server.edit_post_as(world.alice["id"], post["id"], "v2")
        await server.react_as(world.alice["id"], post["id"], "white_check_mark")
        await server.unreact_as(world.alice["id"], post["id"], "white_check_mark")
        await server.delete_post_as(world.alice["id"], post["id"])
        await server.core.send_ephemeral(world.bob["id"], world.admin["id"], world.town["id"], "pour bob")
        await server.core.send_ephemeral(world.bot["id"], world.admin["id"], world.town["id"], "pour le bot")
        await server.core.open_dialog(server.issue_trigger_id(world.bot["id"]), "http://x/d", {"title": "T"})

        frames = [await next_json(ws) for _ in range(7)]
        names = [f["event"] for f in frames]
        assert names == [
            "posted",
            "post_edited",
            "reaction_added",
            "reaction_removed",
            "post_deleted",
            "ephemeral_message",
            "open_dialog",
        ]
        assert [f["seq"] for f in frames] == list(range(2, 9))
        edited = json.loads(frames[1]["data"]["post"])
        assert edited["message"] == "v2" and edited["edit_at"] > 0
        reaction = json.loads(frames[2]["data"]["reaction"])
        assert set(reaction) == {
            "user_id",
            "post_id",
            "emoji_name",
            "create_at",
            "update_at",
            "delete_at",
            "remote_id",
            "channel_id",
        }
        assert reaction["emoji_name"] == "white_check_mark" and reaction["post_id"] == post["id"]
        assert json.loads(frames[4]["data"]["post"])["delete_at"] > 0
        ephemeral = json.loads(frames[5]["data"]["post"])
        assert ephemeral["message"] == "pour le bot" and ephemeral["type"] == "system_ephemeral"
        assert json.loads(frames[6]["data"]["dialog"])["dialog"] == {"title": "T"}
        await ws.close()


@pytest.mark.asyncio
async def test_drop_refuse_and_reconnect_with_the_driver(world: World) -> None:
    server = world.server
    bot = await Listener(world, world.bot, keepalive=True, keepalive_delay=0.05).start()
    try:
        await server.wait_for_websockets(1, user_id=world.bot["id"])
        assert await server.drop_websockets() == 1
        assert server.ws_connection_count() == 0
        await server.wait_for_websockets(1, timeout=3)
        assert len(bot.events("hello")) == 2  # a new connection, with a new hello

        server.refuse_websockets = True
        await server.drop_websockets()
        await asyncio.sleep(0.3)
        assert server.ws_connection_count() == 0
        refused = [r for r in server.requests_log if r.path == "/api/v4/websocket" and r.status == 503]
        assert refused  # the driver kept retrying
        server.refuse_websockets = False
        await server.wait_for_websockets(1, timeout=3)

        await server.post_as(world.alice["id"], world.town["id"], "après la coupure")
        posted = await bot.next_event("posted")
        assert json.loads(posted["data"]["post"])["message"] == "après la coupure"
    finally:
        await bot.stop()
