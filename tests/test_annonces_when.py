"""When an announcement goes out: French days and times in the network's time zone, refused when unclear."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.annonces.when import WhenError, format_local, parse_when

PARIS = ZoneInfo("Europe/Paris")
REUNION = ZoneInfo("Indian/Reunion")
NOW = datetime(2026, 11, 16, 8, 0, tzinfo=UTC)  # Monday 16/11/2026, 09:00 in Paris, 12:00 in La Réunion


def local(text: str, tz: ZoneInfo = PARIS) -> str:
    return f"{parse_when(text, NOW, tz).at.astimezone(tz):%Y-%m-%d %H:%M}"


@pytest.mark.parametrize(("typed", "expected"), [
    ("demain 9h", "2026-11-17 09:00"),
    ("Demain à 9h30", "2026-11-17 09:30"),
    ("après-demain 14h", "2026-11-18 14:00"),
    ("25/12/2026 09:00", "2026-12-25 09:00"),
    ("25/12 à 8h", "2026-12-25 08:00"),
    ("2026-12-01 18:45", "2026-12-01 18:45"),
    ("1er décembre 8h", "2026-12-01 08:00"),
    ("lundi 14h", "2026-11-16 14:00"),  # today is Monday and 14:00 is still to come
    ("lundi 8h", "2026-11-23 08:00"),  # already past today: next Monday
    ("vendredi 17h", "2026-11-20 17:00"),
    ("18h", "2026-11-16 18:00"),  # a time alone: today if still to come
    ("8h", "2026-11-17 08:00"),  # … else tomorrow
    ("10/01 9h", "2027-01-10 09:00"),  # a day already past this year means next year
])
def test_french_days_and_times(typed: str, expected: str) -> None:
    assert local(typed) == expected


def test_now_words() -> None:
    for typed in ("", "maintenant", "Maintenant", "tout de suite"):
        when = parse_when(typed, NOW, PARIS)
        assert when.immediate and when.at == NOW


def test_times_are_in_the_networks_zone() -> None:
    at = parse_when("demain 9h", NOW, REUNION).at
    assert at == datetime(2026, 11, 17, 5, 0, tzinfo=UTC)  # 09:00 in La Réunion (UTC+4)
    assert format_local(at, REUNION) == "mardi 17/11/2026 à 09:00"


@pytest.mark.parametrize(("typed", "says"), [
    ("demain", "l’heure"),
    ("25/12", "l’heure"),
    ("16/11/2026 08:00", "passée"),
    ("31/02/2027 9h", "n’existe pas"),
    ("demain 25h", "impossible"),
    ("quand tu veux 9h", "non comprise"),
    ("01/01/2030 9h", "un an"),
])
def test_unclear_or_impossible_times_are_refused(typed: str, says: str) -> None:
    with pytest.raises(WhenError) as err:
        parse_when(typed, NOW, PARIS)
    assert says in str(err.value)
