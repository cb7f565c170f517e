"""Digest sections that come from the other features (workshop ideas, directory, accompaniments).

Each provider is `fn(session, period) -> Section | None`, None when the feature has nothing to say.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta, tzinfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.accompagnements.stats import compute as accompaniment_stats
from bot.ateliers.digest import idea_of_the_month, new_ideas
from bot.core.text import count_of
from bot.directory.digest import refresh_lines
from bot.directory.models import DirectoryChange, DirectoryPlace, DirectoryReport
from bot.entraide.digest import (
    DigestPeriod,
    Section,
    SectionProvider,
    entraide_totals,
    person,
    quote,
    resolved_section,
    unanswered_section,
)

log = logging.getLogger(__name__)


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


def directory_section(session: Session, p: DigestPeriod) -> Section | None:
    """Places added, updated, closed or reopened in the period (from the directory's audit), the scheduled
    refreshes of the national sources, and reports by counsellors."""
    change, place, report = DirectoryChange, DirectoryPlace, DirectoryReport
    in_period = (change.changed_at >= p.start, change.changed_at < p.end)
    counts = dict(session.execute(select(change.action, func.count()).where(*in_period)
                                  .group_by(change.action)).all())
    reports = session.scalar(select(func.count()).select_from(report).where(
        report.created_at >= p.start, report.created_at < p.end)) or 0
    kinds = (("added", "lieu ajouté", "lieux ajoutés", "Nouveau"), ("updated", "lieu mis à jour", "lieux mis à jour",
             "Modifié"), ("closed", "lieu fermé", "lieux fermés", "Fermé"), ("reopened", "lieu rouvert",
             "lieux rouverts", "Rouvert"))
    total = sum(int(counts.get(action, 0)) for action, *_ in kinds)
    lines = []
    if total:
        parts = [count_of(int(counts[action]), one, many) for action, one, many, _ in kinds if counts.get(action)]
        lines.append("- " + ", ".join(parts[:-1]) + (" et " if len(parts) > 1 else "") + parts[-1])
        if total <= 10:
            label = {action: word for action, _, _, word in kinds}
            rows = session.execute(select(change.action, place.nom, place.commune)
                                   .join(place, place.ref == change.place_ref).where(*in_period)
                                   .order_by(change.changed_at)).all()
            for row in rows:
                lines.append(f"  - {label.get(row.action, row.action)} : {quote(row.nom, 80)}, "
                             f"{quote(row.commune, 40)}")
    lines += refresh_lines(session, p.start, p.end)
    if reports:
        lines.append(f"- {reports} signalement{'s' if reports > 1 else ''} d’information périmée "
                     "(`/annuaire` pour les coordinateurs)")
    return Section("Annuaire", lines) if lines else None


def _local_day(moment: datetime, tz: tzinfo) -> date:
    return moment.astimezone(tz).date()


def activity_section(session: Session, p: DigestPeriod) -> Section | None:
    """Anonymous network totals: counts only, never who or whom; the same counts as `/accompagnement` stats."""
    lines = []
    start_day, end_day = _local_day(p.start, p.tz), _local_day(p.end - timedelta(microseconds=1), p.tz)
    st = accompaniment_stats(session, start_day, end_day)
    total, people, counsellors = st.activities, st.accompaniments, len(st.by_counsellor)
    indiv, collec = st.by_type["individuel"], st.by_type["collectif"]
    if total:
        hours = round(st.minutes / 60)
        lines.append(
            f"- {total} accompagnement{'s' if total > 1 else ''} enregistré{'s' if total > 1 else ''} "
            f"({indiv} individuel{'s' if indiv > 1 else ''}, {collec} atelier{'s' if collec > 1 else ''} "
            f"collectif{'s' if collec > 1 else ''}), {people} personne{'s' if people > 1 else ''} "
            f"accompagnée{'s' if people > 1 else ''}, environ {hours} h, par {counsellors} "
            f"conseiller{'s' if counsellors > 1 else ''}"
        )
    asked = entraide_totals(session, p)
    if asked:
        lines.append(asked)
    return Section("Activité du réseau", lines) if lines else None


def default_providers() -> list[SectionProvider]:
    return [unanswered_section, resolved_section, ideas_section, directory_section, activity_section,
            idea_of_the_month_section]
