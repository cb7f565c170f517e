"""`/atelier`: share workshop ideas and find the ones that worked elsewhere.

Thin: parse → `bot.ateliers` → Reply. The idea is posted as a card in the ideas channel (config
`channels.ateliers`); reactions on that post are votes, thread replies are feedback (WebSocket listeners below).
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select

from bot.ateliers import cards, service
from bot.ateliers.digest import idea_of_the_month
from bot.ateliers.models import Idea
from bot.ateliers.search import parse_query, search_ideas
from bot.ateliers.vocabulary import NIVEAUX, THEMATIQUES_MEDIATION
from bot.core.context import App, Context, PlatformError
from bot.core.errors import UserFacingError
from bot.core.events import PostEvent, ReactionEvent
from bot.core.registry import Command
from bot.core.replies import Button, Card, Dialog, DialogElement, Option, Reply
from bot.core.text import count_of, neutralize_mentions, parse_number

log = logging.getLogger(__name__)

command = Command("atelier", "Partager et trouver des idées d’ateliers", hint="[texte | partager | aide]")

RESULTS_SHOWN = 5
USAGE_ID = "Indiquez le numéro de l’idée, par exemple `/atelier {sub} 12` (il figure sous chaque idée)."


# -- dialog -------------------------------------------------------------------------------------
def edit_title(number: int) -> str:
    """Within Mattermost's 24 bytes whatever the number ("Modifier l’idée n° 123" would not be)."""
    return f"Idée n° {number}"


def idea_dialog(callback: str, title: str, defaults: dict[str, str] | None = None,
                state: dict[str, Any] | None = None) -> Dialog:
    d = defaults or {}
    themes = [Option(code, label) for code, label in THEMATIQUES_MEDIATION.items()]
    return Dialog(
        callback=callback, title=title, submit_label="Publier" if callback == "partager" else "Enregistrer",
        introduction="Votre idée sera publiée dans le canal des ateliers, avec votre nom.",
        state=state or {},
        elements=[
            DialogElement("title", "Titre", default=d.get("title"), max_length=service.TITLE_MAX,
                          placeholder="Escape game de la sécurité en ligne"),
            DialogElement("summary", "Résumé", "textarea", default=d.get("summary"), max_length=service.SUMMARY_MAX,
                          placeholder="L’idée en deux phrases : ce que font les participants, ce qu’ils apprennent."),
            DialogElement("publics", "Publics", default=d.get("publics"), placeholder="seniors, adolescents",
                          help="Séparés par des virgules : tout public, enfants, adolescents, jeunes adultes, "
                               "adultes, seniors, parents, allophones, handicap…"),
            DialogElement("thematique", "Thématique", "select", default=d.get("thematique") or None, options=themes),
            DialogElement("thematique_2", "Autres thématiques", "select", default=d.get("thematique_2") or None,
                          options=themes, optional=True, multiselect=True, several_fallback="select"),
            DialogElement("duration", "Durée d’une séance", default=d.get("duration"), optional=True,
                          placeholder="2h, 1h30, 90 min"),
            DialogElement("level", "Niveau", "select", default=d.get("level") or None, optional=True,
                          options=[Option(c, label) for c, label in NIVEAUX.items()]),
            DialogElement("equipment", "Matériel", default=d.get("equipment"), optional=True,
                          max_length=service.EQUIPMENT_MAX, placeholder="tablettes, vidéoprojecteur…"),
            DialogElement("outline", "Déroulé", "textarea", default=d.get("outline"), optional=True,
                          max_length=service.OUTLINE_MAX, placeholder="1. Accueil (10 min) 2. …"),
            DialogElement("link", "Lien vers une ressource", default=d.get("link"), optional=True,
                          subtype="url", placeholder="https://…"),
        ],
    )


async def _ideas_channel_id(app: App) -> str | None:
    channel = await app.platform.channel_by_name(app.settings.channel_ateliers, app.settings.team or None)
    return channel.id if channel else None


