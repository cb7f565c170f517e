"""HMAC-SHA256 signatures with expiry for button contexts and dialog states.

Mattermost sends no token with dialog submissions or button clicks, so the bot signs what it
puts in them and refuses anything unsigned, tampered or expired.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import time
from functools import lru_cache
from typing import Any

from bot.core import compact_json

DEFAULT_TTL = 7 * 24 * 3600  # buttons stay usable for a week on a post


class SignatureError(Exception):
    pass


_URLSAFE = bytes.maketrans(b"+/", b"-_")


def _b64(data: bytes) -> str:
    return binascii.b2a_base64(data, newline=False).translate(_URLSAFE).rstrip(b"=").decode()


def _unb64(data: str) -> bytes:
    return base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))


def sign(payload: dict[str, Any], secret: str, *, ttl: int = DEFAULT_TTL, now: float | None = None) -> str:
    body = dict(payload, _exp=int((now or time.time()) + ttl))
    raw = _b64(compact_json.dumps(body))
    return f"{raw}.{_b64(_mac(secret, raw))}"


@lru_cache(maxsize=8)
def _keyed(secret: str) -> hmac.HMAC:
    return hmac.new(secret.encode(), digestmod="sha256")


def _mac(secret: str, raw: str) -> bytes:
    """HMAC-SHA256 from a copy of the keyed state: the key is not set up again for each of a reply's buttons."""
    mac = _keyed(secret).copy()
    mac.update(raw.encode())
    return mac.digest()


def verify(token: object, secret: str, *, now: float | None = None) -> dict[str, Any]:
    if not isinstance(token, str) or token.count(".") != 1:
        raise SignatureError("unsigned")
    raw, mac = token.split(".")
    expected = _mac(secret, raw)
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
