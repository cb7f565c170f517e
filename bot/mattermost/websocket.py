"""WebSocket listener: live events to `registry.listeners(event)`, with reconnect and catch-up.

The driver's `Websocket` reconnects without delay or retries forever at a fixed pace, and never
replays what was missed. Here one `connect()` is one connection; `WebSocketListener` owns the
policy: exponential back-off with jitter, then after every (re)connection a fetch of what was
posted meanwhile in the watched channels (`posts?since=`), fed through the same path as live
events. Posts, edits and reactions are handled at most once across reconnects, restarts and
several processes (a durable claim in `processed_events`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import ssl
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import aiohttp
from mattermostautodriver import Websocket
from sqlalchemy import delete

from bot.core.context import App, PlatformError
from bot.core.events import (
    OWN_PROPS,
    POST_DELETED,
    POST_EDITED,
    POSTED,
    REACTION_ADDED,
    REACTION_REMOVED,
    Event,
    PostEvent,
    ReactionEvent,
)
from bot.db import Database, utcnow
from bot.db.insert import insert_ignore, rows_changed
from bot.db.state import get_state, set_state
from bot.mattermost.client import MattermostClient, moment
from bot.mattermost.models import ProcessedEvent

log = logging.getLogger(__name__)

NESTED_JSON = ("post", "reaction", "mentions", "followers")
STATE_PREFIX = "mattermost.last_seen."
CATCHUP_OVERLAP_MS = 5_000  # re-read a little before the last seen post: duplicates are filtered by the claim
AUTH_TIMEOUT = 10.0
HEARTBEAT = 30.0  # aiohttp pings; a dead network is noticed within HEARTBEAT * 1.5 s
PROCESSED_RETENTION_DAYS = 30
SELF_SKIPPED = ("posted", "reaction_added", "reaction_removed")

FrameHandler = Callable[[str], Awaitable[None]]


class RelaisWebsocket(Websocket):
    """The driver's websocket for one connection: its auth handshake, our receive loop."""

    def __init__(self, options: dict[str, Any], token: str, *, heartbeat: float = HEARTBEAT) -> None:
        super().__init__(options, token)
        self.heartbeat = heartbeat
        self._ws: aiohttp.ClientWebSocketResponse | None = None

    def url(self) -> str:
        scheme = "wss" if self.options["scheme"] == "https" else "ws"
        return f"{scheme}://{self.options['url']}:{self.options['port']}/api/v4/websocket"

    async def connect(  # type: ignore[override]
        self, event_handler: FrameHandler, on_open: Callable[[], Awaitable[None]] | None = None
    ) -> None:
        """Connect, authenticate, call `on_open`, then pass frames until the socket closes or `close()`."""
        context: ssl.SSLContext | None = None
        if self.options["scheme"] == "https":
            context = ssl.create_default_context(purpose=ssl.Purpose.SERVER_AUTH)
            if not self.options["verify"]:
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
        self._alive = True
        async with aiohttp.ClientSession() as session, session.ws_connect(
            self.url(), ssl=context if context is not None else True, proxy=self.options.get("proxy"),
            heartbeat=self.heartbeat, **(self.options.get("websocket_kw_args") or {}),
        ) as ws:
            self._ws = ws
            try:
                await asyncio.wait_for(self._authenticate_websocket(ws, event_handler), AUTH_TIMEOUT)
                if on_open is not None:
                    await on_open()
                while self._alive:
                    msg = await ws.receive()
                    if msg.type == aiohttp.WSMsgType.TEXT:
                        self._last_msg = time.time()
                        await event_handler(msg.data)
                    elif msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSING,
                                      aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                        break
            finally:
                self._ws = None

    async def _authenticate_websocket(self, websocket: Any, event_handler: FrameHandler) -> bool:
        """The driver's challenge, without its misleading "authentication failed" log when hello comes second."""
        await websocket.send_str(json.dumps({"seq": 1, "action": "authentication_challenge",
                                             "data": {"token": self._token}}))
        while True:
            message = await websocket.receive_str()
            await event_handler(message)
            frame = json.loads(message)
            if frame.get("seq_reply") == 1 and frame.get("status") == "FAIL":
                raise PlatformError(f"WebSocket authentication refused: {frame.get('error')}", retryable=True)
            if frame.get("event") == "hello" and frame.get("seq") == 0:
                return True

    async def close(self) -> None:
        self.disconnect()
        if self._ws is not None:
            await self._ws.close()


