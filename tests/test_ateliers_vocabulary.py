"""Idea fields: French parsing of publics, thématiques and durations, and per-field validation messages."""

from __future__ import annotations

import pytest

from bot.accompagnements.enums import THEMATIQUES
from bot.ateliers.service import validate_idea
from bot.ateliers.vocabulary import (
    DurationError,
    format_duration,
    parse_duration,
    parse_publics,
    resolve_public,
    resolve_thematique,
)
from bot.core.errors import InvalidFields

GOOD = {
    "title": "Escape game de la sécurité en ligne",
    "summary": "Par équipes, repérer un faux mail et un faux site de banque pour sortir de la salle.",
    "publics": "seniors, ados",
    "thematique": "securite_numerique",
    "thematique_2": "email",
    "duration": "1h30",
    "level": "debutant",
    "equipment": "tablettes",
    "outline": "1. Accueil 2. Énigmes 3. Débrief",
    "link": "https://exemple.fr/fiche.pdf",
}


@pytest.mark.parametrize(("typed", "minutes"), [
    ("2h", 120), ("1h30", 90), ("1 h 30", 90), ("90", 90), ("90 min", 90), ("45mn", 45), ("3 heures", 180),
    ("demi-journée", 210),
])
def test_durations_as_counsellors_write_them(typed: str, minutes: int) -> None:
    assert parse_duration(typed) == minutes


@pytest.mark.parametrize("typed", ["deux heures", "1h75", "0", "20h", "-3"])
def test_bad_durations_are_explained(typed: str) -> None:
    with pytest.raises(DurationError) as raised:
        parse_duration(typed)
    result = raised.value
    assert "«" in result.message or "entre" in result.message


def test_duration_is_shown_back_in_french() -> None:
    assert format_duration(90) == "1 h 30"
    assert format_duration(120) == "2 h"
    assert format_duration(45) == "45 min"


def test_publics_from_names_synonyms_accents_and_typos() -> None:
    assert parse_publics("Seniors, les ados ; parents") == (["seniors", "adolescents", "parents"], [])
    assert parse_publics("personnes âgées et allophones") == (["seniors", "allophones"], [])
    assert resolve_public("senoirs") == "seniors"  # one typo, through the search engine's phrase matcher
    assert resolve_public("Tout public") == "tout_public"
    assert parse_publics("seniors, martiens") == (["seniors"], ["martiens"])


def test_thematiques_are_the_cra_codes() -> None:
    assert resolve_thematique("Prévention en sécurité numérique") == "securite_numerique"
    assert resolve_thematique("arnaque") == "securite_numerique"
    assert resolve_thematique("fake news") == "culture_numerique"
    assert resolve_thematique("reseaux sociaux") == "reseaux_sociaux"
    assert resolve_thematique("jardinage") is None
    assert set(THEMATIQUES) >= {"securite_numerique", "culture_numerique", "creer_avec_le_numerique"}


def test_a_good_submission_becomes_idea_fields() -> None:
    fields = validate_idea(GOOD)  # raises InvalidFields otherwise
    assert fields["publics"] == ["seniors", "adolescents"]
    assert fields["thematiques"] == ["securite_numerique", "email"]
    assert fields["duration_minutes"] == 90
    assert fields["level"] == "debutant"


def test_every_faulty_field_gets_its_own_french_message() -> None:
    bad = {"title": "Jeu", "summary": "court", "publics": "martiens", "thematique": "", "thematique_2": "jardinage",
           "duration": "longtemps", "level": "expert", "link": "pas un lien"}
    with pytest.raises(InvalidFields) as raised:
        validate_idea(bad)
    errors = raised.value.errors
    assert set(errors) == {"title", "summary", "publics", "thematique", "thematique_2", "duration", "level", "link"}
    assert "martiens" in errors["publics"]
    assert "thématique" in errors["thematique"].lower()
    assert "https://" in errors["link"]


def test_optional_fields_may_stay_empty() -> None:
    minimal = {k: GOOD[k] for k in ("title", "summary", "publics", "thematique")}
    fields = validate_idea(minimal)  # raises InvalidFields otherwise
    assert fields["duration_minutes"] is None and fields["link"] == ""
