"""Directory search: places as search documents, the counsellor's text understood, filters relaxed rather than
answering nothing, and an index that follows the database (`DirectoryService`)."""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from datetime import time as day_time
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.core import offloop
from bot.core.indexes import INDEXES
from bot.core.text import of_place
from bot.db import Database
from bot.directory.gazetteer import Gazetteer, Location
from bot.directory.hours import is_open
from bot.directory.models import DirectoryMeta
from bot.directory.positions import is_approximate
from bot.directory.present import PlaceSummary, summarise
from bot.directory.query import NAME_LIKE_WORDS, Filter, Understood, load_filters, parse_query, readings
from bot.directory.schema import Place
from bot.directory.store import load_places
from bot.geo import locate_commune
from bot.geo.communes import name_key
from bot.search import Document, QueryPlan, SearchIndex, haversine_km, tokenize

log = logging.getLogger(__name__)

WEIGHTS = {"nom": 3.0, "commune": 1.5, "themes": 1.0, "structure": 0.5}
TYPOLOGIE_WORDS = {"TIERS_LIEUX": "tiers lieu", "ASSO": "association", "MUNI": "mairie", "CCAS": "ccas",
                   "BIB": "mediatheque", "CS": "centre social", "MDS": "mds", "PE": "france travail",
                   "CAF": "caf", "FRANCE_SERVICE": "france services", "MQ": "maison de quartier"}
NEAR_KM = 20.0  # "nearby": a place farther than this is announced as the nearest there is
IN_TOWN_KM = 10.0  # a fitting place this near the point read is "there", however near
NAME_HOLDS_ALL = 0.6  # a place whose name and commune hold every word typed: the text is its name
FAR_KM = 100.0  # beyond this, words that fit only far away are dropped for the places near the commune typed
MAX_READINGS = 5  # readings of a text run before choosing
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MOMENT_HOURS = {"matin": (9, 10, 11), "apres-midi": (14, 15, 16), "soir": (18, 19)}
PUBLIC_FIELD = "publics_specifiquement_adresses"


def _tags(place: Place) -> frozenset[str]:
    tags = {f"service:{s}" for s in place.services}
    tags |= {f"{PUBLIC_FIELD}:{p}" for p in place.publics_specifiquement_adresses}
    if not place.publics_specifiquement_adresses:
        tags.add(f"{PUBLIC_FIELD}:*")  # tout public: welcomes everyone
    tags |= {f"prise_en_charge_specifique:{p}" for p in place.prise_en_charge_specifique}
    tags.add(f"dep:{place.departement}")
    if place.is_free:
        tags.add("gratuit")
    if place.takes_appointments:
        tags.add("rdv")
    return frozenset(tags)


def structure_key(place: Place) -> tuple[str, str]:
    """Same name (accents, case and punctuation aside) and same postal code: the same structure. Imports keep
    every source's record (a France services list and a regional hub overlap); answers show one, at its best rank,
    and it does not cost the counsellor one of the page's slots (the engine groups on this key)."""
    return " ".join(tokenize(place.nom)), place.code_postal or ""


def place_document(place: Place, position: int, point: tuple[float, float] | None = None) -> Document:
    """`point`: where to put a place whose record has no coordinates (its commune's, shown as approximate)."""
    themes = place.services + place.dispositif_programmes_nationaux + place.formations_labels \
        + [TYPOLOGIE_WORDS.get(t, t.replace("_", " ").lower()) for t in place.typologie]
    return Document(
        key=position,
        fields={"nom": place.nom, "commune": place.commune, "themes": " ; ".join(themes),
                "structure": place.structure_parente or ""},
        lat=place.latitude if point is None else point[0], lon=place.longitude if point is None else point[1],
        tags=_tags(place), title=f"{place.nom} {place.commune}",
        group=structure_key(place),
    )


@dataclass
class Result:
    place: Place
    score: float
    distance_km: float | None
    # What the answer shows of the place, worked out once per index and only for places shown (a reading that
    # loses never pays for it): the summary itself, or how to get it.
    summary_source: PlaceSummary | Callable[[], PlaceSummary]
    coverage: float = 0.0  # nearest-first searches: how many of the words searched the place matches
    approximate: bool = False  # the place is positioned at its commune's point: the distance is approximate
    position: int = -1  # in the index

    @property
    def summary(self) -> PlaceSummary:
        if not isinstance(self.summary_source, PlaceSummary):
            self.summary_source = self.summary_source()
        return self.summary_source


