"""Bounded fuzz of `verify`: seeded and hypothesis-made tokens, mangled genuine tokens, other audiences. None is
accepted; each refusal is a `SignatureError` (never another exception, which would be a 500 on the bot's port)."""

from __future__ import annotations

import random

import pytest

from bot.core.signing import ANYONE, SignatureError, sign, verify

SECRET = "s" * 40
ALICE, BOB, TOWN, OTHER = "a" * 26, "b" * 26, "t" * 26, "o" * 26
NOW = 1_800_000_000.0
SEEDED = 5_000


def _genuine() -> str:
    return sign({"command": "accompagnement", "action": "delete_all_confirmed", "data": {"count": 3}}, SECRET,
                user_id=ALICE, channel_id=TOWN, now=NOW)


def _mangle(token: str, rng: random.Random) -> str:
    chars = list(token)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(4)
        i = rng.randrange(len(chars))
        if op == 0:
            chars[i] = rng.choice("ABCabc019-_+/=. \u00e9\ud800")
        elif op == 1:
            del chars[i]
        elif op == 2:
            chars.insert(i, rng.choice("=+/ .\n-_A"))
        else:
            chars = chars[::-1] if rng.random() < 0.1 else chars
    return "".join(chars)


def test_seeded_mangled_tokens_are_all_refused_with_a_signature_error() -> None:
    genuine = _genuine()
    rng = random.Random(13)
    tried = refused = 0
    for _ in range(SEEDED):
        token = _mangle(genuine, rng)
        if token == genuine:
            continue
        tried += 1
        with pytest.raises(SignatureError):
            verify(token, SECRET, user_id=ALICE, channel_id=TOWN, now=NOW)
        refused += 1
    assert tried == refused and tried > SEEDED * 0.9  # a few "mangles" give the genuine token back


def test_a_genuine_token_is_refused_to_anyone_else_and_elsewhere() -> None:
    genuine = _genuine()
    assert verify(genuine, SECRET, user_id=ALICE, channel_id=TOWN, now=NOW)["action"] == "delete_all_confirmed"
    for user, channel in ((BOB, TOWN), (ALICE, OTHER), ("", TOWN), ("me", TOWN), (ANYONE, TOWN)):
        with pytest.raises(SignatureError):
            verify(genuine, SECRET, user_id=user, channel_id=channel, now=NOW)
    for_anyone = sign({"command": "annonce", "action": "ack"}, SECRET, user_id=ANYONE, channel_id=TOWN, now=NOW)
    assert verify(for_anyone, SECRET, user_id=BOB, channel_id=TOWN, now=NOW) == {"command": "annonce", "action": "ack"}
    with pytest.raises(SignatureError):
        verify(for_anyone, SECRET, user_id=BOB, channel_id=OTHER, now=NOW)


def test_hypothesis_tokens_never_pass_and_never_crash() -> None:
    hypothesis = pytest.importorskip("hypothesis")
    st = hypothesis.strategies
    genuine = _genuine()
    raw, mac = genuine.split(".")

    @hypothesis.settings(max_examples=500, deadline=None, derandomize=True)
    @hypothesis.given(st.one_of(
        st.text(max_size=200),
        st.builds(lambda t: raw + "." + t, st.text(max_size=60)),
        st.builds(lambda t: t + "." + mac, st.text(max_size=300)),
        st.from_regex(r"[A-Za-z0-9_\-]{0,200}\.[A-Za-z0-9_\-=+/ ]{0,50}", fullmatch=True),
    ))
    def check(token: str) -> None:
        if token == genuine:
            return
        with pytest.raises(SignatureError):
            verify(token, SECRET, user_id=ALICE, channel_id=TOWN, now=NOW)

    check()
