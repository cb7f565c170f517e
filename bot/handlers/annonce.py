"""`/annonce`: coordinators broadcast a message to the network's channels, now or later, with read receipts.

Only coordinators (usernames in config, or Mattermost team/system admins) may use it; everyone else
gets a refusal and nothing is queued. Delivery, retries and the per-channel report go through the outbox.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from bot.annonces import service
from bot.annonces.models import CANCELLED, Announcement
from bot.annonces.report import announcement_delivered  # noqa: F401  (registers the outbox hook)
from bot.annonces.service import TooLate
from bot.annonces.when import format_local
from bot.core.context import Context
from bot.core.errors import UserFacingError
from bot.core.registry import Command
from bot.core.replies import Button, Card, Dialog, DialogElement, Reply
from bot.core.text import count_of, neutralize_mentions, parse_number, truncate, zone_label

command = Command("annonce", "Diffuser une annonce dans les canaux du réseau (coordinateurs)")

REFUSAL = ("Seuls les coordinateurs du réseau peuvent diffuser une annonce. Rien n’a été envoyé. "
           "Pour faire passer un message à tout le réseau, demandez à votre coordinateur.")
TOO_LATE = ("Trop tard : l’annonce n° {id} est déjà partie (ou part en ce moment) dans au moins un canal. "
            "Rien n’a été changé. `/annonce suivi {id}` montre où elle en est.")


def edit_title(number: int) -> str:
    """Within Mattermost's 24 bytes whatever the number ("Modifier l’annonce n° 12" would not be)."""
    return f"Annonce n° {number}"


def announcement_dialog(ctx: Context, callback: str, title: str, ann: Announcement | None = None) -> Dialog:
    settings = ctx.app.settings
    network = ", ".join(f"~{c}" for c in settings.network_channels or (settings.channel_annonces,) if c) \
        or "aucun configuré"
    canaux = "tous"
    if ann is not None:
        names = [(t.get("team", ""), t["name"]) for t in ann.targets]
        canaux = ", ".join(f"{team}/{name}" if team else name for team, name in names)
    # Empty means now; an edit shows "25/12/2026 09:00" (a date-time picker on Mattermost 11.1+, typed elsewhere).
    quand = None if ann is None else format_local(ann.send_at, settings.tz).split(" ", 1)[1].replace(" à ", " ")
    return Dialog(
        callback=callback, title=title, submit_label="Programmer" if ann else "Diffuser",
        state={"id": ann.id} if ann else {},
        introduction=f"Canaux du réseau : {network}. Heures à l’{zone_label(settings.timezone)}.",
        elements=[
            DialogElement("message", "Message", "textarea", default=ann.message if ann else None,
                          max_length=service.MESSAGE_MAX, placeholder="Bonjour à toutes et à tous, …"),
            DialogElement("canaux", "Canaux", default=canaux,
                          help="« tous » = les canaux du réseau ; sinon leurs noms séparés par des virgules "
                               "(équipe/canal pour une autre équipe)."),
            DialogElement("quand", "Quand", "datetime", default=quand, optional=True, placeholder="maintenant",
                          help="Vide : tout de suite. Sinon un jour et une heure : « demain 9h », « lundi 14h30 », "
                               "« 25/12/2026 09:00 »."),
            DialogElement("accuse", "Demander « Lu ✅ »", "bool", default="true" if ann and ann.ack_requested
                          else "false", optional=True,
                          help="Ajoute un bouton « Lu ✅ » ; `/annonce suivi` montre qui l’a lue."),
        ],
    )


def _targets_label(ann: Announcement) -> str:
    return ", ".join(f"~{t['name']}" for t in ann.targets)


def _when_label(ctx: Context, ann: Announcement) -> str:
    return f"{format_local(ann.send_at, ctx.app.settings.tz)} ({zone_label(ctx.app.settings.timezone)})"


async def _validated(ctx: Context, submission: dict[str, Any], now: datetime) -> service.Draft:
    """Both dialogs (new, edit): a submission counts only from a coordinator, and only once it is valid
    (`UserFacingError` otherwise, said by the registry)."""
    if not await ctx.is_coordinator():
        raise UserFacingError(REFUSAL)
    return await service.validate(ctx.app, submission, now)


# -- new announcement --------------------------------------------------------------------------
@command.default(help="ouvre le formulaire d’une annonce : message, canaux, quand, accusé de lecture")
async def new(ctx: Context) -> Reply:
    if not await ctx.is_coordinator():
        return Reply.private(REFUSAL)
    if ctx.args.strip():
        return Reply.private("Tapez `/annonce` seul : un formulaire s’ouvre pour écrire le message. "
                             "`/annonce aide` liste les autres commandes.")
    return Reply(dialog=announcement_dialog(ctx, "nouvelle", "Nouvelle annonce"))


