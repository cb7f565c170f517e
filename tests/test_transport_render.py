"""Reply → Mattermost JSON: attachments, signed buttons and dialogs, post and response size limits."""

from __future__ import annotations

import json

import pytest

from bot.core.replies import Button, Card, Dialog, DialogElement, Field, Option, Reply
from bot.core.signing import verify
from bot.mattermost import render

SECRET = "s" * 40
SIGNER = render.Signer("https://relais.example.fr/", SECRET)
USER, CHANNEL = "u" * 26, "c" * 26


def command_response(reply: Reply, command: str) -> dict:
    """The slash-command answer exactly as the HTTP endpoint sends it (capped while encoded)."""
    return json.loads(render.fit_encoded(render.command_body(reply, signer=SIGNER, command=command)))


def test_card_becomes_snake_case_attachment_with_signed_button() -> None:
    card = Card(title="Maison France Services", text="Aide aux démarches", color="#1e88e5",
                fields=[Field("Ville", "Lyon"), Field("Horaires", "lun-ven", short=False)],
                buttons=[Button("Je m'inscris", "join", {"id": 42}, style="primary", anyone=True)], footer="Relais",
                title_link="https://exemple.fr")
    body = command_response(Reply.public("Voici", cards=[card]), "atelier")
    assert body["response_type"] == "in_channel"
    att = body["attachments"][0]
    assert att["title"] == "Maison France Services" and att["title_link"] == "https://exemple.fr"
    assert att["fields"] == [{"title": "Ville", "value": "Lyon", "short": True},
                             {"title": "Horaires", "value": "lun-ven", "short": False}]
    action = att["actions"][0]
    assert action["type"] == "button" and action["name"] == "Je m'inscris" and action["style"] == "primary"
    assert action["integration"]["url"] == "https://relais.example.fr/mattermost/actions"
    payload = verify(action["integration"]["context"][render.CONTEXT_KEY], SECRET, user_id=USER, channel_id="")
    assert payload == {"command": "atelier", "action": "join", "data": {"id": 42}}


def test_button_can_target_another_command() -> None:
    card = Card(buttons=[Button("Voir", "show", command="annuaire")])
    att = render.attachments([card], signer=SIGNER, command="aide", viewer=USER, channel_id=CHANNEL)[0]
    token = att["actions"][0]["integration"]["context"]["relais"]
    assert verify(token, SECRET, user_id=USER, channel_id=CHANNEL)["command"] == "annuaire"


def test_private_reply_is_ephemeral() -> None:
    assert command_response(Reply.private("chut"), "aide") == {
        "response_type": "ephemeral", "text": "chut"}


def test_long_text_is_split_into_extra_responses_without_losing_text() -> None:
    paragraphs = [f"Paragraphe {i} " + "x" * 900 for i in range(40)]
    text = "\n\n".join(paragraphs)
    body = command_response(Reply.public(text, cards=[Card(title="fin")]), "aide")
    posts = [body, *body["extra_responses"]]
    assert len(posts) >= 3
    assert all(len(p["text"]) <= render.POST_MAX_RUNES for p in posts)
    assert all(p["response_type"] == "in_channel" for p in posts)
    joined = "\n\n".join(p["text"] for p in posts)
    assert joined == text
    assert "attachments" in posts[-1] and "attachments" not in posts[0]


def test_split_message_cuts_a_text_without_newlines() -> None:
    chunks = render.split_message("é" * 40000)
    assert [len(c) for c in chunks] == [16383, 16383, 40000 - 2 * 16383]


def test_response_is_kept_under_one_mebibyte() -> None:
    cards = [Card(title=f"Carte {i}", text="y" * 15000) for i in range(100)]
    body = command_response(Reply.private("z" * 16000, cards=cards), "aide")
    assert len(render.encode(body)) <= render.RESPONSE_MAX_BYTES
    assert body["text"].startswith("z") and body["attachments"]


def test_button_click_replacing_its_post_is_kept_under_one_mebibyte() -> None:
    cards = [Card(title=f"Carte {i}", text="y" * 15000) for i in range(100)]
    raw = render.fit_encoded(render.action_response(Reply(text="Mis à jour", update=True, cards=cards),
                                                    signer=SIGNER, command="aide"))
    assert len(raw) <= render.RESPONSE_MAX_BYTES
    update = json.loads(raw)["update"]
    assert update["message"] == "Mis à jour" and 0 < len(update["props"]["attachments"]) < 100


