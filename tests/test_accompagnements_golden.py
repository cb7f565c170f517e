"""Exact CSV export and stats text of a small fixed dataset: speed work on export/stats must not change a byte."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.accompagnements import service
from bot.accompagnements.export import csv_bytes
from bot.accompagnements.profile import Profile
from bot.accompagnements.stats import compute, format_text
from bot.accompagnements.validation import validate
from bot.db import Database

TODAY = date(2026, 12, 1)
TZ = ZoneInfo("Indian/Reunion")
NOV = (date(2026, 11, 1), date(2026, 11, 30))


def add(db: Database, user: str, name: str, at: datetime, **kw: Any) -> int:
    values: dict[str, Any] = {"type": "individuel", "duree": 45, "lieu_type": "lieu_activite",
                              "thematiques": ["email"]}
    values.update(kw)
    with db.session() as s:
        return service.create(s, user, name, validate(values, today=TODAY), at).id


def seed(db: Database) -> None:
    """Every column the export fills, both types, an edited entry, a time crossing midnight in the network zone,
    ids out of date order, another counsellor and an entry outside the period."""
    at = datetime(2026, 11, 20, 9, 5, tzinfo=UTC)
    add(db, "u1", "alice", at, date="2026-11-18", duree="1h30", lieu_type="domicile", lieu_commune="Le Port",
        lieu_code_postal="97420", thematiques=["aide_aux_demarches_administratives", "argent_impots", "email"],
        precisions_demarche="déclaration; « revenus »", materiel=["ordinateur", "telephone"],
        notes='Revenir "jeudi"\nmême heure', autonomie="partiellement_autonome",
        structure_redirection="aide_sociale", genre="masculin", tranche_age="quarante_cinquante_neuf",
        statut="en_emploi", deja_accompagne=True, beneficiaire_commune="Saint-Paul",
        beneficiaire_code_postal="97460")
    edited = add(db, "u1", "alice", datetime(2026, 11, 2, 20, 30, tzinfo=UTC), date="2026-11-02", duree=15,
                 lieu_type="a_distance", thematiques=["sante"], materiel=["aucun"], oriente="non")
    with db.session() as s:
        row = service.get_own(s, "u1", edited)
        assert row is not None
        data = validate({"type": "individuel", "date": "2026-11-02", "duree": 20, "lieu_type": "a_distance",
                         "thematiques": ["sante", "email"], "materiel": ["aucun"], "oriente": "non",
                         "autonomie": "entierement_accompagne", "statut": "retraite"}, today=TODAY)
        service.update(s, row, data, datetime(2026, 11, 21, 5, 59, tzinfo=UTC))
    add(db, "u1", "alice", at, type="collectif", date="2026-11-12", duree=120, lieu_type="autre",
        lieu_commune="Saint-Leu", lieu_nom="Médiathèque", thematiques=["securite_numerique", "culture_numerique"],
        titre_atelier="Arnaques, les repérer", niveau="intermediaire", participants_total=5, participants_deja=2,
        participants_counts={"statut": {"retraite": 2, "sans_emploi": 1}, "genre": {"masculin": 1, "feminin": 3},
                             "tranche_age": {"soixante_dix_plus": 2, "dix_huit_vingt_quatre": 1}},
        materiel=["tablette"])
    add(db, "u2", "bob", at, date="2026-11-12", duree=60, thematiques=["bureautique"], genre="feminin")
    add(db, "u1", "alice", at, date="2026-10-31", duree=30, notes="hors période")
    add(db, "u2", "bob", at, type="collectif", date="2026-11-30", duree=90, thematiques=["email"],
        participants_total=2)


SELF_CSV = "\r\n".join([
    "\ufeffDate;Enregistré le;Dernière modification le;Type;Participants;Bénéficiaire;Canaux d’accompagnement;"
    "Nom du lieu;Adresse;Commune;Code postal;Code Insee;Durée (min);Nom de l’atelier;Matériel numérique utilisé;"
    "Thématique(s) d’accompagnement;Tags;Nom de la démarche administrative;Niveau d’autonomie (ou de l’atelier);"
    "Bénéficiaire réorienté;Structure de redirection;Commune du bénéficiaire;Code postal du bénéficiaire;"
    "Code Insee du bénéficiaire;Genre du bénéficiaire;Tranche d’âge du bénéficiaire;Statut du bénéficiaire;"
    "Notes supplémentaires;ID CRA",
    "02/11/2026;03/11/2026 à 00:30;21/11/2026 à 09:59;Accompagnement individuel;1;Bénéficiaire anonyme;"
    "À distance;;;;;;20;;Pas de matériel;\"Santé\nE-mail\";;;1/3;Non;;;;;Non communiqué;Non communiqué;"
    "Retraité;;2",
    "12/11/2026;20/11/2026 à 13:05;;Atelier collectif;1/5;Bénéficiaire anonyme;Autre lieu;Médiathèque;;"
    "Saint-Leu;;;120;Arnaques, les repérer;Tablette;\"Prévention en sécurité numérique\nCulture numérique\";;;"
    "2/3;;;;;;Masculin;18 - 24 ans;Sans emploi;;3",
    "12/11/2026;20/11/2026 à 13:05;;Atelier collectif;2/5;Bénéficiaire anonyme;Autre lieu;Médiathèque;;"
    "Saint-Leu;;;120;Arnaques, les repérer;Tablette;\"Prévention en sécurité numérique\nCulture numérique\";;;"
    "2/3;;;;;;Féminin;70 ans et plus;Retraité;;3",
    "12/11/2026;20/11/2026 à 13:05;;Atelier collectif;3/5;Bénéficiaire anonyme;Autre lieu;Médiathèque;;"
    "Saint-Leu;;;120;Arnaques, les repérer;Tablette;\"Prévention en sécurité numérique\nCulture numérique\";;;"
    "2/3;;;;;;Féminin;70 ans et plus;Retraité;;3",
    "12/11/2026;20/11/2026 à 13:05;;Atelier collectif;4/5;Bénéficiaire anonyme;Autre lieu;Médiathèque;;"
    "Saint-Leu;;;120;Arnaques, les repérer;Tablette;\"Prévention en sécurité numérique\nCulture numérique\";;;"
    "2/3;;;;;;Féminin;Non communiqué;Non communiqué ou hétérogène;;3",
    "12/11/2026;20/11/2026 à 13:05;;Atelier collectif;5/5;Bénéficiaire anonyme;Autre lieu;Médiathèque;;"
    "Saint-Leu;;;120;Arnaques, les repérer;Tablette;\"Prévention en sécurité numérique\nCulture numérique\";;;"
    "2/3;;;;;;Non communiqué;Non communiqué;Non communiqué ou hétérogène;;3",
    "18/11/2026;20/11/2026 à 13:05;;Accompagnement individuel;1;Bénéficiaire anonyme;À domicile;;;Le Port;"
    "97420;;90;;\"Ordinateur\nTéléphone\";\"Aide aux démarches administratives\nArgent - Impôts\nE-mail\";;"
    "\"déclaration; « revenus »\";2/3;Oui;Structure d’aide sociale (maison des solidarités, centre social…);"
    "Saint-Paul;97460;;Masculin;40 - 59 ans;En emploi;\"Revenir \"\"jeudi\"\"\nmême heure\";1",
    "",
])

TEAM_CSV = "\r\n".join([
    "\ufeffDate;Enregistré le;Dernière modification le;Prénom du médiateur;Nom du médiateur;Rôle;ID - Conum;"
    "Type;Participants;Canaux d’accompagnement;Nom du lieu;Adresse;Commune;Code postal;Code Insee;Durée (min);"
    "Nom de l’atelier;Matériel numérique utilisé;Thématique(s) d’accompagnement;Tags;"
    "Nom de la démarche administrative;Niveau d’autonomie (ou de l’atelier);Bénéficiaire réorienté;"
    "Structure de redirection;Commune du bénéficiaire;Code postal du bénéficiaire;Code Insee du bénéficiaire;"
    "Genre du bénéficiaire;Tranche d’âge du bénéficiaire;Statut du bénéficiaire;ID CRA",
    "02/11/2026;03/11/2026 à 00:30;21/11/2026 à 09:59;;alice;Conseiller Numérique;;Accompagnement individuel;1;"
    "À distance;;;;;;20;;Pas de matériel;\"Santé\nE-mail\";;;1/3;Non;;;;;Non communiqué;Non communiqué;"
    "Retraité;2",
    "12/11/2026;20/11/2026 à 13:05;;;alice;Conseiller Numérique;;Atelier collectif;1/5;Autre lieu;Médiathèque;;"
    "Saint-Leu;;;120;Arnaques, les repérer;Tablette;\"Prévention en sécurité numérique\nCulture numérique\";;;"
    "2/3;;;;;;Masculin;18 - 24 ans;Sans emploi;3",
    "12/11/2026;20/11/2026 à 13:05;;;alice;Conseiller Numérique;;Atelier collectif;2/5;Autre lieu;Médiathèque;;"
    "Saint-Leu;;;120;Arnaques, les repérer;Tablette;\"Prévention en sécurité numérique\nCulture numérique\";;;"
    "2/3;;;;;;Féminin;70 ans et plus;Retraité;3",
    "12/11/2026;20/11/2026 à 13:05;;;alice;Conseiller Numérique;;Atelier collectif;3/5;Autre lieu;Médiathèque;;"
    "Saint-Leu;;;120;Arnaques, les repérer;Tablette;\"Prévention en sécurité numérique\nCulture numérique\";;;"
    "2/3;;;;;;Féminin;70 ans et plus;Retraité;3",
    "12/11/2026;20/11/2026 à 13:05;;;alice;Conseiller Numérique;;Atelier collectif;4/5;Autre lieu;Médiathèque;;"
    "Saint-Leu;;;120;Arnaques, les repérer;Tablette;\"Prévention en sécurité numérique\nCulture numérique\";;;"
    "2/3;;;;;;Féminin;Non communiqué;Non communiqué ou hétérogène;3",
    "12/11/2026;20/11/2026 à 13:05;;;alice;Conseiller Numérique;;Atelier collectif;5/5;Autre lieu;Médiathèque;;"
    "Saint-Leu;;;120;Arnaques, les repérer;Tablette;\"Prévention en sécurité numérique\nCulture numérique\";;;"
    "2/3;;;;;;Non communiqué;Non communiqué;Non communiqué ou hétérogène;3",
    "12/11/2026;20/11/2026 à 13:05;;;bob;Conseiller Numérique;;Accompagnement individuel;1;Lieu d’activité;;;;;;"
    "60;;;Bureautique;;;;;;;;;Féminin;Non communiqué;Non communiqué ou hétérogène;4",
    "18/11/2026;20/11/2026 à 13:05;;;alice;Conseiller Numérique;;Accompagnement individuel;1;À domicile;;;"
    "Le Port;97420;;90;;\"Ordinateur\nTéléphone\";\"Aide aux démarches administratives\nArgent - Impôts\nE-mail\";"
    ";\"déclaration; « revenus »\";2/3;Oui;Structure d’aide sociale (maison des solidarités, centre social…);"
    "Saint-Paul;97460;;Masculin;40 - 59 ans;En emploi;1",
    "30/11/2026;20/11/2026 à 13:05;;;bob;Conseiller Numérique;;Atelier collectif;1/2;Lieu d’activité;;;;;;90;;;"
    "E-mail;;;;;;;;;Non communiqué;Non communiqué;Non communiqué ou hétérogène;6",
    "30/11/2026;20/11/2026 à 13:05;;;bob;Conseiller Numérique;;Atelier collectif;2/2;Lieu d’activité;;;;;;90;;;"
    "E-mail;;;;;;;;;Non communiqué;Non communiqué;Non communiqué ou hétérogène;6",
    "",
])


def test_self_export_is_byte_for_byte_the_pinned_csv(db: Database) -> None:
    seed(db)
    with db.session() as s:
        content, n = csv_bytes(service.in_period(s, *NOV, "u1"), TZ, self_export=True)
    assert content.decode("utf-8") == SELF_CSV
    assert n == 7


def test_team_export_is_byte_for_byte_the_pinned_csv(db: Database) -> None:
    seed(db)
    with db.session() as s:
        # the role comes from each counsellor's profile (`/accompagnement profil`); an unset one stays empty
        roles = {"u1": Profile("conseiller"), "u2": Profile("conseiller")}
        content, n = csv_bytes(service.in_period(s, *NOV), TZ, self_export=False, profiles=roles)
    assert content.decode("utf-8") == TEAM_CSV
    assert n == 10


# "%" after a narrow no-break space, as French typesetting has it.
MINE_TEXT = """**Moi**

