"""Typo-tolerant term lookup: which indexed words a typed word may stand for, without scanning the vocabulary.

Candidates come from a one-deletion table (the SymSpell idea: a word and a typo of it share a
one-letter deletion), then rapidfuzz confirms the edit distance. Prefixes ("mediath") come from a
sorted word list. A query word thus costs a few dictionary look-ups, whatever the vocabulary size.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable

from rapidfuzz.distance import OSA

EXACT = 1.0
ONE_EDIT = 0.8
MIN_FUZZY_LEN = 4  # "caf" vs "cap": too short to guess
MIN_PREFIX_LEN = 4
MAX_PREFIX_TERMS = 40


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


class Vocabulary:
    """The indexed words, each with an integer id (the position in `terms`)."""

    def __init__(self, words: Iterable[str]) -> None:
        self.terms: list[str] = sorted(set(words))
        self.ids: dict[str, int] = {t: i for i, t in enumerate(self.terms)}
        # One table answers both questions a typed word's deletions ask: "is this a term?" and "is this a term
        # with one letter less?" (a term is its own entry): one look-up per deletion instead of two.
        # Most keys stand for one term: kept as a bare id (a list only for the shared ones), which halves the
        # table's memory for the national commune names.
        near: dict[str, int | list[int]] = {term: i for i, term in enumerate(self.terms)}
        for i, term in enumerate(self.terms):
            if len(term) >= MIN_FUZZY_LEN:
                for d in _deletions(term):
                    current = near.get(d)
                    if current is None:
                        near[d] = i
                    elif isinstance(current, int):
                        near[d] = [current, i]
                    else:
                        current.append(i)
        self._near = near

    def __len__(self) -> int:
        return len(self.terms)

    def expand(self, word: str, *, prefix: bool = True, fuzzy: bool = True) -> dict[int, float]:
        """Term ids the word may mean, with a similarity in (0, 1]: exact 1, one typo 0.8, prefix less."""
        found: dict[int, float] = {}
        exact = self.ids.get(word)
        if exact is not None:
            found[exact] = EXACT
        if fuzzy and len(word) >= MIN_FUZZY_LEN:
            near = self._near
            candidates: set[int] = set()
            # The word itself (exact) or with one letter more, then each of its deletions.
            for key in (word, *(word[:i] + word[i + 1:] for i in range(len(word)))):
                ids = near.get(key)
                if ids is None:
                    continue
                if isinstance(ids, int):
                    candidates.add(ids)
                else:
                    candidates.update(ids)
            for tid in candidates:
                if tid not in found and OSA.distance(word, self.terms[tid], score_cutoff=1) <= 1:
                    found[tid] = ONE_EDIT
        if prefix and len(word) >= MIN_PREFIX_LEN:
            start = bisect_left(self.terms, word)
            for tid in range(start, min(start + MAX_PREFIX_TERMS, len(self.terms))):
                term = self.terms[tid]
                if not term.startswith(word):
                    break
                if tid not in found:
                    # "mediath" for "mediatheque": the more of the word typed, the surer.
                    found[tid] = 0.5 + 0.3 * len(word) / len(term)
        return found
