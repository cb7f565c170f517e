"""Analysis shared by indexing and querying: the same folding on both sides is what makes search accent/case-blind."""

from __future__ import annotations

import re

from bot.core.text import fold

_TOKEN = re.compile(r"[a-z0-9]+")

# Words that carry no meaning for a search ("maison DE la solidarité"): dropped on both sides.
STOPWORDS = frozenset({
    "a", "au", "aux", "avec", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "par", "pour", "sur",
    "un", "une", "dans", "chez", "ou",
})


# `bot.core.text.fold` has the fast paths (ASCII, one table for accented Latin letters) itself now.
fast_fold = fold


def tokenize(text: str) -> list[str]:
    """Folded alphanumeric tokens, stop words kept (phrase matching needs them)."""
    return _TOKEN.findall(fast_fold(text).replace("'", " "))


def content_tokens(tokens: list[str]) -> list[str]:
    """Tokens without stop words; falls back to all tokens when the text is only stop words."""
    kept = [t for t in tokens if t not in STOPWORDS]
    return kept or tokens
