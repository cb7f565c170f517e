"""How a French word sounds, roughly: "dunkerke" and "Dunkerque", "cuset" and "Cusset", "pont de vau" and
"Pont-de-Vaux" share a key. For the misspellings one typo does not explain: people write names as they hear them.

Deliberately coarse (a handful of spelling rules of French, doubled letters, one silent final letter); callers use
it only where a wrong match costs little and is checked by other clues (commune names of some size).
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.core.text import fold

_RULES = [(re.compile(pattern), repl) for pattern, repl in (
    (r"[^a-z]", ""),
    (r"eaux?|aux?", "o"),
    (r"ph", "f"),
    (r"qu|q|ck|cc", "k"),
    (r"c(?=[eiy])", "s"),
    (r"c", "k"),
    (r"gu(?=[eiy])", "g"),
    (r"g(?=[eiy])", "j"),
    (r"y", "i"),
    (r"ai|ei", "e"),
    (r"z", "s"),
    (r"w", "v"),
    (r"h", ""),
    (r"([a-z])\1+", r"\1"),  # as `undoubled`
    (r"(?<=..)[estxdp]$", ""),
)]


@lru_cache(maxsize=65536)
def sounds_like(text: str) -> str:
    """The key of a word or of a few words read together ("pont de vaux" and "pont vau" alike, once the caller
    has dropped the small words)."""
    key = fold(text)
    for pattern, repl in _RULES:
        key = pattern.sub(repl, key)
    return key


_DOUBLED = re.compile(r"(.)\1+")


def undoubled(word: str) -> str:
    """The word with every doubled letter single ("allès": "alès")."""
    return _DOUBLED.sub(r"\1", word)


def slip_of(typed: str, name: str, *, beginning: bool = False) -> bool:
    """The commonest slips in a French name: a letter doubled or not ("alles": Alès), a silent last letter left
    out ("bayeu": Bayeux). `beginning`: `typed` may be the start of `name` ("valouise": Vallouise-Pelvoux)."""
    short, long = undoubled(typed), undoubled(name)
    if beginning:
        return long.startswith(short)
    return short == long or (name[:-1] == typed and name[-1:] in ("s", "x", "t", "d", "p"))
