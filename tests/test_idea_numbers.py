"""A deleted idea's number is never given to another idea (old links and "idée n° 12" stay true)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from sqlalchemy import text

from bot.ateliers import service
from bot.ateliers.models import Idea, IdeaPin, IdeaReaction
from bot.db import Database
from bot.db.migrate import alembic_config, upgrade

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


def _idea(db: Database, title: str) -> int:
    with db.session() as s:
        idea = Idea(title=title, summary="", publics=[], thematiques=[], equipment="", outline="", link="",
                    author_id="u1", author_name="ana", channel_id="", votes=0, feedback_count=0, is_example=False,
                    created_at=NOW, updated_at=NOW)
        s.add(idea)
        s.flush()
        return idea.id


def test_deleting_the_last_idea_does_not_free_its_number(db: Database) -> None:
    first, last = _idea(db, "Fresque du numérique"), _idea(db, "Atelier smartphone")
    with db.session() as s:
        service.delete_idea(s, s.get_one(Idea, last))
    following = _idea(db, "Atelier courriel")
    assert following > last > first


def test_upgrade_keeps_existing_ideas_and_their_reactions_and_pins(tmp_path: Path) -> None:
    """A network created before the change: the table is rebuilt, nothing attached to an idea is lost."""
    db = Database(f"sqlite:///{tmp_path / 'avant.db'}")
    try:
        command.upgrade(alembic_config(db), "0005_atelier_annonce")
        kept, dropped = _idea(db, "Fresque du numérique"), _idea(db, "Atelier smartphone")
        with db.session() as s:
            s.add(IdeaReaction(idea_id=kept, user_id="u2", emoji_name="+1", created_at=NOW))
            s.add(IdeaPin(month="2026-12", idea_id=kept, pinned_by="coord", pinned_at=NOW))
        with db.session() as s:
            s.delete(s.get_one(Idea, dropped))
        upgrade(db)
        with db.session() as s:
            assert [i.title for i in s.query(Idea)] == ["Fresque du numérique"]
            assert s.query(IdeaReaction).count() == 1 and s.get_one(IdeaPin, "2026-12").idea_id == kept
            assert s.execute(text("PRAGMA foreign_key_check")).all() == []
        assert _idea(db, "Atelier courriel") > kept
    finally:
        db.dispose()
