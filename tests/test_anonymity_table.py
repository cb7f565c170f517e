"""The personal-data guard rule by rule: one example per alternative and per boundary, written the way counsellors
write notes (no example leans on another rule: a date example carries no birth keyword), and the notes that must
pass. Each positive row names the one kind it must raise; each negative row must raise nothing."""

from __future__ import annotations

from datetime import date

import pytest

from bot.accompagnements.anonymity import find_personal_data, personal_data_message

TODAY = date(2026, 11, 22)  # so "ten years ago" is 2016 and two-digit years up to 26 are this century


def _kinds(text: str) -> set[str]:
    return {f.kind for f in find_personal_data(text, today=TODAY)}


RAISED = {
    "email": [
        "écrire à marie.payet@gmail.com", "jean+caf@free.fr pour la suite", "jean-paul@orange.fr",
        "JEAN@ORANGE.FR", "écrire à jean @ gmail.com", "jean (at) gmail.com".replace(" (", "("),
        "jean(AT)free.fr", "jean[at]free.fr", "m.x@mairie-saint-denis.re", "x@sub.domaine-y.co.uk",
        "jean@mairie-lyon.fr",
    ],
    "phone": [
        "0612345678", "appeler le 06 12 34 56 78", "06.12.34.56.78", "06-12-34-56-78", "06/12/34/56/78",
        "0 6 12 34 56 78", "fixe 0262 41 22 33", "0192837465", "+33612345678", "+33 6 12 34 56 78",
        "0033 6 12 34 56 78", "+262 692 12 34 56", "+33 (0)6 12 34 56 78", "+33(0)612345678", "+33 61234567",
        "+33 6 1234567890", "+33-6-12-34-56-78", "+33.6.12.34.56.78", "+33/6/12/34/56/78", "00590 590 12 34 56",
        "N°0612345678", "tel:0612345678", "+590 690 11 22 33",
        # shapes only the second pass (phonenumbers, every French territory's plan) reads
        "(+33) 6 12 34 56 78", "(0262) 21 22 23", "+687 12 34 56", "+508 41 23 45", "(0590) 12 34 56",
        "(0594) 12 34 56", "(0269) 61 23 45",
    ],
    "nir": [
        "NIR 1 85 05 78 006 084 36", "1850578006084", "185057800608436", "2 85 05 78 006 084", "385057800608436",
        "485057800608436", "785057800608436", "885057800608436", "185017800608436", "185097800608436",
        "185107800608436", "185127800608436", "185207800608436", "185997800608436", "sécu 285052A006084",
        "1 85 05 2B 006 084 36", "185052a006084", "1850578006084 36",
        # a mistyped number (the NIR rule above refuses a 9 first) announced as one: each announcing word
        "sécu 9601397412345", "sécu ::: 9601397412345", "NIR: 9601397412345", "sécurité sociale 9601397412345",
        "n° ss 9601397412345", "n°ss 9601397412345", "numéro ss 9601397412345", "INSEE 9601397412345",
        "sécu 96 01 39 74 12 34 56 78 9",
    ],
    "password": ["mot de passe : Azerty123"],
    "iban": [
        "RIB FR76 3000 6000 0112 3456 7890 189", "fr7630006000011234567890189", "FR76 3000 6000 0112 3456",
        "FR763000600001123456", "FR 76 3000 6000 0112 3456",
    ],
    "birth_date": [
        "12/03/1985", "12.03.1985", "12-03-1985", "12 / 03 / 1985", "1/3/85", "31/12/1900", "01/01/2016",
        "30/06/2016", "1.2.1999", "le 2/11/60 à la mairie",
        "12 mars 1985", "1er mai 1950", "2 janvier 1950", "2 fevrier 1950", "2 février 1950", "2 avril 1950",
        "2 juin 1950", "2 juillet 1950", "2 août 1950", "2 septembre 1950", "2 octobre 1950", "2 novembre 1950",
        "2 décembre 1950", "2 janv. 1950", "2 fév 1950", "2 avr. 1950", "2 juil. 1950", "2 sept 1950",
        "2 oct 1950", "2 nov. 1950", "2 dec 1950", "2  MARS  2016", "31 mars 1900",
        "née le 12/03", "né le 3-4", "née en 1962", "nés en 1960", "nées vers 1955", "né à Lyon 1960",
        "né au Maroc 1948", "né vers 1950", "né dans les années 1950", "date de naissance 1985",
        "ddn 12/03", "naissance : 1985", "naissance: 1985", "année de naissance 1985",
        "née en " + "a" * 28 + " 1950",  # the 30 characters allowed between the words and the date
        "NÉE LE 3/4",
    ],
    "address": [
        "habite 12 rue des Lilas", "3 avenue Foch", "3 av. Foch", "3 av Foch", "5 bd Voltaire",
        "5 boulevard Voltaire", "7 chemin Vert", "7 allée Verte", "9 impasse Lilas", "11 route Nationale",
        "2 lotissement Bellevue", "4 résidence Les Pins", "6 cité Jardin", "8 quai Branly", "10 square Monge",
        "1 place Carnot", "12 bis rue Hugo", "12bis rue Hugo", "12 ter, rue Hugo", "12, rue Hugo",
        "1234 route Haute", "12 rue  Hugo",
    ],
    "name": [
        "Mme Durand voulait refaire sa carte", "mme durand", "Mlle Martin", "Mr Smith", "Mrs Smith", "Dr Petit",
        "M. Bernard", "M.Bernard", "Mme. Durand", "MME DURAND", "Mme Élodie", "Mme D'Orsay",
        "Monsieur Durand", "monsieur Durand", "Madame Petit", "madame Petit", "Mademoiselle Roux",
        "mademoiselle Roux", "Docteur Martin", "docteur Martin", "Monsieur Éric", "Madame Payet",
        "elle s'appelle Marie", "elle s’appelle Marie", "appelé Paul", "appelée Julie", "nommé Paul",
        "nommée Julie", "prénommé Paul", "prénommée Julie", "prénom Paul", "prénom : Paul", "nom de famille : Martin",
        "nom : Martin", "nom Martin", "nom:Martin".replace(":", " : "),
        "Jean DUPONT", "Jean-Pierre MARTIN", "DUPONT Jean", "Éric LEGRAND", "Jean DUP", "voir GRONDIN Paul",
        "Léa ÉLOI", "nom : Dupont", "elle s'appelle Denise", "prénom : Laura", "nom Durand", "prénom Delphine",
    ],
}
KEPT = [
    "Dossier CAF", "Mme a oublié son code", "création d'une adresse e-mail", "envoi d'un mail à la CAF",
    "rdv @ 14h", "Dossier 2023-2024", "code postal 97400", "RDV à 14h30", "12 34",
    "ref0612345678", "x0612345678", "06123456789", "+33 6123456", "+33 6 12345678901",
    "5850578006084", "185007800608436", "185137800608436", "1850578006084361", "FR76 3000 6000 0112",
    "AFR76 3000 6000 0112 3456", "12/03/2026", "01/01/2017", "12/03/20", "32/01/1980", "12/13/1980",
    "00/01/1980", "12/00/1980", "31/12/1899", "version 1.2.3", "12/03", "123/03/1985", "12 mars 2017",
    "12 mars 1899", "né à l'étranger", "ddn inconnue", "naissance d'un projet en 2024",
    "née en " + "a" * 29 + " 1950", "née en Algérie. 1950", "dans la rue", "2 rues plus loin",
    "3 places disponibles", "la place du marché", "12345 route Haute", "Mme souhaite un rendez-vous",
    "Mme est venue", "Mme n'a pas de compte", "Mme n’a pas de compte", "M. le maire", "Madame souhaite",
    "Monsieur a besoin", "Madame Est venue".lower(), "le nom de la structure", "nom du dossier",
    "prénom d'usage", "nom l'association", "nom de domaine", "CAF Dossier", "Compte AMELI",
    "Appel CPAM", "Rendez-vous ANTS", "Carte VITALE".replace("VITALE", "CMU"), "Prise en main WORD",
    "Mme le sait", "Mme la rappelle", "Mme les a", "Mme un jour", "Mme une fois", "Mme et son fils",
    "Mme ou son fils", "Mme au guichet", "Mme aux impôts", "Mme de passage", "Mme du quartier",
    "Mme des Hauts", "Mme qui vient", "Mme que je connais", "Mme son fils", "Mme sa fille", "Mme ses enfants",
    "sécu 960139741234", "sécu :::: 9601397412345", "sécu en ligne", "ticket (123456)",
    "Mme voulait", "Mme veut", "Mme avait", "Mme m'a dit", "Mme ne sait pas", "Mme na pas", "Mme à l'accueil",
]
ACRONYMS = """
CAF CPAM MSA ANTS ANEF RSA APL CNI URSSAF MDPH CCAS CIAS PIX SMS USB ANTAI OFPRA EDF ENGIE SNCF RATP HLM FAQ CPF
AAH ASPA DSN TVA RIB IBAN PDF JPEG PNG WIFI GPS ENT OPCO CMU CSS AME AGIRC ARRCO CNAV CARSAT PMI CMP EHPAD FAI
SFR BOUYGUES ORANGE FREE GOOGLE APPLE MICROSOFT WORD EXCEL ZOOM TEAMS VPN CNIL RGPD IMPOTS AMELI DGFIP CERFA
"""
ACRONYM_NOTES = [f"Dossier {a}" for a in ACRONYMS.split()]

