"""When an announcement goes out: "maintenant", or a day and a time in the network's time zone.

Hand-written on purpose: general date parsers read French "9h" as "in 9 hours" or "lundi 14h" as the
14th; a broadcast to the whole network must go out exactly when the coordinator meant, or be refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from bot.core.text import fold

NOW_WORDS = {"", "maintenant", "tout de suite", "immediatement", "direct", "now", "de suite"}
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
MONTHS = ["janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre",
          "novembre", "decembre"]
MAX_AHEAD = timedelta(days=366)
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
EXAMPLE = "« maintenant », « demain 9h », « lundi 14h30 » ou « 25/12/2026 09:00 »"

_TIME = re.compile(r"(?:^|\s)(?:a\s+)?(?P<h>\d{1,2})\s*(?:h|:)\s*(?P<m>\d{2})?(?:\s|$)")
_NUMERIC_DATE = re.compile(r"(?P<d>\d{1,2})[/.-](?P<mo>\d{1,2})(?:[/.-](?P<y>\d{2,4}))?")
_ISO_DATE = re.compile(r"(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})")
_WORD_DATE = re.compile(r"(?P<d>\d{1,2})(?:er)?\s+(?P<mo>[a-z]+)(?:\s+(?P<y>\d{4}))?")


@dataclass(frozen=True)
class When:
    at: datetime  # aware; UTC
    immediate: bool


class WhenError(ValueError):
    pass


def _date_part(text: str, today: date) -> date | None:
    if "apres-demain" in text or "apres demain" in text:
        return today + timedelta(days=2)
    if "demain" in text:
        return today + timedelta(days=1)
    if "aujourd'hui" in text or "aujourdhui" in text or "ce soir" in text or "cet apres-midi" in text:
        return today
    if m := _ISO_DATE.search(text):
        return date(int(m["y"]), int(m["mo"]), int(m["d"]))
    if m := _NUMERIC_DATE.search(text):
        year = int(m["y"]) if m["y"] else today.year
        year = year + 2000 if year < 100 else year
        day = date(year, int(m["mo"]), int(m["d"]))
        return day if m["y"] or day >= today else date(year + 1, day.month, day.day)
    if (m := _WORD_DATE.search(text)) and m["mo"] in MONTHS:
        year = int(m["y"]) if m["y"] else today.year
        day = date(year, MONTHS.index(m["mo"]) + 1, int(m["d"]))
        return day if m["y"] or day >= today else date(year + 1, day.month, day.day)
    for i, name in enumerate(WEEKDAYS):
        if re.search(rf"\b{name}\b", text):
            ahead = (i - today.weekday()) % 7
            return today + timedelta(days=ahead)  # today if it is that day (time checked later)
    return None


def parse_when(text: str, now: datetime, tz: tzinfo) -> When:
    """French day and time → aware datetime. Raises `WhenError` with a French message saying what to write."""
    t = fold(text or "").strip().rstrip(".")
    if t in NOW_WORDS:
        return When(now, True)
    local_now = now.astimezone(tz)
    if _ISO.match(text.strip()):  # Mattermost 11.1+'s date-time picker: ISO 8601, in UTC
        picked = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        local = (picked if picked.tzinfo else picked.replace(tzinfo=tz)).astimezone(tz)
        if local <= local_now:
            raise WhenError("Cette date est déjà passée. Choisissez un moment à venir, ou « maintenant ».")
        if local - local_now > MAX_AHEAD:
            raise WhenError("On ne programme pas une annonce plus d’un an à l’avance.")
        return When(local.astimezone(now.tzinfo), False)
    body = re.sub(r"\b(le|a|à)\b", " ", t)
    padded = f" {body} "
    tm = _TIME.search(padded)
    if tm is None:
        raise WhenError(f"Indiquez aussi l’heure. Écrivez par exemple {EXAMPLE}.")
    hour, minute = int(tm["h"]), int(tm["m"] or 0)
    if hour > 23 or minute > 59:
        raise WhenError(f"Heure impossible : {hour}h{minute:02d}. Écrivez par exemple {EXAMPLE}.")
    rest = " ".join((padded[: tm.start()] + " " + padded[tm.end():]).split())
    try:
        day = _date_part(rest, local_now.date()) if rest else local_now.date()
    except ValueError:
        raise WhenError(f"Cette date n’existe pas. Écrivez par exemple {EXAMPLE}.") from None
    if day is None:
        raise WhenError(f"Date non comprise : « {text.strip()} ». Écrivez par exemple {EXAMPLE}.")
    local = datetime.combine(day, time(hour, minute), tzinfo=tz)
    if not rest and local <= local_now:  # "9h" said at 10h means tomorrow 9h
        local += timedelta(days=1)
    if re.search(r"\b(" + "|".join(WEEKDAYS) + r")\b", rest) and local <= local_now:
        local += timedelta(days=7)
    if local <= local_now:
        raise WhenError("Cette date est déjà passée. Choisissez un moment à venir, ou « maintenant ».")
    if local - local_now > MAX_AHEAD:
        raise WhenError("On ne programme pas une annonce plus d’un an à l’avance.")
    return When(local.astimezone(now.tzinfo), False)


def format_local(at: datetime, tz: tzinfo) -> str:
    local = at.astimezone(tz)
    return f"{WEEKDAYS[local.weekday()]} {local:%d/%m/%Y à %H:%M}"
