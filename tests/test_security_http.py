"""The bot's port as an attacker sees it: nobody acts as someone else, malformed bodies are one-line 400s.

The real `relais serve` (Server) against the fake Mattermost. Each forgery is sent as raw JSON to the bot's port,
as someone who can reach it would. Bounded fuzz: seeded, a fixed number of cases (counts asserted below).
"""

from __future__ import annotations

import base64
import json
import logging
import random
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_asyncio

from bot.core.signing import ANYONE, sign
from bot.db import Database
from bot.mattermost.render import CONTEXT_KEY
from tests.mmserver.fixtures import World
from tests.test_e2e_transport import Env as TransportEnv
from tests.test_e2e_transport import world  # noqa: F401  (fixture: the fake Mattermost and its users)
from tests.transport_support import SECRET, free_port, setup_commands

FORGED_TOKENS = 300
MALFORMED_BODIES = 60


class Env(TransportEnv):
    """The end-to-end environment of tests/test_e2e_transport.py, plus raw click bodies for forgeries."""

    def click_body(self, user: dict[str, Any], channel_id: str, context: Any, **extra: Any) -> dict[str, Any]:
        return {"user_id": user["id"], "user_name": user["username"], "channel_id": channel_id,
                "team_id": self.world.team["id"], "post_id": "p" * 26, "context": context, **extra}


@pytest_asyncio.fixture
async def env(world: World, db: Database, db_url: str, tmp_path: Path) -> Env:  # noqa: F811
    e = Env(world, db, db_url, tmp_path)
    await setup_commands(e.settings, db, e.registry)
    return e


def _first_context(post: dict[str, Any]) -> dict[str, Any]:
    return post["props"]["attachments"][0]["actions"][0]["integration"]["context"]


async def _button_of(env: Env, command: str) -> dict[str, Any]:
    """Alice runs `command`; the context of the first button she is shown (privately or in the channel)."""
    result = await env.server.run_command(env.world.alice["id"], env.world.town["id"], command)
    [shown] = result.ephemerals or result.posts
    return _first_context(shown)


async def _post(http: aiohttp.ClientSession, url: str, body: Any, *, raw: bytes | None = None) -> int:
    data = raw if raw is not None else json.dumps(body).encode()
    async with http.post(url, data=data, headers={"Content-Type": "application/json"}) as resp:
        await resp.read()
        return resp.status


async def test_a_private_button_copied_by_someone_else_is_refused_and_does_nothing(env: Env) -> None:
    w = env.world
    async with env.bot(), aiohttp.ClientSession() as http:
        context, url = await _button_of(env, "/demo mine"), f"{env.base}/mattermost/actions"
        as_bob = await _post(http, url, env.click_body(w.bob, w.town["id"], context))
        bob_says_alice = await _post(http, url, env.click_body(w.bob, w.town["id"], context, user_name="alice"))
        other_channel = await _post(http, url, env.click_body(w.alice, "c" * 26, context))
        me = await _post(http, url, {**env.click_body(w.alice, w.town["id"], context), "user_id": "me"})
        assert env.calls.clicks == []
        as_alice = await _post(http, url, env.click_body(w.alice, w.town["id"], context, user_name="channel"))
    assert (as_bob, bob_says_alice, other_channel, me) == (403, 403, 403, 400)
    assert as_alice == 200
    assert env.calls.clicks == [("alice", {"n": 3})]  # the name comes from Mattermost, not the request


async def test_a_dialog_state_submitted_as_someone_else_is_refused(env: Env) -> None:
    w = env.world
    async with env.bot(), aiohttp.ClientSession() as http:
        await env.server.run_command(w.alice["id"], w.town["id"], "/demo form")
        dialog = await env.server.wait_for_dialog(w.alice["id"])
        body = {"type": "dialog_submission", "callback_id": dialog.dialog["callback_id"],
                "state": dialog.dialog["state"], "user_id": w.bob["id"], "channel_id": w.town["id"],
                "team_id": w.team["id"], "submission": {"title": "Pirate"}, "cancelled": False}
        forged = await _post(http, f"{env.base}/mattermost/dialogs", body)
        genuine = await env.server.submit_dialog(w.alice["id"], dialog, {"title": "Atelier CAF"})
    assert forged == 403
    assert genuine.ok and env.calls.dialogs == [({"title": "Atelier CAF"}, {"n": 7})]


