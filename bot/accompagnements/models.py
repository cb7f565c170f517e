"""One row per logged accompaniment (the Coop's `Activite`), with anonymous categories and counts only."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, JSONType, UTCDateTime, utcnow


class Accompaniment(Base):
    __tablename__ = "accompaniments"
    __table_args__ = (
        # Monthly stats: one counsellor (user_id + date range) and the whole network (date range).
        Index("ix_accompaniments_user_id_date", "user_id", "date"),
        Index("ix_accompaniments_date", "date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(String(64))
    user_name: Mapped[str] = mapped_column(String(128))  # who logged: shown to coordinators, nothing else
    type: Mapped[str] = mapped_column(String(16))
    date: Mapped[date] = mapped_column(Date)
    duration_min: Mapped[int] = mapped_column(Integer)
    lieu_type: Mapped[str] = mapped_column(String(16))
    lieu_nom: Mapped[str | None] = mapped_column(String(200))
    lieu_commune: Mapped[str | None] = mapped_column(String(120))
    lieu_code_postal: Mapped[str | None] = mapped_column(String(5))
    thematiques: Mapped[list[str]] = mapped_column(JSONType)
    precisions_demarche: Mapped[str | None] = mapped_column(String(200))
    materiel: Mapped[list[str]] = mapped_column(JSONType)
    notes: Mapped[str | None] = mapped_column(Text)
    # individuel
    autonomie: Mapped[str | None] = mapped_column(String(32))
    oriente: Mapped[bool | None] = mapped_column(Boolean)
    structure_redirection: Mapped[str | None] = mapped_column(String(48))
    # Optional directory place the person was sent to: a snapshot, so the row survives directory updates.
    orientation_source: Mapped[str | None] = mapped_column(String(64))
    orientation_place_id: Mapped[str | None] = mapped_column(String(128))
    orientation_place_name: Mapped[str | None] = mapped_column(String(200))
    genre: Mapped[str | None] = mapped_column(String(16))
    tranche_age: Mapped[str | None] = mapped_column(String(32))
    statut: Mapped[str | None] = mapped_column(String(16))
    deja_accompagne: Mapped[bool | None] = mapped_column(Boolean)
    beneficiaire_commune: Mapped[str | None] = mapped_column(String(120))
    beneficiaire_code_postal: Mapped[str | None] = mapped_column(String(5))
    # collectif
    titre_atelier: Mapped[str | None] = mapped_column(String(200))
    niveau: Mapped[str | None] = mapped_column(String(16))
    # Participants: 1 for individuel. Breakdowns (collectif) are counts per code: {"genre": {"feminin": 4}, …}.
    participants_total: Mapped[int] = mapped_column(Integer, default=1)
    participants_deja: Mapped[int] = mapped_column(Integer, default=0)
    participants_counts: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
