"""/annuaire through the registry on the fake platform of `tests.fakes` (Mattermost is tested end to end elsewhere)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.console.platform import MemoryPlatform
from bot.core.context import App
from bot.core.replies import Reply
from bot.db import Database
from bot.directory import import_files, load_bundled_directory
from bot.directory.models import DirectoryChange, DirectoryReport
from bot.directory.store import find_place
from tests.fakes import Clock, fake_app
from tests.harness import Harness

MONDAY_10H_PARIS = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def app(db: Database) -> App:
    load_bundled_directory(db)
    settings = Settings(database_url="unused", coordinators=("coord",))
    return fake_app(settings, db, clock=Clock(MONDAY_10H_PARIS))


@pytest.fixture
def camille(app: App) -> Harness:
    return Harness(app, "id-camille", "camille")


@pytest.fixture
def coord(app: App) -> Harness:
    return Harness(app, "id-coord", "coord")


async def test_search_answers_privately_with_five_compact_cards(camille: Harness) -> None:
    reply = await camille.command("/annuaire caf grenble")
    assert not reply.in_channel
    assert reply.text.startswith("**Lieux 1 à 5** pour : Grenoble (38) · démarches administratives")
    places, more = reply.cards[:5], reply.cards[5]
    assert len(reply.cards) == 6 and [b.label for b in more.buttons] == ["Voir plus"]
    first = places[0]
    assert "Grenoble (à " in first.text  # the distance from the commune typed
    assert "☎ 0" in first.text and "Services : démarches administratives" in first.text
    assert "ouvert maintenant" in first.text or "fermé" in first.text or "horaires non renseignés" in first.text
    assert [b.label for b in first.buttons] == ["Fiche", "Partager"]
    # "Voir plus" gives the next five, none repeated.
    nxt = await camille.click("annuaire", "plus", more.buttons[0].data)
    assert nxt.text.startswith("**Lieux 6 à")
    assert not {c.title for c in nxt.cards} & {c.title for c in places}


async def test_a_place_named_like_the_text_takes_the_last_card_and_nothing_is_skipped(
        db: Database, shared_data: Path) -> None:
    # The national France services list: "st josep" is Saint-Joseph misspelt, read at La Réunion; the place named
    # after every word typed (in Martinique) takes the fifth card, and "Voir plus" starts with the fifth place
    # nearby, so none is skipped.
    import_files(db, [shared_data / "france-services_liste-fs-20240801.csv"])
    camille = Harness(fake_app(Settings(database_url="unused"), db, clock=Clock(MONDAY_10H_PARIS)), "id-c", "camille")
    reply = await camille.command("/annuaire france services st josep")
    assert reply.text.startswith("**Lieux 1 à 5** pour : Saint-Joseph (974)")
    assert reply.cards[4].title == "France services de Saint-Joseph"
    more = next(c for c in reply.cards if [b.label for b in c.buttons] == ["Voir plus"])
    nxt = await camille.click("annuaire", "plus", more.buttons[0].data)
    assert nxt.text.startswith("**Lieux 5 à")
    assert not {c.title for c in nxt.cards[:5]} & {c.title for c in reply.cards[:4]}


async def test_overseas_card_shows_local_opening(camille: Harness) -> None:
    # 10:00 in Paris is 05:00 in Guadeloupe: the France Services there are not open yet.
    reply = await camille.command("/annuaire france services pointe a pitre")
    guadeloupe = [c for c in reply.cards if "971" in c.text]
    assert len(guadeloupe) == 5 and not any("ouvert maintenant" in c.text for c in guadeloupe)
    assert any("fermé maintenant · aujourd’hui" in c.text for c in guadeloupe)
    paris = await camille.command("/annuaire france services valserhone")  # 10:00 in Paris, opens on Mondays at 13:30
    assert "fermé maintenant · aujourd’hui 13h30-17h" in paris.cards[0].text


async def test_a_search_may_begin_with_aide(camille: Harness) -> None:
    # "aide" alone (or before a sub-command) is the help; before other words, it is a counsellor's search.
    assert (await camille.command("/annuaire aide")).text.startswith("**/annuaire** — ")
    assert (await camille.command("/annuaire aide ajouter")).text.startswith("**/annuaire** — ")
    search = await camille.command("/annuaire aide papiers administratifs grenoble")
    assert search.text.startswith("**Lieux 1 à 5** pour : Grenoble (38) · démarches administratives")


async def test_no_result_says_what_was_understood(camille: Harness) -> None:
    reply = await camille.command("/annuaire zorglub")
    assert not reply.cards and "Aucun lieu trouvé pour « zorglub »" in reply.text
    assert "Ajoutez une commune" in reply.text
    relaxed = await camille.command("/annuaire caf rdv handicap gap")
    assert relaxed.cards and "J’ai élargi la recherche" in relaxed.text


async def test_fiche_gives_full_details_and_sms_text(app: App, camille: Harness) -> None:
    with app.db.session() as s:
        place = find_place(s, "france-services:1")
    assert place is not None
    reply = await camille.click("annuaire", "fiche", {"ref": place.ref})
    assert "Version SMS" in reply.text and "Tél : 04 50 56 87 49" in reply.text
    assert "Horaires : lun. 13h30-17h" in reply.text and "**" not in reply.text.split("```")[1]
    titles = {f.title for f in reply.cards[0].fields}
    assert {"Adresse", "Téléphone", "Horaires", "Services", "Dispositifs"} <= titles


async def test_partager_posts_one_card_in_the_channel(app: App, camille: Harness) -> None:
    platform: MemoryPlatform = app.platform  # type: ignore[assignment]
    with app.db.session() as s:
        place = find_place(s, "france-services:1")
    reply = await camille.click("annuaire", "partager", {"ref": place.ref})  # type: ignore[union-attr]
    assert "est partagé" in reply.text
    [post] = platform.posts
    assert post.channel_id == "ch-general" and "camille" in post.message
    assert post.cards[0].title == "France services de Valserhône"
    platform.fail_next(10_000)
    failed = await camille.click("annuaire", "partager", {"ref": place.ref})  # type: ignore[union-attr]
    assert "pas pu publier" in failed.text


async def test_add_and_modify_are_for_coordinators_and_audited(app: App, camille: Harness, coord: Harness) -> None:
    denied = await camille.command("/annuaire ajouter")
    assert "réservé aux coordinateurs" in denied.text and denied.dialog is None
    opened = await coord.command("/annuaire ajouter")
    assert opened.dialog is not None and opened.dialog.callback == "lieu"
    bad = await coord.submit("annuaire", "lieu", {
        "nom": "Espace numérique du Lac", "adresse": "1 place du Lac", "code_postal": "380", "commune": "Grenoble",
        "telephone": "12", "horaires": "lundi vers 9h", "services": "démarches administratives, cuisine"}, {})
    assert set(bad.errors) == {"code_postal", "telephone", "horaires", "services"}
    good = await coord.submit("annuaire", "lieu", {
        "nom": "Espace numérique du Lac", "adresse": "1 place du Lac", "code_postal": "38000", "commune": "Grenoble",
        "telephone": "04 76 11 22 33", "horaires": "Mo-Fr 09:00-17:00", "services": "démarches administratives"}, {})
    assert not good.errors and "Lieu ajouté" in good.text
    # The index refreshed without restart: the new place is found, near Grenoble.
    found = await camille.command("/annuaire espace numerique du lac grenoble")
    assert found.cards[0].title == "Espace numérique du Lac" and "38000 Grenoble (à " in found.cards[0].text
    ref = int(found.cards[0].footer.split()[-1])  # type: ignore[union-attr]
    edit = await coord.command(f"/annuaire modifier {ref}")
    assert edit.dialog is not None and edit.dialog.state == {"ref": ref}
    assert {e.name: e.default for e in edit.dialog.elements}["telephone"] == "04 76 11 22 33"
    changed = await coord.submit("annuaire", "lieu", {
        **{e.name: e.default for e in edit.dialog.elements}, "telephone": "04 76 99 99 99"}, edit.dialog.state)
    assert "Lieu modifié" in changed.text
    with app.db.session() as s:
        audit = list(s.scalars(select(DirectoryChange).where(DirectoryChange.place_ref == ref)
                               .order_by(DirectoryChange.id)))
    assert [(c.action, c.changed_by) for c in audit] == [("added", "@coord"), ("updated", "@coord")]
    assert audit[1].changes["telephone"] == ["+33476112233", "+33476999999"]
    forged = await camille.submit("annuaire", "lieu", {}, {"ref": ref})
    assert forged.error and "coordinateurs" in forged.error


async def test_signaler_records_and_tells_the_coordinators(app: App, camille: Harness, coord: Harness) -> None:
    platform: MemoryPlatform = app.platform  # type: ignore[assignment]
    with app.db.session() as s:
        place = find_place(s, "france-services:1")
    reply = await camille.command(f"/annuaire signaler {place.ref} nouveau numéro @channel 04 50 00 00 00")  # type: ignore[union-attr]
    assert "transmis aux coordinateurs" in reply.text
    with app.db.session() as s:
        [report] = list(s.scalars(select(DirectoryReport)))
    assert report.place_ref == place.ref and report.reporter_name == "camille"  # type: ignore[union-attr]
    [post] = platform.posts
    assert post.channel_id == "ch-coordinateurs" and "@channel" not in post.message and "modifier" in post.message
    platform.fail_next(10_000)  # the chat is down: the report is still recorded
    again = await camille.command(f"/annuaire signaler {place.ref} horaires faux")  # type: ignore[union-attr]
    assert "transmis" in again.text
    unknown = (await camille.command("/annuaire signaler 999999 faux")).text
    assert unknown.startswith("Aucun lieu n° 999999 dans l’annuaire") and "crochets" not in unknown
    assert (await coord.command("/annuaire modifier 999999")).text == unknown


async def test_modifier_takes_a_number_as_signaler_does(app: App, coord: Harness) -> None:
    with app.db.session() as s:
        place = find_place(s, "france-services:1")
    for typed in (f"n°{place.ref}", f"n° {place.ref}", f"#{place.ref}", "france-services:1"):  # type: ignore[union-attr]
        edit = await coord.command(f"/annuaire modifier {typed}")
        assert edit.dialog is not None and edit.dialog.state == {"ref": place.ref}, typed  # type: ignore[union-attr]
    assert "Indiquez le numéro" in (await coord.command("/annuaire modifier")).text


async def test_coordinators_list_and_close_reports(app: App, camille: Harness, coord: Harness) -> None:
    with app.db.session() as s:
        place = find_place(s, "france-services:1")  # France services de Valserhône
    assert place is not None
    await camille.command(f"/annuaire signaler {place.ref} le bureau a déménagé @here")
    refused = await camille.command("/annuaire signalements")
    assert "réservé aux coordinateurs" in refused.text
    listed = await coord.command("/annuaire signalements")
    assert listed.text.startswith("**1 signalement en attente**")
    [card] = listed.cards
    assert "Valserhône" in card.title and "@\u200bhere" in card.text and "camille" in (card.footer or "")
    assert await camille.click("annuaire", "traite", card.buttons[0].data) == \
        Reply.private("Seuls les coordinateurs peuvent clore un signalement.")
    closed = await coord.click("annuaire", "traite", card.buttons[0].data)
    assert "marqué traité" in closed.text
    again = await coord.click("annuaire", "traite", card.buttons[0].data)
    assert "déjà traité" in again.text
    with app.db.session() as s:
        report = s.scalar(select(DirectoryReport))
        assert report is not None and report.status == "traite" and report.handled_by == "coord"
        assert report.handled_at is not None
    assert "Aucun signalement" in (await coord.command("/annuaire signalements")).text


async def test_my_commune_is_searched_around_and_said(camille: Harness) -> None:
    first = await camille.command("/annuaire caf")  # no place typed, no territory yet: asked once
    assert "ma-commune" in first.text
    again = await camille.command("/annuaire caf")
    assert "ma-commune" not in again.text
    unknown = await camille.command("/annuaire ma-commune Zorglub-sur-Mer")
    assert "Je ne connais pas la commune" in unknown.text
    saved = await camille.command("/annuaire ma-commune vif")
    assert "vous travaillez à Vif (38)" in saved.text
    assert "vous travaillez au Port (974)" in (await camille.command("/annuaire ma-commune le port")).text
    saved = await camille.command("/annuaire ma-commune vif")
    around = await camille.command("/annuaire caf")
    assert "Vif (38) (votre commune)" in around.text and "ma-commune" not in around.text
    assert around.cards and "(à " in around.cards[0].text
    shown = await camille.command("/annuaire ma-commune")
    assert "Vif (38)" in shown.text


async def test_homonyms_are_offered_as_buttons(camille: Harness) -> None:
    reply = await camille.command("/annuaire caf saint denis")
    others = [b for c in reply.cards for b in c.buttons if b.action == "ici"]
    assert others and any("(93)" in b.label for b in others)
    picked = next(b for b in others if "(93)" in b.label)
    clicked = await camille.click("annuaire", "ici", picked.data)
    assert "Saint-Denis (93)" in clicked.text
