"""HMAC-SHA256 signatures with expiry for button contexts and dialog states.

Mattermost sends no token with dialog submissions or button clicks, so the bot signs what it
puts in them and refuses anything unsigned, tampered or expired.
"""

from __future__ import annotations

import base64
import hmac
import json
import time
from typing import Any

DEFAULT_TTL = 7 * 24 * 3600  # buttons stay usable for a week on a post
# One encoder for every payload: `json.dumps` with options builds a new encoder per call, and a search answer
# signs a dozen buttons.
_COMPACT = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


class SignatureError(Exception):
    pass


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(data: str) -> bytes:
    return base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))


def sign(payload: dict[str, Any], secret: str, *, ttl: int = DEFAULT_TTL, now: float | None = None) -> str:
    body = dict(payload, _exp=int((now or time.time()) + ttl))
    raw = _b64(_COMPACT.encode(body).encode())
    mac = hmac.digest(secret.encode(), raw.encode(), "sha256")  # one-shot: no HMAC object per button
    return f"{raw}.{_b64(mac)}"


def verify(token: object, secret: str, *, now: float | None = None) -> dict[str, Any]:
    if not isinstance(token, str) or token.count(".") != 1:
        raise SignatureError("unsigned")
    raw, mac = token.split(".")
    expected = hmac.digest(secret.encode(), raw.encode(), "sha256")
    try:
        given = _unb64(mac)
    except ValueError:
        raise SignatureError("malformed") from None
    if not hmac.compare_digest(expected, given):
        raise SignatureError("bad signature")
    try:
        body = json.loads(_unb64(raw))
    except ValueError:
        raise SignatureError("malformed") from None
    if not isinstance(body, dict) or int(body.get("_exp", 0)) < (now or time.time()):
        raise SignatureError("expired")
    body.pop("_exp")
    return body
