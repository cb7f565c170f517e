"""Test doubles for /atelier and /annonce: a recording platform with per-channel members and per-channel outages."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.config import Settings
from bot.core.context import App, ChannelRef, Context, PlatformError, UserRef
from bot.core.replies import Card, FileUpload, Reply
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
class Post:
    id: str
    channel_id: str
    message: str
    root_id: str = ""
    cards: list[Card] = field(default_factory=list)
    props: dict[str, Any] = field(default_factory=dict)
    command: str = ""
    create_at: int = 0


class FakePlatform:
    """In-memory `Platform`. `down[channel_name] = n` refuses the next n posts to that channel (HTTP 503)."""

    def __init__(self, channels: tuple[str, ...] = ("ateliers", "ville-a", "ville-b", "ville-c", "general"),
                 clock: Clock | None = None, admins: tuple[str, ...] = ()) -> None:
        self.channels = {n: ChannelRef(f"ch-{n}", n, n.replace("-", " ").title(), "team1") for n in channels}
        self.members: dict[str, list[UserRef]] = {n: [] for n in channels}
        self.users: dict[str, UserRef] = {}
        self.posts: list[Post] = []
        self.updates: list[tuple[str, str, list[Card]]] = []
        self.admins = set(admins)
        self.down: dict[str, int] = {}
        self.refused: list[str] = []
        self.clock = clock
        self.bot_user_id = "bot"
        self._ids = itertools.count(1)

    def add_user(self, user_id: str, username: str, *channels: str) -> UserRef:
        ref = UserRef(user_id, username, "system_user")
        self.users[user_id] = ref
        for c in channels:
            self.members[c].append(ref)
        return ref

    def name_of(self, channel_id: str) -> str:
        return next((n for n, c in self.channels.items() if c.id == channel_id), channel_id)

    def in_channel(self, name: str, *, roots_only: bool = False) -> list[Post]:
        cid = self.channels[name].id if name in self.channels else name
        return [p for p in self.posts if p.channel_id == cid and not (roots_only and p.root_id)]

    async def create_post(self, channel_id: str, message: str, *, root_id: str = "", cards: list[Card] | None = None,
                          props: dict[str, Any] | None = None, files: list[FileUpload] | None = None,
                          command: str = "") -> str:
        name = self.name_of(channel_id)
        if self.down.get(name, 0) > 0:
            self.down[name] -= 1
            self.refused.append(name)
            raise PlatformError("create post: 503 Service Unavailable", status=503, retryable=True)
        now = self.clock() if self.clock else datetime.now(UTC)
        post = Post(f"post{next(self._ids)}", channel_id, message, root_id, list(cards or []), dict(props or {}),
                    command, int(now.timestamp() * 1000))
        self.posts.append(post)
        return post.id

    async def update_post(self, post_id: str, message: str, *, cards: list[Card] | None = None,
                          command: str = "") -> None:
        for p in self.posts:
            if p.id == post_id:
                p.message, p.cards = message, list(cards or [])
        self.updates.append((post_id, message, list(cards or [])))

    async def posts_since(self, channel_id: str, since_ms: int) -> list[dict[str, Any]]:
        return [{"id": p.id, "channel_id": p.channel_id, "message": p.message, "props": p.props,
                 "create_at": p.create_at, "delete_at": 0}
                for p in self.posts if p.channel_id == channel_id and p.create_at >= since_ms]

    async def direct_channel(self, user_id: str) -> str:
        name = f"dm-{user_id}"
        self.channels.setdefault(name, ChannelRef(f"ch-{name}", name, name, ""))
        return self.channels[name].id

    async def channel_by_name(self, name: str, team: str | None = None) -> ChannelRef | None:
        return self.channels.get(name.lstrip("~"))

    async def channel_members(self, channel_id: str) -> list[UserRef]:
        return list(self.members.get(self.name_of(channel_id), []))

    async def user(self, user_id: str) -> UserRef | None:
        return self.users.get(user_id)

    async def is_team_or_system_admin(self, user_id: str) -> bool:
        return user_id in self.admins

    def permalink(self, post_id: str) -> str:
        return f"http://mm.test/team1/pl/{post_id}"


def make_app(db: Database, platform: FakePlatform | None = None, clock: Clock | None = None, **kw: Any) -> App:
    clock = clock or Clock()
    platform = platform or FakePlatform(clock=clock)
    settings: dict[str, Any] = dict(database_url=db.url, team="team1", coordinators=("coord",),
                                    network_channels=("ville-a", "ville-b", "ville-c"))
    settings.update(kw)
    return App(settings=Settings(**settings), db=db, platform=platform, registry=build_registry(), clock=clock)


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
