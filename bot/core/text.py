"""Small text helpers shared by every feature."""

from __future__ import annotations

import re
import unicodedata
from html.entities import html5

ZWSP = "\u200b"
# Mattermost's mention parser (server, `mention_parser_standard.go`) reads the post's Markdown text nodes
# (entities decoded, adjacent text merged), splits words on anything but letters, digits and `: . - _ @`, trims
# leading `: . - _`, then tries the word and the word without trailing `. - : _`, and also its parts split on
# `. - :`. So an `@` starts a mention unless a letter or digit comes right before it ("a@b.fr", "x_@here" are
# safe; "_@here_", "a.@all", "(@channel" are not): those get a zero-width space after them.
_AT_OR_TILDE = re.compile(r"@(?=[^\s\u200b])|~(?=[\w.\-])")
# Character references as its Markdown decodes them (`&#64;`, `&#x40;`, `&commat;`): decimal up to 7 digits,
# hex up to 7, named from the HTML5 list; only those that become `@` or `~` matter here.
_ENTITY = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});")
_DEFUSED_CHARS = "@~"


def _entity_char(ref: str) -> str:
    if ref[0] != "#":
        return html5.get(ref + ";", "")
    code = int(ref[2:], 16) if ref[1] in "xX" else int(ref[1:])
    return chr(code) if 0 < code <= 0x10FFFF else ""


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


def _decode_entity(m: re.Match[str]) -> str:
    char = _entity_char(m.group(1))
    return char if char and char in _DEFUSED_CHARS else m.group(0)


def _defuse(m: re.Match[str]) -> str:
    start = m.start()
    if start and unicodedata.category(m.string[start - 1])[0] in "LN":
        return m.group(0)  # "contact@mairie.fr", "x~y": inside a word, never a mention nor a channel link
    return m.group(0) + ZWSP


def neutralize_mentions(text: str) -> str:
    """Quote user text without notifying anyone: @channel, @all, @here, @user and ~channel lose their effect,
    however written (`_@here_`, `&#64;channel`, `@&#99;hannel`, `&commat;all`, `[@all](x)`, `a.@here`)."""
    if "&" in text:
        text = _ENTITY.sub(_decode_entity, text)  # "&#64;" shows as "@" anyway: write it so, then defuse it
    if "@" not in text and "~" not in text:
        return text  # nothing to neutralise (most texts): no second pass
    return _AT_OR_TILDE.sub(_defuse, text)


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(0, limit - 1)].rstrip() + "…"


def parse_number(text: object) -> int | None:
    """The number of a place, idea or announcement as people type it: "42", "#42", "n°42", "n° 42"."""
    t = str(text or "").strip().lstrip("#").removeprefix("n°").removeprefix("N°").strip()
    # ASCII digits only ("²" and "٣" are digits to `isdigit`), at most 10 of them (no 25-digit int to the database).
    return int(t) if t.isascii() and t.isdigit() and len(t) <= 10 and 0 < int(t) < 2**31 else None


NARROW_NBSP = "\u202f"


def count_of(n: int, one: str, many: str | None = None) -> str:
    """"1 lieu fermé", "12 lieux fermés", "1 234 lieux" (thin space in thousands): real plurals, never "(s)".
    `many` defaults to `one` with an s on each word."""
    words = one if n in (0, 1) else (many or " ".join(w + "s" for w in one.split()))
    return f"{n:,}".replace(",", NARROW_NBSP) + " " + words


# Time zones as people name them ("heure de Paris"), never the IANA key. Networks are in France,
# overseas included; an unknown zone falls back to its city ("America/Montreal" → "heure de Montreal").
_ZONE_PLACES = {
    "Europe/Paris": "Paris", "Indian/Reunion": "La Réunion", "America/Guadeloupe": "la Guadeloupe",
    "America/Martinique": "la Martinique", "America/Cayenne": "la Guyane", "Indian/Mayotte": "Mayotte",
    "America/Miquelon": "Saint-Pierre-et-Miquelon", "Pacific/Noumea": "la Nouvelle-Calédonie",
    "Pacific/Tahiti": "Tahiti", "Pacific/Wallis": "Wallis-et-Futuna", "America/St_Barthelemy": "Saint-Barthélemy",
    "America/Marigot": "Saint-Martin", "Europe/Brussels": "Bruxelles", "Europe/Luxembourg": "Luxembourg",
    "Europe/Zurich": "Zurich", "Europe/Monaco": "Monaco",
}


def zone_label(key: str) -> str:
    """"heure de Paris", "heure de La Réunion", "heure de la Martinique" for an IANA time zone key."""
    place = _ZONE_PLACES.get(key) or key.rsplit("/", 1)[-1].replace("_", " ")
    if place.startswith(("la ", "le ")):
        return f"heure de {place}"
    return f"heure d’{place}" if place[:1] in "AEIOUÉ" else f"heure de {place}"


def number(n: int | float, decimals: int = 0) -> str:
    """French figures: "6,2", "12 345" (narrow no-break space between thousands)."""
    text = f"{n:,.{decimals}f}" if decimals else f"{round(n):,}"
    return text.replace(",", "\u202f").replace(".", ",")



_VOWELS = frozenset("AEIOUYÂÀÉÈÊËÎÏÔÛÙÜŸaeiouyâàéèêëîïôûùüÿ")


def of_place(name: str) -> str:
    """"de" before a place's name as French writes it: "du Port", "des Abymes", "d’Annecy", "de Grenoble"."""
    if name.startswith("Le "):
        return "du " + name[3:]
    if name.startswith("Les "):
        return "des " + name[4:]
    if name[:1] in _VOWELS:
        return "d’" + name
    return "de " + name


def at_place(name: str) -> str:
    """"à" before a place's name: "au Port", "aux Abymes", "à Vif", "à La Réunion"."""
    if name.startswith("Le "):
        return "au " + name[3:]
    if name.startswith("Les "):
        return "aux " + name[4:]
    return "à " + name
