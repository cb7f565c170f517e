"""Settings, app and WebSocket event builders for the outbox, entraide and digest tests (fakes: `tests.fakes`)."""

from __future__ import annotations

from typing import Any

from bot.config import DigestSchedule, Settings
from bot.console.platform import MemoryPlatform
from bot.core.context import App
from bot.db import Database
from tests import harness
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


def posted_event(post_id: str, message: str, *, user_id: str, user_name: str, channel: str = "entraide",
                 root_id: str = "", create_at: int = 0, props: dict[str, Any] | None = None) -> dict[str, Any]:
    return harness.posted_event(post_id, message, channel=channel, user_id=user_id, user_name=user_name,
                                root_id=root_id, create_at=create_at, props=props)


def reaction_event(post_id: str, user_id: str, emoji: str = "white_check_mark",
                   name: str = "reaction_added") -> dict[str, Any]:
    return harness.reaction_event(post_id, user_id, emoji, channel="entraide", added=name == "reaction_added")
