"""Opening hours: OSM `opening_hours` (the standard's format) validated and evaluated with opening-hours-py,
always in the place's own time zone (Guadeloupe is 5 or 6 hours behind Paris, La Réunion 2 or 3 ahead)
and with France's public holidays, so `PH off` is closed on 14 July (opening-hours-py 2.x knows the
national calendar, which applies overseas too; it has no calendar of the overseas regions' own days
such as 20 December in La Réunion, so those are not known)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from opening_hours import OpeningHours, State, validate

from bot.core.text import fold

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


WEEKDAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def today_text(expr: str | None, tz: ZoneInfo, now: datetime, asked: date | None = None) -> str:
    """"ouvert maintenant · aujourd’hui 9h-12h, 14h-17h" (local time), in plain French. `asked`: the day the
    counsellor asked about ("ouvert samedi"), whose hours are added: "… · samedi 9h-12h"."""
    today = now.astimezone(tz).date()
    day = _day_text(expr, tz.key, today) if expr else None
    if day is None:
        return "horaires non renseignés"
    text = f"{'ouvert' if is_open(expr, tz, now) else 'fermé'} maintenant · aujourd’hui {day}" if day \
        else "fermé aujourd’hui"
    if asked is not None and asked != today and expr:
        other = _day_text(expr, tz.key, asked)
        name = "demain" if asked == today + timedelta(days=1) else WEEKDAY_NAMES[asked.weekday()]
        if other is not None:
            text += f" · {name} {other}" if other else f" · fermé {name}"
    return text


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
    out = re.sub(r' "([^"]*)"', r" (\1)", out)  # 'Sa 09:00-12:00 "sur rendez-vous"' → "sam. 9h-12h (sur rendez-vous)"
    return out.replace(" off", " fermé").replace("; ", " ; ")


# -- hours as coordinators write them ------------------------------------------------------------
_DAY_CODES = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_DAY_WORDS = {
    "lundi": "Mo", "lun": "Mo", "lu": "Mo", "mardi": "Tu", "mar": "Tu", "ma": "Tu", "mercredi": "We", "mer": "We",
    "me": "We", "jeudi": "Th", "jeu": "Th", "je": "Th", "vendredi": "Fr", "ven": "Fr", "ve": "Fr", "vend": "Fr",
    "samedi": "Sa", "sam": "Sa", "sa": "Sa", "dimanche": "Su", "dim": "Su", "di": "Su",
}
_DAY_WORDS.update({k + "s": v for k, v in list(_DAY_WORDS.items()) if len(k) > 3})  # "les mardis"
# Parts of the day, as a coordinator means them when no hour is given (shown back for confirmation).
_PERIODS = {"matin": ("09:00", "12:00"), "matinee": ("09:00", "12:00"), "apres-midi": ("14:00", "17:00"),
            "aprem": ("14:00", "17:00"), "journee": ("09:00", "17:00"), "soir": ("17:00", "20:00")}
_GROUPS = {"semaine": _DAY_CODES[:5], "week-end": ("Sa", "Su"), "weekend": ("Sa", "Su"),
           "tous-les-jours": _DAY_CODES, "7j/7": _DAY_CODES}
_FILLERS = {"le", "les", "la", "l", "de", "des", "du", "et", "en", "ouvert", "ouverte", "ouverts", "uniquement",
            "seulement", "sur", "on", "est", "h", "toute", "tout", "a", "au", "aux", "horaires", "accueil", "y",
            "compris", "par"}
_TIME = r"(\d{1,2})(?:\s*(?:h|:)(\d{2})?)?"
_TOKEN = re.compile(
    rf"(?P<range>{_TIME}\s*(?:-|–|à|a|jusqu'?a)\s*{_TIME})"
    r"|(?P<rdv>sur\s+(?:rendez-vous|rendez\s+vous|rdv)|rendez-vous|rendez\s+vous|rdv)"
    r"|(?P<closed>fermee?s?|sauf)"
    r"|(?P<holiday>jours?\s+feries?|feries?)"
    r"|(?P<group>tous\s+les\s+jours|7j/7|(?:en\s+)?semaine|week-?end)"
    r"|(?P<period>apres-midi|apres\s+midi|aprem|matinee|matin|journee|soir)"
    r"|(?P<lone>\d{1,2}\s*(?:h|:)\d{0,2})"
    r"|(?P<dash>-|–|\b(?:au|a)\b)"
    r"|(?P<word>[a-z]+)"
    r"|(?P<sep>[,;:.\n/+&()])"
    r"|(?P<space>\s+)"
    r"|(?P<other>.)"
)


@dataclass
class _Rule:
    days: list[str] = field(default_factory=list)
    times: list[str] = field(default_factory=list)
    off: bool = False
    rdv: bool = False
    holidays: bool = False

    @property
    def started(self) -> bool:
        return bool(self.days or self.times or self.holidays)


def _hhmm_range(m: re.Match[str]) -> str:
    nums = re.findall(_TIME, m.group("range"))
    (h1, m1), (h2, m2) = nums[0], nums[1]
    a, b = (int(h1), int(m1 or 0)), (int(h2), int(m2 or 0))
    if not (0 <= a[0] <= 24 and 0 <= b[0] <= 24 and a[1] < 60 and b[1] < 60) or a >= b:
        raise HoursError(f"« {m.group('range').strip()} » n’est pas une plage horaire possible "
                         "(début avant la fin, heures de 0 à 24)")
    return f"{a[0]:02d}:{a[1]:02d}-{b[0]:02d}:{b[1]:02d}"


def _days_osm(days: list[str]) -> str:
    """["Mo","Tu","We","Th","Fr"] -> "Mo-Fr"; ["Tu","Th"] -> "Tu,Th" (runs of three or more as ranges)."""
    idx = sorted({_DAY_CODES.index(d) for d in days})
    parts: list[str] = []
    run: list[int] = []
    for i in idx + [99]:
        if run and i == run[-1] + 1:
            run.append(i)
            continue
        if run:
            parts.append(f"{_DAY_CODES[run[0]]}-{_DAY_CODES[run[-1]]}" if len(run) >= 3
                         else ",".join(_DAY_CODES[j] for j in run))
        run = [i]
    return ",".join(parts)


def french_to_osm(text: str) -> str:
    """Hours as people write them -> OSM `opening_hours`, or HoursError saying which words were not understood.

    "lun-ven 9h-12h 14h-17h" -> "Mo-Fr 09:00-12:00,14:00-17:00"; "mardi et jeudi 14h-18h" -> "Tu,Th 14:00-18:00";
    "fermé le mercredi" -> "We off"; "sur rendez-vous le samedi matin" -> 'Sa 09:00-12:00 "sur rendez-vous"'.
    An expression already in OSM syntax is kept as it is (some coordinators know it)."""
    raw = " ".join(text.split())
    if not raw:
        return ""
    if re.search(r"\b(Mo|Tu|We|Th|Fr|Sa|Su|PH)\b", raw) and validate(raw):
        return raw
    folded = fold(raw).replace("’", "'")
    rules: list[_Rule] = [_Rule()]
    pending_off = pending_rdv = False
    unknown: list[str] = []
    lone: list[str] = []  # "9h" without an end
    last_day: str | None = None
    range_open = False  # "lun-ven", "du lundi au vendredi": the next day closes a range

    def current() -> _Rule:
        rule = rules[-1]
        if rule.times or (rule.off and rule.days):  # complete: a new day starts a new rule
            rule = _Rule()
            rules.append(rule)
        return rule

    def take_flags(rule: _Rule) -> None:
        nonlocal pending_off, pending_rdv
        rule.off = rule.off or pending_off
        rule.rdv = rule.rdv or pending_rdv
        pending_off = pending_rdv = False

    for m in _TOKEN.finditer(folded):
        kind = m.lastgroup
        if kind in ("space", "sep"):
            if kind == "sep":
                range_open = False
                if pending_rdv and rules[-1].times:  # "samedi 9h-12h sur rendez-vous ; …"
                    rules[-1].rdv, pending_rdv = True, False
            continue
        if kind == "range":
            rule = rules[-1]
            if rule.off and not rule.times:
                rule = _Rule()
                rules.append(rule)
            take_flags(rule)
            rule.times.append(_hhmm_range(m))
        elif kind == "period":
            rule = rules[-1]
            start, end = _PERIODS[m.group("period").replace(" ", "-")]
            take_flags(rule)
            rule.times.append(f"{start}-{end}")
        elif kind == "rdv":
            rule = rules[-1]
            if rule.started and not rule.times:
                rule.rdv = True
            else:
                pending_rdv = True
        elif kind == "closed":
            rule = rules[-1]
            if m.group("closed") != "sauf" and rule.started and not rule.times and not rule.off:
                rule.off = True  # "samedi fermé", "jours fériés fermés"
            else:
                pending_off = True
        elif kind == "holiday":
            last = rules[-1]
            rule = last if last.off and not last.times else current()  # "fermé le mercredi et les jours fériés"
            take_flags(rule)
            rule.holidays = True
        elif kind == "group":
            rule = current()
            take_flags(rule)
            words = m.group("group").replace("en ", "").replace(" ", "-")
            rule.days += [d for d in _GROUPS.get(words, _GROUPS.get(words.replace("-", ""), ())) if d not in rule.days]
        elif kind == "dash":
            range_open = last_day is not None
        elif kind == "word":
            word = m.group("word")
            code = _DAY_WORDS.get(word)
            if code is None:
                if word not in _FILLERS:
                    unknown.append(word)
                continue
            rule = current()
            take_flags(rule)
            if range_open and last_day is not None and last_day in rule.days:
                a, b = _DAY_CODES.index(last_day), _DAY_CODES.index(code)
                span = range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)]
                rule.days += [_DAY_CODES[i] for i in span if _DAY_CODES[i] not in rule.days]
            elif code not in rule.days:
                rule.days.append(code)
            last_day, range_open = code, False
        elif kind == "lone":
            lone.append(m.group().strip())
        else:
            unknown.append(m.group())
    if unknown:
        words = ", ".join(f"« {w} »" for w in dict.fromkeys(unknown))
        raise HoursError(f"je n’ai pas compris {words} dans les horaires. Écrivez par exemple : "
                         "lun-ven 9h-12h 14h-17h, sam 9h-12h, fermé le mercredi")
    if lone:
        raise HoursError(f"« {lone[0]} » est une heure seule ; écrivez le début et la fin, par exemple 9h-12h")
    if pending_off:
        raise HoursError("après « fermé » ou « sauf », indiquez le jour : par exemple « fermé le mercredi »")
    if pending_rdv and rules[-1].started:
        rules[-1].rdv = True
    parts = []
    for rule in sorted((r for r in rules if r.started), key=lambda r: r.off):  # closures last: they win in OSM
        if not rule.times and not rule.off:
            raise HoursError("il manque les heures : écrivez par exemple « mardi et jeudi 14h-18h » "
                             "ou « samedi matin »")
        selector = ",".join(filter(None, [_days_osm(rule.days) if rule.days else "", "PH" if rule.holidays else ""]))
        body = "off" if rule.off else ",".join(dict.fromkeys(rule.times))
        comment = ' "sur rendez-vous"' if rule.rdv and not rule.off else ""
        parts.append(f"{selector} {body}{comment}".strip())
    if not parts:
        raise HoursError("je n’ai trouvé ni jour ni heure : écrivez par exemple lun-ven 9h-12h 14h-17h")
    expr = "; ".join(parts)
    if not validate(expr):
        raise HoursError(f"je n’ai pas réussi à lire ces horaires (compris : {expr})")
    return expr
