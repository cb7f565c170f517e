"""Dates, durations and head counts as counsellors say them, taken out of a one-line entry before the vocabulary.

"hier", "lundi dernier", "01/12", "le 1er décembre", "3/4h", "une heure", "1 h 30", "6 personnes", "nb:6",
"groupe de 5". Each is read to a plain value, never guessed: what does not read cleanly stays in the text
(the form then says it did not understand it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.accompagnements.periods import MONTH_NAMES
from bot.core.text import fold

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTH_WORDS = {**{m: i + 1 for i, m in enumerate(MONTH_NAMES)},
               "janv": 1, "fev": 2, "fevr": 2, "avr": 4, "juil": 7, "sept": 9, "oct": 10, "nov": 11, "dec": 12}
NUMBER_WORDS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
                "neuf": 9, "dix": 10, "douze": 12, "quinze": 15, "vingt": 20}
PEOPLE = r"(?:p|pers|personnes?|participants?|inscrits?|usagers?|beneficiaires?|seniors?)"
_B = r"(?<![\w/:'])"  # not inside a word, a date or a key:value
_E = r"(?![\w/])"

_DATE_PATTERNS: list[tuple[str, str]] = [
    ("relative", _B + r"(aujourd'hui|aujourdhui|ce matin|cet apres-midi|avant-hier|avant hier|hier)" + _E),
    ("weekday", _B + r"(?:le )?(" + "|".join(WEEKDAYS) + r")(?: (dernier|passe))?" + _E),
    ("numeric", _B + r"(?:le )?(\d{1,2})[/.](\d{1,2})(?:[/.](\d{4}|\d{2}))?" + _E),
    ("iso", _B + r"(?:le )?(\d{4})-(\d{2})-(\d{2})" + _E),
    ("month", _B + r"(?:le )?(1er|\d{1,2}) (" + "|".join(MONTH_WORDS) + r")\.?(?: (\d{4}))?" + _E),
]
_DURATION_PATTERNS: list[tuple[str, str]] = [
    ("fraction", _B + r"([13])/([24]) ?h(?:eures?)?" + _E),
    ("words", _B + r"(une demi-heure|une demi heure|demi-heure|demi heure|un quart d'heure|quart d'heure|"
               r"trois quarts? d'heure|3 quarts? d'heure|une heure et demie|une heure trente|"
               r"(?:une|deux|trois|quatre) heures?)" + _E),
    ("hours", _B + r"(\d{1,2}(?:[.,]\d{1,2})?) ?(?:h|hr?s?|heures?)(?: ?(\d{1,2}) ?(?:min|mn|m)?)?" + _E),
    ("minutes", _B + r"(\d{1,3}) ?(?:min|mins|minutes?|mn|m|')" + _E),
]
_COUNT_PATTERNS = [
    _B + r"(\d{1,3}) ?" + PEOPLE + _E,
    _B + r"(?:nb|nombre|participants|nbre) ?[:=] ?(\d{1,3})" + _E,
    _B + r"groupe de (\d{1,3})" + _E,
]
# Keys with a plain apostrophe (see `_plain_apostrophes`), like the patterns: not user text.
WORD_DURATIONS = {"une demi-heure": 30, "une demi heure": 30, "demi-heure": 30, "demi heure": 30,
                  "un quart d'heure": 15, "quart d'heure": 15, "trois quart d'heure": 45, "trois quarts d'heure": 45,
                  "3 quart d'heure": 45, "3 quarts d'heure": 45, "une heure et demie": 90, "une heure trente": 90}


@dataclass
class Everyday:
    """What was read, and the text left for the vocabulary (same length: read parts are blanked)."""

    date: date | None = None
    minutes: list[int] = field(default_factory=list)
    count: int | None = None
    rest: str = ""
    read: dict[str, str] = field(default_factory=dict)  # kind → the words read ("hier", "3/4h")
    problems: list[str] = field(default_factory=list)  # French messages: a date that does not exist…


def _plain_apostrophes(text: str) -> str:
    """Patterns and keys here are written with ' (U+0027); what people type may have ’ (U+2019)."""
    return text.replace("’", "'")


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def _past_weekday(today: date, name: str) -> date:
    """The most recent past such day ("lundi" on a Wednesday = two days ago; "mercredi" = a week ago)."""
    back = (today.weekday() - WEEKDAYS.index(name)) % 7 or 7
    return today - timedelta(days=back)


def _year_for(day: int, month: int, today: date) -> int:
    """A day without a year is the last one that has passed (01/12 in January is last December)."""
    try:
        return today.year if date(today.year, month, day) <= today else today.year - 1
    except ValueError:
        return today.year


def _date(kind: str, m: re.Match[str], today: date) -> date:
    if kind == "relative":
        word = m[1]
        return today - timedelta(days=2 if word.startswith("avant") else 1 if word == "hier" else 0)
    if kind == "weekday":
        return _past_weekday(today, m[1])
    if kind == "iso":
        return date(int(m[1]), int(m[2]), int(m[3]))
    if kind == "numeric":
        day, month = int(m[1]), int(m[2])
        year = int(m[3]) if m[3] else _year_for(day, month, today)
        return date(year + 2000 if year < 100 else year, month, day)
    day = 1 if m[1] == "1er" else int(m[1])
    month = MONTH_WORDS[m[2]]
    return date(int(m[3]) if m[3] else _year_for(day, month, today), month, day)


def _minutes(kind: str, m: re.Match[str]) -> int:
    if kind == "fraction":
        return int(m[1]) * 60 // int(m[2])
    if kind == "words":
        text = m[1]
        if text in WORD_DURATIONS:
            return WORD_DURATIONS[text]
        return NUMBER_WORDS[text.split()[0]] * 60
    if kind == "hours":
        return round(float(m[1].replace(",", ".")) * 60) + int(m[2] or 0)
    return int(m[1])


def read(text: str, today: date) -> Everyday:
    """Take dates, durations and counts out of `text` (already cut before any `note:`)."""
    low = _plain_apostrophes(fold(text))
    # The words left keep their accents ("retraité" is a person, "retraite" a theme) when folding kept positions.
    original = text if len(low) == len(text) else low
    out = Everyday()
    for pattern in _COUNT_PATTERNS:
        for m in re.finditer(pattern, low):
            out.count = int(m[1]) if out.count is None or out.count == int(m[1]) else -1
            out.read["count"] = text[m.start():m.end()]
            low, original = _blank(low, m.start(), m.end()), _blank(original, m.start(), m.end())
    for kind, pattern in _DATE_PATTERNS:
        for m in re.finditer(pattern, low):
            try:
                day = _date(kind, m, today)
            except ValueError:
                out.problems.append(f"« {text[m.start():m.end()].strip()} » n’est pas une date qui existe.")
            else:
                if out.date is not None and out.date != day:
                    out.problems.append("Deux dates différentes : gardez-en une seule.")
                out.date = day
                out.read["date"] = text[m.start():m.end()].strip()
            low, original = _blank(low, m.start(), m.end()), _blank(original, m.start(), m.end())
    for kind, pattern in _DURATION_PATTERNS:
        for m in re.finditer(pattern, low):
            out.minutes.append(_minutes(kind, m))
            out.read["duree"] = text[m.start():m.end()].strip()
            low, original = _blank(low, m.start(), m.end()), _blank(original, m.start(), m.end())
    out.rest = original
    return out