def _own_idea(ctx: Context, session: Any, raw: str, sub: str) -> Idea:
    """The caller's idea numbered `raw`; a `UserFacingError` (said as is) when there is none or it is not theirs."""
    idea_id = parse_number(raw)
    if idea_id is None:
        raise UserFacingError(USAGE_ID.format(sub=sub))
    idea = service.get_idea(session, idea_id)
    if idea is None:
        raise UserFacingError(f"Aucune idée n° {idea_id}. Tapez `/atelier mes-idees` pour retrouver les vôtres.")
    if idea.author_id != ctx.user_id:
        raise UserFacingError(f"Seule la personne qui a partagé l’idée n° {idea_id} (@{idea.author_name}) "
                              f"peut la {sub}.")
    return idea


# -- share ---------------------------------------------------------------------------------------
@command.sub("partager", "publie une idée d'atelier (un formulaire s'ouvre)", aliases=("proposer", "ajouter",
                                                                                         "nouvelle"))
async def share(ctx: Context) -> Reply:
    return Reply(dialog=idea_dialog("partager", "Partager une idée"))


@command.dialog("partager")
async def share_submitted(ctx: Context, submission: dict[str, Any], state: dict[str, Any]) -> Reply:
    fields = service.validate_idea(submission)
    app = ctx.app
    channel_id = await _ideas_channel_id(app)
    if channel_id is None:
        raise UserFacingError(f"Le canal ~{app.settings.channel_ateliers} est introuvable ou Relais n’en est pas "
                              "membre. Prévenez votre coordinateur ; votre idée n’a pas été publiée.")
    # No await while a session is open: the idea is committed, posted, then linked to its post; if Mattermost
    # refuses the post, the idea is removed again, so nothing is kept.
    idea = await app.run(_create_idea, app, fields, ctx.user_id, ctx.user_name)
    idea_id = idea.id
    try:
        post_id = await app.platform.create_post(channel_id, cards.post_message(idea),
                                                 cards=[cards.idea_card(idea)], command="atelier")
    except PlatformError as exc:
        log.warning("could not post idea: %s", exc)
        await app.run(_forget_idea, app, idea_id)
        raise UserFacingError("Mattermost n’a pas accepté la publication. Rien n’a été enregistré : réessayez "
                              "dans un instant.") from exc
    await app.run(_attach_post, app, idea_id, channel_id, post_id)
    return Reply.private(
        f"Merci ! Votre idée n° {idea_id} est publiée : {app.platform.permalink(post_id)}\n"
        f"Pour la modifier : `/atelier modifier {idea_id}`.")


def _create_idea(app: App, fields: dict[str, Any], author_id: str, author_name: str) -> Idea:
    with app.db.session() as s:
        return service.create_idea(s, fields, author_id=author_id, author_name=author_name, now=app.now())


def _forget_idea(app: App, idea_id: int) -> None:
    with app.db.session() as s:
        idea = service.get_idea(s, idea_id)
        if idea is not None:
            service.delete_idea(s, idea)


def _attach_post(app: App, idea_id: int, channel_id: str, post_id: str) -> None:
    with app.db.session() as s:
        service.attach_post(s, idea_id, channel_id, post_id)


# -- edit / delete -------------------------------------------------------------------------------
@command.sub("modifier", "modifie une de vos idées", hint="<numéro>", aliases=("editer", "corriger"))
async def edit(ctx: Context) -> Reply:
    with ctx.app.db.session() as s:
        found = _own_idea(ctx, s, ctx.args, "modifier")
        defaults = service.dialog_defaults(found)
        return Reply(dialog=idea_dialog("modifier", edit_title(found.id), defaults,
                                        state={"id": found.id}))


