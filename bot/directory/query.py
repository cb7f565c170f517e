"""What a counsellor's text means, read several ways: which words are the place (commune, postal code,
département), which are filters (needs, publics, "ouvert samedi", "sans rdv") and which are left to search.

The words overlap ("saint pierre" is a commune and part of names, "ligne" a commune and a word, "gap" a
commune), so `readings` returns every plausible reading with a prior; the search (`bot.directory.search`) runs the
best few and keeps the one whose results fit best. Filter words live in `filters.toml` (editable); they are found
with the shared `PhraseMatcher`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.directory.gazetteer import Candidate, Gazetteer, Location
from bot.search import STOPWORDS, PhraseMatcher, tokenize

FILTERS_FILE = Path(__file__).with_name("filters.toml")
FLAG_FIELDS = ("gratuit", "ouvert", "rdv", "sans_rdv", "jour", "moment")
NAME_LIKE_WORDS = 3  # other words left: the text is a name, not a need
MAX_LOCATION_READINGS = 5
WORDS_DROPPED_COST = 0.4  # a reading that ignores typed words must fit much better to win
NAME_READING_COST = 0.3  # need words read as part of a place's name instead: only when a name fits them all
NO_LOCATION_PRIOR = 0.55  # reading the text without any place, when some word could be one
TERRITORY_COST = 0.5  # the counsellor's commune instead of a place read in the text
MIN_LOCATION_PRIOR = 0.3  # below this, a "place" in the text is not read as one at all
MAX_OFFERED = 5  # other communes offered as buttons


@dataclass(frozen=True)
class Filter:
    name: str  # French label shown back to the counsellor
    # services | publics_specifiquement_adresses | prise_en_charge_specifique | gratuit | ouvert | rdv | sans_rdv
    # | jour (valeurs: lundi…dimanche, aujourd'hui, demain) | moment (valeurs: matin, apres-midi, soir)
    # (or "ignorer": words that say nothing about the place, such as "aide" or "cherche")
    field: str
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
    text: str = ""  # the words left for the full-text search, place words included (when no place is used)
    words: list[str] = field(default_factory=list)  # the words left, without the place's words
    prior: float = 1.0  # how plausible this reading is before looking at results
    why: str = ""  # how the place was read ("nom exact", "début du nom", "votre commune"…)

    @property
    def search_text(self) -> str:
        """The words to search when the place is already used for distance: without the place's words."""
        return " ".join(self.words) if self.location is not None and self.location.point is not None \
            else self.text

    def has(self, flag: str) -> bool:
        return any(f.field == flag for f in self.filters)

    def describe(self) -> str:
        """"Grenoble (38) · démarches administratives · ouvert maintenant" — what Relais understood."""
        parts = []
        if self.location is not None:
            parts.append(self.location.label + (" (votre commune)" if self.location.kind == "territoire" else ""))
        parts += [f.name for f in self.filters]
        if self.words:
            parts.append("« " + " ".join(self.words) + " »")
        return " · ".join(parts)

    def explain(self) -> str:
        """One line for `--explain`: the place and why, filters, words searched, prior."""
        place = f"{self.location.label} [{self.location.kind}, {self.why}]" if self.location else "aucun lieu"
        filters = ", ".join(f.name for f in self.filters) or "aucun filtre"
        words = " ".join(self.words) or "—"
        return f"lieu : {place} ; filtres : {filters} ; mots : {words} ; a priori {self.prior:.2f}"


def _filters_for(tokens: list[str], matches: list, filters: list[Filter],  # type: ignore[type-arg]
                 taken: set[int], everyday: frozenset[str] | set[str] = frozenset()) -> tuple[list[Filter], set[int]]:
    """The filters the text asks for, and the token positions they use. `everyday`: words of questions ("envoyer",
    "pièce", "jointe") that do not make a text a place's name."""
    found: list[Filter] = []
    consumed: set[int] = set()
    kept_matches: list[tuple[set[int], list[Filter]]] = []
    for m in matches:
        span = set(range(m.start, m.end))
        if span & taken:
            continue
        these = [filters[idx] for idx in m.values if filters[idx].field != "ignorer"]
        found += [f for f in these if f not in found]
        kept_matches.append((span, these))
        consumed |= span
    leftover = [t for i, t in enumerate(tokens) if i not in consumed and i not in taken and t not in STOPWORDS
                and t not in everyday]
    if len(leftover) >= NAME_LIKE_WORDS:
        # A long text is a place's name ("régie de quartier … réussir l'insertion à Bron"): its words are
        # searched as words, not turned into service or public filters. Flags (ouvert, gratuit, rdv) stay.
        for span, flt in kept_matches:
            if flt and all(f.field not in FLAG_FIELDS for f in flt):
                consumed -= span
                found = [f for f in found if f not in flt]
    return found, consumed


