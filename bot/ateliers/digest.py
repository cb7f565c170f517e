"""What the network digest shows about workshop ideas: plain data (`idea_of_the_month`, `new_ideas`) and the
feature's digest sections (`SECTIONS`, read by `bot.features`). Links come from the period's `permalink`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.ateliers.models import Idea, IdeaPin
from bot.ateliers.service import month_key
from bot.ateliers.vocabulary import PUBLICS, THEMATIQUES
from bot.digest import DigestPeriod, RankedSection, Section, person, quote


@dataclass(frozen=True)
class IdeaSummary:
    id: int
    title: str
    summary: str
    author_name: str
    post_id: str | None
    votes: int
    feedback_count: int
    thematiques: tuple[str, ...]  # French labels
    publics: tuple[str, ...]  # French labels
    created_at: datetime
    is_example: bool


def summarize(idea: Idea) -> IdeaSummary:
    return IdeaSummary(
        id=idea.id, title=idea.title, summary=idea.summary, author_name=idea.author_name, post_id=idea.post_id,
        votes=idea.votes or 0, feedback_count=idea.feedback_count or 0,
        thematiques=tuple(THEMATIQUES.get(t, t) for t in idea.thematiques or []),
        publics=tuple(PUBLICS.get(p, p) for p in idea.publics or []),
        created_at=idea.created_at, is_example=bool(idea.is_example),
    )


def idea_of_the_month(session: Session, now: datetime, tz: tzinfo | None = None) -> IdeaSummary | None:
    """The idea coordinators pinned for the month of `now` (month taken in `tz`, else in `now`'s own zone)."""
    pin = session.get(IdeaPin, month_key(now, tz))
    if pin is None:
        return None
    idea = session.get(Idea, pin.idea_id)
    return summarize(idea) if idea is not None else None


def new_ideas(session: Session, since: datetime, until: datetime, limit: int = 20) -> list[IdeaSummary]:
    """Ideas shared in [since, until), most voted first; console examples are never news."""
    rows = session.scalars(
        select(Idea).where(Idea.created_at >= since, Idea.created_at < until, Idea.is_example.is_(False))
        .order_by(Idea.votes.desc(), Idea.created_at.desc(), Idea.id.desc()).limit(limit)
    )
    return [summarize(r) for r in rows]


def ideas_section(session: Session, p: DigestPeriod) -> Section | None:
    ideas = new_ideas(session, p.start, p.end)
    if not ideas:
        return None
    lines = []
    for idea in ideas:
        title = quote(idea.title, 80)
        link = f"[{title}]({p.permalink(idea.post_id)})" if idea.post_id else title
        votes = f", {idea.votes} vote{'s' if idea.votes > 1 else ''}" if idea.votes else ""
        feedback = f", {idea.feedback_count} retour{'s' if idea.feedback_count > 1 else ''}" \
            if idea.feedback_count else ""
        lines.append(f"- {link} ({person(idea.author_name)}{votes}{feedback})")
    title = "Une nouvelle idée d’atelier" if len(ideas) == 1 else f"{len(ideas)} nouvelles idées d’ateliers"
    return Section(title, lines)


def idea_of_the_month_section(session: Session, p: DigestPeriod) -> Section | None:
    idea = idea_of_the_month(session, p.end, p.tz)
    if idea is None:
        return None
    title = quote(idea.title, 80)
    link = f"[{title}]({p.permalink(idea.post_id)})" if idea.post_id else title
    summary = f" : {quote(idea.summary, 160)}" if idea.summary else ""
    return Section("Idée du mois", [f"- {link} ({person(idea.author_name)}){summary}"], news=False)


SECTIONS: tuple[RankedSection, ...] = ((30, ideas_section), (60, idea_of_the_month_section))
