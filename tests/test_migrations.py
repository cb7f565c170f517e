"""Migrations and models stay in sync: the migrated schema is exactly `Base.metadata`, on both engines."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

import bot.models  # noqa: F401  (registers every table)
from bot.db import Base, Database
from bot.db.migrate import alembic_config, pending, upgrade


def _differences(db: Database) -> list[object]:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def test_migrated_schema_matches_the_models(db: Database) -> None:
    """If this fails, a model changed without its migration (or the reverse): the diff says what."""
    assert _differences(db) == []
    tables = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
    assert tables == set(Base.metadata.tables)


def test_upgrade_from_empty_applies_every_branch_once(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'vide.db'}")
    try:
        heads = ScriptDirectory.from_config(alembic_config(db)).get_heads()
        applied = upgrade(db)
        assert "0001_foundation" in applied
        assert set(heads) <= set(applied)
        assert pending(db) == []
        assert upgrade(db) == []  # a second run has nothing to do
        assert _differences(db) == []
    finally:
        db.dispose()


def test_every_feature_branch_starts_from_the_foundation() -> None:
    """A feature's later migrations follow its own branch (0015_directory_refresh after 0002_directory)."""
    script = ScriptDirectory.from_config(alembic_config(Database("sqlite://")))
    firsts = {rev.revision for rev in script.walk_revisions() if rev.down_revision == "0001_foundation"}
    for rev in script.walk_revisions():
        if rev.revision == "0001_foundation":
            continue
        chain = [rev]
        while chain[-1].down_revision != "0001_foundation":
            chain.append(script.get_revision(chain[-1].down_revision))
        assert chain[-1].revision in firsts, rev.revision
