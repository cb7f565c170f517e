"""The delivery plan, rule by rule: what a counsellor gets for each kind of reply after a slash command, a click or
a dialog (the transport and the console both follow it, so one table pins both)."""

from __future__ import annotations

import pytest

from bot.core.delivery import Plan, plan, post_route
from bot.core.replies import Card, Dialog, FileUpload, Reply

FILE = [FileUpload("bilan.csv", b"a;b\n", "text/csv")]
CARD = [Card(title="Lieu")]
DIALOG = Dialog("form", "Titre", [])


@pytest.mark.parametrize(("reply", "origin", "expected"), [
    (Reply.private("Bonjour"), "command", Plan(False, "body", "nothing")),
    (Reply.public("Pour tous"), "command", Plan(False, "body", "nothing")),
    (Reply(dialog=DIALOG), "command", Plan(True, "body", "nothing")),
    (Reply.private("Votre export", files=FILE), "command", Plan(False, "file_sent", "direct")),
    (Reply.public("Le graphique", files=FILE), "command", Plan(False, "nothing", "channel")),
    (Reply.private("Mis à jour", update=True), "click", Plan(False, "body", "nothing")),
    (Reply.private("Trois lieux", cards=CARD), "click", Plan(False, "nothing", "ephemeral")),
    (Reply.public("Partagé", cards=CARD), "click", Plan(False, "nothing", "channel")),
    (Reply.private("Le fichier", files=FILE), "click", Plan(False, "nothing", "direct")),
    (Reply.private("Simple réponse"), "click", Plan(False, "body", "nothing")),
    (Reply(errors={"titre": "Trop long"}), "dialog", Plan(False, "dialog_errors", "nothing")),
    (Reply(error="Canal introuvable"), "dialog", Plan(False, "dialog_errors", "nothing")),
    (Reply.private("Enregistré"), "dialog", Plan(False, "nothing", "ephemeral")),
    (Reply.public("Publié"), "dialog", Plan(False, "nothing", "channel")),
    (Reply(dialog=DIALOG), "dialog", Plan(True, "nothing", "nothing")),
    (Reply(), "dialog", Plan(False, "nothing", "nothing")),
])
def test_plan(reply: Reply, origin: str, expected: Plan) -> None:
    assert plan(reply, origin) == expected  # type: ignore[arg-type]


def test_a_click_replaces_its_post_only_when_there_is_one() -> None:
    assert post_route(Reply.private("Fait", update=True), can_update=True) == "update"
    assert post_route(Reply.private("Fait", update=True), can_update=False) == "ephemeral"