async def test_a_button_for_anyone_takes_the_clickers_name_from_mattermost(env: Env) -> None:
    w = env.world
    async with env.bot(), aiohttp.ClientSession() as http:
        context, url = await _button_of(env, "/demo"), f"{env.base}/mattermost/actions"
        unknown = await _post(http, url, {**env.click_body(w.bob, w.town["id"], context), "user_id": "z" * 26})
        status = await _post(http, url, env.click_body(w.bob, w.town["id"], context, user_name="channel"))
    assert unknown == 403 and status == 200
    assert env.calls.clicks == [("bob", {"n": 1})]


def _forgeries(genuine: str, seed: int, count: int) -> list[str]:
    """Seeded variations of a genuine token: bit flips, looser base64, other audiences, re-signed bodies."""
    rng = random.Random(seed)
    raw, mac = genuine.split(".")
    payload = {"command": "demo", "action": "validate", "data": {"n": 99}}
    shapes = [
        lambda: raw + "." + mac + "==",
        lambda: raw + "." + mac.replace("-", "+").replace("_", "/"),
        lambda: raw + "." + mac[:20] + " " + mac[20:],
        lambda: raw + "." + mac[:-1] + rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
        lambda: raw[:-3] + rng.choice("abc") + raw[-2:] + "." + mac,
        lambda: raw + "." + base64.urlsafe_b64encode(bytes(rng.randrange(256) for _ in range(32))).decode()[:43],
        lambda: sign(payload, "x" * 40, user_id=ANYONE),
        lambda: sign(payload, SECRET, user_id=ANYONE, ttl=-rng.randint(1, 10_000)),
        lambda: sign(payload, SECRET, user_id="y" * 26),
        lambda: raw + "." + mac + "." + mac,
        lambda: "".join(rng.choice("ABCdef0123-_.") for _ in range(rng.randint(0, 120))),
        lambda: raw + "\ud800." + mac,
    ]
    forged: list[str] = []
    while len(forged) < count:
        token = rng.choice(shapes)()
        if token != genuine:  # a "flip" to the same character is the genuine token, not a forgery
            forged.append(token)
    return forged


async def test_forged_and_mangled_signatures_are_all_refused(env: Env) -> None:
    w = env.world
    async with env.bot(), aiohttp.ClientSession() as http:
        genuine = (await _button_of(env, "/demo mine"))[CONTEXT_KEY]
        statuses = []
        for token in _forgeries(genuine, 13, FORGED_TOKENS):
            body = env.click_body(w.alice, w.town["id"], {CONTEXT_KEY: token})
            raw = json.dumps(body).encode()  # json escapes lone surrogates: the bot must refuse them itself
            statuses.append(await _post(http, f"{env.base}/mattermost/actions", None, raw=raw))
    assert len(statuses) == FORGED_TOKENS
    assert set(statuses) <= {400, 403}, set(statuses)
    assert env.calls.clicks == []


def _malformed(seed: int, count: int) -> list[bytes]:
    rng = random.Random(seed)
    shapes = [
        lambda: b"[" * 1000 + b"]" * 1000,
        lambda: b'{"a":' * 1000 + b"1" + b"}" * 1000,
        lambda: json.dumps({"context": {CONTEXT_KEY: "\ud800abc.def"}, "user_id": "a" * 26,
                            "channel_id": "b" * 26}).encode(),
        lambda: b'{"user_id": "' + bytes([rng.choice([0xff, 0xc3, 0x80, 0xfe])]) + b'"}',
        lambda: bytes(rng.randrange(256) for _ in range(rng.randint(1, 200))),
        lambda: b"null", lambda: b"[]", lambda: b'"text"', lambda: b"{", lambda: b"",
        lambda: json.dumps({"submission": {"title": "\udc80"}, "state": "x"}).encode(),
    ]
    return [rng.choice(shapes)() for _ in range(count)]