- Accompagnements : **7**
- Personnes accompagnées : **7**, dont 4 pour la première fois
- Accompagnements individuels : 2
- Ateliers collectifs : 1 (5 participants)
- Temps d’accompagnement : 3,8 h
- Personnes orientées vers une autre structure : 1

**Thématiques médiation numérique**
- E-mail : 2 (67\u202f%)
- Santé : 1 (33\u202f%)
- Prévention en sécurité numérique : 1 (33\u202f%)
- Culture numérique : 1 (33\u202f%)
- Aide aux démarches administratives : 1 (33\u202f%)

**Thématiques démarches administratives**
- Argent - Impôts : 1 (33\u202f%)

**Canaux d’accompagnement**
- À distance : 1 (33\u202f%)
- Autre lieu : 1 (33\u202f%)
- À domicile : 1 (33\u202f%)

**Communes**
- Saint-Leu : 1 (33\u202f%)
- Le Port : 1 (33\u202f%)

**Durées**
- Moins de 30 min : 1 (33\u202f%)
- 1 h à 2 h : 1 (33\u202f%)
- 2 h ou plus : 1 (33\u202f%)

**Matériel utilisé**
- Pas de matériel : 1 (33\u202f%)
- Tablette : 1 (33\u202f%)
- Ordinateur : 1 (33\u202f%)
- Téléphone : 1 (33\u202f%)

