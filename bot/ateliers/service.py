"""Idea lifecycle: validate a submission, store, edit, delete, count votes and feedback, pin "idée du mois".

Every function runs inside the caller's transaction (`with app.db.session() as s:`) and never talks to
Mattermost: the handler posts the card, these functions only record.
"""

from __future__ import annotations

import uuid
from datetime import datetime, tzinfo
from typing import Any
from urllib.parse import urlparse

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.ateliers.models import Idea, IdeaFeedback, IdeaPin, IdeaReaction
from bot.ateliers.vocabulary import (
    NIVEAUX,
    PUBLICS,
    DurationError,
    parse_duration,
    parse_publics,
    resolve_thematique,
)
from bot.core.errors import InvalidFields
from bot.core.text import fold
from bot.db.state import get_state, set_state

TITLE_MAX = 120
SUMMARY_MAX = 1000
EQUIPMENT_MAX = 500
OUTLINE_MAX = 3000
LINK_MAX = 500


def _text(submission: dict[str, Any], name: str) -> str:
    value = submission.get(name)
    return "" if value is None else str(value).strip()


def validate_idea(submission: dict[str, Any]) -> dict[str, Any]:
    """Dialog submission → idea fields; `InvalidFields` with one French message per faulty field (nothing is
    saved then)."""
    errors: dict[str, str] = {}
    fields: dict[str, Any] = {}

    title = " ".join(_text(submission, "title").split())
    if len(title) < 5:
        errors["title"] = "Donnez un titre d’au moins 5 caractères, par exemple « Escape game sécurité en ligne »."
    elif len(title) > TITLE_MAX:
        errors["title"] = f"Titre trop long ({len(title)} caractères) : {TITLE_MAX} au maximum."
    fields["title"] = title

    summary = _text(submission, "summary")
    if len(summary) < 20:
        errors["summary"] = "Décrivez l’idée en une ou deux phrases (au moins 20 caractères)."
    elif len(summary) > SUMMARY_MAX:
        errors["summary"] = f"Résumé trop long ({len(summary)} caractères) : {SUMMARY_MAX} au maximum."
    fields["summary"] = summary

    publics, unknown = parse_publics(_text(submission, "publics"))
    if unknown:
        names = ", ".join(f"« {u} »" for u in unknown)
        errors["publics"] = (f"Public non reconnu : {names}. Écrivez par exemple : seniors, adolescents, parents, "
                             "allophones, tout public.")
    elif not publics:
        errors["publics"] = "Indiquez au moins un public, par exemple « seniors » ou « tout public »."
    fields["publics"] = publics

    thematiques: list[str] = []
    # "thematique_2" is a multi-select on Mattermost 11.0+: several themes arrive comma-separated.
    chosen = [("thematique", _text(submission, "thematique"))]
    chosen += [("thematique_2", part.strip()) for part in _text(submission, "thematique_2").split(",")]
    if not chosen[0][1]:
        errors["thematique"] = "Choisissez la thématique principale de l’atelier."
    for name, raw in chosen:
        if not raw:
            continue
        code = resolve_thematique(raw)
        if code is None:
            errors[name] = f"Thématique « {raw} » inconnue : choisissez-la dans la liste."
        elif code not in thematiques:
            thematiques.append(code)
    fields["thematiques"] = thematiques

    raw_duration = _text(submission, "duration")
    fields["duration_minutes"] = None
    if raw_duration:
        try:
            fields["duration_minutes"] = parse_duration(raw_duration)
        except DurationError as exc:
            errors["duration"] = exc.message

    level = fold(_text(submission, "level"))
    fields["level"] = None
    if level and level not in ("tous", "tous niveaux"):
        match = next((c for c, label in NIVEAUX.items() if level in (c, fold(label))), None)
        if match is None:
            errors["level"] = "Niveau inconnu : débutant, intermédiaire ou avancé."
        fields["level"] = match

    for name, limit in (("equipment", EQUIPMENT_MAX), ("outline", OUTLINE_MAX)):
        value = _text(submission, name)
        if len(value) > limit:
            errors[name] = f"Texte trop long ({len(value)} caractères) : {limit} au maximum."
        fields[name] = value

    link = _text(submission, "link")
    if link:
        parsed = urlparse(link if "://" in link else "https://" + link)
        if parsed.scheme not in ("http", "https") or "." not in parsed.netloc or " " in link:
            errors["link"] = "Lien invalide : collez l’adresse complète, par exemple https://exemple.fr/fiche.pdf"
        elif len(link) > LINK_MAX:
            errors["link"] = f"Lien trop long : {LINK_MAX} caractères au maximum."
        link = parsed.geturl()
    fields["link"] = link
    if errors:
        raise InvalidFields(errors)
    return fields