def test_action_update_replaces_post_and_clears_buttons() -> None:
    reply = Reply(text="Inscription enregistrée", update=True, cards=[Card(title="Atelier", text="complet")])
    body = render.action_response(reply, signer=SIGNER, command="atelier")
    assert body["update"]["message"] == "Inscription enregistrée"
    assert body["update"]["props"]["attachments"][0]["title"] == "Atelier"
    assert "actions" not in body["update"]["props"]["attachments"][0]
    assert render.action_response(Reply(text="", update=True), signer=SIGNER, command="x") == {
        "update": {"message": "", "props": {"attachments": []}}}
    # An `update` replaces all the post's props: the clicked post's are sent back, the reply's own win.
    kept = {"relais_question": 3, "relais_key": "q:3", "from_bot": "true"}
    reply = Reply(text="Résolue", update=True, props={"relais_question": 4}, cards=[Card(title="Question")])
    props = render.action_response(reply, signer=SIGNER, command="entraide", kept=kept)["update"]["props"]
    assert {k: v for k, v in props.items() if k != "attachments"} == {
        "relais_question": 4, "relais_key": "q:3", "from_bot": "true"}
    assert [a["title"] for a in props["attachments"]] == ["Question"] and kept["relais_question"] == 3


def test_action_private_reply_is_ephemeral_text_with_cards_as_markdown() -> None:
    reply = Reply.private("Fiche :", cards=[Card(title="Lyon", fields=[Field("Tél", "04 00")])])
    body = render.action_response(reply, signer=SIGNER, command="annuaire")
    assert body == {"ephemeral_text": "Fiche :\n\n**Lyon**\n- Tél : 04 00"}


def test_long_click_answers_are_cut_to_one_post_and_say_so() -> None:
    text = "a" * 9000 + "\n\n" + "b" * 9000
    for reply in (Reply.private(text), Reply(text=text, update=True)):
        body = render.action_response(reply, signer=SIGNER, command="aide")
        message = body["ephemeral_text"] if "ephemeral_text" in body else body["update"]["message"]
        assert message == "a" * 9000 + render.TRUNCATED  # cut at the paragraph, nothing half-shown
    hard = render.cap_post("c" * 20000)
    assert len(hard) == render.POST_MAX_RUNES and hard.endswith(render.TRUNCATED)
    assert render.cap_post("court") == "court"


def test_dialog_response_errors_and_close() -> None:
    assert render.dialog_response(Reply(errors={"date": "Date inconnue"})) == {"errors": {"date": "Date inconnue"}}
    assert render.dialog_response(Reply(error="Atelier complet")) == {"error": "Atelier complet"}
    assert render.dialog_response(Reply.private("Merci")) == {}


def test_dialog_is_signed_and_named_command_callback() -> None:
    d = Dialog("create", "Nouvel atelier de découverte numérique", [
        DialogElement("title", "Titre de l'atelier", max_length=80),
        DialogElement("kind", "Type", type="select", options=[Option("num", "Numérique")], optional=True),
        DialogElement("notes", "Notes", type="textarea", help="Facultatif", placeholder="…"),
    ], state={"draft": 3}, introduction="Remplissez")
    out = render.dialog(d, signer=SIGNER, command="atelier", viewer=USER, channel_id=CHANNEL)
    assert out["callback_id"] == "atelier:create"
    assert len(out["title"]) <= 24
    assert out["introduction_text"] == "Remplissez"
    assert out["elements"][0] == {"display_name": "Titre de l'atelier", "name": "title", "type": "text",
                                  "max_length": 80}
    assert out["elements"][1]["options"] == [{"text": "Numérique", "value": "num"}]
    assert out["elements"][1]["optional"] is True
    assert out["elements"][2]["help_text"] == "Facultatif"
    assert verify(out["state"], SECRET, user_id=USER, channel_id=CHANNEL) == {
        "command": "atelier", "callback": "create", "state": {"draft": 3}}


@pytest.mark.parametrize("text", ["", "court"])
def test_encode_is_compact_utf8(text: str) -> None:
    assert json.loads(render.encode({"text": text + "é"})) == {"text": text + "é"}
    assert "é".encode() in render.encode({"text": "é"})
