"""Check one accompaniment against the Coop's CRA rules; every problem gets a French message per field.

Input comes from the dialog, the inline form or a button, so values may be strings, numbers or lists.
Nothing is saved unless `validate` returns no error (the caller writes in one transaction).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from bot.accompagnements import enums
from bot.accompagnements.anonymity import personal_data_message
from bot.accompagnements.periods import PeriodError, parse_date
from bot.core.errors import InvalidFields

MAX_NOTES = 2000
MAX_TEXT = 200
# Names of places and communes may be people's names ("Centre social Marcel Pagnol", "Albert"): no name check there.
PUBLIC_NAME_FIELDS = frozenset({"lieu_nom", "lieu_commune", "beneficiaire_commune"})
MAX_PARTICIPANTS = 500

FIELD_LABELS = {
    "type": "Type", "date": "Date", "duree": "Durée", "lieu_type": "Lieu", "lieu_nom": "Nom du lieu",
    "lieu_commune": "Commune du lieu", "lieu_code_postal": "Code postal du lieu", "thematiques": "Thématiques",
    "precisions_demarche": "Nom de la démarche", "materiel": "Matériel", "notes": "Notes",
    "autonomie": "Autonomie", "oriente": "Orientation", "structure_redirection": "Structure de redirection",
    "orientation_place": "Lieu d’orientation", "genre": "Genre", "tranche_age": "Tranche d’âge",
    "statut": "Statut", "deja_accompagne": "Déjà accompagné", "beneficiaire_commune": "Commune de résidence",
    "beneficiaire_code_postal": "Code postal de résidence", "titre_atelier": "Titre de l’atelier",
    "niveau": "Niveau", "participants_total": "Nombre de participants",
    "participants_deja": "Participants déjà accompagnés", "participants_counts": "Répartition des participants",
}
INDIVIDUAL_ONLY = ("autonomie", "oriente", "structure_redirection", "orientation_place", "genre", "tranche_age",
                   "statut", "deja_accompagne", "beneficiaire_commune", "beneficiaire_code_postal")
COLLECTIVE_ONLY = ("titre_atelier", "niveau", "participants_total", "participants_deja", "participants_counts")


@dataclass
class AccompanimentData:
    """A validated accompaniment: the column values of `Accompaniment` (minus ids and audit)."""

    type: str
    date: date
    duration_min: int
    lieu_type: str
    thematiques: list[str]
    materiel: list[str] = field(default_factory=list)
    lieu_nom: str | None = None
    lieu_commune: str | None = None
    lieu_code_postal: str | None = None
    precisions_demarche: str | None = None
    notes: str | None = None
    autonomie: str | None = None
    oriente: bool | None = None
    structure_redirection: str | None = None
    orientation_source: str | None = None
    orientation_place_id: str | None = None
    orientation_place_name: str | None = None
    genre: str | None = None
    tranche_age: str | None = None
    statut: str | None = None
    deja_accompagne: bool | None = None
    beneficiaire_commune: str | None = None
    beneficiaire_code_postal: str | None = None
    titre_atelier: str | None = None
    niveau: str | None = None
    participants_total: int = 1
    participants_deja: int = 0
    participants_counts: dict[str, dict[str, int]] | None = None

    def columns(self) -> dict[str, Any]:
        return asdict(self)


class ValidationError(InvalidFields):
    """One French message per wrong field (validation's field names: the dialog maps them to its elements)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors, message="; ".join(errors.values()))


_DURATION = re.compile(
    r"^(?:(?P<h>\d+(?:[.,]\d+)?)\s*(?:h|heures?|hr?s?)\s*(?P<hm>\d{1,2})?\s*(?:min|mn|m)?"
    r"|(?P<m>\d+)\s*(?:min(?:utes?)?|mn|m)?)$"
)


def parse_duration(value: Any) -> int:
    """Minutes from 45, "45", "45min", "1h30", "1 h 30", "1,5h"; ValueError with a French message otherwise."""
    if isinstance(value, bool):
        raise ValueError("la durée doit être un nombre de minutes, par exemple 45 ou 1h30")
    if isinstance(value, int):
        minutes = value
    elif isinstance(value, float) and value.is_integer():
        minutes = int(value)
    else:
        text = str(value).strip().lower().replace(" ", "")
        m = _DURATION.match(text)
        if not text or not m:
            raise ValueError(f"« {value} » n’est pas une durée ; écrivez par exemple 45min, 1h ou 1h30")
        if m["h"] is not None:
            hours = float(m["h"].replace(",", "."))
            extra = int(m["hm"] or 0)
            if extra >= 60:
                raise ValueError(f"« {value} » : les minutes après « h » vont de 0 à 59 (par exemple 1h30)")
            minutes = round(hours * 60) + extra
        else:
            minutes = int(m["m"])
    if not 1 <= minutes <= enums.MAX_DURATION:
        raise ValueError(f"la durée doit être entre 1 minute et 24 h (reçu : {minutes} min)")
    return minutes


def format_duration(minutes: int) -> str:
    h, m = divmod(minutes, 60)
    if not h:
        return f"{m} min"
    return f"{h} h" if not m else f"{h} h {m:02d}"


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def _as_list(value: Any) -> list[str]:
    if _empty(value):
        return []
    if isinstance(value, str):
        return [v.strip() for v in re.split(r"[,;|\n]", value) if v.strip()]
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value]
    raise TypeError


