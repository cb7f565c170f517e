"""Every commune of France with its codes and coordinates, offline (`bot/data/communes.tsv.gz`).

The file is derived from open data (INSEE Code officiel géographique, IGN, La Poste, DILA; Licence Ouverte) by
`scripts/build_communes.py`; attribution in `bot/data/ATTRIBUTION.md`. It holds the communes (including 971–976),
the arrondissements of Paris, Lyon and Marseille, and the delegated or associated communes (old village names
people still type), each with a point: the town hall, else the middle of its outline.

Other code uses `locate_commune(name_or_code, postal_code=None)`: the real coordinates of a commune typed in a
form or a file ("Saint-Denis" + "97400", "38185", "Lyon 3e").
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bot.search.text import tokenize

DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "communes.tsv.gz"
# INSEE "type de nom en clair": the article written before the name ("Le Port", "Les Avirons", "L'Isle-d'Abeau").
ARTICLES = {"2": "Le ", "3": "La ", "4": "Les ", "5": "L'", "6": "Aux ", "7": "Las ", "8": "Los "}
PLM = {"75056": "Paris", "69123": "Lyon", "13055": "Marseille"}  # communes typed with an arrondissement number
_ARRONDISSEMENT = re.compile(r"^(\d{1,2})(?:e|eme|er|ere)?$")


@dataclass(slots=True, eq=False)
class Commune:
    """A commune (kind COM), an arrondissement (ARM) or a delegated/associated commune (COMD/COMA). One object per
    line of the registry, compared by identity: not frozen, since 37,000 frozen objects cost 0.15 s at start."""

    insee: str
    kind: str
    name: str  # with its article: "Le Port"
    departement: str  # "38", "2A", "974"
    postal_codes: tuple[str, ...]
    lat: float
    lon: float
    population: int
    parent: str | None  # the commune an ARM/COMD/COMA belongs to

    @property
    def label(self) -> str:
        """"Grenoble (38)": how answers name it."""
        return f"{self.name} ({self.departement})"

    @property
    def point(self) -> tuple[float, float]:
        return self.lat, self.lon


def name_key(text: str) -> str:
    """Accent-, case-, hyphen- and article-blind key; "st" and "saint" alike ("St-Trivier" = "saint trivier")."""
    words = [("saint" if w == "st" else "sainte" if w == "ste" else w) for w in tokenize(text)]
    while len(words) > 1 and words[0] in ("le", "la", "les", "l", "aux", "las", "los"):
        words = words[1:]
    return " ".join(words)


class CommuneRegistry:
    """Lookups by INSEE code, postal code and name over the national file."""

    def __init__(self, communes: list[Commune]) -> None:
        self.communes = communes
        self.by_insee: dict[str, Commune] = {}
        self.by_postal: dict[str, list[Commune]] = {}
        self.by_name: dict[str, list[Commune]] = {}
        for c in communes:
            if c.kind == "COM" or c.insee not in self.by_insee:
                self.by_insee[c.insee] = c  # a delegated commune may share its new commune's code
            for cp in c.postal_codes:
                if c.kind != "COMA":
                    self.by_postal.setdefault(cp, []).append(c)
            self.by_name.setdefault(name_key(c.name), []).append(c)
        for group in (*self.by_postal.values(), *self.by_name.values()):
            group.sort(key=rank_key)
        self.arrondissements: dict[tuple[str, int], Commune] = {}
        for c in communes:
            if c.kind == "ARM" and c.parent in PLM:
                number = re.search(r"\d+", c.name)  # "Lyon 3e Arrondissement", "Paris 1er Arrondissement"
                if number is not None:
                    self.arrondissements[(c.parent, int(number.group()))] = c

    @classmethod
    def load(cls, path: Path = DATA_FILE) -> CommuneRegistry:
        communes: list[Commune] = []
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            next(fh)
            for line in fh:
                insee, kind, name, article, dep, cps, lat, lon, pop, parent = line.rstrip("\n").split("\t")
                communes.append(Commune(insee, kind, ARTICLES.get(article, "") + name, dep,
                                        tuple(cps.split(",")) if cps else (), float(lat), float(lon), int(pop),
                                        parent or None))
        return cls(communes)

    def arrondissement(self, commune: Commune, number_token: str) -> Commune | None:
        """"lyon" + "3" / "3e" / "3eme" → Lyon 3e Arrondissement; "paris" + "1er"."""
        m = _ARRONDISSEMENT.match(number_token)
        if m is None or commune.insee not in PLM:
            return None
        return self.arrondissements.get((commune.insee, int(m.group(1))))

    def locate(self, name_or_code: str, postal_code: str | None = None) -> Commune | None:
        """The commune meant by a name, an INSEE code or a postal code; `postal_code` settles homonyms.

        "Saint-Denis" + "97400" → Saint-Denis (974); "38185" → Grenoble; "Lyon 3e" → the arrondissement;
        "Saint-Denis" alone → the most populous homonym. None when nothing fits (the caller keeps an approximate
        position, and says so)."""
        text = name_or_code.strip()
        code = text.replace(" ", "")
        if re.fullmatch(r"\d[\dABab]\d{3}", code):
            found = self.by_insee.get(code.upper())
            if found is not None and found.kind in ("COM", "ARM"):
                return found
            by_cp = self.by_postal.get(code)
            if by_cp:
                return by_cp[0]
            return found
        tokens = tokenize(text)
        if len(tokens) >= 2:
            base = self.by_name.get(name_key(" ".join(tokens[:-1])), [])
            plm = next((c for c in base if c.insee in PLM), None)
            if plm is not None:
                arm = self.arrondissement(plm, tokens[-1])
                if arm is not None:
                    return arm
        candidates = self.by_name.get(name_key(text), [])
        if postal_code:
            cp = postal_code.strip()
            in_cp = [c for c in candidates if cp in c.postal_codes]
            if in_cp:
                return in_cp[0]
            dep = cp[:3] if cp[:2] in ("97", "98") else cp[:2]
            in_dep = [c for c in candidates if c.departement == dep or (dep == "20" and c.departement in ("2A", "2B"))]
            if in_dep:
                return in_dep[0]
        return candidates[0] if candidates else None


def rank_key(c: Commune) -> tuple[int, int, str]:
    """Among homonyms: communes before delegated ones, then the most populous."""
    return (0 if c.kind in ("COM", "ARM") else 1, -c.population, c.insee)


@cache
def registry() -> CommuneRegistry:
    """The national registry, loaded once per process (about 0.2 s)."""
    return CommuneRegistry.load()


def locate_commune(name_or_code: str, postal_code: str | None = None) -> Commune | None:
    """The real commune (with `lat`, `lon`, `insee`, `postal_codes`, `departement`) a name or code stands for.

    For places created by dialog or import: `locate_commune("Vif", "38450").point` → (45.056, 5.669). Returns
    None when the name is unknown: then keep whatever approximate position you have and show it as approximate."""
    return registry().locate(name_or_code, postal_code)
