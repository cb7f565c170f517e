"""French periods and dates ("mois dernier", "2026-10", "du 01/09/2026 au 30/09/2026", "hier") in the network's zone."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot.core.errors import UserFacingError
from bot.core.text import fold

MONTH_NAMES = ("janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre",
               "novembre", "decembre")
MONTH_LABELS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
                "novembre", "décembre")
PERIOD_HELP = (
    "Périodes possibles : `semaine`, `semaine dernière`, `mois`, `mois dernier`, `année`, `année dernière`, "
    "`2026-10`, `octobre 2026`, `2026`, `du 2026-09-01 au 2026-09-30`."
)


class PeriodError(UserFacingError, ValueError):
    """A period that cannot be read; its French message is said to the counsellor (by the registry in a handler)."""


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    label: str

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def _month(year: int, month: int) -> Period:
    last = calendar.monthrange(year, month)[1]
    return Period(date(year, month, 1), date(year, month, last), f"{MONTH_LABELS[month - 1]} {year}")


def parse_date(text: str, today: date) -> date:
    """A day as counsellors write it; raises PeriodError with a French explanation."""
    t = fold(text.strip()).replace(" ", "")
    if t in ("aujourd'hui", "aujourdhui", "auj", "ajd"):
        return today
    if t == "hier":
        return today - timedelta(days=1)
    if t in ("avant-hier", "avanthier"):
        return today - timedelta(days=2)
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", t):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{2}|\d{4}))?", t):
            year = int(m[3]) if m[3] else today.year
            return date(year + 2000 if year < 100 else year, int(m[2]), int(m[1]))
    except ValueError:
        raise PeriodError(f"« {text} » n’est pas une date qui existe. Exemple : 15/10/2026.") from None
    raise PeriodError(f"« {text} » : je ne reconnais pas cette date. Écrivez par exemple 15/10/2026 ou hier.")


def parse_period(text: str, today: date, *, default: str = "mois") -> Period:
    t = " ".join(fold(text).split()) or default
    for old, new in (("precedente", "dernier"), ("precedent", "dernier"), ("derniere", "dernier")):
        t = t.replace(old, new)
    t = re.sub(r"^(?:ce|cette|cet) ", "", t)
    if t in ("semaine",):
        start = today - timedelta(days=today.weekday())
        return Period(start, today, "cette semaine")
    if t in ("semaine dernier", "semaine passee"):
        start = today - timedelta(days=today.weekday() + 7)
        return Period(start, start + timedelta(days=6), "la semaine dernière")
    if t in ("mois", "mois en cours"):
        p = _month(today.year, today.month)
        return Period(p.start, today, f"{p.label} (jusqu’à aujourd’hui)")
    if t in ("mois dernier", "mois passe"):
        first = today.replace(day=1) - timedelta(days=1)
        return _month(first.year, first.month)
    if t in ("annee", "an"):
        return Period(date(today.year, 1, 1), today, f"{today.year} (jusqu’à aujourd’hui)")
    if t in ("annee dernier", "annee passee"):
        return Period(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31), str(today.year - 1))
    if t in ("aujourd'hui", "jour"):
        return Period(today, today, "aujourd’hui")
    if m := re.fullmatch(r"(\d{4})", t):
        return Period(date(int(m[1]), 1, 1), date(int(m[1]), 12, 31), m[1])
    if (m := re.fullmatch(r"(\d{4})-(\d{1,2})", t)) or (m := re.fullmatch(r"(\d{1,2})[/\-](\d{4})", t)):
        year, month = (int(m[1]), int(m[2])) if len(m[1]) == 4 else (int(m[2]), int(m[1]))
        if not 1 <= month <= 12:
            raise PeriodError(f"« {text} » : le mois doit être entre 01 et 12. {PERIOD_HELP}")
        return _month(year, month)
    if (m := re.fullmatch(r"([a-z]+)(?: (\d{4}))?", t)) and m[1] in MONTH_NAMES:
        month = MONTH_NAMES.index(m[1]) + 1
        year = int(m[2]) if m[2] else (today.year if month <= today.month else today.year - 1)
        return _month(year, month)
    if m := re.fullmatch(r"(?:du |de )?(\S+) (?:au|a|-) (\S+)", t):
        start, end = parse_date(m[1], today), parse_date(m[2], today)
        if end < start:
            raise PeriodError(f"« {text} » : la date de fin est avant la date de début.")
        return Period(start, end, f"du {start:%d/%m/%Y} au {end:%d/%m/%Y}")
    raise PeriodError(f"Je ne comprends pas la période « {text} ». {PERIOD_HELP}")
