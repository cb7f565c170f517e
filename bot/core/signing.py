"""HMAC-SHA256 signatures with expiry and audience for button contexts and dialog states.

Mattermost sends no token with dialog submissions or button clicks, and the user who clicks can read the
context of their own buttons (their browser receives it). So the bot signs what it puts in them, and each
signature names whom it was issued for: one user (`_u`), or `ANYONE` for a button every member of a channel
may press ("Lu ✅" on an announcement), said so explicitly where it is built; and the channel (`_c`) where it
was shown. A token presented by anyone else, elsewhere, unsigned, tampered with or expired is refused.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import re
import time
from functools import lru_cache
from typing import Any

from bot.core import compact_json

DEFAULT_TTL = 7 * 24 * 3600  # buttons stay usable for a week on a post
ANYONE = "*"  # audience of a button meant for every member of the channel it is posted in
MAC_CHARS = 43  # unpadded base64url of a SHA-256 digest
MAX_TOKEN = 64 * 1024  # far above any state Relais signs; longer tokens are refused before any work
_B64URL = re.compile(r"[A-Za-z0-9_-]*")


class SignatureError(Exception):
    pass


_URLSAFE = bytes.maketrans(b"+/", b"-_")


def _b64(data: bytes) -> str:
    return binascii.b2a_base64(data, newline=False).translate(_URLSAFE).rstrip(b"=").decode()


def _unb64(data: str) -> bytes:
    """Strict base64url without padding, as `_b64` writes it: no `=`, `+`, `/`, spaces or stray bits."""
    if len(data) % 4 == 1 or not _B64URL.fullmatch(data):
        raise ValueError("not base64url")
    raw = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
    if _b64(raw) != data:
        raise ValueError("non-canonical base64url")  # e.g. trailing bits set in the last character
    return raw


def sign(payload: dict[str, Any], secret: str, *, user_id: str, channel_id: str = "", ttl: int = DEFAULT_TTL,
         now: float | None = None) -> str:
    """Sign `payload` for `user_id` (or `ANYONE`) in `channel_id` ("" when any channel will do)."""
    body = dict(payload, _exp=int((now or time.time()) + ttl), _u=user_id)
    if channel_id:
        body["_c"] = channel_id
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


def verify(token: object, secret: str, *, user_id: str, channel_id: str, now: float | None = None) -> dict[str, Any]:
    """The signed payload, when `token` is genuine, unexpired and was issued for `user_id` in `channel_id`."""
    if not isinstance(token, str) or token.count(".") != 1 or len(token) > MAX_TOKEN or not token.isascii():
        raise SignatureError("unsigned")
    raw, mac = token.split(".")
    if len(mac) != MAC_CHARS:
        raise SignatureError("malformed")
    try:
        given = _unb64(mac)
    except ValueError:
        raise SignatureError("malformed") from None
    if not hmac.compare_digest(_mac(secret, raw), given):
        raise SignatureError("bad signature")
    try:
        body = json.loads(_unb64(raw))
    except ValueError:
        raise SignatureError("malformed") from None
    if not isinstance(body, dict) or not isinstance(body.get("_exp"), int) or body["_exp"] < (now or time.time()):
        raise SignatureError("expired")
    audience = body.get("_u")
    if audience != ANYONE and (not user_id or audience != user_id):
        raise SignatureError("issued for another user")
    if "_c" in body and body["_c"] != channel_id:
        raise SignatureError("issued for another channel")
    for key in ("_exp", "_u", "_c"):
        body.pop(key, None)
    return body
