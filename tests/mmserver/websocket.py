"""The `/api/v4/websocket` endpoint: authentication, per-connection seq and event broadcast.

Follows platform/web_conn.go and websocket_router.go: auth by header/cookie at upgrade or by an
`authentication_challenge` within 5 s, a bad token closes the socket without a close frame, nested
objects in `data` are JSON strings, and events only reach the members of the channel.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from .config import Config
from .errors import AppError, dumps, unauthorized
from .ids import new_id
from .state import State

PerConnection = Callable[[str], dict[str, Any]]


@dataclass
class WSEvent:
    """A published event, kept so tests can assert on what was broadcast (and to whom)."""

    event: str
    data: dict[str, Any]
    broadcast: dict[str, Any]
    recipients: list[str] = field(default_factory=list)


class Connection:
    """One client socket; `seq` counts this connection's events from 0 (hello)."""

    def __init__(self, ws: web.WebSocketResponse, request: web.Request) -> None:
        self.ws = ws
        self.request = request
        self.id = new_id()
        self.user_id = ""
        self.seq = 0
        self.lock = asyncio.Lock()

    @property
    def authenticated(self) -> bool:
        return bool(self.user_id)

    async def send_event(self, event: str, data: dict[str, Any], broadcast: dict[str, Any]) -> None:
        """Send with the next seq; the lock keeps seq order equal to wire order."""
        async with self.lock:
            frame = {"event": event, "data": dict(sorted(data.items())), "broadcast": broadcast, "seq": self.seq}
            self.seq += 1
            await self.ws.send_str(dumps(frame))

    async def reply(self, seq: int, status: str = "OK", **extra: Any) -> None:
        async with self.lock:
            await self.ws.send_str(dumps({"status": status, "seq_reply": seq, **extra}))

    def abort(self) -> None:
        """Drop the TCP connection without a close frame, like a crash or a network cut."""
        transport = self.request.transport
        if transport is not None:
            transport.abort()


def _broadcast(user_id: str = "", channel_id: str = "", team_id: str = "") -> dict[str, Any]:
    return {
        "omit_users": None,
        "user_id": user_id,
        "channel_id": channel_id,
        "team_id": team_id,
        "connection_id": "",
        "omit_connection_id": "",
    }


def token_from_request(request: web.Request) -> str | None:
    """model.ParseAuthTokenFromRequest: `Authorization: Bearer|Token`, MMAUTHTOKEN cookie, access_token query."""
    header = request.headers.get("Authorization", "")
    for prefix in ("bearer ", "token "):
        if header.lower().startswith(prefix):
            return header[len(prefix) :].strip()
    if request.cookies.get("MMAUTHTOKEN"):
        return request.cookies["MMAUTHTOKEN"]
    return request.query.get("access_token") or None