**Autonomie (accompagnements individuels)**
- Avec guidage : 1 (50\u202f%)
- Autonome avec guidage en cas de besoin : 1 (50\u202f%)

**Niveau des ateliers**
- Intermédiaire : 1 (100\u202f%)

**Orientations**
- Structure d’aide sociale (maison des solidarités, centre social…) : 1 (50\u202f%)

**Public : genre**
- Féminin : 3 (43\u202f%)
- Non communiqué : 2 (29\u202f%)
- Masculin : 2 (29\u202f%)

**Public : tranche d’âge**
- Non communiqué : 3 (43\u202f%)
- 70 ans et plus : 2 (29\u202f%)
- 40 - 59 ans : 1 (14\u202f%)
- 18 - 24 ans : 1 (14\u202f%)

**Public : statut**
- Retraité : 3 (43\u202f%)
- Non communiqué ou hétérogène : 2 (29\u202f%)
- En emploi : 1 (14\u202f%)
- Sans emploi : 1 (14\u202f%)"""


def test_stats_text_is_pinned(db: Database) -> None:
    seed(db)
    with db.session() as s:
        mine = compute(s, *NOV, user_id="u1")
        team = compute(s, *NOV)
    assert format_text(mine, "Moi") == MINE_TEXT
    assert (team.activities, team.accompaniments, team.minutes, team.new_people) == (5, 10, 380, 7)
    assert team.by_counsellor == {"alice": 3, "bob": 2}
    assert team.niveaux == {"intermediaire": 1}
    assert team.publics["genre"] == {"masculin": 2, "feminin": 4, "non_communique": 4}
    assert format_text(team, "Réseau", team=True).endswith("**Conseillers ayant saisi** (2) : @alice (3), @bob (2)")