@command.dialog("nouvelle")
async def new_submitted(ctx: Context, submission: dict[str, Any], state: dict[str, Any]) -> Reply:
    app = ctx.app
    now = app.now()
    draft = await _validated(ctx, submission, now)
    with app.db.session() as s:
        ann = service.create_announcement(s, draft, author_id=ctx.user_id, author_name=ctx.user_name,
                                          origin_channel_id=ctx.channel_id, now=now)
        ann_id, targets, n = ann.id, _targets_label(ann), len(ann.targets)
        when = _when_label(ctx, ann)
    where = f"{n} {'canaux' if n > 1 else 'canal'} ({targets})"
    if draft.immediate:
        return Reply.private(f"Annonce n° {ann_id} en cours d’envoi vers {where}. "
                             "Vous recevrez un compte rendu canal par canal.")
    return Reply.private(f"Annonce n° {ann_id} programmée pour {when} vers {where}.\n"
                         f"Pour la modifier ou l’annuler : `/annonce programmees`.")


# -- scheduled: list, edit, cancel -------------------------------------------------------------
@command.sub("programmees", "liste les annonces programmées, pour les modifier ou les annuler",
             aliases=("programmee", "prevues", "liste"), coordinators_only=True)
async def scheduled(ctx: Context) -> Reply:
    with ctx.app.db.session() as s:
        items = [(a, service.is_editable(s, a)) for a in service.scheduled(s)]
        if not items:
            return Reply.private("Aucune annonce programmée. `/annonce` pour en écrire une.")
        result = []
        for ann, editable in items:
            buttons = [Button("Modifier", "modifier", {"a": ann.id}),
                       Button("Annuler l’envoi", "annuler", {"a": ann.id}, style="danger")] if editable else []
            state = "" if editable else " · envoi en cours"
            result.append(Card(
                title=f"Annonce n° {ann.id} · {_when_label(ctx, ann)}{state}",
                text=truncate(neutralize_mentions(ann.message), 300),
                footer=f"Vers {_targets_label(ann)} · par @{ann.author_name}"
                       + (" · accusé de lecture demandé" if ann.ack_requested else ""),
                buttons=buttons))
    return Reply.private(f"{count_of(len(items), 'annonce programmée')} :", cards=result)


async def _edit_dialog(ctx: Context, raw_id: Any) -> Reply:
    ann_id = parse_number(raw_id)
    if ann_id is None:
        return Reply.private("Indiquez le numéro de l’annonce, par exemple `/annonce modifier 3`.")
    with ctx.app.db.session() as s:
        ann = service.get_announcement(s, ann_id)
        if ann is None:
            return Reply.private(f"Aucune annonce n° {ann_id}. `/annonce programmees` pour la liste.")
        if not service.is_editable(s, ann):
            return Reply.private(TOO_LATE.format(id=ann_id))
        return Reply(dialog=announcement_dialog(ctx, "modifier", edit_title(ann_id), ann))


@command.sub("modifier", "modifie une annonce programmée", hint="<numéro>", coordinators_only=True)
async def edit(ctx: Context) -> Reply:
    return await _edit_dialog(ctx, ctx.args)


@command.action("modifier")
async def edit_clicked(ctx: Context, data: dict[str, Any]) -> Reply:
    if not await ctx.is_coordinator():
        return Reply.private(REFUSAL)
    return await _edit_dialog(ctx, data.get("a"))


@command.dialog("modifier")
async def edit_submitted(ctx: Context, submission: dict[str, Any], state: dict[str, Any]) -> Reply:
    app = ctx.app
    now = app.now()
    draft = await _validated(ctx, submission, now)
    ann_id = parse_number(state.get("id"))
    try:
        with app.db.session() as s:
            ann = service.get_announcement(s, ann_id) if ann_id else None
            if ann is None:
                raise UserFacingError("Cette annonce n’existe plus.")
            service.edit_announcement(s, ann, draft, now)
            when, targets = _when_label(ctx, ann), _targets_label(ann)
    except TooLate:
        raise UserFacingError(TOO_LATE.format(id=ann_id)) from None
    if draft.immediate:
        return Reply.private(f"Annonce n° {ann_id} modifiée, envoi maintenant vers {targets}.")
    return Reply.private(f"Annonce n° {ann_id} modifiée : envoi {when} vers {targets}.")


async def _cancel(ctx: Context, raw_id: Any) -> str:
    ann_id = parse_number(raw_id)
    if ann_id is None:
        return "Indiquez le numéro de l’annonce, par exemple `/annonce annuler 3`."
    try:
        with ctx.app.db.session() as s:
            ann = service.get_announcement(s, ann_id)
            if ann is None:
                return f"Aucune annonce n° {ann_id}. `/annonce programmees` pour la liste."
            if ann.status == CANCELLED:
                return f"L’annonce n° {ann_id} est déjà annulée : elle ne sera envoyée nulle part."
            service.cancel_announcement(s, ann, ctx.app.now())
    except TooLate:
        return TOO_LATE.format(id=ann_id)
    return f"Annonce n° {ann_id} annulée : elle ne sera envoyée nulle part."


@command.sub("annuler", "annule une annonce programmée avant son envoi", hint="<numéro>", coordinators_only=True)
async def cancel(ctx: Context) -> Reply:
    return Reply.private(await _cancel(ctx, ctx.args))


