"""`relais directory export`: the open places in the national layout (schéma v1.0.2), CSV or JSON.

What goes out is what a producer of the national file would publish: the standard's 32 columns in its order,
multi-values joined with `|`, the validation pattern's spellings (see `LABEL_SPELLINGS`), closed places left out.
The standard's `id` must be unique in a file: when two exported sources use the same local id, those ids are
written `source/id` (a single-source export keeps its ids, so it re-imports onto the same places).
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.directory.models import DirectoryPlace
from bot.directory.schema import V1_FIELDS, Place
from bot.directory.store import load_places

NUMBER_FIELDS = ("latitude", "longitude")


def export_rows(places: list[Place]) -> list[dict[str, str]]:
    """One v1 row per place, ids made unique across sources."""
    clashes = Counter(p.local_id for p in places)
    rows = []
    for place in places:
        row = place.to_v1_row()
        if clashes[place.local_id] > 1:
            row["id"] = f"{place.source}/{place.local_id}"
        rows.append(row)
    return rows


def to_csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=V1_FIELDS, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def to_json(rows: list[dict[str, str]]) -> str:
    """A JSON array of records with the CSV's values (coordinates as numbers, empty fields left out)."""
    records: list[dict[str, Any]] = []
    for row in rows:
        record: dict[str, Any] = {}
        for name in V1_FIELDS:
            value = row[name]
            if value == "":
                continue
            record[name] = float(value) if name in NUMBER_FIELDS else value
        records.append(record)
    return json.dumps(records, ensure_ascii=False, indent=1) + "\n"


def export_places(session: Session, *, source: str | None = None, fmt: str = "csv") -> tuple[str, int]:
    """(text, number of places). Raises LookupError (French message) for a source the directory does not have."""
    if source is not None:
        known = sorted(session.scalars(select(DirectoryPlace.source).distinct()))
        if source not in known:
            raise LookupError(f"Aucune source « {source} » dans l’annuaire. Sources : {', '.join(known) or 'aucune'}.")
    rows = export_rows(load_places(session, source=source))
    return (to_json(rows) if fmt == "json" else to_csv(rows)), len(rows)
