"""Scheduled refresh of the directory from the national open data (`[[directory.sources]]` in relais.toml).

Each source (a URL or a file: the national consolidated file of the *lieux de médiation numérique*, the France
Services list…) is imported on its cron schedule by ONE process: a `directory_refresh_runs` row per (source,
fire time) is claimed with INSERT … ON CONFLICT DO NOTHING, as digests are; a run left "running" by a process
that died is taken over after `STALE_AFTER`. The download is retried; a file that would close more than
`MAX_CLOSE_SHARE` of the source's places is refused (a truncated download must not empty the directory).
The import, the run's figures and the coordinators' report (through the outbox) are one transaction.
Plain functions on a worker thread: no event loop here.
"""

from __future__ import annotations

import logging
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path, PurePosixPath
from urllib.parse import urlparse

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.config import DirectorySource, Settings
from bot.core.text import count_of
from bot.db import Database, utcnow
from bot.db.insert import insert_ignore
from bot.directory.departements import DEPARTEMENTS
from bot.directory.importers import (
    FORMAT_FS,
    FORMAT_V0,
    FORMAT_V1,
    FORMAT_V1_JSON,
    ImportReport,
    NotADirectoryFile,
    ParsedFile,
    parse_file,
    save_source,
)
from bot.directory.models import DirectoryChange, DirectoryPlace, DirectoryRefreshRun
from bot.directory.schema import departement_of
from bot.entraide.periods import last_fire, trigger
from bot.outbox import enqueue

log = logging.getLogger(__name__)

RUNNING, DONE, FAILED, ALREADY_DONE = "running", "done", "failed", "already_done"
STALE_AFTER = timedelta(hours=2)
MAX_CLOSE_SHARE = 0.2
MAX_BYTES = 200 * 1024 * 1024
FORMATS = {"v1": (FORMAT_V1, FORMAT_V1_JSON), "france-services": (FORMAT_FS,), "v0": (FORMAT_V0,)}


class FetchError(Exception):
    """The file could not be had; `str()` is French, for the coordinators' report."""


@dataclass(frozen=True)
class RefreshOutcome:
    source: str
    status: str  # done | failed | already_done
    report: ImportReport | None = None
    error: str = ""
    attempts: int = 0
    text: str = ""  # what was posted to the coordinators ("" when nothing was)

    @property
    def failed(self) -> bool:
        return self.status == FAILED


