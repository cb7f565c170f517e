"""The network digest: sections supplied by the features (`bot.features`), assembled into one Markdown post.

Plain data from the database, then Markdown; no Mattermost, no scheduling (`bot.entraide.runs` does that). Every
piece of user text goes through `quote()` (one line, short, mentions neutralised) so a digest never notifies
anyone. Sections with nothing to say are left out; a digest with no news is not posted at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

from sqlalchemy.orm import Session

from bot.core.text import neutralize_mentions, truncate

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


def link(text: str, post_id: str | None, permalink: Permalink) -> str:
    return f"[{text}]({permalink(post_id)})" if post_id else text


SectionProvider = Callable[[Session, DigestPeriod], Section | None]
RankedSection = tuple[int, SectionProvider]  # (rank, provider): where a feature's section sits in the digest


def build_digest(session: Session, period: DigestPeriod, *, title: str,
                 providers: list[SectionProvider]) -> Digest:
    """The digest for `period` from `providers` (every feature's: `bot.features.digest_sections()`)."""
    digest = Digest(title, period)
    for provider in providers:
        section = provider(session, period)
        if section is not None and section.lines:
            digest.sections.append(section)
    return digest
