"""sessions: logged accompaniments (CRA), indexed for monthly stats per counsellor and network-wide

Revision ID: 0003_sessions
Revises: 0001_foundation
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db.base import JSONType, UTCDateTime

revision = "0003_sessions"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accompaniments",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("user_name", sa.String(128), nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("duration_min", sa.Integer, nullable=False),
        sa.Column("lieu_type", sa.String(16), nullable=False),
        sa.Column("lieu_nom", sa.String(200), nullable=True),
        sa.Column("lieu_commune", sa.String(120), nullable=True),
        sa.Column("lieu_code_postal", sa.String(5), nullable=True),
        sa.Column("thematiques", JSONType, nullable=False),
        sa.Column("precisions_demarche", sa.String(200), nullable=True),
        sa.Column("materiel", JSONType, nullable=False),
        sa.Column("notes", sa.Text, nullable=True),
        sa.Column("autonomie", sa.String(32), nullable=True),
        sa.Column("oriente", sa.Boolean, nullable=True),
        sa.Column("structure_redirection", sa.String(48), nullable=True),
        sa.Column("orientation_source", sa.String(64), nullable=True),
        sa.Column("orientation_place_id", sa.String(128), nullable=True),
        sa.Column("orientation_place_name", sa.String(200), nullable=True),
        sa.Column("genre", sa.String(16), nullable=True),
        sa.Column("tranche_age", sa.String(32), nullable=True),
        sa.Column("statut", sa.String(16), nullable=True),
        sa.Column("deja_accompagne", sa.Boolean, nullable=True),
        sa.Column("beneficiaire_commune", sa.String(120), nullable=True),
        sa.Column("beneficiaire_code_postal", sa.String(5), nullable=True),
        sa.Column("titre_atelier", sa.String(200), nullable=True),
        sa.Column("niveau", sa.String(16), nullable=True),
        sa.Column("participants_total", sa.Integer, nullable=False),
        sa.Column("participants_deja", sa.Integer, nullable=False),
        sa.Column("participants_counts", JSONType, nullable=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_accompaniments"),
    )
    op.create_index("ix_accompaniments_user_id_date", "accompaniments", ["user_id", "date"])
    op.create_index("ix_accompaniments_date", "accompaniments", ["date"])


def downgrade() -> None:
    op.drop_index("ix_accompaniments_date", table_name="accompaniments")
    op.drop_index("ix_accompaniments_user_id_date", table_name="accompaniments")
    op.drop_table("accompaniments")
