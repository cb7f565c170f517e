"""The one wrapper around `mattermostautodriver.AsyncTypedDriver`; nothing else in Relais touches the driver.

It implements `bot.core.context.Platform`, renders cards/dialogs through `render`, and turns every
driver or network failure into `PlatformError` (retryable or not) so callers handle one exception type.
"""

from __future__ import annotations

import functools
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar
from urllib.parse import urlparse

import httpx
from mattermostautodriver import AsyncTypedDriver
from mattermostautodriver.exceptions import InvalidMattermostError, MattermostError

from bot.config import Settings
from bot.core.context import ChannelRef, PlatformError, UserRef
from bot.core.events import OWN_PROPS, Post
from bot.core.replies import Card, Dialog, FileUpload
from bot.mattermost import render

log = logging.getLogger(__name__)


class _DriverHTTPErrors(logging.Filter):
    """The driver logs every HTTP error answer at ERROR under "mattermostautodriver.websocket", even an expected
    403 (ephemeral posts refused → direct message). `_call` turns each into a `PlatformError` whose caller logs
    what really happened, at the right level and under Relais's own logger names: the driver's line is dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.funcName == "_check_response" and record.pathname.endswith(("client.py", "client.pyc")))


logging.getLogger("mattermostautodriver.websocket").addFilter(_DriverHTTPErrors())

def moment(millis: Any) -> datetime | None:
    """Mattermost's milliseconds since the epoch (0: never) as an aware datetime."""
    return datetime.fromtimestamp(millis / 1000, UTC) if isinstance(millis, int | float) and millis > 0 else None


def decode_post(raw: dict[str, Any]) -> Post:
    """The one place where a post of Mattermost's REST API becomes what features read."""
    props = raw.get("props")
    own = {k: v for k, v in props.items() if str(k).startswith(OWN_PROPS)} if isinstance(props, dict) else {}
    return Post(
        id=str(raw.get("id") or ""), channel_id=str(raw.get("channel_id") or ""),
        user_id=str(raw.get("user_id") or ""), message=str(raw.get("message") or ""),
        root_id=str(raw.get("root_id") or ""), created=moment(raw.get("create_at")),
        edited=moment(raw.get("edit_at")), deleted=moment(raw.get("delete_at")),
        props=own,
    )

T = TypeVar("T")
K = TypeVar("K")
V = TypeVar("V")
LOOKUP_TTL = 300.0  # users, roles and channels rarely change; every click and coordinator check asks
MEMBERS_PAGE = 200
MAX_FILES_PER_POST = 5
KNOWN_POSTS = 1000  # posts whose props this process remembers, to edit them without reading them first
# Props the server derives from the message (or the cards) on every edit: not sent back when a post is edited.
DERIVED_PROPS = frozenset({"attachments", "channel_mentions", "previewed_post", "mentionHighlightDisabled",
                           "disable_group_highlight"})


def driver_options(settings: Settings, *, request_timeout: float = 15.0, max_retries: int = 2) -> dict[str, Any]:
    """Driver options from `MATTERMOST_URL` (the driver wants scheme, host and port apart)."""
    parsed = urlparse(settings.mattermost_url or "http://localhost")
    scheme = parsed.scheme or "https"
    port = parsed.port or (443 if scheme == "https" else 80)
    return {
        "url": parsed.hostname or "localhost",
        "scheme": scheme,
        "port": port,
        "token": settings.mattermost_token,
        "request_timeout": request_timeout,
        "timeout": 30,
        "max_retries": max_retries,
        "retry_max_sleep": 5,
        "keepalive": False,
    }


class _Recent(Generic[K, V]):
    """Answers remembered for a few minutes (a remembered `None` too: "no such user" is an answer)."""

    def __init__(self, ttl: float = LOOKUP_TTL) -> None:
        self.ttl = ttl
        self._items: dict[K, tuple[float, V]] = {}

    def get(self, key: K) -> tuple[V] | None:
        """`(value,)` while fresh, else None."""
        hit = self._items.get(key)
        return (hit[1],) if hit is not None and time.monotonic() - hit[0] < self.ttl else None

    def put(self, key: K, value: V) -> V:
        self._items[key] = (time.monotonic(), value)
        return value


def _kept(props: Any) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k not in DERIVED_PROPS} if isinstance(props, dict) else {}


def _error(exc: BaseException, what: str) -> PlatformError:
    if isinstance(exc, (MattermostError, InvalidMattermostError)):
        status = exc.status_code
        return PlatformError(f"{what}: {status} {exc}", status=status, retryable=status == 429 or status >= 500)
    return PlatformError(f"{what}: {type(exc).__name__} {exc}", retryable=True)


