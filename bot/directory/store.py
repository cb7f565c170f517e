"""Reading and writing places: idempotent upsert, edits with their audit trail, reports, the version counter.

Every write goes through here so that each change records who and when, and bumps `directory_meta.version`
in the same transaction (other processes see the new version only once the change is committed).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.core.text import parse_number
from bot.db.base import utcnow
from bot.directory.models import DirectoryChange, DirectoryMeta, DirectoryPlace, DirectoryReport
from bot.directory.schema import PLACE_ATTRIBUTES, Place


def content_hash(place: Place) -> str:
    payload = json.dumps(place.content(), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def row_to_place(row: DirectoryPlace) -> Place:
    values = {name: getattr(row, name) for name in PLACE_ATTRIBUTES}
    for name, value in values.items():
        if isinstance(value, list):
            values[name] = list(value)
    values["extra"] = dict(row.extra or {})
    return Place(ref=row.ref, closed_at=row.closed_at, **values)


def _apply(row: DirectoryPlace, place: Place) -> dict[str, list[Any]]:
    """Copy the place onto the row; returns the changed fields as {field: [old, new]}."""
    changes: dict[str, list[Any]] = {}
    for name in PLACE_ATTRIBUTES:
        new = getattr(place, name)
        old = getattr(row, name, None)
        if old != new:
            changes[name] = [_jsonable(old), _jsonable(new)]
            setattr(row, name, list(new) if isinstance(new, list) else (dict(new) if isinstance(new, dict) else new))
    row.content_hash = content_hash(place)
    return changes


def _diff(row: DirectoryPlace, place: Place, *, ignore: tuple[str, ...] = ()) -> list[str]:
    return [name for name in PLACE_ATTRIBUTES
            if name not in ignore and getattr(row, name, None) != getattr(place, name)]


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


# -- version ---------------------------------------------------------------------------------
def current_version(session: Session) -> int:
    value = session.execute(select(DirectoryMeta.version).where(DirectoryMeta.id == 1)).scalar_one_or_none()
    return int(value or 0)


def bump_version(session: Session) -> None:
    """+1 atomically (UPDATE … SET version = version + 1), creating the row if it is missing."""
    result = session.execute(
        update(DirectoryMeta).where(DirectoryMeta.id == 1)
        .values(version=DirectoryMeta.version + 1, updated_at=utcnow())
    )
    if result.rowcount == 0:  # type: ignore[attr-defined]
        session.add(DirectoryMeta(id=1, version=1, updated_at=utcnow()))
        session.flush()


# -- reading ---------------------------------------------------------------------------------
def load_places(session: Session, *, source: str | None = None, closed: bool = False) -> list[Place]:
    """Open places (what search shows); `closed=True` adds the closed ones (history, export of a source)."""
    query = select(DirectoryPlace).order_by(DirectoryPlace.ref)
    if not closed:
        query = query.where(DirectoryPlace.closed_at.is_(None))
    if source is not None:
        query = query.where(DirectoryPlace.source == source)
    return [row_to_place(r) for r in session.scalars(query)]


def get_place(session: Session, ref: int) -> Place | None:
    row = session.get(DirectoryPlace, ref)
    return row_to_place(row) if row is not None else None


def find_place(session: Session, text: str) -> Place | None:
    """A place from what a counsellor types: its number ("42", "n°42") or "source:identifiant"."""
    number = parse_number(text)
    if number is not None:
        return get_place(session, number)
    text = text.strip()
    source, sep, local_id = text.partition(":")
    if sep:
        row = session.scalar(select(DirectoryPlace).where(
            DirectoryPlace.source == source, DirectoryPlace.local_id == local_id))
        return row_to_place(row) if row is not None else None
    return None


def count_places(session: Session) -> int:
    """Every place, open or closed (the shipped extract is loaded only into an empty directory)."""
    from sqlalchemy import func

    return int(session.scalar(select(func.count()).select_from(DirectoryPlace)) or 0)


# -- writing ---------------------------------------------------------------------------------
@dataclass
class UpsertCounts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    closed: int = 0  # open places of the source missing from a full file
    reopened: int = 0  # closed places back in the file (also counted as updated or unchanged)


def upsert_places(session: Session, places: Iterable[Place], *, by: str, full_source: str | None = None,
                  now: datetime | None = None) -> UpsertCounts:
    """Insert or update by (source, local_id); identical content is left untouched (no audit row, no bump).

    `full_source`: the file is the whole of that source, so its open places missing from `places` are closed
    (kept, hidden from search, reopened if a later file has them again). None for a partial file.
    """
    counts = UpsertCounts()
    places = list(places)
    sources = {p.source for p in places} | ({full_source} if full_source else set())
    existing: dict[tuple[str, str], DirectoryPlace] = {}
    for source in sources:
        for row in session.scalars(select(DirectoryPlace).where(DirectoryPlace.source == source)):
            existing[(row.source, row.local_id)] = row
    now = now or utcnow()
    changed_rows: list[tuple[DirectoryPlace, str, dict[str, Any]]] = []
    seen: set[tuple[str, str]] = set()
    for place in places:
        key = (place.source, place.local_id)
        seen.add(key)
        found = existing.get(key)
        if found is None:
            row = DirectoryPlace(created_at=now, created_by=by, updated_at=now, updated_by=by)
            changes = _apply(row, place)
            session.add(row)
            existing[key] = row
            changed_rows.append((row, "added", changes))
            counts.added += 1
            continue
        row = found
        if not place.extra and row.extra:
            # A v1 file (our own export, the national file) cannot carry the fields outside the standard that an
            # older import kept: their absence is no change.
            place = replace(place, extra=dict(row.extra))
        if row.closed_at is not None:
            changed_rows.append((row, "reopened", {"closed_at": [_jsonable(row.closed_at), None]}))
            row.closed_at, row.closed_by = None, None
            counts.reopened += 1
        if row.content_hash == content_hash(place) or not _diff(row, place, ignore=("date_maj",)):
            counts.unchanged += 1  # a newer file date alone is no change (the France Services list dates every row)
        else:
            changes = _apply(row, place)
            row.updated_at, row.updated_by = now, by
            changed_rows.append((row, "updated", changes))
            counts.updated += 1
    if full_source:
        counts.closed = _close_rows(session, (row for key, row in existing.items()
                                              if key[0] == full_source and key not in seen), by=by, now=now,
                                    changed_rows=changed_rows)
    if changed_rows:
        session.flush()
        session.add_all(DirectoryChange(place_ref=row.ref, action=action, changed_by=by, changed_at=now,
                                        changes=changes) for row, action, changes in changed_rows)
        bump_version(session)
    return counts


def _close_rows(session: Session, rows: Iterable[DirectoryPlace], *, by: str, now: datetime,
                changed_rows: list[tuple[DirectoryPlace, str, dict[str, Any]]]) -> int:
    closed = 0
    for row in rows:
        if row.closed_at is None:
            row.closed_at, row.closed_by = now, by
            changed_rows.append((row, "closed", {"closed_at": [None, _jsonable(now)]}))
            closed += 1
    return closed


def close_missing(session: Session, source: str, keep: set[str], *, by: str, now: datetime | None = None) -> int:
    """Close the open places of `source` whose id is not in `keep` (several files making up one full source)."""
    now = now or utcnow()
    changed_rows: list[tuple[DirectoryPlace, str, dict[str, Any]]] = []
    rows = session.scalars(select(DirectoryPlace).where(DirectoryPlace.source == source,
                                                        DirectoryPlace.closed_at.is_(None)))
    closed = _close_rows(session, (r for r in rows if r.local_id not in keep), by=by, now=now,
                         changed_rows=changed_rows)
    if changed_rows:
        session.add_all(DirectoryChange(place_ref=row.ref, action=action, changed_by=by, changed_at=now,
                                        changes=changes) for row, action, changes in changed_rows)
        bump_version(session)
    return closed


def set_closed(session: Session, ref: int, *, closed: bool, by: str, now: datetime | None = None) -> Place | None:
    """Close or reopen one place by hand (a coordinator knows better than the file); None if it does not exist.
    Returns the place unchanged when it is already in that state (no audit row)."""
    row = session.get(DirectoryPlace, ref)
    if row is None:
        return None
    if (row.closed_at is not None) == closed:
        return row_to_place(row)
    now = now or utcnow()
    old = row.closed_at
    row.closed_at, row.closed_by = (now, by) if closed else (None, None)
    session.add(DirectoryChange(place_ref=row.ref, action="closed" if closed else "reopened", changed_by=by,
                                changed_at=now, changes={"closed_at": [_jsonable(old), _jsonable(row.closed_at)]}))
    bump_version(session)
    session.flush()
    return row_to_place(row)


def save_place(session: Session, place: Place, *, by: str) -> tuple[Place, dict[str, list[Any]]]:
    """Create (place.ref is None) or modify one place from a dialog; returns the saved place and the diff."""
    now = utcnow()
    if place.ref is None:
        row = DirectoryPlace(created_at=now, created_by=by, updated_at=now, updated_by=by)
        changes = _apply(row, place)
        session.add(row)
        action = "added"
    else:
        stored = session.get(DirectoryPlace, place.ref)
        if stored is None:
            raise LookupError(place.ref)
        row = stored
        changes = _apply(row, place)
        if not changes:
            return row_to_place(row), {}
        row.updated_at, row.updated_by = now, by
        action = "updated"
    session.flush()
    session.add(DirectoryChange(place_ref=row.ref, action=action, changed_by=by, changed_at=now, changes=changes))
    bump_version(session)
    return row_to_place(row), changes


def history(session: Session, ref: int) -> list[DirectoryChange]:
    return list(session.scalars(select(DirectoryChange).where(DirectoryChange.place_ref == ref)
                                .order_by(DirectoryChange.id)))


def add_report(session: Session, ref: int, *, reporter_id: str, reporter_name: str, message: str,
               now: datetime | None = None) -> DirectoryReport:
    report = DirectoryReport(place_ref=ref, reporter_id=reporter_id, reporter_name=reporter_name,
                             message=message, created_at=now or utcnow(), status="ouvert")
    session.add(report)
    session.flush()
    return report


def open_reports(session: Session) -> list[DirectoryReport]:
    return list(session.scalars(select(DirectoryReport).where(DirectoryReport.status == "ouvert")
                                .order_by(DirectoryReport.id)))


def close_report(session: Session, report_id: int, *, by: str, now: datetime) -> DirectoryReport | None:
    """Mark a report handled (who and when are kept); None when it does not exist or is already closed."""
    report = session.get(DirectoryReport, report_id)
    if report is None or report.status != "ouvert":
        return None
    report.status, report.handled_by, report.handled_at = "traite", by, now
    session.flush()
    return report
