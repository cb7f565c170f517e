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
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from sqlalchemy import Text, cast, func

from bot.accompagnements import enums
from bot.accompagnements.models import Accompaniment
from bot.accompagnements.places import PlaceCodes
from bot.accompagnements.profile import Profile
from bot.db.base import UTCDateTime

PlaceFinder = Callable[[str | None, str | None, str | None], PlaceCodes]

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


# What the export reads, in the order `_lines` unpacks it. JSON columns come as text: few distinct values,
# each decoded once (cached), where decoding every row was a large part of the time.
COLUMNS = (
    Accompaniment.id, Accompaniment.date, Accompaniment.created_at,
    func.nullif(Accompaniment.updated_at, Accompaniment.created_at, type_=UTCDateTime()),  # NULL: never edited
    Accompaniment.user_name, Accompaniment.type, Accompaniment.participants_total,
    cast(Accompaniment.participants_counts, Text), Accompaniment.lieu_type, Accompaniment.lieu_nom,
    Accompaniment.lieu_commune, Accompaniment.lieu_code_postal, Accompaniment.duration_min,
    Accompaniment.titre_atelier, cast(Accompaniment.materiel, Text), cast(Accompaniment.thematiques, Text),
    Accompaniment.precisions_demarche, Accompaniment.autonomie, Accompaniment.niveau, Accompaniment.oriente,
    Accompaniment.structure_redirection, Accompaniment.beneficiaire_commune,
    Accompaniment.beneficiaire_code_postal, Accompaniment.genre, Accompaniment.tranche_age,
    Accompaniment.statut, Accompaniment.notes, Accompaniment.user_id,
)
AUTONOMIE_LEVELS = {c: f"{n}/3" for c, n in enums.AUTONOMIE_STARS.items()}
NIVEAU_LEVELS = {c: f"{n}/3" for c, n in enums.NIVEAU_STARS.items()}
ORIENTE = {None: "", True: "Oui", False: "Non"}


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(text: str | None) -> str:
    """A cell typed by a user, made inert for spreadsheets (OWASP, CSV injection): text starting with
    `= + - @`, a tab or a carriage return gets a leading apostrophe, so "=HYPERLINK(…)" shows as text."""
    if not text:
        return ""
    return "'" + text if text.startswith(FORMULA_START) else text


def _spread(total: int, counts: dict[str, int] | None, table: dict[str, str]) -> list[str]:
    codes: list[str] = []
    for code in table:
        if code != enums.NON_COMMUNIQUE:
            codes += [code] * int((counts or {}).get(code, 0))
    codes = codes[:total]
    return codes + [enums.NON_COMMUNIQUE] * (total - len(codes))


@lru_cache(maxsize=4096)
def _publics(total: int, raw: str | None) -> tuple[tuple[str, str, str], ...]:
    """A workshop's (genre, âge, statut) labels per participant (cached: few distinct breakdowns)."""
    counts = json.loads(raw) if raw else None
    counts = counts if isinstance(counts, dict) else {}
    spread = [_spread(total, counts.get(group), table) for group, table in enums.PUBLIC_ENUMS.items()]
    return tuple((enums.GENRES[g], enums.TRANCHES_AGE[a], enums.STATUTS[s]) for g, a, s in zip(*spread, strict=True))


@lru_cache(maxsize=16384)
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


def no_place(nom: str | None, commune: str | None, code_postal: str | None) -> PlaceCodes:
    return PlaceCodes()


def export_lines(items: Iterable[Sequence[Any]], tz: ZoneInfo, *, self_export: bool,
                 text: Callable[[str | None], str] = cell, day: Callable[[date], Any] = _day,
                 places: PlaceFinder = no_place,
                 profiles: Mapping[str, Profile] | None = None) -> Iterator[list[tuple[Any, ...]]]:
    """The rows of each accompaniment. `items`: rows of `COLUMNS` (see `service.in_period`).

    `text` makes typed text safe for the format (CSV: neutralised; a typed .xlsx cell is inert as it is), `day`
    writes the date (CSV: dd/mm/yyyy; .xlsx: the date itself), `places` completes address and codes from the
    directory, `profiles` gives each counsellor's role and Conum ID.
    Tuples built from per-accompaniment parts, labels looked up in dicts and caches: a year's export
    is ~180,000 rows, so everything per row is kept to a minimum."""
    nc = enums.NON_COMMUNIQUE
    profiles = profiles or {}
    for (ident, when, created, updated, user_name, kind, total, counts, lieu, lieu_nom, commune, code_postal,
         minutes, titre, materiel, thematiques, demarche, autonomie, niveau, oriente, redirection,
         b_commune, b_code_postal, genre, age, statut, notes, user_id) in items:
        start = (day(when), _stamp(created, tz), _stamp(updated, tz) if updated else "")
        level = AUTONOMIE_LEVELS[autonomie] if autonomie else NIVEAU_LEVELS[niveau] if niveau else ""
        where = places(lieu_nom, commune, code_postal)
        common = (
            enums.LIEUX[lieu], text(lieu_nom), text(where.adresse), text(commune), code_postal or where.code_postal,
            where.code_insee, minutes, text(titre), _labels(materiel, "materiel"), _labels(thematiques, "thematiques"),
            "", text(demarche), level, ORIENTE[oriente], enums.STRUCTURES_REDIRECTION.get(redirection or "", ""),
            text(b_commune), b_code_postal or "", "",
        )
        label = enums.TYPES[kind]
        before: tuple[Any, ...]
        after: tuple[Any, ...]
        first: tuple[Any, ...]
        others: tuple[Any, ...]
        if self_export:
            before, after = (*start, label), (ANONYMOUS, *common)
            first, others = (text(notes), ident), ("", ident)  # the notes once per entry
        else:
            who = profiles.get(user_id) or Profile()
            before, after = (*start, "", text(user_name), who.coop_role, who.conum or "", label), common
            first = others = (ident,)
        if kind == "collectif":
            people = _publics(total, counts)
        else:
            people = ((enums.GENRES[genre or nc], enums.TRANCHES_AGE[age or nc], enums.STATUTS[statut or nc]),)
        if len(people) == 1:
            yield [(*before, 1, *after, *people[0], *first)]
        else:
            yield [(*before, f"{i + 1}/{len(people)}", *after, *p, *(others if i else first))
                   for i, p in enumerate(people)]


def write_csv(out: TextIO, items: Iterable[Sequence[Any]], tz: ZoneInfo, *, self_export: bool,
              places: PlaceFinder = no_place, profiles: Mapping[str, Profile] | None = None) -> int:
    """Write header + rows to a text stream; returns the number of data rows."""
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header(self_export=self_export))
    n = 0
    for lines in export_lines(items, tz, self_export=self_export, places=places, profiles=profiles):
        writer.writerows(lines)
        n += len(lines)
    return n


def csv_bytes(items: Iterable[Sequence[Any]], tz: ZoneInfo, *, self_export: bool, places: PlaceFinder = no_place,
              profiles: Mapping[str, Profile] | None = None) -> tuple[bytes, int]:
    buf = io.StringIO()
    n = write_csv(buf, items, tz, self_export=self_export, places=places, profiles=profiles)
    return ("\ufeff" + buf.getvalue()).encode("utf-8"), n
