"""/annuaire search on the real files: hurried typing, communes anywhere, filters, overseas opening hours."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.directory import DirectoryIndex, parse_file
from bot.directory.hours import is_open, today_text
from bot.directory.schema import Place, timezone_of
from tests.conftest import require_shared

FILES = ("france-services_liste-fs-20240801.csv", "lieux-mediation-numerique_hinaura-auvergne-rhone-alpes.json",
         "lieux-mediation-numerique_paca-hub-du-sud_20230517.json")
MONDAY_14H_PARIS = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)  # 09:00 in Guadeloupe, 17:00 in La Réunion


@pytest.fixture(scope="module")
def index() -> DirectoryIndex:
    shared = require_shared("data")
    places: list[Place] = []
    for name in FILES:
        places += parse_file(shared / name).places
    for i, p in enumerate(places, 1):
        p.ref = i
    return DirectoryIndex(places, version=1)


def _names(index: DirectoryIndex, text: str, limit: int = 5) -> list[str]:
    return [r.place.nom for r in index.search(text, now=MONDAY_14H_PARIS, limit=limit).results]


def test_hurried_names_find_the_place_first(index: DirectoryIndex) -> None:
    assert _names(index, "valserhone")[0] == "France services de Valserhône"
    assert _names(index, "la poste de st trivier de courtes")[0] == \
        "France services La Poste de Saint-Trivier-de-Courtes"
    assert _names(index, "maison de services au public d abondance")[0] == "MAISON DE SERVICES AU PUBLIC D'ABONDANCE"
    assert _names(index, "fs vailly sur aisne")[0] == "France services Vailly-sur-Aisne"
    assert _names(index, "nouvion en thierahce")[0] == "France services Nouvion-en-Thiérache"  # typo


def test_commune_postal_code_and_departement_are_recognised(index: DirectoryIndex) -> None:
    answer = index.search("aide caf grenble", now=MONDAY_14H_PARIS)
    assert answer.understood.location is not None and answer.understood.location.label == "Grenoble (38)"
    assert [f.name for f in answer.understood.filters] == ["démarches administratives"]
    assert all(r.distance_km is not None and r.distance_km < 20 for r in answer.results)
    assert all("Aide aux démarches administratives" in r.place.services for r in answer.results)
    by_code = index.search("france services 01200", now=MONDAY_14H_PARIS)
    assert by_code.understood.location is not None and by_code.understood.location.kind == "code_postal"
    assert by_code.results[0].place.nom == "France services de Valserhône"
    by_dep = index.search("france services 974", now=MONDAY_14H_PARIS, limit=50)
    assert by_dep.understood.location is not None and by_dep.understood.location.label == "La Réunion (974)"
    assert by_dep.results and all(r.place.departement == "974" for r in by_dep.results)
    named = index.search("mediatheque haute savoie", now=MONDAY_14H_PARIS, limit=20)
    assert named.understood.location is not None and named.understood.location.departement == "74"
    assert named.results and all(r.place.departement == "74" for r in named.results)


def test_ordinary_words_are_not_mistaken_for_communes(index: DirectoryIndex) -> None:
    for text in ("centre social", "maison des solidarites", "espace numerique", "mairie"):
        loc = index.search(text, now=MONDAY_14H_PARIS).understood.location
        assert loc is None, (text, loc)


def test_filters_public_free_appointments(index: DirectoryIndex) -> None:
    answer = index.search("seniors annecy gratuit", now=MONDAY_14H_PARIS)
    assert {f.name for f in answer.understood.filters} == {"seniors", "gratuit"}
    assert answer.results
    for r in answer.results:
        assert r.place.is_free
        assert "Seniors" in r.place.publics_specifiquement_adresses or not r.place.publics_specifiquement_adresses
    rdv = index.search("rdv lyon", now=MONDAY_14H_PARIS)
    assert rdv.results and all(r.place.takes_appointments for r in rdv.results)
    handicap = index.search("handicap annecy", now=MONDAY_14H_PARIS)
    assert handicap.results and all(r.place.prise_en_charge_specifique for r in handicap.results)


def test_open_now_uses_the_place_own_time_zone(index: DirectoryIndex) -> None:
    assert timezone_of("971") == ZoneInfo("America/Guadeloupe") and timezone_of("974") == ZoneInfo("Indian/Reunion")
    hours = "Mo-Fr 08:00-12:00"
    # Monday 14:00 in Paris: closed in Paris, 09:00 and open in Pointe-à-Pitre, 17:00 and closed in Saint-Denis.
    assert is_open(hours, ZoneInfo("Europe/Paris"), MONDAY_14H_PARIS) is False
    assert is_open(hours, timezone_of("971"), MONDAY_14H_PARIS) is True
    assert is_open(hours, timezone_of("974"), MONDAY_14H_PARIS) is False
    assert today_text(hours, timezone_of("971"), MONDAY_14H_PARIS) == "ouvert maintenant · aujourd’hui 8h-12h"
    answer = index.search("france services pointe a pitre ouvert", now=MONDAY_14H_PARIS)
    assert answer.understood.has("ouvert") and not answer.relaxed
    assert answer.results and all(is_open(r.place.horaires, r.place.timezone, MONDAY_14H_PARIS)
                                  for r in answer.results)
    assert answer.results[0].place.departement == "971"
    # The same query at 14:00 in Guadeloupe (19:00 in Paris) finds the Guadeloupe places closed.
    evening = index.search("france services pointe a pitre ouvert", now=datetime(2026, 11, 23, 18, 0, tzinfo=UTC))
    assert all(r.place.departement != "971" or is_open(r.place.horaires, r.place.timezone,
                                                        datetime(2026, 11, 23, 18, 0, tzinfo=UTC))
               for r in evening.results)


def test_no_result_is_never_a_dead_end(index: DirectoryIndex) -> None:
    sunday_night = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
    answer = index.search("caf ouvert valserhone", now=sunday_night)
    assert answer.relaxed == ["ouvert maintenant"] and answer.results
    unknown = index.search("zorglub grenoble", now=MONDAY_14H_PARIS)
    assert unknown.unknown_words == ["zorglub"] and unknown.results  # still the places around Grenoble
    assert index.search("zorglub", now=MONDAY_14H_PARIS).results == []


def test_pages_do_not_repeat(index: DirectoryIndex) -> None:
    first = [r.place.ref for r in index.search("caf grenoble", now=MONDAY_14H_PARIS, limit=5).results]
    second = [r.place.ref for r in index.search("caf grenoble", now=MONDAY_14H_PARIS, limit=5, offset=5).results]
    assert len(first) == 5 and second and not set(first) & set(second)


def test_a_structure_listed_by_two_sources_is_shown_once(index: DirectoryIndex) -> None:
    """Tallard is in the France services list and in the PACA hub export: one card, not two."""
    tallard = [p for p in index.places if p.nom == "France services de Tallard"]
    assert len(tallard) == 2 and tallard[0].source != tallard[1].source
    first = _names(index, "france services gap", limit=10)
    assert first.count("France services de Tallard") == 1 and len(first) == 10  # the page stays full
    second = [r.place.nom for r in index.search("france services gap", now=MONDAY_14H_PARIS, limit=10,
                                                offset=10).results]
    assert "France services de Tallard" not in second


def test_passport_and_id_card_are_administrative_needs(index: DirectoryIndex) -> None:
    answer = index.search("pasport grenoble", now=MONDAY_14H_PARIS)
    assert [f.name for f in answer.understood.filters] == ["démarches administratives"]
    assert answer.results and all("Aide aux démarches administratives" in r.place.services for r in answer.results)
