"""Signed button contexts and dialog states pinned: known-good tokens (the hash, the encoding, the week of
lifetime), expiry to the second, every malformed shape refused with its reason, audience and channel."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest

from bot.core.signing import ANYONE, DEFAULT_TTL, SignatureError, _unb64, sign, verify

NOW = 1_700_000_000
WEEK = 7 * 24 * 3600
# Made once by `sign` and written here: any change to the hash, the encoding, the JSON or the lifetime breaks them.
KNOWN = [
    ({"a": 1, "k": "annonce:42"}, "s3cret", "u1abc", "ch9", WEEK,
     "eyJhIjoxLCJrIjoiYW5ub25jZTo0MiIsIl9leHAiOjE3MDA2MDQ4MDAsIl91IjoidTFhYmMiLCJfYyI6ImNoOSJ9"
     ".6hCogWgXlzJFlgud1DunF-1QDj5Pig1Tl3REs52NozI"),
    ({"n": "é"}, "other", ANYONE, "", 60,
     "eyJuIjoiw6kiLCJfZXhwIjoxNzAwMDAwMDYwLCJfdSI6IioifQ.tNw2zneBSAf9sESH-r6faLkvzkXQ0EkKrSjp4A-ltGg"),
]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _forge(body: object, secret: str = "s3cret", raw: str | None = None) -> str:
    """A correctly MACed token around any body (or raw text): what only the holder of the secret could make."""
    raw = raw if raw is not None else _b64(json.dumps(body).encode())
    return raw + "." + _b64(hmac.new(secret.encode(), raw.encode(), hashlib.sha256).digest())


@pytest.mark.parametrize(("payload", "secret", "user", "channel", "ttl", "token"), KNOWN)
def test_known_tokens_are_made_and_accepted(payload, secret, user, channel, ttl, token) -> None:
    assert sign(payload, secret, user_id=user, channel_id=channel, ttl=ttl, now=NOW) == token
    raw, mac = token.split(".")
    assert mac == _b64(hmac.new(secret.encode(), raw.encode(), hashlib.sha256).digest())  # HMAC-SHA256, really
    assert verify(token, secret, user_id=user if user != ANYONE else "anyone", channel_id=channel or "x",
                  now=NOW) == payload


def test_default_lifetime_is_a_week_to_the_second() -> None:
    token = sign({"a": 1}, "k", user_id="u", now=NOW)
    assert DEFAULT_TTL == WEEK
    assert verify(token, "k", user_id="u", channel_id="c", now=NOW + WEEK) == {"a": 1}  # last valid second
    with pytest.raises(SignatureError, match="^expired$"):
        verify(token, "k", user_id="u", channel_id="c", now=NOW + WEEK + 0.001)
    body = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    assert body["_exp"] == NOW + WEEK and body["_u"] == "u" and "_c" not in body


def test_a_fractional_now_is_floored_into_the_expiry() -> None:
    token = sign({}, "k", user_id="u", ttl=10, now=NOW + 0.9)
    verify(token, "k", user_id="u", channel_id="c", now=NOW + 10)
    with pytest.raises(SignatureError, match="^expired$"):
        verify(token, "k", user_id="u", channel_id="c", now=NOW + 10.5)


def _mac_swap_last(token: str) -> str:
    """Same decoded MAC, another spelling: the last character's two unused bits set."""
    raw, mac = token.split(".")
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    last = alphabet.index(mac[-1])
    return f"{raw}.{mac[:-1]}{alphabet[last | 1 if last % 4 == 0 else last & ~3]}"


GOOD = KNOWN[0][5]
RAW, MAC = GOOD.split(".")
MALFORMED = [
    (None, "unsigned"), (42, "unsigned"), (b"abc.def", "unsigned"), ("", "unsigned"), (RAW, "unsigned"),
    (GOOD + ".x", "unsigned"), ("é" + GOOD[1:], "unsigned"), ("a" * 65_537, "unsigned"),
    (RAW + "." + MAC[:-1], "malformed"), (RAW + "." + MAC + "A", "malformed"),
    (RAW + "." + MAC[:-1] + "=", "malformed"), (RAW + "." + MAC[:-1] + "+", "malformed"),
    (RAW + "." + MAC[:-1] + "/", "malformed"), (RAW + "." + MAC[:-1] + " ", "malformed"),
    (_mac_swap_last(GOOD), "malformed"),
    (RAW + "." + MAC[:-1] + ("A" if MAC[-1] != "A" else "E"), "bad signature"),  # canonical, other bytes
    (RAW[:-1] + ("A" if RAW[-1] != "A" else "B") + "." + MAC, "bad signature"),
    (_forge({"a": 1}, secret="not the secret"), "bad signature"),
    (_forge(None, raw="e30"[:2] + "!"), "malformed"),  # MAC fine, body not base64url
    (_forge(None, raw=_b64(b"{not json")), "malformed"),
    (_forge(None, raw=_b64(b"\xff\xfe")), "malformed"),
    (_forge(None, raw="A"), "malformed"),  # one character: impossible length
    (_forge([1, 2]), "expired"),  # not an object
    (_forge({"_u": "u1abc"}), "expired"),  # no expiry
    (_forge({"_exp": str(NOW + 60), "_u": "u1abc"}), "expired"),  # expiry not an integer
    (_forge({"_exp": float(NOW + 60), "_u": "u1abc"}), "expired"),
    (_forge({"_exp": NOW + 60}), "issued for another user"),  # no audience
    (_forge({"_exp": NOW + 60, "_u": "someone"}), "issued for another user"),
    (_forge({"_exp": NOW + 60, "_u": "u1abc", "_c": "elsewhere"}), "issued for another channel"),
]


