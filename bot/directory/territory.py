"""The counsellor's territory: the commune they work in, stored once ("/annuaire ma-commune Vif").

A search without a place then looks around it, and homonyms lean to it (`DirectoryIndex.search(territory=…)`).
Plain functions over a session: the handler and tests call them the same way.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.db.base import utcnow
from bot.directory.models import CounsellorTerritory
from bot.geo.communes import Commune, registry


def get_territory(session: Session, user_id: str) -> Commune | None:
    row = session.get(CounsellorTerritory, user_id)
    if row is None or not row.insee:
        return None
    return registry().by_insee.get(row.insee)


def set_territory(session: Session, user_id: str, commune: Commune, now: datetime | None = None) -> None:
    row = session.get(CounsellorTerritory, user_id)
    if row is None:
        row = CounsellorTerritory(user_id=user_id)
        session.add(row)
    row.insee, row.label, row.updated_at = commune.insee, commune.label, now or utcnow()


def should_prompt(session: Session, user_id: str, now: datetime | None = None) -> bool:
    """True once per counsellor without a territory: the first time knowing it would have helped."""
    row = session.get(CounsellorTerritory, user_id)
    if row is not None and (row.insee or row.prompted_at is not None):
        return False
    if row is None:
        row = CounsellorTerritory(user_id=user_id, updated_at=now or utcnow())
        session.add(row)
    row.prompted_at = now or utcnow()
    return True
