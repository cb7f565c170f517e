"""/atelier end to end on both engines: share, votes and feedback from WebSocket events, edit, delete,
idée du mois, and the plain data the digests read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.ateliers.digest import idea_of_the_month, new_ideas
from bot.ateliers.models import Idea, IdeaFeedback, IdeaReaction
from bot.db import Database
from tests.atelier_annonce_support import make_app
from tests.fakes import fake_platform
from tests.harness import Harness
from tests.test_ateliers_vocabulary import GOOD


def _ideas(db: Database) -> list[Idea]:
    with db.session() as s:
        return list(s.scalars(select(Idea).order_by(Idea.id)))


async def _share(app, **changes) -> Idea:  # type: ignore[no-untyped-def]
    reply = await Harness(app).submit("atelier", "partager", {**GOOD, **changes})
    assert not reply.errors and reply.error is None, (reply.errors, reply.error)
    return _ideas(app.db)[-1]


async def test_partager_opens_the_dialog_with_every_field(db: Database) -> None:
    app = make_app(db)
    reply = await Harness(app).command("/atelier partager")
    assert reply.dialog is not None
    names = [e.name for e in reply.dialog.elements]
    assert names == ["title", "summary", "publics", "thematique", "thematique_2", "duration", "level", "equipment",
                     "outline", "link"]
    assert all(len(e.label) <= 24 for e in reply.dialog.elements)  # Mattermost's limit on labels
    assert len(reply.dialog.title) <= 24


async def test_submission_posts_a_card_in_the_ideas_channel_with_its_author(db: Database) -> None:
    app = make_app(db)
    reply = await Harness(app).submit("atelier", "partager", GOOD)
    assert not reply.errors
    posts = app.platform.in_channel("ateliers")
    assert len(posts) == 1
    post = posts[0]
    assert "@alice" in post.message and "Escape game" in post.message
    card = post.cards[0]
    assert card.title == GOOD["title"]
    assert {f.title for f in card.fields} >= {"Publics", "Thématiques", "Durée", "Niveau", "Matériel", "Déroulé"}
    assert "Seniors" in next(f.value for f in card.fields if f.title == "Publics")
    assert "Prévention en sécurité numérique" in next(f.value for f in card.fields if f.title == "Thématiques")
    [idea] = _ideas(db)
    assert (idea.author_id, idea.author_name, idea.post_id, idea.channel_id) == ("u-alice", "alice", post.id,
                                                                                  "ch-ateliers")
    assert f"n° {idea.id}" in reply.text and app.platform.permalink(post.id) in reply.text


async def test_bad_submission_keeps_the_dialog_open_and_saves_nothing(db: Database) -> None:
    app = make_app(db)
    reply = await Harness(app).submit("atelier", "partager", {**GOOD, "publics": "", "duration": "une éternité"})
    assert set(reply.errors) == {"publics", "duration"}
    assert _ideas(db) == [] and app.platform.posts == []


async def test_mentions_in_user_text_never_ping(db: Database) -> None:
    app = make_app(db)
    await _share(app, title="Atelier @channel pour @all", summary="Un résumé qui mentionne @here et @bob exprès.")
    post = app.platform.in_channel("ateliers")[0]
    for text in (post.message, post.cards[0].title, post.cards[0].text):
        assert "@channel" not in text and "@all" not in text and "@here" not in text and "@bob" not in text


async def test_refused_post_keeps_nothing(db: Database) -> None:
    platform = fake_platform()
    platform.fail_next(1, channel="ateliers")
    app = make_app(db, platform)
    reply = await Harness(app).submit("atelier", "partager", GOOD)
    assert reply.error and "Rien n’a été enregistré" in reply.error
    assert _ideas(db) == []


async def test_missing_ideas_channel_is_explained(db: Database) -> None:
    app = make_app(db, fake_platform(channels=("general",)))
    reply = await Harness(app).submit("atelier", "partager", GOOD)
    assert reply.error and "~ateliers" in reply.error
    assert _ideas(db) == []


async def test_reactions_are_votes_counted_once_per_person(db: Database) -> None:
    app = make_app(db)
    idea = await _share(app)
    pid = idea.post_id
    h = Harness(app, channel="ateliers")
    await h.react(pid, "+1", user_id="u-bob")
    await h.react(pid, "+1", user_id="u-bob")  # replayed after a reconnect
    await h.react(pid, "heart", user_id="u-bob")  # a second emoji from the same person
    await h.react(pid, "tada", user_id="u-carla")
    await h.react(pid, "+1", user_id="u-alice")  # the author's own reaction is not a vote
    await h.react("other-post", "+1", user_id="u-dan")  # not an idea
    assert _ideas(db)[0].votes == 2
    await h.react(pid, "+1", user_id="u-bob", added=False)
    assert _ideas(db)[0].votes == 2  # bob still has ❤️
    await h.react(pid, "heart", user_id="u-bob", added=False)
    await h.react(pid, "heart", user_id="u-bob", added=False)
    assert _ideas(db)[0].votes == 1
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(IdeaReaction)) == 1


async def test_thread_replies_are_feedback(db: Database) -> None:
    app = make_app(db)
    idea = await _share(app)
    bob, carla, alice = (Harness(app, f"u-{n}", n, "ateliers") for n in ("bob", "carla", "alice"))
    await bob.post("r1", "super idée", root_id=idea.post_id)
    await bob.post("r1", "super idée", root_id=idea.post_id)  # same event twice
    await carla.post("r2", "super idée", root_id=idea.post_id)
    await alice.post("r3", "super idée", root_id=idea.post_id)  # the author answering
    await Harness(app, "bot", "relais", "ateliers").post("r4", "super idée", root_id=idea.post_id,
                                                          props={"from_bot": "true"})
    await bob.post("r5", "super idée")  # a root post, not a reply
    assert _ideas(db)[0].feedback_count == 2
    await Harness(app).delete("r2")
    assert _ideas(db)[0].feedback_count == 1


async def test_author_edits_and_the_card_follows(db: Database) -> None:
    app = make_app(db)
    idea = await _share(app)
    reply = await Harness(app).command(f"/atelier modifier {idea.id}")
    assert reply.dialog is not None and reply.dialog.state == {"id": idea.id}
    defaults = {e.name: e.default for e in reply.dialog.elements}
    assert defaults["title"] == GOOD["title"] and defaults["thematique"] == "securite_numerique"
    assert defaults["duration"] == "1h30"
    assert "Seniors" in (defaults["publics"] or "")
    # The dialog's own defaults validate back to the same idea.
    resubmitted = {k: v or "" for k, v in defaults.items()}
    reply = await Harness(app).submit("atelier", "modifier", {**resubmitted, "title": "Escape game anti-arnaques"},
                                      {"id": idea.id})
    assert not reply.errors and reply.error is None, (reply.errors, reply.error)
    [stored] = _ideas(db)
    assert stored.title == "Escape game anti-arnaques" and stored.publics == ["seniors", "adolescents"]
    post_id, message, cards = app.platform.updates[-1]
    assert post_id == idea.post_id and "anti-arnaques" in message and cards[0].title == "Escape game anti-arnaques"


async def test_only_the_author_edits_or_deletes(db: Database) -> None:
    app = make_app(db)
    idea = await _share(app)
    for sub in ("modifier", "supprimer"):
        reply = await Harness(app).command(f"/atelier {sub} {idea.id}", user_id="u-bob", user_name="bob")
        assert reply.dialog is None and "@alice" in reply.text
    forged = await Harness(app, "u-bob", "bob").submit("atelier", "modifier", {**GOOD, "title": "Piraté !"},
                                                       {"id": idea.id})
    assert forged.error
    forged_click = await Harness(app).click("atelier", "supprimer", {"id": idea.id}, user_id="u-bob", user_name="bob")
    assert "@alice" in forged_click.text
    assert _ideas(db)[0].title == GOOD["title"]
    reply = await Harness(app).command("/atelier modifier 999")
    assert "Aucune idée n° 999" in reply.text
    reply = await Harness(app).command("/atelier modifier")
    assert "numéro" in reply.text


async def test_delete_asks_then_removes_idea_votes_and_card(db: Database) -> None:
    app = make_app(db)
    idea = await _share(app)
    bob = Harness(app, "u-bob", "bob", "ateliers")
    await bob.react(idea.post_id, "+1")
    await bob.post("r1", "super idée", root_id=idea.post_id)
    reply = await Harness(app).command(f"/atelier supprimer {idea.id}")
    assert [b.label for b in reply.cards[0].buttons] == ["Oui, supprimer", "Non, garder"]
    assert _ideas(db)  # nothing deleted before the confirmation
    kept = await Harness(app).click("atelier", "garder", {"id": idea.id})
    assert not kept.update and _ideas(db)  # an ephemeral question cannot be updated
    done = await Harness(app).click("atelier", "supprimer", {"id": idea.id})
    assert "supprimée" in done.text
    assert _ideas(db) == []
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(IdeaReaction)) == 0
        assert s.scalar(select(func.count()).select_from(IdeaFeedback)) == 0
    assert app.platform.updates[-1][0] == idea.post_id and app.platform.updates[-1][2] == []


async def test_idea_deleted_in_mattermost_leaves_the_search(db: Database) -> None:
    app = make_app(db)
    idea = await _share(app)
    await Harness(app).delete(idea.post_id)
    assert _ideas(db) == []


async def test_idee_du_mois_is_for_coordinators_and_shown_to_digests(db: Database) -> None:
    app = make_app(db)
    idea = await _share(app)
    refused = await Harness(app).command(f"/atelier idee-du-mois {idea.id}", user_id="u-bob", user_name="bob")
    assert "réservé aux coordinateurs" in refused.text
    with db.session() as s:
        assert idea_of_the_month(s, app.now(), app.settings.tz) is None
    reply = await Harness(app).command(f"/atelier idée-du-mois {idea.id}", user_id="u-coord", user_name="coord")
    assert "idée du mois" in reply.text
    with db.session() as s:
        pinned = idea_of_the_month(s, app.now(), app.settings.tz)
        assert pinned is not None and pinned.id == idea.id and pinned.post_id == idea.post_id
        assert pinned.thematiques == ("Prévention en sécurité numérique", "E-mail")
        # Next month (Paris time) has no pick yet.
        assert idea_of_the_month(s, datetime(2026, 11, 30, 23, 30, tzinfo=UTC), app.settings.tz) is None
        assert idea_of_the_month(s, datetime(2026, 11, 30, 22, 30, tzinfo=UTC), app.settings.tz) is not None
    current = await Harness(app).command("/atelier idee-du-mois", user_id="u-coord", user_name="coord")
    assert f"n° {idea.id}" in current.text
    # A Mattermost admin who is not listed in config is a coordinator too.
    app.platform.admins.add("u-admin")
    second = await _share(app, title="Le journal des fake news")
    reply = await Harness(app).command(f"/atelier idee-du-mois {second.id}", user_id="u-admin", user_name="admin")
    with db.session() as s:
        assert idea_of_the_month(s, app.now(), app.settings.tz).id == second.id


async def test_new_ideas_for_the_digest(db: Database) -> None:
    app = make_app(db)
    first = await _share(app)
    app.clock.advance(days=8)
    second = await _share(app, title="Le journal des fake news")
    await Harness(app).react(second.post_id, "+1", channel="ateliers", user_id="u-bob")
    from bot.ateliers.examples import load_example_ideas

    load_example_ideas(db, now=app.now())
    with db.session() as s:
        week = new_ideas(s, app.now() - timedelta(days=7), app.now() + timedelta(seconds=1))
        assert [i.id for i in week] == [second.id]  # examples are never news
        assert week[0].votes == 1 and week[0].author_name == "alice"
        both = new_ideas(s, first.created_at, app.now() + timedelta(seconds=1))
        assert [i.id for i in both] == [second.id, first.id]  # most voted first


async def test_mes_idees_lists_my_ideas(db: Database) -> None:
    app = make_app(db)
    idea = await _share(app)
    reply = await Harness(app).command("/atelier mes-idees")
    assert f"n° {idea.id}" in reply.text
    other = await Harness(app).command("/atelier mes-idees", user_id="u-bob", user_name="bob")
    assert "pas encore partagé" in other.text
