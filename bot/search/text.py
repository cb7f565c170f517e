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


def _fold_table() -> dict[int, str]:
    table = {}
    for code in list(range(0x80, 0x250)) + list(range(0x300, 0x370)) + [0x2019, 0x1E9E]:
        char = chr(code)
        table[code] = fold(char)
    return table


_FOLD_TABLE = _fold_table()


def fast_fold(text: str) -> str:
    """Same result as `bot.core.text.fold`, several times faster on French text (indexing 20,000 places)."""
    lowered = text.casefold()
    if lowered.isascii():
        return lowered
    out = lowered.translate(_FOLD_TABLE)
    return out if out.isascii() else fold(text)


def tokenize(text: str) -> list[str]:
    """Folded alphanumeric tokens, stop words kept (phrase matching needs them)."""
    return _TOKEN.findall(fast_fold(text).replace("'", " "))


def content_tokens(tokens: list[str]) -> list[str]:
    """Tokens without stop words; falls back to all tokens when the text is only stop words."""
    kept = [t for t in tokens if t not in STOPWORDS]
    return kept or tokens
