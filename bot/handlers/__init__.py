"""One module per slash command; each exposes `command`. The order here is the order of `/aide`."""

from __future__ import annotations

import importlib

from bot.core.registry import Registry

HANDLER_MODULES = (
    "bot.handlers.aide",
    "bot.handlers.annuaire",
    "bot.handlers.accompagnement",
    "bot.handlers.atelier",
    "bot.handlers.annonce",
    "bot.handlers.entraide",
)


def build_registry() -> Registry:
    registry = Registry()
    for name in HANDLER_MODULES:
        registry.add(importlib.import_module(name).command)
    return registry
