"""`IntegrationStub`: a tiny HTTP endpoint standing in for a bot's command/action/dialog URLs.

It records every request the fake server sends and answers with a scripted reply, which is how the
server's own tests check the outgoing payloads without the real bot.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web


@dataclass
class StubRequest:
    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes

    @property
    def form(self) -> list[tuple[str, str]]:
        return parse_qsl(self.body.decode(), keep_blank_values=True)

    @property
    def form_dict(self) -> dict[str, str]:
        return dict(self.form)

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class StubReply:
    status: int = 200
    body: Any = None  # dict/list -> JSON, str/bytes -> raw
    content_type: str = "application/json"
    delay: float = 0.0


Replier = Callable[[StubRequest], "StubReply | Awaitable[StubReply]"]


@dataclass
class IntegrationStub:
    """`stub.replies[path] = StubReply(...)` or a callable; unknown paths answer 200 `{}`."""

    host: str = "127.0.0.1"
    requests: list[StubRequest] = field(default_factory=list)
    replies: dict[str, StubReply | Replier] = field(default_factory=dict)
    port: int = 0
    _runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def start(self) -> IntegrationStub:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.Response:
        recorded = StubRequest(
            request.method, request.path, list(request.query.items()), dict(request.headers), await request.read()
        )
        self.requests.append(recorded)
        reply: StubReply | Replier = self.replies.get(request.path, StubReply(body={}))
        if not isinstance(reply, StubReply):
            produced = reply(recorded)
            reply = await produced if asyncio.iscoroutine(produced) else produced  # type: ignore[assignment]
        assert isinstance(reply, StubReply)
        if reply.delay:
            await asyncio.sleep(reply.delay)
        if isinstance(reply.body, (dict, list)):
            raw = json.dumps(reply.body).encode()
        elif isinstance(reply.body, str):
            raw = reply.body.encode()
        else:
            raw = reply.body or b""
        return web.Response(body=raw, status=reply.status, headers={"Content-Type": reply.content_type})
