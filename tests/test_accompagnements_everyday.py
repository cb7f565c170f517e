"""One-line entries in everyday words: dates, durations, counts, communes, places and themes by their usual names."""

from __future__ import annotations

from datetime import date

import pytest

from bot.accompagnements.everyday import read
from bot.accompagnements.inline import parse

TODAY = date(2026, 12, 2)  # a Wednesday


@pytest.mark.parametrize(("text", "day"), [
    ("hier", date(2026, 12, 1)), ("avant-hier", date(2026, 11, 30)), ("lundi dernier", date(2026, 11, 30)),
    ("lundi", date(2026, 11, 30)), ("mercredi", date(2026, 11, 25)), ("01/12", date(2026, 12, 1)),
    ("le 01/12/2026", date(2026, 12, 1)), ("1er décembre", date(2026, 12, 1)), ("25/11/26", date(2026, 11, 25)),
    ("15/12", date(2025, 12, 15)),  # a day without a year is the last one that has passed
    ("aujourd'hui", TODAY), ("aujourd’hui", TODAY),  # either apostrophe
])
def test_dates(text: str, day: date) -> None:
    assert read(text, TODAY).date == day


@pytest.mark.parametrize(("text", "minutes"), [
    ("3/4h", 45), ("1/2h", 30), ("1h30", 90), ("1 h 30", 90), ("une heure", 60), ("deux heures", 120),
    ("une demi-heure", 30), ("trois quarts d’heure", 45), ("un quart d'heure", 15), ("45 min", 45),
    ("45mn", 45), ("1h", 60), ("90 minutes", 90),
])
def test_durations(text: str, minutes: int) -> None:
    assert read(text, TODAY).minutes == [minutes]


@pytest.mark.parametrize("text", ["6 personnes", "nb:6", "6p", "groupe de 6", "6 participants"])
def test_counts(text: str) -> None:
    assert read(text, TODAY).count == 6


def test_a_date_that_does_not_exist_is_refused_not_guessed() -> None:
    assert read("31/11", TODAY).problems


def test_readme_one_liner_and_everyday_words() -> None:
    p = parse("45min individuel smartphone domicile saint-pierre", TODAY, prefer_departements=("974",))
    assert p.complete
    assert p.values["thematiques"] == ["prendre_en_main_du_materiel"] and p.values["materiel"] == ["telephone"]
    assert p.values["lieu_commune"] == "Saint-Pierre"
    p = parse("hier 3/4h atelier nb:6 france connect mediatheque", TODAY)
    assert p.complete and "notes" not in p.values
    assert (p.values["date"], p.values["duree"], p.values["participants_total"]) == (date(2026, 12, 1), 45, 6)
    assert p.values["lieu_type"] == "lieu_activite" and p.values["lieu_nom"] == "Médiathèque"
    assert p.values["thematiques"] == ["aide_aux_demarches_administratives"]


@pytest.mark.parametrize(("text", "themes"), [
    ("franceconnect", {"aide_aux_demarches_administratives"}), ("ameli doctolib", {"sante"}),
    ("caf", {"aide_aux_demarches_administratives", "famille_scolarite"}),
    ("impôts", {"aide_aux_demarches_administratives", "argent_impots"}), ("whatsapp", {"reseaux_sociaux"}),
    ("mails", {"email"}), ("carte grise ants", {"aide_aux_demarches_administratives", "transports_mobilite"}),
])
def test_themes_by_everyday_names(text: str, themes: set[str]) -> None:
    assert set(parse(f"1h indiv {text} permanence", TODAY).values["thematiques"]) == themes


def test_ants_alone_is_asked() -> None:
    p = parse("1h indiv ants permanence", TODAY)
    assert p.questions and p.questions[0].field == "ambiguous:ants" and len(p.questions[0].options) == 2


def test_retraite_with_its_accent_is_the_person_without_it_the_theme() -> None:
    p = parse("1h indiv impots permanence retraité 70+", TODAY)
    assert p.values["statut"] == "retraite" and p.values["tranche_age"] == "soixante_dix_plus"
    assert "travail_formation" not in p.values["thematiques"]
    assert "travail_formation" in parse("1h indiv retraite permanence", TODAY).values["thematiques"]


def test_communes_and_homonyms() -> None:
    assert parse("1h indiv mail domicile le port", TODAY).values["lieu_commune"] == "Le Port"
    assert parse("1h indiv mail domicile st pierre", TODAY).values["lieu_commune"] == "Saint-Pierre"
    assert parse("1h indiv mail domicile pointe-à-pitre", TODAY).values["lieu_commune"] == "Pointe-à-Pitre"
