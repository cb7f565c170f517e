"""`PhraseMatcher` at its edges: which typos pass (by word length, single or multi-word), where a match starts and
ends, which overlapping match wins, when homonyms and ties merge, and every candidate a position has is tried."""

from __future__ import annotations

import pytest

from bot.search import PhraseMatcher, Synonyms
from bot.search.phrases import PhraseMatch

COMMUNES = [("Saint-Denis-en-Bugey", "01"), ("Saint-Denis-de-la-Réunion", "974r"), ("Saint-Denis", "93"),
            ("Saint-Denis", "974"), ("Grenoble", "38"), ("Vif", "38b"), ("Saint-Martin-d'Hères", "38m"),
            ("Lyon", "69"), ("Paris", "75"), ("Gap", "05"), ("Y", "80"), ("Eu", "76"), ("Bourg", "01b"),
            ("Pont-de-Vaux", "01p"), ("Le Mans", "72")]


@pytest.fixture
def matcher() -> PhraseMatcher:
    """Built for each test (cheap), so every test exercises the construction too."""
    return PhraseMatcher(COMMUNES)


def _found(matcher: PhraseMatcher, text: str, **kw) -> list[tuple[str, tuple, float]]:
    return [(m.phrase, m.values, m.score) for m in matcher.find(text, **kw)]


# Each row: what a person types, and the phrases it must (or must not) be read as.
TYPOS = [
    # single word, 5 letters and more: one typo allowed (substitution, deletion, insertion, transposition)
    ("grenoblr", [("Grenoble", 0.8)]),
    ("grenble", [("Grenoble", 0.8)]),
    ("grenooble", [("Grenoble", 0.8)]),
    ("grenolbe", [("Grenoble", 0.8)]),
    ("parsi", [("Paris", 0.8)]),  # 5 letters: the shortest single word that tolerates a typo
    ("grnoblee", []),  # two typos: no
    ("grnbole", []),
    # single word under 5 letters: exact spelling only
    ("lyon", [("Lyon", 1.0)]),
    ("lyom", []),
    ("lyonn", []),
    ("gap", [("Gap", 1.0)]),
    ("gao", []),
    ("vil", []),
    ("bourh", [("Bourg", 0.8)]),
    # one-letter phrases are never recognised, two-letter ones are (exactly)
    ("y", []),
    ("eu", [("Eu", 1.0)]),
    # multi-word: each word from 4 letters on tolerates one typo, shorter ones and short typed words do not
    ("saint denis", [("Saint-Denis", 1.0)]),
    ("saint deni", [("Saint-Denis", 0.9)]),  # "deni" typed: 4 letters, enough
    ("sant denis", [("Saint-Denis", 0.9)]),
    ("pont vaux", [("Pont-de-Vaux", 1.0)]),
    ("pont vaus", [("Pont-de-Vaux", 0.9)]),  # known word of 4 letters in a phrase: one typo allowed
    ("ponr vaux", [("Pont-de-Vaux", 0.9)]),
    ("pont vau", []),  # typed word of 3 letters: exact only
    ("le mans", [("Le Mans", 1.0)]),
    ("le man", []),  # "mans" typed "man": 3 letters
    ("sant deni", [("Saint-Denis", 0.8)]),
    ("st denis", [("Saint-Denis", 1.0)]),  # one-word synonym
]


@pytest.mark.parametrize(("typed", "expected"), TYPOS, ids=[t for t, _ in TYPOS])
def test_typos_per_word_length(matcher: PhraseMatcher, typed: str, expected: list[tuple[str, float]]) -> None:
    assert [(m.phrase, m.score) for m in matcher.find(typed)] == expected


def test_a_phrase_ending_the_text_and_its_positions(matcher: PhraseMatcher) -> None:
    text = "aide caf a st denis de la reunion merci grenoble"
    #        0    1   2 3  4     5  6  7      8     9
    assert [(m.start, m.end, m.phrase) for m in matcher.find(text)] == [
        (3, 8, "Saint-Denis-de-la-Réunion"), (9, 10, "Grenoble")]
    assert [(m.start, m.end) for m in matcher.find("grenoble")] == [(0, 1)]
    assert [(m.start, m.end) for m in matcher.find("saint denis")] == [(0, 2)]


