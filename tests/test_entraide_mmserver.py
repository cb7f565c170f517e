"""/entraide through `relais serve` and the test Mattermost server: a root post in ~entraide is tracked over the
WebSocket, a reply is recorded, the asker's ✅ closes it and the helper is thanked in the thread."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio
from sqlalchemy import select

from bot.config import Settings
from bot.db import Database
from bot.entraide.models import RESOLVED, Question
from bot.mattermost.serve import Server
from tests.mmserver.fixtures import World, seeded_world


@pytest_asyncio.fixture
async def world() -> AsyncIterator[World]:
    async with seeded_world() as w:
        channel = w.server.add_channel(w.team["id"], "entraide", "Entraide")
        for user in (w.bot, w.alice, w.bob):
            w.server.add_channel_member(channel["id"], user["id"])
        w.entraide = channel  # type: ignore[attr-defined]
        yield w


def _question(db: Database) -> Question | None:
    with db.session() as s:
        return s.scalar(select(Question))


async def test_thread_followed_over_the_websocket(world: World, db: Database) -> None:
    settings = Settings(database_url=db.url, mattermost_url=world.server.url, mattermost_token=world.token(world.bot),
                        team="reseau", public_url="http://127.0.0.1:9", secret="s" * 40, listen_port=0)
    server = Server(settings, db, port=0, jobs=(), backoff_base=0.05)
    await server.start()
    try:
        await world.server.wait_for_websockets(1, user_id=world.bot["id"])
        mm, channel = world.server, world.entraide["id"]
        root = await mm.post_as(world.alice["id"], channel, "Quelqu'un sait résilier une box internet en ligne ?")
        await mm.wait_for(lambda: _question(db) is not None and _question(db).card_post_id)
        q = _question(db)
        assert q.root_post_id == root["id"] and q.asker_name == "alice"
        card = mm.get_post(q.card_post_id)
        assert card["root_id"] == root["id"] and card["user_id"] == world.bot["id"]
        reply = await mm.post_as(world.bob["id"], channel, "Oui, via l'espace client, rubrique contrat",
                                 root_id=root["id"])
        await mm.wait_for(lambda: _question(db).reply_count == 1)
        await mm.react_as(world.alice["id"], reply["id"], "white_check_mark")
        await mm.wait_for(lambda: _question(db).status == RESOLVED)
        await mm.wait_for(lambda: any("Merci à @bob" in p["message"] for p in mm.thread(root["id"])))
        assert _question(db).resolver_name == "bob"
        assert sum("Merci à @bob" in p["message"] for p in mm.thread(root["id"])) == 1
    finally:
        await server.stop()


async def test_slash_command_question_claimed_then_resolved_with_buttons(
    world: World, db: Database, db_url: str, tmp_path: Path
) -> None:
    """The whole path a counsellor takes: `/entraide …` over HTTP, a colleague's "Je m'en occupe",
    a reply in the thread, the asker's "Résolu ✅"; the helper is thanked once."""
    from bot.app import build_registry
    from tests.transport_support import free_port, make_settings, running_bot, setup_commands

    mm, channel = world.server, world.entraide["id"]
    mm.add_team_member(world.team["id"], world.bot["id"], roles="team_user team_admin")
    port = free_port()
    settings = make_settings(world, db_url, tmp_path, port)
    registry = build_registry()
    await setup_commands(settings, db, registry)
    async with running_bot(settings, db, registry):
        await mm.wait_for_websockets(1, user_id=world.bot["id"])
        result = await mm.run_command(world.alice["id"], world.town["id"],
                                      "/entraide Comment refaire une carte vitale perdue @channel ?")
        assert result.ok, result.error
        root = await mm.wait_for_post(channel_id=channel, contains="carte vitale")
        assert "@\u200bchannel" in root["message"]  # quoted text never notifies the whole channel
        card = root  # a question asked with the command carries its own buttons
        claim = await mm.click_button(world.bob["id"], card["id"], "Je m’en occupe")
        assert claim.ok, claim.error
        # A click's `update` replaces the card's props: the ones it had are sent back with the new buttons.
        question = _question(db)
        assert question is not None
        kept = {"relais_question": question.id, "from_bot": "true"}
        assert {k: mm.get_post(card["id"])["props"].get(k) for k in kept} == kept
        await mm.post_as(world.bob["id"], channel, "Sur ameli.fr, rubrique « Mes démarches »", root_id=root["id"])
        await mm.wait_for(lambda: _question(db) is not None and _question(db).reply_count == 1)
        card = mm.get_post(card["id"])
        resolved = await mm.click_button(world.alice["id"], card["id"], "Résolu ✅")
        assert resolved.ok, resolved.error
        await mm.wait_for(lambda: _question(db).status == RESOLVED)
        assert {k: mm.get_post(card["id"])["props"].get(k) for k in kept} == kept
        await mm.wait_for(lambda: any("Merci à @bob" in p["message"] for p in mm.thread(root["id"])))
    assert sum("Merci à @bob" in p["message"] for p in mm.thread(root["id"])) == 1
