"""Command tokens: stored by setup, checked from memory, reloaded after setup rotates them."""

from __future__ import annotations

from sqlalchemy import select

from bot.db import Database
from bot.mattermost.models import CommandToken
from bot.mattermost.tokens import TokenStore, save_token, token_digest


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
    assert rows == [("c2", token_digest("b", ""))]


def test_tokens_are_stored_as_keyed_hashes_never_in_clear(db: Database) -> None:
    save_token(db, "aide", "t", "c1", "secret-token-1234567890abcd", key="k1")
    with db.session() as s:
        [stored] = s.scalars(select(CommandToken.token)).all()
    assert "secret-token" not in stored and stored.startswith("hmac-sha256:")
    save_token(db, "aide", "t", "c1", "secret-token-1234567890abcd", key="k2")  # another secret, another digest
    with db.session() as s:
        assert s.scalars(select(CommandToken.token)).one() != stored


async def test_rows_written_in_clear_by_older_versions_are_hashed_at_load(db: Database) -> None:
    with db.session() as s:
        s.add(CommandToken(trigger="aide", team_id="t", command_id="c", token="oldcleartoken"))
    store = TokenStore(db, key="k", reload_interval=3600)
    store.load()
    with db.session() as s:
        assert s.scalars(select(CommandToken.token)).one().startswith("hmac-sha256:")
    assert await store.check("aide", "oldcleartoken")
    assert not await store.check("aide", "hmac-sha256:")  # the stored digest is not a token
    store.load()  # hashing is done once: the digest is not hashed again
    assert await store.check("aide", "oldcleartoken")


async def test_a_store_keyed_differently_accepts_nothing(db: Database) -> None:
    save_token(db, "aide", "t", "c", "tok", key="right")
    store = TokenStore(db, key="wrong", reload_interval=3600)
    store.load()
    assert not await store.check("aide", "tok")
