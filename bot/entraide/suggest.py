"""What Relais already knows when a question arrives: similar resolved questions, directory places, workshop ideas.

All three use THE search engine (`bot.search`); each only proposes what it is confident about (a shared
meaningful word or two is not enough for a long question), and the reply is skipped when nothing qualifies.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.ateliers.search import Suggestion as IdeaSuggestion
from bot.ateliers.search import suggest as suggest_ideas
from bot.core.context import App
from bot.core.indexes import INDEXES
from bot.digest import quote
from bot.directory.schema import Place
from bot.directory.search import directory_service
from bot.entraide.models import RESOLVED, Question
from bot.search import Document, SearchIndex

log = logging.getLogger(__name__)

MAX_SUGGESTIONS = 3
PLACES_QUERY_MAX = 200  # characters of a question given to the directory search
MIN_SHARED_WORDS = 2
SHARED_RATIO = 0.4  # a long question must share at least 40 % of its meaningful words


@dataclass(frozen=True)
class PastQuestion:
    id: int
    text: str
    root_post_id: str
    matched_words: int
    query_words: int


@dataclass
class Suggestions:
    questions: list[PastQuestion] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    ideas: list[IdeaSuggestion] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.questions or self.places or self.ideas)


def confident(matched: int, query_words: int) -> bool:
    if query_words <= 0:
        return False
    return matched >= min(query_words, max(MIN_SHARED_WORDS, math.ceil(query_words * SHARED_RATIO)))


def _index(session: Session) -> SearchIndex:
    """Index of resolved questions (kept in `App.indexes`, see `bot.core.indexes`), rebuilt only when one more is
    resolved."""
    bind = session.get_bind()
    cache_key = str(getattr(bind, "url", id(bind)))
    count, last, top = session.execute(select(func.count(Question.id), func.max(Question.resolved_at),
                                              func.max(Question.id)).where(Question.status == RESOLVED)).one()
    signature = (count, last.isoformat() if last else None, top)
    index: SearchIndex = INDEXES.questions.get(cache_key, signature, lambda: _build(session))
    return index


def _build(session: Session) -> SearchIndex:
    rows = session.execute(select(Question.id, Question.text).where(
        Question.status == RESOLVED, Question.root_post_id.is_not(None)).order_by(Question.id)).all()
    return SearchIndex([Document(r.id, {"text": r.text}) for r in rows], {"text": 1.0})


def similar_questions(session: Session, text: str, *, exclude_id: int | None = None,
                      limit: int = MAX_SUGGESTIONS) -> list[PastQuestion]:
    index = _index(session)
    if len(index) == 0:
        return []
    plan = index.plan(text)
    words = len(plan.slots)
    out: list[PastQuestion] = []
    for hit in index.search(text, limit=limit * 4, plan=plan, match_fields=("text",)):
        if hit.key == exclude_id:
            continue
        matched = len(hit.matched)
        if not confident(matched, words):
            continue
        q = session.get(Question, hit.key)
        if q is None or q.text != index.documents[hit.index].fields["text"]:
            INDEXES.questions.clear()  # the database was replaced under the cache (tests, restore): rebuild once
            return similar_questions(session, text, exclude_id=exclude_id, limit=limit) if q is not None else out
        if q.status != RESOLVED or not q.root_post_id:
            continue
        out.append(PastQuestion(q.id, q.text, q.root_post_id, matched, words))
        if len(out) >= limit:
            break
    return out


def places_for(app: App, text: str) -> list[Place]:
    """Directory places, only when the question names a place (commune, postcode, département) and a need,
    and the directory answers without dropping any filter."""
    index = directory_service(app.db).index()
    # The directory reads a query of a few words; a long question's first lines say the need and the place,
    # and reading a whole page would cost the search engine tens of milliseconds per kilobyte.
    answer = index.search(text[:PLACES_QUERY_MAX], now=app.now(), limit=MAX_SUGGESTIONS)
    understood = answer.understood
    if understood.location is None or not (understood.filters or understood.words) or answer.relaxed:
        return []
    return [r.place for r in answer.results if r.score > 0][:MAX_SUGGESTIONS]


def suggest(session: Session, text: str, *, exclude_id: int | None = None, app: App | None = None) -> Suggestions:
    """Everything worth proposing under a new question (each part fails alone, never the question itself)."""
    result = Suggestions()
    try:
        result.questions = similar_questions(session, text, exclude_id=exclude_id)
    except Exception:
        log.exception("suggestions: past questions failed")
    if app is not None:
        try:
            result.places = places_for(app, text)
        except Exception:
            log.exception("suggestions: directory failed")
    try:
        result.ideas = list(suggest_ideas(session, text, limit=MAX_SUGGESTIONS))
    except Exception:
        log.exception("suggestions: workshop ideas failed")
    return result


def render_suggestions(s: Suggestions, permalink: Callable[[str], str]) -> str:
    parts = ["Ceci pourrait déjà vous aider :"]
    if s.questions:
        parts.append("**Questions déjà résolues**\n" + "\n".join(
            f"- [{quote(q.text)}]({permalink(q.root_post_id)})" for q in s.questions))
    if s.places:
        lines = []
        for place in s.places:
            extra = ", ".join(quote(x, 40) for x in (place.commune, place.telephone) if x)
            lines.append(f"- {quote(place.nom, 80)}" + (f" ({extra})" if extra else ""))
        parts.append("**Dans l’annuaire**\n" + "\n".join(lines))
    if s.ideas:
        lines = []
        for sug in s.ideas:
            idea = sug.idea
            title = quote(idea.title, 80)
            lines.append(f"- [{title}]({permalink(idea.post_id)})" if idea.post_id else f"- {title}")
        parts.append("**Idées d’ateliers**\n" + "\n".join(lines))
    return "\n\n".join(parts)