def readings(text: str, gazetteer: Gazetteer, filters: list[Filter], matcher: PhraseMatcher, *,
             territory: Location | None = None, prefer_insee: str | None = None) -> list[Understood]:
    """Plausible readings of the text, most plausible first: with each of the best location candidates, and
    without any (then around `territory`, the counsellor's own commune, when known). `prefer_insee`: the
    counsellor picked this homonym (a button of a previous answer)."""
    tokens = tokenize(text)
    matches = matcher.find(matcher.analyse(text))
    # Only words read exactly as a need weigh against a commune there ("digne" is not a typo of "ligne").
    need_positions = {p for m in matches if m.score >= 1.0 and any(filters[i].field != "ignorer" for i in m.values)
                      for p in range(m.start, m.end)}  # "cours" says nothing: Magny-Cours stays a commune
    candidates = gazetteer.candidates(text, need_positions=need_positions,
                                      territory=territory.point if territory is not None else None)
    # Implausible places (a commune's name inside a need phrase…) are not readings; a homonym goes with its first.
    kept_spans = {c.span for c in candidates if c.prior >= MIN_LOCATION_PRIOR and not c.why.endswith("homonyme")}
    candidates = _offer_rivals([c for c in candidates if c.span in kept_spans])
    if prefer_insee:
        candidates = sorted((_prefer(gazetteer, c, prefer_insee) for c in candidates), key=lambda c: -c.prior)
    out: list[Understood] = []
    seen_spans: set[tuple[frozenset[int], bool]] = set()
    for cand in candidates:
        if len(out) >= MAX_LOCATION_READINGS:
            break
        # One reading per span, and per way of reading it: exactly, or as a misspelt town ("chambry": Chambry,
        # a village, and Chambéry).
        key = (cand.span, cand.location.fuzzy)
        if key in seen_spans and not cand.why.endswith("homonyme"):
            continue
        seen_spans.add(key)
        loc = cand.location
        taken = set(cand.span)
        found, consumed = _filters_for(tokens, matches, filters, taken, gazetteer.ordinary_words)
        words = [t for i, t in enumerate(tokens) if i not in consumed and i not in taken and t not in STOPWORDS]
        # Without a point (a département), the place's words are not searched either: the tag does it.
        out.append(Understood(loc, found, " ".join(words), words, cand.prior, cand.why))
        if words and found and loc.point is not None:
            # The leftover words may be noise ("inscription"): the same place and needs without them.
            out.append(Understood(loc, found, "", [], cand.prior - WORDS_DROPPED_COST, cand.why + ", mots ignorés"))
            needs = [f for f in found if f.field not in FLAG_FIELDS]
            if needs:
                # Or the need words are part of a name ("courchevel emploi msap": the place "Courchevel Emploi –
                # MSAP"): the same place, every word searched, no need asked.
                flags, flag_span = _filters_for(tokens, [m for m in matches if all(
                    filters[i].field in FLAG_FIELDS or filters[i].field == "ignorer" for i in m.values)],
                    filters, taken)
                named = [t for i, t in enumerate(tokens) if i not in flag_span and i not in taken
                         and t not in STOPWORDS]
                out.append(Understood(loc, flags, " ".join(named), named, cand.prior - NAME_READING_COST,
                                      cand.why + ", nom d’un lieu"))
    found, consumed = _filters_for(tokens, matches, filters, set(), gazetteer.ordinary_words)
    kept = [t for i, t in enumerate(tokens) if i not in consumed]
    words = [t for t in kept if t not in STOPWORDS]
    prior = NO_LOCATION_PRIOR if out else 1.0
    if territory is not None:
        # A place typed beats the counsellor's own commune, even when the directory has little there ("impots
        # digne" from Bourg: the nearest to Digne, said so); the territory is for texts without a place.
        read_a_place = bool(out)
        around = prior - TERRITORY_COST if read_a_place else prior
        out.append(Understood(territory, found, " ".join(kept), words, around, "votre commune"))
        if words and found:
            # As with a commune typed: the leftover words ("envoyer") may be noise.
            out.append(Understood(territory, found, "", [], around - WORDS_DROPPED_COST, "votre commune, mots ignorés"))
        if words:
            # The text may be a place's name anywhere ("le forum saillant" typed from Vif).
            out.append(Understood(None, found, " ".join(kept), words,
                                  prior if read_a_place else prior - TERRITORY_COST, ""))
    else:
        out.append(Understood(None, found, " ".join(kept), words, prior, ""))
    out.sort(key=lambda u: -u.prior)
    return out


def _offer_rivals(candidates: list[Candidate]) -> list[Candidate]:
    """Communes read from the same words another way ("chambry": Chambry, and Chambéry with a typo) join each
    other's "did you mean" buttons, after the homonyms."""
    by_span: dict[frozenset[int], list[Location]] = {}
    for c in candidates:
        if c.location.insee and c.location.kind == "commune":
            by_span.setdefault(c.span, []).append(c.location)
    out = []
    for c in candidates:
        loc = c.location
        rivals = [o for o in by_span.get(c.span, []) if o.insee != loc.insee and o.insee not in loc.alternatives
                  and o.fuzzy != loc.fuzzy]
        if rivals and loc.kind == "commune":
            loc = replace(loc, others=(*loc.others, *(o.label for o in rivals))[:MAX_OFFERED],
                          alternatives=(*loc.alternatives, *(o.insee or "" for o in rivals))[:MAX_OFFERED])
            c = replace(c, location=loc)
        out.append(c)
    return out


def _prefer(gazetteer: Gazetteer, cand: Candidate, insee: str) -> Candidate:
    loc = cand.location
    if insee not in loc.alternatives:
        return cand
    chosen = gazetteer.registry.by_insee.get(insee)
    if chosen is None:
        return cand
    others = [gazetteer.registry.by_insee[i] for i in (loc.insee, *loc.alternatives) if i and i != insee
              and i in gazetteer.registry.by_insee]
    new = gazetteer.commune_location(chosen, loc.positions, others, partial=loc.partial, fuzzy=loc.fuzzy)
    return replace(cand, location=new, prior=cand.prior + 1.0, why="choisi par vous")


def parse_query(text: str, gazetteer: Gazetteer, filters: list[Filter], matcher: PhraseMatcher) -> Understood:
    """The most plausible reading before looking at results (the search itself compares the best few)."""
    return readings(text, gazetteer, filters, matcher)[0]
