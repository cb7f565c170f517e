"""/annuaire end to end: a counsellor types the command in Mattermost and works with the cards.

Real bot (`Server`, real driver, HTTP endpoints) against the fake Mattermost, on the real bundled
directory subset: the ephemeral answer, "Voir plus", "Fiche" (with its SMS text) and "Partager".
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest_asyncio

from bot.app import build_registry
from bot.db import Database
from bot.directory import load_bundled_directory
from tests.mmserver.fixtures import World, seeded_world
from tests.transport_support import free_port, make_settings, prepare_world, running_bot, setup_commands


@pytest_asyncio.fixture
async def world() -> AsyncIterator[World]:
    async with seeded_world() as w:
        yield w


def _buttons(post: dict[str, Any]) -> list[str]:
    return [a["name"] for att in post["props"].get("attachments", []) for a in att.get("actions", [])]


async def test_annuaire_from_command_to_shared_card(world: World, db: Database, db_url: str, tmp_path: Path) -> None:
    server, alice = world.server, world.alice
    prepare_world(world)
    # The README asks admins to let the bot post ephemeral messages (`create_post_ephemeral`, held by
    # system admins by default); without it private pages fall back to a direct message (transport tests).
    world.bot["roles"] = "system_user system_admin"
    load_bundled_directory(db)
    port = free_port()
    settings = make_settings(world, db_url, tmp_path, port)
    registry = build_registry()
    await setup_commands(settings, db, registry)

    async with running_bot(settings, db, registry):
        result = await server.run_command(alice["id"], world.town["id"], "/annuaire impots grenoble")
        assert result.ok, result.error
        [answer] = result.ephemerals
        assert "Grenoble (38)" in answer["message"]
        cards = answer["props"]["attachments"]
        assert len(cards) == 6  # five places and the "Voir plus" row
        # Nearest first: the commune's own places, then its neighbours, each with its distance.
        assert "Grenoble" in cards[0]["text"] and all(re.search(r"\(à [\d,]+ k?m\)", c["text"]) for c in cards[:5])
        assert _buttons(answer).count("Fiche") == 5 and "Voir plus" in _buttons(answer)

        more = await server.click_button(alice["id"], answer["id"], "Voir plus")
        assert more.ok, more.error
        page2 = await server.wait_for_ephemeral(alice["id"], contains="Lieux 6 à")
        assert {c.get("title") for c in page2["props"]["attachments"]}.isdisjoint({c["title"] for c in cards[:5]})

        details = await server.click_button(alice["id"], answer["id"], "Fiche")
        assert details.ok, details.error
        fiche = await server.wait_for_ephemeral(alice["id"], contains="Version SMS")
        assert cards[0]["title"] in fiche["message"]

        shared = await server.click_button(alice["id"], answer["id"], "Partager")
        assert shared.ok, shared.error
        post = await server.wait_for_post(channel_id=world.town["id"], contains="Un lieu partagé par alice")
        assert post["props"]["attachments"][0]["title"] == cards[0]["title"]
        assert post["root_id"] == ""

    # A place nobody could find still gets an answer that says what was understood.
    async with running_bot(settings, db, registry):
        nothing = await server.run_command(alice["id"], world.town["id"], "/annuaire zzqx")
        assert nothing.ok and "Aucun lieu" in nothing.ephemerals[0]["message"]
