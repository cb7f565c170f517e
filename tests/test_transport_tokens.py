"""Command tokens: stored by setup, checked from memory, reloaded after setup rotates them."""

from __future__ import annotations

from sqlalchemy import select

from bot.db import Database
from bot.mattermost.models import CommandToken
from bot.mattermost.tokens import TokenStore, save_token


async def test_token_check_and_reload_after_setup(db: Database) -> None:
    save_token(db, "aide", "team1", "cmd1", "tok-aide")
    store = TokenStore(db, reload_interval=0)
    store.load()
    assert await store.check("/aide", "tok-aide")
    assert await store.check("AIDE", "tok-aide")
    assert not await store.check("aide", "tok-other")
    assert not await store.check("aide", "")
    assert not await store.check("annuaire", "tok-aide")
    # `relais setup` (another process) rotates the token: picked up on the next miss.
    save_token(db, "aide", "team1", "cmd1", "tok-new")
    assert await store.check("aide", "tok-new")
    assert not await store.check("aide", "tok-aide")


async def test_misses_do_not_hit_the_database_within_the_interval(db: Database) -> None:
    store = TokenStore(db, reload_interval=3600)
    store.load()
    save_token(db, "aide", "team1", "cmd1", "tok-late")
    assert not await store.check("aide", "tok-late")  # cached view, no reload yet


def test_save_token_upserts(db: Database) -> None:
    save_token(db, "aide", "t", "c1", "a")
    save_token(db, "aide", "t", "c2", "b")
    save_token(db, "aide", "t", "c2", "b")
    with db.session() as s:
        rows = s.execute(select(CommandToken.command_id, CommandToken.token)).all()
    assert rows == [("c2", "b")]