@dataclass
class DirectoryAnswer:
    results: list[Result]
    understood: Understood
    relaxed: list[str] = field(default_factory=list)  # filters dropped to avoid an empty answer (French labels)
    unknown_words: list[str] = field(default_factory=list)
    asked_day: date | None = None  # "ouvert samedi": that day, whose hours the answer shows
    note: str = ""  # "Rien à moins de 20 km de Gap : voici les plus proches."
    # Other readings with their scores (None: not run, since even perfect results could not have made it win).
    rejected: list[tuple[Understood, float | None]] = field(default_factory=list)
    score: float = 0.0  # the chosen reading's (prior + fit of its results)
    # The place whose name and commune hold every word typed, when the commune was only guessed at (misspelt or
    # partial) and that place is not among the results: shown last on the first page, so it is seen either way.
    named: Result | None = None

    def page(self, size: int) -> list[Result]:
        """What a first page of `size` shows: the results, the last slot given to `named` when there is one."""
        if self.named is None:
            return self.results[:size]
        return [*self.results[:size - 1], self.named]

    def consumed(self, size: int) -> int:
        """How many of `results` a page of `size` shows (where the next page starts)."""
        return min(len(self.results), size - 1 if self.named is not None else size)


@dataclass
class _Tried:
    understood: Understood
    results: list[Result]
    quality: float
    relaxed: list[str]
    words_far: bool = False  # the words fit only far away: the places near the commune typed are shown instead

    @property
    def total(self) -> float:
        return self.understood.prior + self.quality


def asked_days(filters: list[Filter], now: datetime) -> list[date]:
    """The days a text asks about ("ouvert samedi": the coming Saturday, "demain"), in order."""
    out = []
    for d in (v for f in filters if f.field == "jour" for v in f.values):
        offset = 0 if d == "aujourd hui" else 1 if d == "demain" else \
            (WEEKDAYS.index(d) - now.weekday()) % 7 if d in WEEKDAYS else 0
        out.append((now + timedelta(days=offset)).date())
    return out


def _moment_times(day: date, moments: list[str]) -> list[day_time]:
    wanted = moments or ["matin", "apres-midi"]
    out: list[day_time] = []
    for m in wanted:
        out += [day_time(h, 30) for h in MOMENT_HOURS.get(m, ())]
    return out


EVERYDAY_FILE = Path(__file__).with_name("mots_courants.txt")


def everyday_words(path: Path = EVERYDAY_FILE) -> set[str]:
    """Everyday words (`mots_courants.txt`, editable) that are never typos of a commune."""
    words: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        words.update(tokenize(line.split("#", 1)[0]))
    return words


def _best_quality(understood: Understood) -> float:
    """The most `_try` can give a reading (it bounds which readings are worth running)."""
    loc = understood.location
    if loc is None:
        return 1.4 + NAME_HOLDS_ALL
    if loc.kind == "departement":
        return 1.6
    return 1.9


