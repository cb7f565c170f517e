"""Reading and writing accompaniments. Every function takes the caller's session: one unit of work each."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, delete, func, select
from sqlalchemy.orm import Session

from bot.accompagnements import export
from bot.accompagnements.models import Accompaniment
from bot.accompagnements.validation import AccompanimentData
from bot.db.insert import rows_changed

# Remembered from the counsellor's last entry to pre-fill the dialog.
REMEMBERED = ("type", "duration_min", "lieu_type", "lieu_nom", "lieu_commune", "lieu_code_postal",
              "thematiques", "materiel", "niveau")


def create(session: Session, user_id: str, user_name: str, data: AccompanimentData, now: datetime) -> Accompaniment:
    row = Accompaniment(user_id=user_id, user_name=user_name, created_at=now, updated_at=now, **data.columns())
    session.add(row)
    session.flush()
    return row


def get_own(session: Session, user_id: str, accompaniment_id: Any) -> Accompaniment | None:
    """The row only if it belongs to `user_id`: nobody edits or deletes someone else's entries."""
    try:
        ident = int(accompaniment_id)
    except (TypeError, ValueError):
        return None
    row = session.get(Accompaniment, ident)
    return row if row is not None and row.user_id == user_id else None


def update(session: Session, row: Accompaniment, data: AccompanimentData, now: datetime) -> Accompaniment:
    for name, value in data.columns().items():
        setattr(row, name, value)
    row.updated_at = now
    session.flush()
    return row


def recent(session: Session, user_id: str, limit: int = 10) -> list[Accompaniment]:
    stmt = (select(Accompaniment).where(Accompaniment.user_id == user_id)
            .order_by(Accompaniment.date.desc(), Accompaniment.id.desc()).limit(limit))
    return list(session.scalars(stmt))


def last_choices(session: Session, user_id: str) -> dict[str, Any]:
    """The last entry's remembered choices as raw values (`duree`, not `duration_min`), ready for the dialog."""
    rows = recent(session, user_id, 1)
    if not rows:
        return {}
    values = {name: getattr(rows[0], name) for name in REMEMBERED}
    values["duree"] = values.pop("duration_min")
    return values


def recent_communes(session: Session, user_id: str, limit: int = 3) -> list[str]:
    """The communes this counsellor typed lately, offered as one-click answers."""
    stmt = (select(Accompaniment.lieu_commune).where(Accompaniment.user_id == user_id,
                                                     Accompaniment.lieu_commune.is_not(None))
            .order_by(Accompaniment.id.desc()).limit(50))
    return list(dict.fromkeys(c for c in session.scalars(stmt) if c))[:limit]


def likely_communes(session: Session, user_id: str, departements: tuple[str, ...] = (), limit: int = 5) -> list[str]:
    """Communes to offer as buttons: this counsellor's recent ones, then the team's, then the largest of the
    network's département (a new counsellor still gets choices, never a bare question)."""
    names = recent_communes(session, user_id, limit)
    if len(names) < limit:
        stmt = (select(Accompaniment.lieu_commune).where(Accompaniment.lieu_commune.is_not(None))
                .order_by(Accompaniment.id.desc()).limit(200))
        names += [n for n, _ in Counter(c for c in session.scalars(stmt) if c).most_common(limit)]
    if len(names) < limit and departements:
        from bot.geo.communes import registry

        biggest = sorted((c for c in registry().communes if c.kind == "COM" and c.departement in departements),
                         key=lambda c: -c.population)
        names += [c.name for c in biggest[:limit]]
    if len(names) < limit:  # a new network in mainland France: the communes where its directory has most places
        from bot.directory.models import DirectoryPlace

        stmt = (select(DirectoryPlace.commune).where(DirectoryPlace.closed_at.is_(None))
                .group_by(DirectoryPlace.commune).order_by(func.count().desc(), DirectoryPlace.commune).limit(limit))
        names += list(session.scalars(stmt))
    return list(dict.fromkeys(names))[:limit]


def recent_themes(session: Session, user_id: str, limit: int = 4) -> list[str]:
    """The themes this counsellor chose lately, offered first when a theme is missing."""
    stmt = (select(Accompaniment.thematiques).where(Accompaniment.user_id == user_id)
            .order_by(Accompaniment.id.desc()).limit(30))
    return [t for t, _ in Counter(t for themes in session.scalars(stmt) for t in themes).most_common(limit)]


def count_accompaniments(session: Session, start: date, end: date, user_id: str | None = None) -> int:
    """La Coop's total: one per individual entry, one per workshop participant."""
    stmt = select(func.coalesce(func.sum(Accompaniment.participants_total), 0)).where(
        Accompaniment.date >= start, Accompaniment.date <= end)
    if user_id is not None:
        stmt = stmt.where(Accompaniment.user_id == user_id)
    return int(session.scalar(stmt) or 0)


def users_in_period(session: Session, start: date, end: date) -> set[str]:
    stmt = select(Accompaniment.user_id).where(Accompaniment.date >= start, Accompaniment.date <= end).distinct()
    return set(session.scalars(stmt))


def count_own(session: Session, user_id: str) -> int:
    return session.scalar(select(func.count()).where(Accompaniment.user_id == user_id)) or 0


def delete_own(session: Session, user_id: str, accompaniment_id: Any) -> bool:
    row = get_own(session, user_id, accompaniment_id)
    if row is None:
        return False
    session.delete(row)
    return True


def delete_all_own(session: Session, user_id: str) -> int:
    """RGPD: a counsellor erases everything they logged."""
    result = session.execute(delete(Accompaniment).where(Accompaniment.user_id == user_id))
    return rows_changed(result)


def purge_before(session: Session, before: date) -> dict[str, int]:
    """Retention: delete every accompaniment dated before `before`; returns counts per type."""
    counts = dict(session.execute(
        select(Accompaniment.type, func.count()).where(Accompaniment.date < before).group_by(Accompaniment.type)
    ).all())
    session.execute(delete(Accompaniment).where(Accompaniment.date < before))
    return {str(k): int(v) for k, v in counts.items()}


def in_period(session: Session, start: date, end: date, user_id: str | None = None,
              batch: int = 2000) -> Iterator[Row[Any]]:
    """The export's columns (`export.COLUMNS`) for a period, in date order, streamed as plain rows:
    a year's export of ORM objects was several times slower than the CSV writing itself."""
    stmt = select(*export.COLUMNS).where(Accompaniment.date >= start, Accompaniment.date <= end)
    if user_id is not None:
        stmt = stmt.where(Accompaniment.user_id == user_id)
    stmt = stmt.order_by(Accompaniment.date, Accompaniment.id)
    # Core execution on the session's connection: the ORM result layer costs more than the CSV writing here.
    yield from session.connection().execution_options(yield_per=batch).execute(stmt)  # type: ignore[misc]
