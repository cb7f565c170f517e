"""The in-memory chat platform and clock every handler-level test uses (Mattermost itself is played by
`tests/mmserver/`). The platform is the console's (`bot.console.platform.MemoryPlatform`), built with the tests'
channels, members and clock.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bot.app import build_registry
from bot.config import Settings
from bot.console.platform import MemoryPlatform
from bot.core.context import App
from bot.db import Database

T0 = datetime(2026, 11, 16, 8, 0, tzinfo=UTC)  # Monday 09:00 in Paris

CHANNELS = ("general", "entraide", "region-sud", "ateliers", "ville-a", "ville-b", "ville-c", "coordinateurs")


class Clock:
    """`App.clock`: a fixed time that tests move forward by hand, so back-offs and schedules need no sleeping."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> datetime:
        self.now += timedelta(**kw)
        return self.now


def fake_platform(channels: tuple[str, ...] = CHANNELS, clock: Callable[[], datetime] | None = None,
                  admins: tuple[str, ...] = ()) -> MemoryPlatform:
    """The console's in-memory platform as tests want it: channels `ch-<name>` that may be missing, chosen admins
    and members (`add_user`), Mattermost's links, posts `post<n>` stamped by `clock` (the app's once `fake_app` has
    it), so the outbox finds them again by `posts_since`; failures on demand (`fail_next`, `accept_then_fail`, …)."""
    return MemoryPlatform(channels, team_id="team1", team_name="team1", admins=admins, open_channels=False,
                          readable_ids=True, clock=clock, site_url="http://mm.test")


def fake_app(settings: Settings, db: Database, platform: MemoryPlatform | None = None,
             clock: Clock | None = None) -> App:
    """An `App` on the in-memory platform; a platform without its own clock stamps posts with the app's."""
    clock = clock or Clock()
    platform = platform or fake_platform()
    if platform.clock is None:
        platform.clock = clock
    return App(settings=settings, db=db, platform=platform, registry=build_registry(), clock=clock)
