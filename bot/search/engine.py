"""The one search engine of Relais: typo-tolerant full-text search with optional distance and filters.

Generic on purpose (the directory, workshop ideas and past questions all use it): callers give
`Document`s made of weighted text fields, optional coordinates and tags, and get ranked `Hit`s.

How a query is answered, in about a millisecond at 20,000 documents:
1. the query is folded, stop words dropped, synonyms applied (`synonyms.txt`);
2. each word is expanded to indexed words (exact, one typo, prefix) by `Vocabulary` — no scan;
3. scores add up per word over numpy posting arrays (weight of the best field × rarity × similarity);
4. only the best few dozen candidates are re-scored with rapidfuzz against their short "title" text,
   and, when a point is given, blended with proximity.
"""

from __future__ import annotations

import heapq
import math
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from rapidfuzz import fuzz

from bot.search.fuzzy import Vocabulary
from bot.search.geo import approx_distances_km, haversine_km
from bot.search.synonyms import Synonyms, default_synonyms
from bot.search.text import STOPWORDS, content_tokens, fast_fold, tokenize

RERANK_CANDIDATES = 40
CUTOFF_MARGIN = 1e-6  # on the 0-100 ratio scale: a cut-off never drops a candidate that could tie
RERANK_WEIGHT = 0.25
LENGTH_B = 0.25
PREFER_CACHE = 2048  # communes whose preferred documents are kept (`_preferred`)
EXACT_ENOUGH = 0.95  # the word as typed, or its canonical synonym
PROXIMITY_KM = 5.0  # proximity = 1 / (1 + d / PROXIMITY_KM): 1 on the spot, 0.5 at 5 km, 0.2 at 20 km


@dataclass(frozen=True)
class Document:
    """What the engine indexes. `key` is the caller's identifier, returned in hits."""

    key: Any
    fields: Mapping[str, str]
    lat: float | None = None
    lon: float | None = None
    tags: frozenset[str] = frozenset()
    title: str = ""  # short text for the final fuzzy re-scoring (e.g. "name commune"); defaults to all fields
    # Documents sharing a group are one result (the same place listed by two sources): only the best-ranked is
    # returned, and pages are counted in groups. None: a group of its own.
    group: Any = None


@dataclass(frozen=True)
class Hit:
    key: Any
    index: int
    score: float
    distance_km: float | None = None
    coverage: float = 0.0  # nearest-first searches: how much of the query the document matches (slots, 0..n)
    # With `search(..., match_fields=...)`: the query's words (one per slot of `QueryPlan.slots`, as read there)
    # that the document holds in those fields, typos and synonyms included, so callers need not re-analyse it.
    matched: tuple[str, ...] = ()


@dataclass
class QueryPlan:
    """The analysed query, exposed so callers can say what was understood."""

    slots: list[list[str]] = field(default_factory=list)
    matched_terms: list[list[str]] = field(default_factory=list)
    found: list[dict[int, float]] = field(default_factory=list)  # per slot: term id -> similarity

    @property
    def unknown_words(self) -> list[str]:
        return [slot[0] for slot, terms in zip(self.slots, self.matched_terms, strict=True) if not terms]


