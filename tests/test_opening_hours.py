"""Opening hours with France's public holidays (the place's own time zone), and hours written the French way."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.directory.hours import is_open, osm_to_french, today_text

WEEKDAYS_PH_OFF = "Mo-Fr 09:00-17:00; PH off"
ZONES = ("Europe/Paris", "Indian/Reunion", "America/Guadeloupe", "America/Cayenne", "Indian/Mayotte")


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("day", [(2026, 7, 14), (2026, 12, 25), (2026, 5, 1), (2026, 11, 11)])
def test_public_holidays_are_closed(zone: str, day: tuple[int, int, int]) -> None:
    """14 July 2026 is a Tuesday and 25 December a Friday: a weekday, noon, yet closed everywhere in France."""
    noon = datetime(*day, 12, 0, tzinfo=ZoneInfo(zone))
    assert noon.isoweekday() <= 5
    assert is_open(WEEKDAYS_PH_OFF, ZoneInfo(zone), noon) is False
    assert today_text(WEEKDAYS_PH_OFF, ZoneInfo(zone), noon) == "fermé aujourd’hui"


@pytest.mark.parametrize("zone", ZONES)
def test_the_working_day_after_is_open(zone: str) -> None:
    noon = datetime(2026, 7, 15, 12, 0, tzinfo=ZoneInfo(zone))
    assert is_open(WEEKDAYS_PH_OFF, ZoneInfo(zone), noon) is True
    assert today_text(WEEKDAYS_PH_OFF, ZoneInfo(zone), noon) == "ouvert maintenant · aujourd’hui 9h-17h"


def test_hours_are_written_the_french_way() -> None:
    assert osm_to_french("Mo-Fr 08:30-12:15,14:00-16:15; Sa,Su off; PH off") == (
        "lun.-ven. 8h30-12h15, 14h-16h15 ; sam., dim. fermés ; jours fériés fermés")
    assert osm_to_french("Mo 09:00-12:00; Su off") == "lun. 9h-12h ; dim. fermé"