@pytest.mark.parametrize(("token", "reason"), MALFORMED, ids=[f"{r}-{i}" for i, (_, r) in enumerate(MALFORMED)])
def test_every_bad_token_is_refused_with_its_reason(token: object, reason: str) -> None:
    with pytest.raises(SignatureError, match=f"^{reason}$"):
        verify(token, "s3cret", user_id="u1abc", channel_id="ch9", now=NOW)


def test_the_forger_helper_makes_tokens_that_pass() -> None:
    """So the MALFORMED rows above fail for the reason they name, not because `_forge` is wrong."""
    assert verify(_forge({"_exp": NOW + 60, "_u": "u1abc", "_c": "ch9", "x": 1}), "s3cret", user_id="u1abc",
                  channel_id="ch9", now=NOW) == {"x": 1}


def test_tokens_up_to_64_kib_are_read_longer_ones_refused_unread() -> None:
    def token_of(length: int) -> str:
        pad = length * 3 // 4 - 120  # just under: the JSON around it and the MAC take the rest
        while True:
            t = sign({"p": "x" * pad}, "k", user_id="u", now=NOW)
            if len(t) >= length:
                return t
            pad += 1

    exact = token_of(64 * 1024)
    assert len(exact) == 64 * 1024
    assert verify(exact, "k", user_id="u", channel_id="c", now=NOW)["p"]
    longer = token_of(64 * 1024 + 1)
    with pytest.raises(SignatureError, match="^unsigned$"):
        verify(longer, "k", user_id="u", channel_id="c", now=NOW)


@pytest.mark.parametrize(("audience", "user", "channel_signed", "channel_used", "ok"), [
    ("u1", "u1", "c1", "c1", True),
    ("u1", "u2", "c1", "c1", False),
    ("u1", "", "c1", "c1", False),
    ("", "", "c1", "c1", False),  # an empty audience is nobody, never everyone
    (ANYONE, "u2", "c1", "c1", True),
    (ANYONE, "", "c1", "c1", True),
    (ANYONE, "u2", "c1", "c2", False),
    ("u1", "u1", "", "any", True),  # signed for no channel: any channel
    ("u1", "u1", "c1", "", False),
])
def test_audience_and_channel(audience: str, user: str, channel_signed: str, channel_used: str, ok: bool) -> None:
    token = sign({"v": 1}, "k", user_id=audience, channel_id=channel_signed, now=NOW)
    if ok:
        assert verify(token, "k", user_id=user, channel_id=channel_used, now=NOW) == {"v": 1}
    else:
        with pytest.raises(SignatureError, match="^issued for another (user|channel)$"):
            verify(token, "k", user_id=user, channel_id=channel_used, now=NOW)


def test_payload_keys_of_its_own_are_kept_and_the_reserved_ones_removed() -> None:
    token = sign({"user": "u9", "channel": "c9", "exp": 3}, "k", user_id="u", channel_id="c", now=NOW)
    assert verify(token, "k", user_id="u", channel_id="c", now=NOW) == {"user": "u9", "channel": "c9", "exp": 3}


def test_strict_base64url() -> None:
    assert _unb64("") == b""
    assert _unb64("-_-_") == base64.urlsafe_b64decode("-_-_")
    assert _unb64("AAAX") == b"\x00\x00\x17"  # an encoding ending in X (the strip of "=" must strip only "=")
    assert _unb64("AQ") == b"\x01" and _unb64("AQI") == b"\x01\x02" and _unb64("AQID") == b"\x01\x02\x03"
    for bad in ("A", "AQ=", "AR", "+/+/", "AQ I", "ÀQ"):
        with pytest.raises(ValueError):
            _unb64(bad)


def test_one_secret_does_not_open_anothers_tokens() -> None:
    token = sign({"v": 1}, "k1", user_id="u", now=NOW)
    assert verify(token, "k1", user_id="u", channel_id="c", now=NOW) == {"v": 1}
    sign({"v": 2}, "k2", user_id="u", now=NOW)  # the keyed-state cache holds both secrets
    with pytest.raises(SignatureError, match="^bad signature$"):
        verify(token, "k2", user_id="u", channel_id="c", now=NOW)
    assert verify(token, "k1", user_id="u", channel_id="c", now=NOW) == {"v": 1}