class MattermostClient:
    """REST side of the transport. Safe to build while Mattermost is down: nothing is called until used."""

    def __init__(self, settings: Settings, *, request_timeout: float = 15.0, max_retries: int = 2) -> None:
        self.settings = settings
        self.options = driver_options(settings, request_timeout=request_timeout, max_retries=max_retries)
        self.driver = AsyncTypedDriver(self.options)
        # The typed driver only sets the token during login(); set it now so calls work before/without login.
        self.driver.client.token = settings.mattermost_token
        self.signer = render.Signer(settings.public_url, settings.secret)
        self.bot_user_id = ""
        self.bot_username = ""
        self._team_id = ""
        self._users: _Recent[str, UserRef | None] = _Recent()
        self._admins: _Recent[str, bool] = _Recent()
        self._channels: _Recent[tuple[str, str], ChannelRef] = _Recent()
        self._direct: dict[str, str] = {}  # user id -> the bot's direct channel with them
        self._version: _Recent[str, tuple[int, int]] = _Recent(ttl=3600.0)
        self._kept_props: OrderedDict[str, dict[str, Any]] = OrderedDict()  # post id -> props an edit sends back

    # -- plumbing ----------------------------------------------------------------------------
    async def _call(self, what: str, fn: Callable[[], Awaitable[T]]) -> T:
        try:
            return await fn()
        except (MattermostError, InvalidMattermostError, httpx.HTTPError, OSError, ValueError) as exc:
            raise _error(exc, what) from exc

    async def close(self) -> None:
        await self.driver.close()

    async def login(self) -> UserRef:
        """Who the bot is (`users/me`); raises `PlatformError` when Mattermost is unreachable or the token is bad."""
        me = await self._call("users/me", self.driver.login)
        self.bot_user_id, self.bot_username = me["id"], me["username"]
        return UserRef(me["id"], me["username"], me.get("roles", ""))

    async def ping(self) -> None:
        """Cheapest authenticated call; used by `/healthz`."""
        await self._call("users/me", lambda: self.driver.client.get("/api/v4/users/me"))

    async def team_id(self) -> str:
        if not self._team_id:
            team = await self.team(self.settings.team)
            if team is None:
                raise PlatformError(f"team {self.settings.team} not found", status=404, retryable=False)
            self._team_id = team["id"]
        return self._team_id

    async def team(self, name: str) -> dict[str, Any] | None:
        try:
            return await self._call("team", lambda: self.driver.teams.get_team_by_name(name))
        except PlatformError as exc:
            if exc.status == 404:
                return None
            raise

    def permalink(self, post_id: str) -> str:
        return f"{self.settings.mattermost_url}/{self.settings.team}/pl/{post_id}"

    # -- posts -------------------------------------------------------------------------------
    async def upload_file(self, channel_id: str, upload: FileUpload) -> str:
        result = await self._call("upload file", lambda: self.driver.files.upload_file(
            files=(upload.filename, upload.content, upload.mime), channel_id=channel_id, filename=upload.filename))
        return result["file_infos"][0]["id"]

    async def create_post(
        self, channel_id: str, message: str, *, root_id: str = "", cards: list[Card] | None = None,
        props: dict[str, Any] | None = None, files: list[FileUpload] | None = None, command: str = "",
        viewer: str = "",
    ) -> str:
        """Create one post (or several when the text exceeds the post limit); returns the first post's id.
        `viewer`: the one user who sees the channel (a direct message), whose buttons they alone may press."""
        chunks = render.split_message(message) if message else [""]
        file_ids = [await self.upload_file(channel_id, f) for f in (files or [])]
        first_id = ""
        for i, chunk in enumerate(chunks):
            last = i == len(chunks) - 1
            post_props = dict(props or {}) if i == 0 else {}
            if last and cards:
                post_props["attachments"] = render.attachments(cards, signer=self.signer, command=command,
                                                               viewer=viewer, channel_id=channel_id)
            ids = file_ids[:MAX_FILES_PER_POST] if last else []
            file_ids = file_ids[MAX_FILES_PER_POST:] if last else file_ids
            post = await self._call("create post", functools.partial(
                self.driver.posts.create_post, channel_id=channel_id, message=chunk, root_id=root_id or None,
                props=post_props or None, file_ids=ids or None))
            self._remember_props(post)
            first_id = first_id or post["id"]
        while file_ids:  # more than 5 files: further posts, 5 at a time
            ids, file_ids = file_ids[:MAX_FILES_PER_POST], file_ids[MAX_FILES_PER_POST:]
            post = await self._call("create post", functools.partial(
                self.driver.posts.create_post, channel_id=channel_id, message="", root_id=root_id or None,
                file_ids=ids))
            self._remember_props(post)
        return first_id

    async def update_post(
        self, post_id: str, message: str, *, cards: list[Card] | None = None, command: str = "", viewer: str = "",
        channel_id: str = "",
    ) -> None:
        """Replace the post's text and cards. Mattermost replaces a post's whole props when an edit sends any: the
        ones it already had (Relais's `relais_…`, the server's `from_bot`) are sent back with the new cards, read
        from the post unless this process made or edited it."""
        message = render.cap_post(message)
        props = await self.props_to_keep(post_id)
        props["attachments"] = render.attachments(cards or [], signer=self.signer, command=command, viewer=viewer,
                                                  channel_id=channel_id)
        post = await self._call("patch post",
                                lambda: self.driver.posts.patch_post(post_id, message=message, props=props))
        self._remember_props(post)

    def _remember_props(self, post: Any) -> None:
        """Mattermost's answer when a post was made or edited: what a later edit of it must send back."""
        if isinstance(post, dict) and post.get("id"):
            self.remember_props(str(post["id"]), post.get("props"))

    def remember_props(self, post_id: str, props: Any) -> None:
        """The props `post_id` now has (also when a button click's answer replaced them)."""
        self._kept_props[post_id] = _kept(props)
        self._kept_props.move_to_end(post_id)
        while len(self._kept_props) > KNOWN_POSTS:
            self._kept_props.popitem(last=False)

    async def props_to_keep(self, post_id: str) -> dict[str, Any]:
        """The props an edit of `post_id` must send back (Mattermost replaces them all): remembered when this
        process made or edited the post, else read from it (a post not found: none, and the edit itself fails)."""
        known = self._kept_props.get(post_id)
        if known is None:
            known = _kept((await self.get_post(post_id) or {}).get("props"))
        return dict(known)

    async def create_ephemeral(
        self, user_id: str, channel_id: str, message: str, *, root_id: str = "", cards: list[Card] | None = None,
        command: str = "",
    ) -> None:
        """Needs `create_post_ephemeral` (system admins only by default)."""
        post: dict[str, Any] = {"channel_id": channel_id, "message": render.cap_post(message)}
        if root_id:
            post["root_id"] = root_id
        if cards:
            post["props"] = {"attachments": render.attachments(cards, signer=self.signer, command=command,
                                                               viewer=user_id, channel_id=channel_id)}
        await self._call("ephemeral post", lambda: self.driver.posts.create_post_ephemeral(user_id, post))

    async def get_post(self, post_id: str) -> dict[str, Any] | None:
        try:
            return await self._call("get post", lambda: self.driver.posts.get_post(post_id))
        except PlatformError as exc:
            if exc.status in (403, 404):
                return None
            raise

    async def channel_posts(self, channel_id: str, since_ms: int) -> list[dict[str, Any]]:
        """Mattermost's posts created or modified after `since_ms` (server time, ms), oldest first, as JSON: the
        WebSocket catch-up replays them as the events a live connection would have sent."""
        result = await self._call("channel posts", lambda: self.driver.posts.get_posts_for_channel(
            channel_id, since=max(1, since_ms)))
        posts = [p for p in (result or {}).get("posts", {}).values() if isinstance(p, dict)]
        posts.sort(key=lambda p: (p.get("create_at", 0), p.get("id", "")))
        return posts

    async def posts_since(self, channel_id: str, since_ms: int) -> list[Post]:
        """The same posts, decoded for features (`Platform.posts_since`)."""
        return [decode_post(p) for p in await self.channel_posts(channel_id, since_ms)]

    async def open_dialog(self, trigger_id: str, dialog: Dialog, *, command: str = "", viewer: str,
                          channel_id: str) -> None:
        """Open `dialog` for `viewer` (the user whose action gave `trigger_id`); its state is signed for them."""
        body = render.dialog(dialog, signer=self.signer, command=command, viewer=viewer, channel_id=channel_id,
                             can=render.features(await self.server_version()))
        await self._call("open dialog", lambda: self.driver.integration_actions.open_interactive_dialog(
            trigger_id=trigger_id, url=self.signer.dialogs_url, dialog=body))

    async def server_version(self) -> tuple[int, int]:
        """(major, minor) from the `X-Version-Id` header ("10.7.0.…"), asked once an hour: which dialog elements the
        server can show. (0, 0) when unknown, so only what every supported server shows is used."""
        if hit := self._version.get("v"):
            return hit[0]
        try:
            async with httpx.AsyncClient(timeout=10) as http:
                resp = await http.get(self.settings.mattermost_url.rstrip("/") + "/api/v4/system/ping")
            major, minor = (int(p) for p in resp.headers.get("X-Version-Id", "").split(".")[:2])
        except (httpx.HTTPError, ValueError):
            return (0, 0)  # not remembered: asked again at the next dialog
        return self._version.put("v", (major, minor))

    async def direct_channel(self, user_id: str) -> str:
        """The bot's direct-message channel with a user (private files, the ephemeral fallback); a pair's channel
        never changes, so it is asked for once per user."""
        if user_id in self._direct:
            return self._direct[user_id]
        if not self.bot_user_id:
            await self.login()
        ch = await self._call("direct channel", lambda: self.driver.client.post(
            "/api/v4/channels/direct", options=[self.bot_user_id, user_id]))
        self._direct[user_id] = ch["id"]
        return ch["id"]

    # -- channels and users ------------------------------------------------------------------
    async def channel_by_name(self, name: str, team: str | None = None) -> ChannelRef | None:
        team = team or self.settings.team
        key = (team, name.lstrip("~"))
        if hit := self._channels.get(key):
            return hit[0]
        try:
            ch = await self._call("channel by name", lambda: self.driver.channels.get_channel_by_name_for_team_name(
                team, key[1]))
        except PlatformError as exc:
            if exc.status in (403, 404):
                return None
            raise
        return self._channels.put(key, ChannelRef(ch["id"], ch["name"], ch.get("display_name", ""),
                                                  ch.get("team_id", "")))

    async def channel_last_post_at(self, channel_id: str) -> int:
        """Server time (ms) of the channel's latest post: where the WebSocket catch-up starts on first run."""
        ch = await self._call("channel", lambda: self.driver.channels.get_channel(channel_id))
        return int(ch.get("last_post_at") or ch.get("create_at") or 0)

    async def is_channel_member(self, channel_id: str, user_id: str) -> bool:
        try:
            await self._call("channel member", lambda: self.driver.channels.get_channel_member(channel_id, user_id))
            return True
        except PlatformError as exc:
            if exc.status in (403, 404):
                return False
            raise

    async def channel_members(self, channel_id: str) -> list[UserRef]:
        ids: list[str] = []
        page = 0
        while True:
            batch = await self._call("channel members", functools.partial(
                self.driver.channels.get_channel_members, channel_id, page=page, per_page=MEMBERS_PAGE))
            ids += [m["user_id"] for m in batch or []]
            if not batch or len(batch) < MEMBERS_PAGE:
                break
            page += 1
        if not ids:
            return []
        users = await self._call("users by ids", lambda: self.driver.users.get_users_by_ids(ids))
        found = [UserRef(u["id"], u["username"], u.get("roles", "")) for u in users or []]
        for user in found:
            self._users.put(user.id, user)
        return found

    async def user(self, user_id: str) -> UserRef | None:
        if hit := self._users.get(user_id):
            return hit[0]
        try:
            u = await self._call("user", lambda: self.driver.users.get_user(user_id))
            ref: UserRef | None = UserRef(u["id"], u["username"], u.get("roles", ""))
        except PlatformError as exc:
            if exc.status not in (403, 404):
                raise
            ref = None
        return self._users.put(user_id, ref)

    async def is_team_or_system_admin(self, user_id: str) -> bool:
        """System admin (user roles) or admin of the configured team (team member roles); cached a few minutes."""
        if hit := self._admins.get(user_id):
            return hit[0]
        user = await self.user(user_id)
        admin = user is not None and "system_admin" in user.roles.split()
        if not admin:
            try:
                team_id = await self.team_id()
                member = await self._call("team member", lambda: self.driver.teams.get_team_member(team_id, user_id))
                admin = "team_admin" in str(member.get("roles", "")).split() or bool(member.get("scheme_admin"))
            except PlatformError as exc:
                if exc.status not in (403, 404):
                    raise
        return self._admins.put(user_id, admin)

    # -- slash commands (used by `relais setup`) ---------------------------------------------
    async def list_commands(self, team_id: str) -> list[dict[str, Any]]:
        result = await self._call("list commands", lambda: self.driver.commands.list_commands(
            team_id=team_id, custom_only=True))
        return list(result or [])

    async def create_command(self, body: dict[str, Any]) -> dict[str, Any]:
        # The typed `create_command` drops the autocomplete fields: post the full body ourselves.
        return await self._call("create command", lambda: self.driver.client.post("/api/v4/commands", options=body))

    async def update_command(self, command_id: str, body: dict[str, Any]) -> dict[str, Any]:
        return await self._call("update command", lambda: self.driver.commands.update_command(command_id, body))
