"""Settings and app for the outbox, entraide and digest tests (platform and clock: `tests.fakes`; commands, clicks,
posts and reactions: `tests.harness`)."""

from __future__ import annotations

from typing import Any

from bot.config import DigestSchedule, Settings
from bot.console.platform import MemoryPlatform
from bot.core.context import App
from bot.db import Database
from tests.fakes import Clock, fake_app

WEEKLY = DigestSchedule("region-sud", "0 9 * * mon", "Le point du réseau")


def make_settings(db: Database, **kw: Any) -> Settings:
    defaults: dict[str, Any] = dict(database_url=db.url, team="team1", digests=(WEEKLY,), coordinators=("coord",),
                                    digest_grace_minutes=360)
    defaults.update(kw)
    return Settings(**defaults)


def make_app(db: Database, platform: MemoryPlatform | None = None, clock: Clock | None = None,
             **settings: Any) -> App:
    return fake_app(make_settings(db, **settings), db, platform, clock)

