"""From loosely typed values (a CSV row, a dialog) to a clean `Place`, or the precise reasons it cannot be one.

A missing required field rejects the row; a bad optional value is dropped with a warning, so a typo in
a phone number does not lose a whole place. Messages are French: they are shown to the person importing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.core.text import fold
from bot.directory.hours import is_valid as hours_valid
from bot.directory.schema import (
    INSEE_PATTERN,
    LABEL_SPELLINGS,
    LIST_FIELDS,
    PHONE_PATTERN,
    PHONE_PREFIX,
    PIVOT_PATTERN,
    PLACEHOLDER_PIVOT,
    POSTAL_PATTERN,
    TYPOLOGIE_SPELLINGS,
    VOCABULARIES,
    Place,
    departement_of,
)

_FOLDED_VOCAB = {name: {fold(v): v for v in values} for name, values in VOCABULARIES.items()}
_FOLDED_VOCAB["formations_labels"].update({fold(k): v for k, v in LABEL_SPELLINGS.items()})
_FOLDED_VOCAB["typologie"].update({fold(k): v for k, v in TYPOLOGIE_SPELLINGS.items()})
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Problem:
    field: str
    reason: str


@dataclass
class Checked:
    place: Place | None
    rejected: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def split_multi(value: Any, separators: str = "|") -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        items: Iterable[Any] = value
    else:
        items = re.split("[" + re.escape(separators) + "]", str(value))
    return [s for s in (str(i).strip() for i in items) if s]


def normalize_phone(value: str, departement: str) -> str | None:
    """Any usual spelling ("04 50 56 87 49", "0590…", "+33 4…") to the standard's "+33450568749"."""
    raw = value.strip()
    digits = re.sub(r"\D", "", raw)
    if raw.startswith("+"):
        candidate = "+" + digits
    elif digits.startswith("00"):
        candidate = "+" + digits[2:]
    elif len(digits) == 10 and digits.startswith("0"):
        candidate = PHONE_PREFIX.get(departement, "+33") + digits[1:]
    elif len(digits) == 9:
        candidate = PHONE_PREFIX.get(departement, "+33") + digits
    elif len(digits) == 11 and digits.startswith("33"):
        candidate = "+" + digits
    else:
        return None
    if candidate.startswith("+330"):
        candidate = "+33" + candidate[4:]
    return candidate if PHONE_PATTERN.match(candidate) else None


def display_phone(phone: str | None) -> str:
    """"+33450568749" -> "04 50 56 87 49": how French people read and dial a number."""
    if not phone:
        return ""
    for prefix in sorted({"+33", *PHONE_PREFIX.values()}, key=len, reverse=True):
        rest = phone[len(prefix):]
        if phone.startswith(prefix) and len(rest) == 9 and rest.isdigit():
            national = "0" + rest
            return " ".join(national[i:i + 2] for i in range(0, 10, 2))
    return phone


def _parse_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
        if m:
            try:
                return date(int(m[3]), int(m[2]), int(m[1]))
            except ValueError:
                return None
        return None


def _coordinate(value: Any, low: float, high: float) -> float | None | str:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(str(value).replace(",", ".").strip())
    except ValueError:
        return "invalid"
    return number if low <= number <= high else "invalid"


