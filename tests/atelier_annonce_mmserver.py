"""End-to-end world for /atelier and /annonce: the fake Mattermost with three network channels and ~ateliers,
and a bot configured for them (the real `relais serve` machinery)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest_asyncio

from bot.app import build_registry
from bot.config import Settings, load_settings
from bot.db import Database
from bot.mattermost.client import MattermostClient
from tests.mmserver.fixtures import World, seeded_world
from tests.transport_support import SECRET, free_port, prepare_world, running_bot, setup_commands

TOML = """
[network]
team = "reseau"
[channels]
entraide = "entraide"
ateliers = "ateliers"
annonces = "annonces"
network = ["ville-a", "ville-b", "ville-c"]
"""
MSG = "Réunion du réseau jeudi à 14h : pensez à vos chiffres du trimestre."


class Env:
    def __init__(self, world: World, db: Database, db_url: str, tmp_path: Path) -> None:
        self.world, self.server, self.db = world, world.server, db
        prepare_world(world)
        self.carla = self.server.add_user("carla")
        self.channels: dict[str, dict[str, Any]] = {}
        for name in ("ville-a", "ville-b", "ville-c", "ateliers"):
            ch = self.server.add_channel(world.team["id"], name, name.title())
            self.channels[name] = ch
            for user in (world.bot, world.alice, world.bob, world.admin):
                self.server.add_channel_member(ch["id"], user["id"])
        self.server.add_channel_member(self.channels["ville-c"]["id"], self.carla["id"])
        self.port = free_port()
        config = tmp_path / "relais.toml"
        config.write_text(TOML, encoding="utf-8")
        self.settings: Settings = load_settings(require_mattermost=True, dotenv=False, env={
            "MATTERMOST_URL": self.server.url, "MATTERMOST_TOKEN": world.token(world.bot),
            "MATTERMOST_TEAM": "reseau", "RELAIS_PUBLIC_URL": f"http://127.0.0.1:{self.port}",
            "RELAIS_LISTEN": f"127.0.0.1:{self.port}", "RELAIS_SECRET": SECRET, "RELAIS_DATABASE_URL": db_url,
            "RELAIS_CONFIG": str(config),
        })
        self.registry = build_registry()

    def bot(self) -> Any:
        return running_bot(self.settings, self.db, self.registry,
                           client=MattermostClient(self.settings, max_retries=0, request_timeout=2.0))

    def announcements_in(self, name: str) -> list[dict[str, Any]]:
        return [p for p in self.server.posts_in(self.channels[name]["id"]) if MSG in p["message"]]

    def report(self) -> list[dict[str, Any]]:
        dm = self.server.direct_channel(self.world.bot["id"], self.world.admin["id"])
        return [p for p in self.server.posts_in(dm["id"]) if "Compte rendu" in p["message"]]

    async def open_and_submit(self, **fields: Any) -> None:
        admin, town = self.world.admin, self.world.town
        result = await self.server.run_command(admin["id"], town["id"], "/annonce")
        assert result.ok, result.error
        dialog = await self.server.wait_for_dialog(admin["id"])
        assert dialog.callback_id == "annonce:nouvelle"
        done = await self.server.submit_dialog(admin["id"], dialog, {"message": MSG, "canaux": "tous", **fields})
        assert done.ok and done.closed, done.response


@pytest_asyncio.fixture
async def env(db: Database, db_url: str, tmp_path: Path) -> AsyncIterator[Env]:
    """The world with the bot's slash commands registered (used by the /atelier and /annonce modules)."""
    async with seeded_world() as world:
        e = Env(world, db, db_url, tmp_path)
        await setup_commands(e.settings, db, e.registry)
        yield e
