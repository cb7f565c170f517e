"""Digest periods from cron schedules, in the network's time zone.

A digest covers [previous fire time, this fire time). Its identity is (channel, fire time), so every
process computes the same period for the same run, whatever minute it wakes up.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from apscheduler.triggers.cron import CronTrigger

from bot.core.cron import crontab_trigger

_WINDOWS = (timedelta(hours=2), timedelta(days=2), timedelta(days=9), timedelta(days=33), timedelta(days=370),
            timedelta(days=366 * 5))
DEFAULT_PERIOD = timedelta(days=7)


def trigger(cron: str, tz: tzinfo) -> CronTrigger:
    """Standard cron reading (Sunday = 0 or 7), the same for the scheduler and the periods."""
    return crontab_trigger(cron, tz)


def last_fire(cron: str, tz: tzinfo, now: datetime) -> datetime | None:
    """The latest fire time at or before `now` (APScheduler only goes forward, so search back in widening steps)."""
    trig = trigger(cron, tz)
    for window in _WINDOWS:
        start = now - window
        best = None
        fire = trig.get_next_fire_time(None, start)
        while fire is not None and fire <= now:
            best = fire
            fire = trig.get_next_fire_time(fire, fire + timedelta(seconds=1))
        if best is not None:
            return best
    return None


def period_ending(cron: str, tz: tzinfo, end: datetime) -> tuple[datetime, datetime]:
    """[start, end) for the run that fires at `end`; the first run of a schedule looks back one cycle."""
    start = last_fire(cron, tz, end - timedelta(microseconds=1))
    return (start or end - DEFAULT_PERIOD), end
