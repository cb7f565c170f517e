"""Where an accompaniment took place, completed for the export: the directory place's address and INSEE code,
or the commune's codes, only when they are certain.

La Coop's export fills "Adresse", "Code postal" and "Code Insee" from the place of activity or the commune.
A counsellor types "médiathèque" and "Saint-Pierre": when exactly one directory place in that commune has that
name, its address is the one; when several match, or none, the cells stay empty (a wrong address is worse than
none). A commune's INSEE code comes from the national commune file, homonyms settled by the postal code typed or
the network's département, else left empty.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property, lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.text import fold
from bot.directory.models import DirectoryPlace


@dataclass(frozen=True)
class PlaceCodes:
    adresse: str = ""
    code_postal: str = ""
    code_insee: str = ""


NONE = PlaceCodes()


def _key(text: str) -> str:
    return " ".join(fold(text).replace("-", " ").replace("’", " ").replace("'", " ").split())


class PlaceLookup:
    """Built once per export; the directory is read only if some entry names a place in a commune."""

    def __init__(self, session: Session, departements: tuple[str, ...] = ()) -> None:
        self.session = session
        self.departements = departements
        self.find = lru_cache(maxsize=4096)(self._find)

    @cached_property
    def _by_commune(self) -> dict[str, list[tuple[str, PlaceCodes]]]:
        rows = self.session.execute(select(DirectoryPlace.nom, DirectoryPlace.commune, DirectoryPlace.adresse,
                                           DirectoryPlace.code_postal, DirectoryPlace.code_insee)
                                    .where(DirectoryPlace.closed_at.is_(None)))
        out: dict[str, list[tuple[str, PlaceCodes]]] = defaultdict(list)
        for nom, commune, adresse, cp, insee in rows:
            out[_key(commune)].append((_key(nom), PlaceCodes(adresse or "", cp or "", insee or "")))
        return out

    def _commune_codes(self, commune: str, code_postal: str | None) -> PlaceCodes:
        from bot.geo.communes import name_key, registry

        found = [c for c in registry().by_name.get(name_key(commune), []) if c.kind in ("COM", "ARM")]
        # Homonyms ("Saint-Pierre"): the one where the network's directory has places, when that is one only.
        known = {codes.code_insee for _, codes in self._by_commune.get(_key(commune), []) if codes.code_insee}
        if len(found) > 1 and len({k[:2] for k in known}) == 1:
            found = [c for c in found if c.insee in known] or found
        if code_postal:
            found = [c for c in found if code_postal in c.postal_codes] or found
        if len(found) > 1 and self.departements:
            found = [c for c in found if c.departement in self.departements] or found
        if len(found) != 1:
            return NONE
        c = found[0]
        return PlaceCodes("", code_postal or (c.postal_codes[0] if len(c.postal_codes) == 1 else ""), c.insee)

    def _find(self, nom: str | None, commune: str | None, code_postal: str | None) -> PlaceCodes:
        if not commune:
            return NONE
        if nom:
            wanted = _key(nom)
            hits = {codes for name, codes in self._by_commune.get(_key(commune), []) if wanted and wanted in name}
            if len(hits) == 1:
                return next(iter(hits))
        return self._commune_codes(commune, code_postal)
