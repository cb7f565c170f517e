"""`MMServer`: the fake Mattermost a bot under test talks to, with seeding, control and inspection helpers."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlencode

from aiohttp import web

from .config import Config
from .core import Core
from .emoji import check_reaction_emoji
from .errors import AppError
from .ids import Clock
from .middleware import FaultRule, Faults, LoggedRequest, build_middleware
from .player import ActionResult, CommandResult, DialogResult, Player, RawReply
from .routes_core import CoreRoutes
from .routes_integrations import IntegrationRoutes
from .routes_posts import PostRoutes
from .state import CommandHook, DialogRecord, State, StoredFile
from .websocket import WebSocketHub, WSEvent

T = TypeVar("T")


class MMServer:
    """A Mattermost-compatible HTTP + WebSocket server on asyncio (see DEVIATIONS.md for its limits)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, site_url: str | None = None) -> None:
        self.host = host
        self.port = port
        self._site_url = site_url
        self.config = Config()
        self.clock = Clock()
        self.state = State(self.config, self.clock)
        self.hub = WebSocketHub(self.state, self.config)
        self.core = Core(self.state, self.hub, self.config, self.clock)
        self.player = Player(self.core, self.state, self.config)
        self.faults = Faults()
        self.requests_log: list[LoggedRequest] = []
        self._runner: web.AppRunner | None = None

    # ----- lifecycle -----------------------------------------------------------------------------

    def _build_app(self) -> web.Application:
        app = web.Application(
            middlewares=[build_middleware(self.state, self.faults, self.requests_log)], client_max_size=64 * 1024**2
        )
        app.router.add_get("/api/v4/websocket", self.hub.handle)
        CoreRoutes(self.state, self.core).register(app.router)
        PostRoutes(self.state, self.core).register(app.router)
        IntegrationRoutes(self.state, self.core, self.player, self.config).register(app.router)
        return app

    async def start(self) -> MMServer:
        self._runner = web.AppRunner(self._build_app(), handle_signals=False, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        server = site._server
        assert server is not None and server.sockets  # type: ignore[attr-defined]
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        self.config.site_url = (self._site_url or self.url).rstrip("/")
        await self.player.start()
        return self

    async def stop(self) -> None:
        await self.hub.close_all()
        await self.player.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> MMServer:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def driver_options(self, user_id: str, **extra: Any) -> dict[str, Any]:
        """Options for mattermostautodriver's (Async)TypedDriver logged in as `user_id`."""
        return {"url": self.host, "port": self.port, "scheme": "http", "token": self.token_for(user_id), **extra}

    # ----- seeding -------------------------------------------------------------------------------

    def add_user(
        self,
        username: str,
        *,
        roles: str = "system_user",
        is_bot: bool = False,
        token: str | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        """A user (`first_name`, `last_name`, `nickname`, `email`, `position`, `locale`, `bot_description` accepted)."""
        return self.state.add_user(username, roles=roles, is_bot=is_bot, token=token, **fields)

    def add_bot(self, username: str, *, roles: str = "system_user", **fields: Any) -> dict[str, Any]:
        return self.state.add_user(username, roles=roles, is_bot=True, **fields)

    def token_for(self, user_id: str) -> str:
        return self.state.token_for(user_id)

    def set_token(self, user_id: str, token: str) -> None:
        """Rotate a user's token: the old one now gets 401 (REST) or a closed socket (WebSocket)."""
        self.state.set_token(user_id, token)

    def add_team(self, name: str, display_name: str | None = None, type: str = "O") -> dict[str, Any]:
        return self.state.add_team(name, display_name, type)

    def add_team_member(self, team_id: str, user_id: str, roles: str = "team_user") -> dict[str, Any]:
        return self.state.add_team_member(team_id, user_id, roles)

    def add_channel(self, team_id: str, name: str, display_name: str | None = None, type: str = "O") -> dict[str, Any]:
        return self.state.add_channel(team_id, name, display_name, type)

    def add_channel_member(self, channel_id: str, user_id: str, roles: str = "channel_user") -> dict[str, Any]:
        """Also adds the user to the channel's team if needed."""
        return self.state.add_channel_member(channel_id, user_id, roles)

    def direct_channel(self, user_a: str, user_b: str) -> dict[str, Any]:
        return self.state.direct_channel(user_a, user_b)[0]

    # ----- acting as users (what their clients would do) -----------------------------------------

    async def post_as(
        self,
        user_id: str,
        channel_id: str,
        message: str,
        *,
        root_id: str = "",
        props: dict[str, Any] | None = None,
        file_ids: list[str] | None = None,
    ) -> dict[str, Any]:
        """A user posts (broadcasts `posted`); raises AppError like the API would (403, root_id rule...)."""
        channel = self.state.channel(channel_id)
        self.state.require(self.state.can_post(user_id, channel))
        return await self.core.create_post(
            user_id, channel_id, message, root_id=root_id, props=props, file_ids=file_ids
        )

    async def edit_post_as(self, user_id: str, post_id: str, message: str) -> dict[str, Any]:
        post = self.state.post(post_id)
        self.state.require(post["user_id"] == user_id or self.state.is_system_admin(user_id))
        return await self.core.update_post(post, message=message)

    async def delete_post_as(self, user_id: str, post_id: str) -> None:
        post = self.state.post(post_id)
        self.state.require(post["user_id"] == user_id or self.state.is_system_admin(user_id))
        await self.core.delete_post(post, user_id)

    async def react_as(self, user_id: str, post_id: str, emoji: str) -> dict[str, Any]:
        check_reaction_emoji(emoji)  # an unknown name fails as through the API (404)
        return await self.core.add_reaction(user_id, self.state.post(post_id), emoji)

    async def unreact_as(self, user_id: str, post_id: str, emoji: str) -> None:
        await self.core.remove_reaction(user_id, self.state.post(post_id), emoji)

    async def run_command(
        self,
        user_id: str,
        channel_id: str,
        command: str,
        *,
        root_id: str = "",
        team_id: str | None = None,
        token: str | None = None,
    ) -> CommandResult:
        """A user types `command` (e.g. "/annuaire caf manosque"); `token` forges the command token."""
        return await self.player.run_command(
            user_id, channel_id, command, root_id=root_id, team_id=team_id, token=token
        )

    async def click_button(
        self,
        user_id: str,
        post_id: str,
        action: str,
        *,
        selected_option: str = "",
        context: dict[str, Any] | None = None,
        url: str | None = None,
    ) -> ActionResult:
        """A user clicks a button / picks a menu option (`action` = id or name); `context` forges it."""
        return await self.player.click_button(
            user_id, post_id, action, selected_option=selected_option, context=context, url=url
        )

    async def submit_dialog(
        self,
        user_id: str,
        dialog: DialogRecord,
        submission: dict[str, Any],
        *,
        cancelled: bool = False,
        state: str | None = None,
        callback_id: str | None = None,
        url: str | None = None,
    ) -> DialogResult:
        """A user submits (or cancels) an opened dialog; `state`/`callback_id`/`url` forge it."""
        return await self.player.submit_dialog(
            user_id, dialog, submission, cancelled=cancelled, state=state, callback_id=callback_id, url=url
        )

    async def send_to_integration(self, url: str, payload: Any, headers: dict[str, str] | None = None) -> RawReply:
        """POST arbitrary JSON as the server would (forged action/dialog requests)."""
        return await self.player.post_json(url, payload, headers)

    async def send_command_form(
        self, url: str, fields: dict[str, str] | list[tuple[str, str]], *, token: str | None = None
    ) -> RawReply:
        """POST an arbitrary slash-command form (forged command); `token` sets `Authorization: Token`."""
        headers = {"Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded"}
        if token:
            headers["Authorization"] = "Token " + token
        return await self.player.send("POST", url, data=urlencode(fields).encode(), headers=headers)

    def issue_trigger_id(self, user_id: str, channel_id: str = "", team_id: str = "") -> str:
        """A valid trigger_id, as if a command or button had just been used."""
        return self.core.issue_trigger(user_id, channel_id, team_id)

    # ----- control -------------------------------------------------------------------------------

    async def drop_websockets(self) -> int:
        """Abort every WebSocket without a close frame (network cut); returns how many were dropped."""
        return await self.hub.drop_all()

    @property
    def refuse_websockets(self) -> bool:
        return self.hub.refuse

    @refuse_websockets.setter
    def refuse_websockets(self, value: bool) -> None:
        self.hub.refuse = value

    def ws_connection_count(self, user_id: str | None = None) -> int:
        """Authenticated sockets (optionally for one user)."""
        return self.hub.count(user_id)

    async def wait_for_websockets(self, count: int = 1, user_id: str | None = None, timeout: float = 5.0) -> None:
        await self.wait_for(lambda: self.hub.count(user_id) >= count, timeout=timeout)

    def fail_requests(
        self,
        path_prefix: str = "/api/v4/posts",
        status: int = 503,
        count: int | None = None,
        until: float | None = None,
        *,
        duration: float | None = None,
        method: str | None = None,
        body: str | None = None,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
    ) -> FaultRule:
        """Fail matching requests with `status` (AppError body unless `body`), for `count` requests and/or
        until `until` (a time.monotonic() deadline) / for `duration` seconds; then they succeed again.
        `delay` sleeps before answering (slow server)."""
        if duration is not None:
            until = time.monotonic() + duration
        rule = FaultRule(path_prefix, status, count, until, method, body, content_type, dict(headers or {}), delay)
        return self.faults.add(rule)

    def clear_faults(self) -> None:
        self.faults.clear()

    @property
    def down(self) -> bool:
        """While True every HTTP request (WebSocket upgrades included) gets 502 from a "proxy"."""
        return self.faults.down

    @down.setter
    def down(self, value: bool) -> None:
        self.faults.down = value

    async def go_down(self) -> None:
        """Full outage: 502 everywhere and every socket cut."""
        self.down = True
        await self.drop_websockets()

    @property
    def allow_user_commands(self) -> bool:
        return self.config.allow_user_commands

    @allow_user_commands.setter
    def allow_user_commands(self, value: bool) -> None:
        self.config.allow_user_commands = value

    def advance_clock(self, seconds: float) -> None:
        """Move server time forward (expire trigger ids after 30 s, response_urls after 30 min)."""
        self.clock.advance(seconds)

    # ----- inspection ----------------------------------------------------------------------------

    def posts_in(
        self, channel_id: str, *, include_deleted: bool = False, as_client: bool = False
    ) -> list[dict[str, Any]]:
        """Posts of a channel, oldest first; server-side records (with `integration`) unless `as_client`."""
        posts = [
            p
            for p in self.state.posts.values()
            if p["channel_id"] == channel_id and (include_deleted or not p["delete_at"])
        ]
        posts.sort(key=lambda p: p["create_at"])
        return [self.core.render_post(p) for p in posts] if as_client else posts

    def thread(self, root_id: str) -> list[dict[str, Any]]:
        """Root and replies, oldest first."""
        posts = [
            p
            for p in self.state.posts.values()
            if (p["id"] == root_id or p["root_id"] == root_id) and not p["delete_at"]
        ]
        return sorted(posts, key=lambda p: p["create_at"])

    def get_post(self, post_id: str) -> dict[str, Any]:
        return self.state.posts[post_id]

    def render_post(self, post: dict[str, Any]) -> dict[str, Any]:
        """The client view of a stored post (what GET /posts/{id} returns)."""
        return self.core.render_post(post)

    def ephemerals_for(self, user_id: str, channel_id: str | None = None) -> list[dict[str, Any]]:
        return [
            e.post
            for e in self.state.ephemerals
            if e.user_id == user_id and (channel_id is None or e.post["channel_id"] == channel_id)
        ]

    @property
    def opened_dialogs(self) -> list[DialogRecord]:
        return self.state.dialogs

    def last_dialog(self, user_id: str | None = None) -> DialogRecord:
        for record in reversed(self.state.dialogs):
            if user_id is None or record.user_id == user_id:
                return record
        raise LookupError("no dialog was opened")

    @property
    def commands(self) -> list[dict[str, Any]]:
        """Registered (not deleted) custom commands, with their tokens."""
        return [c for c in self.state.commands.values() if not c["delete_at"]]

    def command_by_trigger(self, team_id: str, trigger: str) -> dict[str, Any] | None:
        return next((c for c in self.commands if c["team_id"] == team_id and c["trigger"] == trigger), None)

    @property
    def hooks(self) -> dict[str, CommandHook]:
        return self.state.hooks

    @property
    def files(self) -> dict[str, StoredFile]:
        return self.state.files

    def file_bytes(self, file_id: str) -> bytes:
        return self.state.files[file_id].data

    def reactions_on(self, post_id: str) -> list[dict[str, Any]]:
        return [r for (pid, _, _), r in self.state.reactions.items() if pid == post_id]

    @property
    def ws_events(self) -> list[WSEvent]:
        return self.hub.events

    def requests_to(self, path_prefix: str, method: str | None = None) -> list[LoggedRequest]:
        return [
            r
            for r in self.requests_log
            if r.path.startswith(path_prefix) and (method is None or r.method.upper() == method.upper())
        ]

    async def wait_for(self, predicate: Callable[[], T], timeout: float = 5.0, interval: float = 0.02) -> T:
        """Poll until `predicate()` is truthy and return its value (TimeoutError otherwise)."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() >= deadline:
                raise TimeoutError(f"condition not met within {timeout} s")
            await asyncio.sleep(interval)

    async def wait_for_post(
        self,
        *,
        channel_id: str | None = None,
        user_id: str | None = None,
        root_id: str | None = None,
        contains: str | None = None,
        after: int = 0,
        timeout: float = 5.0,
    ) -> dict[str, Any]:
        """The first (oldest) post matching every given filter and created after `after` (ms)."""

        def find() -> dict[str, Any] | None:
            for post in sorted(self.state.posts.values(), key=lambda p: p["create_at"]):
                if post["delete_at"] or post["create_at"] <= after:
                    continue
                if channel_id is not None and post["channel_id"] != channel_id:
                    continue
                if user_id is not None and post["user_id"] != user_id:
                    continue
                if root_id is not None and post["root_id"] != root_id:
                    continue
                if contains is not None and contains not in post["message"]:
                    continue
                return post
            return None

        return await self.wait_for(find, timeout=timeout)

    async def wait_for_ephemeral(
        self, user_id: str, *, contains: str | None = None, count: int = 1, timeout: float = 5.0
    ) -> dict[str, Any]:
        """Wait until `user_id` has `count` matching ephemerals; returns the latest."""

        def find() -> dict[str, Any] | None:
            found = [p for p in self.ephemerals_for(user_id) if contains is None or contains in p["message"]]
            return found[-1] if len(found) >= count else None

        return await self.wait_for(find, timeout=timeout)

    async def wait_for_dialog(
        self, user_id: str | None = None, *, count: int = 1, timeout: float = 5.0
    ) -> DialogRecord:
        def find() -> DialogRecord | None:
            found = [d for d in self.state.dialogs if user_id is None or d.user_id == user_id]
            return found[-1] if len(found) >= count else None

        return await self.wait_for(find, timeout=timeout)


__all__ = ["MMServer", "AppError"]