def decode_event(raw: str) -> dict[str, Any] | None:
    """A WebSocket frame as an event with its double-encoded JSON decoded; None for replies and junk."""
    try:
        frame = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(frame, dict) or not frame.get("event"):
        return None
    data = frame.get("data")
    if not isinstance(data, dict):
        frame["data"] = data = {}
    for key in NESTED_JSON:
        value = data.get(key)
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                data[key] = json.loads(value)
    return frame


def typed_event(event: dict[str, Any]) -> Event | None:
    """The one place where Mattermost's event JSON becomes what features read (None: not an event they take)."""
    name = str(event.get("event") or "")
    data, broadcast = _obj(event.get("data")), _obj(event.get("broadcast"))
    channel = str(broadcast.get("channel_id") or "")
    if name in (POSTED, POST_EDITED, POST_DELETED):
        post, props = _obj(data.get("post")), _obj(_obj(data.get("post")).get("props"))
        if not post.get("id"):
            return None
        return PostEvent(
            kind=name, id=str(post["id"]), channel_id=str(post.get("channel_id") or channel),
            user_id=str(post.get("user_id") or ""), message=str(post.get("message") or ""),
            root_id=str(post.get("root_id") or ""), type=str(post.get("type") or ""),
            channel_name=str(data.get("channel_name") or ""),
            sender_name=str(data.get("sender_name") or "").lstrip("@"),
            created=moment(post.get("create_at")), edited=moment(post.get("edit_at")),
            from_bot=any(str(props.get(k, "")).lower() == "true" for k in ("from_bot", "from_webhook")),
            by_relais=any(str(k).startswith(OWN_PROPS) for k in props),
        )
    if name in (REACTION_ADDED, REACTION_REMOVED):
        reaction = _obj(data.get("reaction"))
        if not reaction.get("post_id"):
            return None
        return ReactionEvent(kind=name, post_id=str(reaction["post_id"]), user_id=str(reaction.get("user_id") or ""),
                             emoji=str(reaction.get("emoji_name") or ""),
                             channel_id=str(reaction.get("channel_id") or channel),
                             created=moment(reaction.get("create_at")))
    return None


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def event_key(event: dict[str, Any]) -> str | None:
    """Idempotency key of an event (None: not deduplicated)."""
    name = event.get("event")
    data = event.get("data") or {}
    post = data.get("post") if isinstance(data.get("post"), dict) else None
    reaction = data.get("reaction") if isinstance(data.get("reaction"), dict) else None
    if name == "posted" and post and post.get("id"):
        return f"posted:{post['id']}"
    if name == "post_deleted" and post and post.get("id"):
        return f"post_deleted:{post['id']}"
    if name == "post_edited" and post and post.get("id"):
        return f"post_edited:{post['id']}:{post.get('edit_at', 0)}"
    if name == "reaction_added" and reaction:
        # Removals are live-only (never caught up), so they need no key.
        return (f"reaction_added:{reaction.get('post_id')}:{reaction.get('user_id')}:{reaction.get('emoji_name')}:"
                f"{reaction.get('create_at', 0)}")
    return None


def purge_processed(db: Database, older_than_days: int = PROCESSED_RETENTION_DAYS) -> int:
    """Forget claims far older than any catch-up window (it only reaches back to the last seen post)."""
    cutoff = utcnow() - timedelta(days=older_than_days)
    with db.session() as s:
        result = s.execute(delete(ProcessedEvent).where(ProcessedEvent.processed_at < cutoff))
    return rows_changed(result)


def _event_channel_and_time(event: dict[str, Any]) -> tuple[str, int]:
    data = event.get("data") or {}
    for key in ("post", "reaction"):
        obj = data.get(key)
        if isinstance(obj, dict):
            stamp = max(int(obj.get("create_at") or 0), int(obj.get("update_at") or 0))
            return str(obj.get("channel_id") or (event.get("broadcast") or {}).get("channel_id") or ""), stamp
    return str((event.get("broadcast") or {}).get("channel_id") or ""), 0


