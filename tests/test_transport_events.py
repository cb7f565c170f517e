"""WebSocket event decoding, idempotency keys, catch-up synthesis and claim retention (no server needed)."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from bot.db import Database, utcnow
from bot.mattermost.models import ProcessedEvent
from bot.mattermost.websocket import catch_up_events, decode_event, event_key, purge_processed


def test_decode_skips_replies_and_decodes_nested_json() -> None:
    assert decode_event('{"status":"OK","seq_reply":1}') is None
    assert decode_event("garbage") is None
    assert decode_event('["event"]') is None
    post = {"id": "p1", "channel_id": "c1", "message": "@bot salut"}
    frame = json.dumps({"event": "posted", "seq": 7, "broadcast": {"channel_id": "c1"},
                        "data": {"post": json.dumps(post), "mentions": json.dumps(["u1"]), "sender_name": "@betty"}})
    event = decode_event(frame)
    assert event is not None
    assert event["data"]["post"] == post and event["data"]["mentions"] == ["u1"]
    reaction = {"post_id": "p1", "user_id": "u1", "emoji_name": "+1", "create_at": 5}
    event = decode_event(json.dumps({"event": "reaction_added", "data": {"reaction": json.dumps(reaction)}}))
    assert event is not None and event["data"]["reaction"] == reaction


def test_event_keys() -> None:
    assert event_key({"event": "posted", "data": {"post": {"id": "p1"}}}) == "posted:p1"
    assert event_key({"event": "post_edited", "data": {"post": {"id": "p1", "edit_at": 9}}}) == "post_edited:p1:9"
    reaction = {"post_id": "p1", "user_id": "u1", "emoji_name": "+1", "create_at": 5}
    assert event_key({"event": "reaction_added", "data": {"reaction": reaction}}) == "reaction_added:p1:u1:+1:5"
    assert event_key({"event": "reaction_removed", "data": {"reaction": reaction}}) is None
    assert event_key({"event": "post_deleted", "data": {"post": {"id": "p1", "delete_at": 3}}}) == "post_deleted:p1"
    assert event_key({"event": "typing", "data": {}}) is None


def test_catch_up_rebuilds_posts_edits_and_reactions_in_order() -> None:
    posts = [
        {"id": "old", "create_at": 100, "edit_at": 1500, "delete_at": 0,
         "metadata": {"reactions": [{"post_id": "old", "user_id": "u", "emoji_name": "+1", "create_at": 1200}]}},
        {"id": "new", "create_at": 1100, "edit_at": 0, "delete_at": 0},
        {"id": "gone", "create_at": 1300, "edit_at": 0, "delete_at": 1400},
    ]
    events = catch_up_events(posts, 1000, channel_id="c1", channel_name="entraide")
    assert [(e["event"], event_key(e)) for e in events] == [
        ("posted", "posted:new"),
        ("reaction_added", "reaction_added:old:u:+1:1200"),
        ("post_deleted", "post_deleted:gone"),
        ("post_edited", "post_edited:old:1500"),
    ]
    assert events[0]["data"]["channel_name"] == "entraide" and events[0]["broadcast"]["channel_id"] == "c1"


def test_old_claims_are_purged(db: Database) -> None:
    with db.session() as s:
        s.add(ProcessedEvent(key="posted:old", processed_at=utcnow() - timedelta(days=40)))
        s.add(ProcessedEvent(key="posted:new"))
    assert purge_processed(db) == 1
    with db.session() as s:
        assert s.scalars(select(ProcessedEvent.key)).all() == ["posted:new"]