# -- getting the file ------------------------------------------------------------------------------
def fetch(source: DirectorySource, folder: Path, *, timeout: float = 120) -> Path:
    """The source's file on disk: the configured file itself, or the URL downloaded into `folder` under its own
    name (the France Services list is dated by its name)."""
    if not source.is_url:
        path = Path(source.location)
        if not path.is_file():
            raise FetchError(f"fichier introuvable : {path}")
        return path
    name = PurePosixPath(urlparse(source.location).path).name or f"{source.name}.csv"
    request = urllib.request.Request(source.location, headers={"User-Agent": "Relais (annuaire)"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http(s) checked in config)
            data = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise FetchError(f"le serveur a répondu {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise FetchError(f"serveur injoignable ({exc.reason})") from None
    except TimeoutError:
        raise FetchError(f"pas de réponse en {timeout:.0f} s") from None
    except OSError as exc:
        raise FetchError(f"téléchargement interrompu ({exc})") from None
    if len(data) > MAX_BYTES:
        raise FetchError(f"fichier de plus de {MAX_BYTES // 1024 // 1024} Mo, refusé")
    path = folder / name
    path.write_bytes(data)
    return path


def _get(source: DirectorySource, folder: Path) -> ParsedFile:
    parsed = parse_file(fetch(source, folder), source=source.name)
    if source.format and parsed.format not in FORMATS[source.format]:
        raise NotADirectoryFile(f"le fichier est au format « {parsed.format} », pas « {source.format} » "
                                "comme le dit la configuration")
    return parsed


def _too_many_closures(session: Session, parsed: ParsedFile) -> str | None:
    open_ids = set(session.scalars(select(DirectoryPlace.local_id).where(
        DirectoryPlace.source == parsed.source, DirectoryPlace.closed_at.is_(None))))
    gone = len(open_ids - {p.local_id for p in parsed.places})
    if open_ids and gone > MAX_CLOSE_SHARE * len(open_ids):
        return (f"ce fichier fermerait {count_of(gone, 'lieu', 'lieux')} sur {count_of(len(open_ids), 'lieu', 'lieux')}"
                f" de la source (plus de {MAX_CLOSE_SHARE:.0%}) : fichier incomplet ? Rien n’a été importé ; "
                "si c’est voulu, importez-le à la main (relais directory import)")
    return None


# -- claiming the run ------------------------------------------------------------------------------
def claim(db: Database, source: str, fire_time: datetime, worker_id: str, now: datetime) -> int | None:
    """This process's run of `source` at `fire_time`, or None when another process has (or had) it."""
    with db.session() as s:
        run_id = insert_ignore(s, DirectoryRefreshRun, dict(
            source_name=source, fire_time=fire_time, status=RUNNING, attempts=0, worker_id=worker_id,
            started_at=now, added=0, updated=0, unchanged=0, closed=0, reopened=0, rejected=0))
        if run_id is not None:
            return run_id
        taken = s.execute(update(DirectoryRefreshRun).where(
            DirectoryRefreshRun.source_name == source, DirectoryRefreshRun.fire_time == fire_time,
            DirectoryRefreshRun.status == RUNNING, DirectoryRefreshRun.started_at < now - STALE_AFTER,
        ).values(worker_id=worker_id, started_at=now))
        if taken.rowcount != 1:  # type: ignore[attr-defined]
            return None
        return s.scalar(select(DirectoryRefreshRun.id).where(
            DirectoryRefreshRun.source_name == source, DirectoryRefreshRun.fire_time == fire_time))


# -- reports ---------------------------------------------------------------------------------------
def changes_phrase(added: int, closed: int, updated: int, reopened: int = 0) -> str:
    """"12 nouveaux lieux, 3 fermés, 41 mis à jour" (the first figure names the places), "aucun changement"."""
    items = [(added, ("nouveau lieu", "nouveaux lieux"), ("nouveau", "nouveaux")),
             (closed, ("lieu fermé", "lieux fermés"), ("fermé", "fermés")),
             (updated, ("lieu mis à jour", "lieux mis à jour"), ("mis à jour", "mis à jour")),
             (reopened, ("lieu rouvert", "lieux rouverts"), ("rouvert", "rouverts"))]
    parts: list[str] = []
    for n, long, short in items:
        if n:
            one, many = short if parts else long
            parts.append(count_of(n, one, many))
    return ", ".join(parts) or "aucun changement"


def _zone_label(zone: tuple[str, ...]) -> str:
    return ", ".join(DEPARTEMENTS.get(d, d) for d in zone)


def change_report(session: Session, source: DirectorySource, report: ImportReport, zone: tuple[str, ...],
                  now: datetime) -> str:
    """The short post for the coordinators: changes near them first, then the whole source."""
    rows = session.execute(
        select(DirectoryChange.action, DirectoryPlace.code_postal, DirectoryPlace.code_insee)
        .join(DirectoryPlace, DirectoryPlace.ref == DirectoryChange.place_ref)
        .where(DirectoryChange.changed_at == now, DirectoryPlace.source == source.name)).all()
    lines = [f"**Annuaire mis à jour** depuis {report.file} (source « {source.name} »)"]
    if zone:
        near = Counter(r.action for r in rows if departement_of(r.code_postal, r.code_insee) in zone)
        phrase = changes_phrase(near["added"], near["closed"], near["updated"], near["reopened"])
        lines.append(f"{phrase[:1].upper()}{phrase[1:]} près de chez vous ({_zone_label(zone)}).")
    whole = changes_phrase(report.added, report.closed, report.updated, report.reopened)
    lines.append(("Sur toute la source : " if zone else "") + whole
                 + f" ; {count_of(report.unchanged, 'lieu inchangé', 'lieux inchangés')}"
                 + (f", {count_of(report.rejected_rows, 'ligne refusée', 'lignes refusées')}"
                    if report.rejected_rows else "") + ".")
    if report.closed and not source.partial:
        lines.append("Les lieux fermés ne sont plus proposés ; ils reviennent d’eux-mêmes s’ils réapparaissent "
                     "(ou `relais directory reopen N°`).")
    return "\n".join(lines)


def failure_report(source: DirectorySource, error: str, attempts: int, next_fire: datetime | None) -> str:
    where = source.location
    then = f" Prochain essai : {next_fire:%d/%m/%Y à %H:%M}." if next_fire else ""
    return (f"**Mise à jour de l’annuaire impossible** (source « {source.name} », {where}) après "
            f"{count_of(attempts, 'essai', 'essais')} : {error}. Rien n’a été modifié : l’annuaire garde les "
            f"données du dernier import.{then}")


def coordinators_channel(settings: Settings) -> str:
    return settings.channel_coordinateurs or "coordinateurs"


# -- one run ---------------------------------------------------------------------------------------
def refresh_source(settings: Settings, db: Database, source: DirectorySource, fire_time: datetime, worker_id: str,
                   *, now: Callable[[], datetime] = utcnow, sleep: Callable[[float], None] = time.sleep
                   ) -> RefreshOutcome:
    """Import `source` for its run at `fire_time`, at most once across processes; report to the coordinators."""
    run_id = claim(db, source.name, fire_time, worker_id, now())
    if run_id is None:
        return RefreshOutcome(source.name, ALREADY_DONE)
    error, attempts, parsed = "", 0, None
    with tempfile.TemporaryDirectory(prefix="relais-annuaire-") as folder:
        for attempts in range(1, settings.directory_retries + 1):
            try:
                parsed = _get(source, Path(folder))
                break
            except (FetchError, NotADirectoryFile) as exc:
                error = str(exc)
                log.warning("directory refresh %s, attempt %d: %s", source.name, attempts, error)
                if attempts < settings.directory_retries:
                    sleep(settings.directory_retry_seconds * attempts)
    key = f"directory-refresh:{source.name}:{fire_time.isoformat()}"
    channel = coordinators_channel(settings)
    with db.session() as s:
        if parsed is not None and not source.partial:
            refused = _too_many_closures(s, parsed)
            if refused:
                error, parsed = refused, None
        moment = now()
        if parsed is None:
            trig = trigger(source.cron, settings.tz)
            next_fire = trig.get_next_fire_time(None, moment.astimezone(settings.tz))
            text = failure_report(source, error, attempts, next_fire)
            s.execute(update(DirectoryRefreshRun).where(DirectoryRefreshRun.id == run_id).values(
                status=FAILED, attempts=attempts, finished_at=moment, error=error))
            enqueue(s, key, channel, text, team=settings.team, now=moment)
            return RefreshOutcome(source.name, FAILED, None, error, attempts, text)
        save_source(s, [parsed], by=f"mise à jour {source.name}", partial=source.partial, now=moment)
        report = parsed.report
        text = change_report(s, source, report, settings.directory_zone, moment)
        s.execute(update(DirectoryRefreshRun).where(DirectoryRefreshRun.id == run_id).values(
            status=DONE, attempts=attempts, finished_at=moment, added=report.added, updated=report.updated,
            unchanged=report.unchanged, closed=report.closed, reopened=report.reopened,
            rejected=report.rejected_rows, error=None))
        enqueue(s, key, channel, text, team=settings.team, now=moment)
    log.info("directory refresh %s: %s", source.name, report.summary())
    return RefreshOutcome(source.name, DONE, report, "", attempts, text)


def refresh_due(settings: Settings, db: Database, worker_id: str, now: datetime,
                grace: timedelta | None = None, sources: Iterable[DirectorySource] | None = None
                ) -> list[RefreshOutcome]:
    """Every source whose latest scheduled run is within the grace period (a catch-up after a restart too)."""
    grace = grace if grace is not None else timedelta(minutes=settings.digest_grace_minutes)
    outcomes = []
    for source in sources if sources is not None else settings.directory_sources:
        fire = last_fire(source.cron, settings.tz, now)
        if fire is not None and now - fire <= grace:
            outcomes.append(refresh_source(settings, db, source, fire, worker_id))
    return outcomes


def refresh_now(settings: Settings, db: Database, sources: Iterable[DirectorySource], worker_id: str = "console"
                ) -> list[RefreshOutcome]:
    """`relais directory refresh`: a run outside the schedule (its own fire time: now)."""
    moment = utcnow()
    return [refresh_source(settings, db, source, moment, worker_id) for source in sources]


def recent_runs(session: Session, since: datetime) -> list[DirectoryRefreshRun]:
    return list(session.scalars(select(DirectoryRefreshRun).where(DirectoryRefreshRun.started_at >= since)
                                .order_by(DirectoryRefreshRun.id)))


def last_success(session: Session, source: str) -> datetime | None:
    return session.scalar(select(func.max(DirectoryRefreshRun.finished_at)).where(
        DirectoryRefreshRun.source_name == source, DirectoryRefreshRun.status == DONE))