class WebSocketHub:
    """Live connections, event publication and the test controls (drop, refuse, count)."""

    def __init__(self, state: State, config: Config) -> None:
        self.state = state
        self.config = config
        self.connections: set[Connection] = set()
        self.events: list[WSEvent] = []
        self.refuse = False

    # ----- publication ---------------------------------------------------------------------------

    def _targets(self, user_id: str, channel_id: str, team_id: str) -> list[Connection]:
        conns = [c for c in self.connections if c.authenticated]
        if user_id:
            return [c for c in conns if c.user_id == user_id]
        if channel_id:
            members = set(self.state.channel_member_ids(channel_id))
            return [c for c in conns if c.user_id in members]
        if team_id:
            return [c for c in conns if self.state.is_team_member(team_id, c.user_id)]
        return conns

    async def publish(
        self,
        event: str,
        data: dict[str, Any],
        *,
        user_id: str = "",
        channel_id: str = "",
        team_id: str = "",
        per_connection: PerConnection | None = None,
    ) -> WSEvent:
        """Send `event` to the connections the broadcast targets; `per_connection` adds per-user keys."""
        broadcast = _broadcast(user_id, channel_id, team_id)
        targets = self._targets(user_id, channel_id, team_id)
        record = WSEvent(event, data, broadcast, sorted({c.user_id for c in targets}))
        self.events.append(record)
        for conn in targets:
            payload = dict(data)
            if per_connection is not None:
                payload.update(per_connection(conn.user_id))
            try:
                await conn.send_event(event, payload, broadcast)
            except (ConnectionError, RuntimeError):
                self.connections.discard(conn)
        return record

    # ----- controls ------------------------------------------------------------------------------

    def count(self, user_id: str | None = None) -> int:
        return sum(1 for c in self.connections if c.authenticated and (user_id is None or c.user_id == user_id))

    async def drop_all(self) -> int:
        """Abort every socket (abnormal closure, no close frame) so clients must reconnect."""
        conns = list(self.connections)
        for conn in conns:
            conn.abort()
        self.connections.clear()
        await asyncio.sleep(0)
        return len(conns)

    async def close_all(self) -> None:
        """Graceful close (1001 going away), used when the server stops."""
        for conn in list(self.connections):
            with contextlib.suppress(Exception):
                await asyncio.wait_for(conn.ws.close(code=1001), 1.0)
            conn.abort()
        self.connections.clear()

    # ----- endpoint ------------------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if self.refuse:
            return web.Response(status=503, text="503 Service Unavailable", content_type="text/html")
        user_id = ""
        token = token_from_request(request)
        if token is not None:
            user_id = self.state.user_for_token(token) or ""
            if not user_id:
                raise unauthorized()
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        conn = Connection(ws, request)
        self.connections.add(conn)
        try:
            if user_id:
                conn.user_id = user_id
                await self._send_hello(conn)
            elif not await self._await_challenge(conn):
                conn.abort()
                return ws
            await self._serve(conn)
        finally:
            self.connections.discard(conn)
        return ws

    async def _send_hello(self, conn: Connection) -> None:
        hello = {"connection_id": conn.id, "server_version": self.config.server_version, "server_hostname": "mmserver"}
        await conn.send_event("hello", hello, _broadcast(user_id=conn.user_id))

    async def _await_challenge(self, conn: Connection) -> bool:
        """Wait up to ws_auth_timeout for a valid authentication_challenge."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.config.ws_auth_timeout
        while True:
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            try:
                msg = await asyncio.wait_for(conn.ws.receive(), remaining)
            except TimeoutError:
                return False
            if msg.type != WSMsgType.TEXT:
                return False
            request = _parse(msg.data)
            if request is None:
                continue
            seq = request.get("seq", 0)
            if request.get("action") != "authentication_challenge":
                await conn.reply(seq, "FAIL", error=_error("api.web_socket_router.not_authenticated.app_error"))
                continue
            token = (request.get("data") or {}).get("token")
            user_id = self.state.user_for_token(token) if isinstance(token, str) else None
            if not user_id:
                return False
            conn.user_id = user_id
            if self.config.ws_hello_first:
                await self._send_hello(conn)
                await conn.reply(seq)
            else:
                await conn.reply(seq)
                await self._send_hello(conn)
            return True

    async def _serve(self, conn: Connection) -> None:
        await conn.send_event("status_change", {"status": "online", "user_id": conn.user_id}, _broadcast())
        async for msg in conn.ws:
            if msg.type != WSMsgType.TEXT:
                continue
            request = _parse(msg.data)
            if request is None:
                continue
            seq = request.get("seq", 0)
            action = request.get("action")
            if action == "authentication_challenge":
                continue  # already authenticated: the real router ignores it silently
            if action in ("user_typing", "get_statuses", "get_statuses_by_ids", "presence"):
                await conn.reply(seq, data={})
            elif action == "ping":
                await conn.reply(seq, data={"text": "pong", "version": self.config.server_version, "server_time": 0})
            else:
                await conn.reply(seq, "FAIL", error=_error("api.web_socket_router.bad_action.app_error"))


def _parse(raw: str) -> dict[str, Any] | None:
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _error(error_id: str) -> dict[str, str]:
    err = AppError(error_id, 400)
    return {"id": err.id, "message": err.message}