def dialog_defaults(idea: Idea) -> dict[str, str]:
    """An idea's values as the dialog shows them, so `modifier` starts from what is stored."""
    from bot.ateliers.vocabulary import format_duration

    thematiques = list(idea.thematiques or [])
    return {
        "title": idea.title,
        "summary": idea.summary,
        "publics": ", ".join(PUBLICS.get(p, p) for p in idea.publics or []),
        "thematique": thematiques[0] if thematiques else "",
        "thematique_2": ", ".join(thematiques[1:]),
        "duration": format_duration(idea.duration_minutes).replace(" ", ""),
        "level": idea.level or "",
        "equipment": idea.equipment,
        "outline": idea.outline,
        "link": idea.link,
    }


INDEX_VERSION_KEY = "ateliers.index_version"


def touch_index(session: Session) -> None:
    """Any change to ideas' text invalidates every process's cached search index (checked at each search)."""
    set_state(session, INDEX_VERSION_KEY, uuid.uuid4().hex)


def index_version(session: Session) -> str | None:
    return get_state(session, INDEX_VERSION_KEY)


def create_idea(
    session: Session, fields: dict[str, Any], *, author_id: str, author_name: str, now: datetime,
    is_example: bool = False,
) -> Idea:
    idea = Idea(**fields, author_id=author_id, author_name=author_name.lstrip("@"), is_example=is_example,
                created_at=now, updated_at=now, votes=0, feedback_count=0)
    session.add(idea)
    session.flush()
    touch_index(session)
    return idea


def attach_post(session: Session, idea_id: int, channel_id: str, post_id: str) -> None:
    idea = session.get(Idea, idea_id)
    if idea is not None:
        idea.channel_id, idea.post_id = channel_id, post_id


def update_idea(session: Session, idea: Idea, fields: dict[str, Any], now: datetime) -> Idea:
    for key, value in fields.items():
        setattr(idea, key, value)
    idea.updated_at = now
    touch_index(session)
    return idea


def delete_idea(session: Session, idea: Idea) -> None:
    session.delete(idea)
    touch_index(session)


def get_idea(session: Session, idea_id: int) -> Idea | None:
    return session.get(Idea, idea_id)


def idea_by_post(session: Session, post_id: str) -> Idea | None:
    return session.scalar(select(Idea).where(Idea.post_id == post_id)) if post_id else None


def _recount_votes(session: Session, idea: Idea) -> None:
    session.flush()
    idea.votes = session.scalar(
        select(func.count(func.distinct(IdeaReaction.user_id))).where(IdeaReaction.idea_id == idea.id)) or 0


def record_reaction(session: Session, post_id: str, user_id: str, emoji: str, *, added: bool) -> Idea | None:
    """A reaction on an idea's post; replaying the same event changes nothing. Votes = distinct reacting users."""
    idea = idea_by_post(session, post_id)
    if idea is None or not user_id or not emoji:
        return None
    existing = session.scalar(select(IdeaReaction).where(
        IdeaReaction.idea_id == idea.id, IdeaReaction.user_id == user_id, IdeaReaction.emoji_name == emoji))
    if added and existing is None:
        session.add(IdeaReaction(idea_id=idea.id, user_id=user_id, emoji_name=emoji))
    elif not added and existing is not None:
        session.delete(existing)
    _recount_votes(session, idea)
    return idea


def record_feedback(session: Session, root_id: str, post_id: str, user_id: str, at: datetime) -> Idea | None:
    """A thread reply under an idea's post counts once as feedback, whoever replays the event."""
    idea = idea_by_post(session, root_id)
    if idea is None or not post_id or session.get(IdeaFeedback, post_id) is not None:
        return None
    session.add(IdeaFeedback(post_id=post_id, idea_id=idea.id, user_id=user_id, created_at=at))
    session.flush()
    idea.feedback_count = session.scalar(
        select(func.count()).select_from(IdeaFeedback).where(IdeaFeedback.idea_id == idea.id)) or 0
    return idea


def forget_feedback(session: Session, post_id: str) -> None:
    row = session.get(IdeaFeedback, post_id)
    if row is None:
        return
    idea = session.get(Idea, row.idea_id)
    session.delete(row)
    session.flush()
    if idea is not None:
        idea.feedback_count = session.scalar(
            select(func.count()).select_from(IdeaFeedback).where(IdeaFeedback.idea_id == idea.id)) or 0


def month_key(now: datetime, tz: tzinfo | None = None) -> str:
    local = now.astimezone(tz) if tz is not None else now
    return f"{local.year:04d}-{local.month:02d}"


def pin_idea(session: Session, idea: Idea, *, by: str, now: datetime, tz: tzinfo | None = None) -> str:
    """Make `idea` the idea of the month of `now` (network time zone), replacing any earlier pick."""
    key = month_key(now, tz)
    session.execute(delete(IdeaPin).where(IdeaPin.month == key))
    session.add(IdeaPin(month=key, idea_id=idea.id, pinned_by=by.lstrip("@"), pinned_at=now))
    return key
