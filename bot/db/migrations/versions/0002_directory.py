"""directory: places of the schéma des lieux de médiation numérique v1.0.2, change audit, reports, version

Revision ID: 0002_directory
Revises: 0001_foundation
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db.base import JSONType, UTCDateTime

revision = "0002_directory"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None

LIST_COLUMNS = (
    "typologie", "courriels", "site_web", "itinerance", "services", "publics_specifiquement_adresses",
    "prise_en_charge_specifique", "frais_a_charge", "dispositif_programmes_nationaux", "formations_labels",
    "autres_formations_labels", "modalites_acces", "modalites_accompagnement",
)


def upgrade() -> None:
    op.create_table(
        "directory_places",
        sa.Column("ref", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("source", sa.String(100), nullable=False),
        sa.Column("local_id", sa.String(255), nullable=False),
        sa.Column("pivot", sa.String(32), nullable=False),
        sa.Column("nom", sa.Text, nullable=False),
        sa.Column("commune", sa.String(200), nullable=False),
        sa.Column("code_postal", sa.String(5), nullable=False),
        sa.Column("code_insee", sa.String(5), nullable=True),
        sa.Column("adresse", sa.Text, nullable=False),
        sa.Column("complement_adresse", sa.Text, nullable=True),
        sa.Column("latitude", sa.Float, nullable=True),
        sa.Column("longitude", sa.Float, nullable=True),
        sa.Column("typologie", JSONType, nullable=False),
        sa.Column("telephone", sa.String(20), nullable=True),
        sa.Column("courriels", JSONType, nullable=False),
        sa.Column("site_web", JSONType, nullable=False),
        sa.Column("horaires", sa.Text, nullable=True),
        sa.Column("presentation_resume", sa.Text, nullable=True),
        sa.Column("presentation_detail", sa.Text, nullable=True),
        sa.Column("data_source", sa.Text, nullable=True),
        sa.Column("itinerance", JSONType, nullable=False),
        sa.Column("structure_parente", sa.Text, nullable=True),
        sa.Column("date_maj", sa.Date, nullable=True),
        sa.Column("services", JSONType, nullable=False),
        sa.Column("publics_specifiquement_adresses", JSONType, nullable=False),
        sa.Column("prise_en_charge_specifique", JSONType, nullable=False),
        sa.Column("frais_a_charge", JSONType, nullable=False),
        sa.Column("dispositif_programmes_nationaux", JSONType, nullable=False),
        sa.Column("formations_labels", JSONType, nullable=False),
        sa.Column("autres_formations_labels", JSONType, nullable=False),
        sa.Column("modalites_acces", JSONType, nullable=False),
        sa.Column("modalites_accompagnement", JSONType, nullable=False),
        sa.Column("fiche_acces_libre", sa.Text, nullable=True),
        sa.Column("prise_rdv", sa.Text, nullable=True),
        sa.Column("extra", JSONType, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("ref", name="pk_directory_places"),
        sa.UniqueConstraint("source", "local_id", name="uq_directory_places_source_local_id"),
    )
    op.create_table(
        "directory_changes",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("place_ref", sa.Integer, nullable=True),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("changed_by", sa.String(200), nullable=False),
        sa.Column("changed_at", UTCDateTime, nullable=False),
        sa.Column("changes", JSONType, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_directory_changes"),
        sa.ForeignKeyConstraint(["place_ref"], ["directory_places.ref"], ondelete="SET NULL",
                                name="fk_directory_changes_place_ref_directory_places"),
    )
    op.create_index("ix_directory_changes_place_ref", "directory_changes", ["place_ref"])
    op.create_table(
        "directory_reports",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("place_ref", sa.Integer, nullable=True),
        sa.Column("reporter_id", sa.String(64), nullable=False),
        sa.Column("reporter_name", sa.String(200), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("handled_by", sa.String(200), nullable=True),
        sa.Column("handled_at", UTCDateTime, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_directory_reports"),
        sa.ForeignKeyConstraint(["place_ref"], ["directory_places.ref"], ondelete="SET NULL",
                                name="fk_directory_reports_place_ref_directory_places"),
    )
    op.create_index("ix_directory_reports_place_ref", "directory_reports", ["place_ref"])
    meta = op.create_table(
        "directory_meta",
        sa.Column("id", sa.Integer, autoincrement=False, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_directory_meta"),
    )
    from bot.db.base import utcnow

    op.bulk_insert(meta, [{"id": 1, "version": 0, "updated_at": utcnow()}])


def downgrade() -> None:
    op.drop_table("directory_meta")
    op.drop_index("ix_directory_reports_place_ref", table_name="directory_reports")
    op.drop_table("directory_reports")
    op.drop_index("ix_directory_changes_place_ref", table_name="directory_changes")
    op.drop_table("directory_changes")
    op.drop_table("directory_places")
