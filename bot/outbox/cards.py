"""Cards survive a restart in the outbox: they are stored as JSON and rebuilt before posting."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from bot.core.replies import Button, Card, Field


def cards_to_json(cards: list[Card] | None) -> list[dict[str, Any]] | None:
    return [asdict(c) for c in cards] if cards else None


def cards_from_json(data: list[dict[str, Any]] | None) -> list[Card] | None:
    if not data:
        return None
    out = []
    for raw in data:
        raw = dict(raw)
        fields = [Field(**f) for f in raw.pop("fields", []) or []]
        buttons = [Button(**b) for b in raw.pop("buttons", []) or []]
        out.append(Card(fields=fields, buttons=buttons, **raw))
    return out
