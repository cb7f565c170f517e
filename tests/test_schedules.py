"""Schedules read as crontab(5) does (Sunday = 0 or 7), the default weekly digest, and how setup says it."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.config import load_settings
from bot.core.cron import CronSyntaxError, crontab_trigger, describe
from bot.entraide.periods import last_fire, period_ending
from bot.mattermost.setup import digest_lines

PARIS = ZoneInfo("Europe/Paris")
# Wednesday 2 December 2026: every weekday is reached within the following week.
START = datetime(2026, 12, 2, 12, 0, tzinfo=PARIS)
# Day numbers as crontab(5) defines them, checked against the calendar (date.isoweekday: Monday = 1 … Sunday = 7).
STANDARD = {0: 7, 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 7}


@pytest.mark.parametrize("number", sorted(STANDARD))
def test_each_numeric_weekday_fires_on_that_day(number: int) -> None:
    fire = crontab_trigger(f"0 9 * * {number}", PARIS).get_next_fire_time(None, START)
    assert fire.isoweekday() == STANDARD[number]
    assert (fire.hour, fire.minute) == (9, 0) and START < fire <= START + timedelta(days=7)


@pytest.mark.parametrize("name, iso", [("mon", 1), ("tue", 2), ("wed", 3), ("thu", 4), ("fri", 5), ("sat", 6),
                                       ("sun", 7)])
def test_day_names_keep_their_meaning(name: str, iso: int) -> None:
    assert crontab_trigger(f"0 9 * * {name}", PARIS).get_next_fire_time(None, START).isoweekday() == iso


def _days(expr: str) -> set[int]:
    trig, fire, seen = crontab_trigger(expr, PARIS), START, set()
    for _ in range(20):
        fire = trig.get_next_fire_time(fire, fire + timedelta(seconds=1))
        seen.add(fire.isoweekday())
    return seen


@pytest.mark.parametrize("expr, iso_days", [
    ("30 17 * * 1-5", {1, 2, 3, 4, 5}), ("0 9 * * 5-7", {5, 6, 7}), ("0 9 * * 0,6", {6, 7}),
    ("0 9 * * */2", {7, 2, 4, 6}), ("0 9 * * fri-mon", {5, 6, 7, 1}), ("0 9 * * *", set(range(1, 8))),
])
def test_ranges_lists_and_steps(expr: str, iso_days: set[int]) -> None:
    assert _days(expr) == iso_days


def test_previous_period_uses_the_same_reading() -> None:
    """Friday 17:00 ("0 17 * * 5"): the run of Friday 11 December covers from Friday 4 December."""
    end = datetime(2026, 12, 11, 17, 0, tzinfo=PARIS)
    start, stop = period_ending("0 17 * * 5", PARIS, end)
    assert (start, stop) == (datetime(2026, 12, 4, 17, 0, tzinfo=PARIS), end)
    assert last_fire("0 9 * * 1", PARIS, datetime(2026, 12, 9, tzinfo=PARIS)).date() == date(2026, 12, 7)
    assert last_fire("0 9 * * 0", PARIS, datetime(2026, 12, 9, tzinfo=PARIS)).date() == date(2026, 12, 6)


@pytest.mark.parametrize("expr", ["0 9 * * 8", "0 9 * *", "0 9 * * lun", "61 9 * * 1"])
def test_malformed_expressions_are_refused(expr: str) -> None:
    with pytest.raises(CronSyntaxError):
        crontab_trigger(expr, PARIS)


def test_schedules_in_words() -> None:
    assert describe("0 9 * * 1") == "chaque lundi à 9 h 00"
    assert describe("30 17 * * 1-5") == "du lundi au vendredi à 17 h 30"
    assert describe("0 8 * * 7") == "chaque dimanche à 8 h 00"


def _settings(tmp_path: Path, toml: str | None):
    env = {"RELAIS_DATABASE_URL": f"sqlite:///{tmp_path / 'r.db'}"}
    if toml is not None:
        (tmp_path / "relais.toml").write_text(toml, encoding="utf-8")
        env["RELAIS_CONFIG"] = str(tmp_path / "relais.toml")
    return env


def test_default_digest_without_any_digests_table(tmp_path: Path) -> None:
    settings = load_settings(env=_settings(tmp_path, '[channels]\nentraide = "entraide-38"\n'), dotenv=False)
    [digest] = settings.digests
    assert (digest.channel, digest.cron) == ("entraide-38", "0 9 * * 1") and settings.digests_are_default
    lines = digest_lines(settings)
    assert lines[0] == ("Récapitulatif « Le point de la semaine » dans ~entraide-38 : chaque lundi à 9 h 00 "
                        "(heure de Paris).")
    assert "par défaut" in lines[1] and "default_digest = false" in lines[1]


def test_default_digest_can_be_replaced_or_switched_off(tmp_path: Path) -> None:
    own = load_settings(env=_settings(tmp_path, '[[digests]]\nchannel = "region-sud"\ncron = "0 17 * * 5"\n'),
                        dotenv=False)
    assert [d.channel for d in own.digests] == ["region-sud"] and not own.digests_are_default
    off = load_settings(env=_settings(tmp_path, "[network]\ndefault_digest = false\n"), dotenv=False)
    assert off.digests == ()
    assert digest_lines(off) == ["Récapitulatifs : aucun (default_digest = false dans relais.toml)."]
    reunion = load_settings(env=_settings(tmp_path, '[network]\ntimezone = "Indian/Reunion"\n'), dotenv=False)
    assert "(heure de La Réunion)" in digest_lines(reunion)[0]


def test_preview_works_with_no_digests_table(tmp_path: Path) -> None:
    """A new network (no relais.toml at all) previews the default digest of ~entraide."""
    env = {"RELAIS_DATABASE_URL": f"sqlite:///{tmp_path / 'r.db'}", "PATH": "/usr/bin:/bin"}
    run = lambda *a: subprocess.run([sys.executable, "-m", "bot", *a], capture_output=True, text=True,  # noqa: E731
                                    cwd=tmp_path, env=env, timeout=120)
    assert run("db", "upgrade").returncode == 0
    result = run("digest", "preview", "--channel", "entraide")
    assert result.returncode == 0, result.stderr
    assert "~entraide" in result.stdout and "aucun canal programmé" not in result.stdout
