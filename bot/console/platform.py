"""`ConsolePlatform`: the chat platform played in memory, so every handler runs without Mattermost.

Channels named in the settings exist, the console user is a coordinator (so every command can be
tried), and each post is recorded and shown through a callback the session provides.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bot.config import Settings
from bot.core.context import ChannelRef, UserRef
from bot.core.replies import Card, FileUpload
from bot.db import Database, utcnow
from bot.db.state import KeyValue, set_state

TEAM_ID = "consoleteam000000000000000"
BOT_USERNAME = "relais"
DEFAULT_CHANNEL = "town-square"


def make_id(seed: str) -> str:
    """Stable 26-character id, the shape of Mattermost ids (some tables size their columns for it)."""
    return hashlib.sha1(seed.encode()).hexdigest()[:26]


@dataclass
class ConsolePost:
    id: str
    number: int
    channel_id: str
    user_id: str
    message: str
    root_id: str = ""
    cards: list[Card] = field(default_factory=list)
    props: dict[str, Any] = field(default_factory=dict)
    files: list[FileUpload] = field(default_factory=list)
    command: str = ""
    create_at: int = 0  # milliseconds, like Mattermost

    def as_json(self) -> dict[str, Any]:
        """The post as Mattermost sends it in events and `GET /posts` (the keys features read)."""
        return {
            "id": self.id, "create_at": self.create_at, "update_at": self.create_at, "edit_at": 0, "delete_at": 0,
            "is_pinned": False, "user_id": self.user_id, "channel_id": self.channel_id, "root_id": self.root_id,
            "original_id": "", "message": self.message, "type": "", "props": dict(self.props), "hashtags": "",
            "pending_post_id": "", "reply_count": 0, "metadata": {},
        }


POST_KEY = "console.post."
STORED_FIELDS = ("id", "number", "channel_id", "user_id", "message", "root_id", "props", "command", "create_at")

PostListener = Callable[[ConsolePost, bool], Awaitable[None] | None]


class ConsolePlatform:
    """In-memory implementation of `bot.core.context.Platform`."""

    def __init__(self, settings: Settings, user_name: str, db: Database | None = None) -> None:
        self.settings = settings
        self.db = db  # given: posts are kept there, so numbers and post ids survive a restart of the console
        self.team_name = settings.team or "console"
        self.me = UserRef(make_id("user:" + user_name), user_name, "system_user system_admin")
        self.bot_user = UserRef(make_id("user:" + BOT_USERNAME), BOT_USERNAME, "system_user")
        self.users: dict[str, UserRef] = {u.id: u for u in (self.me, self.bot_user)}
        self.bot_user_id = self.bot_user.id  # as the Mattermost client names it: features skip the bot by it
        self.channels: dict[str, ChannelRef] = {}
        for name in (DEFAULT_CHANNEL, *settings.channels):
            self.add_channel(name)
        self.posts: dict[str, ConsolePost] = {}
        self.by_number: dict[int, ConsolePost] = {}
        if db is not None:
            self._load(db)
        # Called with (post, updated) whenever a post is created or replaced; the session prints it.
        self.listener: PostListener | None = None

    # -- helpers the session uses ---------------------------------------------------------------
    def add_channel(self, name: str) -> ChannelRef:
        name = name.lstrip("~").strip()
        if name not in self.channels:
            display = name.replace("-", " ").capitalize()
            self.channels[name] = ChannelRef(make_id("channel:" + name), name, display, TEAM_ID)
        return self.channels[name]

    def channel_by_id(self, channel_id: str) -> ChannelRef | None:
        return next((c for c in self.channels.values() if c.id == channel_id), None)

    def record(self, channel_id: str, user_id: str, message: str, **kw: Any) -> ConsolePost:
        number = len(self.posts) + 1
        kw.setdefault("create_at", int(utcnow().timestamp() * 1000))
        post = ConsolePost(make_id(f"post:{number}:{channel_id}:{message}"), number, channel_id, user_id, message, **kw)
        self.posts[post.id] = post
        self.by_number[number] = post
        return post

    def _load(self, db: Database) -> None:
        """Posts of earlier console sessions (text, thread, props; not their buttons): `/fil 1` still works and
        features can still update them (an idea deleted today, posted yesterday)."""
        with db.session() as s:
            rows = s.query(KeyValue).filter(KeyValue.key.like(POST_KEY + "%")).all()
            stored = [dict(r.value) for r in rows if isinstance(r.value, dict)]
        for data in sorted(stored, key=lambda d: d["number"]):
            post = ConsolePost(**data)
            self.posts[post.id] = post
            self.by_number[post.number] = post

    async def keep(self, post: ConsolePost) -> None:
        """Store a post (off the event loop) when the console has a database."""
        if self.db is None:
            return
        data = {k: getattr(post, k) for k in STORED_FIELDS}
        await asyncio.to_thread(self._save, f"{POST_KEY}{post.number:08d}", data)

    def _save(self, key: str, data: dict[str, Any]) -> None:
        assert self.db is not None
        with self.db.session() as s:
            set_state(s, key, data)

    async def _notify(self, post: ConsolePost, updated: bool) -> None:
        if self.listener is not None:
            result = self.listener(post, updated)
            if result is not None:
                await result

    # -- Platform protocol ----------------------------------------------------------------------
    async def create_post(
        self, channel_id: str, message: str, *, root_id: str = "", cards: list[Card] | None = None,
        props: dict[str, Any] | None = None, files: list[FileUpload] | None = None, command: str = "",
    ) -> str:
        post = self.record(channel_id, self.bot_user.id, message, root_id=root_id, cards=list(cards or []),
                           props=dict(props or {}), files=list(files or []), command=command)
        await self.keep(post)
        await self._notify(post, False)
        return post.id

    async def update_post(
        self, post_id: str, message: str, *, cards: list[Card] | None = None, command: str = ""
    ) -> None:
        post = self.posts.get(post_id)
        if post is None:
            from bot.core.context import PlatformError

            raise PlatformError(f"message {post_id} introuvable", status=404, retryable=False)
        post.message = message
        post.cards = list(cards or [])
        post.command = command or post.command
        await self.keep(post)
        await self._notify(post, True)

    async def channel_by_name(self, name: str, team: str | None = None) -> ChannelRef | None:
        return self.channels.get(name.lstrip("~"))

    async def channel_members(self, channel_id: str) -> list[UserRef]:
        return list(self.users.values()) if self.channel_by_id(channel_id) else []

    async def user(self, user_id: str) -> UserRef | None:
        return self.users.get(user_id)

    async def is_team_or_system_admin(self, user_id: str) -> bool:
        return user_id == self.me.id

    async def posts_since(self, channel_id: str, since_ms: int) -> list[dict[str, Any]]:
        """Used by the outbox to find a post it already made before retrying (never twice)."""
        return [p.as_json() for p in self.posts.values() if p.channel_id == channel_id and p.create_at >= since_ms]

    async def direct_channel(self, user_id: str) -> str:
        """Direct messages with a user: one console channel per person, made on first use."""
        user = self.users.get(user_id)
        return self.add_channel(f"dm-{user.username if user else user_id}").id

    async def ping(self) -> None:
        """The console is this process: always reachable."""

    def permalink(self, post_id: str) -> str:
        post = self.posts.get(post_id)
        if post is None:
            return f"console://message/{post_id}"
        channel = self.channel_by_id(post.channel_id)
        return f"console://{channel.name if channel else 'canal'}/{post.number}"