ROWS = [(text, kind) for kind, texts in RAISED.items() for text in texts]


@pytest.mark.parametrize(("text", "kind"), ROWS, ids=[f"{k}:{t}" for t, k in ROWS])
def test_each_alternative_and_boundary_raises_its_kind(text: str, kind: str) -> None:
    assert kind in _kinds(text)


@pytest.mark.parametrize("text", KEPT)
def test_ordinary_notes_pass(text: str) -> None:
    assert find_personal_data(text, today=TODAY) == []


@pytest.mark.parametrize("text", ACRONYM_NOTES)
def test_acronyms_are_not_surnames(text: str) -> None:
    """The "Jean DUPONT" rule alone (names=False leaves out the first-name lists, which judge words by themselves)."""
    assert find_personal_data(text, today=TODAY, names=False) == []


def test_a_phone_inside_a_social_security_number_or_an_iban_is_not_a_phone_too() -> None:
    assert _kinds("1 85 05 78 006 084 36") == {"nir"}
    assert _kinds("RIB FR76 3000 6000 0112 3456 7890 189") == {"iban"}
    assert _kinds("1 85 05 78 006 084 36 et 06 12 34 56 78") == {"nir", "phone"}


def test_findings_keep_the_fragment_and_the_text_order_of_rules() -> None:
    found = find_personal_data("Mme Durand, 06 12 34 56 78, marie@free.fr", today=TODAY, names=False)
    assert [(f.kind, f.fragment) for f in found] == [
        ("email", "marie@free.fr"), ("phone", "06 12 34 56 78"), ("name", "Mme Durand")]