@command.action("annuler")
async def cancel_clicked(ctx: Context, data: dict[str, Any]) -> Reply:
    if not await ctx.is_coordinator():
        return Reply.private(REFUSAL)
    # Buttons sit on an ephemeral list, which Mattermost cannot update: answer with a new message.
    return Reply.private(await _cancel(ctx, data.get("a")))


# -- read receipts -----------------------------------------------------------------------------
@command.action(service.ACK_ACTION)
async def acknowledged(ctx: Context, data: dict[str, Any]) -> Reply:
    ann_id = parse_number(data.get("a"))
    if ann_id is None:
        return Reply.private("Ce bouton n’est plus valable.")
    with ctx.app.db.session() as s:
        ann, first = service.record_ack(s, ann_id, user_id=ctx.user_id, user_name=ctx.user_name,
                                        channel_id=ctx.channel_id, now=ctx.app.now())
    if ann is None:
        return Reply.private("Cette annonce n’existe plus.")
    return Reply.private("Merci, c’est noté : vous avez lu l’annonce." if first else "C’était déjà noté, merci !")


@command.sub("suivi", "montre qui a lu une annonce et qui ne l'a pas encore lue", hint="[numéro]",
             aliases=("lectures",), coordinators_only=True)
async def follow(ctx: Context) -> Reply:
    ann_id = parse_number(ctx.args)
    if not ctx.args.strip():
        return _recent(ctx)
    if ann_id is None:
        return Reply.private("Indiquez le numéro de l’annonce, par exemple `/annonce suivi 3`.")
    return await _follow_up(ctx, ann_id)


def _recent(ctx: Context) -> Reply:
    with ctx.app.db.session() as s:
        recent = list(s.scalars(select(Announcement).where(Announcement.ack_requested.is_(True))
                                .order_by(Announcement.send_at.desc(), Announcement.id.desc()).limit(5)))
        if not recent:
            return Reply.private("Aucune annonce avec accusé de lecture pour l’instant.")
        lines = [f"- n° {a.id} · {_when_label(ctx, a)} · lue par "
                 f"{count_of(len(service.acknowledgements(s, a.id)), 'personne')} · `/annonce suivi {a.id}`"
                 for a in recent]
    return Reply.private("Annonces avec accusé de lecture :\n" + "\n".join(lines))


async def _follow_up(ctx: Context, ann_id: int) -> Reply:
    with ctx.app.db.session() as s:
        ann = service.get_announcement(s, ann_id)
        if ann is None:
            return Reply.private(f"Aucune annonce n° {ann_id}.")
        ack_requested, status = ann.ack_requested, ann.status
    if status == CANCELLED:
        return Reply.private(f"L’annonce n° {ann_id} a été annulée avant son envoi : elle n’a été publiée nulle "
                             "part, il n’y a pas de lectures à suivre.")
    if not ack_requested:
        return Reply.private(f"L’annonce n° {ann_id} ne demandait pas d’accusé de lecture.")
    report = await service.follow_up(ctx.app, ann_id)
    if report is None:
        return Reply.private(f"Aucune annonce n° {ann_id}.")
    if report.acknowledged:
        names = ", ".join(f"@{u}" for u in report.acknowledged)
        lines = [f"**Annonce n° {ann_id}** : lue par {count_of(len(report.acknowledged), 'personne')} : {names}"]
    else:
        lines = [f"**Annonce n° {ann_id}** : personne ne l’a encore lue."]
    for ch in report.channels:
        where = f"~{ch.target['name']}"
        if ch.post_id is None:
            lines.append(f"- {where} : pas encore publiée")
            continue
        total = len(ch.read) + len(ch.unread)
        if not total:
            lines.append(f"- {where} : personne d’autre dans ce canal")
            continue
        missing = ", ".join(f"@{u}" for u in ch.unread) if ch.unread else "tout le monde a lu 🎉"
        lines.append(f"- {where} : {len(ch.read)}/{total} · pas encore lu : {missing}")
    cards = []
    if report.unread_count:
        who = "cette personne" if report.unread_count == 1 else f"ces {report.unread_count} personnes"
        cards.append(Card(buttons=[Button(f"Relancer {who}", "relancer",
                                          {"a": ann_id}, style="primary")]))
    return Reply.private("\n".join(lines), cards=cards)


@command.action("relancer")
async def remind(ctx: Context, data: dict[str, Any]) -> Reply:
    if not await ctx.is_coordinator():
        return Reply.private(REFUSAL)
    ann_id = parse_number(data.get("a"))
    report = await service.follow_up(ctx.app, ann_id) if ann_id else None
    if report is None:
        return Reply.private("Cette annonce n’existe plus.")
    with ctx.app.db.session() as s:
        ann = service.get_announcement(s, report.announcement_id)
        if ann is None:
            return Reply.private("Cette annonce n’existe plus.")
        people, channels = service.enqueue_reminders(s, ann, report, ctx.app.now())
    if not people:
        return Reply.private("Personne à relancer : tout le monde a lu (ou un rappel vient de partir).")
    where = f"{channels} {'canaux' if channels > 1 else 'canal'}"
    return Reply.private(f"Rappel envoyé à {count_of(people, 'personne')} dans {where}, dans le fil de l’annonce.")
