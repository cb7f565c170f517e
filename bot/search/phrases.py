"""Recognise known phrases (commune names, filter words…) anywhere in a text, tolerating one typo per word.

Shares `Vocabulary` with the search engine: one fuzzy matcher for the whole product.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from rapidfuzz.distance import OSA

from bot.search.fuzzy import Vocabulary
from bot.search.synonyms import Synonyms, default_synonyms
from bot.search.text import STOPWORDS, tokenize

MIN_SINGLE_WORD = 2  # one-letter phrases ("Y") are never recognised on their own
MIN_FUZZY_SINGLE = 5  # a one-word phrase accepts a typo from 5 letters on ("grenble"), not "vif"/"vil"


@dataclass(frozen=True)
class PhraseMatch:
    start: int  # token positions in the analysed text, end exclusive
    end: int
    values: tuple[Any, ...]  # every entry value sharing this phrase (homonymous communes…)
    score: float  # 1.0 exact, lower with typos
    phrase: str
    # With `find(..., others=True)`: other phrases on the same words, less well matched ("chartre": the beginning
    # of La Chartre-sur-le-Loir exactly, and Chartres with a typo), for callers that weigh readings.
    others: tuple[PhraseMatch, ...] = ()


class PhraseMatcher:
    def __init__(self, entries: Iterable[tuple[str, Any]], *, synonyms: Synonyms | None = None,
                 stopwords: frozenset[str] = STOPWORDS) -> None:
        """`stopwords=frozenset()` keeps every word: a closed vocabulary where "par téléphone" (remote) must not
        collapse into "téléphone" (a device)."""
        self.synonyms = synonyms if synonyms is not None else default_synonyms()
        self.stopwords = stopwords
        by_phrase: dict[tuple[str, ...], list[Any]] = {}
        labels: dict[tuple[str, ...], str] = {}
        for text, value in entries:
            words = tuple(w for w in self.analyse(text) if w not in stopwords)
            if not words or (len(words) == 1 and len(words[0]) < MIN_SINGLE_WORD):
                continue
            values = by_phrase.setdefault(words, [])
            if value not in values:
                values.append(value)
            labels.setdefault(words, text)
        self._phrases = [(words, tuple(values), labels[words]) for words, values in by_phrase.items()]
        self.vocabulary = Vocabulary(w for words, _, _ in self._phrases for w in words)
        # Phrases by first word, and by first two words: a phrase can only match where its second word is within
        # one typo of the next token, so "saint trivier" never looks at the hundreds of other "saint …" communes.
        self._singles: dict[int, list[int]] = {}
        self._by_pair: dict[tuple[int, int], list[int]] = {}
        for k, (words, _, _) in enumerate(self._phrases):
            ids = self.vocabulary.ids
            if len(words) == 1:
                self._singles.setdefault(ids[words[0]], []).append(k)
            else:
                self._by_pair.setdefault((ids[words[0]], ids[words[1]]), []).append(k)

    def analyse(self, text: str) -> list[str]:
        """Tokens with one-word synonyms canonicalised ("st" -> "saint"); positions match `tokenize(text)`."""
        return [self.synonyms.canonical_token(t) for t in tokenize(text)]

    @staticmethod
    def _similar(typed: str, known: str, single: bool) -> float:
        if typed == known:
            return 1.0
        if len(known) < (MIN_FUZZY_SINGLE if single else 4) or len(typed) < 4:
            return 0.0
        return 0.8 if OSA.distance(typed, known, score_cutoff=1) <= 1 else 0.0

    def find(self, text: str | list[str], *, ties: bool = False, others: bool = False) -> list[PhraseMatch]:
        """Best non-overlapping matches, longest first, in text order.

        `ties=True` merges the values of other phrases matching the same span equally well ("socal": "social" or
        "local"?) instead of keeping the first: callers that ask rather than guess need to see the doubt.
        `others=True` keeps the phrases matching the same span less well in `PhraseMatch.others`.
        """
        tokens = self.analyse(text) if isinstance(text, str) else text
        content = [(pos, tok) for pos, tok in enumerate(tokens) if tok not in self.stopwords]
        found: list[tuple[int, float, int, int, int]] = []  # (-length, -score, start, end, phrase index)
        # Every word a phrase may hold at a position is among that token's expansions (same one-typo rule).
        expansions = [self.vocabulary.expand(tok, prefix=False) for _, tok in content]
        for j, (pos, _tok) in enumerate(content):
            following = expansions[j + 1] if j + 1 < len(content) else {}
            for tid in expansions[j]:
                candidates = list(self._singles.get(tid, ()))
                for tid2 in following:
                    candidates += self._by_pair.get((tid, tid2), ())
                for k in candidates:
                    words = self._phrases[k][0]
                    if j + len(words) > len(content):
                        continue
                    single = len(words) == 1
                    sims = [self._similar(content[j + m][1], words[m], single) for m in range(len(words))]
                    if min(sims) == 0.0:
                        continue
                    end = content[j + len(words) - 1][0] + 1
                    found.append((-len(words), -sum(sims) / len(sims), pos, end, k))
        found.sort()
        taken: set[int] = set()
        matches: list[PhraseMatch] = []
        kept: dict[tuple[int, int], int] = {}  # span -> its match in `matches`
        for _neg_len, neg_score, start, end, k in found:
            if any(p in taken for p in range(start, end)):
                last = matches[-1] if matches else None
                if ties and last is not None and (last.start, last.end, last.score) == (start, end, -neg_score):
                    merged = last.values + tuple(v for v in self._phrases[k][1] if v not in last.values)
                    matches[-1] = replace(last, values=merged)
                elif others and (start, end) in kept:
                    i = kept[(start, end)]
                    _, values, label = self._phrases[k]
                    other = PhraseMatch(start, end, values, -neg_score, label)
                    matches[i] = replace(matches[i], others=(*matches[i].others, other))
                continue
            taken.update(range(start, end))
            words, values, label = self._phrases[k]
            kept[(start, end)] = len(matches)
            matches.append(PhraseMatch(start, end, values, -neg_score, label))
        return sorted(matches, key=lambda m: m.start)
