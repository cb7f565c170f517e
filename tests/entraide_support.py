"""Settings, app and WebSocket event builders for the outbox, entraide and digest tests (fakes: `tests.fakes`)."""

from __future__ import annotations

from typing import Any

from bot.config import DigestSchedule, Settings
from bot.core.context import App
from bot.db import Database
from tests.fakes import Clock, FakePlatform, fake_app

WEEKLY = DigestSchedule("region-sud", "0 9 * * mon", "Le point du réseau")


def make_settings(db: Database, **kw: Any) -> Settings:
    defaults: dict[str, Any] = dict(database_url=db.url, team="team1", digests=(WEEKLY,), coordinators=("coord",),
                                    digest_grace_minutes=360)
    defaults.update(kw)
    return Settings(**defaults)


def make_app(db: Database, platform: FakePlatform | None = None, clock: Clock | None = None,
             **settings: Any) -> App:
    return fake_app(make_settings(db, **settings), db, platform, clock)


def posted_event(post_id: str, message: str, *, user_id: str, user_name: str, channel: str = "entraide",
                 root_id: str = "", create_at: int = 0, props: dict[str, Any] | None = None) -> dict[str, Any]:
    post = {"id": post_id, "channel_id": f"ch-{channel}", "user_id": user_id, "root_id": root_id, "message": message,
            "type": "", "props": props or {}, "create_at": create_at}
    return {"event": "posted", "data": {"channel_name": channel, "sender_name": "@" + user_name, "post": post},
            "broadcast": {"channel_id": f"ch-{channel}"}}


def reaction_event(post_id: str, user_id: str, emoji: str = "white_check_mark",
                   name: str = "reaction_added") -> dict[str, Any]:
    return {"event": name, "data": {"reaction": {"user_id": user_id, "post_id": post_id, "emoji_name": emoji,
                                                 "create_at": 0, "channel_id": "ch-entraide"}}}
