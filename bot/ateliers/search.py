"""Finding ideas with THE search engine of Relais (`bot.search`): typos, accents, synonyms, filters.

- `search_ideas(session, text)` serves `/atelier <texte>`: `public:` / `thème:` words become strict filters,
  the rest is searched in titles, summaries, outlines, publics and thématiques; ranked by relevance, then votes.
- `suggest(session, text, limit)` serves `/entraide`: only ideas that share at least two meaningful
  words with the question (or the only word of a one-word question) are proposed, as plain data.

The index is rebuilt only when ideas change (a version stamp in `kv_state`, shared by every process), so a
search costs a few milliseconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.ateliers.digest import IdeaSummary, summarize
from bot.ateliers.models import Idea
from bot.ateliers.service import index_version
from bot.ateliers.vocabulary import (
    PUBLIC_SYNONYMS,
    PUBLICS,
    THEMATIQUE_SYNONYMS,
    THEMATIQUES,
    find_codes,
    resolve_public,
    resolve_thematique,
)
from bot.core.indexes import INDEXES
from bot.search import Document, SearchIndex

WEIGHTS = {"title": 3.0, "themes": 2.0, "publics": 1.5, "summary": 1.5, "aliases": 1.0, "outline": 1.0,
           "equipment": 0.5}
RELEVANCE_BAND = 0.1  # results whose relevance differs by less than this are ordered by votes
MAX_RESULTS = 10
# The fields that say what an idea is about (not its outline or equipment list): a query word "matched" an idea
# when the engine finds it there.
STRONG_FIELDS = ("title", "themes", "publics", "summary", "aliases")

_FILTER = re.compile(
    r"\b(?P<kind>public|publics|pour|theme|themes|thème|thèmes|thematique|thématique|thematiques|thématiques)"
    r"\s*[:=]\s*(?P<value>[^:=]+?)(?=\s+\S+\s*[:=]|$)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Query:
    text: str
    publics: tuple[str, ...] = ()
    thematiques: tuple[str, ...] = ()
    unknown_filters: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.text.strip() or self.publics or self.thematiques)


@dataclass(frozen=True)
class IdeaHit:
    idea: Idea
    relevance: float  # 0..1, relative to the best hit of the same search
    matched_words: int  # query words found in this idea


@dataclass(frozen=True)
class Suggestion:
    """What `/entraide` shows for a question: plain data; link with `platform.permalink(post_id)`."""

    idea: IdeaSummary
    matched_words: int
    query_words: int


def parse_query(text: str) -> Query:
    """`escape game public: seniors thème: sécurité` → text "escape game" + filters.

    A filter's value runs to the next `mot:`; words in it that name no public / thématique go back to the
    search text ("public: seniors escape game" searches "escape game" among ideas for seniors).
    """
    found: dict[str, list[str]] = {"public": [], "theme": []}
    unknown: list[str] = []
    extra: list[str] = []
    for m in _FILTER.finditer(text):
        kind = "public" if m["kind"].lower() in ("public", "publics", "pour") else "theme"
        for part in re.split(r"[,;]", m["value"]):
            part = part.strip()
            if not part:
                continue
            exact = resolve_public(part) if kind == "public" else resolve_thematique(part)
            codes, leftover = ([exact], []) if exact else find_codes("public" if kind == "public" else "thematique",
                                                                   part)
            if not codes:
                unknown.append(f"{m['kind']}: {part}")
                continue
            found[kind] += [c for c in codes if c not in found[kind]]
            extra += leftover
    rest = " ".join([*_FILTER.sub(" ", text).split(), *extra])
    return Query(rest, tuple(found["public"]), tuple(found["theme"]), tuple(unknown))


def _document(idea: Idea) -> Document:
    themes = " ".join(THEMATIQUES.get(t, t) for t in idea.thematiques or [])
    publics = " ".join(PUBLICS.get(p, p) for p in idea.publics or [])
    # What counsellors type for these publics and thématiques ("ados", "arnaque"), so the words find the idea.
    aliases = " ".join([*(s for p in idea.publics or [] for s in PUBLIC_SYNONYMS.get(p, ())),
                        *(s for t in idea.thematiques or [] for s in THEMATIQUE_SYNONYMS.get(t, ()))])
    tags = frozenset([*(f"public:{p}" for p in idea.publics or []), *(f"theme:{t}" for t in idea.thematiques or [])])
    return Document(
        key=idea.id,
        fields={"title": idea.title, "summary": idea.summary, "outline": idea.outline, "equipment": idea.equipment,
                "themes": themes, "publics": publics, "aliases": aliases},
        tags=tags, title=idea.title,
    )


def _signature(session: Session) -> tuple[Any, ...]:
    count, top = session.execute(select(func.count(Idea.id), func.max(Idea.id))).one()
    return (count, top, index_version(session))


def index_for(session: Session) -> SearchIndex:
    """The ideas' search index (kept in `App.indexes`, see `bot.core.indexes`), rebuilt only when an idea was
    added, edited or deleted."""
    bind = session.get_bind()
    cache_key = str(bind.url) if hasattr(bind, "url") else str(id(bind))
    index: SearchIndex = INDEXES.ideas.get(cache_key, _signature(session), lambda: _build(session))
    return index


def _build(session: Session) -> SearchIndex:
    ideas = list(session.scalars(select(Idea).order_by(Idea.id)))
    return SearchIndex([_document(i) for i in ideas], WEIGHTS)


def search_ideas(session: Session, query: Query | str, *, limit: int = MAX_RESULTS) -> list[IdeaHit]:
    """Ideas for a query: relevance first (within a band of 10 %), then votes, then the most recent."""
    return _search(session, parse_query(query) if isinstance(query, str) else query, limit)[0]


def _search(session: Session, q: Query, limit: int) -> tuple[list[IdeaHit], int]:
    """The ranked hits and how many words the engine found in the query (what `suggest` weighs them against)."""
    index = index_for(session)
    if len(index) == 0 or q.empty:
        return [], 0
    tags_all = [*(f"public:{p}" for p in q.publics), *(f"theme:{t}" for t in q.thematiques)]
    plan = index.plan(q.text)
    words = len(plan.slots)
    hits = index.search(q.text, limit=max(limit * 3, 30), tags_all=tags_all, plan=plan, match_fields=STRONG_FIELDS)
    if not hits:
        return [], words
    ideas = {i.id: i for i in session.scalars(select(Idea).where(Idea.id.in_([h.key for h in hits])))}
    top = max(h.score for h in hits) or 1.0
    ranked: list[IdeaHit] = []
    for h in hits:
        idea = ideas.get(h.key)
        if idea is None:
            continue
        ranked.append(IdeaHit(idea, h.score / top if top > 0 else 0.0, len(h.matched)))
    ranked.sort(key=lambda r: (-round(r.relevance / RELEVANCE_BAND), -(r.idea.votes or 0),
                               -r.idea.created_at.timestamp(), -r.idea.id))
    return ranked[:limit], words


def suggest(session: Session, text: str, limit: int = 3, *, min_words: int = 2) -> list[Suggestion]:
    """Ideas worth proposing under an `/entraide` question; empty when nothing matches with confidence.

    Console examples are never proposed.
    """
    hits, words = _search(session, Query(" ".join(text.split())), limit * 4)
    need = min(min_words, words)
    out = []
    for hit in hits:
        if hit.idea.is_example or hit.matched_words < max(1, need):
            continue
        out.append(Suggestion(summarize(hit.idea), hit.matched_words, words))
        if len(out) >= limit:
            break
    return out
