"""One way to assemble `App`, shared by `relais serve`, `relais console` and the tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.config import Settings
from bot.core import offloop
from bot.core.context import App, Platform
from bot.core.registry import Registry
from bot.db import Database


def build_app(
    settings: Settings, db: Database, platform: Platform, registry: Registry | None = None,
    *, clock: Callable[[], datetime] | None = None,
) -> App:
    """`registry` defaults to every feature's commands (`bot.features`)."""
    offloop.share_the_gil()
    if registry is None:
        from bot.handlers import build_registry

        registry = build_registry()
    return App(settings=settings, db=db, platform=platform, registry=registry, clock=clock)
