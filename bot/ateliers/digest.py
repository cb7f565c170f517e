"""What the digests show about workshop ideas, as plain data (no Mattermost, no formatting).

Called by `bot.entraide` when it builds a digest: `idea_of_the_month(session, now)` and
`new_ideas(session, since, until)`. The digest turns `post_id` into a link with `platform.permalink`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.ateliers.models import Idea, IdeaPin
from bot.ateliers.service import month_key
from bot.ateliers.vocabulary import PUBLICS, THEMATIQUES


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
