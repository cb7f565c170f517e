"""`/entraide`: ask the network, follow the thread, close it, and preview the digest (coordinators).

Also installs the digest and outbox jobs in `relais serve` (`schedule`).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.core.context import App, Context
from bot.core.cron import add_cron_jobs
from bot.core.events import PostEvent, ReactionEvent
from bot.core.registry import Command
from bot.core.replies import Button, Card, Reply
from bot.core.text import count_of
from bot.digest import age_label, quote
from bot.entraide import questions as qs
from bot.entraide import service
from bot.entraide.cards import COMMAND, card_message, status_card
from bot.entraide.confirm import needs_confirmation
from bot.entraide.models import Question
from bot.entraide.runs import new_worker_id, preview_digest, run_due_digests
from bot.outbox import deliver_due

log = logging.getLogger(__name__)

command = Command(COMMAND, "Poser une question au réseau, suivre les réponses", hint="[votre question | resolu]")

LIST_LIMIT = 15
OUTBOX_EVERY_SECONDS = 5


@command.default(help="publie votre question dans le canal d’entraide ; sans texte : les questions en attente")
async def ask(ctx: Context) -> Reply:
    if not ctx.args.strip():
        return _open_list(ctx)
    qs.check_question_text(ctx.args)  # a `QuestionError` is said by the registry
    if needs_confirmation(ctx.args, _command_words(ctx)):
        return _confirm_publish(ctx)
    return await _publish(ctx, ctx.args)


def _command_words(ctx: Context) -> list[str]:
    """Every sub-command name and alias Relais knows, whatever the command (a slip of `/entraide`)."""
    return [w for cmd in ctx.app.registry.commands.values() for sub in cmd.subcommands.values()
            for w in (sub.name, *sub.aliases)]


def _confirm_publish(ctx: Context) -> Reply:
    text = ctx.args.strip()
    channel = ctx.app.settings.channel_entraide
    return Reply.private(
        f"Publier cette question dans ~{channel} ?\n> {quote(text)}\n"
        "Tout le réseau la verra. Pour la liste des sous-commandes : `/entraide aide`.",
        cards=[Card(buttons=[Button("Publier", "publish", {"text": text, "u": ctx.user_id}, style="primary"),
                             Button("Ne pas publier", "dont_publish")])])


async def _publish(ctx: Context, text: str, *, update: bool = False) -> Reply:
    try:
        posted = await service.ask(ctx.app, user_id=ctx.user_id, user_name=ctx.user_name, text=text,
                                   channel_name=ctx.channel_name if ctx.checking else "")
    except service.EntraideError as exc:
        return Reply.private(str(exc), update=update)
    return Reply.private(f"Votre question est publiée dans ~{posted.channel} : {posted.link}\n"
                         "Les réponses arriveront dans son fil. Quand c’est réglé, cliquez « Résolu ».", update=update)


@command.action("publish")
async def publish_button(ctx: Context, data: dict[str, Any]) -> Reply:
    if data.get("u") != ctx.user_id:
        return Reply.private("Seule la personne qui a écrit ce texte peut le publier.")
    return await _publish(ctx, str(data.get("text", "")), update=True)


@command.action("dont_publish")
async def dont_publish_button(ctx: Context, data: dict[str, Any]) -> Reply:
    return Reply.private("Rien n’a été publié.", update=True)


def _open_list(ctx: Context) -> Reply:
    with ctx.app.db.session() as s:
        rows, total = qs.open_questions(s, LIST_LIMIT)
        lines = [f"- [{quote(q.text)}]({ctx.app.platform.permalink(q.root_post_id or '')}) "
                 f"({quote('@' + q.asker_name, 40)}, {age_label(q.created_at, ctx.app.now())}"
                 f"{', ' + count_of(q.reply_count, 'réponse') if q.reply_count else ', sans réponse'}"
                 f"{', pris en charge' if q.status == 'claimed' else ''})"
                 for q in rows]
    if not total:
        return Reply.private("Aucune question en attente : bravo au réseau ! "
                             "Pour en poser une : `/entraide votre question`.")
    head = f"**{total} question{'s' if total > 1 else ''} en attente**"
    more = [f"… et {total - len(rows)} autres dans ~{ctx.app.settings.channel_entraide}."] if total > len(rows) else []
    return Reply.private("\n".join([head, *lines, *more]))


@command.sub("resolu", "marque la question comme résolue (à taper dans le fil de la question)",
             aliases=("resolue", "resolved"))
async def resolve_in_thread(ctx: Context) -> Reply:
    if not ctx.root_id:
        return Reply.private("Tapez `/entraide resolu` dans le fil de la question (bouton « Répondre » sous "
                             "le message), ou cliquez sur son bouton « Résolu ».")
    with ctx.app.db.session() as s:
        found = qs.by_post(s, ctx.root_id)
        question_id = found[0].id if found else None
        asker = found[0].asker_id if found else ""
    if question_id is None:
        return Reply.private("Ce fil n’est pas une question suivie par Relais. "
                             "Pour poser une question : `/entraide votre question`.")
    return _close_reply(await service.close(ctx.app, question_id, by_user_id=ctx.user_id,
                                            allowed=ctx.user_id == asker or await ctx.is_coordinator()))


def _close_reply(change: qs.Change, *, update: bool = False) -> Reply:
    if change.outcome is qs.Outcome.NOT_FOUND:
        return Reply.private("Cette question n’existe plus.")
    if change.outcome is qs.Outcome.NOT_ALLOWED:
        asker = change.question.asker_name if change.question else ""
        return Reply.private(f"Seule la personne qui a posé la question (@{asker}) peut la marquer résolue. "
                             "Pour aider, répondez dans le fil ou cliquez « Je m’en occupe ».")
    if change.outcome is qs.Outcome.ALREADY_RESOLVED:
        return Reply.private("Cette question est déjà résolue.")
    if update and change.question is not None:
        return Reply(text=card_message(change.question), cards=[status_card(change.question, change.helpers)],
                     update=True)
    return Reply.private("C’est noté : question résolue, merci !")


@command.sub("recap", "aperçu privé du prochain récapitulatif du réseau", hint="[canal]", coordinators_only=True,
             aliases=("digest",))
async def digest_preview(ctx: Context) -> Reply:
    channel = ctx.args.strip().lstrip("~") or None
    digest, sched = preview_digest(ctx.app, channel)
    where = f"~{sched.channel}" if sched else "aucun canal programmé"
    if digest.is_empty:
        return Reply.private(f"Aperçu ({where}) : rien à signaler pour l’instant, le récapitulatif ne serait pas "
                             "publié.")
    return Reply.private(f"_Aperçu privé du prochain récapitulatif ({where}) :_\n\n{digest.render()}")


@command.action("resolve")
async def resolve_button(ctx: Context, data: dict[str, Any]) -> Reply:
    question_id = int(data.get("q", 0))
    with ctx.app.db.session() as s:
        q = s.get(Question, question_id)
        asker = q.asker_id if q else ""
    allowed = ctx.user_id == asker or await ctx.is_coordinator()
    # The clicked post is replaced by the reply, so the card is not updated a second time.
    change = await service.close(ctx.app, question_id, by_user_id=ctx.user_id, allowed=allowed,
                                 update_card=False)
    return _close_reply(change, update=True)


@command.action("claim")
async def claim_button(ctx: Context, data: dict[str, Any]) -> Reply:
    with ctx.app.db.session() as s:
        change = qs.claim(s, int(data.get("q", 0)), user_id=ctx.user_id, user_name=ctx.user_name, now=ctx.app.now())
        q = change.question
        reply = Reply(text=card_message(q), cards=[status_card(q)], update=True) if q is not None else None
        claimer = q.claimed_by_name if q is not None else ""
    if change.outcome is qs.Outcome.DONE and reply is not None:
        return reply
    if change.outcome is qs.Outcome.OWN_QUESTION:
        return Reply.private("C’est votre question : attendez les réponses du réseau dans le fil.")
    if change.outcome is qs.Outcome.ALREADY_CLAIMED:
        return Reply.private(f"@{claimer} s’en occupe déjà. Vous pouvez quand même répondre dans le fil.")
    if change.outcome is qs.Outcome.ALREADY_RESOLVED:
        return Reply.private("Cette question est déjà résolue.")
    return Reply.private("Cette question n’existe plus.")


@command.on("posted")
async def on_posted(app: App, event: PostEvent) -> None:
    await service.on_posted(app, event)


@command.on("reaction_added")
async def on_reaction_added(app: App, event: ReactionEvent) -> None:
    await service.on_reaction(app, event)


@command.on("reaction_removed")
async def on_reaction_removed(app: App, event: ReactionEvent) -> None:
    await service.on_reaction(app, event)


# -- scheduling (called once by `relais serve`) -----------------------------------------------------
def worker_id(app: App) -> str:
    return app.cache.setdefault("outbox_worker_id", new_worker_id())


async def digest_job(app: App) -> None:
    """Run every due digest (idempotent: the database decides who builds it), then try to post at once."""
    try:
        await app.run(run_due_digests, app, worker_id(app))
    except Exception:
        log.exception("digest run failed; it will be retried at the next tick within the grace period")
    await outbox_job(app)


async def outbox_job(app: App) -> None:
    try:  # off the main loop, like every handler: claiming and recording are database work
        await app.run_handler(lambda bridged: deliver_due(bridged, worker_id(app)))
    except Exception:
        log.exception("outbox delivery failed; retrying at the next tick")


def schedule(app: App, scheduler: BaseScheduler) -> None:
    """Digest cron jobs in the network's time zone, a catch-up run now, and the outbox every few seconds."""
    grace = int(timedelta(minutes=app.settings.digest_grace_minutes).total_seconds()) or None
    add_cron_jobs(scheduler, digest_job, app, [(d.cron, f"digest ~{d.channel}") for d in app.settings.digests],
                  tz=app.settings.tz, grace_seconds=grace, prefix="entraide-digest")
    scheduler.add_job(outbox_job, IntervalTrigger(seconds=OUTBOX_EVERY_SECONDS), args=[app], id="outbox-delivery",
                      replace_existing=True, coalesce=True, max_instances=1)
