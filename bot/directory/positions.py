"""Where a place added or edited by a coordinator is: true coordinates when the data allow, else its commune's.

No geocoding service is reachable, so "from its address" means: another place of the directory at the same
address and postal code whose source gave coordinates (the national file, the France Services list…).
Otherwise the commune's own point from the national commune registry (`bot.geo`), marked approximate so the
card and the distances say so, never the average of a département (a place in Vif shown "à 50 m" of Grenoble).
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.text import fold
from bot.directory.models import DirectoryPlace
from bot.directory.schema import Place
from bot.geo import locate_commune

POSITION_KEY = "position"  # extra[POSITION_KEY]: "adresse" (same address as a located place) | "commune"
APPROXIMATE = "commune"
_STREET_WORDS = {"av": "avenue", "ave": "avenue", "bd": "boulevard", "bld": "boulevard", "pl": "place", "r": "rue",
                 "ch": "chemin", "chem": "chemin", "all": "allee", "imp": "impasse", "rte": "route", "sq": "square",
                 "fg": "faubourg", "st": "saint", "ste": "sainte", "crs": "cours", "qu": "quai", "pte": "porte"}


def address_key(text: str) -> str:
    """"12 bis, Av. Jean-Jaurès" and "12 BIS AVENUE JEAN JAURES" alike."""
    words = re.findall(r"[a-z0-9]+", fold(text or ""))
    return " ".join(_STREET_WORDS.get(w, w) for w in words)


def is_approximate(place: Place) -> bool:
    return place.extra.get(POSITION_KEY) == APPROXIMATE


def locate_place(session: Session, place: Place) -> str | None:
    """Set the place's coordinates from its address, else its commune; returns how ("adresse", "commune", None)."""
    place.extra.pop("coordonnees", None)  # the older "centre de la commune" note
    key = address_key(place.adresse)
    if key:
        rows = session.scalars(select(DirectoryPlace).where(
            DirectoryPlace.code_postal == place.code_postal, DirectoryPlace.latitude.is_not(None),
            DirectoryPlace.longitude.is_not(None)))
        for row in rows:
            if row.ref != place.ref and (row.extra or {}).get(POSITION_KEY) != APPROXIMATE \
                    and address_key(row.adresse) == key:
                place.latitude, place.longitude = row.latitude, row.longitude
                place.extra[POSITION_KEY] = "adresse"
                return "adresse"
    commune = locate_commune(place.commune, place.code_postal) or locate_commune(place.code_postal)
    if commune is None:
        place.latitude = place.longitude = None
        place.extra.pop(POSITION_KEY, None)
        return None
    place.latitude, place.longitude = commune.point
    place.extra[POSITION_KEY] = APPROXIMATE
    if not place.code_insee and commune.kind in ("COM", "ARM"):
        place.code_insee = commune.insee
    return APPROXIMATE
