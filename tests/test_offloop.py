"""The off-loop rule, made hard to break: no handler may stall the event loop that serves every counsellor.

Every database session is made slow on purpose (BLOCK seconds of blocking sleep before it opens, standing for a busy
SQLite, a big index or a long query), then one command of every feature, buttons, a dialog, a post, a reaction and
the outbox job run concurrently through the registry with asyncio's debug mode on. asyncio reports any callback
that holds the loop longer than THRESHOLD; the test fails on such a report. A negative control first proves that
the same slow session opened on the loop *is* reported, so the check cannot pass by measuring nothing.

THRESHOLD sits far below BLOCK and far above what a callback costs on a loaded 2-core machine (milliseconds), so
the test neither misses a stall nor trips on a slow CI.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.config import Settings
from bot.core.context import App
from bot.db import Database
from bot.handlers.entraide import outbox_job
from tests.fakes import Clock, fake_app, fake_platform
from tests.harness import Harness

BLOCK = 0.8
THRESHOLD = 0.4
BOT = Path(__file__).resolve().parents[1] / "bot"


@pytest.fixture
def app(db: Database) -> App:
    settings = Settings(database_url=db.url, team="team1", coordinators=("coord",), timezone="Europe/Paris",
                        network_channels=("ville-a",))
    return fake_app(settings, db, fake_platform(), Clock())


@contextlib.contextmanager
def slow_sessions(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    real = Database.session

    @contextlib.contextmanager
    def session(self: Database) -> Iterator[object]:
        time.sleep(BLOCK)
        with real(self) as s:
            yield s

    monkeypatch.setattr(Database, "session", session)
    yield
    monkeypatch.setattr(Database, "session", real)


@contextlib.asynccontextmanager
async def stalls(caplog: pytest.LogCaptureFixture) -> AsyncIterator[list[str]]:
    """The loop stalls asyncio reports (debug mode, `slow_callback_duration`) while the block runs.

    The loop decides whether to time a callback before running it: one step is yielded after switching debug on
    (so the next step is timed) and one before collecting (so the last step's report is logged)."""
    loop = asyncio.get_running_loop()
    debug, duration = loop.get_debug(), loop.slow_callback_duration
    loop.set_debug(True)
    loop.slow_callback_duration = THRESHOLD
    found: list[str] = []
    caplog.set_level(logging.WARNING, logger="asyncio")
    caplog.clear()
    await asyncio.sleep(0)
    try:
        yield found
    finally:
        await asyncio.sleep(0)
        loop.set_debug(debug)
        loop.slow_callback_duration = duration
        found += [r.getMessage() for r in caplog.records if r.name == "asyncio" and "took" in r.getMessage()]


async def test_a_session_opened_on_the_loop_is_reported(app: App, monkeypatch: pytest.MonkeyPatch,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    """Negative control: the detector sees a stall of BLOCK seconds."""
    with slow_sessions(monkeypatch):
        async with stalls(caplog) as found:
            with app.db.session():
                pass
    assert found, "asyncio debug mode did not report a blocked loop: the check below would prove nothing"


async def test_no_handler_blocks_the_loop(app: App, monkeypatch: pytest.MonkeyPatch,
                                          caplog: pytest.LogCaptureFixture) -> None:
    h = Harness(app)
    coord = {"user_id": "u-coord", "user_name": "coord"}

    async def accompagnement() -> None:
        reply = await h.command("/accompagnement 45min individuel smartphone email domicile commune:Le Port")
        assert reply.cards[0].title.startswith("Accompagnement enregistré")
        stats = await h.command("/accompagnement stats")
        assert stats.files and stats.files[0].content.startswith(b"\x89PNG")  # the chart, drawn in a process
        assert (await h.command("/accompagnement export csv")).files

    async def annuaire() -> None:
        assert (await h.command("/annuaire caf grenoble")).text
        assert (await h.click("annuaire", "fiche", {"ref": 1})).text
        assert (await h.command("/annuaire signalements", **coord)).text

    async def atelier() -> None:
        assert (await h.command("/atelier escape game seniors")).text
        assert (await h.command("/atelier mes-idees")).text

    async def entraide() -> None:
        assert (await h.command("/entraide Comment aider quelqu'un qui a perdu son mot de passe France Connect ?"))
        await h.post("p-1", "Essayez la réinitialisation depuis impots.gouv", channel="entraide", user_id="u-bob",
                     user_name="bob")
        await h.react("p-1", "white_check_mark", channel="entraide")

    async def annonce() -> None:
        assert await h.command("/annonce programmees", **coord)

    async def others() -> None:
        assert (await h.command("/aide")).text
        await outbox_job(app)

    with slow_sessions(monkeypatch):
        async with stalls(caplog) as found:
            await asyncio.gather(accompagnement(), annuaire(), atelier(), entraide(), annonce(), others())
    assert not found, "the event loop was blocked:\n" + "\n".join(found)
    assert "problème" not in " ".join(p.message for p in app.platform.posts)  # type: ignore[attr-defined]


def _awaits_under_session(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.With):
            continue
        held = " ".join(ast.unparse(i.context_expr) for i in node.items)
        if ".session()" not in held and "lock" not in held.lower():
            continue
        for inner in (n for stmt in node.body for n in ast.walk(stmt)):
            if isinstance(inner, (ast.Await, ast.AsyncFor, ast.AsyncWith)):
                found.append(f"{path.relative_to(BOT.parent)}:{inner.lineno}: await while `{held}` is held")
    return found


def test_no_await_while_a_database_session_or_a_lock_is_held() -> None:
    """A session (SQLite's write lock, a pooled connection) or a thread lock held across an await stalls others."""
    found = [line for path in sorted(BOT.rglob("*.py")) for line in _awaits_under_session(path)]
    assert not found, "\n".join(found)


def test_overlapping_builds_restore_the_process_settings() -> None:
    """A refresh and a background rebuild may overlap: the GC and the GIL hand-over come back as they were."""
    import gc
    import sys

    from bot.core.offloop import BUILD_SWITCH_INTERVAL, no_gc_pauses

    before = (gc.isenabled(), sys.getswitchinterval())
    first, second = no_gc_pauses(), no_gc_pauses()
    first.__enter__()
    second.__enter__()
    assert not gc.isenabled() and sys.getswitchinterval() <= BUILD_SWITCH_INTERVAL
    first.__exit__(None, None, None)  # the first out leaves them as the second build needs them
    assert not gc.isenabled() and sys.getswitchinterval() <= BUILD_SWITCH_INTERVAL
    second.__exit__(None, None, None)
    assert (gc.isenabled(), sys.getswitchinterval()) == before
