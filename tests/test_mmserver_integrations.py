"""Slash commands, response_url, interactive dialogs and buttons: the fake server's CRUD validation and the
requests it sends toward an integration (a recording stub here, the real bot in end-to-end tests)."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from mattermostautodriver.exceptions import InvalidOrMissingParameters, NotEnoughPermissions

from tests.mmserver.fixtures import World, running_stub, seeded_world
from tests.mmserver.openapi_check import validate_log
from tests.mmserver.stub import IntegrationStub, StubReply

FORM_KEYS = [
    "channel_id",
    "channel_name",
    "command",
    "response_url",
    "root_id",
    "team_domain",
    "team_id",
    "text",
    "token",
    "trigger_id",
    "user_id",
    "user_mentions",
    "user_mentions_ids",
    "user_name",
]


@pytest_asyncio.fixture
async def world() -> AsyncIterator[World]:
    async with seeded_world() as w:
        yield w


@pytest_asyncio.fixture
async def stub() -> AsyncIterator[IntegrationStub]:
    async with running_stub() as s:
        yield s


def command_body(world: World, stub: IntegrationStub, **overrides: Any) -> dict[str, Any]:
    body = {"team_id": world.team["id"], "trigger": "annuaire", "url": stub.url + "/command", "method": "P"}
    body.update(overrides)
    return body


async def register(world: World, stub: IntegrationStub, **overrides: Any) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=world.server.url) as client:
        resp = await client.post(
            "/api/v4/commands",
            json=command_body(world, stub, **overrides),
            headers={"Authorization": "Bearer " + world.token(world.admin)},
        )
    assert resp.status_code == 201, resp.text
    return resp.json()


def assert_spec_valid(world: World) -> None:
    bad = [str(r) for r in validate_log(world.server.requests_log) if r.in_spec and not r.ok]
    assert not bad, "\n".join(bad)


# ----- commands CRUD ------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_command_crud_and_validation(world: World, stub: IntegrationStub) -> None:
    admin = world.driver(world.admin)
    await admin.login()
    created = await admin.commands.create_command(world.team["id"], "P", "Annuaire", stub.url + "/command")
    assert created["trigger"] == "annuaire" and len(created["token"]) == 26
    assert created["creator_id"] == world.admin["id"] and created["id"] in {c["id"] for c in world.server.commands}

    raw = httpx.AsyncClient(base_url=world.server.url, headers={"Authorization": "Bearer " + world.token(world.admin)})

    async def rejected(status: int, error_id: str, **overrides: Any) -> None:
        resp = await raw.post("/api/v4/commands", json=command_body(world, stub, **overrides))
        assert (resp.status_code, resp.json()["id"]) == (status, error_id), overrides

    await rejected(400, "api.command.duplicate_trigger.app_error", trigger="ANNUAIRE")
    await rejected(400, "api.command.duplicate_trigger.app_error", trigger="echo")  # built-in
    await rejected(400, "model.command.is_valid.trigger.app_error", trigger="/slash")
    await rejected(400, "model.command.is_valid.trigger.app_error", trigger="two words")
    await rejected(400, "model.command.is_valid.trigger.app_error", trigger="x" * 129)
    await rejected(400, "model.command.is_valid.url_http.app_error", trigger="a", url="ftp://example.org/c")
    await rejected(400, "model.command.is_valid.url.app_error", trigger="b", url="http://e.org/" + "x" * 1020)
    await rejected(400, "model.command.is_valid.method.app_error", trigger="c", method="X")
    await rejected(400, "model.command.is_valid.display_name.app_error", trigger="d", display_name="n" * 65)
    await rejected(400, "model.command.is_valid.description.app_error", trigger="e", description="d" * 129)
    # Go's len counts bytes (checked on Mattermost 10.7): 65 "é" are 130 bytes, 33 "é" are 66.
    await rejected(400, "model.command.is_valid.description.app_error", trigger="f", description="é" * 65)
    await rejected(400, "model.command.is_valid.display_name.app_error", trigger="g", display_name="é" * 33)
    await rejected(400, "model.command.is_valid.trigger.app_error", trigger="é" * 65)
    accepted = await raw.post("/api/v4/commands", json=command_body(world, stub, trigger="h", description="é" * 64))
    assert accepted.status_code == 201
    assert (await raw.delete(f"/api/v4/commands/{accepted.json()['id']}")).status_code == 200
    await raw.aclose()

    alice = world.driver(world.alice)
    await alice.login()
    with pytest.raises(NotEnoughPermissions):
        await alice.commands.create_command(world.team["id"], "P", "perso", stub.url + "/c")
    world.server.allow_user_commands = True
    mine = await alice.commands.create_command(world.team["id"], "P", "perso", stub.url + "/c")
    assert mine["creator_id"] == world.alice["id"]

    listed = await admin.commands.list_commands(team_id=world.team["id"], custom_only=True)
    assert {c["trigger"] for c in listed} == {"annuaire", "perso"} and all(c["token"] for c in listed)
    autocomplete = await alice.commands.list_commands(team_id=world.team["id"], custom_only=False)
    assert "echo" in {c["trigger"] for c in autocomplete}

    async with httpx.AsyncClient(
        base_url=world.server.url, headers={"Authorization": "Bearer " + world.token(world.admin)}
    ) as client:
        update = dict(created, trigger="annu", description="Annuaire des structures")
        updated = await client.put(f"/api/v4/commands/{created['id']}", json=update)
        assert updated.status_code == 200 and updated.json()["trigger"] == "annu"
        assert updated.json()["token"] == created["token"]
        regen = await client.put(f"/api/v4/commands/{created['id']}/regen_token")
        assert regen.status_code == 200 and regen.json()["token"] != created["token"]
        assert world.server.command_by_trigger(world.team["id"], "annu")["token"] == regen.json()["token"]
        assert (await client.delete(f"/api/v4/commands/{created['id']}")).json() == {"status": "OK"}
        assert (await client.delete(f"/api/v4/commands/{created['id']}")).status_code == 404
    assert world.server.command_by_trigger(world.team["id"], "annu") is None
    assert_spec_valid(world)


# ----- running a slash command --------------------------------------------------------------------


@pytest.mark.asyncio
async def test_run_command_sends_the_exact_form_and_applies_an_ephemeral_reply(
    world: World, stub: IntegrationStub
) -> None:
    cmd = await register(world, stub)
    stub.replies["/command"] = StubReply(body={"text": "3 structures trouvées", "response_type": "ephemeral"})
    result = await world.server.run_command(world.alice["id"], world.town["id"], "/Annuaire caf  @bob manosque")

    assert result.ok and result.status == 200
    sent = stub.requests[-1]
    assert sent.method == "POST"
    assert sent.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert sent.headers["Accept"] == "application/json"
    assert sent.headers["Authorization"] == "Token " + cmd["token"]
    assert [k for k, _ in sent.form] == FORM_KEYS  # url.Values.Encode(): sorted keys
    form = sent.form_dict
    assert form["command"] == "/annuaire" and form["text"] == "caf  @bob manosque"
    assert form["token"] == cmd["token"] and form["team_domain"] == "reseau"
    assert form["channel_name"] == "town-square" and form["user_name"] == "alice" and form["root_id"] == ""
    assert (form["user_mentions"], form["user_mentions_ids"]) == ("bob", world.bob["id"])
    assert form["response_url"].startswith(world.server.url + "/hooks/commands/")
    trigger = base64.b64decode(form["trigger_id"]).decode().split(":")
    assert len(trigger) == 4 and trigger[1] == world.alice["id"]

    assert [p["message"] for p in result.ephemerals] == ["3 structures trouvées"]
    eph = world.server.ephemerals_for(world.alice["id"])[-1]
    assert eph["user_id"] == world.alice["id"] and eph["props"]["from_webhook"] == "true"
    assert world.server.posts_in(world.town["id"]) == []


@pytest.mark.asyncio
async def test_run_command_in_channel_text_extra_responses_and_failures(world: World, stub: IntegrationStub) -> None:
    await register(world, stub)
    root = await world.server.post_as(world.alice["id"], world.town["id"], "question")
    stub.replies["/command"] = StubReply(
        body={
            "response_type": "in_channel",
            "text": "Voir <https://example.org|le site>",
            "attachments": [{"title": "CAF", "fields": [{"title": "n", "value": 3, "short": True}]}],
            "extra_responses": [{"response_type": "ephemeral", "text": "en plus"}],
        }
    )
    result = await world.server.run_command(world.alice["id"], world.town["id"], "/annuaire caf", root_id=root["id"])
    assert result.ok
    [post] = result.posts
    assert post["root_id"] == root["id"] and post["user_id"] == world.alice["id"]  # the invoking user
    assert post["message"] == "Voir [le site](https://example.org)"
    assert post["type"] == "slack_attachment" and post["props"]["from_webhook"] == "true"
    assert post["props"]["attachments"][0]["fields"][0]["value"] == "3"  # stringified like the server does
    assert [e["message"] for e in result.ephemerals] == ["en plus"]
    assert stub.requests[-1].form_dict["root_id"] == root["id"]

    stub.replies["/command"] = StubReply(body="plain text reply", content_type="text/plain; charset=utf-8")
    plain = await world.server.run_command(world.alice["id"], world.town["id"], "/annuaire")
    assert plain.response == {"text": "plain text reply"} and plain.ephemerals[0]["message"] == "plain text reply"

    stub.replies["/command"] = StubReply(status=500, body="boom", content_type="text/plain")
    failed = await world.server.run_command(world.alice["id"], world.town["id"], "/annuaire")
    assert not failed.ok and failed.error.id == "api.command.execute_command.failed_resp.app_error"

    stub.replies["/command"] = StubReply(body="{not json", content_type="application/json")
    broken = await world.server.run_command(world.alice["id"], world.town["id"], "/annuaire")
    assert broken.error.id == "api.command.execute_command.failed.app_error"

    unknown = await world.server.run_command(world.alice["id"], world.town["id"], "/inconnu")
    assert unknown.error.id == "api.command.execute_command.not_found.app_error" and unknown.status is None


@pytest.mark.asyncio
async def test_get_commands_forged_token_and_execute_endpoint(world: World, stub: IntegrationStub) -> None:
    await register(world, stub, trigger="meteo", method="G", url=stub.url + "/meteo?lang=fr")
    result = await world.server.run_command(world.alice["id"], world.town["id"], "/meteo", token="forged")
    sent = stub.requests[-1]
    assert sent.method == "GET" and sent.body == b""
    query = dict(sent.query)
    assert query["lang"] == "fr" and query["token"] == "forged" and query["command"] == "/meteo"
    assert sent.headers["Authorization"] == "Token forged"
    assert result.ok and result.ephemerals == []  # `{}` reply: nothing to show

    forged = await world.server.send_command_form(stub.url + "/meteo", {"command": "/meteo", "token": "x"}, token="x")
    assert forged.status == 200 and stub.requests[-1].headers["Authorization"] == "Token x"
    assert stub.requests[-1].form_dict == {"command": "/meteo", "token": "x"}

    stub.replies["/meteo"] = StubReply(body={"text": "Soleil", "goto_location": "https://example.org"})
    alice = world.driver(world.alice)
    await alice.login()
    response = await alice.commands.execute_command(world.town["id"], "/meteo demain")
    assert response["text"] == "Soleil" and response["trigger_id"]
    assert_spec_valid(world)  # /commands/execute is validated with the snake_case CommandResponse


# ----- response_url -------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_response_url_five_uses_then_400_and_404_when_unknown_or_expired(
    world: World, stub: IntegrationStub
) -> None:
    await register(world, stub)
    result = await world.server.run_command(world.alice["id"], world.town["id"], "/annuaire")
    url = result.response_url
    async with httpx.AsyncClient() as client:
        first = await client.post(url, json={"response_type": "in_channel", "text": "résultat différé"})
        assert (first.status_code, first.text, first.headers["content-type"]) == (200, "ok", "text/plain")
        for _ in range(4):
            assert (await client.post(url, content="texte brut", headers={"Content-Type": "text/plain"})).text == "ok"
        sixth = await client.post(url, json={"text": "encore"})
        assert sixth.status_code == 400 and sixth.json()["id"] == "web.command_webhook.general.app_error"
        unknown = await client.post(world.server.url + "/hooks/commands/" + "a" * 26, json={"text": "x"})
        assert unknown.status_code == 404

        again = await world.server.run_command(world.alice["id"], world.town["id"], "/annuaire")
        world.server.advance_clock(30 * 60 + 1)
        expired = await client.post(again.response_url, json={"text": "trop tard"})
        assert expired.status_code == 404

    [delayed] = [p for p in world.server.posts_in(world.town["id"]) if p["message"] == "résultat différé"]
    assert delayed["user_id"] == world.alice["id"] and delayed["props"]["from_webhook"] == "true"
    assert len([e for e in world.server.ephemerals_for(world.alice["id"]) if e["message"] == "texte brut"]) == 4


# ----- dialogs ------------------------------------------------------------------------------------

DIALOG = {
    "callback_id": "new_ticket",
    "title": "Nouveau ticket",
    "elements": [{"display_name": "Résumé", "name": "summary", "type": "text"}],
    "notify_on_cancel": True,
    "state": "step1",
}


@pytest.mark.asyncio
async def test_dialog_open_checks_the_trigger_and_submission_round_trip(world: World, stub: IntegrationStub) -> None:
    await register(world, stub)
    bot = world.driver(world.bot)
    await bot.login()
    run = await world.server.run_command(world.alice["id"], world.town["id"], "/annuaire")

    for bad_trigger, error_id in [
        ("not base64!", "interactive_message.decode_trigger_id.base64_decode_failed"),
        (base64.b64encode(b"a:b:c").decode(), "interactive_message.decode_trigger_id.missing_data"),
        (base64.b64encode(b"a:b:123:c2ln").decode(), "interactive_message.decode_trigger_id.verify_signature_failed"),
    ]:
        with pytest.raises(InvalidOrMissingParameters) as err:
            await bot.integration_actions.open_interactive_dialog(bad_trigger, stub.url + "/dialog", DIALOG)
        assert err.value.error_id == error_id

    assert await bot.integration_actions.open_interactive_dialog(run.trigger_id, stub.url + "/dialog", DIALOG) == {
        "status": "OK"
    }
    dialog = world.server.last_dialog(world.alice["id"])
    assert (dialog.channel_id, dialog.team_id, dialog.callback_id) == (world.town["id"], world.team["id"], "new_ticket")
    event = [e for e in world.server.ws_events if e.event == "open_dialog"][-1]
    assert event.broadcast["user_id"] == world.alice["id"]
    assert json.loads(event.data["dialog"])["url"] == stub.url + "/dialog"

    stub.replies["/dialog"] = StubReply(body={"errors": {"summary": "Trop court"}})
    refused = await world.server.submit_dialog(world.alice["id"], dialog, {"summary": "x"})
    assert refused.errors == {"summary": "Trop court"} and not refused.closed and dialog.open
    sent = stub.requests[-1].json()
    assert sent == {
        "type": "dialog_submission",
        "callback_id": "new_ticket",
        "state": "step1",
        "user_id": world.alice["id"],
        "channel_id": world.town["id"],
        "team_id": world.team["id"],
        "submission": {"summary": "x"},
        "cancelled": False,
    }
    stub.replies["/dialog"] = StubReply(body={})
    accepted = await world.server.submit_dialog(world.alice["id"], dialog, {"summary": "Disque plein"})
    assert accepted.ok and accepted.closed and not dialog.open
    cancelled = await world.server.submit_dialog(world.alice["id"], dialog, {}, cancelled=True)
    assert stub.requests[-1].json()["cancelled"] is True and cancelled.closed
    forged = await world.server.submit_dialog(world.alice["id"], dialog, {"summary": "x"}, state="forged")
    assert forged.ok and stub.requests[-1].json()["state"] == "forged"

    world.server.advance_clock(31)
    with pytest.raises(InvalidOrMissingParameters) as err:
        await bot.integration_actions.open_interactive_dialog(run.trigger_id, stub.url + "/dialog", DIALOG)
    assert err.value.error_id == "interactive_message.decode_trigger_id.expired"
    async with httpx.AsyncClient(base_url=world.server.url) as anonymous:
        fresh = world.server.issue_trigger_id(world.alice["id"])
        no_url = await anonymous.post("/api/v4/actions/dialogs/open", json={"trigger_id": fresh, "dialog": DIALOG})
        assert no_url.status_code == 400
        ok = await anonymous.post(
            "/api/v4/actions/dialogs/open", json={"trigger_id": fresh, "url": stub.url + "/d", "dialog": DIALOG}
        )
        assert ok.status_code == 200  # no session needed: the trigger is the credential
    assert_spec_valid(world)


# ----- buttons and menus --------------------------------------------------------------------------


def buttons(stub: IntegrationStub) -> dict[str, Any]:
    return {
        "attachments": [
            {
                "text": "Valider la demande ?",
                "actions": [
                    {
                        "name": "Valider",
                        "integration": {"url": stub.url + "/action", "context": {"action": "approve", "id": 7}},
                    },
                    {
                        "name": "Choisir",
                        "type": "select",
                        "options": [{"text": "A", "value": "a"}],
                        "integration": {"url": stub.url + "/action", "context": {"action": "pick"}},
                    },
                ],
            }
        ]
    }


@pytest.mark.asyncio
async def test_buttons_hide_integration_and_apply_update_and_ephemeral(world: World, stub: IntegrationStub) -> None:
    bot = world.driver(world.bot)
    await bot.login()
    created = await bot.posts.create_post(channel_id=world.town["id"], message="Demande #12", props=buttons(stub))
    actions = created["props"]["attachments"][0]["actions"]
    assert all("integration" not in a and a["cookie"] and len(a["id"]) == 26 for a in actions)
    assert "integration" in world.server.get_post(created["id"])["props"]["attachments"][0]["actions"][0]
    fetched = await bot.posts.get_post(created["id"])
    assert "integration" not in json.dumps(fetched)

    stub.replies["/action"] = StubReply(
        body={"update": {"message": "Demande #12 validée", "props": {}}, "ephemeral_text": "C'est fait"}
    )
    result = await world.server.click_button(world.alice["id"], created["id"], "Valider")
    assert result.ok
    sent = stub.requests[-1].json()
    assert sent["context"] == {"action": "approve", "id": 7} and sent["post_id"] == created["id"]
    assert (sent["user_id"], sent["user_name"], sent["channel_name"]) == (world.alice["id"], "alice", "town-square")
    assert sent["team_domain"] == "reseau" and sent["type"] == "" and sent["trigger_id"]
    updated = world.server.get_post(created["id"])
    assert updated["message"] == "Demande #12 validée" and updated["props"] == {}  # `from_bot` not kept
    assert updated["edit_at"] > 0
    eph = world.server.ephemerals_for(world.alice["id"])[-1]
    assert eph["message"] == "C'est fait" and eph["root_id"] == created["id"]

    menu_post = await bot.posts.create_post(channel_id=world.town["id"], message="menu", props=buttons(stub))
    stub.replies["/action"] = StubReply(body={})
    picked = await world.server.click_button(world.alice["id"], menu_post["id"], "Choisir", selected_option="a")
    assert picked.ok and stub.requests[-1].json()["context"] == {"action": "pick", "selected_option": "a"}
    forged = await world.server.click_button(world.alice["id"], menu_post["id"], "Valider", context={"action": "x"})
    assert forged.ok and stub.requests[-1].json()["context"] == {"action": "x"}

    raw = await world.server.send_to_integration(stub.url + "/action", {"context": {"action": "forged"}})
    assert raw.status == 200 and stub.requests[-1].json() == {"context": {"action": "forged"}}
    assert stub.requests[-1].headers["Content-Type"] == "application/json"

    stub.replies["/action"] = StubReply(status=403, body={"error": "refused"})
    refused = await world.server.click_button(world.alice["id"], menu_post["id"], "Valider")
    assert refused.error.id == "api.post.do_action.action_integration.app_error" and refused.status == 403

    stub.replies["/action"] = StubReply(body={"ephemeral_text": "via l'API"})
    action_id = world.server.get_post(menu_post["id"])["props"]["attachments"][0]["actions"][0]["id"]
    async with httpx.AsyncClient(
        base_url=world.server.url, headers={"Authorization": "Bearer " + world.token(world.bob)}
    ) as client:
        clicked = await client.post(f"/api/v4/posts/{menu_post['id']}/actions/{action_id}", json={})
        assert clicked.status_code == 200 and clicked.json()["status"] == "OK" and clicked.json()["trigger_id"]
    assert world.server.ephemerals_for(world.bob["id"])[-1]["message"] == "via l'API"
    assert_spec_valid(world)
