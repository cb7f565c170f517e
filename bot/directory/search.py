"""Directory search: places as search documents, the counsellor's text understood, filters relaxed rather than
answering nothing, and an index that follows the database (`DirectoryService`)."""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from bot.db import Database
from bot.directory.gazetteer import Gazetteer
from bot.directory.hours import is_open
from bot.directory.models import DirectoryMeta
from bot.directory.present import PlaceSummary, summarise
from bot.directory.query import Filter, Understood, load_filters, parse_query
from bot.directory.schema import Place
from bot.directory.store import load_places
from bot.search import Document, QueryPlan, SearchIndex, tokenize

log = logging.getLogger(__name__)

WEIGHTS = {"nom": 3.0, "commune": 1.5, "themes": 1.0, "structure": 0.5}
TYPOLOGIE_WORDS = {"TIERS_LIEUX": "tiers lieu", "ASSO": "association", "MUNI": "mairie", "CCAS": "ccas",
                   "BIB": "mediatheque", "CS": "centre social", "MDS": "mds", "PE": "france travail",
                   "CAF": "caf", "FRANCE_SERVICE": "france services", "MQ": "maison de quartier"}
RADIUS_KM = 30.0  # around a recognised commune, places this close qualify even without a matching word
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


def place_document(place: Place, position: int) -> Document:
    themes = place.services + place.dispositif_programmes_nationaux + place.formations_labels \
        + [TYPOLOGIE_WORDS.get(t, t.replace("_", " ").lower()) for t in place.typologie]
    return Document(
        key=position,
        fields={"nom": place.nom, "commune": place.commune, "themes": " ; ".join(themes),
                "structure": place.structure_parente or ""},
        lat=place.latitude, lon=place.longitude, tags=_tags(place), title=f"{place.nom} {place.commune}",
        group=structure_key(place),
    )


@dataclass
class Result:
    place: Place
    score: float
    distance_km: float | None
    summary: PlaceSummary  # what the answer shows of the place, worked out once per index


@dataclass
class DirectoryAnswer:
    results: list[Result]
    understood: Understood
    relaxed: list[str] = field(default_factory=list)  # filters dropped to avoid an empty answer (French labels)
    unknown_words: list[str] = field(default_factory=list)