@command.dialog("modifier")
async def edit_submitted(ctx: Context, submission: dict[str, Any], state: dict[str, Any]) -> Reply:
    fields = service.validate_idea(submission)
    app = ctx.app
    # No await while a session is open: the change is committed, then the post updated; if Mattermost refuses,
    # the previous fields are put back, so nothing changed.
    with app.db.session() as s:
        found = _own_idea(ctx, s, str(state.get("id", "")), "modifier")
        before = {key: getattr(found, key) for key in (*fields, "updated_at")}
        idea = service.update_idea(s, found, fields, app.now())
        idea_id, post_id = idea.id, idea.post_id
    if post_id:
        try:
            await app.platform.update_post(post_id, cards.post_message(idea), cards=[cards.idea_card(idea)],
                                           command="atelier")
        except PlatformError as exc:
            log.warning("could not update idea post: %s", exc)
            with app.db.session() as s:
                kept = service.get_idea(s, idea_id)
                if kept is not None:
                    service.update_idea(s, kept, {k: v for k, v in before.items() if k != "updated_at"},
                                        before["updated_at"])
            raise UserFacingError("Mattermost n’a pas accepté la modification. Rien n’a changé : "
                                  "réessayez dans un instant.") from exc
    return Reply.private(f"C’est enregistré : l’idée n° {idea_id} est à jour.")


@command.sub("supprimer", "retire une de vos idées", hint="<numéro>", aliases=("effacer", "retirer"))
async def delete(ctx: Context) -> Reply:
    with ctx.app.db.session() as s:
        found = _own_idea(ctx, s, ctx.args, "supprimer")
        title = neutralize_mentions(found.title)
        return Reply.private(
            f"Supprimer l’idée n° {found.id} « {title} » ? Les votes et avis seront perdus.",
            cards=[Card(buttons=[Button("Oui, supprimer", "supprimer", {"id": found.id}, style="danger"),
                                 Button("Non, garder", "garder", {"id": found.id})])])


@command.action("supprimer")
async def delete_confirmed(ctx: Context, data: dict[str, Any]) -> Reply:
    """The question was ephemeral: Mattermost cannot update an ephemeral post, so the answer is a new one."""
    app = ctx.app
    with app.db.session() as s:
        found = _own_idea(ctx, s, str(data.get("id", "")), "supprimer")
        idea_id, post_id = found.id, found.post_id
        service.delete_idea(s, found)
    note = ""
    if post_id:
        try:
            retired = f"_Idée n° {idea_id} retirée par la personne qui l’avait partagée._"
            await app.platform.update_post(post_id, retired, cards=[], command="atelier")
        except PlatformError as exc:
            log.warning("could not blank deleted idea post %s: %s", post_id, exc)
            note = " Le message d’origine n’a pas pu être modifié : un administrateur peut l’effacer."
    return Reply(text=f"L’idée n° {idea_id} est supprimée.{note}")


@command.action("garder")
async def delete_cancelled(ctx: Context, data: dict[str, Any]) -> Reply:
    return Reply(text="D’accord, l’idée est gardée.")


@command.sub("mes-idees", "liste les idées que vous avez partagées", aliases=("mesidees", "miennes"))
async def mine(ctx: Context) -> Reply:
    with ctx.app.db.session() as s:
        ideas = list(s.scalars(select(Idea).where(Idea.author_id == ctx.user_id).order_by(Idea.id.desc())))
        if not ideas:
            return Reply.private("Vous n’avez pas encore partagé d’idée. `/atelier partager` pour commencer !")
        lines = [f"- n° {i.id} **{neutralize_mentions(i.title)}** : {count_of(i.votes, 'vote')}, "
                 f"{i.feedback_count} avis"
                 for i in ideas]
    return Reply.private("Vos idées (`/atelier modifier N`, `/atelier supprimer N`) :\n" + "\n".join(lines))


# -- idea of the month ---------------------------------------------------------------------------
@command.sub("idee-du-mois", "choisit l'idée du mois, montrée dans le point du réseau (coordinateurs)",
             hint="<numéro>", aliases=("ideedumois",), coordinators_only=True)
