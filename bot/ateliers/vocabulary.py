"""Controlled words of an idea: thématiques (the CRA's, from `bot.accompagnements.enums`), publics, level, duration.

Controlled lists are what make the "public" and "thématique" filters of `/atelier` reliable: a free-text
public ("les ados") is mapped to one code once, when the idea is shared, instead of at every search.
"""

from __future__ import annotations

import re

from bot.accompagnements.enums import NIVEAUX, SYNONYMS, THEMATIQUES, THEMATIQUES_MEDIATION
from bot.core.errors import UserFacingError
from bot.core.text import fold
from bot.search import STOPWORDS, PhraseMatcher

__all__ = ["NIVEAUX", "PUBLICS", "PUBLIC_SYNONYMS", "THEMATIQUES", "THEMATIQUES_MEDIATION", "format_duration",
           "parse_duration", "parse_publics", "resolve_public", "resolve_thematique"]

# Who a workshop is for. Grounded in docs/users.md (seniors, allophones, young adults, people with
# disabilities, people who cannot read well, parents and children, teenagers).
PUBLICS: dict[str, str] = {
    "tout_public": "Tout public",
    "enfants": "Enfants",
    "adolescents": "Adolescents",
    "jeunes_adultes": "Jeunes adultes",
    "adultes": "Adultes",
    "seniors": "Seniors",
    "parents": "Parents et familles",
    "allophones": "Allophones",
    "handicap": "Personnes en situation de handicap",
    "ecrit": "Personnes en difficulté avec l’écrit",
    "demandeurs_emploi": "Demandeurs d’emploi",
    "professionnels": "Professionnels et aidants",
}

PUBLIC_SYNONYMS: dict[str, tuple[str, ...]] = {
    "tout_public": ("tous", "tout le monde", "tous publics", "grand public"),
    "enfants": ("enfant", "petits", "primaire", "moins de 12 ans", "jeunesse"),
    "adolescents": ("ados", "ado", "adolescent", "collegiens", "lyceens", "jeunes", "12-17 ans"),
    "jeunes_adultes": ("18-25 ans", "etudiants", "mission locale", "jeune adulte", "18-24 ans"),
    "adultes": ("adulte",),
    "seniors": ("senior", "personnes agees", "aines", "retraites", "anciens", "3e age", "troisieme age", "ehpad"),
    "parents": ("parent", "familles", "famille", "parents-enfants", "parents et enfants"),
    "allophones": ("allophone", "fle", "non francophones", "etrangers", "migrants", "refugies"),
    "handicap": ("psh", "autisme", "tsa", "situation de handicap", "handicapes", "malvoyants"),
    "ecrit": ("illettrisme", "illettres", "analphabetes", "alphabetisation", "difficulte avec l'ecrit"),
    "demandeurs_emploi": ("chomeurs", "demandeur d'emploi", "sans emploi", "france travail", "emploi"),
    "professionnels": ("pros", "pro", "aidants", "travailleurs sociaux", "collegues", "benevoles"),
}