def _as_int(value: Any) -> int:
    if isinstance(value, bool):
        raise TypeError
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*\d+\s*", value):
        return int(value)
    raise TypeError


def _as_bool(value: Any) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("oui", "true", "1", "o", "yes", "vrai"):
        return True
    if text in ("non", "false", "0", "n", "no", "faux"):
        return False
    raise TypeError


def _choices(table: dict[str, str]) -> str:
    return ", ".join(f"`{code}`" for code in table)


def validate(raw: Mapping[str, Any], *, today: date) -> AccompanimentData:
    """Return the validated accompaniment or raise ValidationError with one French message per bad field."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}

    def err(name: str, message: str) -> None:
        errors.setdefault(name, f"{FIELD_LABELS.get(name, name)} : {message}")

    def enum_field(name: str, table: dict[str, str], *, required: bool = False, what: str = "") -> str | None:
        value = raw.get(name)
        if _empty(value):
            if required:
                err(name, f"obligatoire. Choix possibles : {_choices(table)}.")
            return None
        if not isinstance(value, str) or value.strip() not in table:
            err(name, f"« {value} » n’existe pas{what}. Choix possibles : {_choices(table)}.")
            return None
        return value.strip()

    def text_field(name: str, limit: int = MAX_TEXT) -> str | None:
        value = raw.get(name)
        if _empty(value):
            return None
        if not isinstance(value, str):
            err(name, "doit être du texte.")
            return None
        value = value.strip()
        if len(value) > limit:
            err(name, f"trop long ({len(value)} caractères, maximum {limit}).")
            return None
        if message := personal_data_message(FIELD_LABELS.get(name, name), value, today=today,
                                            names=name not in PUBLIC_NAME_FIELDS):
            errors.setdefault(name, message)
            return None
        return value

    def postal_code(name: str) -> str | None:
        value = raw.get(name)
        if _empty(value):
            return None
        value = str(value).strip()
        if not re.fullmatch(r"\d{5}|2[ab]\d{3}", value, re.IGNORECASE):
            err(name, f"« {value} » n’est pas un code postal (5 chiffres, par exemple 97410).")
            return None
        return value

    # -- common fields -------------------------------------------------------------------------
    kind = enum_field("type", enums.TYPES, required=True)
    out["type"] = kind
    raw_date = raw.get("date")
    if _empty(raw_date):
        out["date"] = today
    elif isinstance(raw_date, date):
        out["date"] = raw_date
    elif isinstance(raw_date, str):
        try:
            out["date"] = parse_date(raw_date, today)
        except PeriodError as exc:
            err("date", str(exc))
    else:
        err("date", "écrivez une date comme 15/10/2026.")
    if isinstance(out.get("date"), date):
        if out["date"] > today:
            err("date", f"le {out['date']:%d/%m/%Y} est dans le futur ; on ne saisit que ce qui a eu lieu.")
        elif out["date"].year < 2000:
            err("date", f"le {out['date']:%d/%m/%Y} est trop ancien ; vérifiez l’année.")

    if _empty(raw.get("duree")):
        err("duree", "obligatoire (par exemple 45min, 1h ou 1h30).")
    else:
        try:
            out["duration_min"] = parse_duration(raw.get("duree"))
        except ValueError as exc:
            err("duree", str(exc) + ".")

    lieu = enum_field("lieu_type", enums.LIEUX, required=True)
    out["lieu_type"] = lieu
    out["lieu_nom"] = text_field("lieu_nom")
    out["lieu_commune"] = text_field("lieu_commune", 120)
    out["lieu_code_postal"] = postal_code("lieu_code_postal")
    if lieu in enums.LIEUX_WITH_COMMUNE and not out["lieu_commune"] and "lieu_commune" not in errors:
        err("lieu_commune", f"obligatoire pour « {enums.LIEUX[lieu]} » : indiquez la commune (par exemple Le Port).")

    try:
        thematiques = list(dict.fromkeys(_as_list(raw.get("thematiques"))))
    except TypeError:
        thematiques = []
        err("thematiques", "doit être une liste de thématiques.")
    unknown = [t for t in thematiques if t not in enums.THEMATIQUES]
    if unknown:
        which = "inconnues" if len(unknown) > 1 else "inconnue"
        err("thematiques", f"« {', '.join(unknown)} » {which}. Choix possibles : {_choices(enums.THEMATIQUES)}.")
    elif not thematiques and "thematiques" not in errors:
        err("thematiques", "choisissez au moins une thématique (par exemple email, sante, demarches).")
    admin = [t for t in thematiques if t in enums.THEMATIQUES_ADMINISTRATIVES]
    if admin and enums.DEMARCHES not in thematiques:
        err("thematiques", f"« {', '.join(enums.THEMATIQUES[t] for t in admin)} » ne se choisit qu’avec "
                           "« Aide aux démarches administratives » ; ajoutez-la.")
    out["thematiques"] = thematiques
    out["precisions_demarche"] = text_field("precisions_demarche")
    if out["precisions_demarche"] and enums.DEMARCHES not in thematiques:
        err("precisions_demarche", "se remplit seulement avec la thématique « Aide aux démarches administratives ».")

    try:
        materiel = list(dict.fromkeys(_as_list(raw.get("materiel"))))
    except TypeError:
        materiel = []
        err("materiel", "doit être une liste.")
    if bad := [m for m in materiel if m not in enums.MATERIEL]:
        err("materiel", f"« {', '.join(bad)} » inconnu. Choix possibles : {_choices(enums.MATERIEL)}.")
    elif "aucun" in materiel and len(materiel) > 1:
        err("materiel", "« Pas de matériel » ne peut pas aller avec un autre matériel.")
    out["materiel"] = materiel
    out["notes"] = text_field("notes", MAX_NOTES)

    # -- type-specific ---------------------------------------------------------------------------
    if kind == "individuel":
        given = [n for n in COLLECTIVE_ONLY if not _empty(raw.get(n))]
        for name in given:
            err(name, "concerne seulement un atelier collectif.")
        _individual(raw, out, err, enum_field, text_field, postal_code)
    elif kind == "collectif":
        for name in INDIVIDUAL_ONLY:
            if not _empty(raw.get(name)) and raw.get(name) is not False:
                err(name, "concerne seulement un accompagnement individuel.")
        _collective(raw, out, err, enum_field, text_field)

    if errors:
        raise ValidationError(errors)
    return AccompanimentData(**{k: v for k, v in out.items() if k in AccompanimentData.__dataclass_fields__})


def _individual(raw: Mapping[str, Any], out: dict[str, Any], err: Any, enum_field: Any, text_field: Any,
                postal_code: Any) -> None:
    out["autonomie"] = enum_field("autonomie", enums.AUTONOMIE)
    out["structure_redirection"] = enum_field("structure_redirection", enums.STRUCTURES_REDIRECTION)
    place = raw.get("orientation_place")
    if not _empty(place):
        if not (isinstance(place, Mapping) and all(isinstance(place.get(k), str) and place.get(k)
                                                   for k in ("source", "id", "name"))):
            err("orientation_place", "lieu de l’annuaire invalide ; choisissez-le à nouveau avec la recherche.")
        else:
            out["orientation_source"] = place["source"][:64]
            out["orientation_place_id"] = place["id"][:128]
            out["orientation_place_name"] = place["name"][:200]
    try:
        oriente = _as_bool(raw.get("oriente"))
    except TypeError:
        err("oriente", "répondez oui ou non.")
        oriente = None
    sent = bool(out.get("structure_redirection") or out.get("orientation_place_id"))
    if oriente is False and sent:
        err("oriente", "vous avez indiqué une structure de redirection : la personne est donc orientée.")
    out["oriente"] = True if sent else oriente
    for name, table in (("genre", enums.GENRES), ("tranche_age", enums.TRANCHES_AGE), ("statut", enums.STATUTS)):
        value = enum_field(name, table)
        out[name] = None if value == enums.NON_COMMUNIQUE else value
    try:
        out["deja_accompagne"] = _as_bool(raw.get("deja_accompagne"))
    except TypeError:
        err("deja_accompagne", "répondez oui ou non.")
    out["beneficiaire_commune"] = text_field("beneficiaire_commune", 120)
    out["beneficiaire_code_postal"] = postal_code("beneficiaire_code_postal")
    out["participants_total"] = 1
    out["participants_deja"] = 1 if out.get("deja_accompagne") else 0
    out["participants_counts"] = None


def _collective(raw: Mapping[str, Any], out: dict[str, Any], err: Any, enum_field: Any, text_field: Any) -> None:
    out["titre_atelier"] = text_field("titre_atelier")
    out["niveau"] = enum_field("niveau", enums.NIVEAUX)
    total = None
    if _empty(raw.get("participants_total")):
        err("participants_total", "obligatoire pour un atelier (au moins 1).")
    else:
        try:
            total = _as_int(raw.get("participants_total"))
            if not 1 <= total <= MAX_PARTICIPANTS:
                err("participants_total", f"doit être entre 1 et {MAX_PARTICIPANTS} (reçu : {total}).")
                total = None
        except TypeError:
            err("participants_total", f"« {raw.get('participants_total')} » n’est pas un nombre entier.")
    out["participants_total"] = total or 1
    deja = 0
    if not _empty(raw.get("participants_deja")):
        try:
            deja = _as_int(raw.get("participants_deja"))
            if deja < 0:
                raise TypeError
            if total is not None and deja > total:
                err("participants_deja", f"{deja} déjà accompagnés, c’est plus que les {total} participants.")
        except TypeError:
            err("participants_deja", f"« {raw.get('participants_deja')} » n’est pas un nombre entier positif.")
            deja = 0
    out["participants_deja"] = deja
    counts_in = raw.get("participants_counts") or {}
    counts: dict[str, dict[str, int]] = {}
    if not isinstance(counts_in, Mapping):
        err("participants_counts", "répartition illisible.")
        counts_in = {}
    for group, values in counts_in.items():
        table = enums.PUBLIC_ENUMS.get(group)
        title = enums.PUBLIC_TITLES.get(group, group)
        if table is None or not isinstance(values, Mapping):
            err("participants_counts", f"« {group} » n’est pas une répartition connue (genre, tranche_age, statut).")
            continue
        clean: dict[str, int] = {}
        for code, n in values.items():
            if code not in table:
                err("participants_counts", f"{title} : « {code} » inconnu. Choix possibles : {_choices(table)}.")
                continue
            try:
                value = _as_int(n)
                if value < 0:
                    raise TypeError
            except TypeError:
                err("participants_counts", f"{title} : « {n} » n’est pas un nombre entier positif.")
                continue
            if value and code != enums.NON_COMMUNIQUE:
                clean[code] = clean.get(code, 0) + value
        if total is not None and sum(clean.values()) > total:
            err("participants_counts", f"{title} : {sum(clean.values())} personnes réparties, c’est plus que les "
                                       f"{total} participants. Corrigez les nombres.")
        if clean:
            counts[group] = clean
    out["participants_counts"] = counts or None