async def test_malformed_bodies_are_400_with_one_log_line_each(env: Env, caplog: pytest.LogCaptureFixture) -> None:
    async with env.bot(), aiohttp.ClientSession() as http:
        bodies = _malformed(7, MALFORMED_BODIES)
        caplog.clear()
        with caplog.at_level(logging.INFO):
            statuses = [await _post(http, f"{env.base}/mattermost/{path}", None, raw=body)
                        for body in bodies for path in ("actions", "dialogs")]
            form = b"command=%2Fdemo&user_id=" + bytes([0xff]) + b"&text=x"
            async with http.post(f"{env.base}/mattermost/commands", data=form,
                                 headers={"Content-Type": "application/x-www-form-urlencoded"}) as resp:
                statuses.append(resp.status)
        records = [r for r in caplog.records if r.name == "bot.mattermost.http"]
    assert set(statuses) == {400}
    assert len(records) == len(statuses)  # one line per refused request, no traceback
    assert all(r.levelno == logging.WARNING and not r.exc_info for r in records)
    assert env.calls.clicks == [] and env.calls.dialogs == [] and env.calls.commands == []



async def test_over_long_command_text_is_refused_before_any_work(env: Env) -> None:
    w = env.world
    async with env.bot():
        result = await env.server.run_command(w.alice["id"], w.town["id"], "/demo " + "x" * 20_000)
    assert result.ok
    assert "20\u202f000 caractères" in result.ephemerals[0]["message"]
    assert env.calls.commands == []


async def test_unreachable_response_url_is_one_warning_without_traceback(
    env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    w = env.world
    token = env.server.command_by_trigger(w.team["id"], "demo")["token"]
    form = {"command": "/demo", "text": "slow", "token": token, "user_id": w.alice["id"], "user_name": "alice",
            "channel_id": w.town["id"], "team_id": w.team["id"], "response_url": f"http://127.0.0.1:{free_port()}/x"}
    async with env.bot(defer_after=0.05) as bot:
        with caplog.at_level(logging.INFO):
            reply = await env.server.send_command_form(f"{env.base}/mattermost/commands", form)
            await env.server.wait_for(lambda: env.calls.slow_done == ["alice"])
            await bot.transport.inflight.drain()
    assert reply.status == 200
    lost = [r for r in caplog.records if "late answer" in r.getMessage()]
    assert len(lost) == 1 and lost[0].levelno == logging.WARNING and not lost[0].exc_info
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_serve_warns_when_listening_everywhere_without_tls_in_front() -> None:
    from bot.mattermost.serve import exposure_warning

    assert exposure_warning("0.0.0.0", "http://relais.exemple.fr") is not None
    assert exposure_warning("::", "http://10.0.0.5:8080") is not None
    assert exposure_warning("127.0.0.1", "http://127.0.0.1:8080") is None
    assert exposure_warning("0.0.0.0", "https://relais.exemple.fr") is None


def test_the_drivers_error_line_for_an_expected_refusal_is_dropped(caplog: pytest.LogCaptureFixture) -> None:
    import bot.mattermost.client  # noqa: F401  (installs the filter)

    driver = logging.getLogger("mattermostautodriver.websocket")
    with caplog.at_level(logging.INFO, logger="mattermostautodriver.websocket"):
        record = driver.makeRecord(driver.name, logging.ERROR, "/x/mattermostautodriver/client.py", 1,
                                   "You do not have the appropriate permissions.", (), None, "_check_response")
        driver.handle(record)
        driver.info("Disconnecting websocket")
    assert [r.getMessage() for r in caplog.records] == ["Disconnecting websocket"]
