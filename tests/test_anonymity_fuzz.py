"""Bounded, seeded fuzz of the anonymity guard: notes built from everyday pieces, half with one piece of personal
data inserted (a phone number of any French territory in any format, a name in any case, a password)."""

from __future__ import annotations

from datetime import date

from bot.accompagnements.anonymity import find_personal_data
from tests.fuzz_support import notes

TODAY = date(2026, 12, 1)
NOTES = 1_500


def test_every_generated_note_with_personal_data_is_refused_and_anonymous_ones_pass() -> None:
    generated = notes(13, NOTES)
    missed = [t for kind, t in generated if kind and not find_personal_data(t, today=TODAY)]
    refused = [t for kind, t in generated if not kind and find_personal_data(t, today=TODAY)]
    assert sum(1 for kind, _ in generated if kind) == NOTES // 2
    assert missed == []
    assert refused == []


def test_the_kind_found_is_the_kind_inserted() -> None:
    for kind, text in notes(29, 300):
        if kind:
            assert kind in {f.kind for f in find_personal_data(text, today=TODAY)}, text
