"""The fake Mattermost REST API, driven by the real client library (mattermostautodriver) and raw httpx,
with every exchange validated against the official OpenAPI bot subset."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from mattermostautodriver.exceptions import (
    InvalidOrMissingParameters,
    NoAccessTokenProvided,
    NotEnoughPermissions,
    ResourceNotFound,
)

from tests.mmserver.fixtures import World, seeded_world
from tests.mmserver.openapi_check import openapi, validate_exchange, validate_log

ERROR_KEYS = {"id", "message", "detailed_error", "request_id", "status_code"}
POST_KEYS = [
    "id",
    "create_at",
    "update_at",
    "edit_at",
    "delete_at",
    "is_pinned",
    "user_id",
    "channel_id",
    "root_id",
    "original_id",
    "message",
    "type",
    "props",
    "hashtags",
    "file_ids",
    "pending_post_id",
    "reply_count",
    "last_reply_at",
    "participants",
    "metadata",
]


@pytest_asyncio.fixture
async def world() -> AsyncIterator[World]:
    async with seeded_world() as w:
        yield w


def http(world: World, user: dict[str, Any] | None = None, token: str | None = None) -> httpx.AsyncClient:
    """A raw client, to look at status codes and headers the driver hides."""
    headers = {}
    if user is not None or token is not None:
        headers["Authorization"] = "Bearer " + (token or world.token(user or {}))
    return httpx.AsyncClient(base_url=world.server.url, headers=headers)


def assert_spec_valid(world: World) -> list[str]:
    """Every logged exchange the spec describes must validate; returns the validated 'METHOD path' list."""
    results = validate_log(world.server.requests_log)
    bad = [str(r) for r in results if r.in_spec and not r.ok]
    assert not bad, "\n".join(bad)
    return [f"{r.entry.method} {r.entry.path}" for r in results if r.in_spec]


@pytest.mark.asyncio
async def test_auth_failures_use_the_mattermost_error_body(world: World) -> None:
    bad = world.driver(world.bot, token="not-a-token")
    with pytest.raises(NoAccessTokenProvided):
        await bad.login()
    async with http(world) as anonymous, http(world, token="nope") as wrong:
        for client in (anonymous, wrong):
            resp = await client.get("/api/v4/users/me")
            assert resp.status_code == 401
            assert resp.headers["content-type"] == "application/json"
            body = resp.json()
            assert set(body) == ERROR_KEYS
            assert body["id"] == "api.context.session_expired.app_error"
            assert body["status_code"] == 401
            assert resp.headers["X-Request-Id"] == body["request_id"]
        ping = await anonymous.get("/api/v4/system/ping")
        assert ping.json()["status"] == "OK"
        missing = await anonymous.get("/api/v4/nope")
        assert missing.status_code == 404 and missing.json()["id"] == "api.context.404.app_error"
    assert_spec_valid(world)


@pytest.mark.asyncio
async def test_users_teams_channels_lookups(world: World) -> None:
    d = world.driver(world.bot)
    me = await d.login()
    assert me["id"] == world.bot["id"] and me["is_bot"] is True
    assert d.client.userid == world.bot["id"] and d.client.username == "relais"
    alice = await d.users.get_user_by_username("alice")
    assert "is_bot" not in alice  # omitempty in model.User
    assert {u["username"] for u in await d.users.get_users_by_ids([world.alice["id"], world.bob["id"]])} == {
        "alice",
        "bob",
    }
    team = await d.teams.get_team_by_name("reseau")
    assert team["id"] == world.team["id"]
    member = await d.teams.get_team_member(world.team["id"], world.bot["id"])
    assert member["roles"] == "team_user" and member["scheme_user"] is True
    town = await d.channels.get_channel_by_name_for_team_name("reseau", "town-square")
    assert town["id"] == world.town["id"] and town["type"] == "O"
    assert (await d.channels.get_channel_by_name(world.team["id"], "equipe"))["type"] == "P"
    members = await d.channels.get_channel_members(world.town["id"], page=0, per_page=2)
    assert len(members) == 2
    second = await d.channels.get_channel_members(world.town["id"], page=1, per_page=2)
    assert {m["user_id"] for m in members + second} == {
        world.bot["id"],
        world.alice["id"],
        world.bob["id"],
        world.admin["id"],
    }
    channels = await d.channels.get_channels_for_team_for_user(world.bot["id"], world.team["id"])
    assert {c["name"] for c in channels} == {"town-square", "equipe"}
    memberships = await d.channels.get_channel_members_for_user(world.bot["id"], world.team["id"])
    assert {m["channel_id"] for m in memberships} == {world.town["id"], world.private["id"]}
    mine = await d.channels.get_channel_member(world.town["id"], world.bot["id"])
    assert mine["roles"] == "channel_user" and "notify_props" in mine
    dm = await d.channels.create_direct_channel([world.bot["id"], world.alice["id"]])
    assert dm["type"] == "D" and dm["name"] == "__".join(sorted([world.bot["id"], world.alice["id"]]))
    assert (await d.channels.create_direct_channel([world.alice["id"], world.bot["id"]]))["id"] == dm["id"]
    roles = await d.roles.get_roles_by_names(["team_admin", "system_admin"])
    assert "manage_slash_commands" in roles[0]["permissions"]
    assert "create_post_ephemeral" in roles[1]["permissions"]

    bob = world.driver(world.bob)
    await bob.login()
    with pytest.raises(NotEnoughPermissions):
        await bob.channels.get_channel_by_name(world.team["id"], "equipe")
    with pytest.raises(ResourceNotFound):
        await bob.channels.get_channel_by_name(world.team["id"], "nowhere")
    with pytest.raises(ResourceNotFound):
        await bob.teams.get_team_by_name("other")
    validated = assert_spec_valid(world)
    assert "GET /api/v4/teams/name/reseau/channels/name/town-square" in validated
    assert "POST /api/v4/channels/direct" in validated


@pytest.mark.asyncio
async def test_posts_threads_and_root_id_rule(world: World) -> None:
    d = world.driver(world.bot)
    await d.login()
    root = await d.posts.create_post(channel_id=world.town["id"], message="Bonjour #accueil")
    assert list(root) == POST_KEYS  # has_reactions is omitempty; file_ids is not (Mattermost 10.7)
    assert root["props"] == {"from_bot": "true"} and root["hashtags"] == "#accueil"
    reply = await d.posts.create_post(channel_id=world.town["id"], message="suite", root_id=root["id"])
    assert reply["root_id"] == root["id"]
    with pytest.raises(InvalidOrMissingParameters) as err:
        await d.posts.create_post(channel_id=world.town["id"], message="x", root_id=reply["id"])
    assert err.value.error_id == "api.post.create_post.root_id.app_error"
    with pytest.raises(InvalidOrMissingParameters):
        await d.posts.create_post(channel_id=world.town["id"], message="x" * 16384)
    assert (await d.posts.create_post(channel_id=world.town["id"], message="é" * 16383))["message"]

    thread = await d.posts.get_post_thread(reply["id"])
    assert set(thread["order"]) == {root["id"], reply["id"]}
    assert thread["posts"][root["id"]]["reply_count"] == 1
    assert set(thread) == {"order", "posts", "next_post_id", "prev_post_id", "has_next", "first_inaccessible_post_time"}

    bob = world.driver(world.bob)
    await bob.login()
    with pytest.raises(NotEnoughPermissions):
        await bob.posts.create_post(channel_id=world.private["id"], message="intrus")
    with pytest.raises(NotEnoughPermissions):
        await bob.posts.patch_post(root["id"], message="pas à moi")

    async with http(world, world.bot) as client:
        created = await client.post("/api/v4/posts", json={"channel_id": world.town["id"], "message": "raw"})
        assert created.status_code == 201
        patched = await client.put(f"/api/v4/posts/{root['id']}/patch", json={"message": "édité", "props": {"k": 1}})
        assert patched.status_code == 200
        body = patched.json()
        assert body["edit_at"] > 0 and body["props"] == {"k": 1}  # replaced whole, as Mattermost 10.7 does
        assert (await client.get(f"/api/v4/posts/{root['id']}")).json()["message"] == "édité"
        full = await client.put(
            f"/api/v4/posts/{created.json()['id']}", json={"id": created.json()["id"], "message": "v2"}
        )
        assert full.status_code == 200 and full.json()["message"] == "v2" and full.json()["edit_at"] > 0
        deleted = await client.delete(f"/api/v4/posts/{created.json()['id']}")
        assert deleted.json() == {"status": "OK"}
        assert (await client.get(f"/api/v4/posts/{created.json()['id']}")).status_code == 404
    validated = assert_spec_valid(world)
    assert {"POST /api/v4/posts", f"PUT /api/v4/posts/{root['id']}/patch"} <= set(validated)


@pytest.mark.asyncio
async def test_channel_posts_since_returns_edits_and_deletes(world: World) -> None:
    server = world.server
    first = await server.post_as(world.alice["id"], world.town["id"], "un")
    second = await server.post_as(world.alice["id"], world.town["id"], "deux")
    third = await server.post_as(world.alice["id"], world.town["id"], "trois")
    mark = server.clock.now_ms()
    await server.edit_post_as(world.alice["id"], first["id"], "un (modifié)")
    await server.delete_post_as(world.alice["id"], second["id"])
    reply = await server.post_as(world.bob["id"], world.town["id"], "réponse", root_id=third["id"])

    d = world.driver(world.bot)
    await d.login()
    since = await d.posts.get_posts_for_channel(world.town["id"], since=mark)
    assert set(since["order"]) == {first["id"], second["id"], reply["id"], third["id"]}
    assert since["posts"][second["id"]]["delete_at"] > 0
    assert since["posts"][first["id"]]["edit_at"] > 0
    page = await d.posts.get_posts_for_channel(world.town["id"], page=0, per_page=2)
    assert page["order"] == [reply["id"], third["id"]]  # newest first, deleted posts excluded
    older = await d.posts.get_posts_for_channel(world.town["id"], page=1, per_page=2)
    assert older["order"] == [first["id"]]
    before = await d.posts.get_posts_for_channel(world.town["id"], before=third["id"])
    assert before["order"] == [first["id"]] and before["next_post_id"] == third["id"]
    assert_spec_valid(world)


@pytest.mark.asyncio
async def test_reactions_answer_200_and_check_the_user(world: World) -> None:
    post = await world.server.post_as(world.alice["id"], world.town["id"], "vote")
    d = world.driver(world.bot)
    await d.login()
    async with http(world, world.bot) as client:
        saved = await client.post(
            "/api/v4/reactions", json={"user_id": world.bot["id"], "post_id": post["id"], "emoji_name": "+1"}
        )
        assert saved.status_code == 200  # the spec says 201; the server never writes 201
        assert set(saved.json()) >= {"user_id", "post_id", "emoji_name", "create_at", "channel_id"}
        forged = await client.post(
            "/api/v4/reactions", json={"user_id": world.alice["id"], "post_id": post["id"], "emoji_name": "+1"}
        )
        assert forged.status_code == 403
        # As Mattermost 10.7 answered: a name that is neither a system nor a custom emoji is 404.
        for name, status in (("heavy_check_mark", 200), ("check", 404), ("not_an_emoji_xyz", 404), ("✅", 404)):
            resp = await client.post(
                "/api/v4/reactions", json={"user_id": world.bot["id"], "post_id": post["id"], "emoji_name": name}
            )
            assert resp.status_code == status, name
            if status == 404:
                assert resp.json()["id"] == "app.emoji.get_by_name.no_result"
        await client.delete(f"/api/v4/users/{world.bot['id']}/posts/{post['id']}/reactions/heavy_check_mark")
    reactions = await d.reactions.get_reactions(post["id"])
    assert [r["emoji_name"] for r in reactions] == ["+1"]
    got = await d.posts.get_post(post["id"])
    assert got["has_reactions"] is True and got["metadata"]["reactions"][0]["user_id"] == world.bot["id"]
    assert await d.reactions.delete_reaction(world.bot["id"], post["id"], "+1") == {"status": "OK"}
    assert world.server.reactions_on(post["id"]) == []
    validated = assert_spec_valid(world)
    assert "POST /api/v4/reactions" in validated

    raw = [e for e in world.server.requests_log if e.path == "/api/v4/reactions" and e.status == 200][0]
    assert not validate_exchange(raw, openapi(with_deviations=False)).ok  # the deviation is what makes it pass


@pytest.mark.asyncio
async def test_ephemeral_posts_need_system_admin(world: World) -> None:
    bot = world.driver(world.bot)
    await bot.login()
    with pytest.raises(NotEnoughPermissions):
        await bot.posts.create_post_ephemeral(world.alice["id"], {"channel_id": world.town["id"], "message": "psst"})
    admin = world.driver(world.admin)
    await admin.login()
    eph = await admin.posts.create_post_ephemeral(
        world.alice["id"], {"channel_id": world.town["id"], "message": "psst"}
    )
    assert eph["type"] == "system_ephemeral" and len(eph["id"]) == 26
    assert [p["message"] for p in world.server.ephemerals_for(world.alice["id"])] == ["psst"]
    assert world.server.posts_in(world.town["id"]) == []  # never stored as a post
    assert_spec_valid(world)


@pytest.mark.asyncio
async def test_file_upload_keeps_the_bytes(world: World) -> None:
    d = world.driver(world.bot)
    await d.login()
    uploaded = await d.files.upload_file(files=("rapport.csv", b"a;b\n1;2\n", "text/csv"), channel_id=world.town["id"])
    assert set(uploaded) == {"file_infos", "client_ids"}
    info = uploaded["file_infos"][0]
    assert info["name"] == "rapport.csv" and info["extension"] == "csv" and info["size"] == 8
    assert world.server.file_bytes(info["id"]) == b"a;b\n1;2\n"
    post = await d.posts.create_post(channel_id=world.town["id"], message="voir pièce jointe", file_ids=[info["id"]])
    assert post["file_ids"] == [info["id"]] and post["metadata"]["files"][0]["post_id"] == post["id"]
    async with http(world, world.alice) as client:
        download = await client.get(f"/api/v4/files/{info['id']}")
        assert download.content == b"a;b\n1;2\n" and download.headers["content-type"] == "text/csv"
    upload = [e for e in world.server.requests_log if e.path == "/api/v4/files"][0]
    assert upload.status == 201
    assert_spec_valid(world)
