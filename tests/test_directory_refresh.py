"""Scheduled refresh of the directory: local files and a local HTTP server (127.0.0.1), never the internet.

Expected figures are worked out from the files (which ids the newer list drops or adds, in which département),
never from Relais's output.
"""

from __future__ import annotations

import asyncio
import csv
import io
import threading
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from sqlalchemy import select

from bot.config import ConfigError, DirectorySource, Settings, load_settings
from bot.db import Database
from bot.digest import DigestPeriod
from bot.directory.digest import directory_section
from bot.directory.models import DirectoryRefreshRun
from bot.directory.refresh import ALREADY_DONE, DONE, FAILED, changes_phrase, refresh_due, refresh_source
from bot.directory.store import load_places
from bot.outbox.models import OutboxItem

FS = "france-services_liste-fs-20240801.csv"
HINAURA = "lieux-mediation-numerique_hinaura-auvergne-rhone-alpes.json"
FIRE = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)  # Monday 5:00, Paris


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")))
    return list(reader.fieldnames or []), list(reader)


def _csv(header: list[str], rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, header, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


class Files:
    """What the local server serves; `failures[path]` answers 503 that many times first."""

    def __init__(self) -> None:
        self.bodies: dict[str, bytes] = {}
        self.failures: dict[str, int] = {}
        self.hits: dict[str, int] = {}


@pytest.fixture
async def server() -> AsyncIterator[tuple[TestServer, Files]]:
    files = Files()

    async def serve(request: web.Request) -> web.Response:
        path = request.path
        files.hits[path] = files.hits.get(path, 0) + 1
        if files.failures.get(path, 0) > 0:
            files.failures[path] -= 1
            return web.Response(status=503, text="maintenance")
        if path not in files.bodies:
            return web.Response(status=404, text="introuvable")
        return web.Response(body=files.bodies[path], content_type="text/csv")

    app = web.Application()
    app.router.add_get("/{tail:.*}", serve)
    srv = TestServer(app, host="127.0.0.1")
    await srv.start_server()
    try:
        yield srv, files
    finally:
        await srv.close()


def _settings(**kw: object) -> Settings:
    base = Settings(database_url="unused", channel_coordinateurs="coordination", directory_retries=3,
                    directory_retry_seconds=7)
    return replace(base, **kw)  # type: ignore[arg-type]


def _outbox(db: Database) -> list[OutboxItem]:
    with db.session() as s:
        return list(s.scalars(select(OutboxItem).order_by(OutboxItem.id)))


async def test_refresh_over_http_closes_adds_and_reports_near_the_coordinators(
        db: Database, shared_data: Path, server: tuple[TestServer, Files]) -> None:
    srv, files = server
    header, rows = _rows(shared_data / FS)
    files.bodies["/data/liste-fs-20240801.csv"] = (shared_data / FS).read_bytes()
    source = DirectorySource("france-services", str(srv.make_url("/data/liste-fs-20240801.csv")), "0 5 * * 1",
                             "france-services")
    settings = _settings(directory_sources=(source,), directory_zone=("38",))
    first = await asyncio.to_thread(refresh_source, settings, db, source, FIRE, "w1", sleep=lambda s: None)
    assert first.status == DONE and first.report is not None and first.report.added == len(rows) == 2845
    isere = [r for r in rows if r["insee_dep"] == "38"]
    gone = {isere[0]["id_fs"], isere[1]["id_fs"], rows[0]["id_fs"]}  # two in Isère, one in the Ain
    new = {**isere[2], "id_fs": "nouveau-38", "lib_fs": "France services de Vif"}
    edited = {isere[3]["id_fs"]}
    newer = [({**r, "telephone": "04 76 00 00 01"} if r["id_fs"] in edited else r)
             for r in rows if r["id_fs"] not in gone] + [new]
    files.bodies["/data/liste-fs-20241201.csv"] = _csv(header, newer)
    source2 = replace(source, location=str(srv.make_url("/data/liste-fs-20241201.csv")))
    later = FIRE + timedelta(days=7)
    second = await asyncio.to_thread(refresh_source, settings, db, source2, later, "w1", sleep=lambda s: None,
                                     now=lambda: later + timedelta(minutes=3))
    assert second.status == DONE and second.report is not None
    assert (second.report.added, second.report.closed, second.report.updated) == (1, 3, 1)
    assert "1 nouveau lieu, 2 fermés, 1 mis à jour près de chez vous (Isère)." in second.text
    assert "Sur toute la source : 1 nouveau lieu, 3 fermés, 1 mis à jour ; 2\u202f841 lieux inchangés." in second.text
    with db.session() as s:
        assert {p.local_id for p in load_places(s, source="france-services")}.isdisjoint(gone)
    posts = _outbox(db)
    assert [p.channel for p in posts] == ["coordination", "coordination"] and posts[1].message == second.text
    # The week's changes are in the digest.
    period = DigestPeriod(later - timedelta(days=1), later + timedelta(hours=1), settings.tz, lambda pid: pid)
    with db.session() as s:
        section = directory_section(s, period)
    assert section is not None
    text = "\n".join(section.lines)
    assert "Mise à jour « france-services » : 1 nouveau lieu, 3 fermés, 1 mis à jour" in text
    assert "lieux fermés" in section.lines[0]


async def test_one_process_imports_however_many_race(db_url: str, shared_data: Path,
                                                     server: tuple[TestServer, Files]) -> None:
    srv, files = server
    files.bodies["/fs.csv"] = (shared_data / FS).read_bytes()
    source = DirectorySource("france-services", str(srv.make_url("/fs.csv")), "0 5 * * 1")
    settings = _settings(directory_sources=(source,))
    dbs = [Database(db_url) for _ in range(3)]  # three processes
    barrier = threading.Barrier(3)

    def run(i: int) -> str:
        barrier.wait()
        return refresh_source(settings, dbs[i], source, FIRE, f"w{i}", sleep=lambda s: None).status

    try:
        statuses = await asyncio.gather(*(asyncio.to_thread(run, i) for i in range(3)))
        assert sorted(statuses) == [ALREADY_DONE, ALREADY_DONE, DONE]
        with dbs[0].session() as s:
            [run_row] = s.scalars(select(DirectoryRefreshRun)).all()
            assert run_row.status == DONE and run_row.added == 2845
        assert len(_outbox(dbs[0])) == 1
        # The same schedule run again (a restart's catch-up) does nothing.
        again = await asyncio.to_thread(refresh_due, settings, dbs[1], "w9", FIRE + timedelta(minutes=5))
        assert [o.status for o in again] == [ALREADY_DONE]
    finally:
        for d in dbs:
            d.dispose()


async def test_retries_then_success(db: Database, shared_data: Path, server: tuple[TestServer, Files]) -> None:
    srv, files = server
    files.bodies["/fs.csv"] = (shared_data / FS).read_bytes()
    files.failures["/fs.csv"] = 2
    source = DirectorySource("france-services", str(srv.make_url("/fs.csv")), "0 5 * * 1")
    slept: list[float] = []
    outcome = await asyncio.to_thread(refresh_source, _settings(), db, source, FIRE, "w", sleep=slept.append)
    assert outcome.status == DONE and outcome.attempts == 3 and slept == [7, 14]
    assert files.hits["/fs.csv"] == 3


async def test_failure_is_reported_clearly_and_changes_nothing(db: Database, shared_data: Path,
                                                               server: tuple[TestServer, Files]) -> None:
    srv, files = server
    files.failures["/fs.csv"] = 99
    source = DirectorySource("france-services", str(srv.make_url("/fs.csv")), "0 5 * * 1")
    outcome = await asyncio.to_thread(refresh_source, _settings(), db, source, FIRE, "w", sleep=lambda s: None,
                                      now=lambda: FIRE + timedelta(minutes=2))
    assert outcome.status == FAILED and outcome.attempts == 3
    assert "après 3 essais : le serveur a répondu 503 Service Unavailable" in outcome.text
    assert "Rien n’a été modifié" in outcome.text and "Prochain essai : 30/11/2026 à 05:00" in outcome.text
    [post] = _outbox(db)
    assert post.channel == "coordination" and post.message == outcome.text
    with db.session() as s:
        assert load_places(s) == []
        assert s.scalar(select(DirectoryRefreshRun.error)).startswith("le serveur a répondu 503")


async def test_a_truncated_file_is_refused_not_used_to_close(db: Database, shared_data: Path,
                                                             server: tuple[TestServer, Files]) -> None:
    srv, files = server
    header, rows = _rows(shared_data / FS)
    files.bodies["/fs.csv"] = (shared_data / FS).read_bytes()
    source = DirectorySource("france-services", str(srv.make_url("/fs.csv")), "0 5 * * 1")
    await asyncio.to_thread(refresh_source, _settings(), db, source, FIRE, "w", sleep=lambda s: None)
    files.bodies["/fs.csv"] = _csv(header, rows[:1000])
    outcome = await asyncio.to_thread(refresh_source, _settings(), db, source, FIRE + timedelta(days=7), "w",
                                      sleep=lambda s: None)
    assert outcome.status == FAILED and "fichier incomplet" in outcome.error
    with db.session() as s:
        assert len(load_places(s)) == 2845


async def test_local_file_source_and_wrong_format(db: Database, shared_data: Path) -> None:
    ok = DirectorySource("hinaura", str(shared_data / HINAURA),
                         "0 5 * * 1", "v0")
    assert refresh_source(_settings(), db, ok, FIRE, "w").status == DONE
    wrong = replace(ok, name="autre", format="v1")
    outcome = refresh_source(_settings(directory_retries=1), db, wrong, FIRE, "w")
    assert outcome.status == FAILED and "pas « v1 » comme le dit la configuration" in outcome.error
    missing = replace(ok, name="absent", location="/nulle/part.csv")
    assert "fichier introuvable" in refresh_source(_settings(directory_retries=1), db, missing, FIRE, "w").error


def test_a_run_left_running_by_a_dead_process_is_taken_over(db: Database, shared_data: Path) -> None:
    source = DirectorySource("hinaura", str(shared_data / HINAURA),
                             "0 5 * * 1")
    with db.session() as s:
        s.add(DirectoryRefreshRun(source_name="hinaura", fire_time=FIRE, status="running", attempts=1,
                                  worker_id="dead", started_at=FIRE, added=0, updated=0, unchanged=0, closed=0,
                                  reopened=0, rejected=0))
    soon = refresh_source(_settings(), db, source, FIRE, "w", now=lambda: FIRE + timedelta(minutes=30))
    assert soon.status == ALREADY_DONE  # maybe still working
    late = refresh_source(_settings(), db, source, FIRE, "w", now=lambda: FIRE + timedelta(hours=3))
    assert late.status == DONE and late.report is not None and late.report.added == 687


@pytest.mark.parametrize(("n", "text"), [
    ((12, 3, 41), "12 nouveaux lieux, 3 fermés, 41 mis à jour"),
    ((1, 1, 1), "1 nouveau lieu, 1 fermé, 1 mis à jour"),
    ((0, 2, 0), "2 lieux fermés"),
    ((0, 0, 1), "1 lieu mis à jour"),
    ((0, 0, 0), "aucun changement"),
])
def test_change_phrase_has_real_plurals(n: tuple[int, int, int], text: str) -> None:
    assert changes_phrase(*n) == text


def test_sources_in_relais_toml(tmp_path: Path) -> None:
    def load(toml: str) -> Settings:
        (tmp_path / "relais.toml").write_text(toml, encoding="utf-8")
        return load_settings(env={"RELAIS_CONFIG": str(tmp_path / "relais.toml")}, dotenv=False)

    settings = load('''
[directory]
zone = ["38", "73"]
[[directory.sources]]
name = "lieux-national"
url = "https://example.org/lieux-de-mediation-numerique.csv"
format = "v1"
cron = "0 5 * * 1"
[[directory.sources]]
file = "/srv/fs.csv"
format = "france-services"
cron = "30 5 1 * *"
''')
    assert [s.name for s in settings.directory_sources] == ["lieux-national", "france-services"]
    assert settings.directory_sources[0].is_url and not settings.directory_sources[1].is_url
    assert settings.directory_zone == ("38", "73")
    with pytest.raises(ConfigError) as err:
        load('[[directory.sources]]\nname = "x"\nurl = "ftp://a/b.csv"\ncron = "0 5 * * 1"\n')
    assert "directory.sources n° 1.url" in str(err.value)
    with pytest.raises(ConfigError) as err:
        load('[[directory.sources]]\nname = "x"\nfile = "a.csv"\ncron = "tous les lundis"\n')
    assert "expression cron" in str(err.value)


def test_cli_refresh_runs_the_configured_sources_now(db_url: str, shared_data: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RELAIS_DATABASE_URL", db_url)
    (tmp_path / "relais.toml").write_text(f'''
[directory]
retries = 1
[[directory.sources]]
name = "hinaura"
file = "{shared_data / HINAURA}"
format = "v0"
cron = "0 5 * * 1"
[[directory.sources]]
name = "absent"
file = "{tmp_path / 'absent.csv'}"
cron = "0 5 * * 1"
''', encoding="utf-8")
    monkeypatch.setenv("RELAIS_CONFIG", str(tmp_path / "relais.toml"))
    assert main(["directory", "refresh", "hinaura"]) == 0
    assert "687 nouveaux lieux" in capsys.readouterr().out
    assert main(["directory", "refresh"]) == 1  # one source failed: the exit code says so
    out = capsys.readouterr().out
    assert "aucun changement ; 687 lieux inchangés" in out and "fichier introuvable" in out
