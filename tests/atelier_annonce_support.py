"""The app with the settings of the /atelier and /annonce tests (commands, clicks and events: `tests.harness`)."""

from __future__ import annotations

from typing import Any

from bot.config import Settings
from bot.console.platform import MemoryPlatform
from bot.core.context import App
from bot.db import Database
from tests.fakes import Clock, fake_app


def make_app(db: Database, platform: MemoryPlatform | None = None, clock: Clock | None = None, **kw: Any) -> App:
    settings: dict[str, Any] = dict(database_url=db.url, team="team1", coordinators=("coord",),
                                    network_channels=("ville-a", "ville-b", "ville-c"))
    settings.update(kw)
    return fake_app(Settings(**settings), db, platform, clock)

