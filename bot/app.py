"""One way to assemble `App`, shared by `relais serve`, `relais console` and the tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.config import Settings
from bot.core import offloop
from bot.core.context import App, Platform
from bot.core.registry import Registry
from bot.db import Database


def build_registry() -> Registry:
    """Every feature's commands (`bot.features`), in the order of `/aide`; installs their outbox hooks too (a
    registry is what every way of running Relais builds first)."""
    from bot.features import commands, digest_sections, outbox_hooks
    from bot.outbox.hooks import install

    install(outbox_hooks())
    registry = Registry()
    for command in commands():
        registry.add(command)
    registry.digest_sections = digest_sections()
    return registry


def build_app(
    settings: Settings, db: Database, platform: Platform, registry: Registry | None = None,
    *, clock: Callable[[], datetime] | None = None,
) -> App:
    """`registry` defaults to every feature's commands (`bot.features`)."""
    offloop.share_the_gil()
    if registry is None:
        registry = build_registry()
    return App(settings=settings, db=db, platform=platform, registry=registry, clock=clock)