def test_every_candidate_of_a_position_is_tried(matcher: PhraseMatcher) -> None:
    """"saint denis en bugey" is listed first, but is too long at the end of the text, then does not fit "reunion":
    the next candidates must still be tried."""
    assert _found(matcher, "vers saint denis") == [("Saint-Denis", ("93", "974"), 1.0)]
    assert _found(matcher, "saint denis reunion") == [("Saint-Denis-de-la-Réunion", ("974r",), 1.0)]
    assert _found(matcher, "saint denis bugey") == [("Saint-Denis-en-Bugey", ("01",), 1.0)]
    assert _found(matcher, "saint denis bugay") == [("Saint-Denis-en-Bugey", ("01",), pytest.approx(2.8 / 3))]
    # beyond the first two words, a word two typos away does not count: "bagay" is not "bugey"
    assert _found(matcher, "saint denis bagay") == [("Saint-Denis", ("93", "974"), 1.0)]
    assert _found(matcher, "saint denis reunoin") == [("Saint-Denis-de-la-Réunion", ("974r",), pytest.approx(2.8 / 3))]


def test_longest_wins_then_best_score_then_earliest(matcher: PhraseMatcher) -> None:
    assert [m.phrase for m in matcher.find("st denis de la reunion")] == ["Saint-Denis-de-la-Réunion"]
    # two non-overlapping phrases: both kept, the shorter earlier one too, in text order
    assert [m.phrase for m in matcher.find("grenoble puis saint martin d heres")] == [
        "Grenoble", "Saint-Martin-d'Hères"]
    assert [m.phrase for m in matcher.find("lyon paris grenoble")] == ["Lyon", "Paris", "Grenoble"]
    # same length, overlapping: the better score wins even when it comes later in the text
    words = PhraseMatcher([("Alpha Bravo", 1), ("Bravo Charlie", 2)])
    assert [m.values for m in words.find("alpho bravo charlie")] == [(2,)]
    assert [m.values for m in words.find("alpha bravo charlie")] == [(1,)]  # equal scores: the earlier


def test_homonyms_share_one_match_and_duplicates_are_dropped() -> None:
    matcher = PhraseMatcher([("Saint-Denis", "93"), ("St Denis", "974"), ("Saint Denis", "93"), ("Y", "80")])
    [m] = matcher.find("saint-denis")
    assert m == PhraseMatch(0, 2, ("93", "974"), 1.0, "Saint-Denis")  # first spelling is the label
    assert matcher.find("y") == []


def test_ties_merge_only_when_asked_and_only_equal_spans_and_scores() -> None:
    matcher = PhraseMatcher([("Social", "social"), ("Local", "local"), ("Socle", "socle"), ("Vocal", "vocal")])
    assert [m.values for m in matcher.find("socal")] == [("social",)]  # first phrase, no merging by default
    assert [m.values for m in matcher.find("socal", ties=True)] == [("social", "local", "vocal")]  # "socle": 2 edits
    assert [m.values for m in matcher.find("social", ties=True)] == [("social",)]  # exact beats the typos
    assert [m.values for m in matcher.find("socal et vocal", ties=True)] == [
        ("social", "local", "vocal"), ("vocal",)]


def test_ties_merge_values_once() -> None:
    matcher = PhraseMatcher([("Social", "x"), ("Sociel", "x"), ("Sociol", "y")])
    assert [m.values for m in matcher.find("sociul", ties=True)] == [("x", "y")]


def test_stopwords_are_skipped_unless_the_vocabulary_is_closed() -> None:
    entries = [("par téléphone", "remote"), ("téléphone", "device")]
    default = PhraseMatcher(entries)
    assert [m.values for m in default.find("par telephone")] == [("remote", "device")]  # collapsed
    closed = PhraseMatcher(entries, stopwords=frozenset())
    assert [m.values for m in closed.find("par telephone")] == [("remote",)]
    assert [m.values for m in closed.find("un telephone")] == [("device",)]
    assert PhraseMatcher([("de la", 1)]).find("de la") == []  # nothing left once stop words go


def test_synonyms_given_are_used_instead_of_the_defaults() -> None:
    none = PhraseMatcher([("Saint-Denis", "93")], synonyms=Synonyms())
    assert none.find("st denis") == []
    assert [m.values for m in none.find("saint denis")] == [("93",)]
    assert none.analyse("St-Denis") == ["st", "denis"]
    assert PhraseMatcher([("Saint-Denis", "93")]).analyse("St-Denis") == ["saint", "denis"]


def test_tokens_can_be_given_already_analysed(matcher: PhraseMatcher) -> None:
    assert [m.phrase for m in matcher.find(["aide", "a", "saint", "denis"])] == ["Saint-Denis"]
    assert [(m.start, m.end) for m in matcher.find(["aide", "a", "saint", "denis"])] == [(2, 4)]
