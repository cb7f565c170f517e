"""Tracked questions: asking, replies, reactions, "je m'en occupe", resolution.

Plain functions inside the caller's transaction, no Mattermost. State changes are conditional UPDATEs so
that two `relais serve` processes receiving the same WebSocket event never resolve (or thank) twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.core.errors import UserFacingError
from bot.db.insert import insert_ignore, rows_changed
from bot.entraide.models import CLAIMED, OPEN, RESOLVED, Question, Reaction, Reply

# The same gesture for people, whichever check mark the emoji picker offered first.
CHECK_EMOJIS = frozenset({"white_check_mark", "heavy_check_mark", "ballot_box_with_check"})
MIN_QUESTION = 8
MAX_QUESTION = 4000


class QuestionError(UserFacingError, ValueError):
    """Bad input; `str()` is the French message for the counsellor (said by the registry in a handler)."""


def check_question_text(text: str) -> str:
    text = text.strip()
    if len(text) < MIN_QUESTION:
        raise QuestionError(
            "Votre question est trop courte. Écrivez-la en une phrase après la commande, par exemple : "
            "`/entraide Comment aider une personne qui a perdu son mot de passe France Connect ?`"
        )
    if len(text) > MAX_QUESTION:
        raise QuestionError(f"Votre question est trop longue ({len(text)} caractères, {MAX_QUESTION} au plus). "
                            "Résumez-la, puis donnez les détails en réponse dans le fil.")
    return text


def open_question(
    session: Session, *, channel_id: str, asker_id: str, asker_name: str, text: str, now: datetime,
    root_post_id: str | None = None,
) -> Question | None:
    """Track a question; None if that root post is already tracked (the same event seen twice)."""
    new_id = insert_ignore(session, Question, dict(
        channel_id=channel_id, asker_id=asker_id, asker_name=asker_name.lstrip("@"), text=text, created_at=now,
        status=OPEN, root_post_id=root_post_id, reply_count=0))
    return session.get(Question, new_id) if new_id is not None else None


def attach_posts(session: Session, question_id: int, *, root_post_id: str | None = None,
                 card_post_id: str | None = None) -> None:
    values = {k: v for k, v in (("root_post_id", root_post_id), ("card_post_id", card_post_id)) if v}
    if values:
        session.execute(update(Question).where(Question.id == question_id).values(**values))


def forget(session: Session, question_id: int) -> None:
    """Drop a question whose post never reached the channel (nothing half-written stays behind)."""
    question = session.get(Question, question_id)
    if question is not None:
        session.delete(question)


def by_root(session: Session, root_post_id: str) -> Question | None:
    return session.scalar(select(Question).where(Question.root_post_id == root_post_id))


def by_post(session: Session, post_id: str) -> tuple[Question, Reply | None] | None:
    """The question a post belongs to: its root, or one of its tracked replies."""
    question = by_root(session, post_id) or session.scalar(select(Question).where(Question.card_post_id == post_id))
    if question is not None:
        return question, None
    reply = session.scalar(select(Reply).where(Reply.post_id == post_id))
    if reply is None:
        return None
    return session.get_one(Question, reply.question_id), reply


def record_reply(
    session: Session, *, root_id: str, post_id: str, user_id: str, user_name: str, now: datetime
) -> Question | None:
    """Remember a thread reply (once per post); the asker's own replies do not count as answers."""
    question = by_root(session, root_id)
    if question is None:
        return None
    if insert_ignore(session, Reply, dict(question_id=question.id, post_id=post_id, user_id=user_id,
                                           user_name=user_name.lstrip("@"), created_at=now)) is None:
        return None
    if user_id != question.asker_id:
        session.execute(update(Question).where(Question.id == question.id).values(
            reply_count=Question.reply_count + 1,
            first_reply_at=func.coalesce(Question.first_reply_at, now),
            last_reply_at=now,
        ))
        session.refresh(question)
    return question


def record_reaction(session: Session, *, post_id: str, user_id: str, emoji: str, now: datetime) -> bool:
    """Remember a reaction on a tracked post; False if the post is not part of a question or already seen."""
    found = by_post(session, post_id)
    if found is None:
        return False
    return insert_ignore(session, Reaction, dict(question_id=found[0].id, post_id=post_id, user_id=user_id,
                                                  emoji=emoji, created_at=now)) is not None


