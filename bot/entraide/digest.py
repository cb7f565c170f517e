"""The entraide feature's digest sections: questions still waiting, questions resolved, and the network's activity
(accompaniments and questions, counts only)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.accompagnements.stats import compute as accompaniment_stats
from bot.digest import LIST_LIMIT, DigestPeriod, RankedSection, Section, age_label, link, person, quote
from bot.entraide.models import RESOLVED, Question
from bot.entraide.questions import helpers


def unanswered_section(session: Session, p: DigestPeriod) -> Section | None:
    where = (Question.status != RESOLVED, Question.reply_count == 0, Question.root_post_id.is_not(None),
             Question.created_at < p.end)
    total = session.scalar(select(func.count()).select_from(Question).where(*where)) or 0
    if not total:
        return None
    rows = session.scalars(select(Question).where(*where).order_by(Question.created_at, Question.id)
                           .limit(LIST_LIMIT))
    lines = [f"- {link(quote(q.text), q.root_post_id, p.permalink)} ({person(q.asker_name)}, "
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
        lines.append(f"- {link(quote(q.text), q.root_post_id, p.permalink)}{thanks}")
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


SECTIONS: tuple[RankedSection, ...] = ((10, unanswered_section), (20, resolved_section), (50, activity_section))
