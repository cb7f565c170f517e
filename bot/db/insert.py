"""INSERT … ON CONFLICT DO NOTHING on both engines: the idempotency primitive of events, questions and the outbox.

The same event seen twice (a reconnect, two processes) must be a no-op, not an exception that rolls back
the transaction and logs an error on the database server.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, Result
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session


def insert_ignore(session: Session, model: type, values: dict[str, Any], *, returning: Any = None) -> Any:
    """Insert a row unless it collides with an existing key; returns `returning` of the new row (None if skipped)."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    column = returning if returning is not None else next(iter(model.__table__.primary_key.columns))  # type: ignore[attr-defined]
    stmt = insert(model).values(**values).on_conflict_do_nothing().returning(column)
    return session.scalar(stmt)


def rows_changed(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE touched (SQLAlchemy types `execute` as a plain `Result`)."""
    return int(cast("CursorResult[Any]", result).rowcount or 0)
