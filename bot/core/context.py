"""The typed context every handler receives, and the platform interface handlers post through.

`Platform` is implemented by the Mattermost transport and by the console, so a handler never
knows which one it serves.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, ParamSpec, Protocol, TypeVar

from bot.core import offloop
from bot.core.events import Post
from bot.core.indexes import INDEXES, SearchIndexes
from bot.core.replies import Card, FileUpload

P = ParamSpec("P")
T = TypeVar("T")

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.core.registry import Registry
    from bot.db import Database


@dataclass(frozen=True)
class ChannelRef:
    id: str
    name: str
    display_name: str = ""
    team_id: str = ""


@dataclass(frozen=True)
class UserRef:
    id: str
    username: str
    roles: str = ""


CHECK_CHANNEL_PREFIX = "relais-verification"  # channels `relais check` creates (then archives) for its test run


class PlatformError(Exception):
    """The chat platform refused or could not be reached; callers decide whether to retry."""

    def __init__(self, message: str, *, status: int | None = None, retryable: bool = True) -> None:
        super().__init__(message)
        self.status = status
        self.retryable = retryable


class Platform(Protocol):
    """Everything a feature may ask of the chat platform (Mattermost, the console, the tests' in-memory one)."""

    bot_user_id: str  # Relais's own user id ("" until known): features skip the bot's own posts by it
    async def create_post(
        self, channel_id: str, message: str, *, root_id: str = "", cards: list[Card] | None = None,
        props: dict[str, Any] | None = None, files: list[FileUpload] | None = None, command: str = "",
    ) -> str: ...

    async def update_post(
        self, post_id: str, message: str, *, cards: list[Card] | None = None, command: str = ""
    ) -> None: ...

    async def channel_by_name(self, name: str, team: str | None = None) -> ChannelRef | None: ...

    async def channel_members(self, channel_id: str) -> list[UserRef]: ...

    async def user(self, user_id: str) -> UserRef | None: ...

    async def is_team_or_system_admin(self, user_id: str) -> bool: ...

    def permalink(self, post_id: str) -> str: ...

    async def direct_channel(self, user_id: str) -> str:
        """The id of the bot's direct channel with `user_id` (created when needed)."""
        ...

    async def ping(self) -> None:
        """Raises `PlatformError` when the platform cannot be reached (health checks)."""
        ...

    async def posts_since(self, channel_id: str, since_ms: int) -> list[Post]:
        """Posts created, changed or deleted since `since_ms`, oldest first (the outbox's crash check)."""
        ...


@dataclass
class App:
    """Services shared by all handlers of one process.

    Off-loop rule (see `bot.core.offloop`): database and CPU work go through `run` / `run_cpu`, never on the loop;
    no `await` while a database session or a lock is held.
    """

    settings: Settings
    db: Database
    platform: Platform
    registry: Registry
    clock: Any = None  # callable returning an aware datetime; tests inject a fixed clock
    cache: dict[str, Any] = field(default_factory=dict)
    indexes: SearchIndexes = field(default_factory=lambda: INDEXES)  # every search index, in one place

    def now(self) -> datetime:
        from bot.db import utcnow

        return self.clock() if self.clock else utcnow()

    async def is_coordinator(self, user_id: str, user_name: str) -> bool:
        """Coordinators: usernames listed in config, or Mattermost team/system admins."""
        if user_name.lstrip("@").lower() in {c.lower() for c in self.settings.coordinators}:
            return True
        return await self.platform.is_team_or_system_admin(user_id)

    # -- off the loop ------------------------------------------------------------------------
    async def run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """`fn(*args, **kwargs)` on a worker thread: database work, index builds, file parsing."""
        return await offloop.run(fn, *args, **kwargs)

    async def run_cpu(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """`fn(*args, **kwargs)` in a worker process: long pure-Python work (charts) that would hold the GIL.
        With a database in memory (`sqlite://`), which another process cannot see, on a thread that borrows it."""
        if self.db.in_memory:
            from bot.db.engine import with_database

            return await offloop.run(functools.partial(with_database, self.db, fn, *args, **kwargs))
        return await offloop.run_cpu(fn, *args, **kwargs)

    async def run_handler(self, call: Callable[[App], Awaitable[T]]) -> T:
        """`await call(app)` on a worker thread with its own loop; `app.platform` there calls back to this loop."""
        if offloop.off_loop():
            return await call(self)
        bridged = replace(self, platform=offloop.LoopBridge(self.platform, asyncio.get_running_loop()))
        return await offloop.on_thread_loop(lambda: call(bridged))


@dataclass(frozen=True)
class Context:
    app: App
    user_id: str
    user_name: str
    channel_id: str
    channel_name: str = ""
    team_id: str = ""
    team_name: str = ""
    text: str = ""
    root_id: str = ""
    trigger_id: str = ""
    post_id: str = ""
    command: str = ""
    # After sub-command dispatch: the text that follows the sub-command word.
    args: str = ""

    def with_args(self, args: str) -> Context:
        return replace(self, args=args)

    def with_app(self, app: App) -> Context:
        return replace(self, app=app)

    async def is_coordinator(self) -> bool:
        return await self.app.is_coordinator(self.user_id, self.user_name)

    @property
    def checking(self) -> bool:
        """Run by `relais check` in its own channel: features keep what they publish there (not in the network's
        channels), and the check deletes what it created; real counsellors never type in such a channel."""
        return self.channel_name.startswith(CHECK_CHANNEL_PREFIX)