def _actor(event: dict[str, Any]) -> str:
    data = event.get("data") or {}
    for key in ("post", "reaction"):
        obj = data.get(key)
        if isinstance(obj, dict):
            return str(obj.get("user_id", ""))
    return ""


class WebSocketListener:
    def __init__(
        self, app: App, client: MattermostClient, *, backoff_base: float = 1.0, backoff_cap: float = 60.0,
        heartbeat: float = HEARTBEAT, watched: tuple[str, ...] | None = None,
    ) -> None:
        self.app = app
        self.client = client
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.heartbeat = heartbeat
        s = app.settings
        self.watched_names = watched if watched is not None else tuple(
            dict.fromkeys(n for n in (s.channel_entraide, s.channel_ateliers, s.channel_annonces) if n))
        self.watched: dict[str, str] = {}  # channel id -> name, resolved at each connection
        self.connected = False
        self.connections = 0  # successful connections so far (tests and logs)
        self._last_seen: dict[str, int] = {}
        self._queue: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()
        self._stop = asyncio.Event()
        self._ws: RelaisWebsocket | None = None
        self._worker: asyncio.Task[None] | None = None
        self._runner: asyncio.Task[None] | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> asyncio.Task[None]:
        self._worker = asyncio.ensure_future(self._work())
        self._runner = asyncio.ensure_future(self.run())
        return self._runner

    async def stop(self, timeout: float = 30.0) -> None:
        """Stop reading, finish the events already received, then return."""
        self._stop.set()
        if self._ws is not None:
            with contextlib.suppress(Exception):
                await self._ws.close()
        if self._runner is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(self._runner, timeout)
        if self._worker is not None:
            await self._queue.put(None)
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(self._worker, timeout)

    def backoff(self, attempt: int) -> float:
        """Exponential back-off with jitter (half to full delay) so many bots do not reconnect in step."""
        delay = min(self.backoff_cap, self.backoff_base * 2 ** min(attempt, 30))
        return delay * random.uniform(0.5, 1.0)

    async def run(self) -> None:
        attempt = 0
        while not self._stop.is_set():
            try:
                if not self.client.bot_user_id:
                    await self.client.login()
                self._ws = RelaisWebsocket(self.client.driver.options, self.client.settings.mattermost_token,
                                           heartbeat=self.heartbeat)
                await self._ws.connect(self._on_frame, self._on_open)
                if self._stop.is_set():
                    log.info("Mattermost WebSocket closed (Relais is stopping)")
                else:
                    log.warning("Mattermost WebSocket closed; reconnecting")
            except asyncio.CancelledError:
                raise
            except (PlatformError, aiohttp.ClientError, OSError, TimeoutError, TypeError, ValueError) as exc:
                # TypeError: aiohttp's receive_str on a closing socket during the handshake.
                log.warning("Mattermost WebSocket unavailable (%s: %s)", type(exc).__name__, exc)
            except Exception:
                log.exception("Mattermost WebSocket failed")
            finally:
                if self.connected:
                    attempt = 0
                self.connected = False
                self._ws = None
            if self._stop.is_set():
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), self.backoff(attempt))
            attempt += 1

    # -- frames ------------------------------------------------------------------------------
    async def _on_frame(self, raw: str) -> None:
        event = decode_event(raw)
        if event is not None:
            await self._queue.put(event)

    async def _on_open(self) -> None:
        self.connected = True
        try:
            await self._catch_up()
        except PlatformError as exc:
            log.warning("catch-up after reconnect failed (%s); will retry at next connection", exc)
        self.connections += 1

    async def settled(self) -> None:
        """Wait until every event received or caught up so far has been processed."""
        await self._queue.join()

    async def _catch_up(self) -> None:
        self.watched = {}
        for name in self.watched_names:
            ref = await self.client.channel_by_name(name)
            if ref is None:
                log.warning("watched channel ~%s not found on team %s", name, self.app.settings.team)
                continue
            self.watched[ref.id] = name
        for channel_id, name in self.watched.items():
            since = await asyncio.to_thread(self._load_last_seen, channel_id)
            if since is None:
                # First start on this channel: begin from its latest post, never replay history.
                since = await self.client.channel_last_post_at(channel_id)
                self._last_seen[channel_id] = since
                await asyncio.to_thread(self._save_last_seen, channel_id, since)
                continue
            start = max(1, since - CATCHUP_OVERLAP_MS)
            posts = await self.client.channel_posts(channel_id, start)
            for event in catch_up_events(posts, start, channel_id=channel_id, channel_name=name):
                await self._queue.put(event)

    # -- processing --------------------------------------------------------------------------
    async def _work(self) -> None:
        while True:
            event = await self._queue.get()
            try:
                if event is None:
                    return
                await self.process(event)
            except Exception:
                log.exception("failed to process %s event", event.get("event") if event else None)
            finally:
                self._queue.task_done()

    async def process(self, event: dict[str, Any]) -> None:
        """Dispatch one decoded event to the feature listeners, at most once per post/edit/reaction."""
        name = str(event.get("event"))
        listeners = self.app.registry.listeners(name)
        channel_id, stamp = _event_channel_and_time(event)
        # The bot's own posts and reactions never trigger features (no loops); edits and deletions still do.
        own = name in SELF_SKIPPED and _actor(event) == self.client.bot_user_id != ""
        typed = typed_event(event) if listeners and not own else None
        if typed is not None:
            key = event_key(event)
            if key is None or await asyncio.to_thread(self._claim, key):
                for listener in listeners:
                    try:
                        await listener(self.app, typed)
                    except Exception:
                        log.exception("listener %s failed on %s", getattr(listener, "__name__", listener), name)
        if channel_id in self.watched and stamp > self._last_seen.get(channel_id, 0):
            self._last_seen[channel_id] = stamp
            await asyncio.to_thread(self._save_last_seen, channel_id, stamp)

    def _claim(self, key: str) -> bool:
        """False when already handled: by this process before a reconnect, or by another one."""
        with self.app.db.session() as s:
            return insert_ignore(s, ProcessedEvent, {"key": key, "processed_at": utcnow()}) is not None

    def _load_last_seen(self, channel_id: str) -> int | None:
        if channel_id in self._last_seen:
            return self._last_seen[channel_id]
        with self.app.db.session() as s:
            value = get_state(s, STATE_PREFIX + channel_id)
        if value is not None:
            self._last_seen[channel_id] = int(value)
        return None if value is None else int(value)

    def _save_last_seen(self, channel_id: str, stamp: int) -> None:
        with self.app.db.session() as s:
            current = get_state(s, STATE_PREFIX + channel_id)
            if current is None or int(current) < stamp:
                set_state(s, STATE_PREFIX + channel_id, stamp)


