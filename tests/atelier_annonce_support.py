"""App and the shared harness (`tests.harness`) with the defaults of the /atelier and /annonce tests."""

from __future__ import annotations

from typing import Any

from bot.config import Settings
from bot.console.platform import MemoryPlatform
from bot.core.context import App, Context
from bot.core.replies import Reply
from bot.db import Database
from tests.fakes import Clock, fake_app
from tests.harness import Harness, posted_event, reaction_event


def make_app(db: Database, platform: MemoryPlatform | None = None, clock: Clock | None = None, **kw: Any) -> App:
    settings: dict[str, Any] = dict(database_url=db.url, team="team1", coordinators=("coord",),
                                    network_channels=("ville-a", "ville-b", "ville-c"))
    settings.update(kw)
    return fake_app(Settings(**settings), db, platform, clock)


def ctx(app: App, user_id: str = "u-alice", user_name: str = "alice", *, text: str = "", command: str = "atelier",
        channel: str = "general", post_id: str = "") -> Context:
    return Harness(app).ctx(command, text, user_id=user_id, user_name=user_name, channel=channel, post_id=post_id)


async def run(app: App, text: str, user_id: str = "u-alice", user_name: str = "alice", command: str = "atelier",
              channel: str = "general") -> Reply:
    return await Harness(app).command(f"/{command} {text}", user_id=user_id, user_name=user_name, channel=channel)


async def submit(app: App, callback: str, submission: dict[str, Any], state: dict[str, Any] | None = None,
                 user_id: str = "u-alice", user_name: str = "alice", command: str = "atelier") -> Reply:
    return await Harness(app).submit(command, callback, submission, state, user_id=user_id, user_name=user_name)


async def click(app: App, action: str, data: dict[str, Any], user_id: str = "u-alice", user_name: str = "alice",
                command: str = "atelier", channel: str = "general", post_id: str = "") -> Reply:
    return await Harness(app).click(command, action, data, user_id=user_id, user_name=user_name, channel=channel,
                                    post_id=post_id)


async def emit(app: App, event: dict[str, Any]) -> None:
    await Harness(app).emit(event)


def reaction(post_id: str, user_id: str, emoji: str = "+1", added: bool = True) -> dict[str, Any]:
    return reaction_event(post_id, user_id, emoji, channel="ateliers", added=added)


def posted(post_id: str, user_id: str, root_id: str = "", *, from_bot: bool = False,
           channel: str = "ateliers") -> dict[str, Any]:
    return posted_event(post_id, "super idée", channel=channel, user_id=user_id, root_id=root_id,
                        props={"from_bot": "true"} if from_bot else {})


def deleted(post_id: str) -> dict[str, Any]:
    return {"event": "post_deleted", "data": {"post": {"id": post_id}}}
