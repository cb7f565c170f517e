"""Alembic environment: the engine comes from `bot.db.migrate` (never from an alembic.ini)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

import bot.models  # noqa: F401  (registers every table on Base.metadata)
from bot.db.base import Base

config = context.config
engine = config.attributes.get("engine") or create_engine(config.get_main_option("sqlalchemy.url") or "")

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
