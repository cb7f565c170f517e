"""Relais reads the server's version (X-Version-Id) to choose dialog elements; unknown means the oldest ones."""

from __future__ import annotations

from pathlib import Path

from bot.mattermost.client import MattermostClient
from tests.mmserver.fixtures import seeded_world
from tests.transport_support import free_port, make_settings


async def test_version_from_the_header_and_remembered(tmp_path: Path) -> None:
    async with seeded_world() as world:
        settings = make_settings(world, "sqlite://", tmp_path, free_port())
        client = MattermostClient(settings)
        try:
            assert await client.server_version() == (10, 7)
            world.server.config.server_version = "11.1.0.12345.abc.false"
            assert await client.server_version() == (10, 7)  # asked once an hour, not at every dialog
            client._version = type(client._version)(ttl=0)
            assert await client.server_version() == (11, 1)
            world.server.config.server_version = ""
            client._version = type(client._version)(ttl=0)
            assert await client.server_version() == (0, 0)  # unknown: only what every server shows
        finally:
            await client.close()
