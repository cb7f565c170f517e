"""Fault injection (temporary failures, full outage) and the threaded server used by bots on another loop."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import aiohttp
import httpx
import pytest
import pytest_asyncio
from mattermostautodriver import TypedDriver

from tests.mmserver import MMServerThread
from tests.mmserver.fixtures import World, seed_world, seeded_world
from tests.mmserver.stub import IntegrationStub, StubReply


@pytest_asyncio.fixture
async def world() -> AsyncIterator[World]:
    async with seeded_world() as w:
        yield w


@pytest.mark.asyncio
async def test_fail_requests_for_a_count_then_for_a_duration(world: World) -> None:
    server = world.server
    rule = server.fail_requests("/api/v4/posts", status=503, count=2, method="POST")
    body = {"channel_id": world.town["id"], "message": "tentative"}
    async with httpx.AsyncClient(
        base_url=server.url, headers={"Authorization": "Bearer " + world.token(world.bot)}
    ) as client:
        statuses = [(await client.post("/api/v4/posts", json=body)).status_code for _ in range(3)]
        assert statuses == [503, 503, 201] and rule.hits == 2 and rule.exhausted
        assert (await client.get(f"/api/v4/channels/{world.town['id']}")).status_code == 200  # other paths untouched

        server.fail_requests("/api/v4/channels", status=429, duration=0.2, body="limit exceeded",
                             content_type="text/plain", headers={"X-Ratelimit-Reset": "1"})  # fmt: skip
        limited = await client.get(f"/api/v4/channels/{world.town['id']}")
        assert limited.status_code == 429 and limited.text == "limit exceeded"
        assert limited.headers["X-Ratelimit-Reset"] == "1"
        await asyncio.sleep(0.25)
        assert (await client.get(f"/api/v4/channels/{world.town['id']}")).status_code == 200

        server.fail_requests("/api/v4/users/me", status=500)
        failed = await client.get("/api/v4/users/me")
        assert failed.status_code == 500 and failed.json()["id"] == "mmserver.fault_injected.app_error"
        server.clear_faults()
        assert (await client.get("/api/v4/users/me")).status_code == 200
    assert [p["message"] for p in server.posts_in(world.town["id"])] == ["tentative"]


@pytest.mark.asyncio
async def test_outage_answers_502_everywhere_and_cuts_sockets(world: World) -> None:
    server = world.server
    async with aiohttp.ClientSession() as session:
        ws = await session.ws_connect(
            server.url.replace("http", "ws") + "/api/v4/websocket",
            headers={"Authorization": "Bearer " + world.token(world.bot)},
        )
        assert json.loads(await ws.receive_str())["event"] == "hello"
        await server.go_down()
        msg = await asyncio.wait_for(ws.receive(), 3)
        while msg.type == aiohttp.WSMsgType.TEXT:  # status_change sent right after hello
            msg = await asyncio.wait_for(ws.receive(), 3)
        assert msg.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.ERROR)
        async with session.get(server.url + "/api/v4/system/ping") as resp:
            assert resp.status == 502 and resp.content_type == "text/html"
        with pytest.raises(aiohttp.WSServerHandshakeError) as err:
            await session.ws_connect(server.url.replace("http", "ws") + "/api/v4/websocket")
        assert err.value.status == 502
        server.down = False
        async with session.get(server.url + "/api/v4/system/ping") as resp:
            assert resp.status == 200


def test_threaded_server_serves_a_sync_driver_and_runs_commands() -> None:
    with MMServerThread() as thread:
        server = thread.server
        world = thread.call_sync(seed_world, server)
        stub = thread.call(IntegrationStub().start())
        stub.replies["/cmd"] = StubReply(body={"response_type": "in_channel", "text": "depuis le fil"})
        driver = TypedDriver(server.driver_options(world.admin["id"]))
        try:
            assert driver.login()["username"] == "admin"
            driver.commands.create_command(world.team["id"], "P", "fil", stub.url + "/cmd")
            driver.posts.create_post(channel_id=world.town["id"], message="synchrone")
            result = thread.call(server.run_command(world.alice["id"], world.town["id"], "/fil"))
            assert result.ok and result.posts[0]["message"] == "depuis le fil"
            messages = [p["message"] for p in thread.call_sync(server.posts_in, world.town["id"])]
            assert messages == ["synchrone", "depuis le fil"]
        finally:
            driver.close()
            thread.call(stub.stop())
