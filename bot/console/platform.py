"""`MemoryPlatform`: the chat platform played in memory, the one the console runs on and the tests inspect.

It implements `bot.core.context.Platform` and records what was posted, updated and looked up. The console builds
it with `console_platform` (its channels from the settings, its user a coordinator, posts kept in its database and
shown through a listener); tests build it with their own channels, members and clock (`tests/fakes.py`) and use
the knobs below to play Mattermost's failures: refused posts (`fail_next`), answers lost after the post was made
(`accept_then_fail`), refused searches (`searches_to_refuse`), a hook run inside `create_post` (`on_create`), and
posts made elsewhere that Mattermost would list (`extra_posts`).
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.config import Settings
from bot.core.context import ChannelRef, PlatformError, UserRef
from bot.core.events import OWN_PROPS, Post
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
class MemoryPost:
    id: str
    number: int  # 1, 2, 3… in the order posts were made (the console shows it: `/fil 3`)
    channel_id: str
    user_id: str
    message: str
    root_id: str = ""
    cards: list[Card] = field(default_factory=list)
    props: dict[str, Any] = field(default_factory=dict)
    files: list[FileUpload] = field(default_factory=list)
    command: str = ""
    create_at: int = 0  # milliseconds, like Mattermost

    def listed(self) -> Post:
        """The post as `posts_since` lists it, as the Mattermost transport decodes one."""
        return Post(id=self.id, channel_id=self.channel_id, user_id=self.user_id, message=self.message,
                    root_id=self.root_id, created=datetime.fromtimestamp(self.create_at / 1000, UTC),
                    props={k: v for k, v in self.props.items() if k.startswith(OWN_PROPS)})


POST_KEY = "console.post."
STORED_FIELDS = ("id", "number", "channel_id", "user_id", "message", "root_id", "props", "command", "create_at")

PostListener = Callable[[MemoryPost, bool], Awaitable[None] | None]
Hook = Callable[[], Awaitable[None]]


class MemoryPlatform:
    """In-memory implementation of `bot.core.context.Platform`.

    `readable_ids`: channels `ch-<name>`, posts `post<n>`, the bot `bot` (what tests write by hand); otherwise
    26-character ids, as Mattermost's. `open_channels`: every known user is in every channel (the console);
    otherwise only where `add_user` put them. `clock` stamps posts (default: the real time). `site_url`: links to
    posts are Mattermost's (`<site_url>/<team>/pl/<post id>`); otherwise the console's (`console://<canal>/<n°>`).
    `db`: posts are kept there, so numbers and post ids survive a restart of the console.
    """

    def __init__(
        self, channels: Iterable[str] = (), *, team_id: str = TEAM_ID, team_name: str = "console",
        me: UserRef | None = None, admins: Iterable[str] = (), open_channels: bool = True,
        readable_ids: bool = False, clock: Callable[[], datetime] | None = None, site_url: str = "",
        db: Database | None = None,
    ) -> None:
        self.team_id = team_id
        self.team_name = team_name
        self.readable_ids = readable_ids
        self.open_channels = open_channels
        self.clock = clock
        self.site_url = site_url
        self.db = db
        self.me = me  # the console's user (None in tests, whose users come with `add_user`)
        self.bot_user = UserRef("bot" if readable_ids else make_id("user:" + BOT_USERNAME), BOT_USERNAME,
                                "system_user")
        self.bot_user_id = self.bot_user.id  # as the Mattermost client names it: features skip the bot by it
        self.users: dict[str, UserRef] = {u.id: u for u in (me, self.bot_user) if u is not None}
        self.admins: set[str] = set(admins)
        self.channels: dict[str, ChannelRef] = {}
        self.members: dict[str, list[UserRef]] = {}  # channel name -> members, when channels are not open
        for name in channels:
            self.add_channel(name)
        self.posts: list[MemoryPost] = []
        self.by_id: dict[str, MemoryPost] = {}
        self.by_number: dict[int, MemoryPost] = {}
        if db is not None:
            self._load(db)
        # Called with (post, updated) whenever a post is created or replaced; the console session prints it.
        self.listener: PostListener | None = None
        # What was asked, for tests to read.
        self.updates: list[tuple[str, str, list[Card]]] = []
        self.create_calls = 0
        self.since_calls: list[tuple[str, int]] = []
        self.lookups: list[tuple[str, str | None]] = []
        self.refused: list[str] = []  # channel names of the posts refused by `fail_next`
        # Mattermost's misbehaviours, played on demand.
        self.extra_posts: list[Post] = []  # posts made elsewhere that `posts_since` also lists
        self.on_create: Hook | None = None  # run once inside the next `create_post`, before the post is stored
        self.searches_to_refuse = 0  # `posts_since` calls still to refuse (HTTP 503)
        self._fail: dict[str | None, int] = {}  # channel name (None: any channel) -> posts still to refuse
        self._accept_then_fail = 0

    # -- setting up and looking around ----------------------------------------------------------
    def add_channel(self, name: str) -> ChannelRef:
        name = name.lstrip("~").strip()
        if name not in self.channels:
            display = name.replace("-", " ").capitalize()
            cid = f"ch-{name}" if self.readable_ids else make_id("channel:" + name)
            self.channels[name] = ChannelRef(cid, name, display, self.team_id)
            self.members[name] = []
        return self.channels[name]

    def add_user(self, user_id: str, username: str, *channels: str) -> UserRef:
        ref = UserRef(user_id, username, "system_user")
        self.users[user_id] = ref
        for c in channels:
            self.members[c].append(ref)
        return ref

    def channel_by_id(self, channel_id: str) -> ChannelRef | None:
        return next((c for c in self.channels.values() if c.id == channel_id), None)

    def name_of(self, channel_id: str) -> str:
        channel = self.channel_by_id(channel_id)
        return channel.name if channel else channel_id

    def in_channel(self, name: str, *, roots_only: bool = False) -> list[MemoryPost]:
        """The posts of a channel (by name, or id), oldest first."""
        cid = self.channels[name].id if name in self.channels else name
        return [p for p in self.posts if p.channel_id == cid and not (roots_only and p.root_id)]

    def thread(self, root_id: str) -> list[MemoryPost]:
        return [p for p in self.posts if p.root_id == root_id]

    def record(self, channel_id: str, user_id: str, message: str, **kw: Any) -> MemoryPost:
        """Store a post (Relais's, or the console user's own message)."""
        number = len(self.posts) + 1
        kw.setdefault("create_at", int((self.clock() if self.clock else utcnow()).timestamp() * 1000))
        pid = f"post{number}" if self.readable_ids else make_id(f"post:{number}:{channel_id}:{message}")
        post = MemoryPost(pid, number, channel_id, user_id, message, **kw)
        self._add(post)
        return post

    def _add(self, post: MemoryPost) -> None:
        self.posts.append(post)
        self.by_id[post.id] = post
        self.by_number[post.number] = post

    # -- failures on demand ---------------------------------------------------------------------
    def fail_next(self, n: int, channel: str | None = None) -> None:
        """Refuse the next `n` posts (to `channel`, or anywhere) with HTTP 503, as Mattermost down would."""
        self._fail[channel] = n

    def accept_then_fail(self, n: int) -> None:
        """Store the next `n` posts but raise as if the answer was lost on the way back."""
        self._accept_then_fail = n

    def _refuse(self, name: str) -> bool:
        for key in (name, None):
            if self._fail.get(key, 0) > 0:
                self._fail[key] -= 1
                self.refused.append(name)
                return True
        return False

    # -- the console's database -----------------------------------------------------------------
    def _load(self, db: Database) -> None:
        """Posts of earlier console sessions (text, thread, props; not their buttons): `/fil 1` still works and
        features can still update them (an idea deleted today, posted yesterday)."""
        with db.session() as s:
            rows = s.query(KeyValue).filter(KeyValue.key.like(POST_KEY + "%")).all()
            stored = [dict(r.value) for r in rows if isinstance(r.value, dict)]
        for data in sorted(stored, key=lambda d: d["number"]):
            self._add(MemoryPost(**data))

    async def keep(self, post: MemoryPost) -> None:
        """Store a post (off the event loop) when the platform has a database."""
        if self.db is None:
            return
        data = {k: getattr(post, k) for k in STORED_FIELDS}
        await asyncio.to_thread(self._save, f"{POST_KEY}{post.number:08d}", data)

    def _save(self, key: str, data: dict[str, Any]) -> None:
        assert self.db is not None
        with self.db.session() as s:
            set_state(s, key, data)

    async def _notify(self, post: MemoryPost, updated: bool) -> None:
        if self.listener is not None:
            result = self.listener(post, updated)
            if result is not None:
                await result

    # -- Platform protocol ----------------------------------------------------------------------
    async def create_post(
        self, channel_id: str, message: str, *, root_id: str = "", cards: list[Card] | None = None,
        props: dict[str, Any] | None = None, files: list[FileUpload] | None = None, command: str = "",
    ) -> str:
        if self.on_create is not None:
            hook, self.on_create = self.on_create, None
            await hook()
        self.create_calls += 1
        if self._refuse(self.name_of(channel_id)):
            raise PlatformError("create post: 503 Service Unavailable", status=503, retryable=True)
        post = self.record(channel_id, self.bot_user.id, message, root_id=root_id, cards=list(cards or []),
                           props=dict(props or {}), files=list(files or []), command=command)
        if self._accept_then_fail > 0:
            self._accept_then_fail -= 1
            raise PlatformError("create post: connection reset", retryable=True)
        await self.keep(post)
        await self._notify(post, False)
        return post.id

    async def update_post(
        self, post_id: str, message: str, *, cards: list[Card] | None = None, command: str = ""
    ) -> None:
        self.updates.append((post_id, message, list(cards or [])))
        post = self.by_id.get(post_id)
        if post is None:
            raise PlatformError(f"message {post_id} introuvable", status=404, retryable=False)
        post.message = message
        post.cards = list(cards or [])
        post.command = command or post.command
        await self.keep(post)
        await self._notify(post, True)

    async def channel_by_name(self, name: str, team: str | None = None) -> ChannelRef | None:
        self.lookups.append((name, team))
        return self.channels.get(name.lstrip("~"))

    async def channel_members(self, channel_id: str) -> list[UserRef]:
        channel = self.channel_by_id(channel_id)
        if channel is None:
            return []
        return list(self.users.values()) if self.open_channels else list(self.members[channel.name])

    async def user(self, user_id: str) -> UserRef | None:
        return self.users.get(user_id)

    async def is_team_or_system_admin(self, user_id: str) -> bool:
        return user_id in self.admins

    async def posts_since(self, channel_id: str, since_ms: int) -> list[Post]:
        """Used by the outbox to find a post it already made before retrying (never twice)."""
        self.since_calls.append((channel_id, since_ms))
        if self.searches_to_refuse:
            self.searches_to_refuse -= 1
            raise PlatformError("get posts: 503 Service Unavailable", status=503)
        own = [p.listed() for p in self.posts if p.channel_id == channel_id and p.create_at >= since_ms]
        return [*self.extra_posts, *own]

    async def direct_channel(self, user_id: str) -> str:
        """Direct messages with a user: one channel per person (`dm-<username>`, or the id if unknown)."""
        user = self.users.get(user_id)
        return self.add_channel(f"dm-{user.username if user else user_id}").id

    async def ping(self) -> None:
        """Always reachable (the console is this process; tests refuse posts instead)."""

    def permalink(self, post_id: str) -> str:
        if self.site_url:
            return f"{self.site_url}/{self.team_name}/pl/{post_id}"
        post = self.by_id.get(post_id)
        if post is None:
            return f"console://message/{post_id}"
        channel = self.channel_by_id(post.channel_id)
        return f"console://{channel.name if channel else 'canal'}/{post.number}"


def console_platform(settings: Settings, user_name: str, db: Database | None = None) -> MemoryPlatform:
    """The console's: the channels named in the settings, the user a coordinator (so every command can be tried),
    everyone in every channel, posts kept in `db` when given."""
    me = UserRef(make_id("user:" + user_name), user_name, "system_user system_admin")
    return MemoryPlatform((DEFAULT_CHANNEL, *settings.channels), team_name=settings.team or "console", me=me,
                          admins=(me.id,), db=db)