def test_today_defaults_to_the_real_date() -> None:
    this_year = date.today().year
    assert find_personal_data(f"01/01/{this_year - 5}") == []
    assert [f.kind for f in find_personal_data(f"01/01/{this_year - 20}")] == ["birth_date"]


def test_two_digit_years_are_read_in_the_right_century() -> None:
    assert _kinds("1/3/27") == {"birth_date"}  # 1927: 27 is after this year's 26
    assert _kinds("1/3/16") == {"birth_date"}  # 2016, ten years ago
    assert _kinds("1/3/17") == set()  # 2017
    assert _kinds("1/3/26") == set()  # 2026


@pytest.mark.parametrize(("text", "what", "advice", "mask"), [
    ("marie@free.fr", "une adresse e-mail", "« création d’une adresse e-mail »", "mar…"),
    ("06 12 34 56 78", "un numéro de téléphone", "« rappeler la personne »", "06 …"),
    ("1850578006084", "un numéro de sécurité sociale", "« mise à jour de la carte Vitale »", "185…"),
    ("FR76 3000 6000 0112 3456", "des coordonnées bancaires", "« ajout d’un RIB sur le compte »", "FR7…"),
    ("12/03/1985", "une date de naissance", "la tranche d’âge", "12/…"),
    ("3 rue Foch", "une adresse postale", "la commune seulement", "3 r…"),
    ("Mme Roux", "le nom d’une personne", "« la personne »", "Mme…"),
    ("M.Li", "le nom d’une personne", "« la personne »", "M…"),
    ("mot de passe : Azerty123", "un mot de passe", "« mot de passe réinitialisé »", "mot…"),
])
def test_refusal_names_the_kind_masks_the_fragment_and_says_what_to_write(text, what, advice, mask) -> None:
    message = personal_data_message("Note", text, today=TODAY)
    assert message is not None
    assert message.startswith(f"Note : ce texte semble contenir {what} (« {mask} »). ")
    assert f"Écrivez plutôt {advice}" in message and message.endswith("Rien n’a été enregistré.")
    assert "RGPD" in message


def test_several_kinds_the_first_found_is_named_with_its_advice() -> None:
    """A dialog shows a field's error in 150 characters: one finding and what to write instead."""
    message = personal_data_message("Note", "06 12 34 56 78 et marie@free.fr", today=TODAY)
    assert "contenir une adresse e-mail (« mar… »)" in message and "téléphone" not in message
    assert personal_data_message("Note", "Dossier CAF", today=TODAY) is None


def test_the_second_pass_stops_after_forty_number_shapes_and_at_the_first_phone() -> None:
    decoys = " x ".join(["(123456)"] * 39)  # each a number shape that is no phone number
    assert _kinds(decoys + " x (+33) 6 12 34 56 78") == {"phone"}
    assert _kinds(decoys + " x (123456) x (+33) 6 12 34 56 78") == set()  # bounded work on digit-packed text
    found = find_personal_data("(+33) 6 12 34 56 78 et (+33) 6 98 76 54 32", today=TODAY)
    assert [f.fragment for f in found] == ["(+33) 6 12 34 56 78"]


def test_names_can_be_left_out_for_place_names() -> None:
    assert _kinds("Albert est venu") == {"name"}
    assert find_personal_data("Albert est venu", today=TODAY, names=False) == []
    assert personal_data_message("Lieu", "Albert", today=TODAY, names=False) is None
    assert personal_data_message("Lieu", "Albert", today=TODAY) is not None
    assert _kinds("Centre social Marcel Pagnol") == set()
