"""Small text helpers shared by every feature."""

from __future__ import annotations

import re
import unicodedata

_MENTION = re.compile(r"(?<![\w@])([@~])(?=[\w.\-]+)")
ZWSP = "\u200b"


def _decompose_fold(text: str) -> str:
    """The reference folding: compatibility decomposition, combining marks dropped, French ligatures spelt out."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    return folded.replace("œ", "oe").replace("æ", "ae").replace("’", "'")


# Latin letters with accents, combining marks, ’ and ẞ, each folded once: French text then folds in one translate.
_LATIN = {code: _decompose_fold(chr(code)) for code in (*range(0x80, 0x250), *range(0x300, 0x370), 0x2019, 0x1E9E)}


def fold(text: str) -> str:
    """Lower-case and strip accents: "Égalité" -> "egalite" (counsellors skip accents). Called on every command
    word and every indexed text, so plain ASCII and Latin text skip the Unicode decomposition (same result)."""
    lowered = text.casefold()
    if lowered.isascii():
        return lowered
    out = lowered.translate(_LATIN)
    return out if out.isascii() else _decompose_fold(text)


def neutralize_mentions(text: str) -> str:
    """Quote user text without notifying anyone: @channel, @all, @here, @user and ~channel lose their effect."""
    if "@" not in text and "~" not in text:
        return text  # nothing to neutralise (most texts): no regex pass
    return _MENTION.sub(lambda m: m.group(1) + ZWSP, text)


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(0, limit - 1)].rstrip() + "…"


def parse_number(text: object) -> int | None:
    """The number of a place, idea or announcement as people type it: "42", "#42", "n°42", "n° 42"."""
    t = str(text or "").strip().lstrip("#").removeprefix("n°").removeprefix("N°").strip()
    return int(t) if t.isdigit() and 0 < int(t) < 2**31 else None