def _index(labels: dict[str, str], synonyms: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Every way of naming a code (code, label, synonyms), folded, mapped to the code."""
    out: dict[str, str] = {}
    for code, label in labels.items():
        for name in (code, code.replace("_", " "), label, *synonyms.get(code, ())):
            out.setdefault(fold(name).replace("’", "'").strip(), code)
    return out


THEMATIQUE_SYNONYMS: dict[str, tuple[str, ...]] = SYNONYMS.get("thematique", {})
_PUBLIC_INDEX = _index(PUBLICS, PUBLIC_SYNONYMS)
_THEMATIQUE_INDEX = _index(THEMATIQUES, THEMATIQUE_SYNONYMS)
_matchers: dict[str, PhraseMatcher] = {}


def _matcher(kind: str) -> PhraseMatcher:
    """Names with a typo ("senoirs") go through the search engine's phrase matcher: one fuzzy matcher only."""
    if kind not in _matchers:
        index = _PUBLIC_INDEX if kind == "public" else _THEMATIQUE_INDEX
        _matchers[kind] = PhraseMatcher(index.items())
    return _matchers[kind]


def find_codes(kind: str, text: str) -> tuple[list[str], list[str]]:
    """Codes named anywhere in `text` (one typo per word allowed), and the words that named none.

    Lets `public: seniors escape game` keep "escape game" as search words instead of losing them.
    """
    tokens = _matcher(kind).analyse(text)
    codes: list[str] = []
    covered: set[int] = set()
    for m in _matcher(kind).find(tokens):
        if len(m.values) == 1:  # an ambiguous phrase names nothing for sure
            covered.update(range(m.start, m.end))
            if m.values[0] not in codes:
                codes.append(m.values[0])
    leftover = [t for i, t in enumerate(tokens) if i not in covered and t not in STOPWORDS and t != "et"]
    return codes, leftover


def _lookup(kind: str, word: str) -> str | None:
    index = _PUBLIC_INDEX if kind == "public" else _THEMATIQUE_INDEX
    w = fold(word).strip().strip(".;")
    w = re.sub(r"^(les|des|la|le|l'|aux|pour les|pour)\s+", "", w)
    if w in index:
        return index[w]
    if w.endswith("s") and w[:-1] in index:  # "seniors" / "senior", "tablettes"
        return index[w[:-1]]
    if w + "s" in index:
        return index[w + "s"]
    codes, leftover = find_codes(kind, w)
    return codes[0] if len(codes) == 1 and not leftover else None


def resolve_public(word: str) -> str | None:
    """A public's code from its name, a synonym ("ados"), or either with one typo per word; None if unsure."""
    return _lookup("public", word)


def resolve_thematique(word: str) -> str | None:
    """A thématique's CRA code from its code, label, a synonym, or one typo away; None if unsure."""
    return _lookup("thematique", word)


def split_list(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[,;/\n]|\bet\b", text or "") if p.strip()]


def parse_publics(text: str) -> tuple[list[str], list[str]]:
    """Codes recognised, in order and without duplicates, and the words that were not."""
    codes: list[str] = []
    unknown: list[str] = []
    for part in split_list(text):
        code = resolve_public(part)
        if code is None:
            unknown.append(part)
        elif code not in codes:
            codes.append(code)
    return codes, unknown


class DurationError(UserFacingError):
    """A duration the idea form cannot read, with the French example to type instead."""


_DURATION = re.compile(
    r"^\s*(?:(?P<h>\d{1,2})\s*(?:h|heures?)\s*(?P<hm>\d{1,2})?\s*(?:min|mn|minutes?)?"
    r"|(?P<m>\d{1,4})\s*(?:min|mn|minutes?)?)\s*$"
)


def parse_duration(text: str) -> int:
    """'2h', '1h30', '1 h 30', '90', '90 min' → minutes. A workshop session lasts at most a day
    (`DurationError` otherwise)."""
    t = fold(text or "").replace(",", ".").strip()
    if t in {"1/2 journee", "demi-journee", "demi journee"}:
        return 210
    if t in {"journee", "1 journee", "une journee"}:
        return 420
    m = _DURATION.match(t)
    if not m:
        raise DurationError("Durée non comprise. Écrivez par exemple « 2h », « 1h30 » ou « 90 min ».")
    minutes = int(m["h"]) * 60 + int(m["hm"] or 0) if m["h"] is not None else int(m["m"])
    if m["h"] is not None and int(m["hm"] or 0) >= 60:
        raise DurationError("Les minutes doivent être entre 0 et 59, par exemple « 1h30 ».")
    if not 5 <= minutes <= 12 * 60:
        raise DurationError("Une séance dure entre 5 minutes et 12 heures, par exemple « 2h ».")
    return minutes


def format_duration(minutes: int | None) -> str:
    if not minutes:
        return ""
    h, m = divmod(minutes, 60)
    if not h:
        return f"{m} min"
    return f"{h} h {m:02d}" if m else f"{h} h"
