"""The directory's scheduled refreshes, as digest lines: the week's changes from the national sources."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.directory.models import DirectoryRefreshRun
from bot.directory.refresh import DONE, FAILED, changes_phrase


def refresh_lines(session: Session, start: datetime, end: datetime) -> list[str]:
    """"- Mise à jour « france-services » : 12 nouveaux lieux, 3 fermés, 41 mis à jour", one per finished run."""
    runs = session.scalars(select(DirectoryRefreshRun).where(
        DirectoryRefreshRun.finished_at >= start, DirectoryRefreshRun.finished_at < end,
        DirectoryRefreshRun.status.in_((DONE, FAILED))).order_by(DirectoryRefreshRun.id))
    lines = []
    for run in runs:
        if run.status == DONE:
            what = changes_phrase(run.added, run.closed, run.updated, run.reopened)
        else:
            what = "échec, rien n’a été modifié (voir le canal des coordinateurs)"
        lines.append(f"- Mise à jour « {run.source_name} » : {what}")
    return lines
