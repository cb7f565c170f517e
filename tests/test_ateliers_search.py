"""`/atelier <texte>`: the shared search engine (typos, accents, synonyms), filters, ranking by relevance then
votes, links to the original post; `suggest` for /entraide; the console's example ideas."""

from __future__ import annotations

from sqlalchemy import select

from bot.ateliers import load_example_ideas
from bot.ateliers.examples import read_example_ideas
from bot.ateliers.models import Idea
from bot.ateliers.search import parse_query, search_ideas, suggest
from bot.db import Database
from tests.atelier_annonce_support import make_app
from tests.harness import Harness

IDEAS = [
    {"title": "Escape game de la sécurité en ligne", "publics": "seniors, adultes", "thematique": "securite_numerique",
     "summary": "Par équipes, repérer un faux mail, un mot de passe faible et un faux site de banque."},
    {"title": "Le journal des fake news", "publics": "adolescents", "thematique": "culture_numerique",
     "summary": "Fabriquer un journal qui mélange vrais et faux articles, puis démasquer les infox."},
    {"title": "La musique de notre jeunesse", "publics": "seniors", "thematique": "navigation_sur_internet",
     "summary": "Retrouver en streaming et dans les archives de l'INA les chansons de leurs vingt ans."},
    {"title": "BD contre le cyberharcèlement", "publics": "adolescents", "thematique": "securite_numerique",
     "thematique_2": "reseaux_sociaux",
     "summary": "Créer une bande dessinée numérique sur le harcèlement en ligne et comment en sortir."},
]


async def _seed(app) -> dict[str, Idea]:  # type: ignore[no-untyped-def]
    for idea in IDEAS:
        reply = await Harness(app).submit("atelier", "partager", idea)
        assert not reply.errors, reply.errors
    with app.db.session() as s:
        return {i.title.split()[1]: i for i in s.scalars(select(Idea))}


