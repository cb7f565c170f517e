"""Small text helpers shared by every feature."""

from __future__ import annotations

import re
import unicodedata

_MENTION = re.compile(r"(?<![\w@])([@~])(?=[\w.\-]+)")
ZWSP = "\u200b"


def fold(text: str) -> str:
    """Lower-case and strip accents: "Égalité" -> "egalite" (counsellors skip accents)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    return folded.replace("œ", "oe").replace("æ", "ae").replace("’", "'")


def neutralize_mentions(text: str) -> str:
    """Quote user text without notifying anyone: @channel, @all, @here, @user and ~channel lose their effect."""
    if "@" not in text and "~" not in text:
        return text  # nothing to neutralise (most texts): no regex pass
    return _MENTION.sub(lambda m: m.group(1) + ZWSP, text)


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(0, limit - 1)].rstrip() + "…"
