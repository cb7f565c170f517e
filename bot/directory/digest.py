"""The directory's digest section: places added, updated, closed or reopened, the scheduled refreshes of the
national sources (`refresh_lines`), and counsellors' reports. `SECTIONS` is read by `bot.features`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.core.text import count_of
from bot.digest import DigestPeriod, RankedSection, Section, quote
from bot.directory.models import DirectoryChange, DirectoryPlace, DirectoryRefreshRun, DirectoryReport
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


def directory_section(session: Session, p: DigestPeriod) -> Section | None:
    """Places added, updated, closed or reopened in the period (from the directory's audit), the scheduled
    refreshes of the national sources, and reports by counsellors."""
    change, place, report = DirectoryChange, DirectoryPlace, DirectoryReport
    in_period = (change.changed_at >= p.start, change.changed_at < p.end)
    counts = dict(session.execute(select(change.action, func.count()).where(*in_period)
                                  .group_by(change.action)).all())
    reports = session.scalar(select(func.count()).select_from(report).where(
        report.created_at >= p.start, report.created_at < p.end)) or 0
    kinds = (("added", "lieu ajouté", "lieux ajoutés", "Nouveau"), ("updated", "lieu mis à jour", "lieux mis à jour",
             "Modifié"), ("closed", "lieu fermé", "lieux fermés", "Fermé"), ("reopened", "lieu rouvert",
             "lieux rouverts", "Rouvert"))
    total = sum(int(counts.get(action, 0)) for action, *_ in kinds)
    lines = []
    if total:
        parts = [count_of(int(counts[action]), one, many) for action, one, many, _ in kinds if counts.get(action)]
        lines.append("- " + ", ".join(parts[:-1]) + (" et " if len(parts) > 1 else "") + parts[-1])
        if total <= 10:
            label = {action: word for action, _, _, word in kinds}
            rows = session.execute(select(change.action, place.nom, place.commune)
                                   .join(place, place.ref == change.place_ref).where(*in_period)
                                   .order_by(change.changed_at)).all()
            for row in rows:
                lines.append(f"  - {label.get(row.action, row.action)} : {quote(row.nom, 80)}, "
                             f"{quote(row.commune, 40)}")
    lines += refresh_lines(session, p.start, p.end)
    if reports:
        lines.append(f"- {reports} signalement{'s' if reports > 1 else ''} d’information périmée "
                     "(`/annuaire` pour les coordinateurs)")
    return Section("Annuaire", lines) if lines else None


SECTIONS: tuple[RankedSection, ...] = ((40, directory_section),)
