"""Shared by the /annuaire benchmarks: the real places, a 20,000-place set derived from them, and the query sets.

Every query is produced by a fixed, seeded procedure from the data (never hand-picked):
- name queries: a place's name typed as a hurried counsellor would — lower case, no accents, punctuation
  dropped, the "France services" prefix dropped, "saint"/"sainte" as "st"/"ste", one typo (deletion,
  insertion, substitution or swap of neighbours) in the longest word; the commune is appended when the name
  does not contain it (nobody types "mairie" alone). A hit is the intended place, or a place with the very
  same name and commune (the two files overlap: the PACA hub republishes some France Services).
- need + commune queries: a need word counsellors use for one of four services, and a commune typed
  hurriedly (one typo in half of them); communes are drawn among those where at least five places within
  20 km offer that service (otherwise no ranking can reach the target).
"""

from __future__ import annotations

import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.core.text import fold  # noqa: E402
from bot.directory import parse_file  # noqa: E402
from bot.directory.schema import Place  # noqa: E402
from bot.search import haversine_km  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
FILES = ("france-services_liste-fs-20240801.csv", "lieux-mediation-numerique_hinaura-auvergne-rhone-alpes.json",
         "lieux-mediation-numerique_paca-hub-du-sud_20230517.json")
SEED = 20261122
NEEDS = {
    "Aide aux démarches administratives": ["caf", "impots", "demarches administratives", "papiers", "ants"],
    "Accès internet et matériel informatique": ["internet", "imprimer", "wifi"],
    "Maîtrise des outils numériques du quotidien": ["ordinateur", "smartphone", "tablette"],
    "Insertion professionnelle via le numérique": ["cv", "emploi"],
}
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def real_places() -> list[Place]:
    places: list[Place] = []
    for name in FILES:
        places += parse_file(SHARED / name).places
    for i, p in enumerate(places, 1):
        p.ref = i
    return places


def derived_places(base: list[Place], size: int, seed: int = SEED) -> list[Place]:
    """`size` places: the real ones, then copies whose name words, commune and services are re-drawn from other
    real places (coordinates moved a few km), so the vocabulary and density look like the national directory."""
    rng = random.Random(seed)
    out = list(base)
    words = [w for p in base for w in p.nom.split()]
    while len(out) < size:
        src, other = rng.choice(base), rng.choice(base)
        name_words = src.nom.split()
        for _ in range(max(1, len(name_words) // 2)):
            name_words[rng.randrange(len(name_words))] = rng.choice(words)
        lat = other.latitude + rng.uniform(-0.05, 0.05) if other.latitude is not None else None
        lon = other.longitude + rng.uniform(-0.05, 0.05) if other.longitude is not None else None
        clone = Place(**{**{k: getattr(src, k) for k in src.__slots__ if k not in ("ref",)},  # type: ignore[attr-defined]
                         "local_id": f"derived-{len(out)}", "source": "derived", "nom": " ".join(name_words),
                         "commune": other.commune, "code_postal": other.code_postal, "code_insee": other.code_insee,
                         "latitude": lat, "longitude": lon, "services": list(rng.choice(base).services)})
        clone.ref = len(out) + 1
        out.append(clone)
    return out


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(len(word))
    op = rng.choice(("delete", "insert", "substitute", "swap"))
    if op == "delete":
        return word[:i] + word[i + 1:]
    if op == "insert":
        return word[:i] + rng.choice(LETTERS) + word[i:]
    if op == "substitute":
        return word[:i] + rng.choice([c for c in LETTERS if c != word[i]]) + word[i + 1:]
    i = min(i, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def hurried(text: str, rng: random.Random, *, typo: bool = True) -> str:
    words = re.findall(r"[a-z0-9]+", fold(text))
    words = ["st" if w == "saint" else "ste" if w == "sainte" else w for w in words]
    if typo:
        longest = max(range(len(words)), key=lambda k: (len(words[k]), -k), default=None)
        if longest is not None and len(words[longest]) >= 4:
            words[longest] = _typo(words[longest], rng)
    return " ".join(words)


@dataclass
class NameQuery:
    text: str
    place: Place


@dataclass
class NeedQuery:
    text: str
    service: str
    lat: float
    lon: float
    commune: str


def name_queries(places: list[Place], count: int, seed: int = SEED) -> list[NameQuery]:
    rng = random.Random(seed)
    out = []
    for place in rng.sample(places, count):
        name = re.sub(r"^\s*(bus\s+)?france\s+services?\s+((de|d'|du|des)\s+)?", r"\1", place.nom, flags=re.I)
        if fold(place.commune) not in fold(name).replace("-", " ") and fold(place.commune) not in fold(name):
            name = f"{name} {place.commune}"
        out.append(NameQuery(hurried(name, rng), place))
    return out


@dataclass(frozen=True)
class _Commune:
    name: str
    label: str
    lat: float
    lon: float


def _communes_of(places: list[Place]) -> list[_Commune]:
    """The communes of the places, at the mean of their places' coordinates (the procedure this set has always
    used, kept so its queries stay the same now that the product's gazetteer is the national registry)."""
    acc: dict[tuple[str, str], tuple[str, list[float], list[float]]] = {}
    for p in places:
        if p.has_coordinates:
            name, lats, lons = acc.setdefault((fold(p.commune), p.departement), (p.commune, [], []))
            lats.append(p.latitude)  # type: ignore[arg-type]
            lons.append(p.longitude)  # type: ignore[arg-type]
    return [_Commune(name, f"{name} ({dep})", sum(la) / len(la), sum(lo) / len(lo))
            for (_, dep), (name, la, lo) in acc.items()]


def need_queries(places: list[Place], count: int, seed: int = SEED) -> list[NeedQuery]:
    rng = random.Random(seed + 1)
    communes = sorted(_communes_of(places), key=lambda c: c.label)
    located = [p for p in places if p.has_coordinates]
    out: list[NeedQuery] = []
    attempts = 0
    while len(out) < count and attempts < 20 * count:
        attempts += 1
        commune = rng.choice(communes)
        service = rng.choice(sorted(NEEDS))
        offering = sum(1 for p in located if service in p.services
                       and haversine_km(commune.lat, commune.lon, p.latitude, p.longitude) <= 20)  # type: ignore[arg-type]
        if offering < 5:
            continue
        word = rng.choice(NEEDS[service])
        typed_commune = hurried(commune.name, rng, typo=rng.random() < 0.5)
        out.append(NeedQuery(f"{word} {typed_commune}", service, commune.lat, commune.lon,  # type: ignore[arg-type]
                             commune.label))
    return out


def same_place(a: Place, b: Place) -> bool:
    """Strict: the very record, or one with the same name and commune (indistinguishable by any query)."""
    return a.ref == b.ref or (fold(a.nom) == fold(b.nom) and fold(a.commune) == fold(b.commune))


def same_structure(a: Place, b: Place) -> bool:
    """Also a duplicate from another source: same commune, within 150 m, names alike (token set ratio >= 80)."""
    from rapidfuzz import fuzz

    if same_place(a, b):
        return True
    if not (a.has_coordinates and b.has_coordinates):
        return False
    same_commune = re.sub(r"[^a-z]", "", fold(a.commune)) == re.sub(r"[^a-z]", "", fold(b.commune))
    close = haversine_km(a.latitude, a.longitude, b.latitude, b.longitude) <= 0.15  # type: ignore[arg-type]
    return same_commune and close and fuzz.token_set_ratio(fold(a.nom), fold(b.nom)) >= 80
