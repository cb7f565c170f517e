"""`neutralize_mentions` against a model of Mattermost's mention rules (tests/mention_oracle.py): a corpus of
tricky forms, then seeded random texts built from the same pieces (bounded: a fixed number of cases)."""

from __future__ import annotations

import random

import pytest

from bot.core.text import ZWSP, neutralize_mentions
from tests.mention_oracle import notifies_channel

# Forms that notify a whole channel when posted as they are (the model and the real server agree on these).
CORPUS = [
    "@channel", "@all", "@here", "@HERE", "@Channel", "salut @channel !", "(@all)", "[@here]", "«@all»",
    "_@here_", "__@all__", "*@channel*", "**@here**", "~~@all~~", "`x`@here", "> @channel", "- @all", "# @here",
    "&#64;channel", "&#x40;here", "&#X40;all", "&#0064;here", "&#0000064;all", "@&#99;hannel", "&commat;all",
    "&#64;&#99;&#104;annel", "@&#x68;ere", "\\@channel", "\\_@here", "a.@all", "fin.@here", "x-@channel",
    "a:@all", "::@here", ".@all.", "@here:", "@all-", "@channel_", "@here__", "@all.", "...@channel...",
    "[@all](https://example.org)", "<b>@here</b>", "@ @here", "\t@here", "ligne\n@all",
    "e\u0301@channel", "¡@here", "«@channel»", "\u00a0@all", "\u200b@here", "&amp;@all", "&lowbar;@here",
    "&#95;@all", "&period;@channel", "www.example.fr.@here", "https://a.fr/x @all", "@here&#46;",
]
# Forms that do not notify and must come out unchanged (e-mail addresses, words, prices, ~ inside words).
UNCHANGED = ["contact@mairie.fr", "a@channel", "jean.dupont@laposte.net", "prix ~ 10 €", "5~6 ans",
             "@ la mairie", "sans arobase", "A&amp;B", "&eacute;cole", "a~b"]


@pytest.mark.parametrize("text", CORPUS)
def test_every_corpus_form_notifies_before_and_not_after(text: str) -> None:
    assert notifies_channel(text), f"the model should see a mention in {text!r}"
    assert not notifies_channel(neutralize_mentions(text)), neutralize_mentions(text)


@pytest.mark.parametrize("text", UNCHANGED)
def test_harmless_text_is_left_as_typed(text: str) -> None:
    assert neutralize_mentions(text) == text


def test_user_mentions_and_channel_links_lose_their_effect() -> None:
    assert neutralize_mentions("merci @bob et ~town-square") == f"merci @{ZWSP}bob et ~{ZWSP}town-square"
    assert neutralize_mentions(neutralize_mentions("_@here_")) == neutralize_mentions("_@here_")  # idempotent


PIECES = ["@", "@", "&#64;", "&#x40;", "&commat;", "&#99;", "here", "channel", "all", "HERE", "_", "__", "*",
          "~", ".", "-", ":", "\\", "[", "](x)", "`", " ", "\n", "a", "é", "&amp;", "&", ";", "x@y.fr", "\u200b",
          "<", ">", "(", ")", "0", "²"]


def random_texts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(1, 12))) for _ in range(count)]


def test_seeded_random_texts_never_notify_after_neutralising() -> None:
    texts = random_texts(13, 20_000)
    dangerous = [t for t in texts if notifies_channel(t)]
    assert len(dangerous) > 500  # the generator does produce mentions
    escaped = [t for t in texts if notifies_channel(neutralize_mentions(t))]
    assert escaped == []


def test_hypothesis_texts_never_notify_after_neutralising() -> None:
    hypothesis = pytest.importorskip("hypothesis")
    st = hypothesis.strategies

    @hypothesis.settings(max_examples=400, deadline=None, derandomize=True)
    @hypothesis.given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)), max_size=12))
    def check(parts: list[str]) -> None:
        assert not notifies_channel(neutralize_mentions("".join(parts)))

    check()
