"""Where is the counsellor talking about? A commune, a postal code or a département, anywhere in the text.

There is no national commune file offline, so the gazetteer is built from the directory itself: every
commune, postal code and INSEE code that appears on a place, located at the mean of its places'
coordinates. A commune without any place is therefore unknown (its postal code or département still
works). Département names come from the fixed list in `departements.py`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.core.text import fold
from bot.directory.departements import DEPARTEMENTS
from bot.directory.schema import Place
from bot.search import PhraseMatcher, tokenize

_DEP_TOKEN = re.compile(r"^(0[1-9]|[1-8]\d|9[0-5]|2a|2b|97[1-8]|98[678])$")


@dataclass
class Commune:
    name: str
    departement: str
    postal_codes: set[str] = field(default_factory=set)
    insee_codes: set[str] = field(default_factory=set)
    lat: float | None = None
    lon: float | None = None
    places: int = 0

    @property
    def label(self) -> str:
        return f"{self.name} ({self.departement})"


@dataclass(frozen=True)
class Location:
    kind: str  # commune | code_postal | departement
    label: str  # "Grenoble (38)", "38000 (Grenoble)", "Isère (38)"
    departement: str
    lat: float | None
    lon: float | None
    positions: frozenset[int]  # query tokens that named it
    others: tuple[str, ...] = ()  # homonyms not chosen ("Saint-Denis (93)")
    commune: str | None = None  # commune name when kind == "commune"

    @property
    def point(self) -> tuple[float, float] | None:
        return (self.lat, self.lon) if self.lat is not None and self.lon is not None else None


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


class Gazetteer:
    def __init__(self, places: Iterable[Place], *, known_words: set[str] | None = None) -> None:
        """`known_words`: ordinary words of the corpus ("centre", "maison"): never read as a typo of a commune."""
        self.known_words = known_words or set()
        communes: dict[tuple[str, str], Commune] = {}
        coords: dict[tuple[str, str], tuple[list[float], list[float]]] = {}
        dep_coords: dict[str, tuple[list[float], list[float]]] = {}
        for p in places:
            key = (fold(p.commune), p.departement)
            c = communes.get(key)
            if c is None:
                c = communes[key] = Commune(p.commune, p.departement)
            c.places += 1
            c.postal_codes.add(p.code_postal)
            if p.code_insee:
                c.insee_codes.add(p.code_insee)
            if p.has_coordinates:
                lat_l, lon_l = coords.setdefault(key, ([], []))
                lat_l.append(p.latitude)  # type: ignore[arg-type]
                lon_l.append(p.longitude)  # type: ignore[arg-type]
                dlat, dlon = dep_coords.setdefault(p.departement, ([], []))
                dlat.append(p.latitude)  # type: ignore[arg-type]
                dlon.append(p.longitude)  # type: ignore[arg-type]
        for key, (lats, lons) in coords.items():
            communes[key].lat, communes[key].lon = _mean(lats), _mean(lons)
        self.communes = communes
        self.by_postal: dict[str, list[Commune]] = {}
        for c in communes.values():
            for cp in c.postal_codes:
                self.by_postal.setdefault(cp, []).append(c)
        self.dep_centre = {d: (_mean(a), _mean(b)) for d, (a, b) in dep_coords.items()}
        self.departements = {c.departement for c in communes.values()}
        entries = [(c.name, key) for key, c in communes.items()]
        entries += [(name, ("dep", code)) for code, name in DEPARTEMENTS.items()]
        self.matcher = PhraseMatcher(entries)

    def __len__(self) -> int:
        return len(self.communes)

    def _dep_location(self, code: str, positions: set[int]) -> Location:
        lat, lon = self.dep_centre.get(code, (None, None))
        name = DEPARTEMENTS.get(code, code)
        return Location("departement", f"{name} ({code})", code, lat, lon, frozenset(positions))

    def recognise(self, text: str) -> Location | None:
        """The place named in the text, if any. Tokens are `bot.search.tokenize(text)` positions."""
        tokens = tokenize(text)
        dep_hint: tuple[str, int] | None = None
        postal: tuple[str, int] | None = None
        for i, tok in enumerate(tokens):
            if re.fullmatch(r"\d{5}", tok) and postal is None:
                postal = (tok, i)
            elif _DEP_TOKEN.match(tok) and dep_hint is None:
                dep_hint = (tok.upper(), i)
        communes: list[tuple[tuple[float, int, int], list[Commune], set[int], str]] = []
        dep_named: tuple[str, set[int]] | None = None
        for m in self.matcher.find(self.matcher.analyse(text)):
            span = set(range(m.start, m.end))
            if m.score < 1.0 and m.end - m.start == 1 and tokens[m.start] in self.known_words:
                continue  # "centre" is a word, not a typo of a commune
            found = [self.communes[v] for v in m.values if isinstance(v, tuple) and v[0] != "dep"]
            if found:
                ordinary = m.end - m.start == 1 and tokens[m.start] in self.known_words
                # Exact before misspelt, real names before ordinary words ("ville"), the last one typed first
                # (people end with the commune: "centre social jean moulin pont de claix").
                communes.append(((m.score - 0.5 * ordinary, m.start, m.end - m.start), found, span, m.phrase))
            deps = [v[1] for v in m.values if isinstance(v, tuple) and v[0] == "dep"]
            if deps and not found and dep_named is None:
                dep_named = (deps[0], span)
        wanted_dep = dep_hint[0] if dep_hint else (dep_named[0] if dep_named else None)
        if postal:
            wanted_dep = wanted_dep or (postal[0][:3] if postal[0][:2] in ("97", "98") else None)
        if communes:
            _, found, span, _ = max(communes, key=lambda c: c[0])
            if postal:
                in_cp = [c for c in found if postal[0] in c.postal_codes]
                found = in_cp or found
            if wanted_dep:
                in_dep = [c for c in found if c.departement == wanted_dep]
                found = in_dep or found
            found = sorted(found, key=lambda c: (-c.places, c.departement))
            chosen = found[0]
            positions = set(span)
            if dep_hint and dep_hint[0] == chosen.departement:
                positions.add(dep_hint[1])
            if postal and postal[0] in chosen.postal_codes:
                positions.add(postal[1])
            if dep_named and dep_named[0] == chosen.departement:
                positions |= dep_named[1]
            return Location("commune", chosen.label, chosen.departement, chosen.lat, chosen.lon,
                            frozenset(positions), tuple(c.label for c in found[1:]), commune=chosen.name)
        if postal:
            code, pos = postal
            matches = sorted(self.by_postal.get(code, []), key=lambda c: -c.places)
            if matches:
                c = matches[0]
                return Location("code_postal", f"{code} ({c.name})", c.departement, c.lat, c.lon,
                                frozenset({pos}), tuple(m.label for m in matches[1:]), commune=c.name)
            dep = code[:3] if code[:2] in ("97", "98") else ("2A" if code[:2] == "20" else code[:2])
            if dep in self.departements:
                return self._dep_location(dep, {pos})
        if dep_hint and dep_hint[0] in DEPARTEMENTS:
            return self._dep_location(dep_hint[0], {dep_hint[1]})
        if dep_named:
            return self._dep_location(dep_named[0], dep_named[1])
        return None
