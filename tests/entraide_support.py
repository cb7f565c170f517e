"""Test doubles for the outbox, entraide and digest tests: a recording platform that can fail for a while."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.config import DigestSchedule, Settings
from bot.core.context import App, ChannelRef, PlatformError, UserRef
from bot.core.replies import Card, FileUpload
from bot.db import Database
from bot.handlers import build_registry

T0 = datetime(2026, 11, 16, 8, 0, tzinfo=UTC)  # Monday 09:00 in Paris


class Clock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> datetime:
        self.now += timedelta(**kw)
        return self.now


@dataclass
class FakePost:
    id: str
    channel_id: str
    message: str
    root_id: str = ""
    cards: list[Card] = field(default_factory=list)
    props: dict[str, Any] = field(default_factory=dict)
    create_at: int = 0


class RecordingPlatform:
    """In-memory `Platform`: records posts; `fail_next(n)` refuses the next n posts (like Mattermost down),
    `accept_then_fail(n)` stores the next n posts but raises as if the answer was lost."""

    def __init__(self, channels: tuple[str, ...] = ("entraide", "general", "region-sud"), clock: Clock | None = None,
                 admins: tuple[str, ...] = ()) -> None:
        self.channels = {n: ChannelRef(f"ch-{n}", n, n.title(), "team1") for n in channels}
        self.posts: list[FakePost] = []
        self.updates: list[tuple[str, str, list[Card]]] = []
        self.users: dict[str, UserRef] = {}
        self.admins = set(admins)
        self.clock = clock
        self._ids = itertools.count(1)
        self._fail = 0
        self._accept_then_fail = 0
        self.create_calls = 0

    def fail_next(self, n: int) -> None:
        self._fail = n

    def accept_then_fail(self, n: int) -> None:
        self._accept_then_fail = n

    def in_channel(self, name: str, *, roots_only: bool = False) -> list[FakePost]:
        cid = self.channels[name].id
        return [p for p in self.posts if p.channel_id == cid and not (roots_only and p.root_id)]

    def thread(self, root_id: str) -> list[FakePost]:
        return [p for p in self.posts if p.root_id == root_id]

    async def create_post(self, channel_id: str, message: str, *, root_id: str = "", cards: list[Card] | None = None,
                          props: dict[str, Any] | None = None, files: list[FileUpload] | None = None,
                          command: str = "") -> str:
        self.create_calls += 1
        if self._fail > 0:
            self._fail -= 1
            raise PlatformError("create post: 503 Service Unavailable", status=503, retryable=True)
        now = self.clock() if self.clock else datetime.now(UTC)
        post = FakePost(f"post{next(self._ids)}", channel_id, message, root_id, list(cards or []), dict(props or {}),
                        int(now.timestamp() * 1000))
        self.posts.append(post)
        if self._accept_then_fail > 0:
            self._accept_then_fail -= 1
            raise PlatformError("create post: connection reset", retryable=True)
        return post.id

    async def update_post(self, post_id: str, message: str, *, cards: list[Card] | None = None,
                          command: str = "") -> None:
        self.updates.append((post_id, message, list(cards or [])))

    async def posts_since(self, channel_id: str, since_ms: int) -> list[dict[str, Any]]:
        return [{"id": p.id, "channel_id": p.channel_id, "message": p.message, "props": p.props,
                 "create_at": p.create_at, "delete_at": 0}
                for p in self.posts if p.channel_id == channel_id and p.create_at >= since_ms]

    async def channel_by_name(self, name: str, team: str | None = None) -> ChannelRef | None:
        return self.channels.get(name.lstrip("~"))

    async def channel_members(self, channel_id: str) -> list[UserRef]:
        return list(self.users.values())

    async def user(self, user_id: str) -> UserRef | None:
        return self.users.get(user_id)

    async def is_team_or_system_admin(self, user_id: str) -> bool:
        return user_id in self.admins

    def permalink(self, post_id: str) -> str:
        return f"http://mm.test/team1/pl/{post_id}"


WEEKLY = DigestSchedule("region-sud", "0 9 * * mon", "Le point du réseau")


def make_settings(db: Database, **kw: Any) -> Settings:
    defaults: dict[str, Any] = dict(database_url=db.url, team="team1", digests=(WEEKLY,), coordinators=("coord",),
                                    digest_grace_minutes=360)
    defaults.update(kw)
    return Settings(**defaults)


def make_app(db: Database, platform: RecordingPlatform | None = None, clock: Clock | None = None,
             **settings: Any) -> App:
    clock = clock or Clock()
    platform = platform or RecordingPlatform(clock=clock)
    return App(settings=make_settings(db, **settings), db=db, platform=platform, registry=build_registry(),
               clock=clock)


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
