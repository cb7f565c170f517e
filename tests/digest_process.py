"""One `relais serve`-like process for the two-process digest test: runs the digest job once, then exits.

Usage: python -m tests.digest_process DB_URL MM_URL TOKEN FIXED_NOW_ISO
"""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime

from bot.app import build_app
from bot.config import DigestSchedule, Settings
from bot.db import Database
from bot.handlers.entraide import digest_job
from bot.mattermost.client import MattermostClient
from tests.fakes import Clock

SCHEDULE = DigestSchedule("region-sud", "0 * * * *", "Le point du réseau")


def settings_for(db_url: str, mm_url: str, token: str) -> Settings:
    return Settings(database_url=db_url, mattermost_url=mm_url, mattermost_token=token, team="reseau",
                    public_url="http://127.0.0.1:9", secret="s" * 40, digests=(SCHEDULE,), digest_grace_minutes=120)


async def main(db_url: str, mm_url: str, token: str, now: str) -> None:
    fixed = datetime.fromisoformat(now)
    db = Database(db_url)
    client = MattermostClient(settings_for(db_url, mm_url, token), max_retries=0)
    try:
        await digest_job(build_app(settings_for(db_url, mm_url, token), db, client, clock=Clock(fixed)))
    finally:
        await client.close()
        db.dispose()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:5]))
