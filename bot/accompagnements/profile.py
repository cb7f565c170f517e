"""A counsellor's reporting profile: role (conseiller numérique or médiateur numérique) and Conum ID.

La Coop's exports name the role of whoever logged each accompaniment and, for conseillers numériques, their
"ID - Conum". Relais cannot know either, so each counsellor says it once (`/accompagnement profil`); it is kept in
the small key/value table (no schema change), one row per counsellor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.state import KeyValue, get_state, set_state

PREFIX = "accompagnement:profil:"
# Our codes → what the counsellor reads, and what La Coop's export writes (`buildAccompagnementsWorksheet.ts`).
ROLES = {"conseiller": "Conseiller numérique", "mediateur": "Médiateur numérique"}
COOP_ROLES = {"conseiller": "Conseiller Numérique", "mediateur": "Médiateur"}
CONUM_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True)
class Profile:
    role: str | None = None  # a key of ROLES, None until the counsellor says
    conum: str | None = None

    @property
    def coop_role(self) -> str:
        return COOP_ROLES.get(self.role or "", "")

    @property
    def label(self) -> str:
        return ROLES.get(self.role or "", "non renseigné")


def _from(value: object) -> Profile:
    data = value if isinstance(value, dict) else {}
    role = data.get("role") if data.get("role") in ROLES else None
    conum = data.get("conum") if isinstance(data.get("conum"), str) else None
    return Profile(role, conum)


def get(session: Session, user_id: str) -> Profile:
    return _from(get_state(session, PREFIX + user_id))


def save(session: Session, user_id: str, profile: Profile) -> None:
    set_state(session, PREFIX + user_id, {"role": profile.role, "conum": profile.conum})


def all_profiles(session: Session) -> dict[str, Profile]:
    """Every counsellor's profile by user id (a team export names each one's role)."""
    rows = session.execute(select(KeyValue.key, KeyValue.value).where(KeyValue.key.startswith(PREFIX)))
    return {key[len(PREFIX):]: _from(value) for key, value in rows}


def parse_role(word: str) -> str | None:
    """"conseiller", "cnfs", "conum" → conseiller; "médiateur", "mediatrice" → mediateur."""
    from bot.core.text import fold

    w = fold(word).strip()
    if w.startswith(("conseil", "cnfs", "conum", "cn")):
        return "conseiller"
    if w.startswith(("media", "mn")):
        return "mediateur"
    return None
