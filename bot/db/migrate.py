"""Alembic driven from code: `relais db upgrade`, and the outdated-schema check of `relais serve`.

Each feature ships its own migration branch off the foundation revision, so the schema is
"up to date" when the database holds every head.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from bot.core.errors import UserError
from bot.db.engine import Database

if TYPE_CHECKING:
    from bot.config import Settings

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(db: Database) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", db.url.replace("%", "%%"))
    cfg.attributes["engine"] = db.engine
    return cfg


def upgrade(db: Database) -> list[str]:
    """Apply every pending migration; returns the revisions that were missing before."""
    missing = pending(db)
    command.upgrade(alembic_config(db), "heads")
    return missing


def pending(db: Database) -> list[str]:
    script = ScriptDirectory.from_config(alembic_config(db))
    with db.engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    heads = set(script.get_heads())
    if current == heads:
        return []
    applied: set[str] = set()
    for rev in current:
        applied.update(r.revision for r in script.iterate_revisions(rev, "base"))
    return sorted(r.revision for r in script.walk_revisions() if r.revision not in applied)


def open_database(settings: Settings, *, check_schema: bool = True) -> Database:
    """The configured database; with `check_schema`, refuses (in French) one that misses a migration."""
    db = Database(settings.database_url)
    if check_schema:
        missing = pending(db)
        if missing:
            raise UserError(
                "La base de données n’est pas à jour (" + ", ".join(missing) + " manquant). "
                "Lancez d’abord : relais db upgrade"
            )
    return db
