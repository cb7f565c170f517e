"""Entraide flows that talk to the chat platform (through the `Platform` protocol only, so the console works).

Each flow: one transaction to record, then the posts; a failed post never leaves a half-tracked question.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from bot.core.context import App, ChannelRef, PlatformError
from bot.core.errors import UserFacingError
from bot.core.events import PostEvent, ReactionEvent
from bot.entraide import questions as qs
from bot.entraide.cards import COMMAND, TRACKING, card_message, question_message, status_card, thanks_message
from bot.entraide.models import Question
from bot.entraide.suggest import render_suggestions, suggest

log = logging.getLogger(__name__)


class EntraideError(UserFacingError):
    """Expected failure; `str()` is the French message for the counsellor."""


async def help_channel(app: App, name: str = "") -> ChannelRef:
    """The network's help channel, or `name` (the channel of a `relais check` run)."""
    name = name or app.settings.channel_entraide
    try:
        channel = await app.platform.channel_by_name(name, app.settings.team or None)
    except PlatformError as exc:
        raise EntraideError("Mattermost ne répond pas pour l’instant : votre question n’a pas été publiée. "
                            "Réessayez dans une minute.") from exc
    if channel is None:
        raise EntraideError(f"Le canal d’entraide ~{name} est introuvable, ou Relais n’en est pas membre. "
                            "Prévenez votre coordinateur (réglage channels.entraide).")
    return channel


@dataclass(frozen=True)
class Posted:
    question_id: int
    post_id: str
    link: str
    channel: str


async def ask(app: App, *, user_id: str, user_name: str, text: str, channel_name: str = "") -> Posted:
    """`/entraide <question>`: publish it in the help channel (or `channel_name`) with its buttons, then suggest
    what we know."""
    try:
        text = qs.check_question_text(text)
    except qs.QuestionError as exc:
        raise EntraideError(str(exc)) from None
    channel = await help_channel(app, channel_name)
    with app.db.session() as s:
        q = qs.open_question(s, channel_id=channel.id, asker_id=user_id, asker_name=user_name, text=text,
                             now=app.now())
        assert q is not None  # no root post yet, so nothing to collide with
        question_id, message, card = q.id, question_message(q), status_card(q)
    try:
        post_id = await app.platform.create_post(channel.id, message, cards=[card],
                                                 props={"relais_question": question_id}, command=COMMAND)
    except PlatformError as exc:
        with app.db.session() as s:
            qs.forget(s, question_id)
        raise EntraideError("Mattermost a refusé le message : votre question n’a pas été publiée. "
                            "Réessayez dans une minute.") from exc
    with app.db.session() as s:
        qs.attach_posts(s, question_id, root_post_id=post_id, card_post_id=post_id)
    await post_suggestions(app, question_id)
    return Posted(question_id, post_id, app.platform.permalink(post_id), channel.name)


async def post_suggestions(app: App, question_id: int) -> bool:
    """Reply in the question's thread with similar resolved questions, places and ideas, only when confident."""
    with app.db.session() as s:
        q = s.get(Question, question_id)
        if q is None or not q.root_post_id:
            return False
        found = suggest(s, q.text, exclude_id=q.id, app=app)
        channel_id, root = q.channel_id, q.root_post_id
    if not found:
        return False
    try:
        await app.platform.create_post(channel_id, render_suggestions(found, app.platform.permalink), root_id=root,
                                       props={"relais_suggestions": question_id})
    except PlatformError:
        log.warning("could not post suggestions for question %s", question_id, exc_info=True)
        return False
    return True


def _when(moment: datetime | None, app: App) -> datetime:
    return moment or app.now()


async def _username(app: App, user_id: str, hint: str = "") -> str:
    if hint:
        return hint.lstrip("@")
    try:
        user = await app.platform.user(user_id)
    except PlatformError:
        user = None
    return user.username if user else user_id


async def on_posted(app: App, post: PostEvent) -> None:
    """A reply in a tracked thread is recorded; a new root post in the help channel becomes a question."""
    if post.type or post.from_bot or post.by_relais:
        return
    user_id = post.user_id
    if post.root_id:
        name = await _username(app, user_id, post.sender_name)
        with app.db.session() as s:
            qs.record_reply(s, root_id=post.root_id, post_id=post.id, user_id=user_id, user_name=name,
                            now=_when(post.created, app))
        return
    text = post.message.strip()
    if len(text) < qs.MIN_QUESTION or not await _in_help_channel(app, post):
        return
    name = await _username(app, user_id, post.sender_name)
    with app.db.session() as s:
        q = qs.open_question(s, channel_id=post.channel_id, asker_id=user_id, asker_name=name,
                             text=text, now=_when(post.created, app), root_post_id=post.id)
        if q is None:
            return  # already tracked (event seen twice)
        question_id, channel_id, root, card = q.id, q.channel_id, q.root_post_id or "", status_card(q)
    try:
        card_id = await app.platform.create_post(channel_id, TRACKING, root_id=root, cards=[card],
                                                 props={"relais_question": question_id}, command=COMMAND)
        with app.db.session() as s:
            qs.attach_posts(s, question_id, card_post_id=card_id)
    except PlatformError:
        log.warning("could not post the buttons for question %s; ✅ and /entraide resolu still work",
                    question_id, exc_info=True)
    await post_suggestions(app, question_id)


async def _in_help_channel(app: App, post: PostEvent) -> bool:
    name = app.settings.channel_entraide
    if post.channel_name:
        return post.channel_name == name
    channel = await app.platform.channel_by_name(name, app.settings.team or None)
    return channel is not None and channel.id == post.channel_id


async def on_reaction(app: App, reaction: ReactionEvent) -> None:
    """✅ from the asker (on the question or on a reply) closes the question; the reply's author solved it."""
    post_id, user_id, emoji = reaction.post_id, reaction.user_id, reaction.emoji
    with app.db.session() as s:
        if not reaction.added:
            qs.remove_reaction(s, post_id=post_id, user_id=user_id, emoji=emoji)
            return
        if not qs.record_reaction(s, post_id=post_id, user_id=user_id, emoji=emoji,
                                  now=_when(reaction.created, app)):
            return
        found = qs.by_post(s, post_id)
        if found is None or emoji not in qs.CHECK_EMOJIS:
            return
        question, reply = found
        if user_id != question.asker_id:
            return
        question_id = question.id
        resolver = (reply.user_id, reply.user_name) if reply is not None else None
    await close(app, question_id, by_user_id=user_id, resolver=resolver)


async def close(app: App, question_id: int, *, by_user_id: str, allowed: bool = False,
                resolver: tuple[str, str] | None = None, update_card: bool = True) -> qs.Change:
    """Resolve, then (once, whichever process wins) refresh the card and thank the helpers in the thread."""
    with app.db.session() as s:
        change = qs.resolve(s, question_id, by_user_id=by_user_id, now=app.now(), allowed=allowed,
                            resolver=resolver)
        q = change.question
        snapshot = (q.channel_id, q.root_post_id, q.card_post_id, card_message(q), status_card(q, change.helpers)) \
            if q is not None else None
    if change.outcome is not qs.Outcome.DONE or snapshot is None:
        return change
    channel_id, root, card_post, message, card = snapshot
    try:
        if update_card and card_post:
            await app.platform.update_post(card_post, message, cards=[card], command=COMMAND)
        if root:
            await app.platform.create_post(channel_id, thanks_message(change.helpers), root_id=root,
                                           props={"relais_thanks": question_id})
    except PlatformError:
        log.warning("question %s resolved but the thread could not be updated", question_id, exc_info=True)
    return change
