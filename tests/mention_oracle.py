"""An independent model of when a Mattermost post notifies a whole channel, to judge `neutralize_mentions`.

Written from the server's documented behaviour (not its code): the post's Markdown text is decoded (character
references, backslash escapes), split into words on anything that is not a letter, a digit or one of `: . - _ @`;
a word is tried with its leading `: . - _` removed, with trailing `. - : _` removed one by one, and split on
`. - :`. Markdown nodes (emphasis, links, code) cut the text, so the model also tries every cut at Markdown
punctuation: it errs on the side of "notifies", which is what a test of a defence should do.
"""

from __future__ import annotations

import re
import unicodedata
from html.entities import html5

CHANNEL_WIDE = {"@here", "@channel", "@all"}
_REF = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,7}|[A-Za-z][A-Za-z0-9]*);")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_CUTS = re.compile(r"[*_`\[\]()<>!~|#>]+")


def _ref(m: re.Match[str]) -> str:
    ref = m.group(1)
    if ref.startswith(("#x", "#X")):
        n = int(ref[2:], 16)
    elif ref.startswith("#"):
        n = int(ref[1:])
    else:
        return html5.get(ref + ";", m.group(0))
    return chr(n) if 0 < n <= 0x10FFFF and not 0xD800 <= n <= 0xDFFF else "\ufffd"


def _in_word(c: str) -> bool:
    return c in ":.-_@" or unicodedata.category(c)[0] in "LN"


def _words(text: str) -> list[str]:
    out, cur = [], []
    for c in text:
        if _in_word(c):
            cur.append(c)
        elif cur:
            out.append("".join(cur))
            cur = []
    if cur:
        out.append("".join(cur))
    return out


def _word_notifies(word: str) -> bool:
    word = word.lstrip(":.-_")
    candidates = {word}
    w = word
    while w and w[-1] in ".-:_":
        w = w[:-1]
        candidates.add(w)
    candidates.update(p for p in re.split(r"[.\-:]", word) if p)
    return any(c.lower() in CHANNEL_WIDE for c in candidates)


def _text_notifies(text: str) -> bool:
    return any(_word_notifies(w) for w in _words(text))


def notifies_channel(markdown: str) -> bool:
    """True when the server could read `markdown` as @here, @channel or @all (any plausible Markdown reading)."""
    decoded = _REF.sub(_ref, _ESCAPE.sub(r"\1", markdown))
    if _text_notifies(decoded):
        return True
    pieces = [_REF.sub(_ref, _ESCAPE.sub(r"\1", p)) for p in _CUTS.split(markdown)]
    return any(_text_notifies(p) for p in pieces)
