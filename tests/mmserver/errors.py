"""Mattermost's AppError and JSON responses with the exact headers the real server sends."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

SERVER_VERSION = "10.7.0.0.mmserver.fake.false"

MESSAGES: dict[str, str] = {
    "api.context.session_expired.app_error": "Invalid or expired session, please login again.",
    "api.context.permissions.app_error": "You do not have the appropriate permissions.",
    "api.context.404.app_error": "Sorry, we could not find the page.",
    "api.context.invalid_body_param.app_error": "Invalid or missing {name} in request body.",
    "api.context.invalid_url_param.app_error": "Invalid or missing {name} parameter in request URL.",
    "api.context.invalid_param.app_error": "Invalid {name} parameter.",
}


def dumps(value: Any) -> str:
    """Compact UTF-8 JSON like Go's encoding/json (no spaces, non-ASCII kept)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


class AppError(Exception):
    """A Mattermost model.AppError: raised anywhere, rendered as the standard error body."""

    def __init__(self, error_id: str, status: int, message: str | None = None, detailed: str = "", **params: str):
        template = message or MESSAGES.get(error_id, error_id)
        self.id = error_id
        self.status = status
        self.message = template.format(**params) if params else template
        self.detailed_error = detailed
        super().__init__(f"{status} {error_id}: {self.message}")

    def to_json(self, request_id: str = "") -> dict[str, Any]:
        return {
            "id": self.id,
            "message": self.message,
            "detailed_error": self.detailed_error,
            "request_id": request_id,
            "status_code": self.status,
        }


def unauthorized() -> AppError:
    return AppError("api.context.session_expired.app_error", 401)


def forbidden() -> AppError:
    return AppError("api.context.permissions.app_error", 403)


def bad_body(name: str) -> AppError:
    return AppError("api.context.invalid_body_param.app_error", 400, name=name)


def bad_param(name: str) -> AppError:
    return AppError("api.context.invalid_param.app_error", 400, name=name)


def bad_url_param(name: str) -> AppError:
    return AppError("api.context.invalid_url_param.app_error", 400, name=name)


def json_response(data: Any, status: int = 200) -> web.Response:
    """`Content-Type: application/json` exactly: mattermostautodriver's GET compares it verbatim."""
    return web.Response(body=dumps(data).encode(), status=status, headers={"Content-Type": "application/json"})


def status_ok() -> web.Response:
    return json_response({"status": "OK"})


def error_response(err: AppError, request_id: str) -> web.Response:
    return json_response(err.to_json(request_id), status=err.status)
