"""Digest sections fed by the other features: workshop ideas, idée du mois, accompaniment totals."""

from __future__ import annotations

from datetime import timedelta

from bot.accompagnements.models import Accompaniment
from bot.ateliers.models import Idea, IdeaPin
from bot.db import Database
from bot.digest import DigestPeriod, build_digest
from bot.entraide.runs import EMPTY, QUEUED, run_digest
from tests.entraide_support import WEEKLY, make_app
from tests.fakes import T0


def _period(app) -> DigestPeriod:
    return DigestPeriod(T0 - timedelta(days=7), T0, app.settings.tz, app.platform.permalink)


def _idea(s, title: str, *, created, votes: int = 0, post_id: str | None = None, example: bool = False) -> Idea:
    idea = Idea(title=title, summary="Un atelier qui marche @all", author_id="u-i", author_name="ines",
                post_id=post_id, votes=votes, is_example=example, created_at=created, updated_at=created)
    s.add(idea)
    s.flush()
    return idea


async def test_new_ideas_with_votes_and_idea_of_the_month(db: Database) -> None:
    app = make_app(db)
    with db.session() as s:
        _idea(s, "Escape game sécurité en ligne", created=T0 - timedelta(days=2), votes=4, post_id="idea1")
        _idea(s, "Exemple de la console", created=T0 - timedelta(days=2), example=True)
        old = _idea(s, "Journal des fake news", created=T0 - timedelta(days=40), votes=9, post_id="idea2")
        s.add(IdeaPin(month="2026-11", idea_id=old.id, pinned_by="coord", pinned_at=T0 - timedelta(days=10)))
    with db.session() as s:
        text = build_digest(s, _period(app), title="Le point", providers=app.registry.digest_sections).render()
    assert "Une nouvelle idée d’atelier" in text and "Escape game sécurité en ligne" in text and "4 votes" in text
    assert app.platform.permalink("idea1") in text
    assert "Exemple de la console" not in text
    assert "**Idée du mois**" in text and "Journal des fake news" in text
    assert "@all" not in text and "@ines" not in text


async def test_idea_of_the_month_alone_is_not_worth_a_post(db: Database) -> None:
    app = make_app(db)
    with db.session() as s:
        old = _idea(s, "Journal des fake news", created=T0 - timedelta(days=40), post_id="idea2")
        s.add(IdeaPin(month="2026-11", idea_id=old.id, pinned_by="coord", pinned_at=T0 - timedelta(days=10)))
    assert run_digest(app, WEEKLY, T0, "w1").status == EMPTY


async def test_activity_totals_are_anonymous_counts(db: Database) -> None:
    app = make_app(db)
    with db.session() as s:
        for i, (kind, people, minutes) in enumerate([("individuel", 1, 45), ("individuel", 1, 30),
                                                     ("collectif", 6, 120)]):
            s.add(Accompaniment(user_id=f"u{i % 2}", user_name=f"conseiller{i % 2}", type=kind,
                                date=(T0 - timedelta(days=2)).date(), duration_min=minutes, lieu_type="lieu_activite",
                                thematiques=["email"], materiel=[], participants_total=people,
                                notes="Mme Dupont"))
        s.add(Accompaniment(user_id="u9", user_name="x", type="individuel", date=(T0 - timedelta(days=30)).date(),
                            duration_min=30, lieu_type="domicile", thematiques=[], materiel=[], participants_total=1))
    outcome = run_digest(app, WEEKLY, T0, "w1")
    assert outcome.status == QUEUED
    from bot.outbox import OutboxItem

    with db.session() as s:
        text = s.query(OutboxItem.message).scalar()
    assert "3 accompagnements enregistrés (2 individuels, 1 atelier collectif), 8 personnes accompagnées" in text
    assert "par 2 conseillers" in text
    assert "conseiller0" not in text and "Dupont" not in text