def check_place(values: dict[str, Any], *, source: str, extra: dict[str, Any] | None = None) -> Checked:
    """Validate v1-named values into a `Place`. `values` may hold strings or lists for multi-valued fields."""
    rejected: list[Problem] = []
    warnings: list[Problem] = []

    def required(name: str, label: str) -> str:
        text = _text(values.get(name))
        if not text:
            rejected.append(Problem(name, f"{label} manquant"))
            return ""
        return text

    local_id = required("id", "identifiant")
    nom = required("nom", "nom du lieu")
    commune = required("commune", "commune")
    adresse = required("adresse", "adresse")
    code_postal = _text(values.get("code_postal")) or ""
    if re.fullmatch(r"\d{4}", code_postal):
        code_postal = "0" + code_postal  # lost leading zero (spreadsheet), e.g. 1200 -> 01200
    if not code_postal:
        rejected.append(Problem("code_postal", "code postal manquant"))
    elif not POSTAL_PATTERN.match(code_postal):
        rejected.append(Problem("code_postal", f"code postal « {code_postal} » invalide (5 chiffres attendus)"))
    date_maj = _parse_date(values.get("date_maj"))
    if date_maj is None:
        shown = _text(values.get("date_maj"))
        rejected.append(Problem("date_maj", "date de mise à jour manquante" if not shown
                                else f"date de mise à jour « {shown} » invalide (attendu AAAA-MM-JJ)"))
    if rejected:
        return Checked(None, rejected, warnings)

    code_insee = _text(values.get("code_insee"))
    if code_insee and not INSEE_PATTERN.match(code_insee):
        warnings.append(Problem("code_insee", f"code INSEE « {code_insee} » invalide, ignoré"))
        code_insee = None
    departement = departement_of(code_postal, code_insee)

    pivot = _text(values.get("pivot")) or PLACEHOLDER_PIVOT
    if not PIVOT_PATTERN.match(pivot):
        warnings.append(Problem("pivot", f"SIRET/RNA « {pivot} » invalide, remplacé par {PLACEHOLDER_PIVOT}"))
        pivot = PLACEHOLDER_PIVOT

    lat = _coordinate(values.get("latitude"), -90, 90)
    lon = _coordinate(values.get("longitude"), -180, 180)
    if lat == "invalid" or lon == "invalid" or (lat is None) != (lon is None):
        warnings.append(Problem("latitude", "coordonnées invalides ou incomplètes, ignorées"))
        lat = lon = None

    telephone = _text(values.get("telephone"))
    if telephone:
        normalized = normalize_phone(telephone, departement)
        if normalized is None:
            warnings.append(Problem("telephone", f"téléphone « {telephone} » illisible, ignoré"))
        telephone = normalized

    horaires = _text(values.get("horaires"))
    if horaires and not hours_valid(horaires):
        warnings.append(Problem("horaires", f"horaires « {horaires} » hors format OpenStreetMap, ignorés"))
        horaires = None

    resume = _text(values.get("presentation_resume"))
    if resume and len(resume) > 280:
        warnings.append(Problem("presentation_resume", "résumé de plus de 280 caractères, tronqué"))
        resume = resume[:279].rstrip() + "…"

    lists: dict[str, Any] = {}  # list fields of Place, passed by name
    for name in LIST_FIELDS:
        items = split_multi(values.get(name))
        vocab = _FOLDED_VOCAB.get(name)
        if vocab is not None:
            known = []
            for item in items:
                official = vocab.get(fold(item))
                if official is None:
                    warnings.append(Problem(name, f"valeur « {item} » hors nomenclature, ignorée"))
                elif official not in known:
                    known.append(official)
            items = known
        lists[name] = items
    bad_mails = [m for m in lists["courriels"] if not _EMAIL.match(m)]
    for m in bad_mails:
        warnings.append(Problem("courriels", f"adresse « {m} » invalide, ignorée"))
    lists["courriels"] = [m for m in lists["courriels"] if m not in bad_mails]

    place = Place(
        local_id=local_id, nom=nom, commune=commune, code_postal=code_postal, adresse=adresse, date_maj=date_maj,
        source=source, pivot=pivot, code_insee=code_insee,
        complement_adresse=_text(values.get("complement_adresse")),
        latitude=lat if isinstance(lat, float) else None, longitude=lon if isinstance(lon, float) else None,
        telephone=telephone, horaires=horaires, presentation_resume=resume,
        presentation_detail=_text(values.get("presentation_detail")),
        data_source=_text(values.get("source")), structure_parente=_text(values.get("structure_parente")),
        fiche_acces_libre=_text(values.get("fiche_acces_libre")), prise_rdv=_text(values.get("prise_rdv")),
        extra=dict(extra or {}), **lists,
    )
    return Checked(place, rejected, warnings)