async def pin(ctx: Context) -> Reply:
    app = ctx.app
    with app.db.session() as s:
        if not ctx.args.strip():
            current = idea_of_the_month(s, app.now(), app.settings.tz)
            if current is None:
                return Reply.private("Pas encore d’idée du mois. Choisissez-la avec `/atelier idee-du-mois 12`.")
            return Reply.private(f"Idée du mois : n° {current.id} « {neutralize_mentions(current.title)} » "
                                 f"de @{current.author_name}.")
        idea_id = parse_number(ctx.args)
        idea = service.get_idea(s, idea_id) if idea_id else None
        if idea is None:
            return Reply.private(USAGE_ID.format(sub="idee-du-mois") if idea_id is None
                                 else f"Aucune idée n° {idea_id}.")
        if idea.is_example:
            return Reply.private("C’est une idée d’exemple de la console : choisissez une idée du réseau.")
        month = service.pin_idea(s, idea, by=ctx.user_name, now=app.now(), tz=app.settings.tz)
        title = neutralize_mentions(idea.title)
    return Reply.private(f"« {title} » est l’idée du mois ({month[5:]}/{month[:4]}). "
                         "Elle apparaîtra dans le prochain point du réseau.")


# -- search --------------------------------------------------------------------------------------
@command.default(help="cherche des idées d’ateliers (filtres : `public: seniors`, `thème: sécurité`)")
async def find(ctx: Context) -> Reply:
    app = ctx.app
    query = parse_query(ctx.args)
    if query.empty and not query.unknown_filters:
        return Reply.private(
            "Que cherchez-vous ? Par exemple `/atelier escape game`, `/atelier fake news public: ados` ou "
            "`/atelier thème: sécurité`.\nVous avez une idée qui marche ? `/atelier partager`.")
    if query.unknown_filters:
        bad = ", ".join(f"« {u} »" for u in query.unknown_filters)
        return Reply.private(f"Filtre non compris : {bad}. Exemples : `public: seniors`, `public: ados`, "
                             "`thème: sécurité`, `thème: réseaux sociaux`.")
    with app.db.session() as s:
        hits = search_ideas(s, query, limit=RESULTS_SHOWN)
        month = idea_of_the_month(s, app.now(), app.settings.tz)
        if not hits:
            return Reply.private(f"Aucune idée trouvée pour « {neutralize_mentions(ctx.args.strip())} ». Essayez un "
                                 "autre mot, ou partagez la vôtre : `/atelier partager`.")
        result_cards = [cards.result_card(h.idea, app.platform.permalink(h.idea.post_id) if h.idea.post_id else None,
                                          pinned=month is not None and month.id == h.idea.id) for h in hits]
    n = len(hits)
    head = f"{n} idée{'s' if n > 1 else ''} d’atelier, les plus proches et les plus votées d’abord :"
    return Reply.private(head, cards=result_cards)


# -- WebSocket: votes and feedback ---------------------------------------------------------------
@command.on("reaction_added")
@command.on("reaction_removed")
async def reaction_changed(app: App, reaction: ReactionEvent) -> None:
    with app.db.session() as s:
        idea = service.idea_by_post(s, reaction.post_id)
        if idea is None or idea.author_id == reaction.user_id:
            return  # not an idea, or the author's own reaction (not a vote)
        service.record_reaction(s, idea.post_id or "", reaction.user_id, reaction.emoji, added=reaction.added)


@command.on("posted")
async def reply_posted(app: App, post: PostEvent) -> None:
    if not post.root_id or post.from_bot:
        return
    with app.db.session() as s:
        idea = service.idea_by_post(s, post.root_id)
        if idea is None or idea.author_id == post.user_id:
            return  # not an idea's thread, or the author answering feedback
        service.record_feedback(s, post.root_id, post.id, post.user_id, post.created or app.now())


@command.on("post_deleted")
async def post_deleted(app: App, post: PostEvent) -> None:
    """A deleted reply no longer counts; an idea whose post an admin deleted leaves the search too."""
    with app.db.session() as s:
        idea = service.idea_by_post(s, post.id)
        if idea is not None:
            service.delete_idea(s, idea)
        else:
            service.forget_feedback(s, post.id)