class DirectoryIndex:
    """Everything needed to answer /annuaire, rebuilt whenever the directory version changes."""

    def __init__(self, places: list[Place], version: int = 0) -> None:
        self.places = places
        self.version = version
        # A record without coordinates is searched at its commune's point ("CCAS Roquebrune-Cap-Martin" near
        # Roquebrune), and its distances are said to be approximate; the record itself is left as it came.
        points = {i: c.point for i, p in enumerate(places) if not p.has_coordinates
                  and (c := locate_commune(p.commune, p.code_postal)) is not None}
        self.approximate = set(points) | {i for i, p in enumerate(places) if is_approximate(p)}
        self.index = SearchIndex([place_document(p, i, points.get(i)) for i, p in enumerate(places)], WEIGHTS)
        self.filters, self.filter_matcher = load_filters()
        vocabulary = set(self.filter_matcher.vocabulary.terms) | set(self.index.synonyms.words())
        # Ordinary words: of the vocabulary, or in places' names other than as their own commune's name.
        # A word found more in names than as places' communes ("croix" of Croix-Rouge) is an ordinary word;
        # "lyon", "grenoble" are place names.
        name_words: Counter[str] = Counter()
        commune_words: Counter[str] = Counter()
        for p in places:
            own = set(tokenize(p.commune))
            commune_words.update(own)
            name_words.update(t for t in set(tokenize(p.nom)) if t not in own)
        ordinary = vocabulary | {w for w, n in name_words.items() if n >= 2 and len(w) > 2
                                 and n > 2 * commune_words[w]}
        ordinary |= everyday_words()
        known = ordinary | set(self.index.vocabulary.terms)
        self.gazetteer = Gazetteer(places, known_words=known, ordinary_words=ordinary)
        self._summaries: list[PlaceSummary | None] = [None] * len(places)  # filled as places get shown

    def __len__(self) -> int:
        return len(self.places)

    def summary(self, position: int) -> PlaceSummary:
        summary = self._summaries[position]
        if summary is None:
            summary = self._summaries[position] = summarise(self.places[position])
        return summary

    def readings(self, text: str, *, territory: Location | None = None,
                 prefer_insee: str | None = None) -> list[Understood]:
        return readings(text, self.gazetteer, self.filters, self.filter_matcher, territory=territory,
                        prefer_insee=prefer_insee)

    def understand(self, text: str) -> Understood:
        return parse_query(text, self.gazetteer, self.filters, self.filter_matcher)

    def territory(self, name_or_code: str) -> Location | None:
        """The counsellor's commune as a search location ("Vif", "38450", "lyon 3")."""
        c = self.gazetteer.registry.locate(name_or_code)
        if c is None:
            return None
        return Location("territoire", c.label, c.departement, c.lat, c.lon, frozenset(), commune=c.name,
                        insee=c.insee)

    def _predicate(self, filters: list[Filter], now: datetime) -> Callable[[int], bool] | None:
        moments = [v for f in filters if f.field == "moment" for v in f.values]
        days = asked_days(filters, now)
        if days or moments:
            # "ouvert samedi", "ouvert demain matin": open at some time of that day (or part of the day).
            checks: list[datetime] = []
            for day in days or [now.date()]:
                checks += [datetime.combine(day, t) for t in _moment_times(day, moments)]

            def open_then(i: int) -> bool:
                p = self.places[i]
                tz = p.timezone
                return any(is_open(p.horaires, tz, at.replace(tzinfo=tz)) for at in checks)
            return open_then
        if any(f.field == "ouvert" for f in filters):
            def predicate(i: int) -> bool:
                p = self.places[i]
                return bool(is_open(p.horaires, p.timezone, now))
            return predicate
        return None

    def _run(self, understood: Understood, filters: list[Filter], now: datetime, limit: int, offset: int,
             use_text: bool = True, plan: QueryPlan | None = None,
             memo: dict[Any, Any] | None = None) -> list[Result]:
        """`plan`: the analysis of the text searched, when the caller has it."""
        tags_all: list[str] = []
        tags_any: list[list[str]] = []
        tags_none: list[str] = []
        for f in filters:
            if f.field in ("gratuit", "rdv"):
                tags_all.append(f.field)
            elif f.field == "sans_rdv":
                tags_none.append("rdv")
            elif f.field == PUBLIC_FIELD:
                tags_any.append([f"{PUBLIC_FIELD}:{v}" for v in f.values] + [f"{PUBLIC_FIELD}:*"])
            elif f.field in ("services", "prise_en_charge_specifique") and f.values:
                tags_any.append([f"{f.field if f.field != 'services' else 'service'}:{v}" for v in f.values])
        loc = understood.location
        near = None
        if loc is not None:
            if loc.kind == "departement":
                tags_all.append(f"dep:{loc.departement}")
            else:
                near = loc.point
        predicate = self._predicate(filters, now)
        text = understood.search_text if use_text else ""
        if near is not None:
            # Geography is a constraint: what fits, nearest first (then farther, said by the answer).
            commune = loc.commune if loc is not None and loc.kind != "territoire" else None
            prefer = None
            if commune and (understood.words or not filters) and use_text:
                # A name ("mairie de st martin du mont") or a commune alone ("valserhone"): among what fits, the
                # places nearby named after the commune, or in it, come first — nearest first within each kind.
                prefer = commune
            hits = self.index.nearest(text, near=near, limit=limit, offset=offset, tags_all=tags_all,
                                      tags_any=tags_any, tags_none=tags_none, predicate=predicate, plan=plan,
                                      memo=memo, prefer=prefer, prefer_km=NEAR_KM)
        else:
            if not text.strip() and not tags_all and not tags_any and not tags_none and predicate is None:
                return []
            hits = self.index.search(text, limit=limit, offset=offset, tags_all=tags_all, tags_any=tags_any,
                                     tags_none=tags_none, predicate=predicate, plan=plan)
        return [Result(self.places[h.key], h.score, h.distance_km, partial(self.summary, h.key), h.coverage,
                       h.key in self.approximate, h.key) for h in hits]

    def _try(self, understood: Understood, now: datetime, limit: int, offset: int,
             memo: dict[Any, Any] | None = None) -> _Tried:
        """Run one reading (dropping filters one kind at a time rather than answering nothing) and say how well
        its results fit: every word matched, and something within reach of the place read."""
        memo = memo if memo is not None else {}
        text = understood.search_text
        plan = self._plan(text, memo)
        filters = list(understood.filters)
        relaxed: list[str] = []
        words_far = False  # the words fit only far away: dropped for the places near the commune
        results = self._run(understood, filters, now, limit, offset, plan=plan, memo=memo)
        if not results and not offset:
            for kinds in (("ouvert", "jour", "moment"), ("rdv", "sans_rdv", "gratuit"),
                          (PUBLIC_FIELD, "prise_en_charge_specifique"), ("services",)):
                dropped = [f for f in filters if f.field in kinds]
                if not dropped:
                    continue
                filters = [f for f in filters if f.field not in kinds]
                relaxed += [f.name for f in dropped]
                results = self._run(understood, filters, now, limit, 0, plan=plan, memo=memo)
                if results:
                    break
            if not results and understood.words and understood.location is not None:
                relaxed.append("« " + " ".join(understood.words) + " »")
                results = self._run(understood, filters, now, limit, 0, use_text=False)
        elif results and not offset and _few_words_on_a_sure_place(understood) and _farther_than(results[0], FAR_KM):
            # The words fit only far away ("mairie saint pierre" read at La Réunion: the nearest mairie is in
            # the Var): geography wins, the places near the commune typed come first, and the answer says so.
            nearby = self._run(understood, filters, now, limit, 0, use_text=False)
            if nearby and not _farther_than(nearby[0], FAR_KM):
                results = nearby
                words_far = True
        if not results:
            return _Tried(understood, [], -2.0, relaxed)
        slots = len(plan.slots)
        unknown = len([w for w in plan.unknown_words if w in understood.words])
        quality = -0.6 * len(relaxed) - 0.5 * unknown
        first = results[0]
        if understood.location is not None and understood.location.kind == "departement":
            quality += (1.0 if unknown == 0 else 0.5) + 0.6  # every result is in the département typed
        elif understood.location is not None and understood.location.point is not None:
            if words_far:
                quality += 0.2  # the place typed is served, not the words
            elif slots:
                # Words that fit only far away say less for this reading ("mairie saint pierre": mairies 185 km
                # from Saint-Pierre-des-Corps are no reason to prefer it to Saint-Pierre, La Réunion).
                km = first.distance_km
                quality += min(1.0, first.coverage / slots) * (FAR_KM / km if km is not None and km > FAR_KM else 1.0)
            else:
                quality += 1.0
            d = first.distance_km
            # The nearer the first fitting place, the likelier the reading ("st trivier": the one with a place);
            # within a town's own reach (10 km) nearer says nothing (La Chartre's 190 m against Chartres's 2 km).
            quality += 0.0 if d is None else 0.9 / (1.0 + max(0.0, d - IN_TOWN_KM) / 8.0)
        else:
            # Without a place, a search made only of filters lists places anywhere in France: a weak answer.
            quality += (1.0 if unknown == 0 else 0.5) if slots else 0.2
            quality += 0.4  # no distance to check
            if slots >= 2 and unknown == 0 and first.position >= 0 and len(
                    self.index.matched_words(plan, first.position, ("nom", "commune"))) == slots:
                # One place's name and commune hold every word typed ("le forum saillant": Le Forum, Saillans):
                # the text is that place's name, whatever commune one of its words also names.
                quality += NAME_HOLDS_ALL
        return _Tried(understood, results, quality, relaxed, words_far)

    def _plan(self, text: str, memo: dict[Any, Any]) -> QueryPlan:
        """The analysis of `text`, made once per question (its readings often search the same words)."""
        plan = memo.get(("plan", text))
        if plan is None:
            plan = memo[("plan", text)] = self.index.plan(text)
        return plan

    def _named_after_every_word(self, options: list[Understood], tried: list[_Tried], now: datetime,
                                memo: dict[Any, Any], commune: str | None) -> Result | None:
        """The place whose name and commune hold every word typed, when a name or a commune alone (no need) is
        read with a commune only guessed at (misspelt or partial: "france services st josep" read at Saint-Joseph,
        974, may mean France services de Saint-Joseph, 972; or a homonym typed alone): shown last, so the
        counsellor sees it either way. `commune`: the commune read, when the text is that commune alone."""
        as_name = next((u for u in options if u.location is None and not u.filters and u.words), None)
        if as_name is None:
            return None
        plan = self._plan(as_name.search_text, memo)
        if not plan.slots or plan.unknown_words:
            return None  # no place can hold every word: not searched
        done = next((t for t in tried if t.understood is as_name), None)
        attempt = done if done is not None else self._try(as_name, now, 1, 0, memo)
        if not attempt.results:
            return None
        first = attempt.results[0]
        if commune is not None:
            # A commune typed alone: a place named after it in a homonym ("thoiry": France services Thoiry, in the
            # Yvelines, when Thoiry in the Ain is read), not any name one letter away or holding its words.
            same_name = name_key(first.place.commune) == name_key(commune)
            return first if same_name and _holds_every_word(self.index, plan, first.position, ("nom",)) else None
        return first if _holds_every_word(self.index, plan, first.position, ("nom", "commune")) else None

    def search(self, text: str, *, now: datetime, limit: int = 5, offset: int = 0,
               territory: Location | None = None, prefer_insee: str | None = None) -> DirectoryAnswer:
        """Best places for the text: the text is read several ways (`readings`), the few most plausible are run,
        and the reading whose results fit best wins; with a place, results are nearest first."""
        options = self.readings(text, territory=territory, prefer_insee=prefer_insee)
        tried: list[_Tried] = []
        memo: dict[Any, Any] = {}  # words scored and plans made, shared by the readings of this text
        best_total = -math.inf
        skipped: list[Understood] = []
        for understood in options[:MAX_READINGS]:
            if understood.prior + _best_quality(understood) <= best_total:
                skipped.append(understood)
                continue  # even perfect results would not make this reading win: not run (same answer, faster)
            attempt = self._try(understood, now, limit, offset, memo)
            tried.append(attempt)
            best_total = max(best_total, attempt.total)
        best = max(tried, key=lambda t: t.total)
        answer = DirectoryAnswer(best.results, best.understood, best.relaxed, score=best.total)
        loc = best.understood.location
        if loc is not None and loc.point is not None and best.results and not offset \
                and not best.understood.filters \
                and (loc.fuzzy or loc.partial or loc.alternatives and not best.understood.words):
            # A name or a commune alone (not a need), with the commune only guessed at.
            alone = loc.commune if not best.understood.words else None
            named = self._named_after_every_word(options, tried, now, memo, alone)
            if named is not None and all(r.position != named.position for r in best.results[:limit]):
                doc = self.index.documents[named.position]
                km = haversine_km(loc.point[0], loc.point[1], doc.lat, doc.lon) \
                    if doc.lat is not None and doc.lon is not None else None
                answer.named = replace(named, distance_km=km)
        answer.rejected = [(t.understood, t.total) for t in tried if t is not best]
        answer.rejected += [(u, None) for u in skipped + options[MAX_READINGS:]]
        plan = self._plan(best.understood.search_text, memo)
        answer.unknown_words = [w for w in plan.unknown_words if w in best.understood.words]
        answer.asked_day = next(iter(asked_days(best.understood.filters, now)), None)
        if best.words_far and loc is not None:
            answer.note = f"Rien pour « {' '.join(best.understood.words)} » à moins de {FAR_KM:.0f} km " \
                          f"{of_place(loc.commune or loc.label)} : voici les lieux les plus proches."
        elif loc is not None and loc.kind != "departement" and loc.point is not None and best.results \
                and not offset:
            d = best.results[0].distance_km
            if d is not None and d > NEAR_KM:
                answer.note = f"Rien à moins de {NEAR_KM:.0f} km {of_place(loc.commune or loc.label)} : " \
                              f"voici les plus proches."
        return answer


