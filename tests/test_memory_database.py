"""`RELAIS_DATABASE_URL=sqlite://` (a database in memory, for a try or a test): handlers run on worker threads and
charts and exports in a worker process, so both must see the one database this process migrated."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

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
