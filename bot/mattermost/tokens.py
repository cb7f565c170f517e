"""Slash-command tokens stored by `relais setup`, checked in memory on the hot path.

The cache is reloaded from the database on a miss, at most once every few seconds, so a token
rotated by `relais setup` (another process) is picked up quickly while a flood of forged
requests never reaches the database.
"""

from __future__ import annotations

import asyncio
import hmac
import time

from sqlalchemy import select

from bot.db import Database, utcnow
from bot.mattermost.models import CommandToken

RELOAD_INTERVAL = 5.0


class TokenStore:
    def __init__(self, db: Database, *, reload_interval: float = RELOAD_INTERVAL) -> None:
        self.db = db
        self.reload_interval = reload_interval
        self._tokens: dict[str, list[bytes]] = {}
        self._loaded_at = float("-inf")
        self._lock = asyncio.Lock()

    def load(self) -> None:
        with self.db.session() as s:
            rows = s.execute(select(CommandToken.trigger, CommandToken.token)).all()
        tokens: dict[str, list[bytes]] = {}
        for trigger, token in rows:
            tokens.setdefault(trigger, []).append(token.encode())
        self._tokens = tokens
        self._loaded_at = time.monotonic()

    def _matches(self, trigger: str, token: bytes) -> bool:
        # Compare against every stored token of the trigger without stopping early (constant time per token).
        ok = False
        for known in self._tokens.get(trigger, ()):
            ok |= hmac.compare_digest(known, token)
        return ok

    async def check(self, trigger: str, token: str) -> bool:
        """True when `token` is the one Mattermost holds for `/trigger` (any team this bot was set up on)."""
        if not token:
            return False
        trigger = trigger.lstrip("/").lower()
        raw = token.encode()
        if self._matches(trigger, raw):
            return True
        if time.monotonic() - self._loaded_at < self.reload_interval:
            return False
        async with self._lock:
            if time.monotonic() - self._loaded_at >= self.reload_interval:
                await asyncio.to_thread(self.load)
        return self._matches(trigger, raw)


def save_token(db: Database, trigger: str, team_id: str, command_id: str, token: str) -> None:
    with db.session() as s:
        row = s.get(CommandToken, (trigger, team_id))
        if row is None:
            s.add(CommandToken(trigger=trigger, team_id=team_id, command_id=command_id, token=token))
        elif row.token != token or row.command_id != command_id:
            row.token, row.command_id, row.updated_at = token, command_id, utcnow()
