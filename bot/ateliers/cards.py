"""How an idea looks in a channel and in search results. User text is quoted with mentions neutralised,
so an idea titled "@channel …" never pings anyone."""

from __future__ import annotations

from bot.ateliers.models import Idea
from bot.ateliers.vocabulary import NIVEAUX, PUBLICS, THEMATIQUES, format_duration
from bot.core.replies import Card, Field
from bot.core.text import neutralize_mentions, truncate

COLOR = "#f2a900"


def _q(text: str) -> str:
    return neutralize_mentions(text or "")


def labels(idea: Idea) -> tuple[str, str]:
    publics = ", ".join(PUBLICS.get(p, p) for p in idea.publics or [])
    themes = ", ".join(THEMATIQUES.get(t, t) for t in idea.thematiques or [])
    return publics, themes


def post_message(idea: Idea) -> str:
    prefix = "Exemple d’idée d’atelier" if idea.is_example else "Nouvelle idée d’atelier"
    return f"💡 {prefix} partagée par @{idea.author_name} : **{_q(idea.title)}**"


def idea_card(idea: Idea) -> Card:
    """The full card posted in the ideas channel (reactions on it are votes, thread replies are feedback)."""
    publics, themes = labels(idea)
    fields = [Field("Publics", publics), Field("Thématiques", themes)]
    if idea.duration_minutes:
        fields.append(Field("Durée", format_duration(idea.duration_minutes)))
    if idea.level:
        fields.append(Field("Niveau", NIVEAUX.get(idea.level, idea.level)))
    if idea.equipment:
        fields.append(Field("Matériel", _q(idea.equipment), short=False))
    if idea.outline:
        fields.append(Field("Déroulé", _q(idea.outline), short=False))
    if idea.link:
        fields.append(Field("Ressource", idea.link, short=False))
    return Card(
        title=_q(idea.title), text=_q(idea.summary), fields=fields, color=COLOR, title_link=idea.link or None,
        footer=(f"Idée n° {idea.id} · par @{idea.author_name} · votez avec une réaction, "
                "donnez votre avis en répondant dans le fil"),
    )


def result_card(idea: Idea, permalink: str | None, *, pinned: bool = False) -> Card:
    """A compact search result: what it is, for whom, votes, and the link to the original post."""
    publics, themes = labels(idea)
    votes = f"{idea.votes} vote{'s' if idea.votes > 1 else ''}"
    avis = f"{idea.feedback_count} avis" if idea.feedback_count else ""
    meta = " · ".join(x for x in (publics, themes, format_duration(idea.duration_minutes), votes, avis) if x)
    title = ("⭐ Idée du mois : " if pinned else "") + _q(idea.title)
    text = truncate(_q(idea.summary), 280)
    if permalink:
        text += f"\n[Voir l’idée et les avis]({permalink})"
    elif idea.outline:
        text += "\n**Déroulé :** " + truncate(_q(idea.outline), 400)
    return Card(title=title, text=f"{text}\n_{meta}_", color=COLOR, title_link=permalink or None,
                footer=f"Idée n° {idea.id} · par @{idea.author_name}")
