"""Plain renderings of a place shared by the chat handler and the command line (no chat markup here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.core.text import number
from bot.directory.hours import osm_to_french, today_text
from bot.directory.positions import is_approximate
from bot.directory.schema import Place
from bot.directory.validate import display_phone

if TYPE_CHECKING:
    from bot.directory.search import Result


@dataclass(frozen=True, slots=True)
class PlaceSummary:
    """What a compact answer shows of a place that depends neither on the query nor on the time: worked out once
    per place of the index (every search shows five places) rather than at every answer."""

    address: str  # `full_address`
    phone: str  # as French people dial it, "" when unknown
    timezone: ZoneInfo


def summarise(place: Place) -> PlaceSummary:
    return PlaceSummary(full_address(place), display_phone(place.telephone), place.timezone)


def full_address(place: Place) -> str:
    parts = [place.adresse]
    if place.complement_adresse:
        parts.append(place.complement_adresse)
    parts.append(f"{place.code_postal} {place.commune}")
    return ", ".join(parts)


def distance_text(km: float | None, place: Place | None = None, *, approximate: bool = False) -> str:
    """"à 3,2 km"; for a place positioned at its commune's centre, "à environ 3 km (position approximative)"."""
    if km is None:
        return ""
    if approximate or place is not None and is_approximate(place):
        return f"à environ {number(max(1, round(km)))} km (position approximative)"
    if km < 1:
        return f"à {max(50, round(km * 1000, -1)):.0f} m"
    return f"à {number(km, 1)} km" if km < 10 else f"à {number(km)} km"  # "à 3,2 km", "à 13 317 km"


def sms_text(place: Place) -> str:
    """What a counsellor can paste into an SMS for the person: short, no markup, no jargon."""
    lines = [place.nom, full_address(place)]
    if place.telephone:
        lines.append(f"Tél : {display_phone(place.telephone)}")
    if place.horaires:
        lines.append(f"Horaires : {osm_to_french(place.horaires)}")
    if place.prise_rdv:
        lines.append(f"Rendez-vous : {place.prise_rdv}")
    return "\n".join(lines)


def result_json(result: Result, *, with_distance: bool) -> dict[str, Any]:
    """The stable JSON contract of `relais directory search --json` (other tooling reads it)."""
    p = result.place
    out: dict[str, Any] = {
        "id": p.local_id, "source": p.source, "nom": p.nom, "adresse": p.adresse, "code_postal": p.code_postal,
        "commune": p.commune, "latitude": p.latitude, "longitude": p.longitude, "services": list(p.services),
        "telephone": p.telephone, "horaires": p.horaires, "score": round(result.score, 4), "ref": p.ref,
    }
    if with_distance:
        out["distance_km"] = None if result.distance_km is None else round(result.distance_km, 2)
    return out


def result_line(result: Result, now: datetime, asked_day: date | None = None) -> str:
    p, summary = result.place, result.summary
    bits = [f"[{p.ref}] {p.nom}", summary.address]
    if result.distance_km is not None:
        bits.append(distance_text(result.distance_km, p, approximate=result.approximate))
    if p.telephone:
        bits.append(summary.phone)
    bits.append(today_text(p.horaires, summary.timezone, now, asked_day))
    return " — ".join(bits)
