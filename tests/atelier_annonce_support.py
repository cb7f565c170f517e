"""App, context and WebSocket event builders for the /atelier and /annonce tests (fakes: `tests.fakes`)."""

from __future__ import annotations

from typing import Any

from bot.config import Settings
from bot.core.context import App, Context
from bot.core.replies import Reply
from bot.db import Database
from tests.fakes import Clock, FakePlatform, fake_app


def make_app(db: Database, platform: FakePlatform | None = None, clock: Clock | None = None, **kw: Any) -> App:
    settings: dict[str, Any] = dict(database_url=db.url, team="team1", coordinators=("coord",),
                                    network_channels=("ville-a", "ville-b", "ville-c"))
    settings.update(kw)
    return fake_app(Settings(**settings), db, platform, clock)


def ctx(app: App, user_id: str = "u-alice", user_name: str = "alice", *, text: str = "", command: str = "atelier",
        channel: str = "general", post_id: str = "") -> Context:
    return Context(app=app, user_id=user_id, user_name=user_name, channel_id=f"ch-{channel}", channel_name=channel,
                   team_id="team1", team_name="team1", text=text, command=command, trigger_id="trig",
                   post_id=post_id)


async def run(app: App, text: str, user_id: str = "u-alice", user_name: str = "alice", command: str = "atelier",
              channel: str = "general") -> Reply:
    return await app.registry.run_command(ctx(app, user_id, user_name, text=text, command=command, channel=channel))


async def submit(app: App, callback: str, submission: dict[str, Any], state: dict[str, Any] | None = None,
                 user_id: str = "u-alice", user_name: str = "alice", command: str = "atelier") -> Reply:
    return await app.registry.run_dialog(ctx(app, user_id, user_name, command=command), command, callback,
                                         submission, state or {})


async def click(app: App, action: str, data: dict[str, Any], user_id: str = "u-alice", user_name: str = "alice",
                command: str = "atelier", channel: str = "general", post_id: str = "") -> Reply:
    return await app.registry.run_action(ctx(app, user_id, user_name, command=command, channel=channel,
                                             post_id=post_id), command, action, data)


async def emit(app: App, event: dict[str, Any]) -> None:
    for listener in app.registry.listeners(event["event"]):
        await listener(app, event)


def reaction(post_id: str, user_id: str, emoji: str = "+1", added: bool = True) -> dict[str, Any]:
    name = "reaction_added" if added else "reaction_removed"
    return {"event": name, "data": {"reaction": {"user_id": user_id, "post_id": post_id, "emoji_name": emoji,
                                                 "create_at": 0, "channel_id": "ch-ateliers"}}}


def posted(post_id: str, user_id: str, root_id: str = "", *, from_bot: bool = False,
           channel: str = "ateliers") -> dict[str, Any]:
    props = {"from_bot": "true"} if from_bot else {}
    post = {"id": post_id, "channel_id": f"ch-{channel}", "user_id": user_id, "root_id": root_id,
            "message": "super idée", "props": props, "create_at": 1_790_000_000_000}
    return {"event": "posted", "data": {"post": post}, "broadcast": {"channel_id": f"ch-{channel}"}}


def deleted(post_id: str) -> dict[str, Any]:
    return {"event": "post_deleted", "data": {"post": {"id": post_id}}}
