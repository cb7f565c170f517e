"""/accompagnement end to end through the registry, on the fake platform of `tests.fakes` (no Mattermost)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.accompagnements.export import header
from bot.accompagnements.models import Accompaniment
from bot.config import Settings
from bot.core.context import App
from bot.core.replies import Reply
from bot.db import Database
from tests.fakes import Clock, fake_app
from tests.harness import Harness

NOW = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)  # 12:00 in La Réunion


@pytest.fixture
def app(db: Database) -> App:
    settings = Settings(database_url=db.url, timezone="Indian/Reunion", coordinators=("coralie",))
    return fake_app(settings, db, clock=Clock(NOW))


@pytest.fixture
def h(app: App) -> Harness:
    return Harness(app, "u1", "alice")


def count(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Accompaniment)) or 0


def button(reply: Reply, label: str) -> Any:
    return next(b for c in reply.cards for b in c.buttons if b.label == label)


async def test_inline_form_saves_and_shows_summary_with_buttons(db: Database, h: Harness) -> None:
    reply = await h.command("/accompagnement 45min individuel smartphone email domicile commune:Le Port "
                            "note: boîte mail créée")
    assert not reply.in_channel
    card = reply.cards[0]
    assert card.title.startswith("Accompagnement enregistré")
    assert {f.title: f.value for f in card.fields}["Lieu"] == "À domicile (Le Port)"
    assert [b.label for b in card.buttons] == ["Modifier", "Annuler"]
    with db.session() as s:
        row = s.scalars(select(Accompaniment)).one()
        assert (row.user_id, row.date, row.duration_min, row.materiel) == ("u1", date(2026, 11, 22), 45, ["telephone"])
        assert row.notes == "boîte mail créée"
    undone = await h.press("accompagnement", button(reply, "Annuler"))
    assert undone.update and "annulée" in undone.text
    assert count(db) == 0


async def test_missing_commune_is_asked_with_recent_ones(db: Database, h: Harness) -> None:
    await h.command("/accompagnement 30min indiv mail domicile commune:Saint-Paul")
    reply = await h.command("/accompagnement 45min individuel smartphone email domicile")
    assert count(db) == 1  # nothing saved yet
    card = reply.cards[0]
    assert "quelle commune" in card.text
    labels = [b.label for b in card.buttons]
    # the counsellor's own commune first, then the largest of the network's département (La Réunion here)
    assert labels[0] == "Saint-Paul" and "Saint-Denis" in labels and labels[-1] == "Compléter dans le formulaire"
    saved = await h.press("accompagnement", card.buttons[0])
    assert saved.update and saved.cards[0].title.startswith("Accompagnement enregistré")
    assert count(db) == 2


async def test_ambiguity_then_missing_items_are_asked_in_turn(db: Database, h: Harness) -> None:
    reply = await h.command("/accompagnement portable mail")
    assert "portable" in reply.cards[0].text
    reply = await h.press("accompagnement", button(reply, "Téléphone (matériel)"))
    assert "Combien de temps" in reply.cards[0].text  # no workshop word nor count: read as one person
    reply = await h.press("accompagnement", button(reply, "1 h 30"))
    reply = await h.press("accompagnement", button(reply, "À distance"))
    assert reply.cards[0].title.startswith("Accompagnement enregistré")
    with db.session() as s:
        row = s.scalars(select(Accompaniment)).one()
        assert (row.materiel, row.duration_min, row.lieu_type) == (["telephone"], 90, "a_distance")


async def test_unknown_words_and_bad_values_save_nothing(db: Database, h: Harness) -> None:
    reply = await h.command("/accompagnement 45min individuel xyzzy email lieu")
    assert "xyzzy" in reply.text and "rien n’est enregistré" in reply.text
    reply = await h.command("/accompagnement 45min individuel email lieu date:2026-11-23")
    assert "futur" in reply.text and "Rien n’a été enregistré" in reply.text
    reply = await h.command("/accompagnement 45min individuel email lieu note: Mme Grondin, tel 0692 11 22 33")
    assert "RGPD" in reply.text
    assert reply.text.count("Rien n’a été enregistré") == 1  # said once, not by each layer
    reply = await h.command("/accompagnement 25h individuel email lieu")
    assert "Durée" in reply.cards[0].text or "Durée" in reply.text
    assert count(db) == 0


async def test_no_text_opens_dialog_with_last_choices(db: Database, h: Harness) -> None:
    first = await h.command("/accompagnement")
    assert first.dialog is not None and first.dialog.title == "Nouvel accompagnement"
    saved = await h.fill("accompagnement", first, {"duree": "60", "lieu_type": "a_distance", "thematique": "sante",
                                                   "thematiques_plus": "mail, impots", "materiel": "ordi"})
    assert saved.errors == {} and saved.cards[0].title.startswith("Accompagnement enregistré")
    with db.session() as s:
        row = s.scalars(select(Accompaniment)).one()
        # the administrative sub-theme brings "Aide aux démarches administratives" along, as the Coop requires
        assert row.thematiques == ["aide_aux_demarches_administratives", "sante", "email", "argent_impots"]
        assert (row.duration_min, row.lieu_type, row.materiel) == (60, "a_distance", ["ordinateur"])


async def test_dialog_errors_keep_dialog_open_and_save_nothing(db: Database, h: Harness) -> None:
    opened = await h.command("/accompagnement")
    reply = await h.fill("accompagnement", opened, {"duree": None, "duree_autre": "", "lieu_type": "domicile",
                                                    "thematique": "sante", "thematiques_plus": "impots, zorglub",
                                                    "notes": "écrire à jeanne@free.fr", "date": "2027-01-01"})
    assert set(reply.errors) >= {"duree", "lieu_commune", "thematiques_plus", "notes", "date"}
    assert count(db) == 0
    ok = await h.fill("accompagnement", opened, {"duree": "45", "lieu_type": "lieu_activite", "thematique": "sante",
                                                 "thematiques_plus": "mail", "genre": "feminin",
                                                 "tranche_age": "soixante_dix_plus"})
    assert not ok.errors and count(db) == 1
    again = await h.command("/accompagnement")
    defaults = {el.name: el.default for el in again.dialog.elements}  # type: ignore[union-attr]
    assert defaults["duree"] == "45" and defaults["lieu_type"] == "lieu_activite"
    # the main theme is remembered; extra ones are not (they would outlive a change of the main one)
    assert defaults["thematique"] == "sante" and defaults["thematiques_plus"] is None
    assert defaults["genre"] is None  # people's categories are never pre-filled


async def test_dialog_orientation_place_is_picked_from_the_directory(db: Database, h: Harness) -> None:
    from bot.directory import load_bundled_directory

    load_bundled_directory(db)
    opened = await h.command("/accompagnement")
    reply = await h.fill("accompagnement", opened, {"duree": "30", "lieu_type": "lieu_activite", "thematique": "email",
                                                    "structure_redirection": "aide_aux_demarches_administratives",
                                                    "orientation_query": "france services st pierre 974"})
    assert not reply.errors and count(db) == 1
    saved, picker = reply.cards
    assert saved.title.startswith("Accompagnement enregistré")  # saved before any pick: nothing is lost
    assert "France services Saint-Pierre" in picker.buttons[0].label and picker.buttons[-1].label.startswith("Aucun")
    picked = await h.press("accompagnement", picker.buttons[0])
    assert picked.cards, picked.text
    assert picked.cards[0].title.startswith("Lieu d’orientation ajouté")
    with db.session() as s:
        row = s.scalar(select(Accompaniment))
        assert row.orientation_place_name == "France services Saint-Pierre"
        assert row.structure_redirection == "aide_aux_demarches_administratives" and row.duration_min == 30
    other = await h.press("accompagnement", picker.buttons[0], user_id="u2", user_name="bob")
    assert "n’existe plus" in other.text  # only the author can change their entry
    none = await h.press("accompagnement", picker.buttons[-1])
    assert "aucun lieu" in none.text
    edit = await h.press("accompagnement", button(picked, "Modifier"))
    kept = await h.fill("accompagnement", edit, {"duree": "45"})
    assert not kept.errors  # "Modifier" keeps the place picked later
    with db.session() as s:
        row = s.scalar(select(Accompaniment))
        assert (row.orientation_place_name, row.duration_min) == ("France services Saint-Pierre", 45)


async def test_collective_dialog_and_breakdown_check(db: Database, h: Harness) -> None:
    opened = await h.command("/accompagnement atelier")
    assert opened.dialog is not None and opened.dialog.title == "Nouvel atelier collectif"
    bad = await h.fill("accompagnement", opened, {"duree": "120", "lieu_type": "lieu_activite",
                                                  "thematique": "securite_numerique", "participants_total": "5",
                                                  "repartition": "f 4, h 3"})
    assert "plus que les 5 participants" in bad.errors["repartition"]
    assert count(db) == 0
    ok = await h.fill("accompagnement", opened, {"duree": "120", "lieu_type": "lieu_activite",
                                                 "thematique": "securite_numerique", "participants_total": "5",
                                                 "repartition": "f 3, h 2, 70+ 4"})
    assert not ok.errors
    with db.session() as s:
        row = s.scalars(select(Accompaniment)).one()
        assert row.participants_counts == {"genre": {"feminin": 3, "masculin": 2},
                                           "tranche_age": {"soixante_dix_plus": 4}}


async def test_edit_via_modifier_keeps_owner_only(db: Database, h: Harness) -> None:
    saved = await h.command("/accompagnement 45min individuel email lieu")
    opened = await h.press("accompagnement", button(saved, "Modifier"))
    assert opened.dialog is not None and opened.dialog.state["id"]
    done = await h.fill("accompagnement", opened, {"duree": "90"})
    assert done.cards[0].title.startswith("Accompagnement modifié")
    with db.session() as s:
        assert s.scalars(select(Accompaniment.duration_min)).one() == 90
    # someone else cannot edit or delete it
    stranger = await h.press("accompagnement", button(saved, "Modifier"), user_id="u2", user_name="bob")
    assert stranger.dialog is None and "n’existe plus" in stranger.text
    await h.press("accompagnement", button(saved, "Annuler"), user_id="u2", user_name="bob")
    assert count(db) == 1


async def test_liste_and_delete_with_confirmation(db: Database, h: Harness) -> None:
    for minutes in range(15, 15 + 12):
        await h.command(f"/accompagnement {minutes}min individuel email lieu")
    reply = await h.command("/accompagnement liste")
    assert len(reply.cards) == 10
    confirm = await h.press("accompagnement", button(reply, "Supprimer"))
    assert confirm.update and count(db) == 12
    done = await h.press("accompagnement", button(confirm, "Oui, supprimer"))
    assert "supprimé" in done.text and count(db) == 11


async def test_stats_text_and_chart(db: Database, h: Harness) -> None:
    await h.command("/accompagnement 45min individuel email lieu")
    await h.command("/accompagnement 2h atelier 6p securite lieu")
    await h.command("/accompagnement 30min individuel mail domicile commune:Le Port", user_id="u2", user_name="bob")
    reply = await h.command("/accompagnement stats")
    assert "Accompagnements : **7**" in reply.text and "Ateliers collectifs : 1 (6 participants)" in reply.text
    assert reply.files and reply.files[0].mime == "image/png" and reply.files[0].content[:4] == b"\x89PNG"
    team = await h.command("/accompagnement stats equipe mois")
    assert "réservés aux coordinateurs" in team.text and not team.files
    team = await h.command("/accompagnement stats equipe", user_id="u9", user_name="coralie")
    assert "Accompagnements : **8**" in team.text and "@alice (2)" in team.text
    unknown = await h.command("/accompagnement stats trimestre prochain")
    assert unknown.text.startswith("Je ne comprends pas la période")


async def test_export_csv_coop_layout(app: App, db: Database, h: Harness) -> None:
    await h.command("/accompagnement 45min individuel email lieu note: rien de personnel")
    await h.command("/accompagnement 2h atelier 3p securite lieu")
    offered = await h.command("/accompagnement export mois")
    assert [b.label for b in offered.cards[0].buttons] == ["Tableur (.xlsx)", "CSV"]
    xlsx = await h.press("accompagnement", button(offered, "Tableur (.xlsx)"))
    assert xlsx.files[0].filename.endswith(".xlsx") and xlsx.files[0].content.startswith(b"PK")
    reply = await h.press("accompagnement", button(offered, "CSV"))
    upload = reply.files[0]
    assert upload.mime == "text/csv" and upload.filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(upload.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == header(self_export=True)
    assert len(rows) == 1 + 1 + 3
    assert "réservé aux coordinateurs" in (await h.command("/accompagnement export equipe")).text
    app.platform.admins.add("u1")  # type: ignore[attr-defined]
    team = await h.command("/accompagnement export equipe mois csv")
    rows = list(csv.reader(io.StringIO(team.files[0].content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == header(self_export=False) and "Notes supplémentaires" not in rows[0]


async def test_mes_donnees_list_export_delete_with_confirmation(db: Database, h: Harness) -> None:
    await h.command("/accompagnement 45min individuel email lieu")
    await h.command("/accompagnement 30min individuel email lieu")
    await h.command("/accompagnement 30min individuel email lieu", user_id="u2", user_name="bob")
    reply = await h.command("/accompagnement mes-données")
    assert "2 accompagnements" in reply.text
    exported = await h.press("accompagnement", button(reply, "Tout exporter"))
    assert exported.files and exported.files[0].content.decode("utf-8-sig").count("\r\n") == 3
    confirm = await h.press("accompagnement", button(reply, "Tout supprimer"))
    assert "définitivement vos 2" in confirm.cards[0].title and count(db) == 3
    cancelled = await h.press("accompagnement", button(confirm, "Non, garder"))
    assert "conservées" in cancelled.text and count(db) == 3
    done = await h.press("accompagnement", button(confirm, "Oui, tout supprimer"))
    assert "2 accompagnements supprimés" in done.text
    assert count(db) == 1  # bob's entry is untouched
    assert "aucun" in (await h.command("/accompagnement mes-donnees")).text


async def test_orientation_place_is_picked_from_the_directory_search(db: Database, h: Harness) -> None:
    from bot.directory.schema import Place
    from bot.directory.store import upsert_places

    with db.session() as s:
        upsert_places(s, [
            Place(local_id="fs-1", nom="France Services du Port", commune="Le Port", code_postal="97420",
                  adresse="1 rue de la Mairie", source="test", latitude=-20.93, longitude=55.29),
            Place(local_id="ml-2", nom="Mission locale Ouest", commune="Saint-Paul", code_postal="97460",
                  adresse="2 rue du Port", source="test", latitude=-21.0, longitude=55.27),
        ], by="test")
    reply = await h.command("/accompagnement 45min individuel impots lieu vers:france services le port")
    card = reply.cards[0]
    assert "Vers quel lieu" in card.text and count(db) == 0  # asked, never picked for the counsellor
    assert card.buttons[0].label == "France Services du Port (Le Port)"
    assert card.buttons[-2].label == "Aucun : continuer sans lieu"
    saved = await h.press("accompagnement", card.buttons[0])
    assert saved.cards[0].title.startswith("Accompagnement enregistré")
    with db.session() as s:
        row = s.scalars(select(Accompaniment)).one()
        assert (row.orientation_source, row.orientation_place_id, row.orientation_place_name, row.oriente) == (
            "test", "fs-1", "France Services du Port", True)


async def test_profil_role_and_conum_fill_the_team_export(db: Database, h: Harness) -> None:
    await h.command("/accompagnement 45min individuel email lieu")
    shown = await h.command("/accompagnement profil")
    assert "non renseigné" in shown.text
    assert [b.label for b in shown.cards[0].buttons] == ["Conseiller numérique", "Médiateur numérique"]
    chosen = await h.press("accompagnement", button(shown, "Conseiller numérique"))
    assert chosen.update and "Conseiller numérique" in chosen.text
    assert "4242" in (await h.command("/accompagnement profil conum 4242")).text
    assert "n’est pas un identifiant" in (await h.command("/accompagnement profil conum <b>")).text
    team = await h.command("/accompagnement export equipe mois csv", user_id="u9", user_name="coralie")
    rows = list(csv.reader(io.StringIO(team.files[0].content.decode("utf-8-sig")), delimiter=";"))
    role, conum = rows[0].index("Rôle"), rows[0].index("ID - Conum")
    assert (rows[1][role], rows[1][conum]) == ("Conseiller Numérique", "4242")
