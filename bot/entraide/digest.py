"""Building a digest: plain data from the database, then Markdown. No Mattermost, no scheduling.

Every piece of user text goes through `quote()` (one line, short, mentions neutralised) so a digest never
notifies anyone. Sections with nothing to say are left out; a digest with no news is not posted at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.core.text import neutralize_mentions, truncate
from bot.entraide.models import RESOLVED, Question
from bot.entraide.questions import helpers

Permalink = Callable[[str], str]
LIST_LIMIT = 10

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")


def quote(text: str, limit: int = 100) -> str:
    """User text inside a digest line: one line, short, brackets defused, no @mention or ~channel effect."""
    one_line = " ".join(text.split())
    return neutralize_mentions(truncate(one_line, limit)).replace("[", "(").replace("]", ")")


def person(name: str) -> str:
    """A username shown without notifying them."""
    return neutralize_mentions("@" + name.lstrip("@")) if name else "quelqu’un"


def day_label(moment: datetime, tz: tzinfo) -> str:
    local = moment.astimezone(tz)
    return f"{local.day} {MONTHS[local.month - 1]}"


def age_label(created: datetime, now: datetime) -> str:
    delta = now - created
    if delta < timedelta(hours=1):
        return "à l’instant"
    if delta < timedelta(days=1):
        return f"depuis {int(delta.total_seconds() // 3600)} h"
    days = delta.days
    return "depuis 1 jour" if days == 1 else f"depuis {days} jours"


@dataclass
class Section:
    title: str
    lines: list[str]
    news: bool = True  # False for reminders (idée du mois) that alone are not worth a post


@dataclass(frozen=True)
class DigestPeriod:
    """What a section provider needs: the period, the time zone and how to link to a post."""

    start: datetime
    end: datetime
    tz: tzinfo
    permalink: Permalink


@dataclass
class Digest:
    title: str
    period: DigestPeriod
    sections: list[Section] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(s.news and s.lines for s in self.sections)

    def render(self) -> str:
        p = self.period
        head = f"#### {self.title} : du {day_label(p.start, p.tz)} au {day_label(p.end, p.tz)}"
        parts = [head]
        for section in self.sections:
            if section.lines:
                parts.append(f"**{section.title}**\n" + "\n".join(section.lines))
        return "\n\n".join(parts)


def _link(text: str, post_id: str | None, permalink: Permalink) -> str:
    return f"[{text}]({permalink(post_id)})" if post_id else text


def unanswered_section(session: Session, p: DigestPeriod) -> Section | None:
    where = (Question.status != RESOLVED, Question.reply_count == 0, Question.root_post_id.is_not(None),
             Question.created_at < p.end)
    total = session.scalar(select(func.count()).select_from(Question).where(*where)) or 0
    if not total:
        return None
    rows = session.scalars(select(Question).where(*where).order_by(Question.created_at, Question.id)
                           .limit(LIST_LIMIT))
    lines = [f"- {_link(quote(q.text), q.root_post_id, p.permalink)} ({person(q.asker_name)}, "
             f"{age_label(q.created_at, p.end)})" for q in rows]
    if total > LIST_LIMIT:
        lines.append(f"- … et {total - LIST_LIMIT} autres : tapez `/entraide` pour les voir toutes.")
    title = "Une question attend encore une réponse" if total == 1 else f"{total} questions attendent une réponse"
    return Section(title, lines)


def resolved_section(session: Session, p: DigestPeriod) -> Section | None:
    where = (Question.resolved_at >= p.start, Question.resolved_at < p.end)
    total = session.scalar(select(func.count()).select_from(Question).where(*where)) or 0
    if not total:
        return None
    rows = list(session.scalars(select(Question).where(*where).order_by(Question.resolved_at, Question.id)
                                .limit(LIST_LIMIT)))
    names_of = helpers(session, rows)
    lines = []
    for q in rows:
        names = names_of[q.id]
        thanks = f" — merci à {', '.join(person(n) for n in names)}" if names else ""
        lines.append(f"- {_link(quote(q.text), q.root_post_id, p.permalink)}{thanks}")
    if total > LIST_LIMIT:
        lines.append(f"- … et {total - LIST_LIMIT} autres.")
    title = "Une question résolue" if total == 1 else f"{total} questions résolues"
    return Section(title, lines)


def entraide_totals(session: Session, p: DigestPeriod) -> str | None:
    asked = session.scalar(select(func.count()).select_from(Question).where(
        Question.created_at >= p.start, Question.created_at < p.end)) or 0
    if not asked:
        return None
    return f"- Entraide : {asked} question{'s' if asked > 1 else ''} posée{'s' if asked > 1 else ''}"


SectionProvider = Callable[[Session, DigestPeriod], Section | None]


def build_digest(session: Session, period: DigestPeriod, *, title: str,
                 providers: list[SectionProvider] | None = None) -> Digest:
    """The digest for `period`; `providers` defaults to every section Relais knows (see `sources`)."""
    from bot.entraide.sources import default_providers

    digest = Digest(title, period)
    for provider in providers if providers is not None else default_providers():
        section = provider(session, period)
        if section is not None and section.lines:
            digest.sections.append(section)
    return digest