class SearchIndex:
    def __init__(
        self,
        documents: Sequence[Document],
        weights: Mapping[str, float],
        *,
        synonyms: Synonyms | None = None,
    ) -> None:
        self.documents = list(documents)
        self.weights = dict(weights)
        self.synonyms = synonyms if synonyms is not None else default_synonyms()
        n = len(self.documents)
        postings: dict[str, dict[int, float]] = {}
        titles: list[str] = []
        analysed: list[list[tuple[str, list[str]]]] = []
        lengths: dict[str, list[int]] = {}
        seen: dict[str, list[str]] = {}  # many fields repeat (communes, service lists): analyse each text once
        for doc in self.documents:
            fields = []
            for name, text in doc.fields.items():
                toks = seen.get(text)
                if toks is None:
                    toks = [t for t in self.synonyms.expand_document(tokenize(text or "")) if t not in STOPWORDS]
                    seen[text] = toks
                fields.append((name, toks))
                lengths.setdefault(name, []).append(len(toks))
            analysed.append(fields)
        average = {name: max(1.0, sum(v) / len(v)) for name, v in lengths.items()}
        for i, (doc, fields) in enumerate(zip(self.documents, analysed, strict=True)):
            for name, toks in fields:
                weight = self.weights.get(name, 1.0)
                if not toks or weight <= 0:
                    continue
                # A word weighs a little more in a short field: "France services du Grésivaudan" is more about
                # Grésivaudan than a long name that also mentions it (BM25-style length normalisation).
                weight = weight / (1.0 - LENGTH_B + LENGTH_B * len(toks) / average[name])
                for tok in toks:
                    per_doc = postings.setdefault(tok, {})
                    if per_doc.get(i, 0.0) < weight:
                        per_doc[i] = weight
            titles.append(fast_fold(doc.title or " ".join(v for v in doc.fields.values() if v)))
        self.titles = titles
        self.vocabulary = Vocabulary(postings)
        self._docs: list[np.ndarray] = []
        self._weights: list[np.ndarray] = []
        self._idf = np.zeros(len(self.vocabulary), dtype=np.float32)
        for tid, term in enumerate(self.vocabulary.terms):
            per_doc = postings[term]
            self._docs.append(np.fromiter(per_doc.keys(), dtype=np.int32, count=len(per_doc)))
            self._weights.append(np.fromiter(per_doc.values(), dtype=np.float32, count=len(per_doc)))
            self._idf[tid] = math.log(1.0 + n / len(per_doc))
        self._located = np.array([d.lat is not None and d.lon is not None for d in self.documents], dtype=bool)
        self._lat = np.radians(np.array([d.lat if d.lat is not None else np.inf for d in self.documents],
                                        dtype=np.float64))
        self._lon = np.radians(np.array([d.lon if d.lon is not None else np.inf for d in self.documents],
                                        dtype=np.float64))
        self._cos_lat = np.cos(np.where(self._located, self._lat, 0.0))
        self._groups = [d.group for d in self.documents] if any(d.group is not None for d in self.documents) \
            else None
        self._tags: dict[str, np.ndarray] = {}
        for i, doc in enumerate(self.documents):
            for tag in doc.tags:
                self._tags.setdefault(tag, np.zeros(n, dtype=bool))[i] = True
        # (document, fields) -> its words there, analysed as at indexing; filled only for hits asked about, so the
        # directory, which never asks, keeps no per-document word sets.
        self._field_words: dict[tuple[int, tuple[str, ...]], frozenset[str]] = {}
        self._prefer_cache: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # see `_preferred`
        self._prefer_lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.documents)

    # -- query analysis ----------------------------------------------------------------------
    def plan(self, text: str) -> QueryPlan:
        slots = self.synonyms.rewrite_query(content_tokens(tokenize(text)))
        plan = QueryPlan(slots=slots)
        for slot in slots:
            found: dict[int, float] = {}
            for k, alt in enumerate(slot):
                # The word as typed beats its canonical synonym by a hair ("bibliotheque" finds libraries first).
                factor = 1.0 if k == 0 else 0.97
                for tid, sim in self.vocabulary.expand(alt).items():
                    if found.get(tid, 0.0) < sim * factor:
                        found[tid] = sim * factor
            plan.matched_terms.append([self.vocabulary.terms[t] for t in found])
            plan.found.append(found)
        return plan

    def _text_scores(self, plan: QueryPlan, coverage: np.ndarray | None = None, *,
                     one_concept: bool = False) -> np.ndarray | None:
        """Per-document relevance; with `coverage`, also adds there each slot's best similarity (how many of the
        query's words a document matches, typos counting a little less)."""
        n = len(self.documents)
        if not plan.slots:
            return None
        total = np.zeros(n, dtype=np.float32)
        for slot, found in zip(plan.slots, plan.found, strict=True):
            if not found:
                continue  # adds nothing
            best = np.zeros(n, dtype=np.float32)
            cover = np.zeros(n, dtype=np.float32) if coverage is not None else best
            # A word typed exactly as an indexed word is most likely meant: its look-alikes may not outweigh
            # it just for being rarer ("poste" must not lose to "posse").
            exact = [self._idf[tid] for tid, sim in found.items() if sim >= EXACT_ENOUGH]
            # With only look-alikes ("potse": poste? posse?), rarity must not decide either: they weigh the same.
            cap = max(exact) if exact else min(self._idf[tid] for tid in found)
            first = True
            for tid, sim in found.items():
                # With `one_concept`, the word and its synonym weigh the same ("msap" = "france services": the
                # typed form still wins by its similarity); look-alikes are never rarer than the word.
                idf = (cap if one_concept else self._idf[tid]) if sim >= EXACT_ENOUGH else min(self._idf[tid], cap)
                docs = self._docs[tid]
                vals = self._weights[tid] * (idf * sim)
                # Scores are positive: the first term's are the best so far where it occurs.
                best[docs] = vals if first else np.maximum(best[docs], vals)
                if coverage is not None:
                    # Singular and plural ("service" / "services") cover the word as well as the word itself.
                    term = self.vocabulary.terms[tid]
                    plural = sim < EXACT_ENOUGH and any(term in (w + "s", w + "x") or w in (term + "s", term + "x")
                                                        for w in slot)
                    sims = np.full(docs.size, EXACT_ENOUGH if plural else sim, dtype=np.float32)
                    cover[docs] = sims if first else np.maximum(cover[docs], sims)
                first = False
            total += best
            if coverage is not None:
                coverage += cover
        return total

    def _preferred(self, prefer: str, fit_slack: float, relevance_floor: float) -> tuple[np.ndarray, np.ndarray]:
        """The documents matching every word of `prefer` (a commune's name), sorted, with how much each moves up:
        more when the name holds the words than the commune field. Kept per text across questions (a few hundred
        bytes each; counsellors ask about the same communes again and again)."""
        cached = self._prefer_cache.get(prefer)
        if cached is not None:
            return cached
        plan = self.plan(prefer)
        cover = np.zeros(len(self.documents), dtype=np.float32)
        raw = self._text_scores(plan, cover)
        covered = cover >= len(plan.slots) - fit_slack
        ids = np.flatnonzero(covered) if raw is not None else np.zeros(0, dtype=np.intp)
        vals = np.zeros(0, dtype=np.float64)
        if raw is not None and ids.size:
            # Matching in a heavy field (the name) beats matching in a light one (the commune).
            strong = raw[ids] >= relevance_floor * float(raw[ids].max())
            vals = np.where(strong, 6e5, 5e5)
        with self._prefer_lock:  # searches run on several worker threads
            if len(self._prefer_cache) >= PREFER_CACHE:
                self._prefer_cache.pop(next(iter(self._prefer_cache)))  # the oldest
            self._prefer_cache[prefer] = (ids, vals)
        return ids, vals

    def tag_mask(self, tags_all: Iterable[str] = (), tags_any: Iterable[Iterable[str]] = (),
                 tags_none: Iterable[str] = ()) -> np.ndarray:
        """Documents carrying every tag of `tags_all`, for each group of `tags_any` at least one, and none of
        `tags_none` ("sans rdv": not the places that only see people by appointment)."""
        mask = np.ones(len(self.documents), dtype=bool)
        for tag in tags_none:
            if tag in self._tags:
                mask &= ~self._tags[tag]
        for tag in tags_all:
            mask &= self._tags.get(tag, np.zeros(len(self.documents), dtype=bool))
        for group in tags_any:
            any_mask = np.zeros(len(self.documents), dtype=bool)
            for tag in group:
                if tag in self._tags:
                    any_mask |= self._tags[tag]
            mask &= any_mask
        return mask

    # -- search ------------------------------------------------------------------------------
    def search(
        self,
        text: str,
        *,
        limit: int = 10,
        offset: int = 0,
        near: tuple[float, float] | None = None,
        radius_km: float = 30.0,
        max_km: float | None = None,
        distance_weight: float = 0.35,
        tags_all: Iterable[str] = (),
        tags_any: Iterable[Iterable[str]] = (),
        tags_none: Iterable[str] = (),
        predicate: Callable[[int], bool] | None = None,
        plan: QueryPlan | None = None,
        rerank_text: str | None = None,
        match_fields: Sequence[str] | None = None,
    ) -> list[Hit]:
        """Best documents for `text`. With `near`, documents within `radius_km` qualify even without a
        matching word and the ranking blends text relevance with proximity; `max_km` excludes anything farther
        (and anything without coordinates). `predicate(index)` is an
        extra filter evaluated lazily on the best candidates only (e.g. "open now"). `rerank_text` (default
        `text`) is what the leading candidates' titles are compared with (it may hold words, such as a commune,
        that were left out of `text` because `near` already accounts for them). `match_fields`: each hit also
        says which query words it holds in those fields (`Hit.matched`); worked out for the hits returned only."""
        n = len(self.documents)
        if n == 0 or limit <= 0:
            return []
        plan = plan if plan is not None else self.plan(text)
        raw = self._text_scores(plan)
        eligible = self.tag_mask(tags_all, tags_any, tags_none)
        dist: np.ndarray | None = None
        if near is not None:
            dist = approx_distances_km(near[0], near[1], self._lat, self._lon, self._cos_lat)  # inf: no coordinates
            proximity = 1.0 / (1.0 + dist / PROXIMITY_KM)
        if raw is None:
            if dist is None:
                score = np.zeros(n, dtype=np.float64)  # filters only: every eligible document, in index order
            else:
                score = proximity
                eligible &= self._located
        else:
            top = float(raw.max())
            text_norm = raw / top if top > 0 else raw
            if dist is None:
                score = text_norm.astype(np.float64)
                eligible &= raw > 0
            else:
                score = (1.0 - distance_weight) * text_norm + distance_weight * proximity
                eligible &= (raw > 0) | (dist <= radius_km)
        if dist is not None and max_km is not None:
            eligible &= dist <= max_km
        idx = np.flatnonzero(eligible)
        if idx.size == 0:
            return []
        want = offset + limit
        if self._groups is None:
            order = self._order(text, idx, score, want, raw is not None, predicate, rerank_text)[:want]
        else:
            # Only the first `fetch` places of an order are exact: ask for more only as duplicates show up.
            base, fetch = score, want
            while True:
                score = base.copy()  # the re-scoring writes into it
                ranked = self._order(text, idx, score, fetch, raw is not None, predicate, rerank_text)[:fetch]
                order = self._distinct(ranked, self._groups)
                if len(order) >= want or len(ranked) < fetch:
                    break
                fetch *= 2  # a few passes even if a group had hundreds of documents
        hits = []
        for i in order[offset:want]:
            doc = self.documents[i]
            d = None
            if near is not None and doc.lat is not None and doc.lon is not None:
                d = haversine_km(near[0], near[1], doc.lat, doc.lon)  # exact for what is shown
            matched = self.matched_words(plan, i, match_fields) if match_fields is not None else ()
            hits.append(Hit(doc.key, i, float(score[i]), d, matched=matched))
        return hits

    def matched_words(self, plan: QueryPlan, index: int, fields: Sequence[str]) -> tuple[str, ...]:
        """The query's words (`plan.slots`, one per slot) that document `index` holds in `fields`: a slot counts
        when one of the indexed words it was expanded to (typo, prefix, synonym) is among the fields' words."""
        key = (index, tuple(fields))
        words = self._field_words.get(key)
        if words is None:
            doc = self.documents[index]
            words = frozenset(t for name in key[1]
                              for t in self.synonyms.expand_document(tokenize(doc.fields.get(name) or "")))
            self._field_words[key] = words
        terms = self.vocabulary.terms
        return tuple(slot[0] for slot, found in zip(plan.slots, plan.found, strict=True)
                     if any(terms[tid] in words for tid in found))

    def nearest(
        self,
        text: str,
        *,
        near: tuple[float, float],
        limit: int = 10,
        offset: int = 0,
        tags_all: Iterable[str] = (),
        tags_any: Iterable[Iterable[str]] = (),
        tags_none: Iterable[str] = (),
        predicate: Callable[[int], bool] | None = None,
        plan: QueryPlan | None = None,
        fit_slack: float = 0.15,
        relevance_floor: float = 0.6,
        memo: dict[Any, Any] | None = None,
        prefer: str | None = None,
        prefer_km: float = 20.0,
    ) -> list[Hit]:
        """Documents that fit the query, nearest first: geography as a constraint, not a tie-breaker.

        A document fits when it matches as many of the query's words as the best document does (`fit_slack`:
        a typo's worth less) and scores at least `relevance_floor` of the best such score; with no words, every
        document passing the tags fits. The best fits come first by distance, then the weaker matches, also by
        distance, so the order shown is the order of distances within each kind. Documents without coordinates
        never come first. `memo`: a dict the caller keeps for one question, so readings of it that search the
        same words around different places score the words once. `prefer`: words that put the documents within
        `prefer_km` matching all of them first among equal fits (a commune's own places, or those named after
        it)."""
        n = len(self.documents)
        if n == 0 or limit <= 0:
            return []
        cached = memo.get(text) if memo is not None else None
        if cached is not None:
            raw, coverage = cached
        else:
            plan = plan if plan is not None else self.plan(text)
            coverage = np.zeros(n, dtype=np.float32)
            raw = self._text_scores(plan, coverage, one_concept=True)
            if memo is not None:
                memo[text] = (raw, coverage)
        eligible = self.tag_mask(tags_all, tags_any, tags_none) & self._located
        if raw is not None:
            eligible &= raw > 0
        idx = np.flatnonzero(eligible)
        if idx.size == 0:
            return []
        # Everything below is computed on the eligible documents only (often a few hundred of 20,000).
        dist = approx_distances_km(near[0], near[1], self._lat[idx], self._lon[idx], self._cos_lat[idx])
        if raw is None:
            tier = np.zeros(idx.size, dtype=np.int8)
            key = dist
        else:
            cov, rel = coverage[idx], raw[idx]
            covered = cov >= float(cov.max()) - fit_slack
            top = float(rel[covered].max())
            tier = np.where(covered & (rel >= relevance_floor * top), 0, np.where(covered, 1, 2)).astype(np.int8)
            # Order: tier, then distance (a tiny score term only breaks exact ties, e.g. two places at one address).
            key = tier.astype(np.float64) * 1e6 + dist - 1e-6 * rel
        if prefer:
            pref_ids, pref_vals = self._preferred(prefer, fit_slack, relevance_floor)
            # The preferred documents among the eligible ones (both sorted): their keys move up when near.
            at = np.searchsorted(idx, pref_ids)
            hit = at < idx.size
            hit[hit] = idx[at[hit]] == pref_ids[hit]
            at, vals = at[hit], pref_vals[hit]
            key = key.copy()
            key[at] -= np.where(dist[at] <= prefer_km, vals, 0.0)
        want = offset + limit
        order: list[int] = []  # positions in idx
        fetch = want * 2 + 8
        while True:
            k = min(fetch, idx.size)
            part = np.argpartition(key, k - 1)[:k] if idx.size > k else np.arange(idx.size)
            part = part[np.lexsort((idx[part], key[part]))]
            order, seen = [], set()
            for j in part.tolist():
                i = int(idx[j])
                if predicate is not None and not predicate(i):
                    continue
                g = self._groups[i] if self._groups is not None else None
                if g is not None:
                    if g in seen:
                        continue
                    seen.add(g)
                order.append(j)
                if len(order) >= want:
                    break
            if len(order) >= want or k >= idx.size:
                break
            fetch *= 4
        hits = []
        for j in order[offset:want]:
            i = int(idx[j])
            doc = self.documents[i]
            d = haversine_km(near[0], near[1], doc.lat, doc.lon) if doc.lat is not None and doc.lon is not None \
                else None
            # A positive score that falls with the kind of fit and the distance (callers show or compare it).
            score = 1.0 / (1.0 + float(tier[j])) / (1.0 + (d if d is not None else 0.0) / 50.0)
            hits.append(Hit(doc.key, i, score, d, float(coverage[i])))
        return hits

    def _order(self, text: str, idx: np.ndarray, score: np.ndarray, want: int, rerank: bool,
               predicate: Callable[[int], bool] | None, rerank_text: str | None) -> list[int]:
        """Eligible documents best first; the first `want` are exact (re-scored titles, predicate applied)."""
        order = self._ranked(idx, score, want + RERANK_CANDIDATES)
        if rerank:
            # Without a predicate, only the first `want` of the new order are ever read.
            order = self._rerank(text if rerank_text is None else rerank_text, order, score,
                                 keep=want if predicate is None else None)
        if predicate is not None:
            kept = [i for i in order if predicate(i)]
            if len(kept) < want and len(order) < idx.size:
                # The predicate rejected many: go on through every other eligible document, best first.
                seen = set(order)
                for i in self._ranked(idx, score, idx.size):
                    if len(kept) >= want:
                        break
                    if i not in seen and predicate(i):
                        kept.append(i)
            order = kept
        return order

    @staticmethod
    def _distinct(order: list[int], groups: list[Any]) -> list[int]:
        """The order with only the first document of each group."""
        seen: set[Any] = set()
        out = []
        for i in order:
            g = groups[i]
            if g is None or g not in seen:
                seen.add(g)
                out.append(i)
        return out

    @staticmethod
    def _ranked(idx: np.ndarray, score: np.ndarray, k: int) -> list[int]:
        s = score[idx]
        if idx.size > k:
            part = np.argpartition(-s, k)[:k]
            idx, s = idx[part], s[part]
        return idx[np.lexsort((idx, -s))].tolist()

    def _rerank(self, text: str, order: list[int], score: np.ndarray, keep: int | None = None) -> list[int]:
        """Fuzzy-compare the query with each leading candidate's title, to settle near ties.

        With `keep`, only the first `keep` places of the new order are needed (the title comparison is most of a
        search's time): candidates come best first; once one could not reach the `keep`-th place even with a
        perfect title match, neither can any after it, and they stay unscored, behind. Before that, a candidate
        is compared with a cut-off (rapidfuzz stops early below it) and scores no bonus when it falls short: it
        cannot reach the first `keep` either. Past the first `keep`, the order is therefore approximate."""
        query = " ".join(content_tokens(tokenize(text)))
        head = order[:RERANK_CANDIDATES]
        need = len(head) if keep is None else min(keep, len(head))
        titles = self.titles
        scores = score[head].tolist()  # plain floats: the same arithmetic, without numpy scalars
        for k in range(need):
            scores[k] += RERANK_WEIGHT * fuzz.WRatio(query, titles[head[k]]) / 100.0
        done = need
        if need < len(head):
            best_boost = RERANK_WEIGHT * 100.0 / 100.0  # computed as the bonuses are: no rounding surprise
            kept = scores[:need]
            heapq.heapify(kept)  # kept[0]: the need-th best score so far
            for k in range(need, len(head)):
                if scores[k] + best_boost < kept[0]:
                    break
                cutoff = max(0.0, (kept[0] - scores[k]) * 100.0 / RERANK_WEIGHT - CUTOFF_MARGIN)
                scores[k] += RERANK_WEIGHT * fuzz.WRatio(query, titles[head[k]], score_cutoff=cutoff) / 100.0
                heapq.heappushpop(kept, scores[k])
                done += 1
        score[head[:done]] = scores[:done]
        scored = sorted(range(done), key=lambda k: (-scores[k], head[k]))
        return [head[k] for k in scored] + order[done:]
