"""The one in-memory chat platform and clock every handler-level test uses (Mattermost itself is played by
`tests/mmserver/`).

Why not `ConsolePlatform`: the console makes its channels from the settings, calls its user an admin, lists
every user in every channel and stamps posts with the real time; tests need channels that may be missing,
chosen admins and members, posts stamped by the test clock, and outages on demand. Its post record and
Mattermost-shaped JSON (`ConsolePost`) are reused.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.app import build_registry
from bot.config import Settings
from bot.console.platform import ConsolePost
from bot.core.context import App, ChannelRef, PlatformError, UserRef
from bot.core.replies import Card, FileUpload
from bot.db import Database, utcnow

T0 = datetime(2026, 11, 16, 8, 0, tzinfo=UTC)  # Monday 09:00 in Paris

CHANNELS = ("general", "entraide", "region-sud", "ateliers", "ville-a", "ville-b", "ville-c", "coordinateurs")
BOT_USER_ID = "bot"


class Clock:
    """`App.clock`: a fixed time that tests move forward by hand, so back-offs and schedules need no sleeping."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> datetime:
        self.now += timedelta(**kw)
        return self.now


class FakePlatform:
    """In-memory `bot.core.context.Platform` that records what handlers post and update.

    Channel ids are `ch-<name>`. `fail_next(n, channel=...)` refuses the next n posts (HTTP 503, like Mattermost
    down); `accept_then_fail(n)` stores the next n posts but raises as if the answer was lost. Posts are stamped
    with `clock` (the app's clock once `make_app` has it), so the outbox finds them again by `posts_since`.
    """

    def __init__(self, channels: tuple[str, ...] = CHANNELS, clock: Clock | None = None,
                 admins: tuple[str, ...] = ()) -> None:
        self.channels = {n: ChannelRef(f"ch-{n}", n, n.replace("-", " ").title(), "team1") for n in channels}
        self.members: dict[str, list[UserRef]] = {n: [] for n in channels}
        self.users: dict[str, UserRef] = {}
        self.admins = set(admins)
        self.clock = clock
        self.bot_user_id = BOT_USER_ID
        self.posts: list[ConsolePost] = []
        self.updates: list[tuple[str, str, list[Card]]] = []
        self.refused: list[str] = []  # channel names of the posts refused by `fail_next`
        self.create_calls = 0
        self._ids = itertools.count(1)
        self._fail: dict[str | None, int] = {}  # channel name (None: any channel) -> posts still to refuse
        self._accept_then_fail = 0

    # -- test controls and lookups ---------------------------------------------------------------
    def fail_next(self, n: int, channel: str | None = None) -> None:
        self._fail[channel] = n

    def accept_then_fail(self, n: int) -> None:
        self._accept_then_fail = n

    def add_user(self, user_id: str, username: str, *channels: str) -> UserRef:
        ref = UserRef(user_id, username, "system_user")
        self.users[user_id] = ref
        for c in channels:
            self.members[c].append(ref)
        return ref

    def name_of(self, channel_id: str) -> str:
        return next((n for n, c in self.channels.items() if c.id == channel_id), channel_id)

    def in_channel(self, name: str, *, roots_only: bool = False) -> list[ConsolePost]:
        cid = self.channels[name].id if name in self.channels else name
        return [p for p in self.posts if p.channel_id == cid and not (roots_only and p.root_id)]

    def thread(self, root_id: str) -> list[ConsolePost]:
        return [p for p in self.posts if p.root_id == root_id]

    def _refuse(self, name: str) -> bool:
        for key in (name, None):
            if self._fail.get(key, 0) > 0:
                self._fail[key] -= 1
                self.refused.append(name)
                return True
        return False

    # -- Platform protocol (plus what the outbox and /annonce look for) -------------------------
    async def create_post(self, channel_id: str, message: str, *, root_id: str = "", cards: list[Card] | None = None,
                          props: dict[str, Any] | None = None, files: list[FileUpload] | None = None,
                          command: str = "") -> str:
        self.create_calls += 1
        if self._refuse(self.name_of(channel_id)):
            raise PlatformError("create post: 503 Service Unavailable", status=503, retryable=True)
        now = self.clock() if self.clock else utcnow()
        post = ConsolePost(f"post{next(self._ids)}", len(self.posts) + 1, channel_id, self.bot_user_id, message,
                           root_id, list(cards or []), dict(props or {}), list(files or []), command,
                           int(now.timestamp() * 1000))
        self.posts.append(post)
        if self._accept_then_fail > 0:
            self._accept_then_fail -= 1
            raise PlatformError("create post: connection reset", retryable=True)
        return post.id

    async def update_post(self, post_id: str, message: str, *, cards: list[Card] | None = None,
                          command: str = "") -> None:
        for p in self.posts:
            if p.id == post_id:
                p.message, p.cards = message, list(cards or [])
        self.updates.append((post_id, message, list(cards or [])))

    async def posts_since(self, channel_id: str, since_ms: int) -> list[dict[str, Any]]:
        return [p.as_json() for p in self.posts if p.channel_id == channel_id and p.create_at >= since_ms]

    async def ping(self) -> None:
        """Reachable unless a test says otherwise."""

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


def fake_app(settings: Settings, db: Database, platform: FakePlatform | None = None,
             clock: Clock | None = None) -> App:
    """An `App` on the fake platform; a platform without its own clock stamps posts with the app's."""
    clock = clock or Clock()
    platform = platform or FakePlatform()
    if platform.clock is None:
        platform.clock = clock
    return App(settings=settings, db=db, platform=platform, registry=build_registry(), clock=clock)