def _titles(app, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    with app.db.session() as s:
        return [h.idea.title for h in search_ideas(s, text)]


async def test_typos_accents_and_synonyms_find_ideas(db: Database) -> None:
    app = make_app(db)
    await _seed(app)
    assert _titles(app, "escape")[0].startswith("Escape game")
    assert _titles(app, "SECURITE")[0] in ("Escape game de la sécurité en ligne", "BD contre le cyberharcèlement")
    assert _titles(app, "jounral fake")[0] == "Le journal des fake news"  # typo
    assert _titles(app, "musique")[0] == "La musique de notre jeunesse"
    # "arnaque" is a CRA synonym of the thématique both safety ideas carry.
    assert set(_titles(app, "arnaque")) == {"Escape game de la sécurité en ligne", "BD contre le cyberharcèlement"}
    assert "BD contre le cyberharcèlement" in _titles(app, "ados")  # public synonym
    assert _titles(app, "jardinage potager") == []


async def test_filters_for_public_and_thematique(db: Database) -> None:
    app = make_app(db)
    await _seed(app)
    assert set(_titles(app, "public: seniors")) == {"Escape game de la sécurité en ligne",
                                                    "La musique de notre jeunesse"}
    assert _titles(app, "thème: sécurité public: ados") == ["BD contre le cyberharcèlement"]
    assert _titles(app, "chansons public: senoirs thème: navigation") == ["La musique de notre jeunesse"]
    q = parse_query("public: seniors escape game")  # words after a filter that name no public are search words
    assert (q.text, q.publics) == ("escape game", ("seniors",))
    assert _titles(app, "public: seniors escape game") == ["Escape game de la sécurité en ligne"]
    q = parse_query("thème: réseaux sociaux, sécurité bd")
    assert (q.text, q.thematiques) == ("bd", ("reseaux_sociaux", "securite_numerique"))
    q = parse_query("escape public: martiens")
    assert q.unknown_filters and q.text == "escape"
    reply = await Harness(app).command("/atelier escape public: martiens")
    assert "Filtre non compris" in reply.text and "martiens" in reply.text


async def test_same_relevance_is_ranked_by_votes(db: Database) -> None:
    app = make_app(db)
    ideas = await _seed(app)
    assert set(_titles(app, "thème: sécurité")) == {"Escape game de la sécurité en ligne",
                                                    "BD contre le cyberharcèlement"}
    bd = ideas["contre"]
    for voter in ("u-1", "u-2"):
        await Harness(app).react(bd.post_id, "+1", channel="ateliers", user_id=voter)
    escape = ideas["game"]
    await Harness(app).react(escape.post_id, "+1", channel="ateliers", user_id="u-3")
    assert _titles(app, "thème: sécurité") == ["BD contre le cyberharcèlement", "Escape game de la sécurité en ligne"]
    for voter in ("u-4", "u-5"):
        await Harness(app).react(escape.post_id, "+1", channel="ateliers", user_id=voter)
    assert _titles(app, "thème: sécurité") == ["Escape game de la sécurité en ligne", "BD contre le cyberharcèlement"]
    # Votes never lift a weak match above a strong one.
    assert _titles(app, "bande dessinée harcèlement")[0] == "BD contre le cyberharcèlement"


async def test_results_link_to_the_original_post(db: Database) -> None:
    app = make_app(db)
    ideas = await _seed(app)
    reply = await Harness(app).command("/atelier fake news")
    assert reply.cards and reply.cards[0].title == "Le journal des fake news"
    link = app.platform.permalink(ideas["journal"].post_id)
    assert reply.cards[0].title_link == link and link in reply.cards[0].text
    assert "0 vote" in reply.cards[0].text
    empty = await Harness(app).command("/atelier jardinage")
    assert "Aucune idée" in empty.text and "/atelier partager" in empty.text
    bare = await Harness(app).command("/atelier")
    assert "/atelier partager" in bare.text


async def test_search_sees_edits_and_deletions(db: Database) -> None:
    app = make_app(db)
    ideas = await _seed(app)
    assert _titles(app, "streaming")
    music = ideas["musique"]
    edited = {**IDEAS[2], "title": "Karaoké des années 60", "summary": "Chanter ensemble avec les paroles à l'écran."}
    reply = await Harness(app).submit("atelier", "modifier", edited, {"id": music.id})
    assert not reply.errors and reply.error is None
    assert _titles(app, "streaming") == []
    assert _titles(app, "karaoke") == ["Karaoké des années 60"]
    await Harness(app).command(f"/atelier supprimer {music.id}")
    await Harness(app).click("atelier", "supprimer", {"id": music.id})
    assert _titles(app, "karaoke") == []


async def test_suggest_for_entraide_only_when_confident(db: Database) -> None:
    app = make_app(db)
    await _seed(app)
    with db.session() as s:
        found = suggest(s, "Comment faire repérer les faux mails et les arnaques aux seniors ?", limit=3)
        assert found and found[0].idea.title == "Escape game de la sécurité en ligne"
        assert found[0].matched_words >= 2 and found[0].idea.post_id
        # Both safety ideas carry the thématique "arnaque" and "mail" now name; the escape game, named by all three
        # words, comes first.
        assert [x.idea.id for x in suggest(s, "faux mail arnaque", 3)][0] == found[0].idea.id
        assert suggest(s, "Où faire refaire une carte vitale à Lyon ?", limit=3) == []
        assert len(suggest(s, "sécurité", limit=1)) == 1


async def test_console_examples_are_marked_and_loaded_once(db: Database) -> None:
    examples = read_example_ideas()
    titles = " ".join(e["title"] for e in examples)
    for expected in ("Escape game", "fake news", "musique", "cyberharcèlement"):
        assert expected in titles
    assert all(e["title"].startswith("Exemple : ") for e in examples)
    assert load_example_ideas(db) == len(examples)
    assert load_example_ideas(db) == 0  # idempotent
    app = make_app(db)
    with db.session() as s:
        rows = list(s.scalars(select(Idea)))
        assert all(r.is_example and r.author_name == "exemple" for r in rows)
    reply = await Harness(app).command("/atelier escape game")
    assert reply.cards[0].title.startswith("Exemple : Escape game")
    assert "Déroulé" in reply.cards[0].text  # no post to link to: the outline is shown instead
    with db.session() as s:
        assert suggest(s, "escape game sécurité arnaques", limit=3) == []  # examples are never suggested
