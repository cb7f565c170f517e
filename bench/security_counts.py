"""The closing figures of issue 13: how many hostile or tricky inputs were tried, and how many got through.

Everything is seeded (same figures on every run) and runs in process:
- signatures: mangled genuine tokens, tokens for another user or channel, expired or re-signed ones, through
  `verify` (none may pass; any exception other than SignatureError would be a 500);
- the bot's port: forged button contexts, dialog states and slash-command tokens, and malformed bodies (JSON
  nested 1,000 deep, lone surrogates, invalid UTF-8, random bytes), sent to the real aiohttp app (Mattermost
  itself is never reached: each is refused before);
- mentions: the corpus of tests/test_core_mentions.py and 20,000 seeded texts, judged by tests/mention_oracle.py;
- notes: generated notes (tests/fuzz_support.py) and the hand-labelled ones (bench/anonymity_notes.py).

    .venv/bin/python bench/security_counts.py
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.core.signing import ANYONE, SignatureError, sign, verify  # noqa: E402

SECRET = "s" * 40
ALICE, BOB, TOWN = "a" * 26, "b" * 26, "t" * 26
NOW = 1_800_000_000.0  # a fixed clock: the same tokens, so the same figures, on every run


def signatures(count: int = 20_000) -> tuple[int, int, int]:
    """(tried, refused, crashed) for mangled and misused tokens."""
    from tests.test_core_signing_fuzz import _mangle

    rng = random.Random(13)
    genuine = sign({"command": "accompagnement", "action": "delete_all_confirmed", "data": {}}, SECRET,
                   user_id=ALICE, channel_id=TOWN, now=NOW)
    tried = refused = crashed = 0
    candidates = [(_mangle(genuine, rng), ALICE, TOWN) for _ in range(count)]
    candidates += [(genuine, user, channel) for user, channel in ((BOB, TOWN), (ALICE, BOB), ("me", TOWN), ("", ""))]
    candidates += [(sign({"x": 1}, "other" * 8, user_id=ANYONE, now=NOW), ALICE, TOWN),
                   (sign({"x": 1}, SECRET, user_id=ALICE, ttl=-1, now=NOW), ALICE, TOWN)]
    for token, user, channel in candidates:
        if token == genuine and (user, channel) == (ALICE, TOWN):
            continue
        tried += 1
        try:
            verify(token, SECRET, user_id=user, channel_id=channel, now=NOW)
        except SignatureError:
            refused += 1
        except Exception:  # noqa: BLE001 - counted: would be a 500 on the port
            crashed += 1
    return tried, refused, crashed


async def port(forged: int = 600, malformed: int = 2_000) -> dict[str, tuple[int, int, int]]:
    """{kind: (tried, refused with 4xx, other statuses)} against the real aiohttp app."""
    from aiohttp.test_utils import TestClient, TestServer

    from bot.app import build_app
    from bot.config import load_settings
    from bot.db import Database
    from bot.db.migrate import upgrade
    from bot.mattermost.client import MattermostClient
    from bot.mattermost.http import create_web_app
    from bot.mattermost.render import CONTEXT_KEY
    from bot.mattermost.tokens import TokenStore, save_token
    from tests.test_security_http import _forgeries, _malformed

    tmp = Path(tempfile.mkdtemp(prefix="relais-sec-"))
    env = {"RELAIS_DATABASE_URL": f"sqlite:///{tmp / 'relais.db'}", "MATTERMOST_URL": "http://127.0.0.1:9",
           "MATTERMOST_TOKEN": "x", "MATTERMOST_TEAM": "t", "RELAIS_PUBLIC_URL": "http://127.0.0.1:1",
           "RELAIS_SECRET": SECRET}
    settings = load_settings(env=env, dotenv=False)
    db = Database(settings.database_url)
    upgrade(db)
    save_token(db, "accompagnement", "team", "cmd", "genuinetoken0000000000000a", key=SECRET)
    tokens = TokenStore(db, key=SECRET)
    tokens.load()
    client = MattermostClient(settings, max_retries=0)
    app = create_web_app(build_app(settings, db, client), client, tokens)
    genuine = sign({"command": "accompagnement", "action": "delete_all_confirmed", "data": {}}, SECRET,
                   user_id=ALICE, channel_id=TOWN)
    out: dict[str, tuple[int, int, int]] = {}
    async with TestClient(TestServer(app)) as client:
        async def tally(kind: str, requests: list[tuple[str, bytes, str]]) -> None:
            refused = other = 0
            for path, body, ctype in requests:
                resp = await client.post(path, data=body, headers={"Content-Type": ctype})
                await resp.read()
                if 400 <= resp.status < 500:
                    refused += 1
                else:
                    other += 1
            out[kind] = (len(requests), refused, other)

        clicks = [("/mattermost/actions", json.dumps({"user_id": BOB if i % 3 == 0 else ALICE, "channel_id": TOWN,
                                                      "context": {CONTEXT_KEY: t}}).encode(), "application/json")
                  for i, t in enumerate(_forgeries(genuine, 13, forged))]
        clicks.append(("/mattermost/actions", json.dumps({"user_id": BOB, "channel_id": TOWN,
                                                          "context": {CONTEXT_KEY: genuine}}).encode(),
                       "application/json"))
        await tally("forged button contexts", clicks)
        states = [("/mattermost/dialogs", json.dumps({"user_id": ALICE, "channel_id": TOWN, "state": t,
                                                      "submission": {}}).encode(), "application/json")
                  for t in _forgeries(genuine, 17, forged)]
        await tally("forged dialog states", states)
        rng = random.Random(5)
        forms = [("/mattermost/commands",
                  f"command=%2Faccompagnement&user_id={ALICE}&channel_id={TOWN}&token="
                  f"{''.join(rng.choice('abcdefghijklmnopqrstuvwxyz0123456789') for _ in range(26))}".encode(),
                  "application/x-www-form-urlencoded") for _ in range(forged)]
        await tally("forged slash-command tokens", forms)
        bodies = _malformed(7, malformed)
        await tally("malformed bodies", [(p, b, "application/json") for b in bodies
                                         for p in ("/mattermost/actions", "/mattermost/dialogs")])
    db.dispose()
    return out


def mentions() -> tuple[int, int, int, int]:
    from bot.core.text import neutralize_mentions
    from tests.mention_oracle import notifies_channel
    from tests.test_core_mentions import CORPUS, random_texts

    texts = CORPUS + random_texts(13, 20_000)
    dangerous = [t for t in texts if notifies_channel(t)]
    escaped = [t for t in texts if notifies_channel(neutralize_mentions(t))]
    return len(texts), len(dangerous), len(escaped), len(CORPUS)


def notes(count: int = 6_000) -> tuple[int, int, int, int]:
    from bot.accompagnements.anonymity import find_personal_data
    from tests.fuzz_support import notes as generated

    today = date(2026, 12, 1)
    rows = generated(21, count)
    personal = [t for kind, t in rows if kind]
    clean = [t for kind, t in rows if not kind]
    missed = sum(1 for t in personal if not find_personal_data(t, today=today))
    refused = sum(1 for t in clean if find_personal_data(t, today=today))
    return len(personal), missed, len(clean), refused


def main() -> int:
    logging.disable(logging.CRITICAL)
    tried, refused, crashed = signatures()
    print(f"signatures (verify): {tried} forged or misused tokens tried, {refused} refused, "
          f"{tried - refused - crashed} accepted, {crashed} other errors")
    for kind, (n, refused4xx, other) in asyncio.run(port()).items():
        print(f"bot's port, {kind}: {n} tried, {refused4xx} refused (4xx), {other} other answers")
    total, dangerous, escaped, corpus = mentions()
    print(f"mentions: {total} texts ({corpus} corpus + seeded), {dangerous} would notify a channel as typed, "
          f"{escaped} still would after neutralize_mentions")
    personal, missed, clean, false_refusals = notes()
    print(f"generated notes: {personal} with personal data, {missed} saved; {clean} anonymous, "
          f"{false_refusals} refused")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
