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
