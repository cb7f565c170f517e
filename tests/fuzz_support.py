"""Seeded generators shared by the fuzz tests and bench/security_counts.py: notes with and without personal
data, built from pieces (the way the fuzzing that found the guard's gaps built them)."""

from __future__ import annotations

import random

import phonenumbers

FRENCH_REGIONS = ("FR", "RE", "YT", "GP", "MQ", "GF", "BL", "MF", "PM", "NC", "PF", "WF")
TITLES = ("madame", "Madame", "MADAME", "monsieur", "Monsieur", "mme", "Mme", "Mme.", "M.", "m", "Mr", "mr",
          "mlle", "Mlle", "Dr", "docteur")
KIN = ("fils de", "fille de", "mari de", "épouse de", "voisine", "son voisin", "avec", "pour", "accompagné",
       "rdv avec", "aide à", "sa fille", "petit-fils de")
SURNAMES = ("durand", "dupont", "payet", "hoarau", "grondin", "martin", "fontaine", "boyer", "técher", "rivière",
            "nativel", "lebon", "dijoux", "clain", "turpin", "morel", "lauret", "maillot", "robert", "bernard")
FIRST_NAMES = ("Sandrine", "kevin", "Josiane", "jean-pierre", "Nathalie", "christiane", "Gérard", "martine",
               "Fabrice", "lucienne", "Ginette", "patrick", "Chloé", "émilie", "Jean-Marc", "sylvie", "Marcel",
               "nadine", "Josette", "Gisèle")
SECRET_WORDS = ("mot de passe", "mdp", "Mot de passe", "MDP", "mdp ameli", "mot de passe impots :", "mdp :",
                "le mot de passe est", "code de la carte :", "password")
CLEAN = (
    "personne de 78 ans, vit seule", "RDV ANTS carte d'identité le 12/12", "Dossier CAF", "Mme a oublié son code",
    "mot de passe ameli réinitialisé", "mdp oublié, refait avec la personne", "création boîte mail",
    "déclaration de revenus en ligne", "actualisation France Travail", "prise en main tablette",
    "RDV préfecture pour titre de séjour", "carte Vitale mise à jour", "dossier MDPH commencé",
    "retraité, 82 ans", "son mari est malade", "le fils de la dame est venu avec elle", "Saint-Pierre",
    "vient de Saint-Denis", "45 min", "3 personnes", "orienté vers le CCAS", "code PIN oublié",
    "Madame souhaite apprendre WhatsApp", "Monsieur voulait résilier son abonnement", "Mr pressé, reviendra",
    "aide pour la prime de Noël", "RDV en mai", "n° de dossier 123456", "atelier collectif au collège Victor Hugo",
    "code postal 97410", "revenir jeudi avec l'avis d'imposition", "Mme très contente",
)


def _phone(rng: random.Random) -> str:
    region = rng.choice(FRENCH_REGIONS)
    kind = rng.choice((phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE))
    number = phonenumbers.example_number_for_type(region, kind) or phonenumbers.example_number(region)
    formats = [phonenumbers.PhoneNumberFormat.INTERNATIONAL, phonenumbers.PhoneNumberFormat.E164]
    if region in ("FR", "RE", "YT", "GP", "MQ", "GF", "BL", "MF"):
        formats.append(phonenumbers.PhoneNumberFormat.NATIONAL)
    text = phonenumbers.format_number(number, rng.choice(formats))
    if text.startswith("+") and rng.random() < 0.3:
        code, _, rest = text.partition(" ")
        text = f"({code}) {rest}"
    if text.startswith("0") and rng.random() < 0.3:
        digits = text.replace(" ", "")
        text = f"({digits[:4]}) {digits[4:6]} {digits[6:8]} {digits[8:]}"
    return text


def _password(rng: random.Random) -> str:
    word = rng.choice(("Soleil", "azerty", "Lagon", "Chaton", "Bonjour", "Tampon", "marie", "Reunion"))
    tail = str(rng.randint(1, 2025)) + rng.choice(("", "!", "?", "#", "*"))
    return f"{rng.choice(SECRET_WORDS)} {word}{tail}"


def _name(rng: random.Random) -> str:
    shape = rng.randrange(3)
    if shape == 0:
        return f"{rng.choice(TITLES)} {rng.choice(SURNAMES)}"
    if shape == 1:
        surname = rng.choice(SURNAMES)
        return f"{rng.choice(FIRST_NAMES)} {surname.capitalize() if rng.random() < .5 else surname}"
    return f"{rng.choice(KIN)} {rng.choice(FIRST_NAMES)}"


PERSONAL = {"phone": _phone, "password": _password, "name": _name}


def notes(seed: int, count: int) -> list[tuple[str | None, str]]:
    """`count` notes as (kind of personal data or None, text): half anonymous, half with one piece inserted."""
    rng = random.Random(seed)
    out: list[tuple[str | None, str]] = []
    for i in range(count):
        parts = rng.sample(CLEAN, rng.randint(1, 3))
        kind = None
        if i % 2:
            kind = rng.choice(sorted(PERSONAL))
            parts.insert(rng.randint(0, len(parts)), PERSONAL[kind](rng))
        out.append((kind, rng.choice((", ", ". ", " ; ", "\n")).join(parts)))
    return out
