"""Cross-cutting HTTP behaviour: request log, injected faults, outage mode, auth and error bodies."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from .errors import AppError, dumps, error_response, unauthorized
from .ids import new_id
from .state import State
from .websocket import token_from_request

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
REQUEST_ID = web.RequestKey("request_id", str)
SESSION_USER = web.RequestKey("session_user", str)


@dataclass
class LoggedRequest:
    """One HTTP exchange, bodies included, so tests can assert on calls and validate them against the spec."""

    method: str
    path: str
    query: dict[str, str]
    status: int
    user_id: str | None
    request_headers: dict[str, str]
    request_body: bytes
    response_body: bytes | None
    response_content_type: str
    at: float = field(default_factory=time.monotonic)


@dataclass
class FaultRule:
    """Answer `status` to matching requests, `count` times and/or until a monotonic deadline."""

    path_prefix: str
    status: int = 503
    count: int | None = None
    until: float | None = None
    method: str | None = None
    body: str | None = None
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    hits: int = 0

    def matches(self, request: web.Request) -> bool:
        if not request.path.startswith(self.path_prefix):
            return False
        if self.method is not None and request.method.upper() != self.method.upper():
            return False
        if self.until is not None and time.monotonic() >= self.until:
            return False
        return self.count is None or self.hits < self.count

    @property
    def exhausted(self) -> bool:
        if self.until is not None and time.monotonic() >= self.until:
            return True
        return self.count is not None and self.hits >= self.count

    def response(self, request_id: str) -> web.Response:
        if self.body is None:
            err = AppError("mmserver.fault_injected.app_error", self.status, "Injected failure (test fault).")
            body = dumps(err.to_json(request_id))
        else:
            body = self.body
        headers = {"Content-Type": self.content_type, **self.headers}
        return web.Response(body=body.encode(), status=self.status, headers=headers)


class Faults:
    """The fault switchboard: per-path rules plus a global `down` (502 from a dead upstream)."""

    def __init__(self) -> None:
        self.rules: list[FaultRule] = []
        self.down = False

    def add(self, rule: FaultRule) -> FaultRule:
        self.rules.append(rule)
        return rule

    def clear(self) -> None:
        self.rules.clear()
        self.down = False

    def match(self, request: web.Request) -> FaultRule | None:
        self.rules = [r for r in self.rules if not r.exhausted]
        for rule in self.rules:
            if rule.matches(request):
                rule.hits += 1
                return rule
        return None


def _log_headers(request: web.Request) -> dict[str, str]:
    return {k: v for k, v in request.headers.items()}


def build_middleware(state: State, faults: Faults, log: list[LoggedRequest]) -> Any:
    """One middleware doing, in order: log, outage, faults, session lookup, AppError rendering."""

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        request_id = new_id()
        request[REQUEST_ID] = request_id
        response = await _dispatch(request, handler, request_id)
        body = b""
        if not isinstance(response, web.WebSocketResponse):
            # After the handler: read() returns its cached body (multipart uploads were streamed: empty).
            with contextlib.suppress(Exception):
                body = await request.read()
        if not response.prepared:
            response.headers.setdefault("X-Request-Id", request_id)
            response.headers.setdefault("X-Version-Id", state.config.server_version)
        if not isinstance(response, web.WebSocketResponse):
            log.append(
                LoggedRequest(
                    method=request.method,
                    path=request.path,
                    query=dict(request.query),
                    status=response.status,
                    user_id=request.get(SESSION_USER),
                    request_headers=_log_headers(request),
                    request_body=body,
                    response_body=response.body if isinstance(response, web.Response) else None,  # type: ignore[arg-type]
                    response_content_type=response.headers.get("Content-Type", ""),
                )
            )
        else:
            log.append(
                LoggedRequest(
                    request.method,
                    request.path,
                    dict(request.query),
                    101,
                    request.get(SESSION_USER),
                    _log_headers(request),
                    body,
                    None,
                    "",
                )
            )
        return response

    async def _dispatch(request: web.Request, handler: Handler, request_id: str) -> web.StreamResponse:
        if faults.down:
            return web.Response(
                status=502, text="<html><body><h1>502 Bad Gateway</h1></body></html>", content_type="text/html"
            )
        rule = faults.match(request)
        if rule is not None:
            if rule.delay:
                await asyncio.sleep(rule.delay)
            return rule.response(request_id)
        try:
            if request.path.startswith("/api/v4/"):
                token = token_from_request(request)
                if token is not None:
                    user_id = state.user_for_token(token)
                    if user_id is None:
                        raise unauthorized()
                    request[SESSION_USER] = user_id
            return await handler(request)
        except AppError as err:
            return error_response(err, request_id)
        except web.HTTPNotFound:
            return error_response(AppError("api.context.404.app_error", 404), request_id)
        except web.HTTPMethodNotAllowed:
            return error_response(AppError("api.context.405.app_error", 405, "Method not allowed."), request_id)

    return middleware


def require_user(request: web.Request) -> str:
    """The session user, or the 401 Mattermost answers on routes that need a session."""
    user_id = request.get(SESSION_USER)
    if not user_id:
        raise unauthorized()
    return user_id