def remove_reaction(session: Session, *, post_id: str, user_id: str, emoji: str) -> None:
    reaction = session.scalar(select(Reaction).where(
        Reaction.post_id == post_id, Reaction.user_id == user_id, Reaction.emoji == emoji))
    if reaction is not None:
        session.delete(reaction)


class Outcome(Enum):
    DONE = "done"
    NOT_FOUND = "not_found"
    NOT_ALLOWED = "not_allowed"
    ALREADY_RESOLVED = "already_resolved"
    ALREADY_CLAIMED = "already_claimed"
    OWN_QUESTION = "own_question"


@dataclass(frozen=True)
class Change:
    outcome: Outcome
    question: Question | None = None
    helpers: tuple[str, ...] = ()


def claim(session: Session, question_id: int, *, user_id: str, user_name: str, now: datetime) -> Change:
    question = session.get(Question, question_id)
    if question is None:
        return Change(Outcome.NOT_FOUND)
    if question.status == RESOLVED:
        return Change(Outcome.ALREADY_RESOLVED, question)
    if question.asker_id == user_id:
        return Change(Outcome.OWN_QUESTION, question)
    res = session.execute(update(Question).where(Question.id == question_id, Question.status == OPEN).values(
        status=CLAIMED, claimed_by_id=user_id, claimed_by_name=user_name.lstrip("@"), claimed_at=now))
    session.refresh(question)
    if rows_changed(res) != 1:
        if question.status == CLAIMED and question.claimed_by_id == user_id:
            return Change(Outcome.DONE, question)
        return Change(Outcome.ALREADY_RESOLVED if question.status == RESOLVED else Outcome.ALREADY_CLAIMED, question)
    return Change(Outcome.DONE, question)


def helpers(session: Session, questions: list[Question]) -> dict[int, tuple[str, ...]]:
    """Who helped, per question: the person whose answer solved it, the one who took it on, then everyone who
    replied (first reply first). One query for all: the digest asks for a page of questions at once."""
    repliers: dict[int, list[str]] = {q.id: [] for q in questions}
    if repliers:
        rows = session.execute(
            select(Reply.question_id, Reply.user_name, func.min(Reply.created_at).label("first"))
            .join(Question, Question.id == Reply.question_id)
            .where(Reply.question_id.in_(list(repliers)), Reply.user_id != Question.asker_id)
            .group_by(Reply.question_id, Reply.user_name).order_by("first"))
        for row in rows:
            repliers[row.question_id].append(row.user_name)
    out = {}
    for q in questions:
        named = [n for n in (q.resolver_name, q.claimed_by_name) if n and n != q.asker_name]
        out[q.id] = tuple(dict.fromkeys(named + repliers[q.id]))
    return out


def resolve(
    session: Session, question_id: int, *, by_user_id: str, now: datetime, allowed: bool = False,
    resolver: tuple[str, str] | None = None,
) -> Change:
    """Close a question. Only its asker may, unless `allowed` (coordinators). `resolver` = (id, name) of the
    person whose answer solved it, when known (✅ on their reply). Exactly one caller gets DONE."""
    question = session.get(Question, question_id)
    if question is None:
        return Change(Outcome.NOT_FOUND)
    if question.status == RESOLVED:
        return Change(Outcome.ALREADY_RESOLVED, question)
    if by_user_id != question.asker_id and not allowed:
        return Change(Outcome.NOT_ALLOWED, question)
    values: dict[str, object] = dict(status=RESOLVED, resolved_at=now, resolved_by_id=by_user_id)
    if resolver and resolver[0] != question.asker_id:
        values.update(resolver_id=resolver[0], resolver_name=resolver[1].lstrip("@"))
    res = session.execute(update(Question).where(Question.id == question_id, Question.status != RESOLVED)
                          .values(**values))
    session.refresh(question)
    if rows_changed(res) != 1:
        return Change(Outcome.ALREADY_RESOLVED, question)
    return Change(Outcome.DONE, question, helpers(session, [question])[question.id])


def open_questions(session: Session, limit: int = 20) -> tuple[list[Question], int]:
    """Unresolved questions, oldest first, and how many there are in all."""
    where = (Question.status != RESOLVED, Question.root_post_id.is_not(None))
    total = session.scalar(select(func.count()).select_from(Question).where(*where)) or 0
    rows = list(session.scalars(select(Question).where(*where).order_by(Question.created_at, Question.id)
                                .limit(limit)))
    return rows, total
