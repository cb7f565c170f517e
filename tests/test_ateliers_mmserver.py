"""/atelier against the test Mattermost server: the dialog, the card in ~ateliers, votes and feedback arriving
through the real WebSocket listener, and a search whose result links to the original post."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from bot.ateliers.models import Idea
from bot.db import Database
from tests import atelier_annonce_mmserver
from tests.atelier_annonce_mmserver import Env
from tests.test_ateliers_vocabulary import GOOD

env = atelier_annonce_mmserver.env  # the shared fixture


def _idea(db: Database) -> Idea | None:
    with db.session() as s:
        return s.scalars(select(Idea)).first()


async def _until(predicate, timeout: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    for _ in range(int(timeout / 0.05)):
        if predicate():
            return
        await asyncio.sleep(0.05)
    raise TimeoutError("condition not met")


async def test_share_vote_reply_and_find_through_mattermost(env: Env) -> None:
    w, server = env.world, env.server
    ateliers = env.channels["ateliers"]
    async with env.bot() as bot:
        await _until(lambda: bot.listener.connected)
        result = await server.run_command(w.alice["id"], w.town["id"], "/atelier partager")
        assert result.ok, result.error
        dialog = await server.wait_for_dialog(w.alice["id"])
        assert dialog.callback_id == "atelier:partager"
        bad = await server.submit_dialog(w.alice["id"], dialog, {**GOOD, "publics": "martiens"})
        assert not bad.closed and "martiens" in bad.errors["publics"]
        done = await server.submit_dialog(w.alice["id"], dialog, GOOD)
        assert done.ok and done.closed, done.response
        card = await server.wait_for_post(channel_id=ateliers["id"], contains="Escape game")
        assert card["user_id"] == w.bot["id"] and "@alice" in card["message"]
        assert card["props"]["attachments"][0]["title"] == GOOD["title"]

        await server.react_as(w.bob["id"], card["id"], "+1")
        await server.react_as(w.admin["id"], card["id"], "heart")
        await server.react_as(w.alice["id"], card["id"], "tada")  # the author's own: not a vote
        await server.post_as(w.bob["id"], ateliers["id"], "Testé avec mon groupe, super !", root_id=card["id"])
        await _until(lambda: (i := _idea(env.db)) is not None and i.votes == 2 and i.feedback_count == 1)
        await server.unreact_as(w.admin["id"], card["id"], "heart")
        await _until(lambda: _idea(env.db).votes == 1)

        found = await server.run_command(w.bob["id"], w.town["id"], "/atelier escape game public: seniors")
        assert found.ok, found.error
        [reply] = found.ephemerals
        attachment = reply["props"]["attachments"][0]
        assert attachment["title"] == GOOD["title"]
        assert attachment["title_link"] == f"{server.url}/reseau/pl/{card['id']}"
        assert "1 vote" in attachment["text"] and "1 avis" in attachment["text"]
