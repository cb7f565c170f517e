"""The driver wrapper against the fake Mattermost: Platform methods, roles, errors as PlatformError."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.core.context import PlatformError
from bot.core.replies import Card, FileUpload
from bot.mattermost.client import MattermostClient
from tests.mmserver.fixtures import World, seeded_world
from tests.transport_support import make_settings


@pytest_asyncio.fixture
async def world() -> AsyncIterator[World]:
    async with seeded_world() as w:
        yield w


@pytest_asyncio.fixture
async def client(world: World, tmp_path: Path) -> AsyncIterator[MattermostClient]:
    settings = make_settings(world, f"sqlite:///{tmp_path / 'unused.db'}", tmp_path, 8080)
    c = MattermostClient(settings, max_retries=0)
    await c.login()
    try:
        yield c
    finally:
        await c.close()


async def test_login_channels_members_and_users(world: World, client: MattermostClient) -> None:
    assert client.bot_user_id == world.bot["id"] and client.bot_username == "relais"
    town = await client.channel_by_name("town-square")
    assert town is not None and town.id == world.town["id"] and town.team_id == world.team["id"]
    assert await client.channel_by_name("~inexistant") is None
    members = await client.channel_members(world.private["id"])
    assert sorted(m.username for m in members) == ["alice", "relais"]
    alice = await client.user(world.alice["id"])
    assert alice is not None and alice.username == "alice"
    assert await client.user("y" * 26) is None
    assert client.permalink("abc") == f"{world.server.url}/reseau/pl/abc"


async def test_admin_roles(world: World, client: MattermostClient) -> None:
    team_admin = world.server.add_user("coord")
    world.server.add_team_member(world.team["id"], team_admin["id"], roles="team_user team_admin")
    assert await client.is_team_or_system_admin(world.admin["id"])  # system admin
    assert await client.is_team_or_system_admin(team_admin["id"])
    assert not await client.is_team_or_system_admin(world.alice["id"])


async def test_posts_cards_files_threads_and_updates(world: World, client: MattermostClient) -> None:
    root_id = await client.create_post(world.town["id"], "Bonjour", cards=[Card(title="Carte")], command="aide",
                                       files=[FileUpload("a.txt", b"contenu", "text/plain")])
    root = world.server.get_post(root_id)
    assert root["props"]["attachments"][0]["title"] == "Carte"
    assert world.server.file_bytes(root["file_ids"][0]) == b"contenu"
    reply_id = await client.create_post(world.town["id"], "x" * 20000, root_id=root_id)
    thread = world.server.thread(root_id)
    assert [p["id"] for p in thread][:2] == [root_id, reply_id] and len(thread) == 3
    assert "".join(p["message"] for p in thread[1:]) == "x" * 20000
    await client.update_post(root_id, "Modifié")
    assert world.server.get_post(root_id)["message"] == "Modifié"
    assert world.server.get_post(root_id)["props"].get("attachments") == []
    # Modified since the root was created: the edited root and both replies, oldest first.
    changed = await client.posts_since(world.town["id"], root["create_at"])
    assert [p.id for p in changed] == [p["id"] for p in thread]


async def test_errors_become_platform_errors(world: World, client: MattermostClient) -> None:
    world.server.fail_requests("/api/v4/posts", status=503, count=1)
    with pytest.raises(PlatformError) as err:
        await client.create_post(world.town["id"], "x")
    assert err.value.status == 503 and err.value.retryable
    with pytest.raises(PlatformError) as err:
        await client.create_post(world.server.add_channel(world.team["id"], "ferme", type="P")["id"], "x")
    assert err.value.status == 403 and not err.value.retryable
    await world.server.go_down()
    with pytest.raises(PlatformError) as err:
        await client.ping()
    assert err.value.retryable


async def test_lookups_are_remembered_for_a_few_minutes(world: World, client: MattermostClient) -> None:
    town = await client.channel_by_name("town-square")
    alice = await client.user(world.alice["id"])
    ghost = await client.user("y" * 26)
    admin = await client.is_team_or_system_admin(world.admin["id"])
    dm = await client.direct_channel(world.alice["id"])
    assert dm == world.server.direct_channel(world.bot["id"], world.alice["id"])["id"]
    await world.server.go_down()  # answered from memory: no request reaches the server
    assert await client.channel_by_name("~town-square") == town
    assert await client.user(world.alice["id"]) == alice and await client.user("y" * 26) is ghost is None
    assert await client.is_team_or_system_admin(world.admin["id"]) is admin is True
    assert await client.direct_channel(world.alice["id"]) == dm
    client._users.ttl = 0.0  # once expired, the server is asked again
    with pytest.raises(PlatformError):
        await client.user(world.alice["id"])


async def test_a_dialog_that_cannot_open_is_replaced_by_a_message(world: World, client: MattermostClient) -> None:
    from typing import Any, cast

    from bot.core.context import Context
    from bot.core.replies import Dialog, DialogElement, Reply
    from bot.mattermost.deliver import DIALOG_FAILED, open_dialog

    reply = Reply.private("Votre fiche", dialog=Dialog("create", "Fiche", [DialogElement("title", "Titre")]))
    for trigger_id in ("", "expire"):  # no trigger, or one Mattermost refuses
        ctx = Context(app=cast(Any, None), user_id=world.alice["id"], user_name="alice", channel_id=world.town["id"],
                      trigger_id=trigger_id, command="demo")
        shown = await open_dialog(client, reply, ctx)
        assert shown.dialog is None and shown.text == f"Votre fiche\n\n{DIALOG_FAILED}"
    assert await open_dialog(client, Reply.private("ok"), ctx) == Reply.private("ok")


async def test_listed_posts_are_decoded_once_for_features(world: World, client: MattermostClient) -> None:
    """`posts_since` gives typed posts: the props Relais gave a post (not Mattermost's own), deletions."""
    start = world.server.clock.now_ms()
    ours = await client.create_post(world.town["id"], "Annonce", cards=[Card(title="Carte")],
                                    props={"relais_key": "annonce:1"})
    gone = await world.server.post_as(world.alice["id"], world.town["id"], "effacé")
    await world.server.delete_post_as(world.alice["id"], gone["id"])
    listed = {p.id: p for p in await client.posts_since(world.town["id"], start)}
    assert dict(listed[ours].props) == {"relais_key": "annonce:1"} and listed[ours].deleted is None
    assert listed[ours].message == "Annonce" and listed[ours].created is not None
    assert listed[gone["id"]].deleted is not None and listed[gone["id"]].user_id == world.alice["id"]


async def test_an_edited_post_keeps_the_props_relais_gave_it(world: World, client: MattermostClient,
                                                             tmp_path: Path) -> None:
    """Mattermost replaces a post's whole props when an edit sends `props`: `update_post` sends back the ones the
    post already had (Relais's `relais_…`, the server's `from_bot`), so an edited card is still known as Relais's."""
    from bot.mattermost.websocket import typed_event

    start = world.server.clock.now_ms()
    post_id = await client.create_post(world.town["id"], "Annonce", cards=[Card(title="Avant")],
                                       props={"relais_key": "annonce:1", "relais_annonce": 7})
    await client.update_post(post_id, "Annonce modifiée", cards=[Card(title="Après")])
    props = world.server.get_post(post_id)["props"]
    assert props["relais_key"] == "annonce:1" and props["relais_annonce"] == 7 and props["from_bot"] == "true"
    assert [a["title"] for a in props["attachments"]] == ["Après"]
    # Known from its creation: no read before the edit.
    assert world.server.requests_to(f"/api/v4/posts/{post_id}", "GET") == []
    listed = {p.id: p for p in await client.posts_since(world.town["id"], start)}
    assert dict(listed[post_id].props) == {"relais_key": "annonce:1", "relais_annonce": 7}
    edited = [e for e in world.server.ws_events if e.event == "post_edited"][-1]
    event = typed_event({"event": edited.event, "data": {"post": json.loads(edited.data["post"])},
                         "broadcast": edited.broadcast})
    assert event is not None and event.by_relais and event.from_bot

    # After a restart the post is unknown to the client: its props are read, then sent back.
    settings = make_settings(world, f"sqlite:///{tmp_path / 'unused.db'}", tmp_path, 8080)
    restarted = MattermostClient(settings, max_retries=0)
    try:
        await restarted.update_post(post_id, "Annonce close", cards=[])
    finally:
        await restarted.close()
    props = world.server.get_post(post_id)["props"]
    assert props["relais_key"] == "annonce:1" and props["relais_annonce"] == 7 and props["from_bot"] == "true"
    assert props["attachments"] == [] and world.server.get_post(post_id)["message"] == "Annonce close"
