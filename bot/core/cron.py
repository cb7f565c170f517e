"""Cron expressions read the standard way (crontab(5): Sunday is 0 or 7), scheduled by APScheduler 3.

APScheduler 3's `CronTrigger.from_crontab` counts day-of-week 0 as Monday, so `"0 9 * * 1"` would
fire on Tuesday (known upstream, kept in 3.x for compatibility). We translate the day-of-week field
into day names, which both readings agree on, and hand the rest to APScheduler unchanged. The same
trigger serves the scheduler and the digest periods, so a period and its run never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import tzinfo
from typing import Any

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger

# Standard numbering: 0 = Sunday … 6 = Saturday, 7 = Sunday again.
_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


class CronSyntaxError(ValueError):
    """Not a 5-field cron expression Relais can read."""


def _day(token: str) -> int:
    token = token.strip().lower()
    if token.isdigit() and 0 <= int(token) <= 7:
        return int(token) % 7
    if token[:3] in _NAMES:
        return _NAMES.index(token[:3])
    raise CronSyntaxError(f"jour de la semaine inconnu : {token}")


def weekdays(field: str) -> set[int] | None:
    """The days (0 = Sunday) a standard day-of-week field names; None for every day (`*`)."""
    days: set[int] = set()
    for part in field.split(","):
        span, _, step_text = part.partition("/")
        step = int(step_text) if step_text.isdigit() and int(step_text) > 0 else None
        if step_text and step is None:
            raise CronSyntaxError(f"pas invalide : {part}")
        if span in ("*", "?"):
            if step is None and field in ("*", "?"):
                return None
            first, last = 0, 6
        elif "-" in span:
            low, high = span.split("-", 1)
            first, last = _day(low), _day(high)
            if high.strip() == "7":
                last = 7  # "5-7" is Friday to Sunday
            if last < first:
                last += 7  # "fri-mon" wraps over the week-end
        else:
            first = last = _day(span)
            if step is not None:
                last = 6  # "1/2": from Monday, every other day
        days.update(d % 7 for d in range(first, last + 1, step or 1))
    return days


def to_apscheduler(expr: str) -> str:
    """The same schedule with day-of-week as names, so APScheduler reads it as crontab(5) does."""
    fields = expr.split()
    if len(fields) != 5:
        raise CronSyntaxError("il faut 5 champs : minute heure jour-du-mois mois jour-de-la-semaine")
    days = weekdays(fields[4])
    if days is not None:
        if not days:
            raise CronSyntaxError("aucun jour de la semaine")
        fields[4] = ",".join(_NAMES[d] for d in sorted(days))
    return " ".join(fields)


def crontab_trigger(expr: str, tz: tzinfo | None = None) -> CronTrigger:
    """An APScheduler trigger for a standard cron expression; `CronSyntaxError` (a ValueError) when malformed."""
    try:
        return CronTrigger.from_crontab(to_apscheduler(expr), timezone=tz)
    except CronSyntaxError:
        raise
    except (ValueError, TypeError) as exc:
        raise CronSyntaxError(str(exc)) from None


def add_cron_jobs(scheduler: BaseScheduler, job: Callable[..., Any], arg: Any, crons: Sequence[tuple[str, str]], *,
                  tz: tzinfo, grace_seconds: int | None, prefix: str) -> None:
    """One job per (cron, name), at most one run at a time, plus a catch-up run now for one missed while stopped.

    Digests and directory refreshes are scheduled alike; whether a run is really due is decided by the job itself
    (claimed through the database), so the catch-up is harmless when nothing was missed.
    """
    for i, (expr, name) in enumerate(crons):
        scheduler.add_job(job, crontab_trigger(expr, tz), args=[arg], id=f"{prefix}-{i}", name=name,
                          replace_existing=True, coalesce=True, misfire_grace_time=grace_seconds, max_instances=1)
    if crons:
        scheduler.add_job(job, args=[arg], id=f"{prefix}-catch-up", replace_existing=True)


_DAY_WORDS = ("dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi")


def describe(expr: str) -> str:
    """The schedule in French words when it is a plain daily or weekly time ("chaque lundi à 9 h 00"),
    else the expression itself; the caller adds the time zone."""
    fields = expr.split()
    if len(fields) != 5 or not (fields[0].isdigit() and fields[1].isdigit()) or fields[2:4] != ["*", "*"]:
        return f"selon « {expr} »"
    at = f"à {int(fields[1])} h {int(fields[0]):02d}"
    days = weekdays(fields[4])
    if days is None or len(days) == 7:
        return f"chaque jour {at}"
    ordered = sorted(days, key=lambda d: (d + 6) % 7)  # Monday first, as French calendars
    if ordered == [1, 2, 3, 4, 5]:
        return f"du lundi au vendredi {at}"
    names = [_DAY_WORDS[d] for d in ordered]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " et " + names[-1]
    return f"chaque {listed} {at}"
