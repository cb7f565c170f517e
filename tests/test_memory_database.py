"""`RELAIS_DATABASE_URL=sqlite://` (a database in memory, for a try or a test): handlers run on worker threads and
charts and exports in a worker process, so both must see the one database this process migrated."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from bot.config import Settings
from bot.db import Database
from bot.db.migrate import upgrade
from tests.fakes import fake_app
from tests.harness import Harness


@pytest.fixture
def memory() -> Iterator[Database]:
    db = Database("sqlite://")
    upgrade(db)
    yield db
    db.dispose()


async def test_handlers_stats_and_exports_see_the_database_in_memory(memory: Database) -> None:
    h = Harness(fake_app(Settings(database_url=memory.url), memory))
    saved = await h.command("/accompagnement 45min individuel smartphone email domicile commune:Le Port")
    assert saved.cards[0].title.startswith("Accompagnement enregistré")  # written from a handler's thread
    stats = await h.command("/accompagnement stats")
    assert "Accompagnements : **1**" in stats.text and stats.files[0].content.startswith(b"\x89PNG")
    export = await h.command("/accompagnement export csv")
    assert export.files and "1 ligne" in export.text


def test_a_failed_unit_of_work_on_another_thread_leaves_a_unit_under_way_alone(memory: Database) -> None:
    """Every thread shares the one connection of `sqlite://`: another thread's rollback must wait, not undo it."""
    with memory.session() as s:
        s.execute(text("CREATE TABLE t (x INTEGER)"))

    def fails() -> None:
        with contextlib.suppress(RuntimeError), memory.session() as other:
            other.execute(text("SELECT 1")).all()
            raise RuntimeError("this unit of work fails")

    with memory.session() as s:
        s.execute(text("INSERT INTO t VALUES (1)"))
        other = threading.Thread(target=fails)
        other.start()
        other.join(0.5)  # time for the other thread to fail in the middle of this unit of work, if it may
    other.join()
    with memory.session() as s:
        assert s.execute(text("SELECT count(*) FROM t")).scalar() == 1
