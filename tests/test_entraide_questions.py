"""/entraide end to end at the domain level: asking, tracking the thread, claiming, resolving, suggestions."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.db import Database
from bot.entraide.models import CLAIMED, OPEN, RESOLVED, Question, Reply
from tests.entraide_support import make_app
from tests.harness import Harness

ALICE, BOB, CAROL = ("u-alice", "alice"), ("u-bob", "bob"), ("u-carol", "carol")


def question(db: Database) -> Question:
    with db.session() as s:
        return s.scalars(select(Question)).one()


async def test_ask_posts_in_help_channel_with_buttons(db: Database) -> None:
    app = make_app(db)
    alice = Harness(app, *ALICE)
    reply = await alice.command("/entraide Comment aider quelqu'un qui a perdu son mot de passe France Connect ? "
                                "@channel")
    root = app.platform.in_channel("entraide")[0]
    assert "publiée dans ~entraide" in reply.text and root.id in reply.text
    assert "Question de @alice" in root.message
    assert "@channel" not in root.message  # neutralised
    assert [b.action for b in root.cards[0].buttons] == ["resolve", "claim"]
    q = question(db)
    assert (q.root_post_id, q.card_post_id, q.status, q.asker_name) == (root.id, root.id, OPEN, "alice")


async def test_bad_question_or_missing_channel_saves_nothing(db: Database) -> None:
    app = make_app(db)
    alice = Harness(app, *ALICE)
    assert "trop courte" in (await alice.command("/entraide ok ?")).text
    app.platform.channels.pop("entraide")
    assert "introuvable" in (await alice.command("/entraide Où trouver un scanner gratuit à Nîmes ?")).text
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Question)) == 0


async def test_platform_refusal_leaves_no_half_tracked_question(db: Database) -> None:
    app = make_app(db)
    app.platform.fail_next(1)
    reply = await Harness(app, *ALICE).command("/entraide Où trouver un scanner gratuit à Nîmes ?")
    assert "n’a pas été publiée" in reply.text
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Question)) == 0


async def test_root_post_in_help_channel_is_tracked_once(db: Database) -> None:
    app = make_app(db)
    alice = Harness(app, *ALICE, channel="entraide")
    text = "Quelqu'un connaît un atelier numérique pour seniors à Arles ?"
    await alice.post("p1", text)
    await alice.post("p1", text)  # the same event twice (catch-up after reconnect)
    q = question(db)
    assert q.root_post_id == "p1" and q.asker_id == ALICE[0]
    thread = app.platform.thread("p1")
    assert len(thread) == 1 and "Relais suit cette question" in thread[0].message
    assert q.card_post_id == thread[0].id
    # Elsewhere, or from Relais itself: not a question.
    await Harness(app, *BOB).post("p2", "Bonjour tout le monde, belle journée", channel="general")
    await Harness(app, "bot", "relais").post("p3", "Message de Relais lui-même", channel="entraide",
                                             props={"from_bot": "true"})
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Question)) == 1


async def _asked(app) -> Question:
    await Harness(app, *ALICE).command("/entraide Comment aider quelqu'un qui a perdu son mot de passe "
                                       "France Connect ?")
    return question(app.db)


async def test_replies_are_counted_once_and_not_the_askers_own(db: Database) -> None:
    app = make_app(db)
    q = await _asked(app)
    await Harness(app, *BOB).post("r1", "Essaie via impots.gouv", channel="entraide", root_id=q.root_post_id)
    await Harness(app, *BOB).post("r1", "Essaie via impots.gouv", channel="entraide", root_id=q.root_post_id)
    await Harness(app, *ALICE).post("r2", "Merci, je regarde", channel="entraide", root_id=q.root_post_id)
    q = question(db)
    assert q.reply_count == 1 and q.first_reply_at is not None
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Reply)) == 2


async def test_claim_button(db: Database) -> None:
    app = make_app(db)
    q = await _asked(app)
    assert "votre question" in (await Harness(app, *ALICE).click("entraide", "claim", {"q": q.id})).text
    reply = await Harness(app, *BOB).click("entraide", "claim", {"q": q.id}, post_id=q.card_post_id)
    assert reply.update and "@bob s’en occupe" in reply.cards[0].text
    assert [b.action for b in reply.cards[0].buttons] == ["resolve"]
    assert "@bob s’en occupe déjà" in (await Harness(app, *CAROL).click("entraide", "claim", {"q": q.id})).text
    assert question(db).status == CLAIMED


async def test_only_the_asker_resolves_and_helpers_are_thanked(db: Database) -> None:
    app = make_app(db)
    q = await _asked(app)
    await Harness(app, *CAROL).click("entraide", "claim", {"q": q.id})
    await Harness(app, *BOB).post("r1", "Va sur franceconnect.gouv.fr", channel="entraide", root_id=q.root_post_id)
    await Harness(app, *ALICE).post("r2", "Merci, j'essaie", channel="entraide", root_id=q.root_post_id)
    refused = await Harness(app, *BOB).click("entraide", "resolve", {"q": q.id})
    assert "Seule la personne qui a posé la question (@alice)" in refused.text
    assert question(db).status != RESOLVED
    reply = await Harness(app, *ALICE).click("entraide", "resolve", {"q": q.id}, post_id=q.card_post_id)
    assert reply.update and reply.cards[0].text.startswith("✅ Résolue") and not reply.cards[0].buttons
    thanks = [p for p in app.platform.thread(q.root_post_id) if "Merci" in p.message]
    assert len(thanks) == 1 and "@carol" in thanks[0].message and "@bob" in thanks[0].message
    assert "Merci à @carol, @bob pour" in thanks[0].message  # who took it on, then who replied; not the asker
    assert "déjà résolue" in (await Harness(app, *ALICE).click("entraide", "resolve", {"q": q.id})).text
    assert len([p for p in app.platform.thread(q.root_post_id) if "Merci" in p.message]) == 1


async def test_coordinator_may_resolve(db: Database) -> None:
    app = make_app(db)
    q = await _asked(app)
    reply = await Harness(app, "u-coord", "coord").click("entraide", "resolve", {"q": q.id})
    assert reply.update and question(db).status == RESOLVED


async def test_check_reaction_by_asker_on_a_reply_resolves_and_credits_its_author(db: Database) -> None:
    app = make_app(db)
    q = await _asked(app)
    await Harness(app, *BOB).post("r1", "Va sur franceconnect.gouv.fr", channel="entraide", root_id=q.root_post_id)
    await Harness(app, *CAROL).react("r1", "white_check_mark", channel="entraide")  # someone else's ✅: no effect
    assert question(db).status == OPEN
    await Harness(app, *ALICE).react("r1", "+1", channel="entraide")
    assert question(db).status == OPEN
    await Harness(app, *ALICE).react("r1", "white_check_mark", channel="entraide")
    await Harness(app, *ALICE).react("r1", "white_check_mark", channel="entraide")  # replayed
    q = question(db)
    assert q.status == RESOLVED and q.resolver_name == "bob"
    assert app.platform.updates[-1][0] == q.card_post_id and "✅" in app.platform.updates[-1][2][0].text
    assert len([p for p in app.platform.thread(q.root_post_id) if "Merci à @bob" in p.message]) == 1


async def test_resolu_typed_in_the_thread(db: Database) -> None:
    app = make_app(db)
    q = await _asked(app)
    assert "dans le fil" in (await Harness(app, *ALICE).command("/entraide resolu")).text
    assert "pas une question suivie" in (await Harness(app, *ALICE).command("/entraide résolu", root_id="autre")).text
    assert "Seule la personne" in (await Harness(app, *BOB).command("/entraide resolu", root_id=q.root_post_id)).text
    assert "C’est noté" in (await Harness(app, *ALICE).command("/entraide résolu", root_id=q.root_post_id)).text
    assert question(db).status == RESOLVED


async def test_bare_command_lists_open_questions(db: Database) -> None:
    app = make_app(db)
    assert "Aucune question en attente" in (await Harness(app, *ALICE).command("/entraide")).text
    await _asked(app)
    listing = (await Harness(app, *BOB).command("/entraide")).text
    assert "1 question en attente" in listing and "France Connect" in listing and "sans réponse" in listing


async def test_similar_resolved_question_is_suggested_with_a_link(db: Database) -> None:
    app = make_app(db)
    await Harness(app, *ALICE).command("/entraide Comment récupérer le mot de passe France Connect "
                                       "d'une personne âgée ?")
    first = question(db)
    await Harness(app, *ALICE).click("entraide", "resolve", {"q": first.id})
    await Harness(app, *CAROL).command("/entraide Le mot de passe France Connect est perdu, comment le récupérer ?")
    with db.session() as s:
        second = s.scalars(select(Question).where(Question.id != first.id)).one()
    suggestions = [p for p in app.platform.thread(second.root_post_id) if "Ceci pourrait" in p.message]
    assert len(suggestions) == 1 and app.platform.permalink(first.root_post_id) in suggestions[0].message
    # An unrelated question gets no suggestion at all.
    await Harness(app, *BOB).command("/entraide Quel vidéoprojecteur acheter pour un atelier en extérieur ?")
    with db.session() as s:
        third = s.scalars(select(Question).where(Question.asker_id == BOB[0])).one()
    assert not [p for p in app.platform.thread(third.root_post_id) if "Ceci pourrait" in p.message]


async def test_matching_workshop_idea_is_suggested_with_a_link(db: Database) -> None:
    from bot.ateliers.models import Idea

    app = make_app(db)
    with db.session() as s:
        s.add(Idea(title="Escape game de la sécurité en ligne @all", summary="Repérer les faux mails et les arnaques.",
                   publics=["seniors"], thematiques=["securite_numerique"], author_id="u-ines", author_name="ines",
                   post_id="idea-post"))
    await Harness(app, *ALICE).command("/entraide Comment apprendre aux seniors à repérer les arnaques par mail ?")
    [tip] = [p for p in app.platform.thread(question(db).root_post_id) if "Ceci pourrait" in p.message]
    assert "**Idées d’ateliers**" in tip.message and "Escape game de la sécurité en ligne" in tip.message
    assert app.platform.permalink("idea-post") in tip.message and "@all" not in tip.message


@pytest.mark.parametrize("emoji", ["heavy_check_mark", "ballot_box_with_check"])
async def test_every_check_mark_resolves(db: Database, emoji: str) -> None:
    """✔️ and ☑️ are the same gesture as ✅ for people: each resolves the question."""
    app = make_app(db)
    q = await _asked(app)
    await Harness(app, *BOB).post("r1", "Va sur franceconnect.gouv.fr", channel="entraide", root_id=q.root_post_id)
    await Harness(app, *ALICE).react("r1", emoji, channel="entraide")
    assert question(db).status == RESOLVED and question(db).resolver_name == "bob"


@pytest.mark.parametrize("text", ["statistiques", "ok merci", "merci à tous pour vos réponses", "statistiqes du mois",
                                  "liste des questions", "stats mensuelles"])
async def test_slips_are_confirmed_before_anything_is_published(db: Database, text: str) -> None:
    app = make_app(db)
    reply = await Harness(app, *ALICE).command(f"/entraide {text}")
    assert reply.text.startswith("Publier cette question dans ~entraide ?")
    assert app.platform.in_channel("entraide") == []
    publish, cancel = reply.cards[0].buttons
    assert (publish.label, cancel.label) == ("Publier", "Ne pas publier")
    assert "Rien n’a été publié" in (await Harness(app, *ALICE).press("entraide", cancel)).text
    assert app.platform.in_channel("entraide") == []
    assert "Seule la personne" in (await Harness(app, *BOB).press("entraide", publish)).text
    done = await Harness(app, *ALICE).press("entraide", publish)
    assert "publiée dans ~entraide" in done.text and len(app.platform.in_channel("entraide")) == 1


@pytest.mark.parametrize("text", ["Où trouver un scanner gratuit à Nîmes ?",
                                  "Annuler un rendez-vous CAF en ligne, comment faire ?",
                                  "Quelqu’un connaît une formation au smartphone pour les seniors près de Lyon"])
async def test_real_questions_are_published_at_once(db: Database, text: str) -> None:
    app = make_app(db)
    assert "publiée dans ~entraide" in (await Harness(app, *ALICE).command(f"/entraide {text}")).text
    assert len(app.platform.in_channel("entraide")) == 1
