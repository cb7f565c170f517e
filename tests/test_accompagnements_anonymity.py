"""The anonymity guard: personal data in free text is spotted (overseas numbers included), ordinary notes pass."""

from __future__ import annotations

from datetime import date

import pytest

from bot.accompagnements.anonymity import find_personal_data, personal_data_message

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize("text,kind", [
    ("écrire à marie.payet@gmail.com", "email"),
    ("adresse jean-paul (at) free.fr", "email"),
    ("appeler le 06 12 34 56 78", "phone"),
    ("appeler le 06.12.34.56.78", "phone"),
    ("fixe 0262 41 22 33", "phone"),
    ("portable 0692123456", "phone"),
    ("joignable au +262 692 12 34 56", "phone"),
    ("joignable au +590 690 11 22 33", "phone"),
    ("+596696112233", "phone"),
    ("0033 6 12 34 56 78", "phone"),
    ("+33 (0)6 12 34 56 78", "phone"),
    ("NIR 1 85 05 78 006 084 36", "nir"),
    ("sécu 285052A006084", "nir"),
    ("née le 12/03/1948", "birth_date"),
    ("né en 1952", "birth_date"),
    ("date de naissance 3 mars 1950", "birth_date"),
    ("DDN : 01-02-45", "birth_date"),
    ("habite 12 rue des Lilas", "address"),
    ("Mme Durand voulait refaire sa carte", "name"),
    ("M. Hoarau a perdu son code", "name"),
    ("Madame Payet", "name"),
    ("elle s'appelle Marie", "name"),
    ("Jean DUPONT", "name"),
    ("dossier de GRONDIN Paul", "name"),
    ("RIB FR76 3000 6000 0112 3456 7890 189", "iban"),
])
def test_personal_data_spotted(text: str, kind: str) -> None:
    assert kind in {f.kind for f in find_personal_data(text, today=TODAY)}


@pytest.mark.parametrize("text", [
    "création d'une adresse e-mail et envoi d'un mail à la CAF",
    "dossier CAF et ANTS, mot de passe ameli oublié",
    "RDV le 12/10/2026 pour finir la démarche",
    "45 min, 3 personnes, 97410",
    "madame était contente du résultat",
    "création du compte au nom de sa fille",
    "nom d'utilisateur oublié",
    "Mon Espace Santé activé, France Travail actualisation",
    "retraité, 78 ans, commune de Saint-Pierre",
    "code postal 97410, Le Tampon",
])
def test_ordinary_notes_pass(text: str) -> None:
    assert find_personal_data(text, today=TODAY) == []


def test_message_explains_why_and_what_instead_without_echoing_the_data() -> None:
    message = personal_data_message("Notes", "rappeler au 0692 12 34 56", today=TODAY)
    assert message is not None
    assert message.startswith("Notes : ce texte semble contenir un numéro de téléphone")
    assert "RGPD" in message and "Écrivez plutôt" in message
    assert "0692 12 34 56" not in message
    assert personal_data_message("Notes", "mot de passe réinitialisé", today=TODAY) is None


@pytest.mark.parametrize("text,kind", [
    ("aide à madame durand", "name"),
    ("Jean-Pierre Martin", "name"),
    ("fils de m dupont", "name"),
    ("RDV avec Sandrine pour la CAF", "name"),
    ("accompagné kevin sur parcoursup", "name"),
    ("compte créé pour christiane hoareau", "name"),
    ("dossier de M. et Mme Robert", "name"),
    ("mot de passe Azerty123!", "password"),
    ("mot de passe ameli : Soleil2024!", "password"),
    ("mdp : 123456", "password"),
    ("code de la carte : 4582", "password"),
    ("rappeler au (+33) 6 12 34 56 78", "phone"),
    ("fixe (0262) 21 22 23", "phone"),
    ("tel +687 12 34 56", "phone"),
    ("portable +508 41 23 45", "phone"),
    ("+689 87 12 34 56", "phone"),
    ("sécu 1 60 05 974 123 456 78", "nir"),
])
def test_names_in_lower_case_passwords_and_every_french_territory_number(text: str, kind: str) -> None:
    assert kind in {f.kind for f in find_personal_data(text, today=TODAY)}


@pytest.mark.parametrize("text", [
    "personne de 78 ans, vit seule",
    "RDV ANTS carte d'identité le 12/12",
    "Dossier CAF",
    "Mme a oublié son code",
    "Mr pressé, reviendra",
    "son mari est malade, elle fait les démarches seule",
    "mot de passe ameli réinitialisé, ok",
    "code PIN de la carte bancaire oublié, orientation vers sa banque",
    "Saint-Pierre, atelier collectif, 6 participants",
    "vient de Saint-Denis, permanence du collège Victor Hugo",
    "n° de dossier 123456, 45 min",
    "aide pour la prime de Noël, RDV en mai",
    "le 01/12/2026 45min individuel impots permanence",
])
def test_everyday_notes_are_not_taken_for_names_passwords_or_numbers(text: str) -> None:
    assert find_personal_data(text, today=TODAY) == []


def test_password_refusal_says_so_without_echoing_it() -> None:
    message = personal_data_message("Notes", "mdp ameli : Soleil2024!", today=TODAY)
    assert message is not None and "un mot de passe" in message and "Soleil2024" not in message
