"""How a tracked question looks in the channel: the question post, its status card and the thanks."""

from __future__ import annotations

from bot.core.replies import Button, Card
from bot.core.text import neutralize_mentions
from bot.entraide.models import CLAIMED, RESOLVED, Question

COMMAND = "entraide"
TRACKING = ("Relais suit cette question. Quand elle est réglée, la personne qui l’a posée clique sur « Résolu », "
            "ajoute la réaction ✅ au message, ou tape `/entraide resolu` dans ce fil.")


def question_message(q: Question) -> str:
    """The post Relais writes in the help channel for `/entraide <question>` (asker named, text defused)."""
    return f"**Question de @{q.asker_name}** :\n\n{neutralize_mentions(q.text)}"


def card_message(q: Question) -> str:
    """Text of the post that carries the buttons: the question itself, or the tracking note in its thread."""
    return question_message(q) if q.card_post_id and q.card_post_id == q.root_post_id else TRACKING


def status_card(q: Question, helpers: tuple[str, ...] = ()) -> Card:
    if q.status == RESOLVED:
        who = f" Merci à {', '.join('@' + h for h in helpers)}." if helpers else ""
        return Card(text=f"✅ Résolue.{who}", color="#3db887")
    buttons = [Button("Résolu ✅", "resolve", {"q": q.id}, style="success", command=COMMAND, anyone=True)]
    if q.status == CLAIMED and q.claimed_by_name:
        text = f"🙋 @{q.claimed_by_name} s’en occupe."
    else:
        text = "En attente d’une réponse : si vous savez, répondez dans le fil."
        buttons.append(Button("Je m’en occupe", "claim", {"q": q.id}, style="primary", command=COMMAND,
                              anyone=True))
    return Card(text=text, buttons=buttons, color="#f5a623" if q.status == CLAIMED else "#1c58d9")


def thanks_message(helpers: tuple[str, ...]) -> str:
    if not helpers:
        return "✅ Question résolue. Merci !"
    names = ", ".join(f"@{h}" for h in helpers)
    return f"✅ Question résolue. Merci à {names} pour votre aide : c’est ça, se relayer !"
