"""The quick inline form: `45min individuel smartphone email domicile commune:Le Port note: …`.

Words come in any order and tolerate typos. What is ambiguous ("portable": phone or laptop?) or missing
(no duration) becomes a `Question` with choices: the handler asks, it never guesses silently.
The result is raw values for `validation.validate`, so both the form and the dialog obey the same rules.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.accompagnements import enums, everyday
from bot.accompagnements.validation import format_duration, parse_duration
from bot.accompagnements.vocabulary import MAX_WORDS, VOCABULARY, Term, lookup
from bot.core.text import fold

NOTE = re.compile(r"(?:^|\s)(?:notes?|remarques?|commentaires?|nb(?!\s*[:=]\s*\d+\b))\s*:\s*", re.IGNORECASE)
KEY = re.compile(r"^([a-zA-Zéèàç_\-]+)\s*[:=]\s*(.*)$")
DURATION_TOKEN = re.compile(r"^\d+(?:[.,]\d+)?(?:h|heures?|hr?s?)\d{0,2}(?:min|mn|m)?$|^\d+(?:min(?:utes?)?|mn|m)$")
UNIT_WORDS = {"min", "mn", "minutes", "minute", "h", "heure", "heures"}
PARTICIPANTS = re.compile(r"^(\d+)(?:p|pers|personnes?|participants?)$")
# key: → (field, takes free text that may contain spaces)
KEYS: dict[str, tuple[str, bool]] = {
    "commune": ("lieu_commune", True), "ville": ("lieu_commune", True), "a": ("lieu_commune", True),
    "cp": ("lieu_code_postal", False), "lieu": ("lieu_nom", True), "date": ("date", False),
    "le": ("date", False), "demarche": ("precisions_demarche", True), "titre": ("titre_atelier", True),
    "atelier": ("titre_atelier", True), "participants": ("participants_total", False),
    "nb": ("participants_total", False), "deja": ("participants_deja", False), "genre": ("genre", False),
    "age": ("tranche_age", False), "statut": ("statut", False), "autonomie": ("autonomie", False),
    "niveau": ("niveau", False), "orientation": ("structure_redirection", False),
    "oriente": ("structure_redirection", False), "residence": ("beneficiaire_commune", True),
    "vers": ("orientation_query", True), "oriente-vers": ("orientation_query", True),
    "femmes": ("count:genre:feminin", False), "hommes": ("count:genre:masculin", False),
}
SHORT_VALUES: dict[str, dict[str, str]] = {
    "genre": {"f": "feminin", "femme": "feminin", "h": "masculin", "homme": "masculin", "m": "masculin",
              "nc": enums.NON_COMMUNIQUE},
    "tranche_age": {"-12": "moins_de_douze", "12-17": "douze_dix_huit", "12-18": "douze_dix_huit",
                    "18-24": "dix_huit_vingt_quatre", "25-39": "vingt_cinq_trente_neuf",
                    "40-59": "quarante_cinquante_neuf", "60-69": "soixante_soixante_neuf",
                    "70+": "soixante_dix_plus", "70": "soixante_dix_plus", "nc": enums.NON_COMMUNIQUE},
    "statut": {"retraite": "retraite", "emploi": "en_emploi", "chomage": "sans_emploi",
               "sans": "sans_emploi", "etudiant": "scolarise", "eleve": "scolarise"},
    "structure_redirection": {"mairie": "administration", "prefecture": "administration",
                              "france-services": "aide_aux_demarches_administratives",
                              "fs": "aide_aux_demarches_administratives", "caf": "operateur_ou_organisme_en_charge",
                              "cpam": "operateur_ou_organisme_en_charge", "ccas": "aide_sociale",
                              "centre-social": "aide_sociale", "france-travail": "insertion_professionnelle",
                              "mission-locale": "insertion_professionnelle", "epn": "mediation_numerique"},
}
# Places named by what they are: the counsellor's place of activity (Coop "Lieu d'activité") or another place.
VENUES: dict[str, tuple[str, str]] = {
    "mediatheque": ("lieu_activite", "Médiathèque"), "bibliotheque": ("lieu_activite", "Bibliothèque"),
    "mairie": ("lieu_activite", "Mairie"), "france services": ("lieu_activite", "France Services"),
    "maison france services": ("lieu_activite", "France Services"), "epn": ("lieu_activite", "EPN"),
    "centre social": ("lieu_activite", "Centre social"), "ccas": ("lieu_activite", "CCAS"),
    "mjc": ("lieu_activite", "MJC"), "tiers lieu": ("lieu_activite", "Tiers-lieu"),
    "cyberbase": ("lieu_activite", "Cyber-base"), "cyber base": ("lieu_activite", "Cyber-base"),
    "bus numerique": ("lieu_activite", "Bus numérique"), "salle des fetes": ("autre", "Salle des fêtes"),
    "ehpad": ("autre", "EHPAD"), "residence seniors": ("autre", "Résidence seniors"),
}
VENUE_WORDS = max(len(k.split()) for k in VENUES)
# Words that carry nothing for the CRA once the rest is read ("dossier mdph", "demande hlm", "à domicile").
STOPWORDS = frozenset({"le", "la", "les", "l", "de", "du", "des", "d", "a", "au", "aux", "en", "et", "avec", "pour",
                       "sur", "un", "une", "dossier", "demande", "compte", "creation", "aide", "document",
                       "documents", "appli", "application", "site", "accompagnement", "+", "/", "-", "&",
                       "inscription", "rdv"})
PEOPLE_WORDS = {"femme": ("genre", "feminin"), "femmes": ("genre", "feminin"), "homme": ("genre", "masculin"),
                "hommes": ("genre", "masculin"), "retraite": ("statut", "retraite"),
                "retraitee": ("statut", "retraite"), "retraites": ("statut", "retraite"),
                "retraitees": ("statut", "retraite"), "etudiant": ("statut", "scolarise"),
                "etudiante": ("statut", "scolarise"), "salarie": ("statut", "en_emploi"),
                "salariee": ("statut", "en_emploi"), "demandeur d'emploi": ("statut", "sans_emploi")}
ANTS = "ants"  # both identity papers and vehicles: another word says which, or the counsellor is asked
KIND_FIELDS = {"type": "type", "lieu": "lieu_type", "autonomie": "autonomie", "niveau": "niveau"}
KIND_TABLES = {"type": enums.TYPES, "lieu": enums.LIEUX, "thematique": enums.THEMATIQUES,
               "materiel": enums.MATERIEL, "autonomie": enums.AUTONOMIE, "niveau": enums.NIVEAUX}
KIND_NAMES = {"type": "type", "lieu": "lieu", "thematique": "thématique", "materiel": "matériel",
              "autonomie": "autonomie", "niveau": "niveau"}


@dataclass
class Question:
    field: str
    prompt: str
    options: list[tuple[str, Any]]  # (button label, value for `field`)
    free_text: bool = False  # the answer may also be typed in the dialog (commune, thématique…)

    def payload(self) -> dict[str, Any]:
        """Plain data for a signed button, so the next questions survive the click."""
        return {"field": self.field, "prompt": self.prompt, "options": [list(o) for o in self.options],
                "free_text": self.free_text}

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> Question:
        return cls(data["field"], data["prompt"], [tuple(o) for o in data["options"]], data.get("free_text", False))


@dataclass
class Parsed:
    values: dict[str, Any] = field(default_factory=dict)
    questions: list[Question] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    corrected: dict[str, str] = field(default_factory=dict)  # typed word → understood label (typos)
    venues: list[str] = field(default_factory=list)  # place kinds named by a venue ("médiathèque")
    read_as: list[str] = field(default_factory=list)  # what was read without being typed, said in the reply
    problems: list[str] = field(default_factory=list)  # French messages: a date that does not exist…

    @property
    def complete(self) -> bool:
        return not self.questions and not self.unknown


def _key_value(key: str, value: str) -> tuple[str, Any] | None:
    entry = KEYS.get(fold(key).strip("-_"))
    if entry is None:
        return None
    name, _ = entry
    v = value.strip().strip('"')
    table = SHORT_VALUES.get(name, {})
    code = table.get(fold(v).replace(" ", "-"), fold(v).replace(" ", "_").replace("-", "_"))
    if name in ("genre", "tranche_age", "statut", "autonomie", "niveau", "structure_redirection"):
        if name in ("autonomie", "niveau"):
            terms, _ = lookup(v)
            hit = [t.code for t in terms if t.kind == name]
            code = hit[0] if len(hit) == 1 else code
        return name, code
    return name, v


def parse(text: str, today: date | None = None, *, prefer_departements: tuple[str, ...] = ()) -> Parsed:
    """Read a one-line entry. `prefer_departements`: where the network is, to pick among homonym communes."""
    today = today or date.today()
    out = Parsed()
    body, note = text, ""
    if m := NOTE.search(text):
        body, note = text[: m.start()], text[m.end():].strip()
    if note:
        out.values["notes"] = note
    said = everyday.read(body, today)
    _apply_everyday(out, said)
    tokens = re.findall(r'\S+\s*[:=]\s*"[^"]*"|"[^"]*"|\S+', said.rest)
    terms: dict[str, list[str]] = {k: [] for k in KIND_TABLES}
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        # key:value (the value may be the next token when written "commune: Le Port")
        if m := KEY.match(tok):
            key, value = m[1], m[2]
            entry = KEYS.get(fold(key).strip("-_"))
            if entry is not None:
                if not value and i + 1 < len(tokens):
                    i += 1
                    value = tokens[i]
                if entry[1]:  # free text: keep eating words that are not form words
                    while i + 1 < len(tokens) and not _is_form_word(tokens[i + 1]):
                        i += 1
                        value += " " + tokens[i]
                name, val = _key_value(key, value) or ("", "")
                if name.startswith("count:"):
                    _, group, code = name.split(":")
                    out.values.setdefault("participants_counts", {}).setdefault(group, {})[code] = val
                else:
                    out.values[name] = val
                i += 1
                continue
        low = fold(tok).strip(",;.")
        if not low:
            i += 1
            continue
        # durations the everyday reader left: "45min" glued to something, "1h30m"
        if DURATION_TOKEN.match(low):
            _set_duration(out, low, tok)
            i += 1
            continue
        if m := PARTICIPANTS.match(low):
            _set_count(out, int(m[1]))
            i += 1
            continue
        if re.fullmatch(r"\d{5}|2[ab]\d{3}", low):
            out.values["lieu_code_postal"] = low.upper()  # a postal code, never a duration
            i += 1
            continue
        if re.fullmatch(r"\d+", low):
            n = int(low)
            if n <= 12:
                out.questions.append(Question("duree", f"« {tok} » : {n} h ou {n} min ?",
                                              [(f"{n} h", f"{n}h"), (f"{n} min", f"{n}min")]))
            else:
                _set_duration(out, low + "min", tok)
            i += 1
            continue
        if (n := _oriented(out, tokens, i)) or (n := _venue(out, tokens, i)) or (n := _people(out, tokens, i)):
            i += n
            continue
        # vocabulary: longest run of words first (exact), then a commune, then the single word with typos
        matched = False
        for n in range(min(MAX_WORDS, len(tokens) - i), 0, -1):
            phrase = " ".join(tokens[i:i + n])
            hit, exact = lookup(phrase, typos=False)
            if hit:
                _add_terms(out, terms, phrase, hit, exact)
                i += n
                matched = True
                break
        if matched:
            continue
        if low == ANTS:
            terms.setdefault("_ants", []).append(tok)
            i += 1
            continue
        if n := _commune(out, tokens, i, prefer_departements):
            i += n
            continue
        hit, exact = lookup(low) if low not in STOPWORDS and len(low) > 3 else (set(), False)
        if hit:
            _add_terms(out, terms, tok, hit, exact)
        elif low not in STOPWORDS:
            out.unknown.append(tok)
        i += 1
    _resolve(out, terms)
    return out


def _apply_everyday(out: Parsed, said: everyday.Everyday) -> None:
    out.problems = list(said.problems)
    if said.date is not None:
        out.values["date"] = said.date
    for minutes in said.minutes:
        _set_duration(out, minutes, str(minutes))
    if said.count is not None:
        _set_count(out, said.count)


def _set_count(out: Parsed, n: int) -> None:
    previous = out.values.get("participants_total")
    if n < 0 or (previous is not None and previous != n):
        out.questions.append(Question("participants_total", "Deux nombres de participants différents : lequel ?",
                                      [(str(v), v) for v in dict.fromkeys([previous, n]) if v and v > 0]))
        return
    out.values["participants_total"] = n


def _oriented(out: Parsed, tokens: list[str], i: int) -> int:
    """"orienté cpam", "orientée vers la mairie": the category of structure the person was sent to."""
    if not re.fullmatch(r"orient(?:e|ee|es|ees|ation)", fold(tokens[i]).strip(",;.")):
        return 0
    j = i + 1
    while j < len(tokens) and fold(tokens[j]) in ("vers", "a", "au", "la", "le", "l'", "en"):
        j += 1
    table = SHORT_VALUES["structure_redirection"]
    for n in (2, 1):
        word = "-".join(fold(t).strip(",;.") for t in tokens[j:j + n])
        if len(tokens[j:j + n]) == n and word in table:
            out.values["structure_redirection"] = table[word]
            return j + n - i
    out.values["oriente"] = True
    return j - i


def _venue(out: Parsed, tokens: list[str], i: int) -> int:
    for n in range(min(VENUE_WORDS, len(tokens) - i), 0, -1):
        key = " ".join(fold(t).strip(",;.").replace("-", " ") for t in tokens[i:i + n])
        if key in VENUES:
            lieu, name = VENUES[key]
            out.venues.append(lieu)
            out.values.setdefault("lieu_nom", name)
            return n
    return 0


def _people(out: Parsed, tokens: list[str], i: int) -> int:
    """Anonymous categories: "femme", "retraité" (with its accent: "retraite" alone is the theme), "70+", "60-69"."""
    tok = tokens[i].strip(",;.")
    low = fold(tok)
    if low in PEOPLE_WORDS and (not low.startswith("retraite") or "é" in tok[7:].lower()):
        group, code = PEOPLE_WORDS[low]
        out.values[group] = code
        return 1
    if low in SHORT_VALUES["tranche_age"] and re.search(r"\d", low):
        out.values["tranche_age"] = SHORT_VALUES["tranche_age"][low]
        return 1
    return 0


def _commune(out: Parsed, tokens: list[str], i: int, prefer: tuple[str, ...]) -> int:
    """A commune of France by its name ("saint-pierre", "st pierre", "le port"), longest run of words first."""
    from bot.geo.communes import name_key, registry

    by_name = registry().by_name
    for n in range(min(5, len(tokens) - i), 0, -1):
        words = tokens[i:i + n]
        if fold(words[0]) in STOPWORDS - {"le", "la", "les"} or any(re.search(r"\d", w) for w in words):
            continue
        key = name_key(" ".join(words))
        if (n == 1 and len(key) < 3) or key in STOPWORDS:
            continue
        found = [c for c in by_name.get(key, []) if c.kind == "COM"]
        postal = next((t for t in tokens if re.fullmatch(r"\d{5}", t)), None)
        if found and postal:
            in_cp = [c for c in found if postal in c.postal_codes]
            if not in_cp:  # "bellegarde 01200": no Bellegarde there; the communes of 01200 are offered
                there = [c for c in registry().by_postal.get(postal, []) if c.kind in ("COM", "COMD")]
                prompt = f"« {' '.join(words)} » n’a pas le code postal {postal} : quelle commune ?"
                out.questions.append(Question("lieu_commune", prompt, [(c.name, c.name) for c in there[:6]],
                                              free_text=True))
                return n
            found = in_cp
        if found:
            chosen = next((c for c in found if c.departement in prefer), found[0])
            if "lieu_commune" in out.values and out.values["lieu_commune"] != chosen.name:
                out.questions.append(Question("lieu_commune", "Deux communes : laquelle ?",
                                              [(out.values["lieu_commune"], out.values["lieu_commune"]),
                                               (chosen.name, chosen.name)]))
            out.values["lieu_commune"] = chosen.name
            return n
    return 0


def _is_form_word(token: str) -> bool:
    low = fold(token).strip(",;.")
    if KEY.match(token) and KEYS.get(fold(KEY.match(token)[1]).strip("-_")):  # type: ignore[index]
        return True
    return bool(DURATION_TOKEN.match(low) or PARTICIPANTS.match(low) or low in VOCABULARY)


def _set_duration(out: Parsed, text: str | int, typed: str) -> None:
    try:
        minutes = parse_duration(text)
    except ValueError as exc:
        out.questions.append(Question("duree", f"Durée : {exc}.", _duration_options()))
        return
    previous = out.values.get("duree")
    if previous is not None and previous != minutes:
        out.questions.append(Question("duree", f"Deux durées : {format_duration(previous)} ou "
                                               f"{format_duration(minutes)} ?",
                                      [(format_duration(previous), previous), (format_duration(minutes), minutes)]))
    out.values["duree"] = minutes


def _duration_options() -> list[tuple[str, Any]]:
    return [(format_duration(m), m) for m in enums.DURATION_PRESETS]


def _add_terms(out: Parsed, terms: dict[str, list[str]], typed: str, hit: set[Term], exact: bool) -> None:
    if len(hit) == 1:
        term = next(iter(hit))
        terms[term.kind].append(term.code)
        if not exact:
            out.corrected[typed] = KIND_TABLES[term.kind][term.code]
        return
    options = sorted(hit, key=lambda t: (t.kind, t.code))
    kinds = {t.kind for t in options}
    field_name = "ambiguous:" + typed
    prompt = f"« {typed} » : vous voulez dire…"
    if len(kinds) == 1 and next(iter(kinds)) in ("thematique", "materiel"):
        prompt = f"« {typed} » : quel(le) {KIND_NAMES[next(iter(kinds))]} ?"
    out.questions.append(Question(field_name, prompt, [
        (f"{KIND_TABLES[t.kind][t.code]} ({KIND_NAMES[t.kind]})", f"{t.kind}:{t.code}") for t in options
    ]))


def _resolve(out: Parsed, terms: dict[str, list[str]]) -> None:
    # A venue ("médiathèque") names the kind of place unless a place word says otherwise ("à domicile").
    if out.venues and not terms["lieu"]:
        terms["lieu"] = list(dict.fromkeys(out.venues))
    for kind, name in KIND_FIELDS.items():
        codes = list(dict.fromkeys(terms[kind]))
        if len(codes) > 1:
            out.questions.append(Question(name, f"Plusieurs {KIND_NAMES[kind]}s : lequel ?",
                                          [(KIND_TABLES[kind][c], c) for c in codes]))
        elif codes:
            out.values.setdefault(name, codes[0])
    if terms["thematique"]:
        out.values["thematiques"] = list(dict.fromkeys(out.values.get("thematiques", []) + terms["thematique"]))
    if terms["materiel"]:
        out.values["materiel"] = list(dict.fromkeys(out.values.get("materiel", []) + terms["materiel"]))
    thematiques = out.values.get("thematiques", [])
    if terms.get("_ants") and not any(t in ("papiers_elections_citoyennete", "transports_mobilite")
                                      for t in thematiques):
        out.questions.append(Question("ambiguous:ants", "ANTS : pour quels papiers ?", [
            ("Papiers d’identité (passeport, carte d’identité)", "thematique:papiers_elections_citoyennete"),
            ("Véhicule (carte grise, permis)", "thematique:transports_mobilite")]))
    # A device as the only subject ("45min smartphone") is the Coop's "Prendre en main du matériel" (the theme
    # "smartphone" of the first CRA); with another theme it is only the device used.
    if not thematiques and out.values.get("materiel") and "aucun" not in out.values["materiel"]:
        thematiques = ["prendre_en_main_du_materiel"]
        out.values["thematiques"] = thematiques
        out.read_as.append("thématique « Prendre en main du matériel » (un appareil, sans autre sujet)")
    # Administrative sub-themes imply the "démarches" theme they belong to (the Coop requires it).
    if any(t in enums.THEMATIQUES_ADMINISTRATIVES for t in thematiques) and enums.DEMARCHES not in thematiques:
        out.values["thematiques"] = [enums.DEMARCHES, *thematiques]
    if "type" not in out.values and not terms["type"]:
        # A head count is a workshop; an entry with neither a workshop word nor a count is one person, the
        # command's own name (an "accompagnement"), and the reply says it read it so.
        out.values["type"] = "collectif" if "participants_total" in out.values else "individuel"
        if "participants_total" not in out.values:
            out.read_as.append("accompagnement individuel (ni « atelier » ni nombre de participants)")


# Overseas networks: their time zone says which département a homonym commune is in ("Saint-Pierre").
TIMEZONE_DEPARTEMENTS = {"Indian/Reunion": ("974",), "America/Guadeloupe": ("971",),
                         "America/Martinique": ("972",), "America/Cayenne": ("973",), "Indian/Mayotte": ("976",)}


COMMON_THEMES = ("email", "aide_aux_demarches_administratives", "sante", "prendre_en_main_du_materiel",
                 "navigation_sur_internet", "reseaux_sociaux", "securite_numerique", "banque_et_achats_en_ligne")


def missing_questions(values: dict[str, Any], recent_communes: Sequence[str],
                      recent_themes: Sequence[str] = ()) -> list[Question]:
    """Required items still absent, each as a question with one-click answers (never a question without)."""
    qs: list[Question] = []
    if not values.get("type"):
        qs.append(Question("type", "Accompagnement individuel ou atelier collectif ?",
                           [(label, code) for code, label in enums.TYPES.items()]))
    if not values.get("duree"):
        qs.append(Question("duree", "Combien de temps ?", _duration_options(), free_text=True))
    if not values.get("lieu_type"):
        qs.append(Question("lieu_type", "Où ?", [(label, code) for code, label in enums.LIEUX.items()]))
    elif values["lieu_type"] in enums.LIEUX_WITH_COMMUNE and not values.get("lieu_commune"):
        qs.append(Question("lieu_commune", f"{enums.LIEUX[values['lieu_type']]} : dans quelle commune ?",
                           [(c, c) for c in recent_communes], free_text=True))
    if not values.get("thematiques"):
        themes = list(dict.fromkeys([*recent_themes, *COMMON_THEMES]))[:7]
        qs.append(Question("thematiques", "Quelle thématique ?",
                           [(enums.THEMATIQUES[t], [t]) for t in themes], free_text=True))
    if values.get("type") == "collectif" and not values.get("participants_total"):
        qs.append(Question("participants_total", "Combien de participants ? (par exemple `6p` dans la commande)",
                           [(str(n), n) for n in (3, 4, 5, 6, 8, 10)], free_text=True))
    return qs


def apply_answer(values: dict[str, Any], field_name: str, answer: Any) -> dict[str, Any]:
    """Merge a clicked answer into the pending values."""
    values = dict(values)
    if field_name.startswith("ambiguous:"):
        kind, code = str(answer).split(":", 1)
        if kind in ("thematique", "materiel"):
            key = "thematiques" if kind == "thematique" else "materiel"
            values[key] = list(dict.fromkeys([*values.get(key, []), code]))
            if code in enums.THEMATIQUES_ADMINISTRATIVES and enums.DEMARCHES not in values[key]:
                values[key] = [enums.DEMARCHES, *values[key]]
        else:
            values[KIND_FIELDS[kind]] = code
        values.setdefault("_answered", []).append(field_name)
        return values
    values[field_name] = answer
    values.setdefault("_answered", []).append(field_name)
    return values
