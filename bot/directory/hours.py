"""Opening hours: OSM `opening_hours` (the standard's format) validated and evaluated with opening-hours-py,
always in the place's own time zone (Guadeloupe is 5 or 6 hours behind Paris, La Réunion 2 or 3 ahead)
and with France's public holidays, so `PH off` is closed on 14 July (opening-hours-py 2.x knows the
national calendar, which applies overseas too; it has no calendar of the overseas regions' own days
such as 20 December in La Réunion, so those are not known)."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from opening_hours import OpeningHours, State, validate

DAY_COLUMNS = (("h_lundi", "Mo"), ("h_mardi", "Tu"), ("h_mercredi", "We"), ("h_jeudi", "Th"),
               ("h_vendredi", "Fr"), ("h_samedi", "Sa"), ("h_dimanche", "Su"))
_RANGE = re.compile(r"(\d{1,2})\s*[:hH]\s*(\d{2})?\s*-\s*(\d{1,2})\s*[:hH]\s*(\d{2})?")
DAYS_FR = {"Mo": "lun.", "Tu": "mar.", "We": "mer.", "Th": "jeu.", "Fr": "ven.", "Sa": "sam.", "Su": "dim.",
           "PH": "jours fériés"}


# Every place of the directory is in France (overseas included): one public holiday calendar.
HOLIDAYS_COUNTRY = "FR"


class HoursError(ValueError):
    """Hours that cannot be understood; the message is French."""


def is_valid(expr: str) -> bool:
    return bool(expr) and validate(expr)


def day_ranges_to_osm(text: str) -> str:
    """"09:00 - 12:00 / 13:30 - 17:00" -> "09:00-12:00,13:30-17:00" (the France Services per-day format)."""
    ranges = []
    for part in re.split(r"[/,;]| et ", text):
        part = part.strip()
        if not part:
            continue
        m = _RANGE.fullmatch(part)
        if not m:
            raise HoursError(f"horaire illisible « {part} » (attendu par exemple 09:00 - 12:00 / 13:30 - 17:00)")
        h1, m1, h2, m2 = int(m[1]), int(m[2] or 0), int(m[3]), int(m[4] or 0)
        if not (0 <= h1 <= 24 and 0 <= h2 <= 24 and m1 < 60 and m2 < 60):
            raise HoursError(f"heure impossible dans « {part} »")
        ranges.append(f"{h1:02d}:{m1:02d}-{h2:02d}:{m2:02d}")
    return ",".join(ranges)


def week_to_osm(days: dict[str, str]) -> str | None:
    """Per-day hours (keys "Mo".."Su") to one OSM expression, grouping consecutive identical days."""
    order = [code for _, code in DAY_COLUMNS]
    converted = [(code, day_ranges_to_osm(days[code])) for code in order if days.get(code, "").strip()]
    if not converted:
        return None
    rules: list[tuple[list[str], str]] = []
    for code, ranges in converted:
        if rules and rules[-1][1] == ranges and order.index(rules[-1][0][-1]) + 1 == order.index(code):
            rules[-1][0].append(code)
        else:
            rules.append(([code], ranges))
    parts = []
    for group, ranges in rules:
        days_txt = group[0] if len(group) == 1 else (f"{group[0]},{group[1]}" if len(group) == 2
                                                      else f"{group[0]}-{group[-1]}")
        parts.append(f"{days_txt} {ranges}")
    expr = "; ".join(parts)
    if not validate(expr):
        raise HoursError(f"horaires convertis invalides : {expr}")
    return expr


def _parse(expr: str, tz: ZoneInfo) -> OpeningHours | None:
    return _parse_cached(expr, tz.key)


@lru_cache(maxsize=65536)
def _parse_cached(expr: str, tz_key: str) -> OpeningHours | None:
    """Parsing costs more than evaluating: "ouvert" checks many places, each expression is parsed once."""
    try:
        return OpeningHours(expr, timezone=ZoneInfo(tz_key), country=HOLIDAYS_COUNTRY)
    except (SyntaxError, ValueError):
        return None


def is_open(expr: str | None, tz: ZoneInfo, now: datetime) -> bool | None:
    """Open at `now` (any aware datetime) in the place's zone; None when hours are unknown or unreadable."""
    if not expr:
        return None
    oh = _parse(expr, tz)
    if oh is None:
        return None
    state = oh.state(now.astimezone(tz))[0]
    return None if state == State.UNKNOWN else state == State.OPEN


@lru_cache(maxsize=65536)
def _day_ranges(expr: str, tz_key: str, day: date) -> tuple[tuple[time, time], ...] | None:
    """A day's ranges depend only on the expression, the zone and the date: every answer shows five places'
    hours, each worked out once a day rather than at every search."""
    tz = ZoneInfo(tz_key)
    oh = _parse(expr, tz)
    if oh is None:
        return None
    start = datetime.combine(day, time(0), tzinfo=tz)
    end = start + timedelta(days=1)
    out = []
    for begin, finish, state, _comment in oh.intervals(start, end):
        if state == State.OPEN:
            b = max(begin, start)
            f = min(finish, end) if finish is not None else end
            out.append((b.time(), f.time() if f < end else time(23, 59)))
    return tuple(out)


def _hhmm(t: time) -> str:
    return f"{t.hour}h" + (f"{t.minute:02d}" if t.minute else "")


@lru_cache(maxsize=65536)
def _day_text(expr: str, tz_key: str, day: date) -> str | None:
    """"9h-12h, 14h-17h" ("" = closed that day, None = unknown), once per expression, zone and date."""
    ranges = _day_ranges(expr, tz_key, day)
    return None if ranges is None else ", ".join(f"{_hhmm(a)}-{_hhmm(b)}" for a, b in ranges)


def today_text(expr: str | None, tz: ZoneInfo, now: datetime) -> str:
    """"ouvert maintenant · aujourd’hui 9h-12h, 14h-17h" (local time), in plain French."""
    day = _day_text(expr, tz.key, now.astimezone(tz).date()) if expr else None
    if day is None:
        return "horaires non renseignés"
    if not day:
        return "fermé aujourd’hui"
    state = "ouvert maintenant" if is_open(expr, tz, now) else "fermé maintenant"
    return f"{state} · aujourd’hui {day}"


def osm_to_french(expr: str | None) -> str:
    """Readable week: "Mo-Fr 09:00-12:00" -> "lun.-ven. 9h-12h"; unknown syntax is shown as is."""
    if not expr:
        return "non renseignés"

    def _time(m: re.Match[str]) -> str:
        h, mi = int(m[1]), int(m[2])
        return f"{h}h" + (f"{mi:02d}" if mi else "")

    def _closed(rule: str) -> str:  # "Sa,Su off" → "sam., dim. fermés", "Su off" → "dim. fermé"
        days = rule.removesuffix(" off")
        return days + (" fermés" if any(c in days for c in ",-") or "PH" in days else " fermé")

    rules = [_closed(r) if r.endswith(" off") else r for r in expr.split("; ")]
    out = re.sub(r"\b(\d{2}):(\d{2})\b", _time, "; ".join(rules))
    out = re.sub(r"\b(Mo|Tu|We|Th|Fr|Sa|Su|PH)\b", lambda m: DAYS_FR[m[1]], out)
    out = re.sub(r",(?=\S)", ", ", out)  # "8h30-12h15, 14h-16h15", "lun., mer."
    return out.replace(" off", " fermé").replace("; ", " ; ")