def _holds_every_word(index: SearchIndex, plan: QueryPlan, position: int, fields: tuple[str, ...]) -> bool:
    return position >= 0 and len(index.matched_words(plan, position, fields)) == len(plan.slots)


def build_index(places: list[Place], version: int = 0) -> DirectoryIndex:
    """The index as `relais serve` builds it: without cyclic GC meanwhile (the index lives long: full passes over
    the half-built structure held the GIL for 100–250 ms, and cost a third of the build)."""
    with offloop.no_gc_pauses():
        return DirectoryIndex(places, version)


def _few_words_on_a_sure_place(understood: Understood) -> bool:
    """A commune read whole and one or two other words ("mairie saint pierre"): the place typed matters more than
    those words. Longer texts are names or questions, and a partial or misspelt commune may not be one at all."""
    loc = understood.location
    return loc is not None and not loc.partial and not loc.fuzzy and 0 < len(understood.words) < NAME_LIKE_WORDS


def _farther_than(result: Result, km: float) -> bool:
    return result.distance_km is not None and result.distance_km > km


class DirectoryService:
    """Keeps one `DirectoryIndex` per process in step with the database, never making a search wait for a rebuild.

    Before a search, the version row is read (one primary-key SELECT, at most every `check_seconds`). When another
    process (or this one) committed a change, a new index is built on a background thread, beside the one in
    service, and swapped in when ready: searches meanwhile keep being answered from the old one. Only the very
    first search of a process waits for a build. Call from a worker thread (`app.run`), never on the event loop.
    """

    def __init__(self, db: Database, *, check_seconds: float = 1.0, rebuild_gap: float = 5.0) -> None:
        self.db = db
        self.check_seconds = check_seconds
        self.rebuild_gap = rebuild_gap  # a burst of changes (an import, edits) costs one rebuild, not one each
        self._built_at = 0.0
        self._index: DirectoryIndex | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()  # one build at a time; never held across an await
        self._building: threading.Thread | None = None

    def version(self) -> int:
        with self.db.connect() as conn:
            value = conn.execute(select(DirectoryMeta.version).where(DirectoryMeta.id == 1)).scalar_one_or_none()
        return int(value or 0)

    def _build(self) -> DirectoryIndex:
        version = self.version()  # read before the places: a change committed meanwhile triggers one more build
        with self.db.session() as s:
            places = load_places(s)
        return build_index(places, version)

    def refresh(self) -> DirectoryIndex:
        """Build the index now and swap it in (after this process's own edit, so its author sees it at once)."""
        with self._lock:
            self._index = self._build()
            self._checked_at = time.monotonic()
            return self._index

    def invalidate(self) -> None:
        self.refresh()

    def _rebuild_in_background(self) -> None:
        with self._lock:
            if self._building is not None and self._building.is_alive():
                return

            def build() -> None:
                try:
                    fresh = self._build()
                    with self._lock:
                        if self._index is None or fresh.version >= self._index.version:
                            self._index = fresh
                except Exception:
                    log.exception("directory index rebuild failed; the previous index stays in service")

            self._building = threading.Thread(target=build, name="relais-directory-index", daemon=True)
            self._building.start()

    def settle(self, timeout: float | None = None) -> None:
        """Wait for a background rebuild under way (tests, benchmarks)."""
        building = self._building
        if building is not None:
            building.join(timeout)

    def index(self) -> DirectoryIndex:
        current = self._index
        now = time.monotonic()
        if current is not None and now - self._checked_at < self.check_seconds:
            return current
        if current is None:
            with self._lock:
                if self._index is None:
                    self._index = self._build()
                    self._checked_at = time.monotonic()
                return self._index
        self._checked_at = now
        if self.version() != current.version and now - self._built_at >= self.rebuild_gap:
            self._built_at = now
            self._rebuild_in_background()
        return current


def directory_service(db: Database) -> DirectoryService:
    """The database's service, kept with the other search indexes (`App.indexes`, `bot.core.indexes`)."""
    service = INDEXES.directory.get(db)
    if service is None:
        service = INDEXES.directory[db] = DirectoryService(db)
    return service
