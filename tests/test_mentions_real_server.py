"""The mention corpus on a real Mattermost: each tricky form, posted as it is, notifies the channel; defused by
`neutralize_mentions`, it notifies nobody. Judged by the server itself: a member's mention count in the channel.

Opt-in, like tests/test_relais_check.py: runs only with RELAIS_TEST_MATTERMOST_URL, RELAIS_TEST_MATTERMOST_BOT_TOKEN,
RELAIS_TEST_MATTERMOST_USER_TOKEN (an ordinary member) and RELAIS_TEST_MATTERMOST_TEAM. The bot creates (or reuses)
a private channel `relais-test-mentions` with that member, sets the member online (for @here) and posts there.
"""

from __future__ import annotations

import os
import time

import httpx
import pytest

from bot.core.text import neutralize_mentions
from tests.mention_oracle import notifies_channel
from tests.test_core_mentions import CORPUS, random_texts

REAL = {k: os.environ.get(f"RELAIS_TEST_MATTERMOST_{k}", "") for k in ("URL", "BOT_TOKEN", "USER_TOKEN", "TEAM")}
CHANNEL = "relais-test-mentions"
SETTLE = 0.6  # seconds for the server's notification work after a post
pytestmark = pytest.mark.skipif(
    not all(REAL.values()), reason="real Mattermost skipped: set RELAIS_TEST_MATTERMOST_URL, _BOT_TOKEN, "
                                   "_USER_TOKEN and _TEAM to check the mention corpus on it")


class Server:
    def __init__(self) -> None:
        base = REAL["URL"].rstrip("/") + "/api/v4"
        self.bot = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {REAL['BOT_TOKEN']}"}, timeout=10)
        self.user = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {REAL['USER_TOKEN']}"}, timeout=10)
        self.user_id = self.user.get("/users/me").raise_for_status().json()["id"]
        team = self.bot.get(f"/teams/name/{REAL['TEAM']}").raise_for_status().json()
        found = self.bot.get(f"/teams/{team['id']}/channels/name/{CHANNEL}", params={"include_deleted": "true"})
        if found.status_code == 200:
            self.channel = found.json()
        else:
            body = {"team_id": team["id"], "name": CHANNEL, "type": "P", "display_name": "Relais test mentions"}
            self.channel = self.bot.post("/channels", json=body).raise_for_status().json()
        self.bot.post(f"/channels/{self.channel['id']}/members", json={"user_id": self.user_id})

    def mentions(self) -> int:
        unread = self.user.get(f"/users/{self.user_id}/channels/{self.channel['id']}/unread").raise_for_status()
        return int(unread.json()["mention_count"])

    def notifies(self, message: str) -> bool:
        self.user.put(f"/users/{self.user_id}/status", json={"user_id": self.user_id, "status": "online"})
        before = self.mentions()
        self.bot.post("/posts", json={"channel_id": self.channel["id"], "message": message}).raise_for_status()
        deadline = time.monotonic() + SETTLE
        while time.monotonic() < deadline:
            if self.mentions() > before:
                return True
            time.sleep(0.1)
        return False


def test_the_mention_corpus_on_a_real_server(capsys: pytest.CaptureFixture[str]) -> None:
    server = Server()
    assert server.notifies("@channel test de référence")  # the measure works: a plain @channel counts
    raw: dict[str, bool] = {text: server.notifies(text) for text in CORPUS}
    defused = {text: server.notifies(neutralize_mentions(text)) for text in CORPUS}
    fuzz = [t for t in random_texts(17, 3000) if notifies_channel(t)][:60]
    fuzz_defused = {text: server.notifies(neutralize_mentions(text)) for text in fuzz}
    with capsys.disabled():
        print(f"\nreal server: {sum(raw.values())}/{len(raw)} corpus forms notify as typed; "
              f"{sum(defused.values())}/{len(defused)} after neutralize_mentions; "
              f"{sum(fuzz_defused.values())}/{len(fuzz_defused)} fuzzed forms after neutralize_mentions")
        for text, hit in raw.items():
            if not hit:
                print(f"  does not notify even as typed: {text!r}")
    assert not any(defused.values()), [t for t, hit in defused.items() if hit]
    assert not any(fuzz_defused.values()), [t for t, hit in fuzz_defused.items() if hit]
