"""Tables of the directory: places (every v1.0.2 field), the audit of changes, counsellors' reports, and the
version counter every process checks before searching (so an import elsewhere refreshes everyone's index)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, JSONType, UTCDateTime, utcnow


class DirectoryPlace(Base):
    __tablename__ = "directory_places"
    __table_args__ = (UniqueConstraint("source", "local_id", name="uq_directory_places_source_local_id"),)

    ref: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(100))
    local_id: Mapped[str] = mapped_column(String(255))
    pivot: Mapped[str] = mapped_column(String(32))
    nom: Mapped[str] = mapped_column(Text)
    commune: Mapped[str] = mapped_column(String(200))
    code_postal: Mapped[str] = mapped_column(String(5))
    code_insee: Mapped[str | None] = mapped_column(String(5))
    adresse: Mapped[str] = mapped_column(Text)
    complement_adresse: Mapped[str | None] = mapped_column(Text)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    typologie: Mapped[list[str]] = mapped_column(JSONType)
    telephone: Mapped[str | None] = mapped_column(String(20))
    courriels: Mapped[list[str]] = mapped_column(JSONType)
    site_web: Mapped[list[str]] = mapped_column(JSONType)
    horaires: Mapped[str | None] = mapped_column(Text)
    presentation_resume: Mapped[str | None] = mapped_column(Text)
    presentation_detail: Mapped[str | None] = mapped_column(Text)
    data_source: Mapped[str | None] = mapped_column(Text)
    itinerance: Mapped[list[str]] = mapped_column(JSONType)
    structure_parente: Mapped[str | None] = mapped_column(Text)
    date_maj: Mapped[date | None] = mapped_column(Date)
    services: Mapped[list[str]] = mapped_column(JSONType)
    publics_specifiquement_adresses: Mapped[list[str]] = mapped_column(JSONType)
    prise_en_charge_specifique: Mapped[list[str]] = mapped_column(JSONType)
    frais_a_charge: Mapped[list[str]] = mapped_column(JSONType)
    dispositif_programmes_nationaux: Mapped[list[str]] = mapped_column(JSONType)
    formations_labels: Mapped[list[str]] = mapped_column(JSONType)
    autres_formations_labels: Mapped[list[str]] = mapped_column(JSONType)
    modalites_acces: Mapped[list[str]] = mapped_column(JSONType)
    modalites_accompagnement: Mapped[list[str]] = mapped_column(JSONType)
    fiche_acces_libre: Mapped[str | None] = mapped_column(Text)
    prise_rdv: Mapped[str | None] = mapped_column(Text)
    extra: Mapped[dict[str, Any]] = mapped_column(JSONType)
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(200))
    # Gone from its source's latest full file: kept for history, hidden from search, reopened if it comes back.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    closed_by: Mapped[str | None] = mapped_column(String(200))


class DirectoryChange(Base):
    """Who changed what and when: one row per place added or modified (import, dialog)."""

    __tablename__ = "directory_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    place_ref: Mapped[int | None] = mapped_column(
        ForeignKey("directory_places.ref", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(20))  # added | updated | closed | reopened
    changed_by: Mapped[str] = mapped_column(String(200))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changes: Mapped[dict[str, Any]] = mapped_column(JSONType)  # field -> [old, new]


class DirectoryReport(Base):
    """"/annuaire signaler": a counsellor says a place's information is outdated."""

    __tablename__ = "directory_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    place_ref: Mapped[int | None] = mapped_column(
        ForeignKey("directory_places.ref", ondelete="SET NULL"), index=True)
    reporter_id: Mapped[str] = mapped_column(String(64))
    reporter_name: Mapped[str] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default="ouvert")  # ouvert | traite
    handled_by: Mapped[str | None] = mapped_column(String(200))
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DirectoryMeta(Base):
    """One row (id 1): `version` goes up with every committed change, checked cheaply before each search."""

    __tablename__ = "directory_meta"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DirectoryRefreshRun(Base):
    """One scheduled refresh of one source: the unique (source, fire time) makes it run in one process only."""

    __tablename__ = "directory_refresh_runs"
    __table_args__ = (UniqueConstraint("source_name", "fire_time", name="uq_directory_refresh_runs_source_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source_name: Mapped[str] = mapped_column(String(100))
    fire_time: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16))  # running | done | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    worker_id: Mapped[str] = mapped_column(String(100), default="")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    added: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    closed: Mapped[int] = mapped_column(Integer, default=0)
    reopened: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)


class CounsellorTerritory(Base):
    """Where a counsellor works ("/annuaire ma-commune Vif"): a search without a place looks around it, and
    homonyms lean to it. A row with no commune remembers that the counsellor was asked once."""

    __tablename__ = "counsellor_territories"

    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    insee: Mapped[str | None] = mapped_column(String(5))
    label: Mapped[str | None] = mapped_column(String(200))  # "Vif (38)", as it was understood
    prompted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
