"""CSV in the Coop's activities export layout (`buildAccompagnementsWorksheet.ts`): same columns, same values.

One row per *accompagnement* as the Coop counts them: one per individual entry, one per workshop
participant ("Participants" = "2/6"). Workshop publics are counts, so they are spread over the rows
(known categories first, then "Non communiqué"), as the Coop does for anonymous participants.
Semicolon-separated, UTF-8 with BOM: what French spreadsheet software opens correctly.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from functools import lru_cache
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from bot.sessions import enums

SELF_HEADER_START = ["Date", "Enregistré le", "Dernière modification le"]
MEDIATEUR_COLUMNS = ["Prénom du médiateur", "Nom du médiateur", "Rôle", "ID - Conum"]
COMMON_MIDDLE = [
    "Canaux d’accompagnement", "Nom du lieu", "Adresse", "Commune", "Code postal", "Code Insee", "Durée (min)",
    "Nom de l’atelier", "Matériel numérique utilisé", "Thématique(s) d’accompagnement", "Tags",
    "Nom de la démarche administrative", "Niveau d’autonomie (ou de l’atelier)", "Bénéficiaire réorienté",
    "Structure de redirection", "Commune du bénéficiaire", "Code postal du bénéficiaire",
    "Code Insee du bénéficiaire", "Genre du bénéficiaire", "Tranche d’âge du bénéficiaire", "Statut du bénéficiaire",
]
LINE_BREAK = "\n"  # the Coop's intra-cell separator for multi-valued cells
ANONYMOUS = "Bénéficiaire anonyme"


def header(*, self_export: bool) -> list[str]:
    """Self-export: the counsellor's own rows (with notes). Otherwise the coordinator layout (who, no notes)."""
    if self_export:
        return [*SELF_HEADER_START, "Type", "Participants", "Bénéficiaire", *COMMON_MIDDLE,
                "Notes supplémentaires", "ID CRA"]
    return [*SELF_HEADER_START, *MEDIATEUR_COLUMNS, "Type", "Participants", *COMMON_MIDDLE, "ID CRA"]


def _spread(total: int, counts: dict[str, int] | None, table: dict[str, str]) -> list[str]:
    codes: list[str] = []
    for code in table:
        if code != enums.NON_COMMUNIQUE:
            codes += [code] * int((counts or {}).get(code, 0))
    codes = codes[:total]
    return codes + [enums.NON_COMMUNIQUE] * (total - len(codes))


@lru_cache(maxsize=4096)
def _labels(raw: str | None, kind: str) -> str:
    """JSON text of codes → the Coop's labels, one per line (cached: few distinct combinations)."""
    table = enums.THEMATIQUES if kind == "thematiques" else enums.MATERIEL
    return LINE_BREAK.join(table[c] for c in json.loads(raw)) if raw else ""


@lru_cache(maxsize=1024)
def _day(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def _stamp(moment: datetime, tz: ZoneInfo) -> str:
    t = moment.astimezone(tz)
    return f"{t.day:02d}/{t.month:02d}/{t.year} à {t.hour:02d}:{t.minute:02d}"


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _text(value: Any) -> str | None:
    return value if value is None or isinstance(value, str) else json.dumps(value)


def rows(items: Iterable[Any], tz: ZoneInfo, *, self_export: bool) -> Iterator[list[object]]:
    """`items`: `service.in_period` rows (JSON as text) or `Accompaniment` objects (same attribute names)."""
    for a in items:
        start = [_day(a.date), _stamp(a.created_at, tz),
                 "" if a.updated_at == a.created_at else _stamp(a.updated_at, tz)]
        who = [] if self_export else ["", a.user_name, "Conseiller Numérique", ""]
        if a.autonomie:
            level = f"{enums.AUTONOMIE_STARS[a.autonomie]}/3"
        elif a.niveau:
            level = f"{enums.NIVEAU_STARS[a.niveau]}/3"
        else:
            level = ""
        common = [
            enums.LIEUX[a.lieu_type], a.lieu_nom or "", "", a.lieu_commune or "", a.lieu_code_postal or "", "",
            a.duration_min, a.titre_atelier or "",
            _labels(_text(a.materiel), "materiel"), _labels(_text(a.thematiques), "thematiques"), "",
            a.precisions_demarche or "", level,
            "" if a.oriente is None else ("Oui" if a.oriente else "Non"),
            enums.STRUCTURES_REDIRECTION.get(a.structure_redirection or "", ""),
        ]
        total = a.participants_total if a.type == "collectif" else 1
        if a.type == "collectif":
            counts = _json(a.participants_counts) or {}
            genres = _spread(total, counts.get("genre"), enums.GENRES)
            ages = _spread(total, counts.get("tranche_age"), enums.TRANCHES_AGE)
            statuts = _spread(total, counts.get("statut"), enums.STATUTS)
        else:
            genres = [a.genre or enums.NON_COMMUNIQUE]
            ages = [a.tranche_age or enums.NON_COMMUNIQUE]
            statuts = [a.statut or enums.NON_COMMUNIQUE]
        for i in range(total):
            beneficiary = [
                a.beneficiaire_commune or "", a.beneficiaire_code_postal or "", "",
                enums.GENRES[genres[i]], enums.TRANCHES_AGE[ages[i]], enums.STATUTS[statuts[i]],
            ]
            participants: object = 1 if total == 1 else f"{i + 1}/{total}"
            if self_export:
                notes = (a.notes or "") if i == 0 else ""
                yield [*start, enums.TYPES[a.type], participants, ANONYMOUS, *common, *beneficiary, notes, a.id]
            else:
                yield [*start, *who, enums.TYPES[a.type], participants, *common, *beneficiary, a.id]


def write_csv(out: TextIO, items: Iterable[Any], tz: ZoneInfo, *, self_export: bool) -> int:
    """Write header + rows to a text stream; returns the number of data rows."""
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header(self_export=self_export))
    n = 0
    for row in rows(items, tz, self_export=self_export):
        writer.writerow(row)
        n += 1
    return n


def csv_bytes(items: Iterable[Any], tz: ZoneInfo, *, self_export: bool) -> tuple[bytes, int]:
    buf = io.StringIO()
    n = write_csv(buf, items, tz, self_export=self_export)
    return ("\ufeff" + buf.getvalue()).encode("utf-8"), n