class DirectoryIndex:
    """Everything needed to answer /annuaire, rebuilt whenever the directory version changes."""

    def __init__(self, places: list[Place], version: int = 0) -> None:
        self.places = places
        self.version = version
        self.index = SearchIndex([place_document(p, i) for i, p in enumerate(places)], WEIGHTS)
        name_words = Counter(t for p in places for t in set(tokenize(p.nom)))
        self.gazetteer = Gazetteer(places, known_words={w for w, n in name_words.items() if n >= 3})
        self.filters, self.filter_matcher = load_filters()
        self._summaries: list[PlaceSummary | None] = [None] * len(places)  # filled as places get shown

    def __len__(self) -> int:
        return len(self.places)

    def summary(self, position: int) -> PlaceSummary:
        summary = self._summaries[position]
        if summary is None:
            summary = self._summaries[position] = summarise(self.places[position])
        return summary

    def understand(self, text: str) -> Understood:
        return parse_query(text, self.gazetteer, self.filters, self.filter_matcher)

    def _run(self, understood: Understood, filters: list[Filter], now: datetime, limit: int, offset: int,
             use_text: bool = True, widen: bool = False, plan: QueryPlan | None = None) -> list[Result]:
        """`plan`: the analysis of `understood.text`, reused when that is the text searched."""
        tags_all: list[str] = []
        tags_any: list[list[str]] = []
        for f in filters:
            if f.field in ("gratuit", "rdv"):
                tags_all.append(f.field)
            elif f.field == PUBLIC_FIELD:
                tags_any.append([f"{PUBLIC_FIELD}:{v}" for v in f.values] + [f"{PUBLIC_FIELD}:*"])
            elif f.values:
                tags_any.append([f"{f.field if f.field != 'services' else 'service'}:{v}" for v in f.values])
        loc = understood.location
        near = None
        if loc is not None:
            if loc.kind == "departement":
                tags_all.append(f"dep:{loc.departement}")
            else:
                near = loc.point
        predicate: Callable[[int], bool] | None = None
        if any(f.field == "ouvert" for f in filters):
            def predicate(i: int) -> bool:
                p = self.places[i]
                return bool(is_open(p.horaires, p.timezone, now))
        # Around a recognised commune, its name is accounted for by the distance; it only steers the final
        # comparison of titles, unless it is all there is to search ("valserhone").
        text = (understood.search_text if near is not None else understood.text) if use_text else ""
        max_km = None
        if near is not None and not understood.words and not widen:
            # Only the commune was typed ("caf berre l etang"): its words must not pull in far-away places
            # whose name happens to contain "etang"; what is around comes first.
            max_km = RADIUS_KM
        if near is None and not text.strip() and not tags_all and not tags_any and predicate is None:
            return []
        hits = self.index.search(text, limit=limit, offset=offset, near=near, radius_km=RADIUS_KM, max_km=max_km,
                                 tags_all=tags_all, tags_any=tags_any, predicate=predicate,
                                 plan=plan if text == understood.text else None,
                                 rerank_text=understood.text if use_text else None)
        return [Result(self.places[h.key], h.score, h.distance_km, self.summary(h.key)) for h in hits]

    def search(self, text: str, *, now: datetime, limit: int = 5, offset: int = 0) -> DirectoryAnswer:
        """Best places for the text; when nothing matches, filters are dropped one kind at a time (and said so)."""
        understood = self.understand(text)
        answer = DirectoryAnswer([], understood)
        plan = self.index.plan(understood.text)
        answer.unknown_words = [w for w in plan.unknown_words if w in understood.words]
        filters = list(understood.filters)
        answer.results = self._run(understood, filters, now, limit, offset, plan=plan)
        if answer.results or offset:
            return answer
        for kinds in (("ouvert",), ("rdv", "gratuit"), (PUBLIC_FIELD, "prise_en_charge_specifique"), ("services",)):
            dropped = [f for f in filters if f.field in kinds]
            if not dropped:
                continue
            filters = [f for f in filters if f.field not in kinds]
            answer.relaxed += [f.name for f in dropped]
            answer.results = self._run(understood, filters, now, limit, 0, plan=plan)
            if answer.results:
                return answer
        if understood.location is not None and understood.location.point is not None:
            # Nothing within reach: the same search farther away, then whatever is nearest.
            answer.results = self._run(understood, filters, now, limit, 0, widen=True, plan=plan)
            if not answer.results and understood.words:
                answer.relaxed.append("« " + " ".join(understood.words) + " »")
                answer.results = self._run(understood, filters, now, limit, 0, use_text=False, widen=True)
        return answer


class DirectoryService:
    """Keeps one `DirectoryIndex` per process in step with the database, never making a search wait for a rebuild.

    Before a search, the version row is read (one primary-key SELECT, at most every `check_seconds`). When another
    process (or this one) committed a change, a new index is built on a background thread, beside the one in
    service, and swapped in when ready: searches meanwhile keep being answered from the old one. Only the very
    first search of a process waits for a build. Call from a worker thread (`app.run`), never on the event loop.
    """

    def __init__(self, db: Database, *, check_seconds: float = 1.0) -> None:
        self.db = db
        self.check_seconds = check_seconds
        self._index: DirectoryIndex | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()  # one build at a time; never held across an await
        self._building: threading.Thread | None = None

    def version(self) -> int:
        with self.db.engine.connect() as conn:
            value = conn.execute(select(DirectoryMeta.version).where(DirectoryMeta.id == 1)).scalar_one_or_none()
        return int(value or 0)

    def _build(self) -> DirectoryIndex:
        version = self.version()  # read before the places: a change committed meanwhile triggers one more build
        with self.db.session() as s:
            places = load_places(s)
        return DirectoryIndex(places, version)

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
        if self.version() != current.version:
            self._rebuild_in_background()
        return current


def directory_service(app_cache: dict[str, object], db: Database) -> DirectoryService:
    """The process-wide service, kept in `App.cache` so handlers share it."""
    service = app_cache.get("directory")
    if not isinstance(service, DirectoryService) or service.db is not db:
        service = DirectoryService(db)
        app_cache["directory"] = service
    return service
