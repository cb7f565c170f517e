"""`insert_ignore`: the same key twice is a no-op on both engines, and the transaction goes on."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.db import Database, utcnow
from bot.db.insert import insert_ignore
from bot.db.state import KeyValue, get_state
from bot.mattermost.models import ProcessedEvent


def test_second_insert_of_a_key_is_skipped_without_error(db: Database) -> None:
    with db.session() as s:
        assert insert_ignore(s, ProcessedEvent, {"key": "post:abc", "processed_at": utcnow()}) == "post:abc"
        assert insert_ignore(s, ProcessedEvent, {"key": "post:abc", "processed_at": utcnow()}) is None
        # The transaction is still usable after the skipped row (no IntegrityError, no rollback).
        assert insert_ignore(s, KeyValue, {"key": "k", "value": {"n": 1}, "updated_at": utcnow()}) == "k"
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(ProcessedEvent)) == 1
        assert get_state(s, "k") == {"n": 1}
