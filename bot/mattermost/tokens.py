"""Slash-command tokens stored by `relais setup`, checked in memory on the hot path.

Only a keyed hash of each token is stored (HMAC-SHA256 under the bot's secret): a copy of the database
alone does not let anyone call the bot's commands. Rows written in clear by earlier versions are rewritten
hashed the first time the store loads them. The check compares digests in constant time.

The cache is reloaded from the database on a miss, at most once every few seconds, so a token
rotated by `relais setup` (another process) is picked up quickly while a flood of forged
requests never reaches the database.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import time

from sqlalchemy import select

from bot.db import Database, utcnow
from bot.mattermost.models import CommandToken

RELOAD_INTERVAL = 5.0
HASHED = "hmac-sha256:"  # prefix of a stored digest; anything else is a token stored in clear by an older version


def token_digest(token: str, key: str) -> str:
    """What is stored for `token`: HMAC-SHA256 keyed with the bot's secret (`RELAIS_SECRET`)."""
    return HASHED + hmac.new(("relais command token:" + key).encode(), token.encode(), hashlib.sha256).hexdigest()


class TokenStore:
    def __init__(self, db: Database, *, key: str = "", reload_interval: float = RELOAD_INTERVAL) -> None:
        self.db = db
        self.key = key
        self.reload_interval = reload_interval
        self._tokens: dict[str, list[bytes]] = {}
        self._loaded_at = float("-inf")
        self._lock = asyncio.Lock()

    def load(self) -> None:
        """Read every digest; rows still in clear (older versions) are hashed in place first."""
        tokens: dict[str, list[bytes]] = {}
        with self.db.session() as s:
            for row in s.scalars(select(CommandToken)).all():
                if not row.token.startswith(HASHED):
                    row.token = token_digest(row.token, self.key)
                tokens.setdefault(row.trigger, []).append(row.token.encode())
        self._tokens = tokens
        self._loaded_at = time.monotonic()

    def _matches(self, trigger: str, digest: bytes) -> bool:
        # Compare against every stored digest of the trigger without stopping early (constant time per digest).
        ok = False
        for known in self._tokens.get(trigger, ()):
            ok |= hmac.compare_digest(known, digest)
        return ok

    async def check(self, trigger: str, token: str) -> bool:
        """True when `token` is the one Mattermost holds for `/trigger` (any team this bot was set up on)."""
        if not token or len(token) > 256:
            return False
        trigger = trigger.lstrip("/").lower()
        digest = token_digest(token, self.key).encode()
        if self._matches(trigger, digest):
            return True
        if time.monotonic() - self._loaded_at < self.reload_interval:
            return False
        async with self._lock:
            if time.monotonic() - self._loaded_at >= self.reload_interval:
                await asyncio.to_thread(self.load)
        return self._matches(trigger, digest)


def save_token(db: Database, trigger: str, team_id: str, command_id: str, token: str, *, key: str = "") -> None:
    """Store the keyed hash of `/trigger`'s token for `team_id` (`key`: the bot's secret, as `TokenStore` uses)."""
    digest = token_digest(token, key)
    with db.session() as s:
        row = s.get(CommandToken, (trigger, team_id))
        if row is None:
            s.add(CommandToken(trigger=trigger, team_id=team_id, command_id=command_id, token=digest))
        elif row.token != digest or row.command_id != command_id:
            row.token, row.command_id, row.updated_at = digest, command_id, utcnow()
