"""What a counsellor's text means: a place (commune, postal code, département), filters, and words to search.

Filter words live in `filters.toml` (editable); they are found with the shared `PhraseMatcher`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from bot.directory.gazetteer import Gazetteer, Location
from bot.search import STOPWORDS, PhraseMatcher, tokenize

FILTERS_FILE = Path(__file__).with_name("filters.toml")
FLAG_FIELDS = ("gratuit", "ouvert", "rdv")
NAME_LIKE_WORDS = 3  # other words left: the text is a name, not a need


@dataclass(frozen=True)
class Filter:
    name: str  # French label shown back to the counsellor
    field: str  # services | publics_specifiquement_adresses | prise_en_charge_specifique | gratuit | ouvert | rdv
    # (or "ignorer": words that say nothing about the place, such as "aide" or "cherche")
    values: tuple[str, ...] = ()


def load_filters(path: Path = FILTERS_FILE) -> tuple[list[Filter], PhraseMatcher]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    filters: list[Filter] = [Filter("", "ignorer")]
    entries: list[tuple[str, int]] = [(word, 0) for word in data.get("ignorer", {}).get("mots", [])]
    for item in data.get("filtre", []):
        flt = Filter(str(item["nom"]), str(item["champ"]), tuple(item.get("valeurs", ())))
        filters.append(flt)
        entries += [(word, len(filters) - 1) for word in item.get("mots", [])]
    return filters, PhraseMatcher(entries)


@dataclass
class Understood:
    location: Location | None = None
    filters: list[Filter] = field(default_factory=list)
    text: str = ""  # the words left for the full-text search (commune words included: they match the commune)
    words: list[str] = field(default_factory=list)  # the same, without the commune words

    @property
    def search_text(self) -> str:
        """The words to search when the commune is already used for distance: without the commune's words."""
        return " ".join(self.words) or self.text

    def has(self, flag: str) -> bool:
        return any(f.field == flag for f in self.filters)

    def describe(self) -> str:
        """"Grenoble (38) · démarches administratives · ouvert maintenant" — what Relais understood."""
        parts = []
        if self.location is not None:
            parts.append(self.location.label)
        parts += [f.name for f in self.filters]
        if self.words:
            parts.append("« " + " ".join(self.words) + " »")
        return " · ".join(parts)


def parse_query(text: str, gazetteer: Gazetteer, filters: list[Filter], matcher: PhraseMatcher) -> Understood:
    tokens = tokenize(text)
    location = gazetteer.recognise(text)
    consumed: set[int] = set()
    commune_positions: set[int] = set()
    if location is not None:
        if location.kind == "commune":
            # The commune's own words stay searchable (they match the place's commune), the rest is consumed.
            commune_positions = {p for p in location.positions if not tokens[p].isdigit()}
            consumed = set(location.positions) - commune_positions
        else:
            consumed = set(location.positions)
    found: list[Filter] = []
    matches = []
    matched_filters: list[list[Filter]] = []
    for m in matcher.find(matcher.analyse(text)):
        span = set(range(m.start, m.end))
        if span & (consumed | commune_positions):
            continue
        these = [filters[idx] for idx in m.values if filters[idx].field != "ignorer"]
        found += [f for f in these if f not in found]
        matches.append(m)
        matched_filters.append(these)
        consumed |= span
    leftover = [t for i, t in enumerate(tokens) if i not in consumed and i not in commune_positions
                and t not in STOPWORDS]
    if len(leftover) >= NAME_LIKE_WORDS:
        # A long text is a place's name ("régie de quartier … réussir l'insertion à Bron"): its words are
        # searched as words, not turned into service or public filters. Flags (ouvert, gratuit, rdv) stay.
        for m, flt in zip(matches, matched_filters, strict=True):
            if flt and all(f.field not in FLAG_FIELDS for f in flt):
                consumed -= set(range(m.start, m.end))
                found = [f for f in found if f not in flt]
    kept = [t for i, t in enumerate(tokens) if i not in consumed]
    words = [t for i, t in enumerate(tokens) if i not in consumed and i not in commune_positions]
    return Understood(location, found, " ".join(kept), words)
