"""idea numbers are never reused: atelier_ideas gets SQLite's AUTOINCREMENT (PostgreSQL sequences never reuse)

Without AUTOINCREMENT, SQLite gives a deleted last idea's number to the next idea, so old links and
"idée n° 12" in messages would point to another idea. SQLite cannot alter a primary key in place:
the table is rebuilt. Its children (reactions, feedback, pins) reference it with ON DELETE CASCADE,
and dropping the old table would delete their rows, so they are set aside first and put back after,
with their exact original definitions.

Revision ID: 0016_idea_numbers
Revises: 0005_atelier_annonce
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0016_idea_numbers"
down_revision = "0005_atelier_annonce"
branch_labels = None
depends_on = None

PARENT = "atelier_ideas"
CHILDREN = ("atelier_reactions", "atelier_feedback", "atelier_pins")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    ddl: dict[str, list[str]] = {}
    for child in CHILDREN:
        rows = bind.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL ORDER BY type = 'index'",
            (child,)).fetchall()
        ddl[child] = [r[0] for r in rows]
        bind.exec_driver_sql(f"CREATE TABLE _keep_{child} AS SELECT * FROM {child}")
        bind.exec_driver_sql(f"DROP TABLE {child}")
    with op.batch_alter_table(PARENT, recreate="always", table_kwargs={"sqlite_autoincrement": True}):
        pass
    for child in CHILDREN:
        for statement in ddl[child]:
            bind.exec_driver_sql(statement)
        bind.exec_driver_sql(f"INSERT INTO {child} SELECT * FROM _keep_{child}")
        bind.exec_driver_sql(f"DROP TABLE _keep_{child}")


def downgrade() -> None:
    """Nothing to undo: AUTOINCREMENT only stops numbers from being reused."""
