"""Ready-made worlds for end-to-end tests.

Use the async context managers from any test module (no pytest plugin needed):

    @pytest_asyncio.fixture
    async def world():
        async with seeded_world() as w:
            yield w

or import the fixtures directly: `from tests.mmserver.fixtures import mm_server, mm_world  # noqa: F401`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import pytest_asyncio
from mattermostautodriver import AsyncTypedDriver

from .server import MMServer
from .stub import IntegrationStub


@dataclass
class World:
    """A team with the usual cast: a bot, two users, a system admin, a public and a private channel."""

    server: MMServer
    team: dict[str, Any]
    town: dict[str, Any]  # public "town-square": everyone
    private: dict[str, Any]  # private "equipe": bot + alice
    bot: dict[str, Any]
    alice: dict[str, Any]
    bob: dict[str, Any]
    admin: dict[str, Any]  # system_admin + team_admin

    def driver(self, user: dict[str, Any], **options: Any) -> AsyncTypedDriver:
        """A mattermostautodriver AsyncTypedDriver for `user` (call `await d.login()`)."""
        return AsyncTypedDriver(self.server.driver_options(user["id"], **options))

    def token(self, user: dict[str, Any]) -> str:
        return self.server.token_for(user["id"])


def seed_world(server: MMServer) -> World:
    team = server.add_team("reseau", "Réseau des conseillers")
    town = server.add_channel(team["id"], "town-square", "Town Square")
    private = server.add_channel(team["id"], "equipe", "Équipe", type="P")
    bot = server.add_bot("relais", first_name="Relais", bot_description="Le bot Relais")
    alice = server.add_user("alice", first_name="Alice", last_name="Martin")
    bob = server.add_user("bob", first_name="Bob")
    admin = server.add_user("admin", roles="system_user system_admin")
    for user in (bot, alice, bob):
        server.add_team_member(team["id"], user["id"])
    server.add_team_member(team["id"], admin["id"], roles="team_user team_admin")
    for user in (bot, alice, bob, admin):
        server.add_channel_member(town["id"], user["id"])
    for user in (bot, alice):
        server.add_channel_member(private["id"], user["id"])
    return World(server, team, town, private, bot, alice, bob, admin)


@asynccontextmanager
async def running_server(**kwargs: Any) -> AsyncIterator[MMServer]:
    server = MMServer(**kwargs)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@asynccontextmanager
async def seeded_world(**kwargs: Any) -> AsyncIterator[World]:
    async with running_server(**kwargs) as server:
        yield seed_world(server)


@asynccontextmanager
async def running_stub() -> AsyncIterator[IntegrationStub]:
    stub = await IntegrationStub().start()
    try:
        yield stub
    finally:
        await stub.stop()


@pytest_asyncio.fixture
async def mm_server() -> AsyncIterator[MMServer]:
    async with running_server() as server:
        yield server


@pytest_asyncio.fixture
async def mm_world() -> AsyncIterator[World]:
    async with seeded_world() as world:
        yield world
