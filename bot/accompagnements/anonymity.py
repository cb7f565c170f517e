"""Refuse free text that looks like a beneficiary's personal data (RGPD: CRA data stay anonymous).

Heuristics err on the side of refusing: a counsellor can always rephrase ("création d'une adresse
e-mail" instead of the address), while a name stored by mistake leaks into exports and stats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import phonenumbers

from bot.accompagnements.passwords import find_passwords
from bot.accompagnements.person_names import NOT_A_NAME, find_names
from bot.core.text import fold

EMAIL = re.compile(r"[\w.+\-]+\s?(?:@|\(at\)|\[at\])\s?[\w\-]+(?:\.[\w\-]+)+", re.IGNORECASE)
# French numbers (0X XX XX XX XX, incl. overseas 0262/0590/0692…) and international ones (+262, 00590…).
PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\s?\d{2,3}[\s.\-/]?(?:\(0\)\s?)?\d(?:[\s.\-/]?\d){7,10}"
    r"|0\s?[1-9](?:[\s.\-/]?\d){8})(?!\d)"
)
# NIR: sex, year, month (or 20-99 for special cases), département (incl. 2A/2B), commune, order, optional key.
NIR = re.compile(
    r"(?<!\d)[1-478]\s?\d{2}\s?(?:0[1-9]|1[0-2]|[2-9]\d)\s?(?:\d{2}|2[ab])\s?\d{3}\s?\d{3}(?:\s?\d{2})?(?!\d)",
    re.IGNORECASE,
)
# "sécu 1 60 05 974 123 456 78": a long number announced as a social security number, even mistyped.
NIR_ANNOUNCED = re.compile(r"\b(?:nir|secu|securite\s+sociale|n°\s*ss|numero\s+ss|insee)\b\W{0,5}(?:\d\s?){13,17}")
IBAN = re.compile(r"\bFR\s?\d{2}(?:\s?[0-9A-Z]{4}){4,6}", re.IGNORECASE)
# The same separator twice: "12/12. 45 min" is a date and a duration, not 12 December 1945.
NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2})\s?(?P<sep>[/.\-])\s?(\d{1,2})\s?(?P=sep)\s?(\d{4}|\d{2})(?!\d)")
MONTHS = ("janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre|"
          "janv|fev|avr|juil|sept|oct|nov|dec")
WORD_DATE = re.compile(rf"\b(\d{{1,2}})(?:er)?\s+(?:{MONTHS})\.?\s+(\d{{4}})\b")
BIRTH_WORDS = re.compile(
    r"\b(?:(?:nee?s?\s+(?:le|en|a|au|vers|dans)|date\s+de\s+naissance|ddn|annee\s+de\s+naissance)\b"
    r"|naissance\s*:)[^.;\n]{0,30}?\b(?:\d{4}|\d{1,2}\s?[/.\-]\s?\d{1,2})",
)
ADDRESS = re.compile(
    r"\b\d{1,4}\s?(?:bis|ter)?,?\s+(?:rue|avenue|av\.?|bd|boulevard|chemin|allee|impasse|route|lotissement|"
    r"residence|cite|quai|square|place)\s+\w+",
)
# Abbreviated civilities are nearly always followed by a name; full words only when a capital follows.
CIVILITY_SHORT = re.compile(r"(?:\b(?:mme|mlle|mr|mrs|dr)\b\.?|\bm\.)\s*([a-zà-ÿ][\w\-']+)", re.IGNORECASE)
CIVILITY_LONG = re.compile(r"\b(?:[Mm]onsieur|[Mm]adame|[Mm]ademoiselle|[Dd]octeur)\s+([A-ZÀ-Ý][\w\-']+)")
NAMED = re.compile(
    r"\b(?:s'appelle|s’appelle|appele|appelee|nomme|nommee|prenomme|prenommee|prenom|nom de famille|nom)\s*:?\s+"
    r"([a-z][\w\-']+)",
)
# "Jean DUPONT" / "DUPONT Jean": capitalised first name next to an all-caps surname that is not an acronym.
FULL_NAME = re.compile(r"\b([A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?)[ \t\u00a0]+([A-ZÀ-Ý]{3,})\b"
                       r"|\b([A-ZÀ-Ý]{3,})[ \t\u00a0]+([A-ZÀ-Ý][a-zà-ÿ]+)\b")  # on one line: "Jean DUPONT"
ACRONYMS = frozenset(re.findall(r"\w+", """
CAF CPAM MSA ANTS ANEF RSA APL CNI URSSAF MDPH CCAS CIAS PIX SMS USB ANTAI OFPRA EDF ENGIE SNCF RATP HLM FAQ CPF
AAH ASPA DSN TVA RIB IBAN PDF JPEG PNG WIFI GPS ENT OPCO CMU CSS AME AGIRC ARRCO CNAV CARSAT PMI CMP EHPAD FAI
RDV SFR BOUYGUES ORANGE FREE GOOGLE APPLE MICROSOFT WORD EXCEL ZOOM TEAMS VPN CNIL RGPD IMPOTS AMELI DGFIP CERFA
"""))
HARMLESS_AFTER_CIVILITY = frozenset({"le", "la", "les", "un", "une", "et", "ou", "a", "au", "aux", "de", "du", "des",
                                     "est", "qui", "que", "son", "sa", "ses", "souhaite", "voulait", "veut",
                                     "avait", "n'a", "m'a", "ne", "na"})  # folded: fold() writes ’ as '


# Second pass on phone numbers, with the numbering plans of every French territory: "(+33) 6…", "(0262) 21 22 23",
# "+687 12 34 56" (Nouvelle-Calédonie), "+508 41 23 45" (Saint-Pierre-et-Miquelon) have shapes the first pass
# does not expect. Numbers written the national way (0…) are read with the plans of metropolitan France and the
# overseas départements; "+…" and "00…" numbers whatever their country.
FRENCH_REGIONS = ("FR", "RE", "YT", "GP", "MQ", "GF", "BL", "MF", "PM", "NC", "PF", "WF")
NATIONAL_REGIONS = frozenset({"FR", "RE", "YT", "GP", "MQ", "GF", "BL", "MF"})
PHONE_HINT = re.compile(r"(?:\+|\b00|\(|\b0)\s?\(?\d[\d\s().\-/]{4,24}\d")
# A day/month/year inside what looks like a number: a date followed by another number, never a phone.
DATE_IN_NUMBER = re.compile(r"\d{1,2}/\d{1,2}/(?:19|20)\d{2}")
SECOND_PASS_WINDOWS = 40  # a note is refused at the first number anyway: digit-packed text costs bounded time


@dataclass(frozen=True)
class Finding:
    kind: str  # email, phone, nir, iban, birth_date, address, name, password
    fragment: str


ADVICE: dict[str, tuple[str, str]] = {
    "email": ("une adresse e-mail", "« création d’une adresse e-mail » ou « envoi d’un mail à la CAF »"),
    "phone": ("un numéro de téléphone", "« rappeler la personne » ou « contact pris avec la CAF »"),
    "nir": ("un numéro de sécurité sociale", "« mise à jour de la carte Vitale »"),
    "iban": ("des coordonnées bancaires", "« ajout d’un RIB sur le compte »"),
    "birth_date": ("une date de naissance", "la tranche d’âge (par exemple « 60 - 69 ans ») dans le champ prévu"),
    "address": ("une adresse postale", "la commune seulement (par exemple « Saint-Pierre »)"),
    "name": ("le nom d’une personne", "« la personne », « une habitante » ou « un retraité »"),
    "password": ("un mot de passe", "« mot de passe réinitialisé », la personne le garde pour elle"),
}


WHY_PASSWORD = ("Un mot de passe ne s’écrit jamais dans une note (RGPD et sécurité) : il ouvrirait les comptes de "
                "la personne. ")


def _mask(fragment: str) -> str:
    fragment = fragment.strip()
    if len(fragment) <= 4:
        return fragment[:1] + "…"
    return fragment[:3] + "…"


def _plausible_birth(day: int, month: int, year: int, today: date) -> bool:
    if year < 100:
        year += 1900 if year > today.year % 100 else 2000
    return 1 <= day <= 31 and 1 <= month <= 12 and 1900 <= year <= today.year - 10


def _phones_second_pass(text: str, taken: list[tuple[int, int]]) -> list[Finding]:
    """Numbers the first pass missed, read by `phonenumbers` with the plans of every French territory."""
    found: list[Finding] = []
    for n, hint in enumerate(PHONE_HINT.finditer(text)):
        if n == SECOND_PASS_WINDOWS or found:
            break
        start, end = hint.span()
        if any(a <= start and end <= b for a, b in taken):
            continue
        window = text[max(0, start - 1):end + 1]  # the matcher checks what surrounds a number
        for region in FRENCH_REGIONS:
            for match in phonenumbers.PhoneNumberMatcher(window, region, leniency=phonenumbers.Leniency.POSSIBLE):
                raw = match.raw_string.lstrip("( ")
                if not raw.startswith(("+", "00")) and (region not in NATIONAL_REGIONS or not raw.startswith("0")):
                    continue  # "123456" would be a Nouméa number: only "0…" numbers are read with national plans
                if DATE_IN_NUMBER.search(match.raw_string):
                    continue
                found.append(Finding("phone", match.raw_string))
                break
            if found:
                break
    return found


def find_personal_data(text: str, *, today: date | None = None, names: bool = True) -> list[Finding]:
    """Everything in `text` that looks like data identifying a person. `names=False` for the names of places and
    communes ("Centre social Marcel Pagnol", "Albert"), where a person's name is a public name."""
    today = today or date.today()
    found: list[Finding] = []
    folded = fold(text)
    for kind, rx, src in (("email", EMAIL, text), ("iban", IBAN, text), ("nir", NIR, text),
                          ("nir", NIR_ANNOUNCED, folded)):
        found += [Finding(kind, m.group(0)) for m in rx.finditer(src)]
    nir_spans = [m.span() for m in NIR.finditer(text)]
    taken = [*nir_spans, *(m.span() for m in IBAN.finditer(text))]
    for m in PHONE.finditer(text):
        if DATE_IN_NUMBER.search(m.group(0)):
            continue  # "le 01/12/2026 45min": a date and a duration
        if not any(a <= m.start() < b for a, b in nir_spans):
            found.append(Finding("phone", m.group(0)))
            taken.append(m.span())
    found += _phones_second_pass(text, taken)
    found += [Finding("password", p) for p in find_passwords(text)]
    for m in NUMERIC_DATE.finditer(text):
        if _plausible_birth(int(m.group(1)), int(m.group(3)), int(m.group(4)), today):
            found.append(Finding("birth_date", m.group(0)))
    for m in WORD_DATE.finditer(folded):
        if 1900 <= int(m.group(2)) <= today.year - 10:
            found.append(Finding("birth_date", m.group(0)))
    found += [Finding("birth_date", m.group(0)) for m in BIRTH_WORDS.finditer(folded)]
    found += [Finding("address", m.group(0)) for m in ADDRESS.finditer(folded)]
    for m in (*CIVILITY_SHORT.finditer(text), *CIVILITY_LONG.finditer(text)):
        if fold(m.group(1)) not in HARMLESS_AFTER_CIVILITY and fold(m.group(1)) not in NOT_A_NAME:
            found.append(Finding("name", m.group(0)))
    for m in NAMED.finditer(folded):
        # "nom de la structure", "nom d'usage", but "nom : Dupont", "nom Durand", "s'appelle Laura" are names
        if m.group(1) not in HARMLESS_AFTER_CIVILITY and not m.group(1).startswith(("d'", "l'")):
            found.append(Finding("name", m.group(0)))
    for m in FULL_NAME.finditer(text):
        caps = m.group(2) or m.group(3)
        if caps not in ACRONYMS:
            found.append(Finding("name", m.group(0)))
    if names:
        found += [Finding("name", n) for n in find_names(text)]
    return found


def personal_data_message(field_label: str, text: str, *, today: date | None = None,
                          names: bool = True) -> str | None:
    """French refusal for one free-text field, or None when it looks anonymous."""
    findings = find_personal_data(text, today=today, names=names)
    if not findings:
        return None
    kinds = list(dict.fromkeys(f.kind for f in findings))
    what = ADVICE[kinds[0]][0]  # one finding and its advice: a dialog shows a field's error in 150 characters
    first = findings[0]
    why = (WHY_PASSWORD if first.kind == "password" else
           "Relais n’enregistre aucune donnée qui permette de reconnaître la personne accompagnée (RGPD). ")
    return (
        f"{field_label} : ce texte semble contenir {what} (« {_mask(first.fragment)} »). {why}"
        f"Écrivez plutôt {ADVICE[kinds[0]][1]}. Rien n’a été enregistré."
    )