def catch_up_events(
    posts: list[dict[str, Any]], since_ms: int, *, channel_id: str, channel_name: str
) -> list[dict[str, Any]]:
    """Events a live connection would have delivered for posts modified since `since_ms`, oldest first."""
    events: list[tuple[int, dict[str, Any]]] = []
    broadcast = {"omit_users": None, "user_id": "", "channel_id": channel_id, "team_id": ""}
    data = {"channel_id": channel_id, "channel_name": channel_name, "catch_up": True}
    for post in posts:
        if post.get("delete_at"):
            if int(post["delete_at"]) >= since_ms:
                events.append((int(post["delete_at"]), {"event": "post_deleted", "data": dict(data, post=post),
                                                        "broadcast": broadcast}))
            continue
        if int(post.get("create_at") or 0) >= since_ms:
            events.append((int(post["create_at"]), {"event": "posted", "data": dict(data, post=post),
                                                    "broadcast": broadcast}))
        elif int(post.get("edit_at") or 0) >= since_ms:
            events.append((int(post["edit_at"]), {"event": "post_edited", "data": dict(data, post=post),
                                                  "broadcast": broadcast}))
        for reaction in (post.get("metadata") or {}).get("reactions") or []:
            if int(reaction.get("create_at") or 0) >= since_ms:
                events.append((int(reaction["create_at"]), {"event": "reaction_added",
                                                            "data": dict(data, reaction=reaction),
                                                            "broadcast": broadcast}))
    events.sort(key=lambda pair: pair[0])
    return [e for _, e in events]
