"""Typo-tolerant lookup of the quick form's closed vocabulary (codes, labels, synonyms).

This is not a search engine: it only matches a typed word against a few hundred known words, the same
way `Command.find_sub` tolerates "modifer". Place search stays in `bot.search`.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import OSA

from bot.core.text import fold
from bot.sessions import enums


@dataclass(frozen=True)
class Term:
    kind: str  # type, lieu, thematique, materiel, autonomie, niveau
    code: str


def _key(text: str) -> str:
    return " ".join(fold(text).replace("’", "'").replace("_", " ").replace("-", " ").split())


def _build() -> dict[str, set[Term]]:
    tables = {"type": enums.TYPES, "lieu": enums.LIEUX, "thematique": enums.THEMATIQUES,
              "materiel": enums.MATERIEL, "autonomie": enums.AUTONOMIE, "niveau": enums.NIVEAUX}
    words: dict[str, set[Term]] = {}
    for kind, table in tables.items():
        for code, label in table.items():
            for word in (code, label, *enums.SYNONYMS.get(kind, {}).get(code, ())):
                words.setdefault(_key(word), set()).add(Term(kind, code))
    # "autre" alone is both a place and a device: let the ambiguity surface instead of guessing.
    return words


VOCABULARY: dict[str, set[Term]] = _build()
MAX_WORDS = max(len(k.split()) for k in VOCABULARY)


def max_typos(word: str) -> int:
    """Short words must match exactly ("ia", "tel"); longer ones tolerate one or two typos (swaps count once)."""
    n = len(word)
    return 0 if n < 5 else 1 if n < 9 else 2


def lookup(text: str) -> tuple[set[Term], bool]:
    """Terms for `text`, and whether the match was exact. Several terms = ambiguous, the caller asks."""
    key = _key(text)
    if key in VOCABULARY:
        return set(VOCABULARY[key]), True
    budget = max_typos(key)
    if budget == 0:
        return set(), False
    best: dict[int, set[Term]] = {}
    for word, terms in VOCABULARY.items():
        if abs(len(word) - len(key)) > budget:
            continue
        d = OSA.distance(key, word, score_cutoff=budget)
        if d <= budget:
            best.setdefault(d, set()).update(terms)
    if not best:
        return set(), False
    return best[min(best)], False


def closest(word: str, choices: dict[str, str]) -> str | None:
    """The code whose code or label is one typo away from `word` (for period words, field names…)."""
    key = _key(word)
    for code, label in choices.items():
        if key in (_key(code), _key(label)):
            return code
    budget = max_typos(key)
    hits = {code for code, label in choices.items()
            if budget and min(OSA.distance(key, _key(code)), OSA.distance(key, _key(label))) <= budget}
    return hits.pop() if len(hits) == 1 else None
