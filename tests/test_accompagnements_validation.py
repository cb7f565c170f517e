"""Every field of an accompaniment refuses bad input with a French message naming the field."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.accompagnements.validation import ValidationError, format_duration, parse_duration, validate

TODAY = date(2026, 11, 22)


def base(**kw: Any) -> dict[str, Any]:
    values: dict[str, Any] = {"type": "individuel", "duree": "45min", "lieu_type": "lieu_activite",
                              "thematiques": ["email"]}
    values.update(kw)
    return values


def errors(**kw: Any) -> dict[str, str]:
    with pytest.raises(ValidationError) as exc:
        validate(base(**kw), today=TODAY)
    return exc.value.errors


def test_minimal_individual_defaults_to_today() -> None:
    data = validate(base(), today=TODAY)
    assert data.date == TODAY and data.duration_min == 45 and data.participants_total == 1
    assert data.thematiques == ["email"] and data.materiel == []


@pytest.mark.parametrize("text,minutes", [("45min", 45), ("45 min", 45), ("1h30", 90), ("1h", 60), ("1 h 30", 90),
                                          ("1,5h", 90), ("2h", 120), (90, 90), ("90", 90), ("24h", 1440)])
def test_durations(text: Any, minutes: int) -> None:
    assert parse_duration(text) == minutes


@pytest.mark.parametrize("bad", ["abc", "0", "25h", "1h75", -5, True, "", "3 jours"])
def test_bad_durations(bad: Any) -> None:
    message = errors(duree=bad)["duree"]
    assert message.startswith("Durée")


def test_format_duration() -> None:
    assert [format_duration(m) for m in (45, 60, 90)] == ["45 min", "1 h", "1 h 30"]


@pytest.mark.parametrize("field,value,needle", [
    ("type", "demarche", "n’existe pas"),
    ("type", None, "obligatoire"),
    ("type", 3, "n’existe pas"),
    ("lieu_type", "mairie", "n’existe pas"),
    ("lieu_type", "", "obligatoire"),
    ("thematiques", ["emails"], "inconnue"),
    ("thematiques", [], "au moins une"),
    ("thematiques", 12, "liste"),
    ("materiel", ["fax"], "inconnu"),
    ("materiel", ["aucun", "ordinateur"], "Pas de matériel"),
    ("autonomie", "total", "n’existe pas"),
    ("structure_redirection", "caf", "n’existe pas"),
    ("genre", "x", "n’existe pas"),
    ("tranche_age", "60-69", "n’existe pas"),
    ("statut", "chomeur", "n’existe pas"),
    ("deja_accompagne", "peut-être", "oui ou non"),
    ("oriente", "bof", "oui ou non"),
    ("date", "2026-11-23", "futur"),
    ("date", "31/02/2026", "qui existe"),
    ("date", "demain matin", "reconnais pas"),
    ("date", 20261122, "date"),
    ("lieu_code_postal", "9741", "code postal"),
    ("notes", "x" * 2001, "trop long"),
    ("notes", 42, "texte"),
    ("titre_atelier", "Atelier mails", "atelier collectif"),
    ("participants_total", 5, "atelier collectif"),
    ("orientation_place", {"id": "1"}, "annuaire"),
])
def test_each_field_rejects_bad_values(field: str, value: Any, needle: str) -> None:
    errs = errors(**{field: value})
    assert field in errs
    assert needle in errs[field]


@pytest.mark.parametrize("field", ["notes", "precisions_demarche", "lieu_nom", "beneficiaire_commune"])
@pytest.mark.parametrize("text", ["Mme Durand a perdu son mot de passe", "écrire à jean.dupont@orange.fr",
                                  "rappeler au 0692 12 34 56", "née le 03/04/1951", "NIR 1 51 04 974 11 123 45"])
def test_personal_data_refused_in_free_text(field: str, text: str) -> None:
    extra = {"thematiques": ["aide_aux_demarches_administratives"]} if field == "precisions_demarche" else {}
    message = errors(**{field: text}, **extra)[field]
    assert "RGPD" in message and "Écrivez plutôt" in message and "Rien n’a été enregistré" in message


def test_personal_data_refused_in_workshop_title() -> None:
    errs = errors(type="collectif", participants_total=4, titre_atelier="Atelier de Mme Hoarau")
    assert "RGPD" in errs["titre_atelier"]


def test_commune_required_at_home_or_elsewhere() -> None:
    assert "commune" in errors(lieu_type="domicile")["lieu_commune"]
    assert "commune" in errors(lieu_type="autre")["lieu_commune"]
    assert validate(base(lieu_type="domicile", lieu_commune="Le Port"), today=TODAY).lieu_commune == "Le Port"


def test_administrative_themes_need_the_demarches_theme() -> None:
    assert "Aide aux démarches" in errors(thematiques=["argent_impots"])["thematiques"]
    data = validate(base(thematiques=["aide_aux_demarches_administratives", "argent_impots"],
                         precisions_demarche="déclaration de revenus"), today=TODAY)
    assert data.precisions_demarche == "déclaration de revenus"
    assert "seulement" in errors(precisions_demarche="déclaration")["precisions_demarche"]


def test_orientation_implies_oriented_and_contradiction_refused() -> None:
    data = validate(base(structure_redirection="aide_sociale"), today=TODAY)
    assert data.oriente is True
    place = {"source": "france_services", "id": "fs-12", "name": "France Services du Port"}
    data = validate(base(orientation_place=place), today=TODAY)
    assert (data.oriente, data.orientation_place_name) == (True, "France Services du Port")
    assert "orientée" in errors(structure_redirection="administration", oriente="non")["oriente"]


def test_several_errors_reported_together() -> None:
    errs = errors(duree="zz", lieu_type="lune", thematiques=[])
    assert set(errs) == {"duree", "lieu_type", "thematiques"}


# -- collectif ---------------------------------------------------------------------------------
def coll(**kw: Any) -> dict[str, Any]:
    return base(type="collectif", participants_total=6, **kw)


def test_collective_counts() -> None:
    data = validate(coll(participants_deja=2, niveau="debutant",
                         participants_counts={"genre": {"feminin": 4, "masculin": 2},
                                              "tranche_age": {"soixante_dix_plus": 3}}), today=TODAY)
    assert data.participants_total == 6 and data.participants_deja == 2
    assert data.participants_counts == {"genre": {"feminin": 4, "masculin": 2},
                                        "tranche_age": {"soixante_dix_plus": 3}}


@pytest.mark.parametrize("counts", [
    {"genre": {"feminin": 5, "masculin": 2}},
    {"tranche_age": {"soixante_dix_plus": 7}},
    {"statut": {"retraite": 4, "en_emploi": 3}},
])
def test_no_breakdown_exceeds_total(counts: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as exc:
        validate(coll(participants_counts=counts), today=TODAY)
    assert "plus que les 6 participants" in exc.value.errors["participants_counts"]


@pytest.mark.parametrize("kw,field,needle", [
    ({"participants_deja": 7}, "participants_deja", "plus que"),
    ({"participants_deja": -1}, "participants_deja", "entier positif"),
    ({"participants_total": 0}, "participants_total", "entre 1"),
    ({"participants_total": 501}, "participants_total", "entre 1"),
    ({"participants_total": "beaucoup"}, "participants_total", "nombre entier"),
    ({"participants_total": None}, "participants_total", "obligatoire"),
    ({"participants_counts": {"genre": {"autre": 1}}}, "participants_counts", "inconnu"),
    ({"participants_counts": {"couleur": {"bleu": 1}}}, "participants_counts", "répartition connue"),
    ({"participants_counts": {"genre": {"feminin": "deux"}}}, "participants_counts", "entier positif"),
    ({"participants_counts": "f4"}, "participants_counts", "illisible"),
    ({"niveau": "expert"}, "niveau", "n’existe pas"),
    ({"autonomie": "autonome"}, "autonomie", "individuel"),
    ({"genre": "feminin"}, "genre", "individuel"),
])
def test_collective_bad_values(kw: dict[str, Any], field: str, needle: str) -> None:
    values = coll()
    values.update(kw)
    with pytest.raises(ValidationError) as exc:
        validate(values, today=TODAY)
    assert needle in exc.value.errors[field]


@pytest.mark.parametrize("raw", [
    base(lieu_type="domicile", lieu_commune="Le Port", genre="feminin", structure_redirection="aide_sociale",
         orientation_place={"source": "dora", "id": "p1", "name": "CCAS du Port"}, deja_accompagne=True),
    base(type="collectif", participants_total=6, participants_deja=2, niveau="debutant", titre_atelier="Arnaques",
         participants_counts={"genre": {"feminin": 4}}),
])
def test_a_saved_row_validates_back_to_itself(raw: dict[str, Any]) -> None:
    from bot.accompagnements.form import row_values
    from bot.accompagnements.models import Accompaniment

    data = validate(raw, today=TODAY)
    row = Accompaniment(**data.columns())
    assert validate(row_values(row), today=TODAY) == data  # "Modifier" and the place picked later start from here
