"""The quick form's closed vocabulary (codes, labels, synonyms) and its typo-tolerant lookup.

Typos go through the search engine's `PhraseMatcher`: one fuzzy matcher for the whole product.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.accompagnements import enums
from bot.core.text import fold
from bot.search import PhraseMatcher, Synonyms


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
# Every word counts here ("par téléphone" is remote, "téléphone" a device; "chez" means at home), and the
# directory's abbreviations ("ameli" → "cpam") have no place in this vocabulary.
_MATCHER = PhraseMatcher(((key, term) for key, terms in VOCABULARY.items()
                          for term in sorted(terms, key=lambda t: (t.kind, t.code))),
                         synonyms=Synonyms(), stopwords=frozenset())


def lookup(text: str, *, typos: bool = True) -> tuple[set[Term], bool]:
    """Terms for `text`, and whether the match was exact. Several terms = ambiguous, the caller asks."""
    key = _key(text)
    if key in VOCABULARY:
        return set(VOCABULARY[key]), True
    if not typos:
        return set(), False
    tokens = _MATCHER.analyse(text)
    matches = _MATCHER.find(tokens, ties=True)
    # The whole text must be one known phrase (one typo per word), not a phrase inside other words; a typo as close
    # to two words ("socal": social, local) gives both, and the form asks.
    if len(matches) == 1 and (matches[0].start, matches[0].end) == (0, len(tokens)):
        return set(matches[0].values), False
    return set(), False
