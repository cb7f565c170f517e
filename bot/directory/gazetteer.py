"""Where is the counsellor talking about? Every commune of France, postal code, INSEE code, arrondissement or
département, anywhere in the text — as candidates, each with how sure the reading is.

The communes come from the national registry (`bot.geo`, every commune with its coordinates, overseas included);
names are recognised whole or by their first words ("digne" → Digne-les-Bains, "st trivier", "bourg"). A word
that is an ordinary word of the directory or of the counsellors' vocabulary is never read as a typo of a commune
("papiers" is not Pamiers, "bievre" not Nièvre); fuzzy matching is only for words nothing explains exactly.
Homonyms (Saint-Denis 93 / 974) are settled by the other clues typed (département, postal code), then by the
counsellor's territory, then by size; the others are kept for the answer to offer.

`locate_commune` (re-exported from `bot.geo`) gives other code a commune's real coordinates.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache

from rapidfuzz.distance import Levenshtein

from bot.directory.departements import DEPARTEMENTS
from bot.directory.schema import Place
from bot.geo.communes import PLM, Commune, CommuneRegistry, locate_commune, name_key, registry
from bot.search import STOPWORDS, PhraseMatch, PhraseMatcher, haversine_km, tokenize
from bot.search.phonetic import slip_of, sounds_like

__all__ = ["Candidate", "Gazetteer", "Location", "locate_commune"]

_DEP_TOKEN = re.compile(r"^(0[1-9]|[1-8]\d|9[0-5]|2a|2b|97[1-8]|98[678])$")
_FIVE_DIGITS = re.compile(r"^\d[\dab]\d{3}$")
GENERIC_FIRST = {"saint", "sainte", "le", "la", "les", "l", "mont", "val", "pont", "port", "villeneuve", "ville"}
TERRITORY_KM = 120.0  # a homonym this close to the counsellor's territory is the one meant
MAX_ALTERNATIVES = 4
WITH_PLACES_BONUS = 0.15  # a homonym with places in the directory, against another of about the same size
SOUNDS_ALIKE_BONUS = 0.4  # of the names one typo away, one that also sounds like what was typed
RIVAL_SIZE_WEIGHT = 0.1  # the prior's size term for a town read against a village spelt exactly (else 0.04)
NAME_WORDS = frozenset({"saint", "sainte"})  # ordinary words of place names that begin many communes' names
RIVAL_RATIO = 20  # … and a town this many times the size of the village spelt exactly is a rival reading
MIN_TYPO_LETTERS = 6  # a lone word is read as a misspelt commune from 6 letters on ("grenble", "chambry")
VILLAGE = 2_000  # a commune typed exactly but this small may be a misspelt town ("chambry": Chambéry)
TOWN = 20_000  # … from 5 letters when the commune is a town at least this size ("colmr": Colmar), and against an
#                exact beginning of a longer name only for a town ("chartre": Chartres, not La Chartre-sur-le-Loir)


@dataclass(frozen=True)
class Location:
    kind: str  # commune | code_postal | departement | territoire
    label: str  # "Grenoble (38)", "38000 (Grenoble)", "Isère (38)"
    departement: str
    lat: float | None
    lon: float | None
    positions: frozenset[int]  # query tokens that named it
    others: tuple[str, ...] = ()  # homonyms not chosen ("Saint-Denis (93)")
    commune: str | None = None  # commune name when a commune was understood
    insee: str | None = None
    alternatives: tuple[str, ...] = ()  # INSEE codes of the homonyms, for "did you mean" buttons
    partial: bool = False  # "digne" for Digne-les-Bains
    fuzzy: bool = False  # read through a typo

    @property
    def point(self) -> tuple[float, float] | None:
        return (self.lat, self.lon) if self.lat is not None and self.lon is not None else None


@dataclass
class Candidate:
    """One possible location in the text and how plausible it is (higher is surer)."""

    location: Location
    prior: float
    why: str = ""
    span: frozenset[int] = field(default_factory=frozenset)


@dataclass
class _NationalIndex:
    registry: CommuneRegistry
    matcher: PhraseMatcher
    # How the names of communes of some size sound (`sounds_like` of their words, small words dropped): "dunkerke"
    # is Dunkerque, "pont de vau" Pont-de-Vaux, spellings one typo does not explain.
    sounds: dict[str, tuple[int, ...]] = field(default_factory=dict)


@cache
def national_index() -> _NationalIndex:
    """Phrases for every commune name, its first words and the départements; built once per process."""
    reg = registry()
    entries: list[tuple[str, object]] = []
    for i, c in enumerate(reg.communes):
        entries.append((c.name, i))
        words = [w for w in tokenize(c.name) if w not in ("de", "du", "des", "la", "le", "les", "l", "d", "en",
                                                          "sur", "sous", "et", "aux", "a", "lez", "les")]
        # First words of a longer name ("digne" → Digne-les-Bains, "st trivier"): never a lone "saint".
        for k in range(1, len(words)):
            prefix = words[:k]
            if k == 1 and (prefix[0] in GENERIC_FIRST or prefix[0] in ("st", "ste") or len(prefix[0]) < 3):
                continue
            entries.append((" ".join(prefix), ("p", i)))
    entries += [(name, ("dep", code)) for code, name in DEPARTEMENTS.items()]
    matcher = PhraseMatcher(entries)
    sounds: dict[str, list[int]] = {}
    for i, c in enumerate(reg.communes):
        if c.kind == "COM" and c.population >= VILLAGE:
            sounds.setdefault(sounds_like(_bare(matcher, c.name)), []).append(i)
    return _NationalIndex(reg, matcher, {k: tuple(v) for k, v in sounds.items()})


def _bare(matcher: PhraseMatcher, name: str) -> str:
    """A name as its words run together, small words dropped ("Pont-de-Vaux": "pontvaux"): what `sounds_like` and
    spelling distances compare, for commune names and typed words alike."""
    return "".join(w for w in matcher.analyse(name) if w not in STOPWORDS)


@cache
def _generic_by_dep() -> dict[tuple[str, str], list[Commune]]:
    """Communes by (département, first word) for the first words too common to stand alone (`GENERIC_FIRST`),
    largest first: "villeneuve 47" is then one look-up. Built on first use (rare texts), once per process."""
    out: dict[tuple[str, str], list[Commune]] = {}
    for c in registry().communes:
        first = c.name.split(" ")[0].split("-")[0].lower()
        if c.kind == "COM" and first in GENERIC_FIRST:
            out.setdefault((c.departement, first), []).append(c)
    for group in out.values():
        group.sort(key=lambda c: -c.population)
    return out


def _dep_of_postal(code: str) -> str:
    if code[:2] in ("97", "98"):
        return code[:3]
    if code[:2] == "20":
        return "2A" if code < "20200" else "2B"
    return code[:2]


class Gazetteer:
    def __init__(self, places: Iterable[Place] = (), *, known_words: set[str] | None = None,
                 ordinary_words: set[str] | None = None) -> None:
        """`known_words`: every word of the directory and of the vocabulary — never read as a typo of a commune.
        `ordinary_words`: everyday words ("ligne", "port") that may still be a commune when nothing else is."""
        national = national_index()
        self.registry = national.registry
        self.matcher = national.matcher
        self.sounds = national.sounds
        self.known_words = known_words or set()
        self.ordinary_words = ordinary_words or set()
        dep_coords: dict[str, tuple[float, float, int]] = {}
        for c in self.registry.communes:
            if c.kind == "COM":
                lat, lon, n = dep_coords.get(c.departement, (0.0, 0.0, 0))
                dep_coords[c.departement] = (lat + c.lat, lon + c.lon, n + 1)
        self.dep_centre = {d: (a / n, b / n) for d, (a, b, n) in dep_coords.items()}
        self.departements = set(self.dep_centre)
        # Communes the national file lacks (the collectivités d'outre-mer: Saint-Martin, Saint-Barthélemy…) but
        # the directory has places in: located at the mean of their places, recognised by name and postal code.
        local: dict[tuple[str, str], tuple[Place, list[float], list[float]]] = {}
        # Communes where the directory has places: among homonyms, the likelier meant (a small clue, after size).
        self.with_places: set[tuple[str, str]] = set()
        for p in places:
            self.with_places.add((name_key(p.commune), p.departement))
            known = (p.code_insee and p.code_insee in self.registry.by_insee) or \
                p.code_postal in self.registry.by_postal or any(
                c.departement == p.departement for c in self.registry.by_name.get(name_key(p.commune), ()))
            if known or not p.has_coordinates:
                continue
            first, lats, lons = local.setdefault((name_key(p.commune), p.departement), (p, [], []))
            lats.append(p.latitude)  # type: ignore[arg-type]
            lons.append(p.longitude)  # type: ignore[arg-type]
        self.local: list[Commune] = [
            Commune(first.code_insee or "", "COM", first.commune, dep, (first.code_postal,), sum(la) / len(la),
                    sum(lo) / len(lo), 0, None) for (_, dep), (first, la, lo) in local.items()]
        self.local_matcher = PhraseMatcher([(c.name, i) for i, c in enumerate(self.local)]) if self.local else None
        self.local_postal = {c.postal_codes[0]: c for c in self.local}

    def __len__(self) -> int:
        return len(self.registry.communes)

    # -- building blocks -------------------------------------------------------------------
    def commune_location(self, c: Commune, positions: Iterable[int], others: list[Commune] | None = None,
                         *, kind: str = "commune", partial: bool = False, fuzzy: bool = False) -> Location:
        others = others or []
        label = c.label if kind != "code_postal" else f"{c.postal_codes[0] if c.postal_codes else ''} ({c.name})"
        return Location(kind, label, c.departement, c.lat, c.lon, frozenset(positions),
                        tuple(o.label for o in others[:MAX_ALTERNATIVES]), commune=c.name, insee=c.insee,
                        alternatives=tuple(o.insee for o in others[:MAX_ALTERNATIVES]), partial=partial, fuzzy=fuzzy)

    def departement_location(self, code: str, positions: Iterable[int]) -> Location:
        lat, lon = self.dep_centre.get(code, (None, None))
        name = DEPARTEMENTS.get(code, code)
        return Location("departement", f"{name} ({code})", code, lat, lon, frozenset(positions))

    def _pick(self, found: list[tuple[Commune, bool]], dep: str | None, postal: str | None,
              territory: tuple[float, float] | None, misspelt: str | None = None) -> list[Commune]:
        """Homonyms best first: the département or postal code typed, then the territory, then size.
        `misspelt`: the words as typed, when they are one typo from each name: different names, not homonyms, so
        the one that also sounds like them comes first ("alles": Alès before Arles), then size; having places
        in the directory says nothing there ("morlais": Morlaix, not Morlaàs)."""
        heard = sounds_like(misspelt) if misspelt else None
        names = [name_key(c.name) for c, _ in found]

        def key(item: tuple[Commune, bool]) -> float:
            c, exact = item
            score = 0.25 * math.log10(c.population + 10) + (0.2 if exact else 0.0)
            score -= 0.6 if c.kind in ("COMD", "COMA") else 0.0
            if heard is None or names.count(name_key(c.name)) > 1:  # misspelt: among homonyms only
                score += WITH_PLACES_BONUS if (name_key(c.name), c.departement) in self.with_places else 0.0
            if heard is not None and sounds_like(_bare(self.matcher, c.name)) == heard:
                score += SOUNDS_ALIKE_BONUS
            if dep and c.departement == dep:
                score += 3.0
            if postal and postal in c.postal_codes:
                score += 4.0
            if territory is not None:
                d = haversine_km(territory[0], territory[1], c.lat, c.lon)
                score += 2.0 * max(0.0, 1.0 - d / TERRITORY_KM)
            return score

        # A commune may come twice (whole name and beginning of another): the best-scored copy stays.
        best: dict[int, tuple[float, Commune]] = {}
        for item in found:
            k = key(item)
            seen = best.get(id(item[0]))
            if seen is None or k > seen[0]:
                best[id(item[0])] = (k, item[0])
        return [c for _, c in sorted(best.values(), key=lambda kc: (-kc[0], kc[1].insee))]

    # -- reading the text ---------------------------------------------------------------------
    def candidates(self, text: str, *, need_positions: set[int] | frozenset[int] = frozenset(),
                   territory: tuple[float, float] | None = None) -> list[Candidate]:
        """Every plausible location in the text, surest first. `need_positions`: tokens already read as a need
        or a filter (a commune there is less likely: "en ligne", "papiers")."""
        tokens = tokenize(text)
        out: list[Candidate] = []
        dep_hint: tuple[str, int] | None = None
        postal: tuple[str, int] | None = None
        for i, tok in enumerate(tokens):
            if _FIVE_DIGITS.match(tok) and postal is None:
                postal = (tok.upper(), i)
            elif _DEP_TOKEN.match(tok) and dep_hint is None:
                dep_hint = (tok.upper(), i)
        used_numbers: set[int] = set()
        found_matches = []
        rivals: set[int] = set()  # whole names one typo away from a word read as the beginning of longer names
        rival_floor: dict[int, int] = {}  # … and the size a commune needs to be one of them
        analysed = self.matcher.analyse(text)
        direct = self.matcher.find(analysed, ties=True, others=True)
        sounding = self._sounding(text, direct)
        heard_spans = {(m.start, m.end): m for m in sounding}
        for m in direct:
            found_matches.append(m)
            if all(isinstance(v, tuple) and v[0] == "p" or isinstance(v, int)
                   and self.registry.communes[v].population < VILLAGE for v in m.values):
                # Only the beginning of longer names ("chartre": La Chartre-sur-le-Loir) or villages ("chambry":
                # Chambry, 77): a town's whole name one typo away (Chartres, Chambéry) is a reading too, and
                # against a hamlet a smaller town many times its size ("lourde", 100 people: Lourdes).
                exact_sizes = [self.registry.communes[v].population for v in m.values if isinstance(v, int)]
                rival_size = TOWN if not exact_sizes else min(TOWN, max(VILLAGE, RIVAL_RATIO * max(exact_sizes)))
                whole = [o for o in m.others if any(isinstance(v, int) and self.registry.communes[v].population
                                                    >= rival_size for v in o.values)]
                alike = heard_spans.pop((m.start, m.end), None)
                if whole and alike is not None:
                    whole.append(alike)  # "alles": Alès sounds like it, Arles is one letter away
                if whole:
                    # One reading of them all, so that the one that also sounds alike ("alles": Alès, not Arles),
                    # else the largest, comes first and the others are offered.
                    merged = replace(whole[0], values=tuple(dict.fromkeys(v for o in whole for v in o.values
                                                                           if isinstance(v, int))))
                    found_matches.append(merged)
                    rivals.add(id(merged))
                    rival_floor[id(merged)] = rival_size
        sounding = list(heard_spans.values())
        found_matches += sounding
        rivals |= {id(m) for m in sounding}
        heard = {id(m) for m in sounding}  # of communes of some size already (`VILLAGE`)
        if self.local_matcher is not None:
            found_matches += [replace(m, values=tuple(("l", v) for v in m.values))
                              for m in self.local_matcher.find(self.local_matcher.analyse(text))]
        dep_named: tuple[str, set[int]] | None = None  # "saint paul reunion": a département's name as a clue
        for m in found_matches:
            deps_only = [v[1] for v in m.values if isinstance(v, tuple) and v[0] == "dep"]
            if deps_only and m.score >= 1.0 and dep_named is None:
                dep_named = (deps_only[0], set(range(m.start, m.end)))
        for m in found_matches:
            span = set(range(m.start, m.end))
            span_tokens = [tokens[p] for p in sorted(span) if p < len(tokens)]
            five_letters = False
            if m.score < 1.0:
                phrase_words = set(self.matcher.analyse(m.phrase))
                # Compared as the matcher read them ("st" is "saint").
                read_as = [analysed[p] for p in sorted(span) if p < len(analysed)]
                typos = [t for t in read_as if t not in phrase_words]
                doubled_only = len(read_as) > 1 and all(any(slip_of(t, w) for w in phrase_words) for t in typos)
                if id(m) not in rivals and not doubled_only and any(
                        t in self.known_words and t not in phrase_words for t in read_as):
                    continue  # "papiers" is a word, not a typo of Pamiers; "st afrique" is Saint-Affrique
                shortest = min((len(t) for t in typos), default=MIN_TYPO_LETTERS)
                if len(span_tokens) == 1 and shortest < MIN_TYPO_LETTERS - 1:
                    continue  # short everyday words ("quand", "pièce", "avez") are not typos of Quend, Piacé…
                # Five letters: only a town that size makes likely ("colmr", "blios", "nanci"), not a village.
                five_letters = len(span_tokens) == 1 and shortest == MIN_TYPO_LETTERS - 1
            communes: list[tuple[Commune, bool]] = []
            deps: list[str] = []
            for v in m.values:
                if isinstance(v, int):
                    communes.append((self.registry.communes[v], True))
                elif isinstance(v, tuple) and v[0] == "p":
                    communes.append((self.registry.communes[v[1]], False))
                elif isinstance(v, tuple) and v[0] == "l":
                    communes.append((self.local[v[1]], True))
                elif isinstance(v, tuple) and v[0] == "dep":
                    deps.append(v[1])
            if m.score < 1.0:
                # A misspelt beginning of a name is too loose ("saro" is not Saron-sur-Aube, "moissye" not
                # Moissy-Cramayel): misspelt, only whole names count.
                small_ok = id(m) in heard or not five_letters and id(m) not in rivals  # else a town
                # … or, from five letters, a commune of some size where the directory has places ("bando": Bandol).
                floor = rival_floor.get(id(m), TOWN)
                # A beginning with just a doubled letter more or less is a slip, not a loose match ("valouise":
                # Vallouise-Pelvoux).
                typed = "".join(t for t in read_as if t not in STOPWORDS)
                communes = [(c, e) for c, e in communes
                            if (e or len(typed) >= 6 and slip_of(typed, _bare(self.matcher, c.name), beginning=True))
                            and (small_ok or c.population >= floor or five_letters and c.population >= VILLAGE
                                 and (name_key(c.name), c.departement) in self.with_places)]
                if not communes and not deps:
                    continue
            if len(span_tokens) == 1 and span_tokens[0] in self.ordinary_words:
                # An ordinary word is not the beginning of a longer name ("sans" is not Sans-Vallois).
                communes = [(c, e) for c, e in communes if e]
            n_words = len([t for t in span_tokens if t not in ("de", "du", "des", "la", "le", "les", "l", "en")])
            single = n_words <= 1
            ordinary = single and all(t in self.ordinary_words for t in span_tokens)
            overlaps_need = bool(span & set(need_positions))
            base = m.score + 0.2 * (n_words - 1) - 0.7 * ordinary - 0.8 * overlaps_need + 0.02 * m.start
            if communes:
                wanted_dep = dep_hint[0] if dep_hint else (_dep_of_postal(postal[0]) if postal else
                                                            dep_named[0] if dep_named else None)
                misspelt = "".join(t for t in span_tokens if t not in STOPWORDS) if m.score < 1.0 else None
                ranked = self._pick(communes, wanted_dep, postal[0] if postal else None, territory, misspelt)
                chosen = ranked[0]
                exact = any(c is chosen and e for c, e in communes)
                positions = set(span)
                # "lyon 3", "marseille 13e", "paris 15": the arrondissement.
                if chosen.insee in PLM and m.end < len(tokens):
                    arm = self.registry.arrondissement(chosen, tokens[m.end])
                    if arm is not None:
                        positions.add(m.end)
                        used_numbers.add(m.end)
                        chosen, ranked = arm, [arm]
                if dep_hint and dep_hint[0] == chosen.departement:
                    positions.add(dep_hint[1])
                if postal and postal[0] in chosen.postal_codes:
                    positions.add(postal[1])
                if dep_named and dep_named[0] == chosen.departement and not (dep_named[1] & span):
                    positions |= dep_named[1]
                if ordinary and not (positions - span):
                    continue  # an everyday word that is also a commune ("son", "pas") needs a clue ("pas 53")
                # Each clue it agrees with makes the reading surer (and beats the clue read alone).
                # A town one typo from what was typed, against a village spelt exactly ("chambry": Chambéry, not
                # Chambry, 77), is likelier the larger it is; not when the word typed is one of the directory's
                # ("loiron": France services Loiron, not Voiron).
                size = RIVAL_SIZE_WEIGHT if id(m) in rivals and not any(
                    t in self.known_words for t in span_tokens) else 0.04
                prior = 0.6 * len(positions - span) + base + (0.0 if exact else -0.25) \
                    + size * math.log10(chosen.population + 10)
                why = ("nom exact" if exact else "début du nom") + (", avec une faute" if m.score < 1.0 else "")
                loc = self.commune_location(chosen, positions, ranked[1:], partial=not exact, fuzzy=m.score < 1.0)
                out.append(Candidate(loc, prior, why, frozenset(positions)))
                if len(ranked) > 1 and not (positions - span):
                    # No clue settles the homonym: the runners-up are readings too (their results may fit better);
                    # a misspelt or partial name has more of them.
                    runners = ranked[1:3] if (m.score < 1.0 or not exact) else ranked[1:2]
                    for k, alt in enumerate(runners, 1):
                        alt_exact = any(c is alt and e for c, e in communes)
                        alt_loc = self.commune_location(alt, positions, [chosen, *[r for r in ranked[1:] if r is not
                                                                                  alt]], partial=not alt_exact,
                                                        fuzzy=m.score < 1.0)
                        # Less likely the smaller it is next to the first ("st flour": Saint-Flour before the
                        # village of Saint-Flour-l'Étang, unless only the village has what is asked nearby).
                        smaller = max(0.0, math.log10((chosen.population + 10) / (alt.population + 10)))
                        out.append(Candidate(alt_loc, prior - 0.2 * k - 0.15 * smaller, why + ", homonyme",
                                             frozenset(positions)))
            elif deps:
                out.append(Candidate(self.departement_location(deps[0], span), base - 0.1, "département",
                                     frozenset(span)))
        clue = dep_hint[0] if dep_hint else _dep_of_postal(postal[0]) if postal else None
        if clue is not None:
            out += self._generic_beginnings(tokens, clue, dep_hint[1] if dep_hint else postal[1] if postal else -1,
                                            {p for c in out if c.location.departement == clue for p in c.span})
        if postal is not None:
            code, pos = postal
            by_cp = self.registry.by_postal.get(code, []) or ([self.local_postal[code]] if code in self.local_postal
                                                               else [])
            by_insee = self.registry.by_insee.get(code)
            if by_cp:
                ranked = self._pick([(c, True) for c in by_cp], None, None, territory)
                loc = self.commune_location(ranked[0], {pos}, ranked[1:], kind="code_postal")
                loc = Location(loc.kind, f"{code} ({ranked[0].name})", *_rest(loc))
                out.append(Candidate(loc, 1.6, "code postal", frozenset({pos})))
            elif by_insee is not None:
                out.append(Candidate(self.commune_location(by_insee, {pos}), 1.5, "code INSEE", frozenset({pos})))
            elif _dep_of_postal(code) in self.departements:
                dep = _dep_of_postal(code)
                out.append(Candidate(self.departement_location(dep, {pos}), 0.9, "département du code postal",
                                     frozenset({pos})))
        if dep_hint is not None and dep_hint[1] not in used_numbers and dep_hint[0] in DEPARTEMENTS:
            code, pos = dep_hint
            out.append(Candidate(self.departement_location(code, {pos}), 0.8, "numéro de département",
                                 frozenset({pos})))
        out.sort(key=lambda c: -c.prior)
        return out

    def _generic_beginnings(self, tokens: list[str], dep: str, clue_at: int, read: set[int]) -> list[Candidate]:
        """"villeneuve 47", "pont 38": a first word too common to stand for a name alone, with a département:
        the largest commune of that département whose name begins with it (Villeneuve-sur-Lot)."""
        out = []
        for i, tok in enumerate(tokens):
            if tok not in GENERIC_FIRST or len(tok) < 4 or i in read:
                continue
            found = _generic_by_dep().get((dep, tok))
            if not found:
                continue
            loc = self.commune_location(found[0], {i, clue_at}, found[1:], partial=True)
            out.append(Candidate(loc, 1.35 + 0.04 * math.log10(found[0].population + 10), "début du nom",
                                 frozenset({i, clue_at})))
        return out

    def _sounding(self, text: str, found: list[PhraseMatch]) -> list[PhraseMatch]:
        """Communes whose names sound like one to four words of the text ("dunkerke", "pont de vau") where no
        commune is read exactly, or only a village (a town that sounds the same may be meant)."""
        tokens = self.matcher.analyse(text)
        content = [i for i, t in enumerate(tokens) if t not in STOPWORDS]
        exact: dict[tuple[int, int], list[int]] = {}
        one_typo: set[tuple[int, int]] = set()  # spans a whole name with one typo explains already
        for m in found:
            whole = [v for v in m.values if isinstance(v, int)]
            if m.score >= 1.0:
                exact[(m.start, m.end)] = whole
            elif whole and not (m.end - m.start == 1 and len(tokens[m.start]) < MIN_TYPO_LETTERS and all(
                    self.registry.communes[v].population < TOWN for v in whole)):  # the rule `candidates` applies
                one_typo.add((m.start, m.end))
        out: list[PhraseMatch] = []
        for j in range(len(content)):
            for n in range(1, 5):
                if j + n > len(content):
                    break
                words = [tokens[p] for p in content[j:j + n]]
                if (n == 1 and len(words[0]) < MIN_TYPO_LETTERS - 1) or any(
                        len(w) < 3 or w in self.ordinary_words and w not in NAME_WORDS or w.isdigit() for w in words):
                    continue  # everyday words ("quand on", "faire") are not names heard wrong; "saint" may be
                span = (content[j], content[j + n - 1] + 1)
                typed = "".join(words)
                key = sounds_like(typed)
                ids = self.sounds.get(key) if len(key) >= 3 and span not in one_typo else None
                if ids and len(key) < 4:
                    # A short key matches too much ("ale", "beu"): only a name spelt the same but for a doubled
                    # letter ("alles": Alès) or a silent last letter left out ("bayeu": Bayeux).
                    ids = tuple(i for i in ids if slip_of(typed, _bare(self.matcher, self.registry.communes[i].name)))
                if not ids:
                    continue
                # Of the names that sound alike, the nearest in spelling ("thiez": Thyez, not Thiais).
                spelt = {i: Levenshtein.distance(typed, _bare(self.matcher, self.registry.communes[i].name))
                         for i in ids}
                ids = tuple(i for i in ids if spelt[i] == min(spelt.values()))
                same = exact.get(span)
                if same is not None and (any(self.registry.communes[i].population >= VILLAGE for i in same)
                                         or set(ids) <= set(same)):
                    continue
                ids = tuple(i for i in ids if same is None or i not in same)
                out.append(PhraseMatch(span[0], span[1], ids, 0.8, self.registry.communes[ids[0]].name))
        return out

    def recognise(self, text: str, *, territory: tuple[float, float] | None = None) -> Location | None:
        """The surest place named in the text, if any (kept for callers that want just one)."""
        found = self.candidates(text, territory=territory)
        return found[0].location if found else None


def _rest(loc: Location) -> tuple:  # type: ignore[type-arg]
    return (loc.departement, loc.lat, loc.lon, loc.positions, loc.others, loc.commune, loc.insee, loc.alternatives,
            loc.partial, loc.fuzzy)
